-- efficiency: resource-efficiency metrics the 亩均 evaluation schemes score
-- (energy, R&D, labour), from the indicators a park's sheets carry.
-- Grain: one row per park × month of int_park_months.
-- Returns:
--   energy_per_output       综合能耗 ÷ 工业总产值, cumulative (吨标准煤/万元; lower is better)
--   value_added_per_energy  工业增加值 ÷ 综合能耗, cumulative (万元/吨标准煤, 单位能耗增加值)
--   tax_per_energy          税收 ÷ 综合能耗, cumulative (万元/吨标准煤, 单位能耗税收)
--   labour_productivity     工业增加值 ÷ 从业人员, annualised × 12 ÷ N for month N (万元/人·年)
--   rd_intensity            研发经费 ÷ 营业收入 × 100, cumulative (%, 研发投入强度)
-- Null when an input is unknown or the divisor is 0.

with park_months as (
    select * from int_park_months
),

flows as (
    select * from int_flow_values
),

employees as (
    select park_id, period, value as employees
    from int_stock_values
    where indicator = 'employees'
),

cumulative as (
    select
        park_id,
        period,
        max(ytd_value) filter (where indicator = 'energy') as energy_ytd,
        max(ytd_value) filter (where indicator = 'output') as output_ytd,
        max(ytd_value) filter (where indicator = 'value_added') as value_added_ytd,
        max(ytd_value) filter (where indicator = 'tax') as tax_ytd,
        max(ytd_value) filter (where indicator = 'rd_spend') as rd_ytd,
        max(ytd_value) filter (where indicator = 'revenue') as revenue_ytd
    from flows
    where indicator in ('energy', 'output', 'value_added', 'tax', 'rd_spend', 'revenue')
    group by park_id, period
),

final as (
    select
        pm.park_id,
        pm.period,
        c.energy_ytd / nullif(c.output_ytd, 0) as energy_per_output,
        c.value_added_ytd / nullif(c.energy_ytd, 0) as value_added_per_energy,
        c.tax_ytd / nullif(c.energy_ytd, 0) as tax_per_energy,
        c.value_added_ytd * 12 / pm.month / nullif(e.employees, 0) as labour_productivity,
        100 * c.rd_ytd / nullif(c.revenue_ytd, 0) as rd_intensity
    from park_months as pm
    left join cumulative as c on c.park_id = pm.park_id and c.period = pm.period
    left join employees as e on e.park_id = pm.park_id and e.period = pm.period
)

select * from final
