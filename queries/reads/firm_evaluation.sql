-- firm_evaluation: 亩均效益综合评价 of enterprises — a scheme's score, rank and class per
-- firm of a population, for one or several months (the class history: each month its
-- own population), scored by the one scoring of parks (macros/scored_units.sql).
-- Grain: one row per month × enterprise of the population × scheme indicator.
-- Input: firm_metric_rows, registered by parkbench/models/firm_evaluation.py: the rows of
--   reads/enterprise_metrics_at.sql (the firms the reader may see, of the parks asked).
-- Parameters:
--   the scheme, as reads/evaluation.sql: $metrics, $directions, $weights, $benchmarks,
--   $benchmark_values, $caps, $missing_rule; and the classes: $class_by ('rank' | 'score'),
--   $class_a, $class_b, $class_c (percent of the firms classed, or points)
--   the population (docs/evaluation.md, docs/enterprises.md):
--   $above_scale_only  true: the firms 规上 at the month only
--   $min_land          亩: firms with less land in force (or none known) are left out; null: all
--   $readable          park names whose firms the reader may see (accounts.firm_parks; never null)
--   $utility_divisions GB/T 4754 大类 codes of utilities (['44', '45', '46']: 电力、燃气、水),
--                      not classed (T, 不定等级); empty: none
--   $new_months        a firm whose first month with a value of its own is less than this many
--                      months before the month is not classed (T, in production under two
--                      years: 24); null: none. A firm with figures from its park's first month
--                      with firm figures was there before they began: its start is unknown,
--                      never new (else every firm of a park begun this year would be T)
-- Returns: period, enterprise_id, park, enterprise (latest name), credit_code, industry_code,
--   industry (the 大类 name), above_scale, first_month, land_area (亩), tax_ytd (万元),
--   tax_per_mu (万元/亩), position, metric, value, benchmark, effective_weight, score,
--   total, rank, firms_classed, class ('A'–'D'; 'T' not classed; null not evaluated),
--   missing, not_evaluated (as reads/evaluation.sql), not_classed ('utility' | 'new' | null).
-- A firm not classed (T) is outside the ranking population: it sets no benchmark and takes
-- no rank; its values are shown, its score is null.

with firm_rows as (
    select * from firm_metric_rows
),

names as (
    select * from int_enterprise_names
),

industry_codes as (
    select * from industry_codes
),

first_months as (
    select enterprise_id, min(period) as first_month
    from enterprise_observations
    where basis in ('month', 'ytd', 'stock')
    group by enterprise_id
),

park_starts as (
    -- each park's first month with a firm's figure (of its firms evaluated): a firm whose
    -- own first month is its park's was there before the park's firm rows began, so its
    -- start is unknown, not new
    select r.park_id, min(f.first_month) as first_month
    from firm_rows as r
    join first_months as f using (enterprise_id)
    group by r.park_id
),

population as (
    select
        r.*,
        coalesce(n.enterprise, '企业' || r.enterprise_id::varchar) as enterprise,
        n.credit_code,
        ic.name as industry,
        f.first_month,
        case
            when list_contains($utility_divisions::varchar[], left(r.industry_code, 2)) then 'utility'
            when $new_months is not null and f.first_month > ps.first_month
                 and f.first_month > (r.period::date - to_months($new_months::integer))::date then 'new'
        end as not_classed
    from firm_rows as r
    left join park_starts as ps using (park_id)
    left join names as n using (enterprise_id)
    left join industry_codes as ic on ic.level = '大类' and ic.code = left(r.industry_code, 2)
    left join first_months as f using (enterprise_id)
    where list_contains($readable::varchar[], r.park)  -- rule 5 again: the rows given are the reader's already
      and (not $above_scale_only or coalesce(r.above_scale, false))
      and ($min_land is null or r.land_area >= $min_land)
),

scheme_metrics as (
    select generate_subscripts($metrics, 1) as position, unnest($metrics) as metric
),

long_values as (
    unpivot (select enterprise_id, period, columns(* exclude (enterprise_id, period, park_id, park, above_scale,
                                                              industry_code, enterprise, credit_code, industry,
                                                              first_month, not_classed))
             from population)
    on columns(* exclude (enterprise_id, period))
    into name metric value value
),

cells as (
    -- every firm × scheme metric; a metric the firms do not have is 缺报 (null)
    select p.period, p.enterprise_id, p.enterprise, p.not_classed, s.position, s.metric, v.value::double as value
    from population as p
    cross join scheme_metrics as s
    left join long_values as v on v.enterprise_id = p.enterprise_id and v.period = p.period and v.metric = s.metric
),

evaluation_cells as (
    select period as cohort, enterprise_id as unit_id, enterprise as unit, true as reported, metric, value
    from cells
    where not_classed is null
),

scored as (
    select *
    from scored_units('evaluation_cells', $metrics, $directions, $weights, $benchmarks, $benchmark_values, $caps,
                      $class_by, $class_a, $class_b, $class_c, $missing_rule)
),

final as (
    select
        p.period,
        p.enterprise_id,
        p.park,
        p.enterprise,
        p.credit_code,
        p.industry_code,
        p.industry,
        p.above_scale,
        p.first_month,
        p.land_area,
        p.tax_ytd,
        p.tax_per_mu,
        c.position,
        c.metric,
        c.value,
        s.benchmark,
        s.effective_weight,
        s.score,
        s.total,
        s.rank,
        s.units_evaluated as firms_classed,
        case when p.not_classed is not null then 'T' else s.class end as class,
        coalesce(s.missing, []) as missing,
        s.not_evaluated,
        p.not_classed
    from cells as c
    join population as p on p.enterprise_id = c.enterprise_id and p.period = c.period
    left join scored as s on s.cohort = c.period and s.unit_id = c.enterprise_id and s.position = c.position
    order by p.period, s.rank nulls last, p.park, p.enterprise, c.position
)

select * from final
