-- firm_parcels: the land parcels (宗地, N4) each firm of a park holds at a month, for
-- the 低效用地 台账.
-- Grain: one row per enterprise of the park with a parcel registered by $period.
-- Parameters: $readable (as reads/park_firms: docs/enterprises.md rule 5), $park,
--             $period (first day of a month).
-- Returns: enterprise_id, parcels (parcel numbers joined with 、, 租入 and 租出 marked).

with parcels as (
    select * from stg_enterprise_parcels
),

firm_metrics as (
    select * from enterprise_metrics
),

parks as (
    select * from parks
),

firms as (
    select f.enterprise_id
    from firm_metrics as f
    join parks as p using (park_id)
    where p.name = $park and list_contains($readable::varchar[], p.name) and f.period = $period
),

final as (
    select
        x.enterprise_id,
        string_agg(x.parcel || case x.tenure when 'rent_in' then '（租入）' when 'rent_out' then '（租出）' else '' end,
                   '、' order by x.parcel, x.tenure) as parcels
    from parcels as x
    join firms using (enterprise_id)
    where x.registered is null or x.registered <= $period
    group by x.enterprise_id
)

select * from final
