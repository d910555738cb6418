-- stg_enterprise_observations: the value in force for each enterprise × indicator × period × basis.
-- Grain: one row per enterprise × indicator × month × basis (month, ytd, stock, month_prior, ytd_prior).
-- Rule: uploading again replaces (the latest upload wins), as stg_observations for parks.
-- Returns: enterprise_id, park_id (the park the file named, null: from the register), indicator,
--          period, year, month, basis, value, upload_id.
-- Units: canonical (万元, 亩, 万千瓦时, 人).

with enterprise_observations as (
    select * from enterprise_observations
),

latest as (
    select
        enterprise_id,
        indicator,
        period,
        basis,
        arg_max(value, upload_id) as value,
        arg_max(park_id, upload_id) as park_id,
        max(upload_id) as upload_id
    from enterprise_observations
    group by enterprise_id, indicator, period, basis
),

final as (
    select
        enterprise_id,
        park_id,
        indicator,
        period,
        year(period) as year,
        month(period) as month,
        basis,
        value,
        upload_id
    from latest
)

select * from final
