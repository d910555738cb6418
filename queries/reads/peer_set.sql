-- peer_set: the parks a page compares with in one month (macros/peer_values.sql,
-- the one peer set of 园区对比, 预警 and 综合评价), for the 对标范围 caption.
-- Grain: one row per park of the set.
-- Parameters: $period (first day of the month), $group (a saved peer group, or null),
--             $parks (list of canonical park names, or null): as in macros/peer_values.sql.
-- Returns: park_id, park, reported (the park has a value stored for $period).

with peer_cells as (
    -- one metric named, so each park of the set has exactly one row, whether or not
    -- any park has values this month
    select * from peer_values($period, $group, $parks, ['tax_per_mu'])
),

final as (
    select park_id, park, reported
    from peer_cells
    order by park
)

select * from final
