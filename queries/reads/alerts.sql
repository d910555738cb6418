-- alerts: 预警 — the warnings (and good signs) of one month for a set of parks.
-- Grain: one row per park × metric × rule that fires.
-- Parameters:
--   $period               first day of the month
--   $group / $parks       the peer set (macros/peer_values.sql, the one shared with 园区对比 and
--                         综合评价): a saved group, else the named parks, else every park with a
--                         value in $period
--   $mean_metrics         metrics compared with the peer mean (e.g. tax_per_mu, output_per_mu)
--   $below_mean_pct       rule below_mean fires when value < mean × (1 − x ÷ 100), mean > 0, ≥ 2 peers
--   $growth_metrics       growth metrics watched (e.g. output_ytd_yoy, tax_ytd_yoy), in percent
--   $growth_red_below     rule growth_negative (red) when growth < this (0)
--   $growth_green_from    rule growth_strong (green) when growth ≥ this (10)
--   $falling_months       rule growth_falling when growth fell in each of the last N months:
--                         g(t) < g(t−1) < … < g(t−N), every one of them known
--   $leading_share_floor  rule leading_share_low when leading_share < this (percent)
-- Returns: park, park_id, period, metric, rule, level ('red' warning, 'amber' watch,
--   'green' good), value, reference (the mean, threshold or value N months earlier), peers.
-- Units: value and reference in the metric's unit (percent for growth and shares).

with metric_values as (
    select * from metric_values
),

peer_cells as (
    select * from peer_values($period, $group, $parks, null)
),

peer_parks as (
    select distinct park_id, park from peer_cells
),

current_values as (
    select park_id, park, metric, value
    from peer_cells
    where value is not null
),

peer_means as (
    select distinct metric, peer_mean as mean, peers
    from peer_cells
    where list_contains($mean_metrics, metric)
),

below_mean as (
    select c.park_id, c.park, c.metric, 'below_mean' as rule, 'red' as level, c.value, m.mean as reference, m.peers
    from current_values as c
    join peer_means as m using (metric)
    where m.peers >= 2 and m.mean > 0 and c.value < m.mean * (1 - $below_mean_pct / 100.0)
),

growth_levels as (
    select park_id, park, metric,
           case when value < $growth_red_below then 'growth_negative' else 'growth_strong' end as rule,
           case when value < $growth_red_below then 'red' else 'green' end as level,
           value,
           case when value < $growth_red_below then $growth_red_below else $growth_green_from end::double as reference,
           null::bigint as peers
    from current_values
    where list_contains($growth_metrics, metric)
      and (value < $growth_red_below or value >= $growth_green_from)
),

recent_growth as (
    select pp.park_id, pp.park, w.metric, k.k, mv.value
    from peer_parks as pp
    cross join (select unnest($growth_metrics) as metric) as w
    cross join (select unnest(generate_series(0, $falling_months::integer)) as k) as k
    left join metric_values as mv
        on mv.park_id = pp.park_id and mv.metric = w.metric
       and mv.period = ($period::date - to_months(k.k))::date
),

steps as (
    select *, lead(value) over (partition by park_id, metric order by k) as earlier
    from recent_growth
),

falling as (
    select park_id, any_value(park) as park, metric, 'growth_falling' as rule, 'amber' as level,
           max(value) filter (where k = 0) as value,
           max(value) filter (where k = $falling_months) as reference,
           null::bigint as peers
    from steps
    group by park_id, metric
    having $falling_months >= 1
       and count(value) = $falling_months + 1
       and count(*) filter (where k < $falling_months and value < earlier) = $falling_months
),

leading_low as (
    select park_id, park, metric, 'leading_share_low' as rule, 'red' as level, value,
           $leading_share_floor::double as reference, null::bigint as peers
    from current_values
    where metric = 'leading_share' and value < $leading_share_floor
),

fired as (
    select * from below_mean
    union all select * from growth_levels
    union all select * from falling
    union all select * from leading_low
),

final as (
    select park, park_id, $period::date as period, metric, rule, level, value, reference, peers
    from fired
    order by park, case level when 'red' then 0 when 'amber' then 1 else 2 end, rule, metric
)

select * from final
