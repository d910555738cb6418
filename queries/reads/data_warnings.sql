-- data_warnings: open data-check warnings (数据审核), by park and period.
-- Grain: one row per warning. Parameters: $parks (list of park names, or null for all).
-- Returns: park (null for a whole-file note), period, check_id, indicator, message, detail, file_name,
--          sheet, row_no, column_ref, upload_id, uploaded_at.

with warnings as (
    select * from int_open_warnings
),

final as (
    select
        p.name as park,
        w.period,
        w.check_id,
        w.indicator,
        w.message,
        w.detail,
        w.file_name,
        w.sheet,
        w.row_no,
        w.column_ref,
        w.upload_id,
        w.uploaded_at
    from warnings as w
    left join parks as p on p.park_id = w.park_id
    where $parks is null or p.name is null or list_contains($parks, p.name)
    order by p.name nulls first, w.period desc nulls first, w.check_id, w.message
)

select * from final
