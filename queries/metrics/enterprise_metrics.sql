-- enterprise_metrics: the metrics of each enterprise (docs/enterprises.md,
-- "Metrics per enterprise"), wide, with what the firm is at the month.
-- Grain: one row per enterprise × month the firm belongs to a park, in each year it has
-- a value of its own: up to its last such month of the year, from its first (from
-- January when it had one the year before). Never reading a later year keeps the
-- rebuild by park and year (models/sql.build_tables) equal to a full rebuild.
-- Returns: enterprise_id, park_id, period, month, above_scale (规上 at the month),
--   industry_code, in_leading (its code falls in a leading group of the park), and
--   the metrics (null where an input is unknown):
--   output_ytd, tax_ytd, revenue_ytd (万元, cumulative from January);
--   land_area (亩, in force: unknown before the firm's first parcel or report);
--   tax_per_mu, output_per_mu, revenue_per_mu (万元/亩); tax_per_mu_annual
--   (tax_per_mu × 12 ÷ N for month N); output_ytd_yoy, tax_ytd_yoy (%, over the
--   firm's restated 上年同期 cumulative where a sheet printed one, else its own
--   cumulative a year earlier; null over an unknown, zero or negative base);
--   output_per_kwh (cumulative output ÷ cumulative electricity, 万元 per 万千瓦时).
-- Definitions as for parks (metrics/per_mu, metrics/ytd_growth).
-- Materialised (models/sql.py TABLES): the 企业 page, the enterprise evaluation and
-- the long enterprise_metric_values read one park or one month of it, which as a
-- view meant working out every firm's every month first (7 s at 30,000 firms).

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
    -- each firm's first and last month with a value of its own, year by year
    select enterprise_id, year(period) as year, min(period) as first_month, max(period) as last_month
    from stg_enterprise_observations
    where basis in ('month', 'ytd', 'stock')
    group by enterprise_id, year(period)
),

spine as (
    -- a month up to the firm's last value of that year, from its first value of that
    -- year (from January when it had values the year before)
    select m.enterprise_id, m.park_id, m.period, m.month, m.above_scale, m.industry_code, m.in_leading
    from members as m
    join active as a on a.enterprise_id = m.enterprise_id and a.year = m.year and m.period <= a.last_month
    left join active as before on before.enterprise_id = m.enterprise_id and before.year = m.year - 1
    where m.period >= a.first_month or before.enterprise_id is not null
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
        s.above_scale,
        s.industry_code,
        s.in_leading,
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

final as (
    select
        enterprise_id,
        park_id,
        period,
        month,
        above_scale,
        industry_code,
        in_leading,
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
)

select * from final
