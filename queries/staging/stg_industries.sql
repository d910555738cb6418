-- stg_industries: industry breakdown per park, latest upload wins.
-- Grain: one row per park × period × industry.
-- Units: output in 万元, firms in 户.

with industries as (
    select * from industries
),

final as (
    select
        park_id,
        period,
        industry,
        arg_max(is_leading, upload_id) as is_leading,
        arg_max(output, upload_id) as output,
        arg_max(firms, upload_id) as firms
    from industries
    group by park_id, period, industry
)

select * from final
