"""Enterprise-level sheets (shapes N1–N6 of docs/enterprises.md): one reader
module per shape, each with ``SHAPE``, ``TITLE``, ``detect(sheet, ctx)`` (a
``FirmHeader`` or None) and ``read(sheet, ctx, header)`` (the sheet's
``FirmParsed``, model.py).

``parse_firm_file`` reads a whole file: None when no sheet of it is an
enterprise sheet (it is a park sheet, or nothing we know), else everything it
holds; bad input is refused with the one error tree (``parkbench.errors``),
naming file, sheet, row and column. ``parkbench.ingest.parse_file`` does not
call it: the caller asks ``parse_firm_file`` first and gives the file to the
park readers when it returns None (a workbook holding both kinds of sheets is
read as enterprise rows, its other sheets named in a warning).

An enterprise sheet is one with a code column (统一社会信用代码, 纳税人识别号,
组织机构代码) or an enterprise-name column (企业名称, 纳税人名称 …); ``单位名称``
counts only beside a code column, since family A calls its parks that.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path, PurePath

import pandas as pd

from parkbench.errors import EmptyFile, IngestError, UnreadableFile
from parkbench.ingest import mapped
from parkbench.ingest.enterprise import (
    mapped_ledger,
    n1_ledger,
    n2_direct,
    n3_tax,
    n4_parcels,
    n5_register,
    n6_leading,
)
from parkbench.ingest.enterprise.collect import combine
from parkbench.ingest.enterprise.model import FirmParsed
from parkbench.ingest.headers import SCAN_ROWS
from parkbench.ingest.model import FileContext, Sheet
from parkbench.ingest.tables import CSV_SUFFIXES, decode_text, read_sheets

# Order matters: the more specific shapes first.
# - N6 first: the only shape without an enterprise column (园区 · 主导产业 · 行业代码).
# - N2 before N3/N1: ;-path headers say it; N3 before N1: tax columns with no other
#   indicator (a ledger with 增值税 beside 工业总产值 is N1).
# - N4 (area + 宗地编号/权属/登记日期) and N5 (所属园区/规上/入规年月 with no flow
#   indicator) before N1: a land list or a register may carry a 用地面积 column too.
# - N1 last: firm rows with any catalogue indicator column.
READERS = [n6_leading, n2_direct, n3_tax, n4_parcels, n5_register, n1_ledger]

__all__ = ["READERS", "FirmParsed", "detect_shape", "parse_firm_bytes", "parse_firm_file", "parse_firm_sheets"]


def detect_shape(sheet: Sheet, ctx: FileContext):
    """(reader module, header) of the first shape that recognises the sheet,
    or ``(None, None)``."""
    if sheet.cells.empty:
        return None, None
    for reader in READERS:
        header = reader.detect(sheet, ctx)
        if header is not None:
            return reader, header
    return None, None


def parse_firm_bytes(data: bytes, file_name: str, mappings: dict[str, mapped.ColumnMapping] | None = None
                     ) -> FirmParsed | None:
    """A file's enterprise rows, or None when it holds no enterprise sheet.
    Sheets of a workbook that are no enterprise sheet are listed in a warning."""
    if not may_hold_firms(data, file_name, mappings):
        return None
    return parse_firm_sheets(read_sheets(data, file_name), file_name, mappings)


def may_hold_firms(data: bytes, file_name: str, mappings: dict[str, mapped.ColumnMapping] | None = None) -> bool:
    """False when the file is a CSV whose head names no enterprise and no saved
    enterprise column mapping could read it."""
    return (csv_head_may_hold_firms(data, file_name)
            or any(m.is_firm for m in (mappings or {}).values()))


def parse_firm_sheets(sheets: list[Sheet], file_name: str,
                      mappings: dict[str, mapped.ColumnMapping] | None = None) -> FirmParsed | None:
    """``parse_firm_bytes`` of sheets already read (``tables.read_sheets``), so
    a caller that tries the enterprise readers before the park readers reads a
    workbook once. A sheet the user mapped as firms (a saved enterprise column
    mapping) is read through it."""
    ctx = FileContext(file_name=file_name, sheet_names=[s.name for s in sheets])
    parts, others = [], []
    for sheet in sheets:
        if sheet.cells.empty or sheet.cells.notna().sum().sum() == 0:
            continue
        mapping = mapped.find(sheet, mappings or {})
        if mapping is not None and mapping.is_firm:
            parts.append(mapped_ledger.read(sheet, ctx, mapping))
            continue
        reader, header = detect_shape(sheet, ctx)
        if reader is None:
            others.append(sheet.name)
            continue
        parts.append(reader.read(sheet, ctx, header))
    if not parts:
        return None
    parsed = combine(file_name, parts)
    parsed.warnings.extend(w for sheet in sheets for w in sheet.warnings)
    if others:
        parsed.warnings.append("不是企业表格、已跳过的工作表：" + "、".join(others))
    if parsed.value_count == 0 and parsed.identities.empty:
        raise EmptyFile("企业表格中没有任何可导入的企业或数值", file=file_name, sheet=sheets[0].name)
    return parsed


HEAD_BYTES = 64 * 1024


def csv_head_may_hold_firms(data: bytes, file_name: str) -> bool:
    """False when a CSV's first lines (the header is looked for in the first
    ``SCAN_ROWS``) hold no enterprise header: a park CSV of a million rows is
    then not read a second time just to find it is no enterprise sheet.
    Workbooks, and CSVs whose head cannot be read, are left to the full read."""
    if PurePath(file_name).suffix.lower() not in CSV_SUFFIXES or len(data) <= HEAD_BYTES:
        return True
    head = data[:HEAD_BYTES]
    head = head[: head.rfind(b"\n") + 1]
    try:
        text = decode_text(head, file_name)
        rows = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text)))[: SCAN_ROWS + 2]
    except (IngestError, csv.Error):
        return True
    width = max((len(r) for r in rows), default=0)
    cells = pd.DataFrame([[c if c.strip() else None for c in r] + [None] * (width - len(r)) for r in rows],
                         dtype=object)
    sheet = Sheet(name=PurePath(file_name).stem, cells=cells)
    return detect_shape(sheet, FileContext(file_name=file_name))[0] is not None


def _delimiter(text: str) -> str:
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=",\t;|").delimiter
    except csv.Error:
        return max(",\t;|", key=text[:8192].count)


def parse_firm_file(path: str | Path, file_name: str | None = None) -> FirmParsed | None:
    """``parse_firm_bytes`` of a file on disk (``file_name``: the name the
    user gave it, when the path is a temporary copy)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"无法打开文件（{exc.strerror}）", file=file_name or path.name) from None
    return parse_firm_bytes(data, file_name or path.name)
