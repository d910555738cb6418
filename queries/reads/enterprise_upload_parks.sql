-- enterprise_upload_parks: the parks an enterprise upload speaks of — the parks its
-- rows name, and the parks its firms belong to at the months of its rows.
-- Grain: one row per park. Parameters: $upload_id.
-- Returns: park_id.

with named as (
    select park_id from enterprise_observations where upload_id = $upload_id and park_id is not null
    union
    select park_id from enterprise_registers where upload_id = $upload_id
    union
    select park_id from enterprise_parcels where upload_id = $upload_id and park_id is not null
    union
    select park_id from leading_groups where upload_id = $upload_id
),

attached as (
    select m.park_id
    from (
        select enterprise_id, period from enterprise_observations where upload_id = $upload_id
        union
        select enterprise_id, registered from enterprise_parcels where upload_id = $upload_id
    ) as upload_rows
    join int_enterprise_members as m using (enterprise_id, period)
),

final as (
    select distinct park_id from (select * from named union select * from attached)
)

select * from final
