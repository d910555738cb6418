-- int_stock_values: land area, firms and employees in force at each park-month.
-- Grain: one row per park × stock indicator × month of int_park_months.
-- Rule: a stock holds from its period until the next one reported (as-of
-- join), so land reported once a year serves every month after it; it
-- never reaches back before its first report.
-- Sums over enterprises (int_enterprise_park_stocks) fill the months the park's
-- own stocks leave unknown (docs/enterprises.md rule 3: the park's own figure
-- wins); reported_period is then the month itself, from_enterprises true.
-- Units: 亩, 户, 人.

with observations as (
    select * from stg_observations
),

stocks as (
    select park_id, indicator, period, value
    from observations
    where basis = 'stock'
),

park_months as (
    select * from int_park_months
),

enterprise_sums as (
    select park_id, indicator, period, value from int_enterprise_park_stocks
    where value is not null
),

park_stock_indicators as (
    select distinct park_id, indicator from stocks
    union
    select distinct park_id, indicator from enterprise_sums
),

spine as (
    select pm.park_id, psi.indicator, pm.period
    from park_months as pm
    join park_stock_indicators as psi on psi.park_id = pm.park_id
),

as_of as (
    select
        spine.park_id,
        spine.indicator,
        spine.period,
        stocks.value,
        stocks.period as reported_period
    from spine
    asof left join stocks
        on stocks.park_id = spine.park_id
        and stocks.indicator = spine.indicator
        and spine.period >= stocks.period
),

combined as (
    select
        a.park_id,
        a.indicator,
        a.period,
        coalesce(a.value, e.value) as value,
        case when a.value is not null then a.reported_period else e.period end as reported_period,
        a.value is null and e.value is not null as from_enterprises
    from as_of as a
    left join enterprise_sums as e on e.park_id = a.park_id and e.indicator = a.indicator and e.period = a.period
),

final as (
    select * from combined where value is not null
)

select * from final
