-- cagr (`output_cagr` in metrics.md, for any flow indicator): 年均增长 over whole calendar years,
-- as five-year-plan reviews quote it.
-- Grain: one row per park of the set.
-- Parameters:
--   $indicator   flow indicator id (output, tax, fixed_investment …)
--   $start_year  first (base) calendar year, e.g. 2023
--   $end_year    last calendar year, > $start_year
--   $parks       list of canonical park names, or null for every park
-- Returns: park, start_value, end_value (万元, the full-year totals = December's
--          year-to-date value), years (= $end_year − $start_year), cagr (%):
--          100 × ((end_value ÷ start_value)^(1 ÷ years) − 1).
--          With years = 2 this is 两年平均增长 = √(end ÷ start) − 1.
-- A year counts only when its December year-to-date value is known (a
-- partial year is not a year); cagr is null over a zero, negative or unknown base.

with flows as (
    select * from int_flow_values
),

parks as (
    select * from parks
),

year_totals as (
    select park_id, year(period) as year, ytd_value as total
    from flows
    where indicator = $indicator
      and month(period) = 12
      and year(period) in ($start_year, $end_year)
),

chosen_parks as (
    select park_id, name as park
    from parks
    where ($parks is null or list_contains($parks, name))
      and park_id in (select park_id from flows where indicator = $indicator)
),

paired as (
    select
        c.park,
        max(t.total) filter (where t.year = $start_year) as start_value,
        max(t.total) filter (where t.year = $end_year) as end_value
    from chosen_parks as c
    left join year_totals as t using (park_id)
    group by c.park
),

final as (
    select
        park,
        start_value,
        end_value,
        $end_year - $start_year as years,
        case
            when start_value > 0 and end_value >= 0 and $end_year > $start_year
                then 100 * (pow(end_value / start_value, 1.0 / ($end_year - $start_year)) - 1)
        end as cagr
    from paired
)

select * from final order by park
