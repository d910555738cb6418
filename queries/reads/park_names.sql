-- park_names: parks that have stored values (their own, or sums over their enterprises), by name.
-- Grain: one row per park. Returns: park, province, county.

with parks_with_data as (
    select distinct park_id from int_park_value_months
),

final as (
    select p.name as park, p.province, p.county
    from parks as p
    join parks_with_data using (park_id)
    order by p.name
)

select * from final
