-- flagged_metrics: metrics of a month built on a value that carries an open data-check warning.
-- Grain: one row per park × metric. Parameters: $period (first day of the month),
-- $parks (list of park names, or null for all).
-- Returns: park, metric, reason (what each warning says, joined by '；').

with warnings as (
    select p.name as park, w.indicator, coalesce(w.detail, w.message) as message
    from int_open_warnings as w
    join parks as p on p.park_id = w.park_id
    where w.period = $period and ($parks is null or list_contains($parks, p.name))
),

inputs (metric, indicator) as (
    values
        ('tax_per_mu', 'tax'), ('tax_per_mu', 'land_area'),
        ('tax_per_mu_annual', 'tax'), ('tax_per_mu_annual', 'land_area'),
        ('output_per_mu', 'output'), ('output_per_mu', 'land_area'),
        ('value_added_per_mu', 'value_added'), ('value_added_per_mu', 'land_area'),
        ('revenue_per_mu', 'revenue'), ('revenue_per_mu', 'land_area'),
        ('leading_share', 'leading_output'), ('leading_share', 'output'),
        ('leading_tax_share', 'leading_tax'), ('leading_tax_share', 'tax'),
        ('leading_investment_share', 'leading_investment'), ('leading_investment_share', 'fixed_investment'),
        ('output_yoy', 'output'), ('tax_yoy', 'tax'),
        ('output_mom', 'output'), ('tax_mom', 'tax'),
        ('output_ytd_yoy', 'output'), ('tax_ytd_yoy', 'tax'),
        ('fixed_investment_ytd_yoy', 'fixed_investment')
),

final as (
    select w.park, i.metric, string_agg(distinct w.message, '；' order by w.message) as reason
    from warnings as w
    join inputs as i on i.indicator = w.indicator
    group by w.park, i.metric
    order by w.park, i.metric
)

select * from final
