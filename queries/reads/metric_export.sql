-- metric_export: metric values for the command line and downloads.
-- Grain: one row per park × month × metric.
-- Parameters: $parks (list of canonical park names, or null for all),
--             $start, $end (first day of month, or null for open).
-- Returns: park, period ('YYYY-MM'), metric, value (null when unknown).

with metric_values as (
    select * from metric_values
),

final as (
    select
        park,
        strftime(period, '%Y-%m') as period,
        metric,
        value
    from metric_values
    where ($parks is null or list_contains($parks, park))
      and ($start is null or period >= $start)
      and ($end is null or period <= $end)
    order by park, period, metric
)

select * from final
