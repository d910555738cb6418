-- firm_rows_written_since: whether an upload after a given one wrote firm rows
-- (an enterprise file; an undone one has none left, its undo is seen by the
-- data version).
-- Grain: one row, one column. Parameters: $last_upload_id (the newest upload a
-- preview's data checks saw). Returns: written (boolean).
-- Read by store.changed_since: firm rows feed the park sums the checks read
-- (int_enterprise_park_flows), and a firm placed by its register may belong to
-- any park, so any such upload makes a preview's warnings stale.

with written as (
    select upload_id from enterprise_identities where upload_id > $last_upload_id
    union all
    select upload_id from enterprise_registers where upload_id > $last_upload_id
    union all
    select upload_id from enterprise_observations where upload_id > $last_upload_id
    union all
    select upload_id from enterprise_growth where upload_id > $last_upload_id
    union all
    select upload_id from enterprise_parcels where upload_id > $last_upload_id
    union all
    select upload_id from leading_groups where upload_id > $last_upload_id
),

final as (
    select exists (select 1 from written) as written
)

select * from final
