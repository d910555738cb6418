-- enterprise_two_parks: one enterprise in two parks for the same months (docs/enterprises.md
-- rule 6) — a sheet names a park for a firm that the register in force puts in another
-- park, or two parks' registers of the same date both list it. The firm counts where
-- int_enterprise_placements puts it (the register; of two, the later register, then the
-- first park by id); the warning names both.
-- Grain: one row per enterprise × pair of parks. Parameters: $upload_id (the rows of
-- this upload).
-- Returns: park_id (where it counts), park, other_park, enterprise, credit_code,
--          period (first month), months (how many months).

with members as (
    select * from int_enterprise_placements
),

named as (
    -- the park a sheet of this upload names for a firm at a month
    select distinct enterprise_id, park_id, period
    from enterprise_observations
    where upload_id = $upload_id and park_id is not null
),

sheet_conflicts as (
    select m.enterprise_id, m.park_id, n.park_id as other_park_id, m.period
    from named as n
    join members as m on m.enterprise_id = n.enterprise_id and m.period = n.period
    where m.park_id <> n.park_id
),

register_conflicts as (
    -- two parks' registers of the same date list the firm, one of them from this upload
    select a.enterprise_id, a.park_id, b.park_id as other_park_id, a.valid_from as period
    from stg_enterprise_registers as a
    join stg_enterprise_registers as b
        on b.enterprise_id = a.enterprise_id and b.valid_from = a.valid_from and b.park_id > a.park_id
    where exists (select 1 from enterprise_registers as r where r.upload_id = $upload_id
                  and r.enterprise_id = a.enterprise_id and r.valid_from = a.valid_from)
),

conflicts as (
    select * from sheet_conflicts
    union all
    select * from register_conflicts
),

final as (
    select
        c.park_id,
        p.name as park,
        o.name as other_park,
        n.enterprise,
        n.credit_code,
        min(c.period) as period,
        count(distinct c.period) as months
    from conflicts as c
    join parks as p on p.park_id = c.park_id
    join parks as o on o.park_id = c.other_park_id
    left join int_enterprise_names as n on n.enterprise_id = c.enterprise_id
    group by all
    order by park, enterprise
)

select * from final
