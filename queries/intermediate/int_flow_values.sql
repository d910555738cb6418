-- int_flow_values: month and cumulative (January to the month) values of every flow,
-- and the restated prior-year bases printed with each month.
-- Grain: one row per park × flow indicator × month with any value known.
-- Units: canonical (万元 for money).
--
-- Rules (input-formats.md rules 3 and 4):
--   ytd_base   = reported 累计, else the latest reported 累计 before it plus every
--                reported 本月 after it (none reported: the sum of 本月 1..N),
--                only when every one of those months is reported; month by month:
--                ytd_base(N) = 累计(N), else ytd_base(N−1) + 本月(N), ytd_base(0) = 0
--                (a NULL on either side leaves it unknown until the next 累计)
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
-- Sums over enterprises (int_enterprise_park_flows, docs/enterprises.md rule 3) fill
-- each of the four values only where the park's own sheets, and everything the
-- rules above derive from them, leave it unknown: the park's own figure wins,
-- nothing is counted twice. from_enterprises: the month or the cumulative is such
-- a sum (notes say 由企业汇总).
--
-- How: one row per park × indicator × year with the twelve months side by side
-- (a list per basis), the chain written out month by month, then back to one row per month
-- (UNNEST). No window and no calendar join: this model is most of the cost of
-- every rebuild, and a sort per window made it three times slower.

with observations as (
    select * from stg_observations
),

indicators as (
    select * from indicators
),

flows as (
    select o.park_id, o.indicator, o.year, o.month, o.basis, o.value
    from observations as o
    left join indicators as i on i.indicator = o.indicator
    where o.basis in ('month', 'ytd', 'month_prior', 'ytd_prior')
      and coalesce(i.kind, 'flow') = 'flow'
),

printed as (
    -- Each 上年同期 value also describes the month a year before it was printed
    -- (month_restated / ytd_restated there): a union, not a second join.
    select park_id, indicator, year, month, basis, value from flows
    union all
    select park_id, indicator, year - 1, month, replace(basis, '_prior', '_restated'), value
    from flows
    where basis in ('month_prior', 'ytd_prior')
),

by_basis as (
    -- The twelve months of one basis side by side: [January, …, December].
    select
        park_id,
        indicator,
        year,
        basis,
        list_value(
            max(value) filter (where month = 1),
            max(value) filter (where month = 2),
            max(value) filter (where month = 3),
            max(value) filter (where month = 4),
            max(value) filter (where month = 5),
            max(value) filter (where month = 6),
            max(value) filter (where month = 7),
            max(value) filter (where month = 8),
            max(value) filter (where month = 9),
            max(value) filter (where month = 10),
            max(value) filter (where month = 11),
            max(value) filter (where month = 12)
        ) as by_month
    from printed
    group by park_id, indicator, year, basis
),

by_year as (
    select
        park_id,
        indicator,
        year,
        any_value(by_month) filter (where basis = 'month') as month_reported,
        any_value(by_month) filter (where basis = 'ytd') as ytd_reported,
        any_value(by_month) filter (where basis = 'month_prior') as month_prior,
        any_value(by_month) filter (where basis = 'ytd_prior') as ytd_prior,
        any_value(by_month) filter (where basis = 'month_restated') as month_restated,
        any_value(by_month) filter (where basis = 'ytd_restated') as ytd_restated
    from by_basis
    group by park_id, indicator, year
),

chained as (
    -- b1 … b12: ytd_base month by month (lateral aliases: each line reads the one above).
    select
        *,
        coalesce(ytd_reported[1], month_reported[1]) as b1,
        coalesce(ytd_reported[2], b1 + month_reported[2]) as b2,
        coalesce(ytd_reported[3], b2 + month_reported[3]) as b3,
        coalesce(ytd_reported[4], b3 + month_reported[4]) as b4,
        coalesce(ytd_reported[5], b4 + month_reported[5]) as b5,
        coalesce(ytd_reported[6], b5 + month_reported[6]) as b6,
        coalesce(ytd_reported[7], b6 + month_reported[7]) as b7,
        coalesce(ytd_reported[8], b7 + month_reported[8]) as b8,
        coalesce(ytd_reported[9], b8 + month_reported[9]) as b9,
        coalesce(ytd_reported[10], b9 + month_reported[10]) as b10,
        coalesce(ytd_reported[11], b10 + month_reported[11]) as b11,
        coalesce(ytd_reported[12], b11 + month_reported[12]) as b12
    from by_year
),

months as (
    -- Back to one row per month; previous_* is the month before (0 before January,
    -- so that January's difference is its cumulative itself).
    select
        park_id,
        indicator,
        year,
        unnest(range(1, 13)) as month,
        unnest(month_reported) as month_reported,
        unnest(ytd_reported) as ytd_reported,
        unnest([b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12]) as ytd_base,
        unnest([0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11]) as previous_base,
        unnest(month_prior) as month_prior,
        unnest(ytd_prior) as ytd_prior,
        unnest(list_concat([0], ytd_prior[1:11])) as previous_ytd_prior,
        unnest(month_restated) as month_restated,
        unnest(ytd_restated) as ytd_restated,
        unnest(list_concat([0], ytd_restated[1:11])) as previous_ytd_restated
    from chained
),

month_values as (
    -- month: reported, else the difference of cumulatives, else (neither cumulative
    -- known) the difference of the restated ones.
    select
        *,
        make_date(year, month, 1) as period,
        coalesce(
            month_reported,
            ytd_base - previous_base,
            case when ytd_base is null and (month = 1 or previous_base is null)
                 then coalesce(month_restated, ytd_restated - previous_ytd_restated) end
        ) as month_value,
        coalesce(month_prior, ytd_prior - previous_ytd_prior) as prior_month_value
    from months
),

own_values as (
    select
        park_id,
        indicator,
        period,
        year,
        month,
        month_value,
        coalesce(ytd_base, ytd_restated) as ytd_value,
        month_reported is not null as month_is_reported,
        ytd_reported is not null as ytd_is_reported,
        prior_month_value,
        ytd_prior as prior_ytd_value
    from month_values
    where month_value is not null or ytd_base is not null or ytd_restated is not null
       or prior_month_value is not null or ytd_prior is not null
),

enterprise_sums as (
    select * from int_enterprise_park_flows
    where month_value is not null or ytd_value is not null
       or prior_month_value is not null or prior_ytd_value is not null
),

final as (
    select
        coalesce(o.park_id, e.park_id) as park_id,
        coalesce(o.indicator, e.indicator) as indicator,
        coalesce(o.period, e.period) as period,
        coalesce(o.year, e.year) as year,
        coalesce(o.month, e.month) as month,
        coalesce(o.month_value, e.month_value) as month_value,
        coalesce(o.ytd_value, e.ytd_value) as ytd_value,
        coalesce(o.month_is_reported, false) or (o.month_value is null and e.month_value is not null)
            as month_is_reported,
        coalesce(o.ytd_is_reported, false) or (o.ytd_value is null and e.ytd_value is not null)
            as ytd_is_reported,
        coalesce(o.prior_month_value, e.prior_month_value) as prior_month_value,
        coalesce(o.prior_ytd_value, e.prior_ytd_value) as prior_ytd_value,
        (o.month_value is null and e.month_value is not null) or (o.ytd_value is null and e.ytd_value is not null)
            as from_enterprises
    from own_values as o
    full join enterprise_sums as e
        on e.park_id = o.park_id and e.indicator = o.indicator and e.period = o.period
)

select * from final
