-- reported_months: the months each park has a value (reported or derived) of output or tax.
-- Grain: one row per park × month. Parameters: $parks (list of park names, or null for every
-- park with data). A park with data but no output or tax at all has one row with period null,
-- so that it still counts in its group.
-- Returns: park, period.

with flows as (
    select * from int_flow_values
    where indicator in ('output', 'tax') and (month_value is not null or ytd_value is not null)
),

chosen_parks as (
    select p.park_id, p.name
    from parks as p
    where p.park_id in (select park_id from int_park_value_months)
      and ($parks is null or list_contains($parks, p.name))
),

final as (
    select distinct p.name as park, f.period
    from chosen_parks as p
    left join flows as f on f.park_id = p.park_id
    order by park, period
)

select * from final
