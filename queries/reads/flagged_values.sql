-- flagged_values: the months of one indicator whose value carries an open data-check warning
-- (数据审核), for the ⚠ of 趋势 (the same warnings reads/flagged_metrics.sql puts on metrics).
-- Grain: one row per park × month. Parameters: $indicator (output, tax …),
-- $parks (list of park names, or null for all).
-- Returns: park, period (first day of the month), reason (what each warning says, joined by '；').

with warnings as (
    select * from int_open_warnings
),

parks as (
    select * from parks
),

final as (
    select
        p.name as park,
        w.period,
        string_agg(distinct coalesce(w.detail, w.message), '；' order by coalesce(w.detail, w.message)) as reason
    from warnings as w
    join parks as p on p.park_id = w.park_id
    where w.indicator = $indicator
      and w.period is not null
      and ($parks is null or list_contains($parks, p.name))
    group by p.name, w.period
    order by p.name, w.period
)

select * from final
