-- stg_enterprise_registers: the register (企业名录, N5) rows in force.
-- Grain: one row per park × register month (valid_from) × enterprise.
-- Rule: a register lists all of its park's firms at its date, so the latest
-- upload of a park's register for one month replaces that whole list (a firm
-- it leaves out is not on it).
-- Returns: enterprise_id, park_id, valid_from, above_scale, above_scale_since,
--          industry_code, industry_name.

with enterprise_registers as (
    select * from enterprise_registers
),

latest_upload as (
    select park_id, valid_from, max(upload_id) as upload_id
    from enterprise_registers
    group by park_id, valid_from
),

final as (
    select
        r.enterprise_id,
        r.park_id,
        r.valid_from,
        any_value(r.above_scale) as above_scale,
        any_value(r.above_scale_since) as above_scale_since,
        any_value(r.industry_code) as industry_code,
        any_value(r.industry_name) as industry_name
    from enterprise_registers as r
    join latest_upload as l using (park_id, valid_from, upload_id)
    group by r.enterprise_id, r.park_id, r.valid_from
)

select * from final
