-- eval_schemes: stored evaluation schemes with their indicators.
-- Grain: one row per scheme × indicator (a scheme without indicators: one row, position null).
-- Parameters: $scheme_id (one scheme, or null for all).
-- Returns: scheme_id, name, class_a, class_b, class_c (percent), is_preset, note,
--          missing_rule ('renormalise' | 'unclassed', queries/schema/008_eval_missing_rule.sql),
--          position, metric, label, unit, direction, weight, benchmark_kind,
--          benchmark_value, cap. Presets first, then by name; indicators in order.

with eval_schemes as (
    select * from eval_schemes
),

eval_indicators as (
    select * from eval_indicators
),

final as (
    select
        s.scheme_id, s.name, s.class_a, s.class_b, s.class_c, s.is_preset, s.note, s.missing_rule,
        i.position, i.metric, i.label, i.unit, i.direction, i.weight,
        i.benchmark_kind, i.benchmark_value, i.cap
    from eval_schemes as s
    left join eval_indicators as i using (scheme_id)
    where $scheme_id is null or s.scheme_id = $scheme_id
    order by s.is_preset desc, s.scheme_id, i.position
)

select * from final
