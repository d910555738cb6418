-- scored_units: the one scoring of 亩均效益综合评价 — a scheme's weighted score per
-- unit (a park, or an enterprise), its rank and class within its population, for
-- reads/evaluation.sql (parks) and reads/firm_evaluation.sql (enterprises).
-- A parameterised model: a DuckDB table macro (like macros/peer_values.sql); a read
-- builds its cells as a CTE and calls
--   from scored_units('cells', $metrics, …)
-- Input (p_cells, the name of a relation in the caller's scope), one row per
-- population × unit × scheme metric:
--   cohort     the population the unit is ranked in (a period, for the class history
--              of several years at once); benchmarks, ranks and classes are per cohort
--   unit_id, unit   the unit's id and name
--   reported   the unit has any value this period (false: listed as 'no_data')
--   metric, value   the scheme metric and the unit's value (null: 缺报)
-- Parameters (the scheme, one list element per indicator, in the scheme's order):
--   p_metrics, p_directions ('higher' | 'lower'), p_weights (summing to 100),
--   p_benchmarks ('mean' of the units of the cohort with a value, 'max' the best of them:
--   the smallest when lower is better, or 'value'), p_benchmark_values, p_caps (or null),
--   p_class_by   'rank': A if rank ≤ ceil(n × p_class_a %), B if ≤ ceil(n × p_class_b %),
--                C if ≤ ceil(n × p_class_c %), else D (so the top of four is A);
--                'score': A if total ≥ p_class_a points, B if ≥ p_class_b, C if ≥ p_class_c, else D
--   p_missing_rule  'renormalise' (scored on the indicators it has, their weights scaled to
--                sum to 100) or 'unclassed' (not scored, ranked or classed)
-- Returns one row per cohort × unit × scheme indicator:
--   cohort, unit_id, unit, position, metric, direction, weight, effective_weight, value,
--   benchmark, cap, ratio, score, total, rank, units_evaluated, class, missing, not_evaluated
-- Definitions:
--   missing    the metric ids without a value for the unit, in the scheme's order (缺报)
--   not_evaluated  null for a unit scored, ranked and classed; else 'no_data' (no value at all),
--              'no_indicator' (values, but none of the scheme's), 'missing_unclassed'
--   ratio      value ÷ benchmark (lower is better: benchmark ÷ value), clipped to [0, cap];
--              null when the value is missing, a lower-is-better value is not positive, or
--              the benchmark is unknown or not positive
--   effective_weight  weight × 100 ÷ (Σ weight of the indicators the unit has); null for a
--              缺报 indicator and for a unit not evaluated
--   score      effective_weight × ratio (0 where the ratio is null but the value known);
--              null for a 缺报 indicator (never 0) and for a unit not evaluated
--   total      Σ score (rounded to 6 decimals); rank 1 = highest total, ties share the best rank
-- Units: value and benchmark in the metric's unit; ratio a plain number; scores in points.

create or replace macro scored_units(p_cells, p_metrics, p_directions, p_weights, p_benchmarks, p_benchmark_values,
                                     p_caps, p_class_by, p_class_a, p_class_b, p_class_c, p_missing_rule) as table

with unit_cells as (
    select * from query_table(p_cells)
),

scheme as (
    select
        generate_subscripts(p_metrics, 1) as position,
        unnest(p_metrics) as metric,
        unnest(p_directions) as direction,
        unnest(p_weights)::double as weight,
        unnest(p_benchmarks) as benchmark_kind,
        unnest(p_benchmark_values)::double as benchmark_value,
        unnest(p_caps)::double as cap
),

cohort_stats as (
    select cohort, metric, avg(value) as peer_mean, max(value) as best, min(value) as worst
    from unit_cells
    group by cohort, metric
),

cells as (
    select
        s.*,
        uc.cohort,
        uc.unit_id,
        uc.unit,
        uc.reported,
        uc.value,
        case s.benchmark_kind
            when 'mean' then cs.peer_mean
            when 'max' then case s.direction when 'lower' then cs.worst else cs.best end
            else s.benchmark_value
        end as benchmark
    from scheme as s
    join unit_cells as uc using (metric)
    left join cohort_stats as cs on cs.cohort = uc.cohort and cs.metric = s.metric
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

unit_status as (
    select
        cohort,
        unit_id,
        bool_or(reported) as reported,
        sum(weight) filter (where value is not null) as weight_reported,
        coalesce(list(metric order by position) filter (where value is null), []) as missing
    from ratios
    group by cohort, unit_id
),

statuses as (
    select
        *,
        case
            when not reported then 'no_data'
            when weight_reported is null then 'no_indicator'
            when len(missing) > 0 and p_missing_rule = 'unclassed' then 'missing_unclassed'
        end as not_evaluated
    from unit_status
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
    join statuses as st using (cohort, unit_id)
),

scored as (
    select *, effective_weight * coalesce(ratio, 0.0) as score
    from weighted
),

totals as (
    select cohort, unit_id, round(sum(score), 6) as total
    from scored
    where not_evaluated is null
    group by cohort, unit_id
),

ranked as (
    select
        *,
        rank() over (partition by cohort order by total desc) as rank,
        count(*) over (partition by cohort) as units_evaluated
    from totals
),

classed as (
    select
        *,
        case
            when p_class_by = 'score' then
                case
                    when total >= p_class_a then 'A'
                    when total >= p_class_b then 'B'
                    when total >= p_class_c then 'C'
                    else 'D'
                end
            when rank <= ceil(units_evaluated * p_class_a / 100.0 - 1e-9) then 'A'
            when rank <= ceil(units_evaluated * p_class_b / 100.0 - 1e-9) then 'B'
            when rank <= ceil(units_evaluated * p_class_c / 100.0 - 1e-9) then 'C'
            else 'D'
        end as class
    from ranked
),

cohort_sizes as (
    select cohort, count(*) as units_evaluated from totals group by cohort
),

final as (
    select
        s.cohort,
        s.unit_id,
        s.unit,
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
        coalesce(n.units_evaluated, 0) as units_evaluated,
        c.class,
        s.missing,
        s.not_evaluated
    from scored as s
    left join classed as c using (cohort, unit_id)
    left join cohort_sizes as n using (cohort)
)

select * from final
