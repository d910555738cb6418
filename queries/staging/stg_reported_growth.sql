-- stg_reported_growth: the growth rate a sheet itself published, latest upload wins.
-- Grain: one row per park × indicator × month × basis (month = 本月同比, ytd = 累计同比).
-- Units: percent (22.5 means 22.5 %).

with reported_growth as (
    select * from reported_growth
),

final as (
    select
        park_id,
        indicator,
        period,
        basis,
        arg_max(value, upload_id) as value
    from reported_growth
    group by park_id, indicator, period, basis
)

select * from final
