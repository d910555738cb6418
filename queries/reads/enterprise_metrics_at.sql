-- enterprise_metrics_at: each enterprise's metrics at some months, wide, with what it
-- is there (park, 规上, industry) — the rows the enterprise evaluation scores.
-- Grain: one row per enterprise × month of $periods it belongs to a park with a value
--        of its own in that year (metrics/enterprise_metrics, materialised).
-- Parameters: $periods (list of first days of months), $readable (park names whose firms
--             the reader may see: parkbench.store.accounts.firm_parks; never null),
--             $parks (canonical park names, or null for every readable park).
-- Returns: period, enterprise_id, park_id, park, above_scale (规上 at the month),
--          industry_code (GB/T 4754-2017, null: unknown), and the metrics of
--          metrics/enterprise_metrics as columns (units there: 万元, 亩, 万元/亩, %).

with firm_metrics as (
    select * from enterprise_metrics
    where list_contains($periods::date[], period)
),

parks as (
    select * from parks
),

final as (
    select
        f.period,
        f.enterprise_id,
        f.park_id,
        p.name as park,
        f.above_scale,
        f.industry_code,
        f.* exclude (period, enterprise_id, park_id, month, above_scale, industry_code, in_leading)
    from firm_metrics as f
    join parks as p on p.park_id = f.park_id
    where list_contains($readable::varchar[], p.name)
      and ($parks is null or list_contains($parks, p.name))
)

select * from final
