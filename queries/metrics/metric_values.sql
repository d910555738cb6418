-- metric_values: every metric for every park and month, long, materialised.
-- Grain: one row per park × month × metric (null where the inputs are unknown;
-- reported growth only where a sheet published it).
-- Returns: park_id, park (canonical name), period, metric, value.
-- Units: see parkbench/catalog.py (万元/亩 for 亩均, percent for shares and growth).

with park_months as (
    select * from int_park_months
),

wide as (
    select *
    from park_months
    left join per_mu using (park_id, period)
    left join leading_shares using (park_id, period)
    left join month_growth using (park_id, period)
    left join ytd_growth using (park_id, period)
    left join efficiency using (park_id, period)
),

computed as (
    select park_id, period, metric, value
    from (select * exclude (year, month, leading_share_source) from wide)
    unpivot include nulls (value for metric in (columns(* exclude (park_id, period))))
),

combined as (
    select park_id, period, metric, cast(value as double) as value from computed
    union all
    select park_id, period, metric, value from published_growth
    union all
    -- only where the park has enterprise rows
    select park_id, period, metric, value
    from enterprise_counts
    unpivot include nulls (value for metric in (enterprises_reporting, leading_enterprises))
),

final as (
    select c.park_id, p.name as park, c.period, c.metric, c.value
    from combined as c
    join parks as p on p.park_id = c.park_id
)

select * from final
