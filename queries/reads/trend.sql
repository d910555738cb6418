-- trend: one flow indicator month by month for a set of parks, with its growth.
-- Grain: one row per park × month that has any of the values.
-- Parameters: $indicator (output, tax, fixed_investment …), $parks (list of names, or null).
-- Returns: park, period, year, month, month_value, ytd_value (万元),
--          yoy, mom, ytd_yoy (computed, %), ytd_yoy_reported (as the sheet published, %),
--          reported_gap (reported − computed, points), reported_differs (|gap| > 1 point).

with metric_values as (
    select * from metric_values
    where $parks is null or list_contains($parks, park)
),

flows as (
    select f.park_id, p.name as park, f.period, f.month_value, f.ytd_value
    from int_flow_values as f
    join parks as p using (park_id)
    where f.indicator = $indicator
      and ($parks is null or list_contains($parks, p.name))
),

growth as (
    select
        park_id,
        period,
        max(value) filter (where metric = $indicator || '_yoy') as yoy,
        max(value) filter (where metric = $indicator || '_mom') as mom,
        max(value) filter (where metric = $indicator || '_ytd_yoy') as ytd_yoy,
        max(value) filter (where metric = $indicator || '_ytd_yoy_reported') as ytd_yoy_reported
    from metric_values
    where metric in ($indicator || '_yoy', $indicator || '_mom', $indicator || '_ytd_yoy',
                     $indicator || '_ytd_yoy_reported')
    group by park_id, period
),

joined as (
    select
        coalesce(f.park_id, g.park_id) as park_id,
        coalesce(f.period, g.period) as period,
        f.month_value,
        f.ytd_value,
        g.yoy,
        g.mom,
        g.ytd_yoy,
        g.ytd_yoy_reported
    from flows as f
    full outer join growth as g on g.park_id = f.park_id and g.period = f.period
),

final as (
    select
        p.name as park,
        j.period,
        year(j.period) as year,
        month(j.period) as month,
        j.month_value,
        j.ytd_value,
        j.yoy,
        j.mom,
        j.ytd_yoy,
        j.ytd_yoy_reported,
        j.ytd_yoy_reported - j.ytd_yoy as reported_gap,
        coalesce(abs(j.ytd_yoy_reported - j.ytd_yoy) > 1, false) as reported_differs
    from joined as j
    join parks as p using (park_id)
    where j.month_value is not null or j.ytd_value is not null or j.yoy is not null
       or j.mom is not null or j.ytd_yoy is not null or j.ytd_yoy_reported is not null
    order by p.name, j.period
)

select * from final
