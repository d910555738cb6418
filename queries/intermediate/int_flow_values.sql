-- int_flow_values: month and cumulative (January to the month) values of every flow.
-- Grain: one row per park × flow indicator × month with either value known.
-- Units: canonical (万元 for money).
--
-- Rules (input-formats.md, "Derive, never invent"):
--   ytd_base   = reported 累计, else the sum of reported months 1..N when all are reported
--   month      = reported 本月, else ytd_base(N) − ytd_base(N−1) (January: ytd_base itself)
--   ytd        = reported 累计, else the sum of months 1..N when every one is known
-- A missing month leaves the cumulative unknown, never smaller. A 1-2月
-- value is a cumulative for February: February's own month stays unknown
-- unless January is known.

with observations as (
    select * from stg_observations
),

indicators as (
    select * from indicators
),

flows as (
    select o.park_id, o.indicator, o.period, o.year, o.month, o.basis, o.value
    from observations as o
    left join indicators as i on i.indicator = o.indicator
    where o.basis in ('month', 'ytd')
      and coalesce(i.kind, 'flow') = 'flow'
),

park_indicator_years as (
    select distinct park_id, indicator, year from flows
),

calendar as (
    select
        piy.park_id,
        piy.indicator,
        piy.year,
        m.month,
        make_date(piy.year, m.month, 1) as period
    from park_indicator_years as piy
    cross join range(1, 13) as m(month)
),

reported as (
    select
        c.park_id,
        c.indicator,
        c.year,
        c.month,
        c.period,
        max(f.value) filter (where f.basis = 'month') as month_reported,
        max(f.value) filter (where f.basis = 'ytd') as ytd_reported
    from calendar as c
    left join flows as f
        on f.park_id = c.park_id and f.indicator = c.indicator and f.period = c.period
    group by c.park_id, c.indicator, c.year, c.month, c.period
),

ytd_base as (
    select
        *,
        coalesce(
            ytd_reported,
            case when count(month_reported) over running = month
                 then sum(month_reported) over running end
        ) as ytd_base
    from reported
    window running as (partition by park_id, indicator, year order by month
                       rows between unbounded preceding and current row)
),

month_values as (
    select
        *,
        coalesce(
            month_reported,
            case when month = 1 then ytd_base
                 else ytd_base - lag(ytd_base) over (partition by park_id, indicator, year order by month) end
        ) as month_value
    from ytd_base
),

ytd_values as (
    select
        *,
        coalesce(
            ytd_reported,
            case when count(month_value) over running = month
                 then sum(month_value) over running end
        ) as ytd_value
    from month_values
    window running as (partition by park_id, indicator, year order by month
                       rows between unbounded preceding and current row)
),

final as (
    select
        park_id,
        indicator,
        period,
        year,
        month,
        month_value,
        ytd_value,
        month_reported is not null as month_is_reported,
        ytd_reported is not null as ytd_is_reported
    from ytd_values
    where month_value is not null or ytd_value is not null
)

select * from final
