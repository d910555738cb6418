-- upload_values: the park values one upload stored, whatever its review state (schema 011):
-- what a reviewer (管理) opens before approving or returning a 待审核 upload.
-- Grain: one row per park × indicator × month × basis of the upload.
-- Parameters: $upload_id.
-- Returns: park (canonical name), indicator, period, basis, value (canonical units: 万元, 亩, 户, 人).

with upload_rows as (
    select * from observations_all where upload_id = $upload_id
),

final as (
    select p.name as park, r.indicator, r.period, r.basis, r.value
    from upload_rows as r
    join parks as p using (park_id)
    order by p.name, r.period, r.indicator, r.basis
)

select * from final
