-- park_metric_value: one park's own value of one metric in one month, as every
-- park page shows it (metric_values).
-- Grain: at most one row. Parameters: $park (canonical name), $period (first
-- day of the month), $metric (metric id). Returns: value (the metric's unit,
-- metrics.md; null or no row where it is not known).
-- Read by models.enterprises.park_metric.

with metric_values as (
    select * from metric_values
),

final as (
    select value
    from metric_values
    where park = $park and period = $period and metric = $metric
)

select * from final
