-- park_firm_totals: a park's own totals at one month (the 企业 page sets them beside
-- the sums over the firms it lists; the 低效用地 list takes its shares of them).
-- Grain: one row per indicator (output, tax, revenue: 1-本月; land_area: in force)
--        the park has a figure for.
-- Parameters: $park (canonical park name), $period (first day of a month).
-- Returns: indicator,
--   in_force (the park's figure every other page uses: its own, else its firms' sum;
--             docs/enterprises.md rule 3),
--   from_enterprises (in_force is the sum over its firms, 由企业汇总).
-- Units: 万元 (output, tax, revenue), 亩 (land_area).

with flows as (
    select * from int_flow_values
),

stocks as (
    select * from int_stock_values
),

parks as (
    select * from parks
),

park as (
    select park_id from parks where name = $park
),

final as (
    select indicator, ytd_value as in_force, from_enterprises
    from flows join park using (park_id)
    where period = $period and indicator in ('output', 'tax', 'revenue') and ytd_value is not null
    union all
    select indicator, value, from_enterprises
    from stocks join park using (park_id)
    where period = $period and indicator = 'land_area' and value is not null
    order by list_position(['output', 'tax', 'revenue', 'land_area'], indicator)
)

select * from final
