"""How big a sheet really is, found before any reader allocates for it.

python-calamine builds a dense grid from the first to the last cell that holds
something (``Range::from_sparse``): a 4 KB workbook with one value at
``XFD1048576`` asks for 17 billion cells and aborts the whole process, which no
``except`` can catch. So the sheet XML is scanned first, streamed in chunks
(nothing but a few counters is kept), for the farthest row and column that
hold a value, and a sheet beyond ``MAX_SHEET_CELLS`` (rows × columns counted
from A1, as the grid the readers get) is refused naming the sheet and extent.

The declared ``<dimension ref>`` is read too and named in the message, but
does not refuse a file on its own: calamine allocates nothing for it (checked
by tests/test_extent.py), and Excel writes large declared ranges for sheets
with formatting on whole rows. Cells without a value (``<c r="XFD1" s="1"/>``,
styling only) are not grid cells either. Cells written without an ``r``
reference are placed the way calamine places them: one column to the right
of the previous cell, rows counted likewise.

CSV gets the same bound: rows × the widest row.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from parkbench.errors import TooLarge, UnreadableFile

# What a damaged archive raises while being read (bad CRC, bad deflate data, cut short, encrypted member).

# An .xlsx is a zip archive: one that does not open is damaged, or another kind of file renamed.
NOT_A_WORKBOOK = ("不是有效的 Excel 工作簿：文件可能已损坏，或是其他类型的文件改了扩展名。"
                  "请用 Excel 或 WPS 打开它，另存为“Excel 工作簿（*.xlsx）”后再上传")

DAMAGED = (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, ValueError, NotImplementedError)

MAX_SHEET_CELLS = 5_000_000  # rows × columns of one sheet, counted from A1
MAX_WORKBOOK_CELLS = 10_000_000  # all sheets of a file together
MAX_COLUMNS = 4_096  # a sheet wider than this is no statistics table (parks as column groups: ~1,300 parks)
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
CHUNK = 1 << 20

# <row ...>, <c ...> or <c .../>, with or without a namespace prefix.
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*?)(/?)>")
_REF = re.compile(rb"""\sr\s*=\s*["']\$?([A-Za-z]{0,6})\$?([0-9]{0,12})["']""")
_DIMENSION = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?dimension\s[^>]*ref\s*=\s*["']([^"']*)["']""")
_MERGE = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*ref\s*=\s*["']\$?([A-Za-z]{1,6})\$?([0-9]{1,12})"""
                    rb""":\$?([A-Za-z]{1,6})\$?([0-9]{1,12})["']""")
_SHEET = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?sheet\s[^>]*?>""")
_ATTR = re.compile(rb"""([\w:]+)\s*=\s*["']([^"']*)["']""")
_REL = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?Relationship\s[^>]*?>""")


@dataclass
class Extent:
    rows: int = 0  # farthest row holding a value (1-based, so the grid's height)
    columns: int = 0  # farthest column holding a value
    declared: str = ""  # the sheet's <dimension ref>, as written
    merged: int = 0  # cells covered by merged ranges (a reader that fills merges allocates them)
    widest_area: int = 0
    widest_merge: bytes = b""

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    def text(self) -> str:
        return f"{self.rows:,} 行 × {self.columns:,} 列（至 {column_name(self.columns)}{self.rows}）"


def column_name(number: int) -> str:
    """1 → A, 16384 → XFD."""
    name = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name or "A"


def column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


def sheet_extent(stream, limit: int = MAX_SHEET_CELLS) -> Extent:
    """The extent of one sheet's XML read from ``stream``; stops early once it
    is past ``limit`` (the answer is then already a refusal)."""
    extent = Extent()
    row, col, tail = 0, 0, b""
    while True:
        block = stream.read(CHUNK)
        data = tail + block
        if not extent.declared:
            found = _DIMENSION.search(data)
            if found:
                extent.declared = found.group(1).decode("ascii", "replace")[:40]
        end = len(data) if not block else data.rfind(b"<")
        if end < 0:
            end = len(data)
        for m in _MERGE.finditer(data, 0, end):
            first_col, first_row, last_col, last_row = m.groups()
            area = ((abs(int(last_row) - int(first_row)) + 1)
                    * (abs(column_number(last_col) - column_number(first_col)) + 1))
            if area > extent.widest_area:
                extent.widest_area = area
                extent.widest_merge = b"%s%s:%s%s" % (first_col, first_row, last_col, last_row)
            extent.merged += area
        for m in _TAG.finditer(data, 0, end):
            tag, attrs, closed = m.group(1), m.group(2), m.group(3)
            ref = _REF.search(attrs)
            if tag == b"row":
                row = int(ref.group(2)) if ref and ref.group(2) else row + 1
                col = 0
                continue
            if ref and ref.group(1):
                col = column_number(ref.group(1))
                if ref.group(2):
                    row = int(ref.group(2))
            else:
                col += 1
            if closed:  # <c .../>: styling only, no value, no grid cell
                continue
            extent.rows = max(extent.rows, row or 1)
            extent.columns = max(extent.columns, col)
            if extent.cells > limit or extent.columns > MAX_COLUMNS:
                return extent  # already a refusal: no need to read further
        if not block:
            return extent
        tail = data[end:]
        if len(tail) > CHUNK:  # one tag longer than a chunk: not a sheet a reader could use
            tail = tail[-CHUNK:]


def workbook_sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part path) for each worksheet, in workbook order; parts
    not named by the workbook are listed under their file name."""
    names = set(archive.namelist())
    sheets: list[tuple[str, str]] = []
    try:
        workbook = archive.read("xl/workbook.xml")[:4 * CHUNK]
        rels = archive.read("xl/_rels/workbook.xml.rels")[:4 * CHUNK]
    except KeyError:
        workbook, rels = b"", b""
    targets = {}
    for m in _REL.finditer(rels):
        attrs = {k.split(b":")[-1]: v for k, v in _ATTR.findall(m.group(0))}
        if b"Id" in attrs and b"Target" in attrs:
            target = attrs[b"Target"].decode("utf-8", "replace")
            path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            targets[attrs[b"Id"]] = path
    for m in _SHEET.finditer(workbook):
        attrs = {k.split(b":")[-1]: v for k, v in _ATTR.findall(m.group(0))}
        part = targets.get(attrs.get(b"id", b""))
        if part in names:
            sheets.append((_unescape(attrs.get(b"name", b"")), part))
    listed = {part for _, part in sheets}
    for name in sorted(names):
        if name.startswith("xl/worksheets/") and name.endswith(".xml") and name not in listed:
            sheets.append((PurePosixPath(name).stem, name))
    return sheets


def _unescape(raw: bytes) -> str:
    import html

    return html.unescape(raw.decode("utf-8", "replace"))


def check_xlsx_extent(data: bytes, file_name: str, limit: int = MAX_SHEET_CELLS,
                      total_limit: int = MAX_WORKBOOK_CELLS) -> dict[str, Extent]:
    """Refuse (``TooLarge``) a workbook with a sheet past ``limit`` cells or all
    sheets past ``total_limit``; the extents by sheet name otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UnreadableFile(NOT_A_WORKBOOK, file=file_name) from None
    extents: dict[str, Extent] = {}
    total = 0
    with archive:
        try:
            parts = workbook_sheet_parts(archive)
        except DAMAGED as exc:
            raise UnreadableFile(f"工作簿已损坏或被截断，无法读取（{type(exc).__name__}）", file=file_name) from None
        for name, part in parts:
            try:
                with archive.open(part) as stream:
                    extent = sheet_extent(stream, limit)
            except DAMAGED as exc:
                raise UnreadableFile(f"工作簿已损坏或被截断，无法读取（{type(exc).__name__}）",
                                     file=file_name, sheet=name) from None
            if extent.cells > limit:
                declared = f"；声明的范围为 {extent.declared}" if extent.declared else ""
                raise TooLarge(f"工作表的数据范围达 {extent.text()}，约 {extent.cells:,} 个单元格，"
                               f"超过每张工作表 {limit:,} 个单元格的上限{declared}，未读取。"
                               "请删除远处的单元格（或另存为只含数据区域的新表）后再上传",
                               file=file_name, sheet=name)
            if extent.merged > limit:
                widest = extent.widest_merge.decode()
                raise TooLarge(f"工作表的合并单元格共覆盖约 {extent.merged:,} 个单元格（最大的一处为 {widest}），"
                               f"超过 {limit:,} 个单元格的上限，未读取。请取消远处的合并后再上传",
                               file=file_name, sheet=name)
            if extent.columns > MAX_COLUMNS:
                raise TooLarge(f"工作表有数据的列至少达 {extent.columns:,} 列（至 {column_name(extent.columns)} 列），"
                               f"超过 {MAX_COLUMNS:,} 列的上限，未读取。请删除多余的列后再上传",
                               file=file_name, sheet=name)
            total += extent.cells
            if total > total_limit:
                raise TooLarge(f"工作簿各表合计超过 {total_limit:,} 个单元格的上限（读到此表时），未读取；"
                               "请拆分为几个文件上传", file=file_name, sheet=name)
            extents[name] = extent
    return extents


def check_csv_extent(text: str, delimiter: str, file_name: str, sheet: str,
                     limit: int = MAX_SHEET_CELLS) -> None:
    """Refuse a CSV whose rows × widest row is past ``limit`` before pandas pads it into a grid."""
    lines = text.count("\n") + 1
    if lines * (text.count(delimiter) + 1) <= limit and text.count(delimiter) < MAX_COLUMNS:
        return  # cheap bound first: nearly every small file stops here
    widest = max((line.count(delimiter) + 1 for line in text.splitlines()), default=1)
    if widest > MAX_COLUMNS:
        raise TooLarge(f"表格最宽的一行有 {widest:,} 列，超过 {MAX_COLUMNS:,} 列的上限，未读取；"
                       "请删除多余的列后再上传", file=file_name, sheet=sheet)
    if lines * widest > limit:
        raise TooLarge(f"表格范围达 {lines:,} 行 × {widest:,} 列，约 {lines * widest:,} 个单元格，"
                       f"超过 {limit:,} 个单元格的上限，未读取；请删除多余的列或拆分文件后再上传",
                       file=file_name, sheet=sheet)


def check_cell_lengths(frame, file_name: str, sheet: str) -> None:
    """Refuse a cell longer than Excel allows (a name or header of millions of
    characters is damage, and every later step would pay for it), naming where it is."""
    from parkbench.ingest.normalize import column_letter

    for col in frame.columns:
        lengths = frame[col].map(lambda v: len(v) if isinstance(v, str) else 0)
        if len(lengths) and lengths.max() > MAX_CELL_CHARS:
            row = int(lengths.idxmax())
            raise TooLarge(f"单元格有 {int(lengths.max()):,} 个字符，超过单元格上限 {MAX_CELL_CHARS:,} 个字符，未读取",
                           file=file_name, sheet=sheet, row=row + 1, column=column_letter(int(col)))
