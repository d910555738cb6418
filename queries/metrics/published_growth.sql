-- published_growth: 报送增速 — growth rates as the sheets published them.
-- Grain: one row per park × month × indicator × basis that a sheet reported.
-- Returns: metric = <indicator>_ytd_yoy_reported (累计同比) or
--          <indicator>_yoy_reported (本月同比), value.
-- Units: percent.

with reported as (
    select * from stg_reported_growth
),

final as (
    select
        park_id,
        period,
        indicator || case basis when 'ytd' then '_ytd_yoy_reported' else '_yoy_reported' end as metric,
        value
    from reported
)

select * from final
