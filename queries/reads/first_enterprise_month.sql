-- first_enterprise_month: the first month any firm's value is stored for.
-- Grain: one row. Parameters: none. Returns: first (date; null without firm values).
-- Read by models.firm_evaluation.history_periods (the years a firm's class history covers).

with enterprise_observations as (
    select * from enterprise_observations
),

final as (
    select min(period) as first
    from enterprise_observations
)

select * from final
