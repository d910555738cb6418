-- int_enterprise_members: which park each enterprise belongs to at each month, and
-- what it is there (规上, industry, leading industry).
-- Grain: one row per enterprise × month it belongs to a park.
-- Returns: enterprise_id, park_id, period, year, month, above_scale (规上 at that
--          month), industry_code, in_leading (its code falls in a leading group of
--          the park in force at that month), from_register.
--
-- Rules (docs/enterprises.md rules 3, 4, and N5):
--   A park's register (the latest one dated at or before the month) lists all of its
--   firms: a firm missing from it has left the park; a firm on a later register of
--   another park has moved there (of two parks' registers, the later one wins).
--   A firm is 规上 from its 入规年月 (above_scale_since) on; a register that does not
--   say (above_scale null) lists 规上 firms, as the 规上企业名录 do.
--   Where a park has no register in force, the firms its own sheets name (N1's
--   所属园区, or --park) at that month are its firms.
--   Industry code: the register's, else the latest code a sheet gave the firm; a
--   firm with no code at all takes the code of its industry name (the register's,
--   else the latest a sheet gave) from the name → code table (industry_name_codes,
--   edited by the user), else from an exact GB/T 4754 大类 name (industry_codes).
--   Names match with every space removed (half- and full-width).
-- The months: from the first to the last month any enterprise row speaks of.

with observations as (
    select * from stg_enterprise_observations
),

registers as (
    select * from stg_enterprise_registers
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

bounds as (
    select min(period) as first_month, max(period) as last_month
    from (
        select period from observations
        union all
        select (period - interval 1 year)::date from observations where basis in ('month_prior', 'ytd_prior')
        union all
        select valid_from from registers
    )
),

calendar as (
    select unnest(generate_series(first_month, last_month, interval 1 month))::date as period
    from bounds
    where first_month is not null
),

snapshot_in_force as (
    -- each park's register month in force at each month
    select c.period, s.park_id, max(s.valid_from) as valid_from
    from calendar as c
    join (select distinct park_id, valid_from from registers) as s on s.valid_from <= c.period
    group by c.period, s.park_id
),

registered as (
    select
        r.enterprise_id,
        r.park_id,
        s.period,
        r.above_scale,
        r.above_scale_since,
        r.industry_code,
        r.industry_name
    from snapshot_in_force as s
    join registers as r using (park_id, valid_from)
    qualify row_number() over (partition by r.enterprise_id, s.period order by r.valid_from desc, r.park_id) = 1
),

named as (
    -- firms a park's own sheets name, in months when that park has no register
    select distinct o.enterprise_id, o.park_id, o.period, null::boolean as above_scale,
           null::date as above_scale_since, null::varchar as industry_code, null::varchar as industry_name
    from observations as o
    where o.park_id is not null
      and not exists (select 1 from snapshot_in_force as s where s.park_id = o.park_id and s.period = o.period)
      and not exists (select 1 from registered as r where r.enterprise_id = o.enterprise_id and r.period = o.period)
),

members as (
    select *, true as from_register from registered
    union all
    select *, false as from_register from named
),

coded_by_sheet as (
    select
        m.*,
        coalesce(m.industry_code, (
            select arg_max(i.industry_code, i.period) from identities as i
            where i.enterprise_id = m.enterprise_id and (i.period is null or i.period <= m.period)
        )) as sheet_code,
        regexp_replace(coalesce(m.industry_name, (
            select arg_max(i.industry_name, i.period) from named_industries as i
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
