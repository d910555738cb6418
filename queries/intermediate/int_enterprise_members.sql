-- int_enterprise_members: which park each enterprise belongs to at each month, and
-- what it is there (规上, industry, leading industry).
-- Grain: one row per enterprise × month it belongs to a park.
-- Returns: enterprise_id, park_id, period, year, month, above_scale (规上 at that
--          month), industry_code, in_leading (its code falls in a leading group of
--          the park in force at that month), from_register.
--
-- Rules (docs/enterprises.md rules 3, 4, and N5): the park as int_enterprise_placements
-- places the firm at that month (registers, else the park's own sheets).
--   A firm is 规上 from its 入规年月 (above_scale_since) on; a register that does not
--   say (above_scale null) lists 规上 firms, as the 规上企业名录 do.
--   Industry code: the register's, else the latest code a sheet gave the firm (a code
--   given with no month holds for every month, until a dated one); a
--   firm with no code at all takes the code of its industry name (the register's,
--   else the latest a sheet gave) from the name → code table (industry_name_codes,
--   edited by the user), else from an exact GB/T 4754 大类 name (industry_codes).
--   Names match with every space removed (half- and full-width).

with members as (
    select * from int_enterprise_placements
),

leading_lists as (
    select * from stg_leading_groups
),

identities as (
    select * from stg_enterprise_identities where industry_code is not null
),

named_industries as (
    select * from stg_enterprise_identities where industry_name is not null
),

name_codes as (
    -- the user's table first; an exact 大类 name where the user's table has no row
    select name_key, code from industry_name_codes
    union all
    select regexp_replace(name, '[\s\x{3000}]', '', 'g') as name_key, code
    from industry_codes
    where level = '大类'
      and regexp_replace(name, '[\s\x{3000}]', '', 'g') not in (select name_key from industry_name_codes)
),

coded_by_sheet as (
    select
        m.*,
        coalesce(m.industry_code, (
            select arg_max(i.industry_code, coalesce(i.period, date '0001-01-01')) from identities as i
            where i.enterprise_id = m.enterprise_id and (i.period is null or i.period <= m.period)
        )) as sheet_code,
        regexp_replace(coalesce(m.industry_name, (
            select arg_max(i.industry_name, coalesce(i.period, date '0001-01-01')) from named_industries as i
            where i.enterprise_id = m.enterprise_id and (i.period is null or i.period <= m.period)
        )), '[\s\x{3000}]', '', 'g') as name_key
    from members as m
),

coded as (
    select c.*, coalesce(c.sheet_code, n.code) as code
    from coded_by_sheet as c
    left join name_codes as n on c.sheet_code is null and n.name_key = c.name_key
),

final as (
    select
        c.enterprise_id,
        c.park_id,
        c.period,
        year(c.period) as year,
        month(c.period) as month,
        coalesce(c.above_scale, true) and (c.above_scale_since is null or c.above_scale_since <= c.period)
            as above_scale,
        c.code as industry_code,
        exists (
            select 1 from leading_lists as l
            where l.park_id = c.park_id and l.valid_from <= c.period
              and (l.valid_to is null or c.period < l.valid_to)
              and starts_with(c.code, l.prefix)
        ) as in_leading,
        c.from_register
    from coded as c
)

select * from final
