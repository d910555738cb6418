-- stg_observations: the value in force for each park × indicator × period × basis.
-- Grain: one row per park × indicator × month × basis (month, ytd, stock).
-- Rule: uploading again replaces, so the latest upload's value wins; older
-- versions stay in observations so that undo can bring them back.
-- Units: canonical (万元, 亩, 户, 人).

with observations as (
    select * from observations
),

latest as (
    select
        park_id,
        indicator,
        period,
        basis,
        arg_max(value, upload_id) as value,
        max(upload_id) as upload_id
    from observations
    group by park_id, indicator, period, basis
),

final as (
    select
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
