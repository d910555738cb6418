-- industry_code_names: the GB/T 4754-2017 names shipped in data/gbt4754_2017.csv.
-- Grain: one row per code (门类 letter, 大类 two digits). Parameters: none.
-- Returns: code, level ('门类' | '大类'), section (the 门类 letter), name.

with industry_codes as (
    select * from industry_codes
),

final as (
    select code, level, section, name
    from industry_codes
    order by code
)

select * from final
