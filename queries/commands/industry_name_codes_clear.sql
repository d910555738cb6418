-- industry_name_codes_clear: empty the name → code table (the editor saves it whole).
-- Parameters: none.

delete from industry_name_codes
