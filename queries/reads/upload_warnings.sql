-- upload_warnings: the data-check warnings (数据审核) stored with one upload, whatever its
-- review state: the checks the uploader saw in the preview, which the reviewer reads again.
-- Grain: one row per warning. Parameters: $upload_id.
-- Returns: park (null for a whole-file note), period, check_id, indicator, message, detail,
--          file_name, sheet, row_no, column_ref, upload_id.

with warnings as (
    select * from upload_warnings where upload_id = $upload_id
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
        w.upload_id
    from warnings as w
    left join parks as p on p.park_id = w.park_id
    order by p.name nulls first, w.period desc nulls first, w.check_id, w.message
)

select * from final
