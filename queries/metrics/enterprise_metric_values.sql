-- enterprise_metric_values: the metrics of each enterprise (docs/enterprises.md,
-- "Metrics per enterprise"), long.
-- Grain: one row per enterprise × month × metric, for the months the firm belongs
-- to a park between its first and last month with a value of its own.
-- Returns: enterprise_id, park_id, period, metric, value (null where an input is unknown).
-- Metrics and units: output_ytd, tax_ytd, revenue_ytd (万元, cumulative from January);
--   land_area (亩, in force: unknown before the firm's first parcel or report);
--   tax_per_mu, output_per_mu, revenue_per_mu (万元/亩); tax_per_mu_annual
--   (tax_per_mu × 12 ÷ N for month N); output_ytd_yoy, tax_ytd_yoy (%, over the
--   firm's restated 上年同期 cumulative where a sheet printed one, else its own
--   cumulative a year earlier; null over an unknown, zero or negative base);
--   output_per_kwh (cumulative output ÷ cumulative electricity, 万元 per 万千瓦时).
-- Definitions as for parks (metrics/per_mu, metrics/ytd_growth).

with members as (
    select * from int_enterprise_members
),

flows as (
    select * from int_enterprise_flow_values
),

stocks as (
    select * from int_enterprise_stock_values
),

active as (
    -- each firm's months from its first to its last month with a value of its own
    select enterprise_id, min(period) as first_month, max(period) as last_month
    from stg_enterprise_observations
    where basis in ('month', 'ytd', 'stock')
    group by enterprise_id
),

spine as (
    select m.enterprise_id, m.park_id, m.period, m.month
    from members as m
    join active as a on a.enterprise_id = m.enterprise_id and m.period between a.first_month and a.last_month
),

cumulative as (
    select
        enterprise_id,
        period,
        max(ytd_value) filter (where indicator = 'output') as output_ytd,
        max(ytd_value) filter (where indicator = 'tax') as tax_ytd,
        max(ytd_value) filter (where indicator = 'revenue') as revenue_ytd,
        max(ytd_value) filter (where indicator = 'electricity') as electricity_ytd,
        max(prior_ytd_value) filter (where indicator = 'output') as output_prior_ytd,
        max(prior_ytd_value) filter (where indicator = 'tax') as tax_prior_ytd
    from flows
    where indicator in ('output', 'tax', 'revenue', 'electricity')
    group by enterprise_id, period
),

land as (
    select enterprise_id, period, value as land_area
    from stocks
    where indicator = 'land_area'
),

wide as (
    select
        s.enterprise_id,
        s.park_id,
        s.period,
        s.month,
        c.output_ytd,
        c.tax_ytd,
        c.revenue_ytd,
        l.land_area,
        c.electricity_ytd,
        coalesce(c.output_prior_ytd, last_year.output_ytd) as output_base,
        coalesce(c.tax_prior_ytd, last_year.tax_ytd) as tax_base
    from spine as s
    left join cumulative as c on c.enterprise_id = s.enterprise_id and c.period = s.period
    left join cumulative as last_year
        on last_year.enterprise_id = s.enterprise_id
        and last_year.period = cast(s.period - interval 1 year as date)
    left join land as l on l.enterprise_id = s.enterprise_id and l.period = s.period
),

metrics as (
    select
        enterprise_id,
        park_id,
        period,
        output_ytd,
        tax_ytd,
        revenue_ytd,
        land_area,
        tax_ytd / nullif(land_area, 0) as tax_per_mu,
        tax_ytd / nullif(land_area, 0) * 12 / month as tax_per_mu_annual,
        output_ytd / nullif(land_area, 0) as output_per_mu,
        revenue_ytd / nullif(land_area, 0) as revenue_per_mu,
        case when output_base > 0 then 100 * (output_ytd / output_base - 1) end as output_ytd_yoy,
        case when tax_base > 0 then 100 * (tax_ytd / tax_base - 1) end as tax_ytd_yoy,
        output_ytd / nullif(electricity_ytd, 0) as output_per_kwh
    from wide
),

final as (
    select enterprise_id, park_id, period, metric, cast(value as double) as value
    from metrics
    unpivot include nulls (value for metric in (columns(* exclude (enterprise_id, park_id, period))))
)

select * from final
