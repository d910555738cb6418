-- leading_list_upload: record a leading-industry list saved from the page or the command
-- line as an upload (family N6), so that who saved it and when are kept, the uploads
-- list shows it and `undo` restores the list it replaced.
-- Parameters: $file_name (what the uploads list shows), $sha256 (of the list as saved),
--   $row_count (prefixes saved), $by (account name, '本机' or '命令行（…）').
-- Returns: upload_id.

insert into uploads (upload_id, file_name, sha256, family, row_count, is_demo, uploaded_by)
values (nextval('upload_id_seq'), $file_name, $sha256, 'N6', $row_count, false, $by)
returning upload_id
