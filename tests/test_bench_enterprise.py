"""The enterprise bench's generated files are what its rows say they are: an
N2 export the N2 reader reads as the sample's shape (bench/enterprise.py), and
a loaded store whose firms sit in their parks (a small size of it)."""

from __future__ import annotations

import csv

import pytest

from bench import enterprise
from parkbench import store
from parkbench.ingest.enterprise import parse_firm_bytes
from parkbench.ingest.enterprise.codes import credit_code_is_valid
from parkbench.store import firms
from parkbench.store.accounts import OPERATOR


def test_the_n2_month_file_reads_as_n2_in_wan_yuan_for_every_firm(tmp_path):
    firm_rows = enterprise.firm_table(7, 2)
    path = tmp_path / "n2.csv"
    assert enterprise.write_n2(path, firm_rows) == 7 * 9
    with path.open(encoding="utf-8-sig", newline="") as f:
        written = list(csv.DictReader(f))
    parsed = parse_firm_bytes(path.read_bytes(), path.name)
    assert parsed.shape == "N2" and parsed.value_count == 7 * 9 and not parsed.warnings
    values = parsed.values.set_index(["credit_code", "indicator", "basis"])["value"]
    for line in written:
        code = line["统一社会信用代码"]
        assert credit_code_is_valid(code) and line["组织机构代码"] == code[8:17]
        thousand_yuan = float(line["本月;工业总产值(当年价格);千元"])
        assert values[(code, "output", "month")] == pytest.approx(thousand_yuan / 10)  # 千元 → 万元
        assert values[(code, "export_delivery", "ytd_prior")] == pytest.approx(
            float(line["上年同期;1-本月;出口交货值;千元"]) / 10)
    assert set(parsed.values["period"].astype(str)) == {"2026-01-01"}


def test_a_year_of_the_loaded_store_puts_each_firms_months_in_its_park(tmp_path):
    firm_rows = enterprise.firm_table(4, 2)
    con = store.connect(tmp_path / "loaded.duckdb")
    firms.save_firms(con, enterprise.register(firm_rows), b"register")
    year = enterprise.year_of_values(firm_rows, 2021)
    assert year.value_count == 4 * 12 * len(enterprise.SERIES)
    firms.save_firms(con, year, b"2021")
    shown = firms.enterprise_metrics(con, reader=OPERATOR)
    parks = shown.groupby("credit_code")["park"].unique().map(list).to_dict()
    assert parks == {code: [park] for code, park in zip(firm_rows["credit_code"], firm_rows["park"], strict=True)}
    first = year.values[(year.values["credit_code"] == firm_rows["credit_code"][0])
                        & (year.values["indicator"] == "output")]
    december = shown[(shown["credit_code"] == firm_rows["credit_code"][0]) & (shown["period"] == "2021-12")
                     & (shown["metric"] == "output_ytd")]["value"]
    assert december.iloc[0] == pytest.approx(first["value"].sum())  # 1-12月 = the sum of its 12 months
