-- linked_parks: the parks a rebuild of some parks must rebuild with them.
-- Grain: one row per park.
-- Parameters: $parks (integer list: the parks a change touched; for an enterprise
--             upload, rebuild/upload_parks).
-- Returns: park_id.
-- Rule: the given parks, then every park sharing a firm with a park already
-- taken, until no new park joins (a firm on two parks' registers belongs to the
-- later one; a park's sums need all its firms). Reads firm_parks from the
-- rebuild's scratch schema.

with recursive

seed as (
    select unnest($parks::integer[]) as park_id
),

linked(park_id) as (
    select park_id from seed
    union
    select other.park_id
    from linked
    join firm_parks as own on own.park_id = linked.park_id
    join firm_parks as other on other.enterprise_id = own.enterprise_id
),

final as (
    select park_id from linked
)

select * from final
