-- same_file_stored: the upload in force (not undone, not demo) of a file with the
-- same bytes, if any: an identical file uploaded again is said and asked about.
-- Grain: at most one row, the newest. Parameters: $sha256 (hex digest of the file's bytes).
-- Returns: upload_id, file_name, uploaded_at.

with uploads as (
    select * from uploads
),

same as (
    select upload_id, file_name, uploaded_at
    from uploads
    where sha256 = $sha256 and undone_at is null and not is_demo
),

final as (
    select * from same
    order by upload_id desc
    limit 1
)

select * from final
