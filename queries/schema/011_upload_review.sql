-- Schema version 11: the monthly cycle 报送 → 审核 → 汇总 (issue 21).
--
-- Review state of an upload lives on its row of uploads:
--   review_status  'approved' (审核通过: in force), 'pending' (待审核) or 'returned'
--                  (已退回). Uploads of a 填报 account start pending; those of a 管理
--                  account, of the open app (本机) and of the command line are approved
--                  at once, as is every upload made before this version (the default).
--   reviewed_by / reviewed_at   who approved or returned it, and when (null: not reviewed;
--                  an upload approved at once has neither).
--   return_reason  why it was returned (退回原因), shown to the uploader.
-- DuckDB cannot add a column with a check constraint; parkbench/store/__init__.py
-- writes only the three values above.
--
-- upload_reviews: every step of the cycle, never updated or deleted — submitted
-- (a 填报 upload waiting), approved, returned (with its reason), undone — who and when.
--
-- One filter for every model: the park rows (observations, reported_growth,
-- industries) move to *_all tables, which keep every upload's rows whatever its
-- review state; the old names become views of the rows of included_uploads (the
-- approved uploads). Every model, check and read that read the tables reads the
-- views unchanged, so pages, exports, evaluations and briefings show approved
-- figures; writes go to the *_all tables. A cursor that includes pending uploads
-- (the URL switch ?pending=1) reads the schema with_pending first, built by
-- store.include_pending with its own included_uploads (approved and pending).
-- Enterprise rows are not filtered: a 填报 enterprise upload is approved at once
-- (see parkbench/upload.py).

alter table uploads add column if not exists review_status varchar default 'approved';
alter table uploads add column if not exists reviewed_by varchar;
alter table uploads add column if not exists reviewed_at timestamp;
alter table uploads add column if not exists return_reason varchar;
update uploads set review_status = 'approved' where review_status is null;

create sequence if not exists review_id_seq start 1;

create table if not exists upload_reviews (
    review_id  integer primary key default nextval('review_id_seq'),
    upload_id  integer not null,
    action     varchar not null check (action in ('submitted', 'approved', 'returned', 'undone')),
    reason     varchar,                   -- 退回原因 (returned only)
    done_by    varchar,                   -- an account name, '本机' or '命令行（<system user>）'
    done_at    timestamp not null default current_timestamp
);

alter table observations rename to observations_all;
alter table reported_growth rename to reported_growth_all;
alter table industries rename to industries_all;

create view included_uploads as
select upload_id from uploads where review_status = 'approved';

create view observations as
select * from observations_all where upload_id in (select upload_id from included_uploads);

create view reported_growth as
select * from reported_growth_all where upload_id in (select upload_id from included_uploads);

create view industries as
select * from industries_all where upload_id in (select upload_id from included_uploads);
