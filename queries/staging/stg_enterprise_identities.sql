-- stg_enterprise_identities: every name (and industry code) a sheet gave an enterprise, at its month.
-- Grain: one row per enterprise × month × name × code (null month: undated), of uploads in force.
-- Returns: enterprise_id, period, name, industry_code, industry_name, upload_id (the latest giving it).

with enterprise_identities as (
    select * from enterprise_identities
),

final as (
    select enterprise_id, period, name, industry_code, industry_name, max(upload_id) as upload_id
    from enterprise_identities
    group by enterprise_id, period, name, industry_code, industry_name
)

select * from final
