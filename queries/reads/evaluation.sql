-- evaluation: 亩均效益综合评价 — a weighted score per park over a scheme's
-- indicators, its rank and class, for one period and one set of parks; and
-- the parks not evaluated, with why.
-- Grain: one row per park × scheme indicator, for every park of the peer set and,
--        with the default set, every park with values in other months only (the
--        park's totals, rank and class repeated on each of its rows).
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
--   $benchmarks   'mean' (peer_mean of the parks of the set that have a value), 'max' (the best of them:
--                 the largest value, or the smallest when lower is better) or 'value'
--   $benchmark_values  the number where $benchmarks is 'value', else null
--   $caps         upper bound of the ratio, or null for none
--   $class_a, $class_b, $class_c   class cut-offs in percent of the parks evaluated (20, 60, 95)
--   $missing_rule what a park missing an indicator (缺报) gets:
--                 'renormalise' — scored on the indicators it has, their weights scaled to sum to 100;
--                 'unclassed'   — not scored, ranked or classed (不定等级)
-- Definitions:
--   missing    the metric ids without a value for the park, in the scheme's order (缺报)
--   not_evaluated  null for a park scored, ranked and classed; else why not:
--              'no_data'           no value at all in $period (a group's park that did not report,
--                                  or, with the default set, a park with values in other months only)
--              'no_indicator'      values in $period, but none of the scheme's indicators
--              'missing_unclassed' some indicators 缺报 and $missing_rule is 'unclassed'
--   ratio      value ÷ benchmark (lower is better: benchmark ÷ value), clipped to
--              [0, cap]; null when the value is missing, a lower-is-better value is
--              not positive, or the benchmark is unknown or not positive
--   effective_weight  weight × 100 ÷ (Σ weight of the indicators the park has): the weight itself
--              when it has them all; null for a 缺报 indicator and for a park not evaluated
--   score      effective_weight × ratio (0 where the ratio is null but the value known);
--              null for a 缺报 indicator (never 0) and for a park not evaluated
--   total      Σ score over the park's indicators (null when not evaluated). Each ratio is
--              1 at the benchmark, so a park above the benchmarks (e.g. the peer mean) scores over 100
--   rank       among the parks evaluated, 1 = highest total; ties (totals equal to 6 decimals)
--              share the best rank (1, 1, 3)
--   class      among n parks evaluated: A if rank ≤ ceil(n × A %), B if ≤ ceil(n × B %),
--              C if ≤ ceil(n × C %), else D (so the top of four is A)
-- Units: value and benchmark in the metric's unit; ratio a plain number; scores in points.

with peer_cells as (
    select * from peer_values($period, $group, $parks, $metrics)
),

parks as (
    select * from parks
),

metric_values as (
    select * from metric_values
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

peer_stats as (
    select distinct metric, peer_mean, best, worst
    from peer_cells
),

indicators as (
    select
        s.*,
        case s.benchmark_kind
            when 'mean' then ps.peer_mean
            when 'max' then case s.direction when 'lower' then ps.worst else ps.best end
            else s.benchmark_value
        end as benchmark
    from scheme as s
    left join peer_stats as ps using (metric)
),

late_parks as (
    -- the default set holds the parks with a value this month; a park with values in
    -- other months only is named as not evaluated (no data), not left out in silence
    select p.park_id, p.name as park
    from parks as p
    where $group is null and $parks is null
      and p.park_id in (select park_id from metric_values)
      and p.park_id not in (select park_id from peer_cells)
),

park_cells as (
    select metric, park_id, park, reported, value
    from peer_cells
    union all
    select s.metric, l.park_id, l.park, false as reported, null::double as value
    from late_parks as l
    cross join scheme as s
),

cells as (
    select i.*, pc.park_id, pc.park, pc.reported, pc.value
    from indicators as i
    join park_cells as pc using (metric)
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

park_status as (
    select
        park_id,
        bool_or(reported) as reported,
        sum(weight) filter (where value is not null) as weight_reported,
        coalesce(list(metric order by position) filter (where value is null), []) as missing
    from ratios
    group by park_id
),

statuses as (
    select
        *,
        case
            when not reported then 'no_data'
            when weight_reported is null then 'no_indicator'
            when len(missing) > 0 and $missing_rule = 'unclassed' then 'missing_unclassed'
        end as not_evaluated
    from park_status
),

weighted as (
    select
        r.*,
        st.missing,
        st.not_evaluated,
        case when r.raw_ratio is not null
             then least(greatest(r.raw_ratio, 0.0), coalesce(r.cap, 'infinity'::double)) end as ratio,
        case when st.not_evaluated is null and r.value is not null
             then r.weight * 100.0 / st.weight_reported end as effective_weight
    from ratios as r
    join statuses as st using (park_id)
),

scored as (
    select *, effective_weight * coalesce(ratio, 0.0) as score
    from weighted
),

totals as (
    select park_id, round(sum(score), 6) as total
    from scored
    where not_evaluated is null
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
        s.effective_weight,
        s.value,
        s.benchmark,
        s.cap,
        s.ratio,
        s.score,
        c.total,
        c.rank,
        (select count(*) from totals) as parks_evaluated,
        c.class,
        s.missing,
        s.not_evaluated
    from scored as s
    left join classed as c using (park_id)
    order by c.rank nulls last, s.park, s.position
)

select * from final
