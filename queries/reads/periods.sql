-- periods: months for which any metric is known, newest first.
-- Grain: one row per month. Parameters: $metric (metric id, or null for any).
-- Returns: period (first day of the month), parks (parks with a value).

with metric_values as (
    select * from metric_values
    where value is not null and ($metric is null or metric = $metric)
),

final as (
    select period, count(distinct park) as parks
    from metric_values
    group by period
    order by period desc
)

select * from final
