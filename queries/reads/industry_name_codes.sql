-- industry_name_codes: the user's name → code table (行业名称 → GB/T 4754-2017 code) for
-- firms whose sheets give no code.
-- Grain: one row per name. Parameters: none.
-- Returns: name (as typed), code (digits), updated_by, updated_at.

with industry_name_codes as (
    select * from industry_name_codes
),

final as (
    select name, code, updated_by, updated_at
    from industry_name_codes
    order by name
)

select * from final
