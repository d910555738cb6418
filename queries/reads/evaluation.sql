-- evaluation: 亩均效益综合评价 — a weighted score per park over a scheme's
-- indicators, its rank and class, for one period and one set of parks.
-- Grain: one row per park evaluated × scheme indicator (the park's totals,
--        rank and class repeated on each of its rows).
-- Parameters:
--   $period       first day of the month evaluated
--   $group        a saved peer group (peer_groups.group_name), or null
--   $parks        list of canonical park names, or null
--                 the parks evaluated are the peer set of macros/peer_values.sql (the one
--                 shared with 园区对比 and 预警): $group's parks if given, else $parks,
--                 else every park with a value in $period
--   The scheme, one list element per indicator, in the scheme's order:
--   $metrics      metric ids (metric_values.metric); a metric no park has is 缺报 for all
--   $directions   'higher' or 'lower' (lower is better: energy, emissions per output)
--   $weights      weights, summing to 100 (checked in parkbench/models/evaluation.py)
--   $benchmarks   'mean' (peer_mean of the parks evaluated that have a value), 'max' (the best of them:
--                 the largest value, or the smallest when lower is better) or 'value'
--   $benchmark_values  the number where $benchmarks is 'value', else null
--   $caps         upper bound of the ratio, or null for none
--   $class_a, $class_b, $class_c   class cut-offs in percent of the parks evaluated (20, 60, 95)
-- Definitions:
--   ratio      value ÷ benchmark (lower is better: benchmark ÷ value), clipped to
--              [0, cap]; null when the value is missing, a lower-is-better value is
--              not positive, or the benchmark is unknown or not positive
--   score      weight × ratio, 0 where the ratio is null (the indicator is 缺报
--              when the value is missing)
--   total      Σ score over the scheme's indicators
--   rank       1 = highest total; ties (totals equal to 6 decimals) share the best rank (1, 1, 3)
--   class      among n parks evaluated: A if rank ≤ ceil(n × A %), B if ≤ ceil(n × B %),
--              C if ≤ ceil(n × C %), else D (so the top of four is A)
--   missing    the metric ids without a value for the park, in the scheme's order
-- Units: value and benchmark in the metric's unit; ratio a plain number; scores in points.

with peer_cells as (
    select * from peer_values($period, $group, $parks, $metrics)
),

scheme as (
    select
        generate_subscripts($metrics, 1) as position,
        unnest($metrics) as metric,
        unnest($directions) as direction,
        unnest($weights)::double as weight,
        unnest($benchmarks) as benchmark_kind,
        unnest($benchmark_values)::double as benchmark_value,
        unnest($caps)::double as cap
),

cells as (
    select
        s.position, s.metric, s.direction, s.weight, s.benchmark_kind, s.benchmark_value, s.cap,
        pc.park_id, pc.park, pc.value,
        case s.benchmark_kind
            when 'mean' then pc.peer_mean
            when 'max' then case s.direction when 'lower' then pc.worst else pc.best end
            else s.benchmark_value
        end as benchmark
    from scheme as s
    join peer_cells as pc using (metric)
),

ratios as (
    select
        c.*,
        case
            when c.value is null or c.benchmark is null or c.benchmark <= 0 then null
            when c.direction = 'lower' and c.value <= 0 then null
            when c.direction = 'lower' then c.benchmark / c.value
            else c.value / c.benchmark
        end as raw_ratio
    from cells as c
),

scored as (
    select
        *,
        case when raw_ratio is not null
             then least(greatest(raw_ratio, 0.0), coalesce(cap, 'infinity'::double)) end as ratio,
        weight * coalesce(least(greatest(raw_ratio, 0.0), coalesce(cap, 'infinity'::double)), 0.0) as score
    from ratios
),

totals as (
    select
        park_id,
        round(sum(score), 6) as total,
        coalesce(list(metric order by position) filter (where value is null), []) as missing
    from scored
    group by park_id
),

ranked as (
    select
        *,
        rank() over (order by total desc) as rank,
        count(*) over () as parks_evaluated
    from totals
),

classed as (
    select
        *,
        case
            when rank <= ceil(parks_evaluated * $class_a / 100.0 - 1e-9) then 'A'
            when rank <= ceil(parks_evaluated * $class_b / 100.0 - 1e-9) then 'B'
            when rank <= ceil(parks_evaluated * $class_c / 100.0 - 1e-9) then 'C'
            else 'D'
        end as class
    from ranked
),

final as (
    select
        s.park,
        s.park_id,
        $period::date as period,
        s.position,
        s.metric,
        s.direction,
        s.weight,
        s.value,
        s.benchmark,
        s.cap,
        s.ratio,
        s.score,
        c.total,
        c.rank,
        c.parks_evaluated,
        c.class,
        c.missing
    from scored as s
    join classed as c using (park_id)
    order by c.rank, s.park, s.position
)

select * from final
