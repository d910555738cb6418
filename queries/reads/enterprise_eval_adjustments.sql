-- enterprise_eval_adjustments: the 调档 audit list of enterprises.
-- Grain: one row per adjustment, oldest first.
-- Parameters: $scheme_id, $periods (list of first days of months), each null for any;
--   $readable (park names whose firms the reader may see: accounts.firm_parks; never null).
-- Returns: adjustment_id, scheme_id, scheme_name, period, enterprise_id, enterprise, park,
--          population, from_class, to_class, reason, adjusted_by, adjusted_at.

with enterprise_eval_adjustments as (
    select * from enterprise_eval_adjustments
),

final as (
    select *
    from enterprise_eval_adjustments
    where ($scheme_id is null or scheme_id = $scheme_id)
      and ($periods is null or list_contains($periods::date[], period))
      and list_contains($readable::varchar[], park)
    order by adjustment_id
)

select * from final
