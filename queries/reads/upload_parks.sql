-- upload_parks: the parks whose values one upload stored.
-- Grain: one row per park of the upload (its observations, published growth
-- and industry rows; an undone upload has none left).
-- Parameters: $upload_id.
-- Returns: park_id, park (canonical name).

with observations as (
    select park_id from observations where upload_id = $upload_id
),

reported_growth as (
    select park_id from reported_growth where upload_id = $upload_id
),

industries as (
    select park_id from industries where upload_id = $upload_id
),

touched as (
    select park_id from observations
    union
    select park_id from reported_growth
    union
    select park_id from industries
),

final as (
    select t.park_id, p.name as park
    from touched as t
    join parks as p using (park_id)
    order by p.name
)

select * from final
