-- eval_scheme_update: rename a scheme or change its class cut-offs or its rule for 缺报.
-- Parameters: $scheme_id, $scheme_name, $class_a, $class_b, $class_c (percent), $note,
--   $missing_rule ('renormalise' | 'unclassed').

update eval_schemes
set name = $scheme_name, class_a = $class_a, class_b = $class_b, class_c = $class_c, note = $note,
    missing_rule = $missing_rule,
    updated_at = current_timestamp
where scheme_id = $scheme_id
