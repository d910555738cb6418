"""Hostile workbooks written byte by byte (openpyxl cannot write a far cell
without also writing a huge declared range, and the point is to control both)."""

from __future__ import annotations

import io
import zipfile

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '{overrides}</Types>')
_OVERRIDE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" '
             'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?>'
             '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheets}'
             '</sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
            '</Relationships>')
_SHEET = ('<?xml version="1.0" encoding="UTF-8"?>'
          '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}'
          '<sheetData>{rows}</sheetData></worksheet>')


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def number_cell(ref: str, value) -> str:
    return f'<c r="{ref}"><v>{value}</v></c>'


# A small family-D table: park, period and two indicators, three rows.
SMALL_TABLE = (
    '<row r="1">' + text_cell("A1", "园区") + text_cell("B1", "月份") + text_cell("C1", "税收(万元)")
    + text_cell("D1", "工业总产值(万元)") + "</row>"
    '<row r="2">' + text_cell("A2", "甲园区") + text_cell("B2", "2024-01") + number_cell("C2", 12)
    + number_cell("D2", 340) + "</row>"
    '<row r="3">' + text_cell("A3", "甲园区") + text_cell("B3", "2024-02") + number_cell("C3", 15)
    + number_cell("D3", 355) + "</row>")


def workbook(sheets: dict[str, str], dimension: str | None = None) -> bytes:
    """An .xlsx whose sheets have exactly the given <sheetData> rows XML."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   _CONTENT_TYPES.format(overrides="".join(_OVERRIDE.format(n=n) for n in range(1, len(sheets) + 1))))
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK.format(sheets="".join(
            f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(sheets, 1))))
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS.format(rels="".join(
            f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships/worksheet" Target="worksheets/sheet{n}.xml"/>' for n in range(1, len(sheets) + 1))))
        for n, rows in enumerate(sheets.values(), 1):
            dim = f'<dimension ref="{dimension}"/>' if dimension else ""
            z.writestr(f"xl/worksheets/sheet{n}.xml", _SHEET.format(dimension=dim, rows=rows))
    return buf.getvalue()


def far_cell_workbook(far_ref: str) -> bytes:
    """The 4 KB attack: a small table plus one value at ``far_ref``."""
    row = "".join(ch for ch in far_ref if ch.isdigit())
    return workbook({"数据": SMALL_TABLE + f'<row r="{row}">' + number_cell(far_ref, 1) + "</row>"})
