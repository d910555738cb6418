-- list_mappings: every remembered column mapping, newest first.
-- Grain: one row per signature. No parameters.
-- Returns: signature, header_row, mapping (JSON), file_name, updated_at.

select signature, header_row, mapping, file_name, updated_at
from column_mappings
order by updated_at desc, signature
