"""Command line: ``python -m parkbench ingest | metrics | status | uploads | undo | demo``.

The same functions the pages call. Refusals print one clear sentence in
Chinese to stderr and exit 1; nothing prints a traceback for a user error.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from parkbench import checks, demo, export, metrics, names, status, store
from parkbench.ingest import IngestError, parse_path


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (store.StoreError, IngestError) as exc:
        print(str(exc), file=sys.stderr)
        return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m parkbench", description="ParkBench 园区对标：导入、指标、上传记录")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, run, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--db", help="数据库文件（默认 $PARKBENCH_DB 或 data/parkbench.duckdb）")
        p.set_defaults(run=run)
        return p

    p = add("ingest", cmd_ingest, "导入一个或多个文件（每个文件要么全部导入，要么不导入）")
    p.add_argument("files", nargs="+", metavar="FILE")

    p = add("metrics", cmd_metrics, "输出指标")
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

    p = add("undo", cmd_undo, "撤销一次上传，恢复上传前的数据")
    p.add_argument("upload_id", type=int, metavar="UPLOAD_ID")

    p = add("demo", cmd_demo, "把示例数据载入一个单独的数据库（已有真实数据的数据库不会载入）")
    p.add_argument("--if-empty", action="store_true", help="只在数据库为空时载入")
    return parser


def cmd_ingest(args) -> int:
    con = store.connect(args.db)
    failed = False
    for name in args.files:
        try:
            parsed = parse_path(name)
            refusal = checks.feeds_nothing(parsed)
            if refusal is not None:
                raise store.StoreError("无法导入：" + refusal)
            close = names.close_parks(con, [p for p in parsed.parks if store.find_park(con, p) is None])
            result = store.save(con, parsed, Path(name).read_bytes())
        except (IngestError, store.StoreError) as exc:
            print(str(exc), file=sys.stderr)
            failed = True
            continue
        print(result.summary())
        for finding in result.findings:
            print(finding.line())
        for spelling, park in close.items():
            print(f"警告：园区名称“{spelling}”与已有园区“{park}”相近，已作为新园区导入；"
                  f"如为同一园区，请撤销此次上传，在上传页确认“是否为：{park}？”后重新导入")
    return 1 if failed else 0


def cmd_metrics(args) -> int:
    con = store.connect(args.db)
    for label, period in (("--from", args.start), ("--to", args.end)):
        if period is not None:
            try:
                metrics.month_start(period)
            except ValueError:
                raise store.StoreError(f"{label} 的期间“{period}”应写成 YYYY-MM，例如 2024-03") from None
    parks = [store.canonical_name(con, p) for p in args.park] if args.park else None
    frame = metrics.metric_values(con, parks, args.start, args.end)
    if args.format == "json":
        records = [{"park": r.park, "period": r.period, "metric": r.metric,
                    "value": None if r.value is None or math.isnan(r.value) else float(r.value)}
                   for r in frame.itertuples(index=False)]
        _emit(json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8"), args.out)
    elif args.format == "csv":
        _emit(export.to_csv_bytes(frame), args.out)
    else:
        if not args.out:
            raise store.StoreError("xlsx 格式需要用 --out 指定输出文件")
        _emit(export.to_xlsx_bytes(frame, "指标"), args.out)
    return 0


def _emit(data: bytes, out: str | None) -> None:
    if out:
        Path(out).write_bytes(data)
    else:
        sys.stdout.buffer.write(data if data.endswith(b"\n") else data + b"\n")
        sys.stdout.flush()


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


def cmd_uploads(args) -> int:
    con = store.connect(args.db)
    frame = store.list_uploads(con, include_undone=args.all and args.format == "table")
    if args.format == "json":
        records = [{"id": int(r.id), "file": r.file, "at": r.at, "rows": int(r.rows)}
                   for r in frame.itertuples(index=False)]
        print(json.dumps(records, ensure_ascii=False, indent=1))
        return 0
    if frame.empty:
        print("还没有上传记录")
        return 0
    for r in frame.itertuples(index=False):
        status = "已撤销" if r.undone_at is not None and str(r.undone_at) != "NaT" else ("示例" if r.is_demo else "")
        print(f"{r.id:>4}  {r.at}  {r.rows:>8} 个数值  {r.family or '':<4} {status:<4} {r.file}")
    return 0


def cmd_undo(args) -> int:
    con = store.connect(args.db)
    print(store.undo(con, args.upload_id))
    return 0


def cmd_demo(args) -> int:
    con = store.connect(args.db)
    if args.if_empty and not store.is_empty(con):
        print("数据库已有数据，未载入示例数据")
        return 0
    for result in demo.load(con):
        print(result.summary())
    return 0
