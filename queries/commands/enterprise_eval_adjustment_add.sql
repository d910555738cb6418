-- enterprise_eval_adjustment_add: one 调档 of a firm in the audit list (rows are never
-- changed or deleted).
-- Parameters: $scheme_id, $scheme_name, $period (first day of the month), $enterprise_id,
--   $enterprise, $park, $population (text), $from_class, $to_class, $reason, $adjusted_by.

insert into enterprise_eval_adjustments
    (scheme_id, scheme_name, period, enterprise_id, enterprise, park, population, from_class, to_class,
     reason, adjusted_by)
values ($scheme_id, $scheme_name, $period, $enterprise_id, $enterprise, $park, $population, $from_class,
        $to_class, $reason, $adjusted_by)
