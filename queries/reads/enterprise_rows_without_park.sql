-- enterprise_rows_without_park: rows of a file being stored (incoming_rows, registered
-- by parkbench/store/firms.py) that name no park and whose firm is on no register
-- dated at or before the row's month: nothing says which park they belong to.
-- Grain: one row per such file row, in file order.
-- Returns: enterprise_id, enterprise (name as written), period, sheet, row.

with incoming as (
    select * from incoming_rows
),

registers as (
    select * from stg_enterprise_registers
),

final as (
    select i.enterprise_id, i.enterprise, i.period::date as period, i.sheet, i.row
    from incoming as i
    where not exists (
        select 1 from registers as r
        where r.enterprise_id = i.enterprise_id and r.valid_from <= i.period::date
    )
    order by i.sheet, i.row
)

select * from final
