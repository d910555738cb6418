-- leading_groups: a park's leading industries (主导产业) as stored (N6 files and the
-- page's editor), every group of every list with the months it is in force.
-- Grain: one row per group × start month × end month.
-- Parameters: $park (canonical park name).
-- Returns: group_name, prefixes (GB/T 4754-2017 code prefixes, sorted), valid_from,
--          valid_to (exclusive; null: in force from valid_from on), in_force (valid_to is null).

with leading_lists as (
    select * from stg_leading_groups
),

parks as (
    select * from parks
),

final as (
    select
        l.group_name,
        list_sort(list(distinct l.prefix)) as prefixes,
        l.valid_from,
        l.valid_to,
        l.valid_to is null as in_force
    from leading_lists as l
    join parks as p using (park_id)
    where p.name = $park
    group by l.group_name, l.valid_from, l.valid_to
    order by l.valid_from, l.group_name
)

select * from final
