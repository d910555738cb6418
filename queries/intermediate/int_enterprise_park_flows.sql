-- int_enterprise_park_flows: a park's flows as the sums over its enterprises.
-- Grain: one row per park × flow indicator × month where some sum is known.
-- Returns: park_id, indicator, period, month_value, ytd_value, prior_month_value,
--          prior_ytd_value, firms (how many firms the sum covers).
-- Units: as int_enterprise_flow_values (万元 …).
--
-- Rules (docs/enterprises.md rules 3 and 4):
--   Each figure of a month (the month, the cumulative, the restated prior-year
--   month and cumulative) is the sum of that same figure over the firms on the
--   park's register at that month (int_enterprise_members): a firm that joins in
--   April adds nothing to January–March and brings its whole 1-4月 cumulative.
--   规上 indicators (SCALE below) sum the firms 规上 at that month; the others sum
--   every firm on the register.
--   A sum is known only when every firm it covers has the value (reported or
--   derived): one firm without it makes the sum unknown, never smaller.
--   The prior-year sums therefore exist only where every current firm has its
--   上年同期; growth then uses them as its base (the same firms), else the park's
--   own value a year earlier (metrics/ytd_growth, month_growth).
--   A figure that covers no firm (some firm of the park has the indicator, none is
--   规上 yet) is 0, the sum of nothing.
--   leading_output: the output of the 规上 firms whose industry code falls in a
--   leading group in force (0 when none does); only where the park has a list.

with members as (
    select * from int_enterprise_members
),

flows as (
    select * from int_enterprise_flow_values
),

leading_lists as (
    select * from stg_leading_groups
),

scale_indicators as (
    -- SCALE: 规上工业总产值, 工业销售产值, 出口交货值, 主导产业产值, 营业收入
    select unnest(['output', 'sales_output', 'export_delivery', 'leading_output', 'revenue']) as indicator
),

park_indicators as (
    -- the indicators some firm of the park has at the month
    select distinct m.park_id, f.indicator, m.period
    from members as m
    join flows as f on f.enterprise_id = m.enterprise_id and f.period = m.period
),

covered as (
    -- a left join: a figure covering no firm (none 规上 yet) is a sum of nothing, 0
    select pi.park_id, pi.indicator, pi.period, m.enterprise_id, pi.indicator as source_indicator
    from park_indicators as pi
    left join members as m
        on m.park_id = pi.park_id and m.period = pi.period
        and (m.above_scale or pi.indicator not in (select indicator from scale_indicators))
    union all
    select pi.park_id, 'leading_output', pi.period, m.enterprise_id, 'output'
    from park_indicators as pi
    left join members as m
        on m.park_id = pi.park_id and m.period = pi.period and m.above_scale and m.in_leading
    where pi.indicator = 'output'
      and exists (select 1 from leading_lists as l where l.park_id = pi.park_id and l.valid_from <= pi.period
                  and (l.valid_to is null or pi.period < l.valid_to))
),

valued as (
    select c.park_id, c.indicator, c.period, c.enterprise_id,
           f.month_value, f.ytd_value, f.prior_month_value, f.prior_ytd_value
    from covered as c
    left join flows as f
        on f.enterprise_id = c.enterprise_id and f.indicator = c.source_indicator and f.period = c.period
),

sums as (
    -- count(enterprise_id): the firms covered (a leading row with none has a null firm)
    select
        park_id,
        indicator,
        period,
        case when count(month_value) = count(enterprise_id) then coalesce(sum(month_value), 0) end as month_value,
        case when count(ytd_value) = count(enterprise_id) then coalesce(sum(ytd_value), 0) end as ytd_value,
        case when count(prior_month_value) = count(enterprise_id)
             then coalesce(sum(prior_month_value), 0) end as prior_month_value,
        case when count(prior_ytd_value) = count(enterprise_id)
             then coalesce(sum(prior_ytd_value), 0) end as prior_ytd_value,
        count(enterprise_id) as firms,
        count(month_value) + count(ytd_value) + count(prior_month_value) + count(prior_ytd_value) as known_cells
    from valued
    group by park_id, indicator, period
),

final as (
    select park_id, indicator, period, year(period) as year, month(period) as month,
           month_value, ytd_value, prior_month_value, prior_ytd_value, firms
    from sums
    where known_cells > 0 or firms = 0
)

select * from final
