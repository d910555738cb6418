-- int_park_value_months: the months each park has a value of its own: a stored
-- observation, or (a park built from its enterprises, docs/enterprises.md rule 3) a
-- known sum over its firms. "Parks with data" for the reads that list parks.
-- Grain: one row per park × month.
-- Returns: park_id, period, from_enterprises (no observation of the park's own that month).

with observations as (
    select distinct park_id, period from stg_observations
),

summed as (
    select distinct park_id, period from int_enterprise_park_flows
    where month_value is not null or ytd_value is not null
),

final as (
    select
        coalesce(o.park_id, s.park_id) as park_id,
        coalesce(o.period, s.period) as period,
        o.park_id is null as from_enterprises
    from observations as o
    full join summed as s on s.park_id = o.park_id and s.period = o.period
)

select * from final
