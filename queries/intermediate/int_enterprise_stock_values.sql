-- int_enterprise_stock_values: land area, employees and other stocks of each
-- enterprise at each month it belongs to a park.
-- Grain: one row per enterprise × stock indicator × member month with a value.
-- Returns: enterprise_id, indicator, period, value, reported_period (the month the value is as of).
-- Units: 亩, 人.
-- Rules (docs/enterprises.md N4 and rule 2):
--   land from the land register (N4) where the firm has a parcel registered on or
--   before the month: 自有 + 租入 − 租出 of those parcels, each from its registration
--   month; else the last land area a sheet reported for the firm (as-of join).
--   Every stock holds from its month until the next one and never reaches back:
--   a firm's land before its first parcel or report is unknown, not 0.

with observations as (
    select * from stg_enterprise_observations
),

members as (
    select * from int_enterprise_members
),

indicators as (
    select * from indicators
),

stocks as (
    select o.enterprise_id, o.indicator, o.period, o.value
    from observations as o
    left join indicators as i on i.indicator = o.indicator
    where o.basis = 'stock'
),

firm_stock_indicators as (
    select distinct enterprise_id, indicator from stocks
),

spine as (
    select m.enterprise_id, f.indicator, m.period
    from members as m
    join firm_stock_indicators as f on f.enterprise_id = m.enterprise_id
),

as_of as (
    select spine.enterprise_id, spine.indicator, spine.period, stocks.value, stocks.period as reported_period
    from spine
    asof left join stocks
        on stocks.enterprise_id = spine.enterprise_id
        and stocks.indicator = spine.indicator
        and spine.period >= stocks.period
),

parcel_land as (
    select
        m.enterprise_id,
        'land_area' as indicator,
        m.period,
        sum(p.signed_area) as value,
        max(p.registered) as reported_period
    from members as m
    join stg_enterprise_parcels as p on p.enterprise_id = m.enterprise_id and p.registered <= m.period
    group by m.enterprise_id, m.period
),

combined as (
    select * from parcel_land
    union all
    select a.* from as_of as a
    where a.value is not null
      and not (a.indicator = 'land_area'
               and exists (select 1 from parcel_land as p
                           where p.enterprise_id = a.enterprise_id and p.period = a.period))
),

final as (
    select enterprise_id, indicator, period, value, reported_period from combined
)

select * from final
