-- park_firms: the firms of one park at one month, with their figures: the 企业 page's
-- table and chart, the 低效用地 list and the briefing's enterprise section.
-- Grain: one row per enterprise the park holds at $period (metrics/enterprise_metrics).
-- Parameters: $readable (park names whose firms the reader may see, never null:
--             parkbench.store.accounts.firm_parks; docs/enterprises.md rule 5),
--             $park (canonical park name), $period (first day of a month).
-- Returns: enterprise_id, enterprise (latest name), credit_code (null when no sheet
--   gave one), industry_code, industry (GB/T 4754-2017 大类 name of the code's first
--   two digits), leading_group (the leading groups in force its code falls in, joined
--   with 、; null: none), above_scale (规上 at the month),
--   land_area (亩), output_ytd, tax_ytd, revenue_ytd (万元, 1-本月),
--   tax_per_mu, tax_per_mu_annual, output_per_mu (万元/亩),
--   output_ytd_yoy, tax_ytd_yoy (%); null where unknown (enterprise_metrics).
-- A group matches as in int_enterprise_members.in_leading: the code starts with a prefix.

with firm_metrics as (
    select * from enterprise_metrics
),

names as (
    select * from int_enterprise_names
),

leading_lists as (
    select * from stg_leading_groups
),

industry_codes as (
    select * from industry_codes where level = '大类'
),

parks as (
    select * from parks
),

park as (
    select park_id from parks where name = $park and list_contains($readable::varchar[], name)
),

firms as (
    select f.*
    from firm_metrics as f
    join park using (park_id)
    where f.period = $period
),

groups as (
    select f.enterprise_id, string_agg(distinct l.group_name, '、' order by l.group_name) as leading_group
    from firms as f
    join leading_lists as l
        on l.park_id = f.park_id and l.valid_from <= f.period
        and (l.valid_to is null or f.period < l.valid_to)
        and starts_with(f.industry_code, l.prefix)
    group by f.enterprise_id
),

final as (
    select
        f.enterprise_id,
        coalesce(n.enterprise, '企业' || f.enterprise_id::varchar) as enterprise,
        n.credit_code,
        f.industry_code,
        c.name as industry,
        g.leading_group,
        f.above_scale,
        f.land_area,
        f.output_ytd,
        f.tax_ytd,
        f.revenue_ytd,
        f.tax_per_mu,
        f.tax_per_mu_annual,
        f.output_per_mu,
        f.output_ytd_yoy,
        f.tax_ytd_yoy
    from firms as f
    left join names as n using (enterprise_id)
    left join groups as g using (enterprise_id)
    left join industry_codes as c on c.code = regexp_extract(f.industry_code, '(\d{2})', 1)
    order by f.tax_ytd desc nulls last, enterprise
)

select * from final
