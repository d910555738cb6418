-- Schema version 5: who stored and who undid each upload.
--
-- uploaded_by / undone_by hold the account name (user name of an account in
-- accounts.toml), '本机' for the app run open on this computer without
-- accounts, or '命令行（<system user>）' for the command line. Uploads made
-- before this version have null: not recorded.

alter table uploads add column if not exists uploaded_by varchar;
alter table uploads add column if not exists undone_by varchar;
