-- eval_scheme_delete: remove a scheme (its adjustments stay in the audit list).
-- Parameters: $scheme_id.

delete from eval_schemes where scheme_id = $scheme_id
