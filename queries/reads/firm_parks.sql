-- firm_parks: the parks with firm figures (metrics/enterprise_metrics) whose firms the
-- reader may see — the 企业 page's parks, and whether an account gets that page.
-- Grain: one row per park. Parameters: $readable (park names the reader may see firms
-- of: parkbench.store.accounts.firm_parks; docs/enterprises.md rule 5).
-- Returns: park (canonical name), sorted.

with firm_metrics as (
    select * from enterprise_metrics
),

parks as (
    select * from parks
),

with_firms as (
    select distinct park_id from firm_metrics
),

final as (
    select p.name as park
    from with_firms
    join parks as p using (park_id)
    where list_contains($readable::varchar[], p.name)
    order by park
)

select * from final
