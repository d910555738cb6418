-- cagr_years: calendar years a 年均增长 (reads/cagr.sql) can start or end in.
-- Grain: one row per year. Parameters: $indicator (flow indicator id).
-- Returns: year — years with a full-year (December year-to-date) value for at least one park.

with flows as (
    select * from int_flow_values
),

final as (
    select distinct year(period) as year
    from flows
    where indicator = $indicator
      and month(period) = 12
      and ytd_value is not null
)

select * from final order by year
