-- int_enterprise_flow_values: month and cumulative values of every flow of every
-- enterprise, and the restated prior-year bases printed with each month.
-- Grain: one row per enterprise × flow indicator × month with any value known.
-- Returns: enterprise_id, indicator, period, year, month, month_value, ytd_value,
--          month_is_reported, ytd_is_reported, prior_month_value, prior_ytd_value.
-- Units: canonical (万元 for money, 万千瓦时 for electricity).
--
-- Rules: the park rules, firm by firm (docs/enterprises.md rule 2 and the last
-- line of rule 3), worked exactly as intermediate/int_flow_values.sql works them
-- for a park — a month from two cumulatives, a cumulative from months, `1-2月` a
-- cumulative with no January of its own, a missing month leaving the cumulative
-- unknown, and the restated 上年同期 values standing in cell by cell for a year
-- nothing reported. The chain below is that model's, keyed by enterprise; a change
-- to one is a change to both (tests/test_enterprise_models.py runs the same ledger
-- through both).

with firm_observations as (
    select * from stg_enterprise_observations
),

indicators as (
    select * from indicators
),

flows as (
    select o.enterprise_id, o.indicator, o.year, o.month, o.basis, o.value
    from firm_observations as o
    left join indicators as i on i.indicator = o.indicator
    where o.basis in ('month', 'ytd', 'month_prior', 'ytd_prior')
      and coalesce(i.kind, 'flow') = 'flow'
),

printed as (
    -- Each 上年同期 value also describes the month a year before it was printed
    -- (month_restated / ytd_restated there): a union, not a second join.
    select enterprise_id, indicator, year, month, basis, value from flows
    union all
    select enterprise_id, indicator, year - 1, month, replace(basis, '_prior', '_restated'), value
    from flows
    where basis in ('month_prior', 'ytd_prior')
),

by_basis as (
    -- The twelve months of one basis side by side: [January, …, December].
    select
        enterprise_id,
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
    group by enterprise_id, indicator, year, basis
),

by_year as (
    select
        enterprise_id,
        indicator,
        year,
        any_value(by_month) filter (where basis = 'month') as month_reported,
        any_value(by_month) filter (where basis = 'ytd') as ytd_reported,
        any_value(by_month) filter (where basis = 'month_prior') as month_prior,
        any_value(by_month) filter (where basis = 'ytd_prior') as ytd_prior,
        any_value(by_month) filter (where basis = 'month_restated') as month_restated,
        any_value(by_month) filter (where basis = 'ytd_restated') as ytd_restated
    from by_basis
    group by enterprise_id, indicator, year
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
        enterprise_id,
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

final as (
    select
        enterprise_id,
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
)

select * from final
