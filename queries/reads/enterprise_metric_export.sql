-- enterprise_metric_export: the metrics of each enterprise for the command line
-- (`metrics --level enterprise`) and downloads.
-- Grain: one row per park × enterprise × month × metric.
-- Parameters: $readable (the park names whose firms the reader may see, never null:
--             parkbench.store.accounts.firm_parks; an empty list returns no row),
--             $parks (canonical park names, or null for all), $start, $end (first
--             day of month, or null for open).
-- Returns: park, enterprise (its latest name), credit_code (null when no sheet gave
--          one), period ('YYYY-MM'), metric, value (null when unknown).
-- Who may see these rows (docs/enterprises.md rule 5) is decided by the caller,
-- parkbench/store/firms.py, and applied here through $readable.

with metrics as (
    select * from enterprise_metric_values
),

names as (
    select * from int_enterprise_names
),

parks as (
    select * from parks
),

final as (
    select
        p.name as park,
        coalesce(n.enterprise, '企业' || m.enterprise_id::varchar) as enterprise,
        n.credit_code,
        strftime(m.period, '%Y-%m') as period,
        m.metric,
        m.value
    from metrics as m
    join parks as p on p.park_id = m.park_id
    left join names as n on n.enterprise_id = m.enterprise_id
    where list_contains($readable::varchar[], p.name)
      and ($parks is null or list_contains($parks, p.name))
      and ($start is null or m.period >= $start)
      and ($end is null or m.period <= $end)
    order by park, enterprise, credit_code, period, metric
)

select * from final
