-- metric_notes: what a metric's value rests on, so that it is shown honestly.
-- Grain: one row per park × month × metric with at least one note.
-- Returns: park_id, period, metric,
--   reported_value   for a growth metric (output_ytd_yoy, tax_yoy …): the growth the sheet
--                    itself published for it (percent); shown, marked 报送, where the
--                    computed growth is unknown (never 未报送 then)
--   land_period      for a 亩均 metric: the month of the land area it divides by (as-of join)
--   land_age_months  months from land_period to period; over 24 the figure is shown with
--                    its as-of date (用地面积截至2022年12月)
--   source           for leading_share: 'leading_output' (reported) or 'industries'
--                    (derived from the industry breakdown); for a metric of a park-month
--                    whose output, tax, revenue or land is a sum over the park's
--                    enterprises (docs/enterprises.md rule 3): 'enterprises' (由企业汇总)
-- Units: reported_value in percent.

with reported as (
    select
        park_id,
        period,
        indicator || case basis when 'ytd' then '_ytd_yoy' else '_yoy' end as metric,
        value as reported_value
    from stg_reported_growth
),

land as (
    select park_id, period, reported_period as land_period
    from int_stock_values
    where indicator = 'land_area'
),

per_mu_metrics as (
    select unnest(['tax_per_mu', 'tax_per_mu_annual', 'output_per_mu', 'value_added_per_mu',
                   'revenue_per_mu']) as metric
),

sources as (
    select park_id, period, 'leading_share' as metric, leading_share_source as source
    from leading_shares
    where leading_share_source is not null
),

summed as (
    select distinct park_id, period from int_flow_values
    where from_enterprises and indicator in ('output', 'tax', 'revenue', 'leading_output')
    union
    select distinct park_id, period from int_stock_values
    where from_enterprises and indicator = 'land_area'
),

summed_metrics as (
    select unnest(['tax_per_mu', 'tax_per_mu_annual', 'output_per_mu', 'revenue_per_mu', 'leading_share',
                   'output_yoy', 'output_mom', 'output_ytd_yoy', 'tax_yoy', 'tax_mom', 'tax_ytd_yoy',
                   'enterprises_reporting', 'leading_enterprises']) as metric
),

notes as (
    select park_id, period, metric, reported_value, null::date as land_period, null::varchar as source
    from reported
    union all
    select l.park_id, l.period, m.metric, null, l.land_period, null
    from land as l
    cross join per_mu_metrics as m
    union all
    select park_id, period, metric, null, null, source
    from sources
    union all
    select s.park_id, s.period, m.metric, null, null, 'enterprises'
    from summed as s
    cross join summed_metrics as m
),

final as (
    select
        park_id,
        period,
        metric,
        max(reported_value) as reported_value,
        max(land_period) as land_period,
        datediff('month', max(land_period), period) as land_age_months,
        max(source) as source
    from notes
    group by park_id, period, metric
)

select * from final
