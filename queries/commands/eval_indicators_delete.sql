-- eval_indicators_delete: remove every indicator of a scheme (before writing them again).
-- Parameters: $scheme_id.

delete from eval_indicators where scheme_id = $scheme_id
