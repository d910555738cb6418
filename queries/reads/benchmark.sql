-- benchmark: the league table of one period for a peer set, every metric.
-- Grain: one row per metric × park of the peer set. Parks without a value are
--        kept with value null (shown as 未报送) and no rank or class.
-- Parameters:
--   $period   first day of the month
--   $parks    list of canonical park names, or null
--   $group    a saved peer group (peer_groups.group_name), or null;
--             the peer set is $group's parks if given, else $parks, else every park with a
--             value in $period (the one default, argued in macros/peer_values.sql)
--   $metrics  list of metric ids, or null for every metric with a value in the period
--   $class_a, $class_b, $class_c  upper bounds of classes A, B, C as fractions
--             of the group (defaults in parkbench/models/benchmark.py: 0.20, 0.60, 0.95)
-- Definitions (higher is better for every metric):
--   group_size     parks of the peer set
--   peers          parks of the set with a value for the metric
--   rank           1 = best; ties share the best rank of the tie (1, 1, 3)
--   percentile     100 × (rank among peers counted from the bottom − 1) ÷ (peers − 1),
--                  i.e. percent_rank ascending: best 100, worst 0, ties equal; 100 if alone
--   rank_share     rank ÷ peers (top share the park lies in)
--   class          among the peers (n of them), counted as ranks: A if rank ≤ ceil(n × $class_a),
--                  B if ≤ ceil(n × $class_b), C if ≤ ceil(n × $class_c), else D — so the top
--                  of four is A (the 综合评价 applies the same rule, reads/evaluation.sql);
--                  null without a value or with fewer than 2 peers
--   peer_mean, q1, peer_median, q3, best, worst   statistics of the peers' values, from
--                  macros/peer_values.sql (the same numbers 预警 and 综合评价 use)
--   gap_to_mean    value − peer_mean (the metric's unit; points for % metrics)
--   gap_to_mean_pct  100 × (value − peer_mean) ÷ |peer_mean|, null if the mean is 0
--   gap_to_best    value − best (≤ 0)
--   published      value is the growth the sheet published, ranked in place of the computed
--                  one where that is unknown (macros/peer_values.sql); shown marked 报送
--   reported_value, land_period, land_age_months, source   what the value rests on
--                  (metrics/metric_notes): the published growth shown where the computed
--                  one is unknown, the as-of month of the land, the share's source
--   reported_period  the park has any value stored for $period (false: 本期未报送); why another
--                  value is null is reads/metric_gaps.sql, asked only for the empty cells
-- Units: those of the metric (parkbench/catalog.py).

with metric_values as (
    select * from metric_values
),

notes as (
    select * from metric_notes where period = $period
),

metrics_in_period as (  -- a published growth (<m>_reported) gives its metric <m> a value too
    select distinct replace(metric, '_reported', '') as metric
    from metric_values
    where period = $period
      and value is not null
      and ($metrics is null or list_contains($metrics, replace(metric, '_reported', '')))
),

cells as (
    select pv.* rename (set_size as group_size)
    from peer_values($period, $group, $parks, $metrics) as pv
    where pv.metric in (select metric from metrics_in_period)
),

ranked as (
    select
        c.*,
        case when c.value is not null
             then rank() over (partition by c.metric order by c.value desc nulls last) end as rank,
        case when c.value is not null
             then rank() over (partition by c.metric order by c.value asc nulls last) end as rank_from_bottom
    from cells as c
),

final as (
    select
        r.metric,
        r.park_id,
        r.park,
        $period::date as period,
        r.value,
        r.published,
        r.rank,
        r.peers,
        r.group_size,
        case when r.value is null then null
             when r.peers = 1 then 100.0
             else 100.0 * (r.rank_from_bottom - 1) / (r.peers - 1) end as percentile,
        r.rank / r.peers as rank_share,
        case when r.value is null or r.peers < 2 then null
             when r.rank <= ceil(r.peers * $class_a - 1e-9) then 'A'
             when r.rank <= ceil(r.peers * $class_b - 1e-9) then 'B'
             when r.rank <= ceil(r.peers * $class_c - 1e-9) then 'C'
             else 'D' end as class,
        r.peer_mean,
        r.q1,
        r.peer_median,
        r.q3,
        r.best,
        r.worst,
        r.value - r.peer_mean as gap_to_mean,
        case when r.peer_mean <> 0 then 100.0 * (r.value - r.peer_mean) / abs(r.peer_mean) end as gap_to_mean_pct,
        r.value - r.best as gap_to_best,
        n.reported_value,
        n.land_period,
        n.land_age_months,
        n.source,
        r.reported as reported_period
    from ranked as r
    left join notes as n on n.metric = r.metric and n.park_id = r.park_id
    order by r.metric, r.value desc nulls last, r.park
)

select * from final
