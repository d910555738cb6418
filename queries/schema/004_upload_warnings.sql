-- Schema version 4: data-check warnings (数据审核) kept with the upload that raised them.
--
-- A warning never refuses a file: it is shown in the preview before the user
-- confirms and stored here when the file is stored. It is "open" while its
-- upload is in force (reads/data_warnings).
-- check_id: cumulative_decrease, month_above_ytd, derived_negative, month_missing,
--           mom_change, yoy_change, growth_mismatch, land_change, breakdown_sum, reader.
-- park_id / indicator / period may be null (a reader's warning about a whole sheet).

create table if not exists upload_warnings (
    upload_id  integer not null,
    check_id   varchar not null,
    park_id    integer,
    indicator  varchar,
    period     date,                      -- first day of the month
    message    varchar not null,          -- Chinese, names file, sheet, row and column where known
    detail     varchar,                   -- the message without its title and place: park, indicator, month, values
    file_name  varchar,
    sheet      varchar,
    row_no     integer,                   -- 1-based sheet row
    column_ref varchar                    -- column letter and header, e.g. "C 列（税收）"
);
