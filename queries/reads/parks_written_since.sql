-- parks_written_since: the parks whose values uploads after a given one wrote
-- (an undone upload has none left; its undo is seen by the data version).
-- Grain: one row per park. Parameters: $last_upload_id (the newest upload a
-- preview's data checks saw). Returns: park_id.
-- Read by store.changed_since: a preview's warnings still hold when none of
-- its parks is among these.

with observations as (
    select park_id from observations where upload_id > $last_upload_id
),

reported_growth as (
    select park_id from reported_growth where upload_id > $last_upload_id
),

industries as (
    select park_id from industries where upload_id > $last_upload_id
),

final as (
    select park_id from observations
    union
    select park_id from reported_growth
    union
    select park_id from industries
)

select * from final
