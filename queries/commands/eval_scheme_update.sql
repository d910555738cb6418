-- eval_scheme_update: rename a scheme or change its class cut-offs.
-- Parameters: $scheme_id, $scheme_name, $class_a, $class_b, $class_c (percent), $note.

update eval_schemes
set name = $scheme_name, class_a = $class_a, class_b = $class_b, class_c = $class_c, note = $note,
    updated_at = current_timestamp
where scheme_id = $scheme_id
