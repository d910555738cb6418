-- int_park_months: the months for which a park has any stored value (levels,
-- published growth or an industry breakdown).
-- Grain: one row per park × month. Every metric is reported on this spine.

with observed as (
    select park_id, period from stg_observations
    union
    select park_id, period from stg_reported_growth
    union
    select park_id, period from stg_industries
),

final as (
    select distinct park_id, period, year(period) as year, month(period) as month
    from observed
)

select * from final
