-- peer_groups: saved peer groups with their parks.
-- Grain: one row per group × park.
-- Parameters: $group (a group name, or null for every group).
-- Returns: group_name, park (canonical name), park_id.

with peer_groups as (
    select * from peer_groups
),

parks as (
    select * from parks
),

final as (
    select g.group_name, p.name as park, p.park_id
    from peer_groups as g
    join parks as p using (park_id)
    where $group is null or g.group_name = $group
    order by g.group_name, p.name
)

select * from final
