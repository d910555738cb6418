-- alert_settings: the 预警 thresholds a user saved (defaults in parkbench/models/alerts.py).
-- Grain: one row per setting. Returns: setting, value, updated_at.

with alert_settings as (
    select * from alert_settings
),

final as (
    select setting, value, updated_at from alert_settings order by setting
)

select * from final
