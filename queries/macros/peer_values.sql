-- peer_values: the one peer set and its statistics, for 园区对比 and 排名
-- (reads/benchmark.sql), 预警 (reads/alerts.sql) and 综合评价 (reads/evaluation.sql).
-- A parameterised model: a DuckDB table macro, created on connect after the
-- models it reads (parkbench/models/sql.py); a read calls it as
--   from peer_values($period, $group, $parks, $metrics)
-- Grain: one row per metric × park of the peer set; a park of the set without
--        a value for the metric is kept with value null (shown as 未报送).
-- Parameters:
--   p_period    first day of the month
--   p_group     a saved peer group (peer_groups.group_name), or null
--   p_parks     list of canonical park names, or null
--   p_metrics   list of metric ids (each gets its rows, even one nobody has),
--               or null for every metric with a value in the month
-- The peer set is p_group's parks if given, else p_parks, else — the one
-- default — every park with a value stored for p_period (any indicator it
-- reported or derived: metric_values has a row for each such park × month):
-- 本期有数值的园区.
-- Why that default: a statistician reads "平均" of a month as the mean of the
-- parks that reported that month. A park that has reported before but not this
-- month is late, not zero: it is named by 本期未报送 on every page and counted
-- nowhere (not in the mean, not in n for classes, not as a row of 综合评价).
-- Whatever the set, the statistics count only the parks of the set with a
-- value for the metric (未报送的不计入).
-- Returns: metric, park_id, park, value,
--   published     value is the growth the sheet published (metric <m>_reported), standing in
--                 for the computed growth <m> where that is unknown; otherwise false
--   reported      the park has a value stored for p_period (always true in the default set)
--   set_size      parks in the peer set
--   peers         parks of the set with a value for the metric
--   peer_mean, q1, peer_median, q3   mean and continuous quartiles of those values
--   best, worst   their largest and smallest value
-- Units: those of the metric (parkbench/catalog.py).

create or replace macro peer_values(p_period, p_group, p_parks, p_metrics) as table

with metric_values as (
    select * from metric_values
),

parks as (
    select * from parks
),

peer_groups as (
    select * from peer_groups
),

month_values as (
    select park_id, metric, value
    from metric_values
    where period = p_period
),

-- A growth the sheet published stands in for the computed one where that is unknown (no
-- level a year earlier to compute from): ranked and counted like it, marked published.
published_in_place as (
    select r.park_id, replace(r.metric, '_reported', '') as metric, r.value, true as published
    from month_values as r
    where r.metric like '%\_reported' escape '\'
      and r.value is not null
      and replace(r.metric, '_reported', '') in (select metric from month_values)
      and not exists (select 1 from month_values as c
                      where c.park_id = r.park_id and c.metric = replace(r.metric, '_reported', '')
                        and c.value is not null)
),

values_in_period as (
    select park_id, metric, value, false as published from month_values where value is not null
    union all
    select * from published_in_place
),

parks_with_a_value as (
    select distinct park_id from month_values
),

peer_set as (
    select p.park_id, p.name as park, p.park_id in (select park_id from parks_with_a_value) as reported
    from parks as p
    where case
        when p_group is not null
            then p.park_id in (select park_id from peer_groups where group_name = p_group)
        when p_parks is not null
            then list_contains(p_parks, p.name)
        else p.park_id in (select park_id from parks_with_a_value)
    end
),

metrics_asked as (
    select unnest(p_metrics) as metric
    where p_metrics is not null
    union
    select distinct metric
    from values_in_period
    where p_metrics is null
      and metric not like '%\_reported' escape '\'
),

cells as (
    select m.metric, ps.park_id, ps.park, ps.reported, v.value, coalesce(v.published, false) as published
    from metrics_asked as m
    cross join peer_set as ps
    left join values_in_period as v on v.metric = m.metric and v.park_id = ps.park_id
),

stats as (
    select
        metric,
        count(*) as set_size,
        count(value) as peers,
        avg(value) as peer_mean,
        quantile_cont(value, 0.25) as q1,
        median(value) as peer_median,
        quantile_cont(value, 0.75) as q3,
        max(value) as best,
        min(value) as worst
    from cells
    group by metric
),

final as (
    select c.metric, c.park_id, c.park, c.reported, c.value, c.published, s.* exclude (metric)
    from cells as c
    join stats as s using (metric)
)

select * from final
