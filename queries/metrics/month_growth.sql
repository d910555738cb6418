-- month_growth: 本月同比 and 环比 of output and tax.
-- Grain: one row per park × month of int_park_months.
-- Returns: output_yoy, tax_yoy (month ÷ same month a year earlier − 1),
--          output_mom, tax_mom (month ÷ previous month − 1; January against December).
-- Base of 同比: the restated same month a year earlier printed with the period
-- where a sheet gave one (上年同期, rule 4), else the month a year earlier.
-- Units: percent. Null over an unknown, zero or negative base.

with park_months as (
    select * from int_park_months
),

months as (
    select park_id, indicator, period, month_value, prior_month_value
    from int_flow_values
    where indicator in ('output', 'tax') and month_value is not null
),

paired as (
    select
        cur.park_id,
        cur.indicator,
        cur.period,
        cur.month_value,
        coalesce(cur.prior_month_value, last_year.month_value) as same_month_last_year,
        previous.month_value as previous_month
    from months as cur
    left join months as last_year
        on last_year.park_id = cur.park_id
        and last_year.indicator = cur.indicator
        and last_year.period = cast(cur.period - interval 1 year as date)
    left join months as previous
        on previous.park_id = cur.park_id
        and previous.indicator = cur.indicator
        and previous.period = cast(cur.period - interval 1 month as date)
),

growth as (
    select
        park_id,
        indicator,
        period,
        case when same_month_last_year > 0
             then 100 * (month_value / same_month_last_year - 1) end as yoy,
        case when previous_month > 0
             then 100 * (month_value / previous_month - 1) end as mom
    from paired
),

final as (
    select
        pm.park_id,
        pm.period,
        max(g.yoy) filter (where g.indicator = 'output') as output_yoy,
        max(g.yoy) filter (where g.indicator = 'tax') as tax_yoy,
        max(g.mom) filter (where g.indicator = 'output') as output_mom,
        max(g.mom) filter (where g.indicator = 'tax') as tax_mom
    from park_months as pm
    left join growth as g on g.park_id = pm.park_id and g.period = pm.period
    group by pm.park_id, pm.period
)

select * from final
