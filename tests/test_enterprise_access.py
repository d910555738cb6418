"""Who sees enterprise rows (docs/enterprises.md rule 5): a firm's rows go to
管理 accounts and to the accounts whose parks include the firm's park; other
accounts see park totals only, in exports and briefings too. The command line
is the operator's tool and reads everything.

A store holds the enterprise samples of two parks (tests/fixtures/enterprise:
东山经济开发区 25 firms, 南湖工业园区 18). Which firm belongs to which park, and
how many rows each park has, come from the samples' published
expected_enterprise_metrics.json, not from the code under test."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import FIXTURES

from parkbench import store
from parkbench.errors import AccountError
from parkbench.ingest.enterprise import parse_firm_file
from parkbench.ingest.enterprise.model import REGISTER_COLUMNS, VALUE_COLUMNS, FirmParsed
from parkbench.models import checks, sql
from parkbench.output import briefing
from parkbench.store import firms
from parkbench.store.accounts import ADMIN, OPEN_ACCOUNT, OPERATOR, UPLOAD, VIEW, Account

FOLDER = FIXTURES / "enterprise"
ROOT = Path(__file__).resolve().parent.parent
EAST, SOUTH = "东山经济开发区", "南湖工业园区"
EXPECTED = json.loads((FOLDER / "expected_enterprise_metrics.json").read_text(encoding="utf-8"))
FIRMS = {park: {(r["enterprise"], r["credit_code"]) for r in EXPECTED if r["park"] == park} for park in (EAST, SOUTH)}
ROWS = {park: sum(r["park"] == park for r in EXPECTED) for park in (EAST, SOUTH)}
SPAN = {"start": dt.date(2024, 1, 1), "end": dt.date(2025, 12, 1)}  # the months the expected file covers

VIEWER_EAST = Account("east_view", VIEW, "东山查看", (EAST,))
UPLOADER_EAST = Account("east_upload", UPLOAD, "东山填报", (EAST,))
VIEWER_NO_PARK = Account("viewer", VIEW, "查看")
ADMIN_ACCOUNT = Account("admin", ADMIN, "管理员")
OF_EAST = [VIEWER_EAST, UPLOADER_EAST]
OF_ALL = [ADMIN_ACCOUNT, OPEN_ACCOUNT, OPERATOR]  # OPEN_ACCOUNT: the app with accounts off


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    manifest = json.loads((FOLDER / "manifest.json").read_text(encoding="utf-8"))
    order = manifest["ingest_first"] + [n for n in manifest["shapes"] if n not in manifest["ingest_first"]]
    path = tmp_path_factory.mktemp("access") / "two_parks.duckdb"
    con = store.connect(path)
    for name in order:
        firms.save_firms(con, parse_firm_file(FOLDER / name), (FOLDER / name).read_bytes())
    con.close()
    return path


@pytest.fixture
def con(db, tmp_path):
    copy = tmp_path / "copy.duckdb"
    shutil.copy(db, copy)
    connection = store.connect(copy)
    yield connection
    connection.close()


def firms_in(frame: pd.DataFrame) -> set:
    return {(e, None if pd.isna(c) else c) for e, c in zip(frame["enterprise"], frame["credit_code"], strict=True)}


def names_and_codes(park: str) -> set[str]:
    return {text for firm in FIRMS[park] for text in firm if text}


@pytest.mark.parametrize("reader", OF_EAST, ids=lambda a: a.role)
def test_an_account_of_one_park_gets_its_firms_and_none_of_the_other_parks(con, reader):
    got = firms.enterprise_metrics(con, reader=reader, **SPAN)
    assert set(got["park"]) == {EAST}
    assert firms_in(got) == FIRMS[EAST]
    assert len(got) == ROWS[EAST]
    asked = firms.enterprise_metrics(con, reader=reader, parks=[SOUTH], **SPAN)
    assert asked.empty  # asking for the other park by name gives nothing either


@pytest.mark.parametrize("reader", OF_ALL, ids=lambda a: a.username)
def test_admin_the_open_app_and_the_command_line_get_every_firm(con, reader):
    got = firms.enterprise_metrics(con, reader=reader, **SPAN)
    assert firms_in(got) == FIRMS[EAST] | FIRMS[SOUTH]
    assert len(got) == ROWS[EAST] + ROWS[SOUTH]


def test_a_viewer_of_no_park_gets_no_firm(con):
    assert firms.enterprise_metrics(con, reader=VIEWER_NO_PARK).empty


def test_a_read_of_firms_must_say_who_reads(con):
    for read in (firms.enterprise_metrics, firms.write_enterprise_metrics, checks.open_warnings,
                 checks.open_findings):
        reader = inspect.signature(read).parameters["reader"]
        assert reader.kind is inspect.Parameter.KEYWORD_ONLY and reader.default is inspect.Parameter.empty
    with pytest.raises(TypeError):
        firms.enterprise_metrics(con)  # the point: no reader, no rows
    with pytest.raises(AccountError):
        firms.enterprise_metrics(con, reader=None)  # not signed in: refused, not everything


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
@pytest.mark.parametrize("reader", OF_EAST, ids=lambda a: a.role)
def test_exports_of_an_account_of_one_park_hold_none_of_the_other_parks_firms(con, tmp_path, reader, fmt):
    path = tmp_path / f"firms.{fmt}"
    firms.write_enterprise_metrics(con, reader=reader, parks=None, fmt=fmt, path=path, **SPAN)
    text = exported_text(path)
    assert not {t for t in names_and_codes(SOUTH) if t in text}
    assert names_and_codes(EAST) <= {t for t in names_and_codes(EAST) if t in text}


def exported_text(path: Path) -> str:
    if path.suffix != ".xlsx":
        return path.read_text(encoding="utf-8-sig")
    book = openpyxl.load_workbook(path, read_only=True)
    return "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row)


def test_the_operators_export_holds_both_parks_firms(con, tmp_path):
    path = tmp_path / "firms.csv"
    firms.write_enterprise_metrics(con, reader=OPERATOR, parks=None, fmt="csv", path=path, **SPAN)
    text = exported_text(path)
    assert all(t in text for t in names_and_codes(EAST) | names_and_codes(SOUTH))


def test_park_totals_built_from_firms_stay_visible_to_everyone(con):
    """Park metrics take no reader: every account gets both parks' sums, as published."""
    published = json.loads((FOLDER / "expected_park_metrics.json").read_text(encoding="utf-8"))
    want = {(r["park"], r["metric"]): r["value"] for r in published
            if r["period"] == "2025-06" and r["metric"] in ("tax_per_mu", "enterprises_reporting")}
    totals = sql.query(con, "reads/metric_export", parks=None, start=dt.date(2025, 6, 1), end=dt.date(2025, 6, 1))
    got = {(r.park, r.metric): r.value for r in totals.itertuples() if (r.park, r.metric) in want}
    assert {park for park, _ in want} == {EAST, SOUTH} and set(got) == set(want)
    assert all(got[key] == pytest.approx(value, rel=5e-3) for key, value in want.items())


def test_a_briefing_names_no_firm(con):
    """The one-page 简报 any account may make is built from park totals only."""
    made = briefing.build(con, SOUTH, "2025-06", with_charts=False)
    text = " ".join([*made.sentences, *(str(vars(f)) for f in made.figures), *made.peers])
    assert made.figures and not {t for t in names_and_codes(EAST) | names_and_codes(SOUTH) if t in text}


def a_southern_ledger_naming_an_eastern_firm() -> tuple[FirmParsed, str]:
    """A 南湖 ledger with a firm the 东山 register holds: 同一企业同期属于两个园区."""
    name, code = sorted(f for f in FIRMS[EAST] if f[1])[0]
    rows = [dict(credit_code=code, org_code=None, enterprise=name, park=SOUTH, indicator="tax",
                 period=dt.date(2025, m, 1), basis="month", value=1.0, sheet="Sheet1", row=m + 1, column="D 列")
            for m in (1, 2)]
    return FirmParsed("南湖台账.xlsx", "N1", values=pd.DataFrame(rows, columns=VALUE_COLUMNS)), name


def test_a_warning_naming_a_firm_names_it_only_to_the_readers_of_its_park(con):
    parsed, name = a_southern_ledger_naming_an_eastern_firm()
    firms.save_firms(con, parsed, b"southern ledger")

    def two_parks(reader) -> pd.DataFrame:
        found = checks.open_warnings(con, reader=reader)
        return found[found["check_id"] == "enterprise_two_parks"]

    for reader in [*OF_EAST, *OF_ALL]:
        shown = two_parks(reader)
        assert len(shown) == 1 and name in shown["message"].iloc[0] and name in shown["detail"].iloc[0]
    for reader in (Account("south_view", VIEW, "南湖查看", (SOUTH,)), VIEWER_NO_PARK):
        shown = two_parks(reader)
        assert len(shown) == 1 and shown["park"].iloc[0] == EAST  # the warning itself stays
        assert name not in shown["message"].iloc[0] and name not in shown["detail"].iloc[0]
        assert "企业明细只对管理账户和本园区的账户显示" in shown["detail"].iloc[0]
        findings = checks.open_findings(con, reader=reader).cells
        assert not findings["message"].str.contains(name).any()


ENTERPRISE_RELATIONS = re.compile(
    r"\b(int_enterprise_(?:flow_values|stock_values|names|members|placements)|enterprise_metric_values|stg_enterprise_\w+"
    r"|enterprise_(?:identities|observations|growth|parcels|registers|aliases)|enterprises)\b")
# Reads that touch firm rows without returning them to a reader, and why.
NOT_RETURNING_FIRMS = {
    "reads/upload_parks": "returns the park ids of an upload (who may undo it)",
    "reads/enterprise_rows_without_park": "names a row of the file being stored, to its uploader",
    "reads/firm_rows_registered_park": "places the rows of the file being previewed, for its uploader",
    "reads/enterprise_parks": "returns park names only (the parks with enterprise rows)",
    "reads/leading_group_figures": "returns park totals per leading group (户, output, share, growth), no firm",
    "reads/firm_rows_written_since": "returns whether any firm rows came since an upload (a store's own check), no firm",
    "reads/first_enterprise_month": "returns the first month with firm values (the years a class history spans), no firm",
}


def test_every_read_of_firm_rows_takes_the_readers_parks():
    """A read under queries/reads or queries/macros that reads enterprise-level
    relations filters by $readable (the parks accounts.firm_parks gives)."""
    unguarded = []
    for path in sorted([*(ROOT / "queries" / "reads").glob("*.sql"), *(ROOT / "queries" / "macros").glob("*.sql")]):
        name = f"{path.parent.name}/{path.stem}"
        code = "\n".join(line.split("--")[0] for line in path.read_text(encoding="utf-8").splitlines())
        body = re.sub(r"'[^']*'", "''", code)  # not the indicator 'enterprises'
        if ENTERPRISE_RELATIONS.search(body) and name not in NOT_RETURNING_FIRMS and "$readable" not in body:
            unguarded.append(name)
    assert unguarded == []


def test_the_command_lines_help_says_it_reads_everything():
    from parkbench import cli

    assert "命令行是服务器上操作员的工具，读取全部数据" in cli.build_parser().format_help()


def test_a_register_dated_back_names_its_firms_only_to_the_readers_of_its_park(con):
    """enterprise_register_backwards names firms too: another park's reader reads it without them."""
    name, code = sorted(f for f in FIRMS[EAST] if f[1])[0]
    row = dict(credit_code=code, org_code=None, enterprise=name, park=SOUTH, industry_code="3411",
               industry_name=None, above_scale=True, above_scale_since=None, valid_from=dt.date(2020, 1, 1),
               sheet="名录", row=2)
    firms.save_firms(con, FirmParsed("南湖旧名录.xlsx", "N5", registers=pd.DataFrame([row], columns=REGISTER_COLUMNS)),
                     b"old southern register")

    def dated_back(reader) -> pd.DataFrame:
        found = checks.open_warnings(con, reader=reader)
        return found[found["check_id"] == "enterprise_register_backwards"]

    for reader in [*OF_ALL, Account("south_view", VIEW, "南湖查看", (SOUTH,))]:
        shown = dated_back(reader)
        assert len(shown) == 1 and name in shown["detail"].iloc[0]
    for reader in (*OF_EAST, VIEWER_NO_PARK):
        shown = dated_back(reader)
        assert len(shown) == 1 and shown["park"].iloc[0] == SOUTH
        assert name not in shown["message"].iloc[0] and name not in shown["detail"].iloc[0]
        assert "企业明细只对管理账户和本园区的账户显示" in shown["detail"].iloc[0]
