-- stg_leading_groups: each park's leading industries (主导产业, N6) as GB/T 4754-2017
-- code prefixes, with the months they are in force.
-- Grain: one row per park × list date (valid_from) × group × prefix.
-- Rule: a list with a later valid_from restates the park's whole list from then
-- on (valid_to: the next list's month, exclusive; null: still in force); the
-- latest upload of one park's list for one month replaces that list.
-- Returns: park_id, group_name, prefix, valid_from, valid_to.

with leading_groups as (
    select * from leading_groups
),

latest_upload as (
    select park_id, valid_from, max(upload_id) as upload_id
    from leading_groups
    group by park_id, valid_from
),

lists as (
    select distinct g.park_id, g.group_name, g.prefix, g.valid_from
    from leading_groups as g
    join latest_upload as l using (park_id, valid_from, upload_id)
),

list_dates as (
    select park_id, valid_from, lead(valid_from) over (partition by park_id order by valid_from) as valid_to
    from (select distinct park_id, valid_from from lists)
),

final as (
    select lists.park_id, lists.group_name, lists.prefix, lists.valid_from, list_dates.valid_to
    from lists
    join list_dates using (park_id, valid_from)
)

select * from final
