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
--   ytd        = ytd_base (a derived month only ever sits on a reported 累计, so the
--                chain of reported months is the whole chain), else the restated
--                cumulative (上年同期)
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
    -- Each 上年同期 value also describes the month a year before it was printed
    -- (month_restated / ytd_restated there): a union, not a second join.
    select
        park_id,
        indicator,
        period,
        max(value) filter (where basis = 'month') as month_reported,
        max(value) filter (where basis = 'ytd') as ytd_reported,
        max(value) filter (where basis = 'month_prior') as month_prior,
        max(value) filter (where basis = 'ytd_prior') as ytd_prior,
        max(value) filter (where basis = 'month_restated') as month_restated,
        max(value) filter (where basis = 'ytd_restated') as ytd_restated
    from (
        select park_id, indicator, period, basis, value from flows
        union all
        select park_id, indicator, cast(period - interval 1 year as date), replace(basis, '_prior', '_restated'), value
        from flows
        where basis in ('month_prior', 'ytd_prior')
    )
    group by park_id, indicator, period
),

park_indicator_years as (
    select distinct park_id, indicator, year(period) as year from printed
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
        p.month_restated,
        p.ytd_restated
    from calendar as c
    left join printed as p
        on p.park_id = c.park_id and p.indicator = c.indicator and p.period = c.period
),

segments as (
    -- A segment runs from a reported cumulative (its anchor) to the month before the
    -- next one; segment 0 runs from January, anchored on nothing (0).
    select
        *,
        count(ytd_reported) over (partition by park_id, indicator, year order by month
                                  rows between unbounded preceding and current row) as segment,
        case when ytd_reported is null then month_reported end as month_after_anchor
    from reported
),

ytd_base as (
    select
        *,
        case when segment = 0 then 0 else min(month) over whole_segment end as anchor_month,
        coalesce(first_value(ytd_reported) over whole_segment, 0) as anchor_value,
        coalesce(
            ytd_reported,
            case when count(month_after_anchor) over running = month - anchor_month
                 then anchor_value + coalesce(sum(month_after_anchor) over running, 0) end
        ) as ytd_base
    from segments
    window whole_segment as (partition by park_id, indicator, year, segment),
           running as (partition by park_id, indicator, year, segment order by month
                       rows between unbounded preceding and current row)
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

final as (
    select
        park_id,
        indicator,
        period,
        year,
        month,
        month_value,
        -- The chained cumulative (ytd_base) already holds every month after its
        -- anchor: a month is derived only at a reported cumulative, where ytd_base
        -- is that cumulative. The restated one stands in only where it is unknown.
        coalesce(ytd_base, ytd_restated) as ytd_value,
        month_reported is not null as month_is_reported,
        ytd_reported is not null as ytd_is_reported,
        prior_month_value,
        ytd_prior as prior_ytd_value
    from month_values
    where month_value is not null or ytd_base is not null or ytd_restated is not null
       or prior_month_value is not null or ytd_prior is not null
)

select * from final
