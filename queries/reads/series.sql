-- series: metric values over time for a set of parks.
-- Grain: one row per park × month × metric with a value.
-- Parameters: $metrics (list of metric ids), $parks (list of names, or null).
-- Returns: park, period, metric, value (unit of the metric).

with metric_values as (
    select * from metric_values
),

final as (
    select park, period, metric, value
    from metric_values
    where list_contains($metrics, metric)
      and value is not null
      and ($parks is null or list_contains($parks, park))
    order by park, metric, period
)

select * from final
