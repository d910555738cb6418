-- metric_ids: every metric with at least one known value (computed or as published).
-- Grain: one row per metric id. Returns: metric.

with metric_values as (
    select * from metric_values
),

final as (
    select distinct metric from metric_values where value is not null order by metric
)

select * from final
