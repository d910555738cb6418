-- alert_setting_save: store one 预警 threshold (replacing the previous value).
-- Parameters: $setting (key of parkbench.alerts.SETTINGS), $value.

insert or replace into alert_settings (setting, value, updated_at)
values ($setting, $value, current_timestamp)
