"""Fuzzing the readers (hypothesis), bounded in time.

1. Sheets of every family generated from random parks, periods, indicators
   and values are stored exactly as generated: the expected rows are the
   generated ones, never the program's output.
2. Damaged files (flipped bytes, truncation, broken zips, huge cells, far
   cells, deep merges, 16,384 columns) end in a clear Chinese refusal or a
   parse, never a crash, hang, traceback or half-written store. They are
   parsed through the app's worker (``isolate``), and a worker that died,
   hit an internal error or ran out of time fails the test: containment is
   the safety net, not the answer.

Each test runs a fixed number of examples with a per-example deadline; the
whole module stays under about a minute on a quiet machine.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from conftest import xlsx_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parkbench import store
from parkbench.catalog import INDICATOR_BY_ID
from parkbench.ingest import IngestError, isolate, parse_file
from tests.hostile import SMALL_TABLE, number_cell, text_cell, workbook

FUZZ = settings(max_examples=10, deadline=dt.timedelta(seconds=20), derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

FLOWS = ["output", "tax", "revenue", "fixed_investment"]  # 万元
STOCKS = ["land_area", "enterprises"]  # 亩, 户
NAME_CHARS = "东南西北安平兴华盛龙宁昌泰丰新民阳山河湖海林云城"

park_names = st.lists(st.text(NAME_CHARS, min_size=2, max_size=4).map(lambda s: s + "试验园"),
                      min_size=1, max_size=4, unique=True)
months = st.lists(st.tuples(st.integers(2015, 2030), st.integers(1, 12)).map(lambda ym: dt.date(ym[0], ym[1], 1)),
                  min_size=1, max_size=4, unique=True)
# Values with two decimals: exact in a CSV, an .xlsx and a double alike.
amounts = st.integers(0, 10**9).map(lambda cents: cents / 100)


def zh(indicator: str) -> str:
    return INDICATOR_BY_ID[indicator].zh


def unit(indicator: str) -> str:
    return INDICATOR_BY_ID[indicator].unit


@functools.cache
def _template() -> Path:
    """An empty store made once (migrations and the park registry take a second)."""
    path = Path(tempfile.mkdtemp(prefix="parkbench-fuzz-")) / "template.duckdb"
    store.connect(path).close()
    return path


@contextlib.contextmanager
def fresh_store():
    """A fresh store per example: a copy of the template."""
    with tempfile.TemporaryDirectory(prefix="parkbench-fuzz-") as tmp:
        path = Path(tmp) / "store.duckdb"
        shutil.copyfile(_template(), path)
        con = store.connect(path)
        try:
            yield con
        finally:
            con.close()


def stored_rows(parsed, data: bytes) -> tuple[set, set]:
    """Store the parsed file in a fresh store; its observations and industries as they came back."""
    with fresh_store() as con:
        store.save(con, parsed, data)
        observations = set(con.execute(
            "select p.name, indicator, period, basis, value from stg_observations join parks p using (park_id)"
        ).fetchall())
        industries = set(con.execute(
            "select p.name, period, industry, is_leading, output, firms from stg_industries join parks p using (park_id)"
        ).fetchall())
        return observations, industries


# ---------------------------------------------------------------- every family stores what was generated

PERIOD_SPELLINGS = [lambda d: f"{d:%Y-%m}", lambda d: f"{d.year}年{d.month}月", lambda d: f"{d:%Y%m}",
                    lambda d: f"{d.year}/{d.month}"]
MONEY_UNITS = {"万元": 1.0, "亿元": 10_000.0, "元": 0.0001}


@FUZZ
@given(parks=park_names, periods=months, data=st.data())
def test_family_c_long_table(parks, periods, data):
    keys = [(p, i, d, b) for p in parks for d in periods for i in FLOWS for b in ("month", "ytd")]
    keys += [(p, i, d, "stock") for p in parks for d in periods for i in STOCKS]
    chosen = data.draw(st.lists(st.sampled_from(keys), min_size=1, max_size=30, unique=True))
    spell = data.draw(st.sampled_from(PERIOD_SPELLINGS))
    lines, expected = ["园区,统计期,指标,口径,数值,单位"], set()
    for park, ind, period, basis in chosen:
        value = data.draw(amounts)
        money_unit = data.draw(st.sampled_from(list(MONEY_UNITS))) if ind in FLOWS else unit(ind)
        basis_zh = {"month": "本月", "ytd": "累计", "stock": "期末"}[basis]
        lines.append(f"{park},{spell(period)},{zh(ind)},{basis_zh},{value},{money_unit}")
        expected.add((park, ind, period, basis, value * MONEY_UNITS.get(money_unit, 1.0)))
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "gbk"]))
    content = ("\n".join(lines) + "\n").encode(encoding)
    as_xlsx = data.draw(st.booleans())
    if as_xlsx:
        content = xlsx_bytes({"长表": [line.split(",") for line in lines]})
    parsed = parse_file(content, "长表.xlsx" if as_xlsx else "长表.csv")
    observations, _ = stored_rows(parsed, content)
    assert {k[:4] for k in observations} == {k[:4] for k in expected}
    by_key = {k[:4]: k[4] for k in observations}
    for *key, value in expected:
        assert by_key[tuple(key)] == pytest.approx(value, rel=1e-12, abs=1e-9)


@FUZZ
@given(parks=park_names, periods=months, indicators=st.lists(st.sampled_from(FLOWS), min_size=1, max_size=4,
                                                              unique=True), data=st.data())
def test_family_d_wide_monthly(parks, periods, indicators, data):
    header = ["园区", "月份"] + [f"{zh(i)}({unit(i)})" for i in indicators]
    rows, expected = [header], set()
    for park in parks:
        for period in periods:
            row = [park, f"{period:%Y-%m}"]
            for ind in indicators:
                value = data.draw(st.one_of(amounts, st.sampled_from([None, "—", "未填报"])))
                row.append(value)
                if isinstance(value, float):
                    expected.add((park, ind, period, "month", value))
            rows.append(row)
    if not expected:
        rows[1][2] = 1.0
        expected.add((parks[0], indicators[0], periods[0], "month", 1.0))
    content = xlsx_bytes({"月度": rows})
    observations, _ = stored_rows(parse_file(content, "月度宽表.xlsx"), content)
    assert observations == expected


@FUZZ
@given(parks=park_names, year=st.integers(2015, 2030),
       ends=st.lists(st.integers(2, 12), min_size=1, max_size=3, unique=True),
       indicators=st.lists(st.sampled_from(FLOWS), min_size=1, max_size=3, unique=True), data=st.data())
def test_family_a_cumulative_sheets(parks, year, ends, indicators, data):
    sheets, expected = {}, set()
    for end in sorted(ends):
        rows = [[f"{year}年1-{end}月全市工业园区主要经济指标"], ["单位：万元"],
                ["序号", "园区名称"] + [f"{zh(i)}({unit(i)})" for i in indicators]]
        for n, park in enumerate(parks, 1):
            values = [data.draw(amounts) for _ in indicators]
            rows.append([n, park, *values])
            expected |= {(park, i, dt.date(year, end, 1), "ytd", v) for i, v in zip(indicators, values, strict=True)}
        sheets[f"{year}年1-{end}月"] = rows
    content = xlsx_bytes(sheets)
    observations, _ = stored_rows(parse_file(content, f"各园区主要经济指标{year}.xlsx"), content)
    assert observations == expected


@FUZZ
@given(park=park_names.map(lambda names: names[0]), year=st.integers(2015, 2030),
       chosen=st.lists(st.integers(1, 12), min_size=1, max_size=3, unique=True),
       indicators=st.lists(st.sampled_from(FLOWS), min_size=1, max_size=4, unique=True), data=st.data())
def test_family_b_bureau_report(park, year, chosen, indicators, data):
    sheets, expected = {}, set()
    for month in sorted(chosen):
        rows = [[f"{park}{year}年{month}月主要经济指标完成情况"], ["指标名称", "计量单位", "本月", f"1-{month}月累计"]]
        for ind in indicators:
            this_month, cumulative = data.draw(amounts), data.draw(amounts)
            rows.append([zh(ind), unit(ind), this_month, cumulative])
            expected |= {(park, ind, dt.date(year, month, 1), "month", this_month),
                         (park, ind, dt.date(year, month, 1), "ytd", cumulative)}
        sheets[f"{month}月"] = rows
    content = xlsx_bytes(sheets)
    observations, _ = stored_rows(parse_file(content, "统计月报.xlsx"), content)
    assert observations == expected


@FUZZ
@given(parks=park_names, period=months.map(lambda ps: ps[0]),
       industries=st.lists(st.text("材料装备食品化工电子医药纺织能源", min_size=2, max_size=4), min_size=1, max_size=4,
                           unique=True), data=st.data())
def test_family_e_industries(parks, period, industries, data):
    rows, expected = [["园区", "产业名称", "是否主导产业", "产值(万元)", "企业数(户)", "统计期"]], set()
    for park in parks:
        for industry in industries:
            leading, output, firms = data.draw(st.booleans()), data.draw(amounts), data.draw(st.integers(0, 500))
            rows.append([park, industry, "是" if leading else "否", output, firms, f"{period:%Y-%m}"])
            expected.add((park, period, industry, leading, output, firms))
    content = xlsx_bytes({"产业结构": rows})
    _, stored = stored_rows(parse_file(content, "产业结构.xlsx"), content)
    assert stored == expected


# ---------------------------------------------------------------- damage ends in a clear refusal

CJK = re.compile(r"[\u4e00-\u9fff]")
CONTAINED_FAILURES = ("异常退出", "内部错误", "仍未完成")  # the worker died, a reader raised, or it hung


def assert_clear_outcome(content: bytes, name: str) -> None:
    """Parsed and stored whole, or refused in Chinese (before the store is touched)."""
    try:
        parsed = isolate.parse_file(content, name)
    except IngestError as exc:
        message = str(exc)
        assert CJK.search(message) and "Traceback" not in message and name in message
        assert not any(word in message for word in CONTAINED_FAILURES), message
        return
    with fresh_store() as con:
        store.save(con, parsed, content)
        stored = con.execute("select count(*) from observations").fetchall()[0][0]
        assert stored == len(parsed.observations)


def base_file(kind: str) -> tuple[bytes, str]:
    if kind == "xlsx":
        return workbook({"数据": SMALL_TABLE}), "数据.xlsx"
    text = "园区,月份,税收(万元),工业总产值(万元)\n甲园区,2024-01,12,340\n甲园区,2024-02,15,355\n"
    return text.encode("utf-8"), "数据.csv"


@settings(FUZZ, max_examples=20)
@given(kind=st.sampled_from(["xlsx", "csv"]), flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True),
                                                                      st.integers(0, 255)), min_size=1, max_size=8))
def test_flipped_bytes(kind, flips):
    content, name = base_file(kind)
    damaged = bytearray(content)
    for where, byte in flips:
        damaged[int(where * len(damaged))] = byte
    assert_clear_outcome(bytes(damaged), name)


@FUZZ
@given(kind=st.sampled_from(["xlsx", "csv"]), keep=st.floats(0, 1, exclude_max=True))
def test_truncated(kind, keep):
    content, name = base_file(kind)
    assert_clear_outcome(content[:int(keep * len(content))], name)


def rezip(content: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = change(info.filename, src.read(info.filename))
            if body is not None:
                dst.writestr(info.filename, body)
    return out.getvalue()


@FUZZ
@given(member=st.sampled_from(["xl/workbook.xml", "xl/worksheets/sheet1.xml", "[Content_Types].xml",
                               "xl/_rels/workbook.xml.rels"]),
       how=st.sampled_from(["drop", "garbage", "cut"]), junk=st.binary(min_size=0, max_size=64))
def test_broken_zip_members(member, how, junk):
    content, name = base_file("xlsx")

    def change(filename: str, body: bytes):
        if filename != member:
            return body
        return None if how == "drop" else junk if how == "garbage" else body[:len(body) // 2]

    assert_clear_outcome(rezip(content, change), name)


@FUZZ
@given(row=st.integers(1, 1_048_576), column=st.integers(1, 16_384))
def test_far_cells(row, column):
    from parkbench.ingest.extent import column_name

    row = max(row, 4)  # below the small table
    rows = SMALL_TABLE + f'<row r="{row}">' + number_cell(f"{column_name(column)}{row}", 1) + "</row>"
    assert_clear_outcome(workbook({"数据": rows}), "远处.xlsx")


@FUZZ
@given(size=st.sampled_from([100_000, 1_000_000, 5_000_000]),
       replaced=st.sampled_from([text_cell("A1", "园区"), text_cell("A2", "甲园区"), number_cell("C2", 12)]))
def test_huge_cells(size, replaced):
    """A park name, a header or a value of millions of characters."""
    ref = re.search(r'r="(\w+)"', replaced).group(1)
    rows = SMALL_TABLE.replace(replaced, text_cell(ref, "园" * size))
    assert_clear_outcome(workbook({"数据": rows}), "大单元格.xlsx")


@FUZZ
@given(merges=st.lists(st.tuples(st.integers(1, 1_048_576), st.integers(1, 16_384)), min_size=1, max_size=2000))
def test_deep_merges(merges):
    from parkbench.ingest.extent import column_name

    ranges = "".join(f'<mergeCell ref="A1:{column_name(c)}{r}"/>' for r, c in merges)
    content = rezip(workbook({"数据": SMALL_TABLE}), lambda f, body: body.replace(
        b"</sheetData>", f'</sheetData><mergeCells count="{len(merges)}">{ranges}</mergeCells>'.encode())
        if f == "xl/worksheets/sheet1.xml" else body)
    assert_clear_outcome(content, "合并.xlsx")


@FUZZ
@given(rows=st.integers(1, 10), header=st.booleans())
def test_sixteen_thousand_columns(rows, header):
    from parkbench.ingest.extent import column_name

    cells = "".join(number_cell(f"{column_name(c)}{{r}}", c) for c in range(1, 16_385))
    body = "".join(f'<row r="{r}">' + cells.replace("{r}", str(r)) + "</row>" for r in range(2, rows + 2))
    first = ('<row r="1">' + "".join(text_cell(f"{column_name(c)}1", f"列{c}") for c in range(1, 16_385)) + "</row>"
             if header else "")
    assert_clear_outcome(workbook({"数据": first + body}), "宽表.xlsx")
