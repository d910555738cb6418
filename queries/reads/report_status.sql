-- report_status: 报送进度 — for each park × month × indicator group, whether a value was
-- reported, only derived (e.g. a month from two cumulatives), or is missing.
-- Grain: one row per park × month × indicator group, months from the first to the last
-- month any of the parks has a value. Parameters: $parks (list of park names, or null for
-- every park with data).
-- Groups: key (产值或税收: output or tax, the definition of "reported" for a month),
--         output (产值), tax (税收), investment (投资), land (用地), firms (企业).
-- Returns: park, period, indicator_group, status ('reported' | 'derived' | 'missing').

with observations as (
    select * from stg_observations
),

value_months as (
    -- a park built from its enterprises has its sums as its reported values
    select * from int_park_value_months
),

enterprise_sums as (
    select park_id, indicator, period from int_enterprise_park_flows
    where month_value is not null or ytd_value is not null
    union all
    select park_id, indicator, period from int_enterprise_park_stocks
    where value is not null
),

flows as (
    select * from int_flow_values
),

chosen_parks as (
    select p.park_id, p.name
    from parks as p
    where p.park_id in (select park_id from value_months)
      and ($parks is null or list_contains($parks, p.name))
),

bounds as (
    select min(period) as first_period, max(period) as last_period
    from value_months
    where park_id in (select park_id from chosen_parks)
),

months as (
    select cast(unnest(generate_series(first_period, last_period, interval 1 month)) as date) as period
    from bounds
    where first_period is not null
),

indicator_groups (indicator, indicator_group) as (
    values
        ('output', 'key'), ('tax', 'key'),
        ('output', 'output'), ('value_added', 'output'), ('revenue', 'output'), ('leading_output', 'output'),
        ('tax', 'tax'), ('leading_tax', 'tax'),
        ('fixed_investment', 'investment'), ('industrial_investment', 'investment'),
        ('tech_investment', 'investment'), ('infra_investment', 'investment'),
        ('leading_investment', 'investment'),
        ('land_area', 'land'),
        ('enterprises', 'firms'), ('employees', 'firms')
),

reported as (
    select distinct o.park_id, o.period, g.indicator_group
    from observations as o
    join indicator_groups as g on g.indicator = o.indicator
    union
    select distinct e.park_id, e.period, g.indicator_group
    from enterprise_sums as e
    join indicator_groups as g on g.indicator = e.indicator
),

derived as (
    select distinct f.park_id, f.period, g.indicator_group
    from flows as f
    join indicator_groups as g on g.indicator = f.indicator
    where f.month_value is not null or f.ytd_value is not null
),

grid as (
    select p.park_id, p.name as park, m.period, g.indicator_group
    from chosen_parks as p
    cross join months as m
    cross join (select distinct indicator_group from indicator_groups) as g
),

final as (
    select
        grid.park,
        grid.period,
        grid.indicator_group,
        case when r.park_id is not null then 'reported'
             when d.park_id is not null then 'derived'
             else 'missing' end as status
    from grid
    left join reported as r
        on r.park_id = grid.park_id and r.period = grid.period and r.indicator_group = grid.indicator_group
    left join derived as d
        on d.park_id = grid.park_id and d.period = grid.period and d.indicator_group = grid.indicator_group
    order by grid.park, grid.period, grid.indicator_group
)

select * from final
