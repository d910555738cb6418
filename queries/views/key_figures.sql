-- key_figures: each park's headline numbers at its latest month with output or tax,
-- not after $period (the default period of the pages; null for no limit).
-- Grain: one row per park. Parameters: $period (first day of a month, or null).
-- Returns: park, period, tax_per_mu (万元/亩), leading_share (%),
--          output_ytd_yoy (%), output_ytd (万元).

with latest as (
    select park_id, max(period) as period
    from int_flow_values
    where indicator in ('output', 'tax') and ytd_value is not null
      and ($period is null or period <= $period)
    group by park_id
),

metrics as (
    select
        park_id,
        period,
        max(value) filter (where metric = 'tax_per_mu') as tax_per_mu,
        max(value) filter (where metric = 'leading_share') as leading_share,
        max(value) filter (where metric = 'output_ytd_yoy') as output_ytd_yoy
    from metric_values
    where metric in ('tax_per_mu', 'leading_share', 'output_ytd_yoy')
    group by park_id, period
),

output as (
    select park_id, period, ytd_value as output_ytd
    from int_flow_values
    where indicator = 'output'
),

final as (
    select
        p.name as park,
        l.period,
        m.tax_per_mu,
        m.leading_share,
        m.output_ytd_yoy,
        o.output_ytd
    from latest as l
    join parks as p on p.park_id = l.park_id
    left join metrics as m on m.park_id = l.park_id and m.period = l.period
    left join output as o on o.park_id = l.park_id and o.period = l.period
    order by m.tax_per_mu desc nulls last, p.name
)

select * from final
