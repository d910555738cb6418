-- leading_group_add: one leading group of a saved list, one row per code prefix.
-- Parameters: $park_id, $group (主导产业 name), $prefixes (list of GB/T 4754-2017 code
--   prefixes, digits), $valid_from (first day of its start month), $upload_id (the list's).

insert into leading_groups (park_id, group_name, prefix, valid_from, upload_id)
select $park_id, $group, unnest($prefixes), $valid_from, $upload_id
