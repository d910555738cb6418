-- int_enterprise_parks: which parks each enterprise has rows in (any month, any upload).
-- Grain: one row per enterprise × park.
-- Returns: enterprise_id, park_id.
-- Why: a firm's months in one park depend on the registers of every park that
-- lists it (int_enterprise_members: the later register wins), so a rebuild by
-- park takes along the parks its firms share (rebuild/linked_parks, over a copy of this
-- model), and an enterprise upload rebuilds the parks of its firms (rebuild/upload_parks).

with registers as (
    select enterprise_id, park_id from enterprise_registers
),

named_rows as (
    select enterprise_id, park_id from enterprise_observations where park_id is not null
    union all
    select enterprise_id, park_id from enterprise_growth where park_id is not null
    union all
    select enterprise_id, park_id from enterprise_parcels where park_id is not null
),

final as (
    select distinct enterprise_id, park_id from registers
    union
    select distinct enterprise_id, park_id from named_rows
)

select * from final
