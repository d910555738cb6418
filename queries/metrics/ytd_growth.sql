-- ytd_growth: 累计同比 — cumulative value ÷ the same cumulative a year earlier − 1.
-- Grain: one row per park × month of int_park_months.
-- Returns: output_ytd_yoy, tax_ytd_yoy, fixed_investment_ytd_yoy.
-- Base: the restated 上年同期累计 printed with the period where a sheet gave one
-- (rule 4), else the cumulative of the same month a year earlier.
-- Units: percent. Null over an unknown, zero or negative base. The growth a
-- sheet published itself is in reported_growth, not here.

with park_months as (
    select * from int_park_months
),

cumulative as (
    select park_id, indicator, period, ytd_value, prior_ytd_value
    from int_flow_values
    where indicator in ('output', 'tax', 'fixed_investment')
),

growth as (
    select
        cur.park_id,
        cur.indicator,
        cur.period,
        coalesce(cur.prior_ytd_value, last_year.ytd_value) as base,
        case when base > 0 then 100 * (cur.ytd_value / base - 1) end as ytd_yoy
    from cumulative as cur
    left join cumulative as last_year
        on last_year.park_id = cur.park_id
        and last_year.indicator = cur.indicator
        and last_year.period = cast(cur.period - interval 1 year as date)
),

final as (
    select
        pm.park_id,
        pm.period,
        max(g.ytd_yoy) filter (where g.indicator = 'output') as output_ytd_yoy,
        max(g.ytd_yoy) filter (where g.indicator = 'tax') as tax_ytd_yoy,
        max(g.ytd_yoy) filter (where g.indicator = 'fixed_investment') as fixed_investment_ytd_yoy
    from park_months as pm
    left join growth as g on g.park_id = pm.park_id and g.period = pm.period
    group by pm.park_id, pm.period
)

select * from final
