-- int_enterprise_placements: which park each enterprise belongs to at each month, as
-- its park's register (or the park's own sheets) place it, before its industry is worked out.
-- Grain: one row per enterprise × month it belongs to a park.
-- Returns: enterprise_id, park_id, period, above_scale, above_scale_since, industry_code,
--          industry_name (the register's, null where a sheet named the park), from_register.
--
-- Rules (docs/enterprises.md rules 3 and N5):
--   A park's register (the latest one dated at or before the month) lists all of its
--   firms: a firm missing from it has left the park; a firm on a later register of
--   another park has moved there (of two parks' registers, the later one wins).
--   Where a park has no register in force, the firms its own sheets name (N1's
--   所属园区, or --park) at that month are its firms.
-- The months: from the first month any enterprise row speaks of to the park's last month
-- (park_ends: its registers, its firms' rows, rows naming it).
-- Read alone where only the park matters (the parks of an upload, the check of a firm in
-- two parks): int_enterprise_members adds the industry and leading group on top.

with named_rows as (
    -- the park a sheet names (N1's 所属园区, --park) in force per firm × indicator × month ×
    -- basis (stg_enterprise_observations' rule: the latest upload wins), for the firms some
    -- sheet names a park for; most rows take theirs from the register and are not read here
    select enterprise_id, period, arg_max(park_id, upload_id) as park_id
    from enterprise_observations
    where enterprise_id in (select enterprise_id from enterprise_observations where park_id is not null)
    group by enterprise_id, indicator, period, basis
),

registers as (
    select * from stg_enterprise_registers
),

park_ends as (
    -- each park's last month: its latest register, or the latest row of a firm on any of its
    -- registers or of a row naming it. A park's firms are its members up to that month, never
    -- into months only other parks' firms speak of (so a park's figures depend on its own
    -- rows alone, and a rebuild by park gives what a full rebuild gives).
    select park_id, max(period) as last_month
    from (
        select park_id, valid_from as period from registers
        union all
        select r.park_id, f.last_period as period
        from (select enterprise_id, max(period) as last_period from enterprise_observations
              group by enterprise_id) as f
        join (select distinct enterprise_id, park_id from registers) as r using (enterprise_id)
        union all
        select park_id, period from named_rows where park_id is not null
    )
    group by park_id
),

bounds as (
    -- from the first month any enterprise row speaks of to the last park's last month
    select
        (select min(period) from (
            select period from enterprise_observations
            union all
            select (period - interval 1 year)::date from enterprise_observations
            where basis in ('month_prior', 'ytd_prior')
            union all
            select valid_from from registers
        )) as first_month,
        (select max(last_month) from park_ends) as last_month
),

calendar as (
    select unnest(generate_series(first_month, last_month, interval 1 month))::date as period
    from bounds
    where first_month is not null and last_month is not null
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

registered_in_range as (
    -- after the later register has won: a firm that moved stays out of its old park
    select r.* from registered as r
    join park_ends as e on e.park_id = r.park_id and r.period <= e.last_month
),

named as (
    -- firms a park's own sheets name, in months when that park has no register
    select distinct o.enterprise_id, o.park_id, o.period, null::boolean as above_scale,
           null::date as above_scale_since, null::varchar as industry_code, null::varchar as industry_name
    from named_rows as o
    where o.park_id is not null
      and not exists (select 1 from snapshot_in_force as s where s.park_id = o.park_id and s.period = o.period)
      and not exists (select 1 from registered_in_range as r
                      where r.enterprise_id = o.enterprise_id and r.period = o.period)
),

final as (
    select *, true as from_register from registered_in_range
    union all
    select *, false as from_register from named
)

select * from final
