-- upload_since: the earliest month an enterprise upload's rows can change, from
-- which a rebuild by park starts (sql.build_tables' since).
-- Grain: one row.
-- Parameters: $upload_id.
-- Returns: since (date; null when some row holds for every month: a name or an
--          industry code given with no month, which then reaches back to the first).
-- Rule: a value's month; a restated prior-year value (上年同期, basis *_prior)
-- a year before it; a register, a parcel or a leading list from the month it
-- is dated (it counts from then on); a name or code from its month.

with dated as (
    select case when basis like '%\_prior' escape '\' then (period - interval 1 year)::date else period end as period
    from enterprise_observations where upload_id = $upload_id
    union all
    select period from enterprise_growth where upload_id = $upload_id
    union all
    select valid_from from enterprise_registers where upload_id = $upload_id
    union all
    select registered from enterprise_parcels where upload_id = $upload_id
    union all
    select valid_from from leading_groups where upload_id = $upload_id
    union all
    select period from enterprise_identities where upload_id = $upload_id
),

final as (
    select case when count(*) = count(period) then min(period) end as since
    from dated
)

select * from final
