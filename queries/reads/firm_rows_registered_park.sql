-- firm_rows_registered_park: for the rows of an enterprise file being previewed
-- (preview_rows, registered by parkbench/upload.py) that name no park, the park
-- of the stored register (N5) their firm is on at the row's month; nothing is written.
-- Grain: one row per previewed row that a register places (rows it does not place are absent).
-- Parameters: none; preview_rows holds row_id, credit_code (18 characters or null),
--             org_code (9 characters or null), period (date).
-- Returns: row_id, park (canonical name). A firm is found by its 统一社会信用代码, else by
--          its 组织机构代码 (characters 9–17 of the credit code), as the store links them.

with incoming as (
    select
        row_id,
        upper(credit_code) as credit_code,
        upper(replace(coalesce(org_code, substr(credit_code, 9, 9)), '-', '')) as org_code,
        period::date as period
    from preview_rows
),

enterprises as (
    select enterprise_id, credit_code, org_code from enterprises
),

registers as (
    select enterprise_id, park_id, valid_from from stg_enterprise_registers
),

matched as (
    select distinct i.row_id, i.period, e.enterprise_id
    from incoming as i
    join enterprises as e
        on e.credit_code = i.credit_code or (e.org_code is not null and e.org_code = i.org_code)
),

placed as (
    select
        m.row_id,
        r.park_id,
        row_number() over (partition by m.row_id order by r.valid_from desc, r.park_id) as latest
    from matched as m
    join registers as r on r.enterprise_id = m.enterprise_id and r.valid_from <= m.period
),

final as (
    select p.row_id, k.name as park
    from placed as p
    join parks as k using (park_id)
    where p.latest = 1
    order by p.row_id
)

select * from final
