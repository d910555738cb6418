"""Enterprise rows at a province's scale (issue 19, "Scale and speed"): about
30,000 规上 firms in 300 parks, 5 years monthly, 8 indicators (≈ 14 M values).

    .venv/bin/python -m bench.enterprise                     # 30,000 firms in 300 parks (the target size)
    .venv/bin/python -m bench.enterprise --firms 3000 --parks 30   # a smaller run, same rows

Rows (each a whole command in a fresh process, bench/command.py):
  n2_month_ingest   `python -m parkbench ingest n2_month.csv` — one month's 联网直报 (N2) export
                    of every firm (9 value columns: ≈ 10 values a firm) into a copy of the loaded
                    store: parse, checks, rebuild, commit ≤ 3× DuckDB's bare read_csv of the same
                    file into a table (measured in the same run)
  n2_peak_memory    peak resident memory of that command's process tree < 2 GB
  n2_one_park       `ingest` of one park's month (100 firms, N2) into a copy of the loaded store
                    ≤ 1.5× the same command into an empty store (median of 3 each, alternating)

The loaded store is built once per size and generator version and kept in
bench/data/ (``enterprise_v{VERSION}_{firms}x{parks}.duckdb``): one register
(N5) of every firm, then one upload a year of every firm's months, each
through ``store.firms.save_firms`` (the path a parsed file takes: identities,
rows, the full model rebuild and the data checks), with no file to parse.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from bench import command
from parkbench import store
from parkbench.ingest.enterprise.codes import credit_check_character
from parkbench.ingest.enterprise.model import REGISTER_COLUMNS, VALUE_COLUMNS, FirmParsed
from parkbench.store import firms

VERSION = 1  # change with anything that changes the generated store or files
SEED = 20261202
HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
OUT = HERE / "out"
RESULTS = HERE / "results_enterprise.json"
YEARS = tuple(range(2021, 2026))
NEXT_MONTH = dt.date(2026, 1, 1)  # the month the N2 files report
MAX_MB = "200"
# (indicator, basis, 万元-scale of a firm's month): 8 monthly series per firm
SERIES = (("output", "month", 2_000.0), ("sales_output", "month", 1_900.0), ("export_delivery", "month", 150.0),
          ("revenue", "month", 2_100.0), ("profit", "month", 120.0), ("tax", "month", 60.0),
          ("electricity", "month", 40.0), ("employees", "stock", 200.0))
# the N2 export's value columns (B204-1): 本月, 1-本月, 上年同期 1-本月 of three lines, in 千元
N2_LINES = ("工业总产值(当年价格)", "工业销售产值(当年价格)", "出口交货值")
N2_HEADER = ["组织机构代码", "单位详细名称", "统一社会信用代码", "期别(年)", "期别(月)",
             *[f"{kind}{line};千元" for line in N2_LINES
               for kind in ("本月;", "1-本月;", "上年同期;1-本月;")], "调查对象审核错误说明", "报送时间"]
FIRMS_PER_PARK_FILE = 100


def park_names(parks: int) -> list[str]:
    return [f"企业基准{n:03d}工业园区" for n in range(1, parks + 1)]


def firm_table(n_firms: int, n_parks: int) -> pd.DataFrame:
    """One row per firm: credit code (valid check character), name, park, industry code, size."""
    rng = np.random.default_rng(SEED)
    parks = park_names(n_parks)
    rows = []
    for i in range(n_firms):
        first17 = f"91330{i % 1000:03d}{i:08d}X"  # region, then a 9-character 组织机构代码
        rows.append((first17 + credit_check_character(first17), f"基准{i:05d}制造有限公司", parks[i % n_parks],
                     f"{13 + (i * 7) % 30:02d}"))
    frame = pd.DataFrame(rows, columns=["credit_code", "enterprise", "park", "industry_code"])
    frame["size"] = rng.lognormal(0.0, 0.8, n_firms)
    return frame


def store_path(n_firms: int, n_parks: int) -> Path:
    return DATA / f"enterprise_v{VERSION}_{n_firms}x{n_parks}.duckdb"


def register(firm_rows: pd.DataFrame) -> FirmParsed:
    frame = pd.DataFrame({"credit_code": firm_rows["credit_code"], "org_code": None,
                          "enterprise": firm_rows["enterprise"], "park": firm_rows["park"],
                          "industry_code": firm_rows["industry_code"], "industry_name": None, "above_scale": True,
                          "above_scale_since": None, "valid_from": dt.date(YEARS[0], 1, 1), "sheet": "名录",
                          "row": np.arange(len(firm_rows)) + 3}).reindex(columns=REGISTER_COLUMNS)
    return FirmParsed("企业名录.xlsx", "N5", registers=frame)


def year_of_values(firm_rows: pd.DataFrame, year: int) -> FirmParsed:
    """Every firm's 12 months of the 8 series in one frame (no park: from the register)."""
    rng = np.random.default_rng(SEED + year)
    months = [dt.date(year, m, 1) for m in range(1, 13)]
    n, k = len(firm_rows), len(SERIES)
    growth = 1.06 ** (year - YEARS[0])
    scale = np.array([s for *_, s in SERIES])
    values = (firm_rows["size"].to_numpy()[:, None, None] * growth * scale[None, None, :]
              * rng.uniform(0.85, 1.15, (n, 12, k))).round(1)
    frame = pd.DataFrame({
        "credit_code": np.repeat(firm_rows["credit_code"].to_numpy(), 12 * k),
        "org_code": None, "enterprise": np.repeat(firm_rows["enterprise"].to_numpy(), 12 * k), "park": None,
        "indicator": np.tile([s[0] for s in SERIES], n * 12), "period": np.tile(np.repeat(months, k), n),
        "basis": np.tile([s[1] for s in SERIES], n * 12), "value": values.ravel(),
        "sheet": "Sheet1", "row": np.repeat(np.arange(n * 12) + 2, k), "column": "F 列"})
    return FirmParsed(f"联网直报_{year}.xlsx", "N2", values=frame.reindex(columns=VALUE_COLUMNS))


def build_store(n_firms: int, n_parks: int) -> Path:
    """The loaded store, built once (cached by size and VERSION), with progress printed."""
    path = store_path(n_firms, n_parks)
    if path.exists():
        print(f"loaded store: {path.name} (cached; opened once, untimed, so a changed model is rebuilt "
              "before the timed commands)", flush=True)
        store.connect(path).close()
        return path
    building = path.with_suffix(".building")
    for leftover in (building, Path(f"{building}.wal")):
        leftover.unlink(missing_ok=True)
    firm_rows = firm_table(n_firms, n_parks)
    con = store.connect(building)
    started = time.perf_counter()
    firms.save_firms(con, register(firm_rows), b"register")
    print(f"  register of {n_firms:,} firms in {n_parks} parks: {time.perf_counter() - started:.0f} s", flush=True)
    for year in YEARS:
        parsed = year_of_values(firm_rows, year)
        firms.save_firms(con, parsed, f"year {year}".encode())
        print(f"  {year}: {parsed.value_count:,} values stored, {time.perf_counter() - started:.0f} s", flush=True)
    con.close()
    Path(building).rename(path)
    if Path(f"{building}.wal").exists():
        Path(f"{building}.wal").rename(f"{path}.wal")
    return path


def write_n2(path: Path, firm_rows: pd.DataFrame) -> int:
    """An N2 export (as the sample's B204-1 query export) of ``firm_rows`` for
    NEXT_MONTH: values in 千元. Returns the number of values."""
    rng = np.random.default_rng(SEED + len(firm_rows))
    base = firm_rows["size"].to_numpy() * 1.06 ** len(YEARS) * 10  # 万元 → 千元
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(N2_HEADER)
        for (code, name), size in zip(firm_rows[["credit_code", "enterprise"]].itertuples(index=False), base,
                                      strict=True):
            cells = []
            for scale in (2_000.0, 1_900.0, 150.0):
                month = round(size * scale * rng.uniform(0.85, 1.15))
                cells += [month, month, round(month / 1.06)]  # January: 1-本月 is 本月
            out.writerow([code[8:17], name, code, NEXT_MONTH.year, NEXT_MONTH.month, *cells, "",
                          f"{NEXT_MONTH:%Y-%m}-05 10:00:00"])
    return len(firm_rows) * len(N2_LINES) * 3


def copy_store(source: Path, target: Path) -> Path:
    for leftover in (target, Path(f"{target}.wal")):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(source, target)
    if Path(f"{source}.wal").exists():
        shutil.copyfile(f"{source}.wal", f"{target}.wal")
    return target


def ingest(file: Path, db: Path, *extra: str) -> command.Run:
    run = command.parkbench("ingest", str(file), "--db", str(db), "--max-mb", MAX_MB, *extra)
    if run.returncode != 0:
        raise RuntimeError(f"ingest {file.name} failed: {run.stderr.decode()[-2000:]}")
    return run


def row(times: str, target: str, measured: str, met: bool, **figures) -> dict:
    return {"times": times, "target": target, "measured": measured, "met": met, **figures}


def n2_month_ingest(loaded: Path, month_file: Path, values: int) -> tuple[dict, command.Run]:
    raw = duckdb.connect()
    started = time.perf_counter()
    raw.execute("create table t as select * from read_csv($path)", {"path": str(month_file)})
    duck_s = time.perf_counter() - started
    raw.close()
    run = ingest(month_file, copy_store(loaded, OUT / "enterprise_month.duckdb"))
    ratio = run.wall_s / duck_s
    return row(f"python -m parkbench ingest {month_file.name} (one month's N2 export, {values:,} values) into a "
               "copy of the loaded store: whole command (parse, checks, rebuild, commit)",
               "≤ 3× DuckDB read_csv", f"{run.wall_s:.2f} s = {ratio:.1f}× DuckDB read_csv ({duck_s:.3f} s)",
               ratio <= 3, command_s=round(run.wall_s, 3), duckdb_read_csv_s=round(duck_s, 3),
               ratio=round(ratio, 2)), run


def n2_peak_memory(run: command.Run) -> dict:
    return row("peak resident memory of the N2 month ingest's process tree (command + any worker)", "< 2 GB",
               f"{run.peak_mb:,.0f} MB ({run.peak_mb / 2048:.2f}× the target)", run.peak_mb < 2048,
               peak_mb=round(run.peak_mb, 1))


def n2_one_park(loaded: Path, park_file: Path, park: str, runs: int = 3) -> dict:
    """Into a copy of the loaded store against into an empty one (copies made
    before each run, not timed), alternating so the machine's load falls on both."""
    def into(db: Path, source: Path | None) -> float:
        if source is None:
            for leftover in (db, Path(f"{db}.wal")):
                leftover.unlink(missing_ok=True)
            store.connect(db).close()
        else:
            copy_store(source, db)
        return ingest(park_file, db, "--park", park).wall_s

    pairs = [(into(OUT / "enterprise_park_empty.duckdb", None), into(OUT / "enterprise_park_full.duckdb", loaded))
             for _ in range(runs)]
    empty_s, full_s = statistics.median(e for e, _ in pairs), statistics.median(f for _, f in pairs)
    ratio = full_s / empty_s
    return row(f"python -m parkbench ingest {park_file.name} --park … (one park's month, "
               f"{FIRMS_PER_PARK_FILE} firms, N2): whole command, into a copy of the loaded store vs into an "
               f"empty store (median of {runs} each)", "≤ 1.5× into an empty store",
               f"{ratio:.2f}× ({full_s:.2f} s into the loaded store vs {empty_s:.2f} s)", ratio <= 1.5,
               empty_store_s=round(empty_s, 3), full_store_s=round(full_s, 3), ratio=round(ratio, 2))


def measure(n_firms: int = 30_000, n_parks: int = 300, results: dict | None = None) -> dict:
    """The three rows at one size, each put into ``results`` (printed as it is
    set when that is bench.run's Results) as soon as it is measured."""
    results = {} if results is None else results
    DATA.mkdir(exist_ok=True)
    OUT.mkdir(exist_ok=True)
    print(f"enterprise rows, {n_firms:,} firms in {n_parks} parks, {len(YEARS)} years × 12 months × "
          f"{len(SERIES)} series ({n_firms * len(YEARS) * 12 * len(SERIES):,} values) …", flush=True)
    loaded = build_store(n_firms, n_parks)
    firm_rows = firm_table(n_firms, n_parks)
    month_file = DATA / f"enterprise_v{VERSION}_n2_month_{n_firms}.csv"
    values = write_n2(month_file, firm_rows)
    park = park_names(n_parks)[0]
    park_file = DATA / f"enterprise_v{VERSION}_n2_one_park_{n_firms}.csv"
    write_n2(park_file, firm_rows[firm_rows["park"] == park].head(FIRMS_PER_PARK_FILE))
    results["n2_month_ingest"], run = n2_month_ingest(loaded, month_file, values)
    results["n2_peak_memory"] = n2_peak_memory(run)
    results["n2_one_park"] = n2_one_park(loaded, park_file, park)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=30_000)
    parser.add_argument("--parks", type=int, default=300)
    args = parser.parse_args(argv)
    results = {"size": f"{args.firms:,} firms in {args.parks} parks", "load_average_at_start": load_average()}
    measure(args.firms, args.parks, results)
    results["load_average_at_end"] = load_average()
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    for name, r in results.items():
        if isinstance(r, dict):
            print(f"{name:<16} {'met' if r['met'] else 'not met':<8} {r['target']:<28} {r['measured']}")
            print(f"{'':<16} times: {r['times']}")
    print(f"size: {results['size']}; load average {results['load_average_at_start']} → "
          f"{results['load_average_at_end']} on {os.cpu_count()} cores; figures: {RESULTS}")
    return 0


def load_average() -> list[float]:
    return [round(x, 1) for x in os.getloadavg()]


if __name__ == "__main__":
    sys.exit(main())
