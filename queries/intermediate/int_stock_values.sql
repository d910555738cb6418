-- int_stock_values: land area, firms and employees in force at each park-month.
-- Grain: one row per park × stock indicator × month of int_park_months.
-- Rule: a stock holds from its period until the next one reported (as-of
-- join), so land reported once a year serves every month after it; it
-- never reaches back before its first report.
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

park_stock_indicators as (
    select distinct park_id, indicator from stocks
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

final as (
    select * from as_of where value is not null
)

select * from final
