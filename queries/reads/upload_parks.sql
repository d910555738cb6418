-- upload_parks: the parks whose values one upload stored.
-- Grain: one row per park of the upload (its observations, published growth
-- and industry rows; for an enterprise file, the parks its rows name and the
-- parks its firms belong to at the months of its rows; an undone upload has none left),
-- whatever its review state (待审核 and 已退回 rows are in the *_all tables).
-- Parameters: $upload_id.
-- Returns: park_id, park (canonical name).

with observations as (
    select park_id from observations_all where upload_id = $upload_id
),

reported_growth as (
    select park_id from reported_growth_all where upload_id = $upload_id
),

industries as (
    select park_id from industries_all where upload_id = $upload_id
),

enterprise_named as (
    select park_id from enterprise_observations where upload_id = $upload_id and park_id is not null
    union
    select park_id from enterprise_registers where upload_id = $upload_id
    union
    select park_id from enterprise_parcels where upload_id = $upload_id and park_id is not null
    union
    select park_id from leading_groups where upload_id = $upload_id
),

enterprise_attached as (
    select m.park_id
    from (
        select enterprise_id, period from enterprise_observations where upload_id = $upload_id
        union
        select enterprise_id, registered from enterprise_parcels where upload_id = $upload_id
    ) as upload_rows
    join int_enterprise_placements as m using (enterprise_id, period)
),

touched as (
    select park_id from observations
    union
    select park_id from reported_growth
    union
    select park_id from industries
    union
    select park_id from enterprise_named
    union
    select park_id from enterprise_attached
),

final as (
    select t.park_id, p.name as park
    from touched as t
    join parks as p using (park_id)
    order by p.name
)

select * from final
