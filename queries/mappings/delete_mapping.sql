-- delete_mapping: forget the column mapping of a sheet shape.
-- Parameters: $signature.

delete from column_mappings where signature = $signature
