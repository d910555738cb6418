-- eval_adjustments: the 调档 audit list.
-- Grain: one row per adjustment, oldest first.
-- Parameters: $scheme_id, $period (first day of the month), $peer_set (group name,
--   '' for the default peer set, the parks with a value in the month: macros/peer_values.sql); each null for any.
-- Returns: adjustment_id, scheme_id, scheme_name, peer_set, period, park, from_class,
--          to_class, reason, adjusted_by, adjusted_at.

with eval_adjustments as (
    select * from eval_adjustments
),

final as (
    select adjustment_id, scheme_id, scheme_name, peer_set, period, park, from_class, to_class,
           reason, adjusted_by, adjusted_at
    from eval_adjustments
    where ($scheme_id is null or scheme_id = $scheme_id)
      and ($period is null or period = $period)
      and ($peer_set is null or peer_set = $peer_set)
    order by adjustment_id
)

select * from final
