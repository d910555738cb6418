-- stg_leading_groups: each park's leading industries (主导产业, N6) as GB/T 4754-2017
-- code prefixes, with the months they are in force.
-- Grain: one row per park × list × group × prefix.
-- Returns: park_id, group_name, prefix, valid_from, valid_to (exclusive; null: still in force).
-- Rules (docs/enterprises.md N6 and rule 4):
--   One upload's rows for a park are one list, dated by its earliest 起始年月; each
--   of its rows is in force from its own 起始年月 (a group designated later joins
--   the list then: the sample's 新能源电池 from 2022-07 beside 纺织服装 from 2021-01).
--   A list dated later restates the park's whole list from its date on (valid_to
--   of every row of the earlier list); of two lists with the same date the later
--   upload wins.

with leading_groups as (
    select * from leading_groups
),

lists as (
    -- one list per park × upload
    select park_id, upload_id, min(valid_from) as list_date
    from leading_groups
    group by park_id, upload_id
),

latest_per_date as (
    select park_id, list_date, max(upload_id) as upload_id
    from lists
    group by park_id, list_date
),

dated as (
    select
        park_id,
        upload_id,
        list_date,
        lead(list_date) over (partition by park_id order by list_date) as next_list_date
    from latest_per_date
),

final as (
    select distinct
        g.park_id,
        g.group_name,
        g.prefix,
        g.valid_from,
        d.next_list_date as valid_to
    from leading_groups as g
    join dated as d using (park_id, upload_id)
    where d.next_list_date is null or g.valid_from < d.next_list_date
)

select * from final
