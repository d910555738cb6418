-- int_flow_values: month and cumulative (January to the month) values of every flow,
-- and the restated prior-year bases printed with each month.
-- Grain: one row per park × flow indicator × month with any value known.
-- Units: canonical (万元 for money).
--
-- Rules (input-formats.md rules 3 and 4):
--   ytd_base   = reported 累计, else the latest reported 累计 before it plus every
--                reported 本月 after it (none reported: the sum of 本月 1..N),
--                only when every one of those months is reported
--   month      = reported 本月, else ytd_base(N) − ytd_base(N−1) (January: ytd_base itself);
--                where neither of those cumulatives is known, the same difference of
--                the restated cumulatives a later sheet printed for them (上年同期)
--   ytd        = reported 累计, else the latest reported 累计 plus every month after
--                it when every one is known, else the restated cumulative (上年同期)
--   `1-2月` 30 then 本月 35 and 40 gives 1-3月 65 and 1-4月 105. A missing month
--   leaves the cumulative unknown, never smaller. Reported values win over
--   derived ones, and derived ones over restated ones: a restated value stands in
--   only where nothing was reported, and never mixes with a reported cumulative
--   in one difference.
-- Restated bases (basis month_prior / ytd_prior, printed with period P for P − 1 year):
--   prior_month_value  the restated same month a year earlier: 上年同月, else the
--                      difference of this and the previous month's 上年同期累计
--   prior_ytd_value    the restated cumulative a year earlier (上年同期累计)
-- Growth uses these as its base where they exist (metrics/month_growth, ytd_growth).

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
    where o.basis in ('month', 'ytd', 'month_prior', 'ytd_prior')
      and coalesce(i.kind, 'flow') = 'flow'
),

printed as (
    select
        park_id,
        indicator,
        period,
        max(value) filter (where basis = 'month') as month_reported,
        max(value) filter (where basis = 'ytd') as ytd_reported,
        max(value) filter (where basis = 'month_prior') as month_prior,
        max(value) filter (where basis = 'ytd_prior') as ytd_prior
    from flows
    group by park_id, indicator, period
),

park_indicator_years as (
    select distinct park_id, indicator, year from flows
    union
    select distinct park_id, indicator, year - 1 from flows where basis in ('month_prior', 'ytd_prior')
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
        p.month_reported,
        p.ytd_reported,
        p.month_prior,
        p.ytd_prior,
        later.month_prior as month_restated,
        later.ytd_prior as ytd_restated
    from calendar as c
    left join printed as p
        on p.park_id = c.park_id and p.indicator = c.indicator and p.period = c.period
    left join printed as later
        on later.park_id = c.park_id and later.indicator = c.indicator
        and later.period = cast(c.period + interval 1 year as date)
),

reported_sums as (
    select
        *,
        sum(coalesce(month_reported, 0)) over running as month_sum,
        count(month_reported) over running as month_count
    from reported
    window running as (partition by park_id, indicator, year order by month
                       rows between unbounded preceding and current row)
),

reported_anchors as (
    select
        *,
        coalesce(max(case when ytd_reported is not null then month end) over running, 0) as anchor_month,
        coalesce(last_value(ytd_reported ignore nulls) over running, 0) as anchor_value,
        coalesce(last_value(case when ytd_reported is not null then month_sum end ignore nulls) over running, 0)
            as anchor_sum,
        coalesce(last_value(case when ytd_reported is not null then month_count end ignore nulls) over running, 0)
            as anchor_count
    from reported_sums
    window running as (partition by park_id, indicator, year order by month
                       rows between unbounded preceding and current row)
),

ytd_base as (
    select
        *,
        coalesce(
            ytd_reported,
            case when month_count - anchor_count = month - anchor_month
                 then anchor_value + month_sum - anchor_sum end
        ) as ytd_base
    from reported_anchors
),

month_values as (
    select
        *,
        coalesce(
            month_reported,
            case when month = 1 then ytd_base
                 else ytd_base - lag(ytd_base) over by_month end,
            case when ytd_base is null and (month = 1 or lag(ytd_base) over by_month is null)
                 then coalesce(
                     month_restated,
                     case when month = 1 then ytd_restated
                          else ytd_restated - lag(ytd_restated) over by_month end) end
        ) as month_value,
        coalesce(
            month_prior,
            case when month = 1 then ytd_prior
                 else ytd_prior - lag(ytd_prior) over by_month end
        ) as prior_month_value
    from ytd_base
    window by_month as (partition by park_id, indicator, year order by month)
),

month_sums as (
    select
        *,
        sum(coalesce(month_value, 0)) over running as value_sum,
        count(month_value) over running as value_count
    from month_values
    window running as (partition by park_id, indicator, year order by month
                       rows between unbounded preceding and current row)
),

ytd_values as (
    select
        *,
        coalesce(
            ytd_reported,
            case when value_count - chain_count = month - anchor_month
                 then anchor_value + value_sum - chain_sum end,
            ytd_restated
        ) as ytd_value
    from (
        select
            *,
            coalesce(last_value(case when ytd_reported is not null then value_sum end ignore nulls) over running, 0)
                as chain_sum,
            coalesce(last_value(case when ytd_reported is not null then value_count end ignore nulls) over running, 0)
                as chain_count
        from month_sums
        window running as (partition by park_id, indicator, year order by month
                           rows between unbounded preceding and current row)
    )
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
        ytd_reported is not null as ytd_is_reported,
        prior_month_value,
        ytd_prior as prior_ytd_value
    from ytd_values
    where month_value is not null or ytd_value is not null
       or prior_month_value is not null or ytd_prior is not null
)

select * from final
