-- save_mapping: remember (or replace) the column mapping for a sheet shape.
-- Parameters: $signature, $header_row (0-based), $mapping (JSON), $file_name.

insert into column_mappings (signature, header_row, mapping, file_name)
values ($signature, $header_row, $mapping, $file_name)
on conflict (signature) do update set
    header_row = excluded.header_row,
    mapping = excluded.mapping,
    file_name = excluded.file_name,
    updated_at = now()
