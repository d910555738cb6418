"""Each blank template, filled with one row, reads back through parse_file."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from parkbench import ingest
from parkbench.ingest import parse_file
from parkbench.ingest.templates import TEMPLATES, template_xlsx

P = "模板测试园区"

# One row per family, in the template's column order.
ONE_ROW = {
    "A": [1, P, 1234.5, 8.2, 56.7, 3.1, 800, 2000, 3000, 12],
    "C": [P, "2025-03", "税收收入", "本月", "56.7", "万元"],
    "D": ["2025-03", P, 1234.5, 56.7, 800, 2000, 3000, 12, 450],
    "E": [P, "2025-12", "装备制造", "是", 1234.5, 6],
}


def filled(family: str) -> bytes:
    template = TEMPLATES[family]
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(family)))
    sheet = book.worksheets[0]
    row = template.header_row + 2  # openpyxl rows are 1-based: the row after the header
    if family == "B":
        sheet.cell(row=1, column=1, value=sheet.cell(row=1, column=1).value.replace("XX园区", P))
        sheet.cell(row=row, column=3, value=1234.5)  # first indicator row: 本月
        sheet.cell(row=row, column=4, value=1234.5)
    else:
        for c, value in enumerate(ONE_ROW[family], start=1):
            sheet.cell(row=row, column=c, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_every_template_has_a_reader():
    """A template offered for download must read back: no family without its reader."""
    assert set(TEMPLATES) <= {r.FAMILY for r in ingest.READERS}


@pytest.mark.parametrize("family", sorted(TEMPLATES))
def test_template_headers_are_chinese_with_units_note(family):
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(family)))
    sheet = book.worksheets[0]
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any("单位" in t for t in texts), "no units note"
    header = [c.value for c in sheet[TEMPLATES[family].header_row + 1] if c.value]
    assert header and all(any("\u4e00" <= ch <= "\u9fff" for ch in h) for h in header)


@pytest.mark.parametrize("family", sorted(TEMPLATES))
def test_blank_template_is_refused_as_empty_not_as_garbage(family):
    with pytest.raises(ingest.IngestError) as err:
        parse_file(template_xlsx(family), TEMPLATES[family].file_name)
    assert "没有任何可导入的数值" in str(err.value)


@pytest.mark.parametrize("family", sorted(TEMPLATES))
def test_filled_template_ingests_back(family):
    parsed = parse_file(filled(family), TEMPLATES[family].file_name)
    assert family in parsed.family.split("+")
    assert parsed.parks == [P]
    if family == "E":
        row = parsed.industries.iloc[0]
        assert (row.industry, row.is_leading, row.output, row.firms) == ("装备制造", True, 1234.5, 6)
        return
    observations = parsed.observations
    if family == "B":  # a January report's 本月 and 1-本月累计 are both stored
        observations = observations[observations["basis"] != "ytd"]
    obs = observations.set_index("indicator")
    if family == "C":
        assert obs.loc["tax", "value"] == pytest.approx(56.7)
        assert obs.loc["tax", "period"] == dt.date(2025, 3, 1)
    else:
        assert obs.loc["output", "value"] == pytest.approx(1234.5)
    if family == "D":
        assert obs.loc["land_area", "value"] == pytest.approx(3000)
        assert obs.loc["land_area", "basis"] == "stock"
