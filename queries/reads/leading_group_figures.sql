-- leading_group_figures: a park's leading groups (主导产业) at one month, built from
-- the firms on its register (docs/enterprises.md rule 4).
-- Grain: one row per leading group in force at $period.
-- Parameters: $park (canonical park name), $period (first day of a month).
-- Returns: group_name, prefixes (GB/T 4754-2017 code prefixes, sorted), valid_from,
--   firms (户: 规上 firms of the park at the month whose industry code falls in the group),
--   output (万元: their cumulative 工业总产值, 1-本月; unknown when one firm lacks it;
--           0 when no firm falls in the group),
--   share (%: output ÷ the park's cumulative output in force, int_flow_values;
--          null when either is unknown or the base is not positive),
--   growth (%: 累计同比 over the same firms' prior-year cumulative — each firm's
--           上年同期 where printed, else its own cumulative a year earlier; null when a
--           firm has neither or the base is not positive).
-- A firm whose code falls in two groups counts in each (leading_output counts it once).

with members as (
    select * from int_enterprise_members
),

firm_output as (
    select * from int_enterprise_flow_values where indicator = 'output'
),

park_output as (
    select * from int_flow_values where indicator = 'output'
),

leading_lists as (
    select * from stg_leading_groups
),

parks as (
    select * from parks
),

park as (
    select park_id from parks where name = $park
),

groups as (
    select l.group_name, l.prefix, l.valid_from
    from leading_lists as l
    join park using (park_id)
    where l.valid_from <= $period and (l.valid_to is null or $period < l.valid_to)
),

group_list as (
    select group_name, list_sort(list(distinct prefix)) as prefixes, min(valid_from) as valid_from
    from groups
    group by group_name
),

group_firms as (
    select distinct g.group_name, m.enterprise_id
    from groups as g
    join members as m on starts_with(m.industry_code, g.prefix)
    join park on m.park_id = park.park_id
    where m.period = $period and m.above_scale
),

valued as (
    select
        gf.group_name,
        f.ytd_value,
        coalesce(f.prior_ytd_value, a.ytd_value) as prior_ytd_value
    from group_firms as gf
    left join firm_output as f on f.enterprise_id = gf.enterprise_id and f.period = $period
    left join firm_output as a
        on a.enterprise_id = gf.enterprise_id and a.period = (cast($period as date) - interval 1 year)::date
),

sums as (
    select
        group_name,
        count(*) as firms,
        case when count(ytd_value) = count(*) then sum(ytd_value) end as output,
        case when count(prior_ytd_value) = count(*) then sum(prior_ytd_value) end as prior_output
    from valued
    group by group_name
),

park_total as (
    select max(o.ytd_value) as park_output
    from park_output as o
    join park using (park_id)
    where o.period = $period
),

figures as (
    select
        g.group_name,
        g.prefixes,
        g.valid_from,
        coalesce(s.firms, 0) as firms,
        case when s.group_name is null then 0.0 else s.output end as output,
        s.prior_output
    from group_list as g
    left join sums as s using (group_name)
),

final as (
    select
        f.group_name,
        f.prefixes,
        f.valid_from,
        f.firms,
        f.output,
        case when t.park_output > 0 then 100 * f.output / t.park_output end as share,
        case when f.prior_output > 0 then 100 * (f.output - f.prior_output) / f.prior_output end as growth
    from figures as f
    cross join park_total as t
    order by f.valid_from, f.group_name
)

select * from final
