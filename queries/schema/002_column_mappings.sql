-- Schema version 2: column mappings the user gave on the upload page for
-- sheets no reader recognised, remembered for the next file of the same shape.
--
-- signature: the folded header cells joined by '|' (parkbench.ingest.mapped.signature).
-- mapping:   JSON {"columns": {"<0-based column>": "<choice>"}, "basis": "month" | "ytd"}.

create table if not exists column_mappings (
    signature  varchar primary key,
    header_row integer not null,          -- 0-based row the header was on when saved
    mapping    varchar not null,
    file_name  varchar,                   -- the file the mapping was made for
    created_at timestamp not null default current_timestamp,
    updated_at timestamp not null default current_timestamp
);
