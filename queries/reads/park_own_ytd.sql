-- park_own_ytd: the cumulative (1-本月) values in force that a park's own sheets give
-- (families A–L, reported or derived by the park rules), not sums over its enterprises:
-- what an enterprise file's totals are shown beside (docs/enterprises.md rule 3).
-- Grain: one row per park × flow indicator × month with such a value.
-- Parameters: $parks (canonical park names).
-- Returns: park, indicator, period (date), ytd_value. Units: canonical (万元 for money).

with flows as (
    select park_id, indicator, period, ytd_value, from_enterprises from int_flow_values
),

parks as (
    select park_id, name from parks where list_contains($parks, name)
),

final as (
    select p.name as park, f.indicator, f.period::date as period, f.ytd_value
    from flows as f
    join parks as p using (park_id)
    where f.ytd_value is not null and not f.from_enterprises
    order by park, f.indicator, period
)

select * from final
