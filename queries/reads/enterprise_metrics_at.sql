-- enterprise_metrics_at: each enterprise's metrics at some months, wide, with what it
-- is there (park, 规上, industry) — the rows the enterprise evaluation scores.
-- Run inside parkbench.models.sql.firm_months (the enterprise models at those months only).
-- Grain: one row per enterprise × month of $periods it belongs to a park with a value
--        of its own in that year.
-- Parameters: $periods (list of first days of months), $readable (park names whose firms
--             the reader may see: parkbench.store.accounts.firm_parks; never null),
--             $parks (canonical park names, or null for every readable park).
-- Returns: period, enterprise_id, park_id, park, above_scale (规上 at the month),
--          industry_code (GB/T 4754-2017, null: unknown), and the metrics of
--          metrics/enterprise_metric_values as columns (units there: 万元, 亩, 万元/亩, %).

with metrics as (
    select * from enterprise_metric_values
    where list_contains($periods::date[], period)
),

members as (
    select * from int_enterprise_members
),

parks as (
    select * from parks
),

wide as (
    pivot metrics on metric in ('output_ytd', 'tax_ytd', 'revenue_ytd', 'land_area', 'tax_per_mu',
                                'tax_per_mu_annual', 'output_per_mu', 'revenue_per_mu', 'output_ytd_yoy',
                                'tax_ytd_yoy', 'output_per_kwh')
    using any_value(value)
    group by enterprise_id, park_id, period
),

final as (
    select
        w.period,
        w.enterprise_id,
        w.park_id,
        p.name as park,
        m.above_scale,
        m.industry_code,
        w.* exclude (period, enterprise_id, park_id)
    from wide as w
    join parks as p on p.park_id = w.park_id
    left join members as m on m.enterprise_id = w.enterprise_id and m.period = w.period
    where list_contains($readable::varchar[], p.name)
      and ($parks is null or list_contains($parks, p.name))
)

select * from final
