-- eval_adjustment_add: one 调档 in the audit list (rows are never changed or deleted).
-- Parameters: $scheme_id, $scheme_name, $peer_set (group name or ''), $period (first day
--   of the month), $park_id, $park, $from_class, $to_class, $reason, $adjusted_by.

insert into eval_adjustments
    (scheme_id, scheme_name, peer_set, period, park_id, park, from_class, to_class, reason, adjusted_by)
values ($scheme_id, $scheme_name, $peer_set, $period, $park_id, $park, $from_class, $to_class, $reason, $adjusted_by)
