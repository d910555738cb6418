-- int_park_months: the months for which a park has any stored value (levels,
-- published growth or an industry breakdown), and the months a year before a
-- restated prior-year value (上年同期) was printed: where nothing else reports that
-- earlier year, the restated value stands in for it (input-formats rule 4), and
-- that year's metrics follow from it.
-- A park with enterprise rows also has the months where a sum over its firms is
-- known (int_enterprise_park_flows), so that a park uploading only enterprise rows
-- has every metric.
-- Grain: one row per park × month. Every metric is reported on this spine.

with observed as (
    select park_id, period from stg_observations
    union
    select park_id, period - interval 1 year from stg_observations
    where basis in ('month_prior', 'ytd_prior')
    union
    select park_id, period from stg_reported_growth
    union
    select park_id, period from stg_industries
    union
    select park_id, period from int_enterprise_park_flows
    where month_value is not null or ytd_value is not null
       or prior_month_value is not null or prior_ytd_value is not null
),

final as (
    select distinct park_id, period, year(period) as year, month(period) as month
    from observed
)

select * from final
