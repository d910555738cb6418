-- firm_periods: the months one park has firm figures for (the 企业 page's period choice).
-- Grain: one row per month. Parameters: $readable (as reads/park_firms), $park.
-- Returns: period (first day of the month), newest first.

with firm_metrics as (
    select * from enterprise_metrics
),

parks as (
    select * from parks
),

final as (
    select distinct f.period
    from firm_metrics as f
    join parks as p using (park_id)
    where p.name = $park and list_contains($readable::varchar[], p.name)
    order by f.period desc
)

select * from final
