"""Backup, restore and a full export of the store.

``backup`` makes a consistent copy while the app runs. DuckDB lets one
process hold the file, so the copy is taken from the bytes on disk (database
file and its write-ahead log): the copy counts only if neither changed while
it was read (otherwise it is taken again), and it is opened, checkpointed
into one file and checked before it replaces the target. Committed data lives
in the file plus the log, so a copy of both between writes is the store as of
its last commit.

``restore`` needs the database free (stop the app first): the backup is
checked, the current database is kept beside it as ``*.before-restore-…``,
and the backup takes its place.

On a PostgreSQL store (``PARKBENCH_DB=postgresql://…``) there is no file to
copy: both say, in Chinese, which ``pg_dump`` / ``pg_restore`` commands to run
for that database (its password left out) and touch nothing (docs/deploy.md,
备份与恢复; tests/test_pg_backup.py runs those commands).

``export_workbook`` writes every value in force (the latest upload's for each
park, indicator, period and basis), every industry row and every published
growth rate as sheets the readers take back (family C, E and D), so that
``ingest`` of the export into an empty store gives the same store.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import shlex
import shutil
import tempfile
import time
import urllib.parse
from pathlib import Path

import duckdb
import pandas as pd

from parkbench import store
from parkbench.catalog import INDICATOR_BY_ID
from parkbench.output import export
from parkbench.store import postgres

COPY_ATTEMPTS = 20
REQUIRED_TABLES = {"uploads", "observations", "parks", "schema_migrations"}


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _state(path: Path) -> tuple:
    def one(p: Path):
        try:
            s = p.stat()
            return (s.st_size, s.st_mtime_ns)
        except FileNotFoundError:
            return None
    return one(path), one(_wal(path))


def _check(path: Path, what: str) -> tuple[int, int]:
    """Open a database copy, fold its log in, and check it is a ParkBench store.
    (uploads, stored values)."""
    try:
        con = duckdb.connect(str(path))
    except duckdb.Error as exc:
        raise store.StoreError(f"{what}无法打开（{type(exc).__name__}），不是有效的 ParkBench 数据库") from None
    try:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        missing = REQUIRED_TABLES - tables
        if missing:
            raise store.StoreError(f"{what}不是 ParkBench 数据库（缺少表：{'、'.join(sorted(missing))}）")
        con.execute("checkpoint")
        uploads = con.execute("select count(*) from uploads").fetchall()[0][0]
        values = con.execute("select count(*) from observations").fetchall()[0][0]
    finally:
        con.close()
    return uploads, values


def backup(target: str | os.PathLike, db: str | os.PathLike | None = None) -> str:
    """Copy the database to ``target`` (one file), consistently, even while the app holds it."""
    if store.on_server(db):
        raise store.StoreError(server_backup_advice(store.db_target(db), target))
    source = store.db_path(db)
    target = Path(target)
    if not source.exists():
        raise store.StoreError(f"数据库文件 {source} 不存在，没有可备份的数据")
    if target.resolve() == source.resolve():
        raise store.StoreError("备份文件不能是数据库文件本身")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".parkbench-backup-") as tmp:
        copy = Path(tmp) / "backup.duckdb"
        for _ in range(COPY_ATTEMPTS):
            before = _state(source)
            shutil.copyfile(source, copy)
            if _wal(source).exists():
                shutil.copyfile(_wal(source), _wal(copy))
            elif _wal(copy).exists():
                _wal(copy).unlink()
            if _state(source) == before:
                break
            time.sleep(0.25)  # a write was under way: copy again
        else:
            raise store.StoreError("数据库一直在写入，备份未完成；请稍后重试")
        uploads, values = _check(copy, "备份副本")
        os.replace(copy, target)
    return f"已备份到 {target}：上传 {uploads} 次，数值 {values:,} 个"


def restore(backup_file: str | os.PathLike, db: str | os.PathLike | None = None) -> str:
    """Put a backup in place of the database; the current one is kept beside it."""
    if store.on_server(db):
        raise store.StoreError(server_restore_advice(store.db_target(db), backup_file))
    source = Path(backup_file)
    target = store.db_path(db)
    if not source.exists():
        raise store.StoreError(f"备份文件 {source} 不存在")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".parkbench-restore-") as tmp:
        copy = Path(tmp) / "restore.duckdb"
        shutil.copyfile(source, copy)
        if _wal(source).exists():
            shutil.copyfile(_wal(source), _wal(copy))
        uploads, values = _check(copy, "备份文件")
        kept = ""
        if target.exists():
            try:  # refuse while the app (or anything) holds the database
                duckdb.connect(str(target)).close()
            except duckdb.IOException:
                raise store.DatabaseBusy(
                    f"数据库 {target} 正被另一个进程（例如正在运行的 ParkBench 应用）占用；"
                    "请先停止应用再恢复，未做任何改动") from None
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            old = target.with_name(f"{target.name}.before-restore-{stamp}")
            os.replace(target, old)
            if _wal(target).exists():
                os.replace(_wal(target), _wal(old))
            kept = f"；原数据库已保留为 {old.name}"
        os.replace(copy, target)
    store.connect(target).close()  # bring an older backup's schema up to date
    return f"已从 {source} 恢复：上传 {uploads} 次，数值 {values:,} 个{kept}"


# ---------------------------------------------------------------- on PostgreSQL

PASSWORD_NOTE = "密码不写在命令里：用 PGPASSWORD 环境变量或 ~/.pgpass 文件提供。"


def _with_database(url: str, name: str) -> str:
    """The same server and role, another database."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def _database_name(url: str) -> str:
    return urllib.parse.unquote(urllib.parse.urlsplit(url).path.lstrip("/")) or "parkbench"


def server_backup_advice(url: str, target: str | os.PathLike) -> str:
    """What ``backup`` says on a PostgreSQL store: the pg_dump command for it."""
    shown = postgres.shown(url)
    return (f"数据库在 PostgreSQL 服务器上（{shown}），不是一个文件：本命令不复制任何东西，什么也没有改变。\n"
            "请用 PostgreSQL 的 pg_dump 备份（应用运行时也可以，得到一致的快照，账户也在其中）：\n"
            f"  pg_dump -Fc --dbname={shlex.quote(shown)} -f {shlex.quote(str(target))}\n"
            f"{PASSWORD_NOTE}定时备份与恢复的步骤见 docs/deploy.md（备份与恢复）。")


def server_restore_advice(url: str, backup_file: str | os.PathLike) -> str:
    """What ``restore`` says on a PostgreSQL store: restore into a new database,
    check it, then point the servers at it (the current database stays as it was)."""
    shown = postgres.shown(url)
    new_name = f"{_database_name(url)}_restored"
    new_url = postgres.shown(_with_database(url, new_name))
    return (f"数据库在 PostgreSQL 服务器上（{shown}），不是一个文件：本命令不恢复任何东西，什么也没有改变。\n"
            "请用 pg_restore 把 pg_dump -Fc 的备份恢复到一个新的空数据库，当前数据库保持原样：\n"
            f"  1. 新建空数据库 {new_name}（由数据库管理员或有 CREATEDB 权限的角色）：\n"
            f"     createdb --maintenance-db={shlex.quote(shown)} {shlex.quote(new_name)}\n"
            "  2. 恢复（全部成功或什么也不写入）：\n"
            "     pg_restore --exit-on-error --single-transaction --no-owner --no-privileges "
            f"--dbname={shlex.quote(new_url)} {shlex.quote(str(backup_file))}\n"
            f"  3. 检查：python -m parkbench uploads --db {shlex.quote(new_url)}\n"
            "  4. 停止所有应用服务器，把环境文件中的 PARKBENCH_DB 改为新数据库，再启动。\n"
            f"{PASSWORD_NOTE}详见 docs/deploy.md（备份与恢复）。")


# ---------------------------------------------------------------- export

BASIS_LABELS = {"month": "本月", "ytd": "累计", "stock": "期末"}
SHEET_ROWS = 800_000  # rows per sheet: under Excel's 1,048,576 and the readers' cell limit


def _indicator_label(indicator: str) -> str:
    known = INDICATOR_BY_ID.get(indicator)
    return known.zh if known else indicator


def _unit(indicator: str) -> str | None:
    known = INDICATOR_BY_ID.get(indicator)
    return known.unit if known else None


def export_frames(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """The sheets of the export: values (family C), industries (family E),
    published growth (family D: one value column left empty, growth beside it)."""
    values = con.execute(
        "select p.name as park, strftime(o.period, '%Y-%m') as period, o.indicator, o.basis, o.value "
        "from stg_observations o join parks p using (park_id) order by p.name, o.indicator, o.period, o.basis").df()
    sheets = {}
    c_frame = pd.DataFrame({
        "园区": values["park"], "统计期": values["period"], "指标": values["indicator"].map(_indicator_label),
        "口径": values["basis"].map(lambda b: BASIS_LABELS.get(b, b)), "数值": values["value"],
        "单位": values["indicator"].map(_unit)})
    for n, start in enumerate(range(0, max(len(c_frame), 1), SHEET_ROWS), 1):
        sheets[f"数值{n}"] = c_frame.iloc[start:start + SHEET_ROWS]
    industries = con.execute(
        "select p.name as park, strftime(i.period, '%Y-%m') as period, i.industry, i.is_leading, i.output, i.firms "
        "from stg_industries i join parks p using (park_id) order by p.name, i.period, i.industry").df()
    if len(industries):
        sheets["产业结构"] = pd.DataFrame({
            "园区": industries["park"], "统计期": industries["period"], "产业名称": industries["industry"],
            "是否主导产业": industries["is_leading"].map(lambda v: "是" if v is True else ("否" if v is False else None)),
            "产值(万元)": industries["output"], "企业数(户)": industries["firms"].astype("Int64")})
    growth = con.execute(
        "select p.name as park, g.period, g.indicator, g.basis, g.value "
        "from stg_reported_growth g join parks p using (park_id) order by p.name, g.indicator, g.period").df()
    monthly = growth[growth["basis"] == "month"]
    if len(monthly):  # family D: one row per park and month, a blank level column, its growth beside it
        sheets["本月同比"] = _growth_sheet(monthly, ["park", "period"], {"park": "园区", "period": "统计期"})
    cumulative = growth[growth["basis"] == "ytd"]
    for period, part in cumulative.groupby("period", sort=True):  # family A: one sheet per period
        name = f"{period.year}年1-{period.month}月" if period.month > 1 else f"{period.year}年1月"
        sheets[name] = _growth_sheet(part, ["park"], {"park": "园区"})
    return sheets


def _growth_sheet(growth: pd.DataFrame, keys: list[str], labels: dict[str, str]) -> pd.DataFrame:
    """Published growth as wide columns: for each indicator an empty level
    column (its name and unit) followed by ``同比增长(%)``, as sheets print it."""
    frame = growth.assign(period=pd.to_datetime(growth["period"]).dt.strftime("%Y-%m"))
    wide = frame.pivot_table(index=keys, columns="indicator", values="value", aggfunc="first", sort=True)
    out = wide.reset_index()[keys].rename(columns=labels)
    for n, indicator in enumerate(wide.columns):
        unit = _unit(indicator)
        label = _indicator_label(indicator)
        out[f"{label}({unit})" if unit else label] = None
        out[f"同比增长(%)#{n}"] = wide[indicator].to_numpy()
    out.columns = [c.split("#")[0] for c in out.columns]  # the same header after every indicator
    return out


def export_workbook(con: duckdb.DuckDBPyConnection) -> bytes:
    """The export as .xlsx bytes: text cells typed as text (never a formula), numbers as doubles."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
    for name, frame in export_frames(con).items():
        sheet = workbook.add_worksheet(name)
        for c, column in enumerate(frame.columns):
            sheet.write_string(0, c, str(column))
        for r, row in enumerate(frame.itertuples(index=False), start=1):
            for c, value in enumerate(row):
                if isinstance(value, float) and math.isfinite(value) and float(f"{value:.16G}") != value:
                    # xlsxwriter writes 16 significant digits; this double needs 17 to come
                    # back identical, so it goes as text (the readers parse numeric text).
                    sheet.write_string(r, c, repr(value))
                else:
                    export.write_cell(sheet, r, c, value)
    workbook.close()
    return buffer.getvalue()
