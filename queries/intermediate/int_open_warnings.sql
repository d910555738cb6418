-- int_open_warnings: data-check warnings (数据审核) still open.
-- Grain: one row per warning.
-- Open: the upload that raised it is in force (not undone, and approved: included_uploads),
-- and no later upload in force gave a new
-- value for the same park × indicator × month (that value was checked on its own upload).

with warnings as (
    select * from upload_warnings
),

uploads as (
    select * from uploads where undone_at is null and upload_id in (select upload_id from included_uploads)
),

superseded as (
    select distinct w.upload_id, w.park_id, w.indicator, w.period
    from warnings as w
    join observations as o
        on o.park_id = w.park_id and o.indicator = w.indicator and o.period = w.period
        and o.upload_id > w.upload_id
    join uploads as later on later.upload_id = o.upload_id
),

final as (
    select w.*, u.uploaded_at
    from warnings as w
    join uploads as u on u.upload_id = w.upload_id
    where not exists (select 1 from superseded as s
                      where s.upload_id = w.upload_id and s.park_id = w.park_id
                        and s.indicator = w.indicator and s.period = w.period)
)

select * from final
