-- leading_shares: 主导产业占比 — leading industries' cumulative share.
-- Grain: one row per park × month of int_park_months.
-- Returns: leading_share (output), leading_tax_share (tax),
--          leading_investment_share (fixed-asset investment).
-- Units: percent. Null when either cumulative is unknown or the base is not positive.

with park_months as (
    select * from int_park_months
),

cumulative as (
    select
        park_id,
        period,
        max(ytd_value) filter (where indicator = 'leading_output') as leading_output,
        max(ytd_value) filter (where indicator = 'output') as output,
        max(ytd_value) filter (where indicator = 'leading_tax') as leading_tax,
        max(ytd_value) filter (where indicator = 'tax') as tax,
        max(ytd_value) filter (where indicator = 'leading_investment') as leading_investment,
        max(ytd_value) filter (where indicator = 'fixed_investment') as fixed_investment
    from int_flow_values
    where indicator in ('leading_output', 'output', 'leading_tax', 'tax',
                        'leading_investment', 'fixed_investment')
    group by park_id, period
),

final as (
    select
        pm.park_id,
        pm.period,
        case when c.output > 0 then 100 * c.leading_output / c.output end as leading_share,
        case when c.tax > 0 then 100 * c.leading_tax / c.tax end as leading_tax_share,
        case when c.fixed_investment > 0
             then 100 * c.leading_investment / c.fixed_investment end as leading_investment_share
    from park_months as pm
    left join cumulative as c on c.park_id = pm.park_id and c.period = pm.period
)

select * from final
