-- enterprise_register_backwards: a register (N5) of this upload dated before a stored
-- register of another park that lists the same firms (docs/enterprises.md rule 6, "a
-- register that moves a firm backwards in time"). The later register stays in force
-- from its date; this one moves those firms into its park only for the months before
-- it: an old register uploaded after a newer one, or a date read wrong. Named, and
-- stored as given (a park's history may be filled in this way on purpose).
-- Grain: one row per (this register's park and date) × the later register's park.
-- Parameters: $upload_id.
-- Returns: park_id, park, period (this register's month), other_park, later_period
--          (the earliest later register of other_park listing one of the firms),
--          firms (how many), examples (up to three names, by name).

with uploaded as (
    select distinct enterprise_id, park_id, valid_from
    from enterprise_registers
    where upload_id = $upload_id
),

later as (
    -- the same firm on a register of another park dated after this one, stored before
    select u.enterprise_id, u.park_id, u.valid_from, r.park_id as other_park_id, min(r.valid_from) as later_from
    from uploaded as u
    join stg_enterprise_registers as r
        on r.enterprise_id = u.enterprise_id and r.park_id <> u.park_id and r.valid_from > u.valid_from
    group by all
),

named as (
    select l.*, coalesce(n.enterprise, '') as enterprise
    from later as l
    left join int_enterprise_names as n using (enterprise_id)
),

final as (
    select
        n.park_id,
        p.name as park,
        n.valid_from as period,
        o.name as other_park,
        min(n.later_from) as later_period,
        count(distinct n.enterprise_id) as firms,
        array_to_string(list_slice(list(distinct n.enterprise order by n.enterprise), 1, 3), '、') as examples
    from named as n
    join parks as p on p.park_id = n.park_id
    join parks as o on o.park_id = n.other_park_id
    group by n.park_id, p.name, n.valid_from, o.name
    order by park, period, other_park
)

select * from final
