-- evaluation: 亩均效益综合评价 — a weighted score per park over a scheme's
-- indicators, its rank and class, for one period and one set of parks.
-- Grain: one row per park evaluated × scheme indicator (the park's totals,
--        rank and class repeated on each of its rows).
-- Parameters:
--   $period       first day of the month evaluated
--   $group        a saved peer group (peer_groups.group_name), or null
--   $parks        list of canonical park names, or null
--                 the parks evaluated are $group's parks if given, else $parks,
--                 else every park with any value stored for $period
--   The scheme, one list element per indicator, in the scheme's order:
--   $metrics      metric ids (metric_values.metric); a metric no park has is 缺报 for all
--   $directions   'higher' or 'lower' (lower is better: energy, emissions per output)
--   $weights      weights, summing to 100 (checked in parkbench/models/evaluation.py)
--   $benchmarks   'mean' (of the parks evaluated), 'max' (the best of them:
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

with metric_values as (
    select * from metric_values
),

parks as (
    select * from parks
),

peer_groups as (
    select * from peer_groups
),

parks_reporting as (
    -- metric_values has a row for every park × month with any stored value
    select distinct park_id
    from metric_values
    where period = $period
),

evaluated_parks as (
    select p.park_id, p.name as park
    from parks as p
    where case
        when $group is not null
            then p.park_id in (select park_id from peer_groups where group_name = $group)
        when $parks is not null
            then list_contains($parks, p.name)
        else p.park_id in (select park_id from parks_reporting)
    end
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
        ep.park_id, ep.park,
        mv.value
    from scheme as s
    cross join evaluated_parks as ep
    left join metric_values as mv
        on mv.metric = s.metric and mv.park_id = ep.park_id and mv.period = $period
),

benchmarks as (
    select
        position,
        case any_value(benchmark_kind)
            when 'mean' then avg(value)
            when 'max' then case any_value(direction) when 'lower' then min(value) else max(value) end
            else any_value(benchmark_value)
        end as benchmark
    from cells
    group by position
),

ratios as (
    select
        c.*,
        b.benchmark,
        case
            when c.value is null or b.benchmark is null or b.benchmark <= 0 then null
            when c.direction = 'lower' and c.value <= 0 then null
            when c.direction = 'lower' then b.benchmark / c.value
            else c.value / b.benchmark
        end as raw_ratio
    from cells as c
    join benchmarks as b using (position)
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
