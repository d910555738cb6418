-- per_mu: 亩均 metrics — cumulative flow ÷ land area in force at the period.
-- Grain: one row per park × month of int_park_months.
-- Returns: tax_per_mu, tax_per_mu_annual, output_per_mu, value_added_per_mu,
--          revenue_per_mu.
-- Units: 万元/亩. tax_per_mu_annual = tax_per_mu × 12 ÷ N for month N (the
-- statistics system's annualising rule for cumulative data).
-- Null when the cumulative or the land area is unknown, or the land is 0.

with park_months as (
    select * from int_park_months
),

flows as (
    select * from int_flow_values
),

land as (
    select park_id, period, value as land_mu
    from int_stock_values
    where indicator = 'land_area'
),

cumulative as (
    select
        park_id,
        period,
        max(ytd_value) filter (where indicator = 'tax') as tax_ytd,
        max(ytd_value) filter (where indicator = 'output') as output_ytd,
        max(ytd_value) filter (where indicator = 'value_added') as value_added_ytd,
        max(ytd_value) filter (where indicator = 'revenue') as revenue_ytd
    from flows
    where indicator in ('tax', 'output', 'value_added', 'revenue')
    group by park_id, period
),

ratios as (
    select
        pm.park_id,
        pm.period,
        pm.month,
        c.tax_ytd / nullif(l.land_mu, 0) as tax_per_mu,
        c.output_ytd / nullif(l.land_mu, 0) as output_per_mu,
        c.value_added_ytd / nullif(l.land_mu, 0) as value_added_per_mu,
        c.revenue_ytd / nullif(l.land_mu, 0) as revenue_per_mu
    from park_months as pm
    left join cumulative as c on c.park_id = pm.park_id and c.period = pm.period
    left join land as l on l.park_id = pm.park_id and l.period = pm.period
),

final as (
    select
        park_id,
        period,
        tax_per_mu,
        tax_per_mu * 12 / month as tax_per_mu_annual,
        output_per_mu,
        value_added_per_mu,
        revenue_per_mu
    from ratios
)

select * from final
