-- month_above_ytd: a reported 本月 above the reported 累计 of the same month.
-- Grain: one row per park × flow indicator × month. Parameters: $upload_id, $parks (the park ids the upload touched: every
-- input is read for those parks only, and no check compares two parks).
-- Returns: park_id, indicator, period, value (本月), previous (累计). Units canonical.

with observations as (
    select * from stg_observations where list_contains($parks, park_id)
),

final as (
    select m.park_id, m.indicator, m.period, m.value, y.value as previous
    from observations as m
    join observations as y
        on y.park_id = m.park_id and y.indicator = m.indicator and y.period = m.period and y.basis = 'ytd'
    where m.basis = 'month'
      and m.value > y.value + 1e-6
      and $upload_id in (m.upload_id, y.upload_id)
    order by m.park_id, m.indicator, m.period
)

select * from final
