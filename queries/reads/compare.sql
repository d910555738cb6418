-- compare: one metric for one period across a set of parks, with the peer statistics.
-- Grain: one row per park of the peer set (parks with no value are kept, value null).
-- Parameters: $metric (metric id), $period (first day of the month),
--             $parks (list of canonical park names, or null for every park).
-- Returns: park, value, rank (1 = best, among parks with a value), peers
--          (parks with a value), peer_mean, peer_median, best, gap_to_mean,
--          gap_to_mean_pct, gap_to_best.
-- Gaps are defined as in reads/benchmark.sql (one definition): gap_to_mean =
-- value − peer_mean; gap_to_mean_pct = 100 × (value − peer_mean) ÷ |peer_mean|,
-- so a value above a negative mean has a positive gap; null if the mean is 0.
-- Units: those of the metric.

with metric_values as (
    select park, value
    from metric_values
    where metric = $metric
      and period = $period
      and ($parks is null or list_contains($parks, park))
),

peer_parks as (
    select name as park from parks
    where ($parks is null and name in (select park from metric_values))
       or list_contains($parks, name)
),

values_in_set as (
    select pp.park, mv.value
    from peer_parks as pp
    left join metric_values as mv on mv.park = pp.park
),

stats as (
    select
        count(value) as peers,
        avg(value) as peer_mean,
        median(value) as peer_median,
        max(value) as best
    from values_in_set
),

final as (
    select
        v.park,
        v.value,
        case when v.value is not null
             then rank() over (order by v.value desc nulls last) end as rank,
        s.peers,
        s.peer_mean,
        s.peer_median,
        s.best,
        v.value - s.peer_mean as gap_to_mean,
        case when s.peer_mean <> 0 then 100.0 * (v.value - s.peer_mean) / abs(s.peer_mean) end as gap_to_mean_pct,
        v.value - s.best as gap_to_best
    from values_in_set as v
    cross join stats as s
    order by v.value desc nulls last, v.park
)

select * from final
