-- industries: each park's industry composition for one period.
-- Grain: one row per park × industry.
-- Parameters: $period (first day of a month with an industry breakdown), $parks (list of names, or null).
-- Returns: park, period, industry, is_leading, output (万元), firms (户),
--          share (% of the park's output summed over its industries; null if unknown).

with industries as (
    select * from stg_industries
),

parks as (
    select * from parks
),

chosen as (
    select p.name as park, i.period, i.industry, i.is_leading, i.output, i.firms
    from industries as i
    join parks as p using (park_id)
    where i.period = $period
      and ($parks is null or list_contains($parks, p.name))
),

totals as (
    select park, sum(output) as park_output from chosen group by park
),

final as (
    select
        c.park,
        c.period,
        c.industry,
        c.is_leading,
        c.output,
        c.firms,
        case when t.park_output > 0 then 100.0 * c.output / t.park_output end as share
    from chosen as c
    join totals as t using (park)
    order by c.park, c.is_leading desc, c.output desc nulls last, c.industry
)

select * from final
