-- enterprise_parks: the parks with enterprise rows (a firm on their register, or named by
-- their own enterprise sheets, at some month).
-- Grain: one row per park. Parameters: none. Returns: park (canonical name), sorted.

with members as (
    select * from int_enterprise_members
),

parks as (
    select * from parks
),

final as (
    select distinct p.name as park
    from members as m
    join parks as p using (park_id)
    order by park
)

select * from final
