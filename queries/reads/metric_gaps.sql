-- metric_gaps: why the empty cells of a league have no value (macros/metric_gaps.sql), asked
-- for only those cells' parks and metrics: over every park of a province the macro is slow.
-- Grain: one row per park × metric whose value is null in $period.
-- Parameters: $period (first day of the month), $parks (list of park names), $metrics (list of metric ids).
-- Returns: park, metric, gaps ('missing:land_area,…', null where no input is known to fail).

with gaps as (
    select * from metric_gaps($period, $parks, $metrics)
),

parks as (
    select * from parks
),

final as (
    select p.name as park, g.metric, g.gaps
    from gaps as g
    join parks as p on p.park_id = g.park_id
    order by p.name, g.metric
)

select * from final
