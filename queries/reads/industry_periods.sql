-- industry_periods: months with an industry breakdown, latest first.
-- Grain: one row per month. Parameters: none. Returns: period, parks.

with industries as (
    select * from stg_industries
),

final as (
    select period, count(distinct park_id) as parks
    from industries
    group by period
    order by period desc
)

select * from final
