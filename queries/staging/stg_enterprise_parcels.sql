-- stg_enterprise_parcels: the land parcels (宗地, N4) in force.
-- Grain: one row per enterprise × parcel × tenure × registration month.
-- Rule: the latest upload of the same parcel row wins.
-- Returns: enterprise_id, park_id, parcel, tenure (own, rent_in, rent_out), registered,
--          signed_area (亩: + for 自有 and 租入, − for 租出).

with enterprise_parcels as (
    select * from enterprise_parcels
),

final as (
    select
        enterprise_id,
        arg_max(park_id, upload_id) as park_id,
        parcel,
        tenure,
        registered,
        arg_max(case when tenure = 'rent_out' then -area else area end, upload_id) as signed_area
    from enterprise_parcels
    group by enterprise_id, parcel, tenure, registered
)

select * from final
