-- enterprise_metric_values: the metrics of each enterprise (docs/enterprises.md,
-- "Metrics per enterprise"), long: metrics/enterprise_metrics unpivoted.
-- Grain: one row per enterprise × month × metric.
-- Returns: enterprise_id, park_id, period, metric, value (null where an input is unknown).
-- Metrics and units: as metrics/enterprise_metrics.

with enterprise_metrics as (
    select * exclude (month, above_scale, industry_code, in_leading) from enterprise_metrics
),

final as (
    select enterprise_id, park_id, period, metric, cast(value as double) as value
    from enterprise_metrics
    unpivot include nulls (value for metric in (columns(* exclude (enterprise_id, park_id, period))))
)

select * from final
