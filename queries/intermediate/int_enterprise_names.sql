-- int_enterprise_names: the name an enterprise is shown under, and its code.
-- Grain: one row per enterprise with any name.
-- Rule (docs/enterprises.md rule 1): a new name under the same code is the same
-- enterprise; the history is kept (stg_enterprise_identities) and the latest name
-- shown: the name of the latest month, then of the latest upload.
-- Returns: enterprise_id, enterprise (name), credit_code (null when no sheet gave one).

with identities as (
    select * from stg_enterprise_identities
),

enterprises as (
    select * from enterprises
),

latest as (
    select enterprise_id, arg_max(name, (coalesce(period, date '0001-01-01'), upload_id)) as enterprise
    from identities
    group by enterprise_id
),

final as (
    select l.enterprise_id, l.enterprise, e.credit_code
    from latest as l
    join enterprises as e using (enterprise_id)
)

select * from final
