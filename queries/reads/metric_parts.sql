-- metric_parts: the numerator and denominator each metric of one park and month is made
-- of, so that a gap (parkbench/models/gap.py, 差距测算) can say how much of the numerator
-- would reach a reference value. The same inputs and rules as the metric models
-- (metrics/per_mu, leading_shares, ytd_growth, month_growth, efficiency); gap.py checks
-- that the parts give back the stored value and says nothing where they do not.
-- Grain: one row per metric that has a numerator/denominator reading (below).
-- Parameters: $park (canonical park name), $period (first day of the month).
-- Returns:
--   metric                 metric id (parkbench/catalog.py)
--   kind                   'ratio'   value = factor × numerator ÷ denominator (亩均, efficiency)
--                          'share'   value = 100 × numerator ÷ denominator, the numerator part
--                                    of the denominator (raising it raises both)
--                          'growth'  value = 100 × (numerator ÷ denominator − 1), denominator the base
--   numerator_indicator    the flow the gap moves (tax, output, leading_output …)
--   numerator              its value: cumulative 1–N月 (basis 'ytd') or the month (basis 'month')
--   denominator_indicator  land_area, output, energy … or, for growth, the base's indicator
--   denominator            land in force (亩), the cumulative divided by, or the growth base
--   factor                 12 ÷ N for annualised metrics, 100 for percentages, else 1
--   basis                  'ytd' or 'month': which value of the numerator
-- Units: 万元 for money, 亩 for land (canonical units of the store).

with park as (
    select park_id from parks where name = $park
),

flows as (
    select f.indicator, f.period, f.month_value, f.ytd_value, f.prior_month_value, f.prior_ytd_value
    from int_flow_values as f
    where f.park_id = (select park_id from park)
      and f.period in ($period, cast($period - interval 1 year as date), cast($period - interval 1 month as date))
),

current_flows as (
    select * from flows where period = $period
),

stocks as (
    select indicator, value
    from int_stock_values
    where park_id = (select park_id from park) and period = $period
),

ytd as (
    select indicator, ytd_value as value from current_flows
),

breakdown as (
    select sum(output) filter (where is_leading) as leading_output, sum(output) as industry_output
    from stg_industries
    where park_id = (select park_id from park) and period = $period
),

share_source as (
    select leading_share_source as source
    from leading_shares
    where park_id = (select park_id from park) and period = $period
),

ratio_metrics (metric, kind, numerator_indicator, denominator_indicator, factor) as (
    values
        ('tax_per_mu', 'ratio', 'tax', 'land_area', 1.0),
        ('tax_per_mu_annual', 'ratio', 'tax', 'land_area', 12.0 / month($period)),
        ('output_per_mu', 'ratio', 'output', 'land_area', 1.0),
        ('value_added_per_mu', 'ratio', 'value_added', 'land_area', 1.0),
        ('revenue_per_mu', 'ratio', 'revenue', 'land_area', 1.0),
        ('value_added_per_energy', 'ratio', 'value_added', 'energy', 1.0),
        ('tax_per_energy', 'ratio', 'tax', 'energy', 1.0),
        ('labour_productivity', 'ratio', 'value_added', 'employees', 12.0 / month($period)),
        ('rd_intensity', 'ratio', 'rd_spend', 'revenue', 100.0),
        ('leading_tax_share', 'share', 'leading_tax', 'tax', 100.0),
        ('leading_investment_share', 'share', 'leading_investment', 'fixed_investment', 100.0)
),

ratios as (
    select
        m.metric, m.kind, m.numerator_indicator,
        n.value as numerator,
        m.denominator_indicator,
        coalesce(d.value, s.value) as denominator,
        m.factor,
        'ytd' as basis
    from ratio_metrics as m
    left join ytd as n on n.indicator = m.numerator_indicator
    left join ytd as d on d.indicator = m.denominator_indicator
    left join stocks as s on s.indicator = m.denominator_indicator
),

-- 主导产业占比 from whichever source metrics/leading_shares used for this park-month
leading_share_parts as (
    select
        'leading_share' as metric, 'share' as kind, 'leading_output' as numerator_indicator,
        case when src.source = 'industries' then b.leading_output
             else (select value from ytd where indicator = 'leading_output') end as numerator,
        'output' as denominator_indicator,
        case when src.source = 'industries' then b.industry_output
             else (select value from ytd where indicator = 'output') end as denominator,
        100.0 as factor,
        'ytd' as basis
    from share_source as src
    cross join breakdown as b
),

-- growth bases as metrics/ytd_growth and metrics/month_growth take them: the restated
-- 上年同期 printed with the period where given, else the value a year (a month) earlier
growth_metrics (metric, indicator, basis, base) as (
    values
        ('output_ytd_yoy', 'output', 'ytd', 'year'),
        ('tax_ytd_yoy', 'tax', 'ytd', 'year'),
        ('fixed_investment_ytd_yoy', 'fixed_investment', 'ytd', 'year'),
        ('output_yoy', 'output', 'month', 'year'),
        ('tax_yoy', 'tax', 'month', 'year'),
        ('output_mom', 'output', 'month', 'month'),
        ('tax_mom', 'tax', 'month', 'month')
),

growth as (
    select
        g.metric, 'growth' as kind, g.indicator as numerator_indicator,
        case g.basis when 'ytd' then cur.ytd_value else cur.month_value end as numerator,
        g.indicator as denominator_indicator,
        case
            when g.basis = 'ytd' then coalesce(cur.prior_ytd_value, last_year.ytd_value)
            when g.base = 'year' then coalesce(cur.prior_month_value, last_year.month_value)
            else previous.month_value
        end as denominator,
        100.0 as factor,
        g.basis
    from growth_metrics as g
    left join current_flows as cur on cur.indicator = g.indicator
    left join flows as last_year
        on last_year.indicator = g.indicator and last_year.period = cast($period - interval 1 year as date)
    left join flows as previous
        on previous.indicator = g.indicator and previous.period = cast($period - interval 1 month as date)
),

final as (
    select * from ratios
    union all
    select * from leading_share_parts
    union all
    select * from growth
)

select * from final
