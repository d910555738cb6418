-- int_enterprise_park_stocks: a park's stocks (land, employees …) as the sums over its enterprises.
-- Grain: one row per park × stock indicator × month where some firm of the park has it.
-- Returns: park_id, indicator, period, value (null when a firm on the register lacks it), firms.
-- Units: 亩, 人.
-- Rule (docs/enterprises.md rule 3): land, employees and the like sum every firm on
-- the park's register at the month; one firm without a value makes the sum unknown.

with members as (
    select * from int_enterprise_members
),

stocks as (
    select * from int_enterprise_stock_values
),

park_indicators as (
    select distinct m.park_id, s.indicator, m.period
    from members as m
    join stocks as s on s.enterprise_id = m.enterprise_id and s.period = m.period
),

valued as (
    select pi.park_id, pi.indicator, pi.period, m.enterprise_id, s.value
    from park_indicators as pi
    join members as m on m.park_id = pi.park_id and m.period = pi.period
    left join stocks as s on s.enterprise_id = m.enterprise_id and s.indicator = pi.indicator and s.period = pi.period
),

final as (
    select
        park_id,
        indicator,
        period,
        case when count(value) = count(*) then sum(value) end as value,
        count(*) as firms
    from valued
    group by park_id, indicator, period
)

select * from final
