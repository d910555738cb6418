-- industry_name_code_add: one row of the name → code table.
-- Parameters: $name_key (the name without spaces), $industry_name (as typed), $code (digits),
--   $by (account name, '本机' or '命令行（…）').

insert into industry_name_codes (name_key, name, code, updated_by)
values ($name_key, $industry_name, $code, $by)
