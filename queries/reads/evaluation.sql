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
-- Definitions (the scoring itself is macros/scored_units.sql, shared with enterprises):
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
    cross join (select unnest($metrics) as metric) as s
),

evaluation_cells as (
    select $period::date as cohort, park_id as unit_id, park as unit, reported, metric, value
    from park_cells
),

scored as (
    select *
    from scored_units('evaluation_cells', $metrics, $directions, $weights, $benchmarks, $benchmark_values, $caps,
                      'rank', $class_a, $class_b, $class_c, $missing_rule)
),

final as (
    select
        unit as park,
        unit_id as park_id,
        cohort as period,
        position,
        metric,
        direction,
        weight,
        effective_weight,
        value,
        benchmark,
        cap,
        ratio,
        score,
        total,
        rank,
        units_evaluated as parks_evaluated,
        class,
        missing,
        not_evaluated
    from scored
    order by rank nulls last, park, position
)

select * from final
