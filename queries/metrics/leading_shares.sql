-- leading_shares: 主导产业占比 — leading industries' cumulative share.
-- Grain: one row per park × month of int_park_months.
-- Returns: leading_share (output), leading_tax_share (tax),
--          leading_investment_share (fixed-asset investment).
--          leading_share_source: 'leading_output' (主导产业产值 ÷ 总产值, as reported) or
--          'industries' (from the industry breakdown where leading_output is not reported:
--          the leading industries' output ÷ the output of all industries listed — the
--          denominator of the 主导产业 page, reads/industries.sql).
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

breakdown as (
    select
        park_id,
        period,
        sum(output) filter (where is_leading) as leading_output,
        sum(output) as industry_output
    from stg_industries
    group by park_id, period
),

shares as (
    select
        pm.park_id,
        pm.period,
        case when c.output > 0 then 100 * c.leading_output / c.output end as reported_share,
        case when b.industry_output > 0 then 100 * b.leading_output / b.industry_output end as breakdown_share,
        case when c.tax > 0 then 100 * c.leading_tax / c.tax end as leading_tax_share,
        case when c.fixed_investment > 0
             then 100 * c.leading_investment / c.fixed_investment end as leading_investment_share
    from park_months as pm
    left join cumulative as c on c.park_id = pm.park_id and c.period = pm.period
    left join breakdown as b on b.park_id = pm.park_id and b.period = pm.period
),

final as (
    select
        park_id,
        period,
        coalesce(reported_share, breakdown_share) as leading_share,
        leading_tax_share,
        leading_investment_share,
        case when reported_share is not null then 'leading_output'
             when breakdown_share is not null then 'industries' end as leading_share_source
    from shares
)

select * from final
