-- eval_indicator_add: one indicator of a scheme.
-- Parameters: $scheme_id, $position (1-based), $metric, $label, $unit, $direction
--   ('higher' | 'lower'), $weight, $benchmark_kind ('mean' | 'max' | 'value'),
--   $benchmark_value (number or null), $cap (ratio cap or null).

insert into eval_indicators
    (scheme_id, position, metric, label, unit, direction, weight, benchmark_kind, benchmark_value, cap)
values ($scheme_id, $position, $metric, $label, $unit, $direction, $weight, $benchmark_kind, $benchmark_value, $cap)
