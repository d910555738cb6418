-- uploads: the upload history, oldest first.
-- Grain: one row per upload. Parameters: $include_undone (boolean).
-- Returns: id, file, at (local time, ISO), rows, family, is_demo, undone_at,
--          uploaded_by, undone_by (who; null before schema 005).

with uploads as (
    select * from uploads
),

final as (
    select
        upload_id as id,
        file_name as file,
        strftime(uploaded_at, '%Y-%m-%dT%H:%M:%S') as at,
        row_count as rows,
        family,
        is_demo,
        undone_at,
        uploaded_by,
        undone_by
    from uploads
    where $include_undone or undone_at is null
    order by upload_id
)

select * from final
