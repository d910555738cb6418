-- upload_parks: the parks whose firm sums an enterprise upload can change, before
-- linked_parks adds the parks those share firms with.
-- Grain: one row per park.
-- Parameters: $upload_id.
-- Returns: park_id.
-- Rule: every park any row places one of the upload's firms in (a register, a
-- named row: the firm's months there may change), and the parks of its
-- leading lists. Read before an undo deletes the rows, as after a store.

with upload_firms as (
    select enterprise_id from enterprise_observations where upload_id = $upload_id
    union
    select enterprise_id from enterprise_growth where upload_id = $upload_id
    union
    select enterprise_id from enterprise_registers where upload_id = $upload_id
    union
    select enterprise_id from enterprise_parcels where upload_id = $upload_id
    union
    select enterprise_id from enterprise_identities where upload_id = $upload_id
),

final as (
    select distinct park_id from int_enterprise_parks where enterprise_id in (select enterprise_id from upload_firms)
    union
    select park_id from leading_groups where upload_id = $upload_id
)

select * from final
