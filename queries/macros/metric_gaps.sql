-- metric_gaps: why a metric has no value, so that 说明 can say it (用地面积未报送, 无上年同期…).
-- A parameterised model (a DuckDB table macro, like macros/peer_values.sql): the parks and
-- metrics narrow metric_values before the joins, which over every park of a province
-- took a third of a second a month; called as  from metric_gaps($period, parks, metrics).
-- Parameters: p_period (first day of the month), p_parks (list of park names, or null for all),
--             p_metrics (list of metric ids, or null for all).
-- Grain: one row per park × metric of metric_values whose value is null in p_period.
-- Returns: park_id, period, metric,
--   gaps   the inputs that fail, in the metric's order, as kind:indicator joined by ',':
--          missing:<i>              the value (cumulative, or in force) of input <i> is unknown (未报送)
--          no_month_value:<i>       the month's own value of <i> is unknown: neither reported nor
--                                   derivable (the cumulative before it is missing)
--          zero:<i>                 the divisor <i> is 0 (e.g. 用地面积为 0)
--          no_prior_year:<i>        no value of <i> a year earlier (无上年同期)
--          prior_year_zero:<i>      that value is 0
--          no_previous_month:<i>    no value of <i> the month before (无上月数)
--          previous_month_zero:<i>  that value is 0
--          null where no input fails (the metric is then unknown for a reason not listed here)
-- The inputs of each metric follow metrics/per_mu, leading_shares, ytd_growth, month_growth and
-- efficiency: ytd = the cumulative of the month, month = the month's own value, stock = in force.

create or replace macro metric_gaps(p_period, p_parks, p_metrics) as table

with metric_values as (
    select * from metric_values
),

flows as (  -- the month, a year before and the month before: the hash joins below stay small
    select f.*
    from int_flow_values as f
    join parks as p on p.park_id = f.park_id
    where f.period in (p_period, cast(p_period - interval 1 year as date), cast(p_period - interval 1 month as date))
      and (p_parks is null or list_contains(p_parks, p.name))
),

stocks as (
    select s.*
    from int_stock_values as s
    join parks as p on p.park_id = s.park_id
    where s.period = p_period
      and (p_parks is null or list_contains(p_parks, p.name))
),

-- position orders the inputs as a reader names them; role: value (must be known),
-- divisor (known and not 0), prior_year / previous_month (the growth base)
inputs (metric, position, indicator, basis, role) as (
    values
        ('tax_per_mu', 1, 'tax', 'ytd', 'value'), ('tax_per_mu', 2, 'land_area', 'stock', 'divisor'),
        ('tax_per_mu_annual', 1, 'tax', 'ytd', 'value'), ('tax_per_mu_annual', 2, 'land_area', 'stock', 'divisor'),
        ('output_per_mu', 1, 'output', 'ytd', 'value'), ('output_per_mu', 2, 'land_area', 'stock', 'divisor'),
        ('value_added_per_mu', 1, 'value_added', 'ytd', 'value'),
        ('value_added_per_mu', 2, 'land_area', 'stock', 'divisor'),
        ('revenue_per_mu', 1, 'revenue', 'ytd', 'value'), ('revenue_per_mu', 2, 'land_area', 'stock', 'divisor'),
        ('leading_share', 1, 'leading_output', 'ytd', 'value'), ('leading_share', 2, 'output', 'ytd', 'divisor'),
        ('leading_tax_share', 1, 'leading_tax', 'ytd', 'value'), ('leading_tax_share', 2, 'tax', 'ytd', 'divisor'),
        ('leading_investment_share', 1, 'leading_investment', 'ytd', 'value'),
        ('leading_investment_share', 2, 'fixed_investment', 'ytd', 'divisor'),
        ('output_ytd_yoy', 1, 'output', 'ytd', 'value'), ('output_ytd_yoy', 2, 'output', 'ytd', 'prior_year'),
        ('tax_ytd_yoy', 1, 'tax', 'ytd', 'value'), ('tax_ytd_yoy', 2, 'tax', 'ytd', 'prior_year'),
        ('fixed_investment_ytd_yoy', 1, 'fixed_investment', 'ytd', 'value'),
        ('fixed_investment_ytd_yoy', 2, 'fixed_investment', 'ytd', 'prior_year'),
        ('output_yoy', 1, 'output', 'month', 'value'), ('output_yoy', 2, 'output', 'month', 'prior_year'),
        ('tax_yoy', 1, 'tax', 'month', 'value'), ('tax_yoy', 2, 'tax', 'month', 'prior_year'),
        ('output_mom', 1, 'output', 'month', 'value'), ('output_mom', 2, 'output', 'month', 'previous_month'),
        ('tax_mom', 1, 'tax', 'month', 'value'), ('tax_mom', 2, 'tax', 'month', 'previous_month'),
        ('energy_per_output', 1, 'energy', 'ytd', 'value'), ('energy_per_output', 2, 'output', 'ytd', 'divisor'),
        ('value_added_per_energy', 1, 'value_added', 'ytd', 'value'),
        ('value_added_per_energy', 2, 'energy', 'ytd', 'divisor'),
        ('tax_per_energy', 1, 'tax', 'ytd', 'value'), ('tax_per_energy', 2, 'energy', 'ytd', 'divisor'),
        ('labour_productivity', 1, 'value_added', 'ytd', 'value'),
        ('labour_productivity', 2, 'employees', 'stock', 'divisor'),
        ('rd_intensity', 1, 'rd_spend', 'ytd', 'value'), ('rd_intensity', 2, 'revenue', 'ytd', 'divisor')
),

unknown as (
    select park_id, period, metric
    from metric_values
    where value is null
      and period = p_period
      and (p_parks is null or list_contains(p_parks, park))
      and (p_metrics is null or list_contains(p_metrics, metric))
),

checked as (
    select
        u.park_id,
        u.period,
        u.metric,
        i.position,
        i.indicator,
        i.role,
        i.basis,
        case i.basis when 'stock' then s.value when 'ytd' then f.ytd_value else f.month_value end as current,
        case i.basis
            when 'ytd' then coalesce(f.prior_ytd_value, last_year.ytd_value)
            else coalesce(f.prior_month_value, last_year.month_value) end as prior_year,
        previous.month_value as previous_month
    from unknown as u
    left join inputs as i on i.metric = u.metric
    left join flows as f
        on f.park_id = u.park_id and f.indicator = i.indicator and f.period = u.period
    left join flows as last_year
        on last_year.park_id = u.park_id and last_year.indicator = i.indicator
        and last_year.period = cast(u.period - interval 1 year as date)
    left join flows as previous
        on previous.park_id = u.park_id and previous.indicator = i.indicator
        and previous.period = cast(u.period - interval 1 month as date)
    left join stocks as s
        on s.park_id = u.park_id and s.indicator = i.indicator and s.period = u.period
),

failing as (
    select
        park_id,
        period,
        metric,
        position,
        case
            when role in ('value', 'divisor') and current is null and basis = 'month' then 'no_month_value'
            when role in ('value', 'divisor') and current is null then 'missing'
            when role = 'divisor' and current = 0 then 'zero'
            when role = 'prior_year' and prior_year is null then 'no_prior_year'
            when role = 'prior_year' and prior_year <= 0 then 'prior_year_zero'
            when role = 'previous_month' and previous_month is null then 'no_previous_month'
            when role = 'previous_month' and previous_month <= 0 then 'previous_month_zero'
        end || ':' || indicator as gap
    from checked
),

final as (
    select park_id, period, metric, string_agg(gap, ',' order by position) as gaps
    from failing
    group by park_id, period, metric
)

select * from final
