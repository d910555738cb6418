"""Command line: ``python -m parkbench ingest | metrics | status | report | uploads | approve | return |
undo | backup | restore | export | demo | evaluate | leading | account``.

The command line is the server's operator: its uploads are in force at once,
and it may approve (审核通过) or return (退回) a 填报 account's pending upload,
recorded as 命令行（<system user>）.

The same functions the pages call. Refusals print one clear sentence in
Chinese to stderr and exit 1; nothing prints a traceback for a user error.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd

from parkbench import limits, store, upload
from parkbench.errors import InputError, ParkBenchError, UnreadableFile
from parkbench.ingest import isolate
from parkbench.models import checks, evaluation, leading, metrics, peers, sql, status
from parkbench.output import export, fonts
from parkbench.store import accounts, backup, demo, firms, postgres

# docs/enterprises.md rule 5: the pages show a firm's rows only to 管理 and to the accounts of its park;
# the command line runs on the server, as whoever holds the database file, and reads everything.
OPERATOR_NOTE = ("命令行是服务器上操作员的工具，读取全部数据，包括每个园区的企业明细"
                 "（网页上企业明细只对管理账户和该园区的账户显示）。")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except ParkBenchError as exc:  # everything a user can cause; anything else is a bug
        print(str(exc), file=sys.stderr)
        return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m parkbench", description="ParkBench 园区对标：导入、指标、上传记录。"
                                     + OPERATOR_NOTE)
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, run, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--db", help="数据库文件或 postgresql:// 地址（默认 $PARKBENCH_DB 或 data/parkbench.duckdb）")
        p.set_defaults(run=run)
        return p

    p = add("ingest", cmd_ingest, "导入一个或多个文件（每个文件要么全部导入，要么不导入）")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--max-mb", type=int, default=limits.MAX_FILE_MB, metavar="MB",
                   help=f"单个文件的大小上限（默认 {limits.MAX_FILE_MB} MB，与上传页相同）")
    p.add_argument("--warnings", choices=["top", "all"], default="top",
                   help=f"数据审核警告：top 只列最重要的 {SHOWN_WARNINGS} 条（默认），all 全部列出")
    p.add_argument("--warnings-out", metavar="FILE.xlsx", help="把每条警告及其涉及的每个单元格写入 Excel 文件")
    p.add_argument("--park", metavar="NAME", help="企业表（如联网直报导出）没有园区、企业名录中也查不到时，指定所属园区")

    p = add("metrics", cmd_metrics, "输出指标")
    p.add_argument("--level", choices=["park", "enterprise"], default="park",
                   help="park 园区指标（默认），enterprise 每个企业的指标（命令行读取全部园区的企业）")
    p.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
    p.add_argument("--out", help="输出文件（xlsx 必须指定）")
    p.add_argument("--park", action="append", help="园区名称，可多次指定")
    p.add_argument("--from", dest="start", metavar="YYYY-MM")
    p.add_argument("--to", dest="end", metavar="YYYY-MM")

    p = add("status", cmd_status, "报送进度：各园区某月是否已报送（产值或税收有数值，报送或推算）")
    p.add_argument("--period", metavar="YYYY-MM", help="统计期（默认：至少半数园区已报送的最新月份）")
    p.add_argument("--format", choices=["json", "table"], default="table")

    p = add("uploads", cmd_uploads, "列出上传记录（从早到晚）")
    p.add_argument("--format", choices=["json", "table"], default="table")
    p.add_argument("--all", action="store_true", help="包括已撤销的上传（table 格式）")
    p.add_argument("--status", choices=list(REVIEW_CHOICES),
                   help="只列某一审核状态的上传：pending 待审核、returned 已退回、approved 已通过")

    p = add("approve", cmd_approve, "审核通过一次待审核的上传（填报账户的上传），其数值随即计入各页面")
    p.add_argument("upload_id", type=int, metavar="UPLOAD_ID")

    p = add("return", cmd_return, "退回一次待审核的上传，并说明原因（上传人在上传记录中看到原因后重新上传）")
    p.add_argument("upload_id", type=int, metavar="UPLOAD_ID")
    p.add_argument("--reason", required=True, metavar="TEXT", help="退回原因")

    p = add("undo", cmd_undo, "撤销一次上传，恢复上传前的数据")
    p.add_argument("upload_id", type=int, metavar="UPLOAD_ID")

    p = add("backup", cmd_backup, "备份数据库到一个文件（应用运行时也可以，得到一致的副本）；"
                                  "数据库在 PostgreSQL 上时说明如何用 pg_dump 备份")
    p.add_argument("file", metavar="FILE")

    p = add("restore", cmd_restore, "用备份文件替换数据库（须先停止应用；原数据库保留为 *.before-restore-*）；"
                                    "数据库在 PostgreSQL 上时说明如何用 pg_restore 恢复")
    p.add_argument("file", metavar="FILE")

    p = add("copy-store", cmd_copy_store, "把一个数据库文件的全部数据复制到 --db 指定的空数据库"
            "（例如把县里的 .duckdb 文件搬到省里的 PostgreSQL：--db postgresql://…）")
    p.add_argument("source", metavar="FILE.duckdb")

    p = add("export", cmd_export, "导出全部有效数值、产业结构和报送的增长率为 .xlsx（可再用 ingest 导入）")
    p.add_argument("file", metavar="FILE.xlsx")

    p = add("report", cmd_report, "生成一页对标简报（文件后缀 .docx、.pdf 或 .png 决定格式）")
    p.add_argument("--park", required=True, help="园区名称")
    p.add_argument("--period", required=True, metavar="YYYY-MM", help="统计期")
    p.add_argument("--group", help="对标组名称（默认：全部园区）")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="简报语言（默认中文）")
    p.add_argument("--out", required=True, metavar="FILE", help="输出文件：.docx、.pdf 或 .png")
    p.add_argument("--scheme", metavar="FILE.json", help="企业评价方案：简报的“企业”部分列出 D 类企业（可省略）")

    p = add("demo", cmd_demo, "把示例数据载入一个单独的数据库（已有真实数据的数据库不会载入）")
    p.add_argument("--if-empty", action="store_true", help="只在数据库为空时载入")

    p = add("evaluate", cmd_evaluate, "亩均效益综合评价：按方案文件计算各园区得分、排名和等级")
    p.add_argument("--scheme", required=True, metavar="FILE.json", help="评价方案（JSON）")
    p.add_argument("--period", required=True, metavar="YYYY-MM")
    p.add_argument("--group", metavar="NAME", help="对标组名称（默认：该期有数据的全部园区）")
    p.add_argument("--level", choices=["park", "enterprise"], default="park",
                   help="评价对象：park 园区（默认）或 enterprise 企业")
    p.add_argument("--park", action="append", metavar="NAME", help="企业评价：园区名称，可多次指定（默认全部园区）")
    p.add_argument("--format", choices=["json", "xlsx"], default="json", help="xlsx：企业评价结果表（须用 --out）")
    p.add_argument("--out", metavar="FILE.xlsx", help="xlsx 输出文件")

    p = add("leading", cmd_leading, "主导产业：列出或设置园区的主导产业（GB/T 4754-2017 行业代码前缀组成的产业组）")
    p.add_argument("action", nargs="?", choices=["list", "set"], default="list",
                   help="list 列出园区的主导产业（默认）；set 新增或修改一个主导产业，其余照旧，"
                        "整份目录作为一次上传保存（可 undo）")
    p.add_argument("--park", required=True, metavar="NAME", help="园区名称")
    p.add_argument("--group", metavar="NAME", help="主导产业名称（set 必填），如 装备制造")
    p.add_argument("--codes", metavar="CODES",
                   help="行业代码前缀（set 必填），逗号或顿号分隔，可写范围或门类字母：C13,C14 或 33-40、43 或 C")
    p.add_argument("--from", dest="start", metavar="YYYY-MM", help="起始年月（set 必填）")
    p.add_argument("--format", choices=["json", "table"], default="table")

    p = add("account", cmd_account, "管理账户（账户文件：数据库旁的 accounts.toml，或 $PARKBENCH_ACCOUNTS；"
                                    "数据库在 PostgreSQL 上时保存在该数据库中，各应用服务器共用）")
    p.add_argument("action", choices=["add", "list", "remove", "passwd", "hash"],
                   help="add 新建或修改、list 列出、remove 删除、passwd 改密码、hash 输出密码散列")
    p.add_argument("username", nargs="?", help="用户名（字母、数字、. _ - @）")
    p.add_argument("--role", help="查看、填报 或 管理（add 时必填）")
    p.add_argument("--name", help="显示的姓名")
    p.add_argument("--park", action="append",
                   help="填报账户负责的园区，可多次指定；查看、填报账户在网页上只看到这些园区的企业明细")
    p.add_argument("--password-stdin", action="store_true", help="从标准输入读密码（否则交互输入两次）")
    p.add_argument("--new-park", action="store_true", help="--park 的名称与已知园区相近时，仍作为新园区保存")
    return parser


def cmd_ingest(args) -> int:
    """Each file, park or enterprise sheets, through the upload verb the page
    uses (``upload.check`` then ``upload.store``; ``--park`` names the park of
    enterprise rows that name none); the data checks run once, inside the store's
    transaction, since nothing is shown between the two steps. The parse
    worker's fork server starts first and imports the readers while the store opens."""
    isolate.start_early()
    con = store.connect(args.db)
    failed, found = False, []
    mappings = store.load_mappings(con)  # the command saves none, so one read serves every file
    for name in args.files:
        try:
            data = _read_upload(Path(name), args.max_mb)
            preview = upload.check(con, data, Path(name).name, mappings=mappings, max_mb=args.max_mb,
                                   to_show=False, park=args.park)
            result = upload.store(con, preview, by=accounts.cli_user())
        except ParkBenchError as exc:  # this file refused (or not stored): the others still go in
            print(str(exc), file=sys.stderr)
            failed = True
            continue
        if preview.stored_before is not None:
            print(f"提示：{preview.stored_before.sentence()}，再次导入（数值相同）")
        print(result.summary())
        found.append(print_warnings(result.findings, args.warnings))
        print_close_names(preview.suggestions)
    if args.warnings_out:
        write_warnings(args.warnings_out, found)
    return 1 if failed else 0


def print_close_names(close_names: dict[str, str]) -> None:
    """Each new park name of a stored file close to a known one, as a warning."""
    for spelling, park in close_names.items():
        print(f"警告：园区名称“{spelling}”与已有园区“{park}”相近，已作为新园区导入；"
              f"如为同一园区，请撤销此次上传，在上传页确认“是否为：{park}？”后重新导入")


SHOWN_WARNINGS = 50  # warning lines ingest prints by default, most important first


def print_warnings(found, mode: str = "top") -> checks.Warnings:
    """One ``警告`` line per finding (a park × indicator × kind of check, with
    its months), most important first (checks.SEVERITY, then the findings with
    more cells); ``top`` stops after SHOWN_WARNINGS and says how many are left
    and how to see them, ``all`` prints every one. Returns the warnings."""
    warnings = checks.as_warnings(found)
    findings = warnings.findings
    shown = findings if mode == "all" else findings.head(SHOWN_WARNINGS)
    for line in shown["line"]:
        print(line)
    rest = len(findings) - len(shown)
    if rest:
        print(f"……另有 {rest} 条警告（共 {len(findings)} 条，涉及 {len(warnings.parks())} 个园区）；"
              f"全部列出用 --warnings all，连同每个单元格（{len(warnings)} 个）写入 Excel 用 --warnings-out 文件.xlsx")
    return warnings


def write_warnings(path: str, found: list) -> None:
    """Every finding with its cells (file, sheet, row, column, park, indicator,
    period, value, detail), one row per cell, numbered across the files; no
    text cell starts a formula (export.safe_text)."""
    tables, offset = [], 0
    for warnings in found:
        table = checks.cells_table(warnings)
        tables.append(table.assign(审核结果编号=table["审核结果编号"] + offset))
        offset += len(warnings.findings)
    frame = pd.concat(tables, ignore_index=True) if tables else checks.cells_table(checks.as_warnings([]))
    try:
        _stream_xlsx(Path(path), frame.map(export.safe_text), "数据审核")
    except OSError as exc:
        raise InputError(f"无法写入输出文件“{path}”（{exc.strerror or exc}）") from None
    print(f"已写入 {len(frame)} 个单元格的警告（{offset} 条）：{path}")


EXCEL_ROWS = 1_048_575  # data rows a sheet holds below its header


def _stream_xlsx(path: Path, frame: pd.DataFrame, title: str) -> None:
    """Rows streamed to the file (xlsxwriter's constant_memory): a noisy file's
    hundreds of thousands of cells never sit in memory as a workbook; past
    Excel's row limit the rows go on to 数据审核2, 数据审核3 …"""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                               "strings_to_urls": False, "strings_to_numbers": False})
    bold = workbook.add_format({"bold": True})
    sheet = None
    for r, row in enumerate(frame.itertuples(index=False)):
        if r % EXCEL_ROWS == 0:
            sheet = workbook.add_worksheet(title if r == 0 else f"{title}{r // EXCEL_ROWS + 1}")
            sheet.write_row(0, 0, list(frame.columns), bold)
        sheet.write_row(r % EXCEL_ROWS + 1, 0, [None if _blank(v) else v for v in row])
    if sheet is None:
        workbook.add_worksheet(title).write_row(0, 0, list(frame.columns), bold)
    try:
        workbook.close()
    except xlsxwriter.exceptions.FileCreateError as exc:  # a folder that does not exist, no permission
        raise OSError(str(exc.__cause__ or exc)) from None


def _blank(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _read_upload(path: Path, max_mb: int) -> bytes:
    """The file's bytes, refused by type and size (the page's limits) before reading it."""
    try:
        limits.check_file(path.name, path.stat().st_size, max_mb)
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"无法打开文件（{exc.strerror}）", file=path.name) from None


def cmd_metrics(args) -> int:
    con = store.connect(args.db)
    for label, period in (("--from", args.start), ("--to", args.end)):
        if period is not None:
            try:
                metrics.month_start(period)
            except InputError as exc:
                raise InputError(f"{label}：{exc}") from None
    if args.format == "xlsx" and not args.out:
        raise store.StoreError("xlsx 格式需要用 --out 指定输出文件")
    parks = [store.canonical_name(con, p) for p in args.park] if args.park else None
    params = {"parks": parks, "start": metrics.month_start(args.start), "end": metrics.month_start(args.end)}

    def write(path: Path, sheet_name: str = "指标") -> None:
        if args.level == "enterprise":
            firms.write_enterprise_metrics(con, reader=accounts.OPERATOR, parks=parks, start=params["start"],
                                           end=params["end"], fmt=args.format, path=path)
        else:
            export.write_file(con, sql.load("reads/metric_export"), params, args.format, path, sheet_name)

    if args.out:
        try:
            write(Path(args.out))
        except OSError as exc:
            raise InputError(f"无法写入输出文件“{args.out}”（{exc.strerror or exc}）") from None
        return 0
    with tempfile.TemporaryDirectory() as tmp:  # DuckDB writes files; stdout gets the file's bytes
        written = Path(tmp) / f"metrics.{args.format}"
        write(written)
        with written.open("rb") as f:
            shutil.copyfileobj(f, sys.stdout.buffer)
        sys.stdout.flush()
    return 0


def cmd_report(args) -> int:
    from parkbench.output import briefing

    suffix = Path(args.out).suffix.lower().lstrip(".")
    if suffix not in briefing.FORMATS:
        raise store.StoreError(f"--out 的文件后缀须为 .docx、.pdf 或 .png，收到“{args.out}”")
    try:
        metrics.month_start(args.period)
    except ValueError:
        raise store.StoreError(f"--period 的期间“{args.period}”应写成 YYYY-MM，例如 2024-12") from None
    con = store.connect(args.db)
    try:
        park = store.canonical_name(con, args.park)
        scheme = _scheme_file(args.scheme) if args.scheme else None
        made = briefing.build(con, park, args.period, args.group, args.lang, reader=accounts.OPERATOR,
                              firm_scheme=scheme)
        data = briefing.render(made, suffix)
    except (briefing.BriefingError, fonts.FontMissing) as exc:
        raise store.StoreError(str(exc)) from None
    Path(args.out).write_bytes(data)
    print(f"已生成简报：{args.out}（{made.title}）")
    return 0


def _period_arg(label: str, period: str):
    try:
        return metrics.month_start(period)
    except (ValueError, TypeError):
        raise store.StoreError(f"{label} 的期间“{period}”应写成 YYYY-MM，例如 2024-03") from None


def cmd_status(args) -> int:
    con = store.connect(args.db)
    period = _period_arg("--period", args.period) if args.period else status.default_period(con)
    records = status.reported_at(con, period) if period else []
    if args.format == "json":
        print(json.dumps(records, ensure_ascii=False, indent=1))
        return 0
    if not records:
        print("还没有任何园区的数据")
        return 0
    print(f"{period:%Y-%m} 报送进度：已报送 {sum(r['reported'] for r in records)}/{len(records)} 个园区")
    for r in records:
        print(f"  {'已报送' if r['reported'] else '未报送'}  {r['park']}")
    return 0


REVIEW_CHOICES = {"pending": store.PENDING, "returned": store.RETURNED, "approved": store.APPROVED}


def cmd_uploads(args) -> int:
    con = store.connect(args.db)
    frame = store.list_uploads(con, include_undone=args.all and args.format == "table" and not args.status,
                               review_status=REVIEW_CHOICES.get(args.status))
    if args.format == "json":  # the review fields with --status only: the plain listing keeps its four keys
        records = [{"id": int(r.id), "file": r.file, "at": r.at, "rows": int(r.rows)}
                   | ({"review": r.review_status, "uploaded_by": _text(r.uploaded_by),
                       "reviewed_by": _text(r.reviewed_by), "return_reason": _text(r.return_reason)}
                      if args.status else {})
                   for r in frame.itertuples(index=False)]
        print(json.dumps(records, ensure_ascii=False, indent=1))
        return 0
    if frame.empty:
        print(f"没有{store.REVIEW_ZH[REVIEW_CHOICES[args.status]]}的上传" if args.status else "还没有上传记录")
        return 0
    for r in frame.itertuples(index=False):
        undone = r.undone_at is not None and str(r.undone_at) != "NaT"
        status = "已撤销" if undone else ("示例" if r.is_demo else store.REVIEW_ZH.get(r.review_status, ""))
        who = " ／ ".join(w for w in (r.uploaded_by, r.undone_by) if isinstance(w, str) and w)
        line = (f"{r.id:>4}  {r.at}  {r.rows:>8} 个数值  {r.family or '':<4} {status:<4} {r.file}"
                + (f"  （{who}）" if who else ""))
        if not undone and _text(r.reviewed_by):
            line += f"  审核：{r.reviewed_by} {r.reviewed_at}"
        if not undone and _text(r.return_reason):
            line += f"  退回原因：{r.return_reason}"
        print(line)
    return 0


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def cmd_approve(args) -> int:
    con = store.connect(args.db)
    print(store.approve(con, args.upload_id, by=accounts.cli_user()))
    return 0


def cmd_return(args) -> int:
    con = store.connect(args.db)
    print(store.return_upload(con, args.upload_id, args.reason, by=accounts.cli_user()))
    return 0


def cmd_undo(args) -> int:
    con = store.connect(args.db)
    print(store.undo(con, args.upload_id, by=accounts.cli_user()))
    return 0


def cmd_backup(args) -> int:
    print(backup.backup(args.file, args.db))
    return 0


def cmd_restore(args) -> int:
    print(backup.restore(args.file, args.db))
    return 0


def cmd_copy_store(args) -> int:
    from parkbench.store.copy import copy_store

    copied = copy_store(args.source, store.connect(args.db))
    print(f"已复制 {sum(copied.values())} 行（{len(copied)} 个表）到 {postgres.shown(store.db_target(args.db))}")
    return 0


def cmd_export(args) -> int:
    con = store.connect(args.db)
    Path(args.file).write_bytes(backup.export_workbook(con))
    print(f"已导出到 {args.file}；用 python -m parkbench ingest {args.file} 可导入到另一个数据库")
    return 0


def cmd_demo(args) -> int:
    con = store.connect(args.db)
    if args.if_empty and not store.is_empty(con):
        print("数据库已有数据，未载入示例数据")
        return 0
    for result in demo.load(con):
        print(result.summary())
    return 0


def _scheme_file(path: str) -> evaluation.Scheme:
    """A scheme file (JSON, as `evaluate --scheme` reads), refused in Chinese when unreadable."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise store.StoreError(f"无法读取方案文件 {path}：{exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise store.StoreError(f"方案文件 {path} 不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）") from None
    return evaluation.scheme_from_json(data)


def cmd_evaluate(args) -> int:
    """Print ``[{"park", "score", "rank", "class", "missing": [metric, …]}]``, best first, then
    the parks not evaluated with score, rank and class null and ``not_evaluated`` (why)."""
    scheme = _scheme_file(args.scheme)
    try:
        period = metrics.month_start(args.period)
    except InputError as exc:
        raise InputError(f"--period：{exc}") from None
    con = store.connect(args.db)
    if args.level == "enterprise":
        return _evaluate_firms(con, args, scheme, period)
    if args.format != "json" or args.park:
        raise store.StoreError("--park 和 --format xlsx 用于企业评价（--level enterprise）")
    if args.group and not peers.group_parks(con, args.group):
        raise store.StoreError(f"没有名为“{args.group}”的对标组")
    records = evaluation.evaluate(con, scheme, period, group=args.group)
    print(json.dumps(records, ensure_ascii=False, indent=1))
    return 0


def _evaluate_firms(con, args, scheme, period) -> int:
    """``evaluate --level enterprise``: json ``[{"park", "enterprise", "credit_code", "score", "rank",
    "class"}]`` per firm, best first (T: not classed; null: not evaluated), or the result table as xlsx."""
    from parkbench.models import firm_evaluation
    from parkbench.output.evaluation_export import firm_evaluation_xlsx

    if args.group:
        raise store.StoreError("企业评价不用 --group；用 --park 指定园区")
    if args.format == "xlsx" and not args.out:
        raise store.StoreError("xlsx 格式需要用 --out 指定输出文件")
    parks = tuple(store.canonical_name(con, p) for p in args.park) if args.park else None
    population = firm_evaluation.Population(parks=parks)
    frame = firm_evaluation.evaluate_firms(con, scheme, period, reader=accounts.OPERATOR, population=population)
    if args.format == "xlsx":
        scope = "、".join(parks) if parks else "全部园区"
        data = firm_evaluation_xlsx(scheme, period, scope, frame, population)
        try:
            Path(args.out).write_bytes(data)
        except OSError as exc:
            raise InputError(f"无法写入输出文件“{args.out}”（{exc.strerror or exc}）") from None
        print(f"已导出企业评价结果：{args.out}（{len(frame)} 家企业）")
        return 0
    print(firm_evaluation.cli_json(frame))
    return 0


def cmd_leading(args) -> int:
    """list: the park's groups (json: ``[{"group", "codes", "from", "to"}]``); set: save one group."""
    con = store.connect(args.db)
    if store.find_park(con, args.park) is None:
        raise store.StoreError(f"未知园区“{args.park}”")
    if args.action == "set":
        missing = [flag for flag, value in (("--group", args.group), ("--codes", args.codes), ("--from", args.start))
                   if not value]
        if missing:
            raise InputError(f"leading set 需要 {'、'.join(missing)}")
        group = leading.make_group(args.group, args.codes, args.start, leading.code_table(con))
        print(leading.set_group(con, args.park, group, by=accounts.cli_user()))
        return 0
    frame = leading.groups(con, args.park)
    records = [{"group": r.group_name, "codes": list(r.prefixes), "from": f"{r.valid_from:%Y-%m}",
                "to": None if pd.isna(r.valid_to) else f"{r.valid_to:%Y-%m}"} for r in frame.itertuples(index=False)]
    if args.format == "json":
        print(json.dumps(records, ensure_ascii=False, indent=1))
    elif not records:
        print(f"园区“{store.canonical_name(con, args.park)}”还没有主导产业目录")
    else:
        names = leading.code_table(con)
        for r in records:
            until = f"至 {r['to']} 前" if r["to"] else "起至今"
            print(f"{r['group']}  {r['from']} {until}  {leading.prefix_names(r['codes'], names)}")
    return 0


def _password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass("密码：")
    if getpass.getpass("再输入一次：") != first:
        raise accounts.AccountError("两次输入的密码不一致")
    return first


def _account_parks(args) -> tuple[list[str], list[str]]:
    """--park names resolved through the store's parks and aliases; while the
    app holds the database, through the park registry alone."""
    if not args.park:
        return [], []
    try:
        con = store.connect(args.db)
    except store.DatabaseBusy:
        con = store.connect(":memory:")  # seeded from the park registry
    try:
        return accounts.park_names(con, args.park, new_parks=args.new_park)
    finally:
        con.close()


def cmd_account(args) -> int:
    if args.action == "hash":
        print(accounts.hash_password(_password(args)))
        return 0
    path = accounts.accounts_path(args.db)
    known = accounts.load(path)
    if args.action == "list":
        if not known:
            print(f"没有账户（{path}）：应用只在本机（localhost）开放使用")
        for a in sorted(known.values(), key=lambda a: a.username):
            print(f"{a.username}  {a.role}  {a.name}  {'、'.join(a.parks)}")
        return 0
    if args.action == "remove":
        accounts.remove(path, args.username or "")
        print(f"已删除账户“{args.username}”")
        return 0
    if args.action == "passwd":
        if (args.username or "") not in known:
            raise accounts.AccountError(f"没有账户“{args.username}”")
        accounts.put(path, args.username, password=_password(args))
        print(f"已修改账户“{args.username}”的密码")
        return 0
    old = known.get(args.username or "")
    if args.username and accounts.USERNAME.match(args.username) and old is None and not args.role:
        raise accounts.AccountError("新账户需要 --role（查看、填报 或 管理）")
    parks, unknown = _account_parks(args)
    password = _password(args) if old is None or args.password_stdin else None
    account = accounts.put(path, args.username or "", args.role, args.name, tuple(parks), password)
    if unknown:
        print(f"提示：数据库中还没有这些园区：{'、'.join(unknown)}（在它们有数据后生效）", file=sys.stderr)
    print(f"已{'修改' if old else '新建'}账户“{account.username}”（{account.role}）：{path}")
    return 0
