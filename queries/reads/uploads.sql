-- uploads: the upload history, oldest first.
-- Grain: one row per upload. Parameters: $include_undone (boolean), $review_status
--   ('approved' | 'pending' | 'returned', or null for every state).
-- Returns: id, file, at (local time, ISO), rows, family, is_demo, undone_at,
--          uploaded_by, undone_by (who; null before schema 005),
--          review_status, reviewed_by, reviewed_at (ISO), return_reason (schema 011).

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
        undone_by,
        review_status,
        reviewed_by,
        strftime(reviewed_at, '%Y-%m-%dT%H:%M:%S') as reviewed_at,
        return_reason
    from uploads
    where ($include_undone or undone_at is null)
      and ($review_status is null or (review_status = $review_status and undone_at is null))
    order by upload_id
)

select * from final
