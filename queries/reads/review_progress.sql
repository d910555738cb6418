-- review_progress: 报送进度 of the monthly cycle 报送 → 审核 → 汇总 (schema 011) —
-- for each park × month, the state of its latest upload and who sent and reviewed it.
-- Grain: one row per park × month, months from the first to the last month any of the
-- parks sent a park sheet for (rows of every review state, undone uploads left out).
-- Parameters: $parks (list of park names, or null for every park that sent one),
--             $today (date: 逾期 is judged on it), $due_day (integer: due by this day of
--             the following month, settings.REPORT_DUE_DAY).
-- Returns: park, period, state ('missing' 未报送 | 'pending' 待审核 | 'returned' 已退回 |
--          'approved' 已通过), upload_id, file_name, uploaded_by, uploaded_at, reviewed_by,
--          reviewed_at, return_reason (of the latest upload), due_date, late (boolean).
-- Rules: a month a park's sheet names (restated prior-year columns, *_prior, name the year
-- before and do not count). The latest upload decides the state: a correction waiting or
-- returned shows though an older approved figure stays in force. A month with firm sums
-- only (enterprise uploads are in force at once) is 已通过. 逾期: past its due date with no
-- approved figure and nothing waiting for review.

with uploads as (
    select * from uploads where undone_at is null
),

sent as (
    select distinct o.park_id, o.period, o.upload_id, u.review_status
    from observations_all as o
    join uploads as u using (upload_id)
    where o.basis not in ('month_prior', 'ytd_prior')
),

latest as (
    select park_id, period, max(upload_id) as upload_id, bool_or(review_status = 'approved') as has_approved
    from sent
    group by park_id, period
),

firm_months as (
    select distinct park_id, period from int_enterprise_park_flows
    where month_value is not null or ytd_value is not null
),

chosen_parks as (
    select p.park_id, p.name
    from parks as p
    where (p.park_id in (select park_id from sent) or p.park_id in (select park_id from firm_months))
      and ($parks is null or list_contains($parks, p.name))
),

bounds as (
    select min(period) as first_period, max(period) as last_period
    from (select park_id, period from sent union all select park_id, period from firm_months)
    where park_id in (select park_id from chosen_parks)
),

months as (
    select cast(unnest(generate_series(first_period, last_period, interval 1 month)) as date) as period
    from bounds
    where first_period is not null
),

grid as (
    select p.park_id, p.name as park, m.period
    from chosen_parks as p
    cross join months as m
),

stated as (
    select
        g.park,
        g.period,
        case when u.upload_id is not null then u.review_status
             when f.park_id is not null then 'approved'
             else 'missing' end as state,
        u.upload_id,
        u.file_name,
        u.uploaded_by,
        u.uploaded_at,
        u.reviewed_by,
        u.reviewed_at,
        u.return_reason,
        coalesce(l.has_approved, false) or f.park_id is not null as has_approved,
        cast(g.period + interval 1 month + ($due_day - 1) * interval 1 day as date) as due_date
    from grid as g
    left join latest as l on l.park_id = g.park_id and l.period = g.period
    left join uploads as u on u.upload_id = l.upload_id
    left join firm_months as f on f.park_id = g.park_id and f.period = g.period
),

final as (
    select
        park, period, state, upload_id, file_name, uploaded_by, uploaded_at, reviewed_by, reviewed_at,
        return_reason, due_date,
        $today > due_date and not has_approved and state <> 'pending' as late
    from stated
    order by park, period
)

select * from final
