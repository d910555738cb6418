-- eval_scheme_insert: a new evaluation scheme (its indicators follow with eval_indicator_add).
-- Parameters: $scheme_name, $class_a, $class_b, $class_c (percent), $note,
--   $missing_rule ('renormalise' | 'unclassed': what a park missing an indicator gets).
-- Returns: scheme_id.

insert into eval_schemes (name, class_a, class_b, class_c, note, missing_rule)
values ($scheme_name, $class_a, $class_b, $class_c, $note, $missing_rule)
returning scheme_id
