-- key_figures: each park's headline numbers at its latest month with output or tax,
-- not after $period (the default period of the pages; null for no limit).
-- Grain: one row per park. Parameters: $period (first day of a month, or null).
-- Returns: park, period, tax_per_mu (万元/亩), leading_share (%),
--          output_ytd_yoy (%), output_ytd (万元), and what they rest on
--          (metrics/metric_notes): land_period and land_age_months of tax_per_mu,
--          leading_share_source, output_ytd_yoy_reported (the sheet's own growth, %).

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

notes as (
    select
        park_id,
        period,
        max(land_period) filter (where metric = 'tax_per_mu') as land_period,
        max(land_age_months) filter (where metric = 'tax_per_mu') as land_age_months,
        max(source) filter (where metric = 'leading_share') as leading_share_source,
        max(reported_value) filter (where metric = 'output_ytd_yoy') as output_ytd_yoy_reported
    from metric_notes
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
        o.output_ytd,
        n.land_period,
        n.land_age_months,
        n.leading_share_source,
        n.output_ytd_yoy_reported
    from latest as l
    join parks as p on p.park_id = l.park_id
    left join metrics as m on m.park_id = l.park_id and m.period = l.period
    left join output as o on o.park_id = l.park_id and o.period = l.period
    left join notes as n on n.park_id = l.park_id and n.period = l.period
    order by m.tax_per_mu desc nulls last, p.name
)

select * from final
