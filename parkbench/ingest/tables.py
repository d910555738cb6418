"""Bytes → sheets of raw cells. CSV in UTF-8, UTF-8 with BOM or GBK/GB18030;
XLSX through python-calamine (openpyxl where calamine cannot serve).

No layout knowledge lives here: readers get ``Sheet`` objects.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import PurePath

import pandas as pd

from parkbench.ingest.errors import EmptyFile, TooLarge, UnreadableFile
from parkbench.ingest.extent import DAMAGED, check_cell_lengths, check_csv_extent, check_xlsx_extent
from parkbench.ingest.model import Sheet

MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024  # an .xlsx inflating past this is refused unopened
MAX_COMPRESSION_RATIO = 200  # ratios beyond this are archive bombs, not spreadsheets

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
CSV_SUFFIXES = {".csv", ".txt"}


def read_sheets(data: bytes, file_name: str) -> list[Sheet]:
    """All sheets of a file, in order; raises an ``IngestError`` for files
    that are empty, damaged or not what their name says."""
    if not data or not data.strip():
        raise EmptyFile("文件没有任何内容", file=file_name)
    suffix = PurePath(file_name).suffix.lower()
    if suffix in EXCEL_SUFFIXES or data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, file_name)
    if suffix == ".xls" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnreadableFile("这是旧版 Excel（.xls）或加密的工作簿，请在 Excel 中另存为 .xlsx 后再上传", file=file_name)
    if suffix in CSV_SUFFIXES or suffix == "":
        return [_read_csv(data, file_name)]
    raise UnreadableFile(f"不支持的文件类型“{suffix}”，请上传 .xlsx 或 .csv", file=file_name)


def decode_text(data: bytes, file_name: str) -> str:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK, the default
    of Chinese Excel's "Save as CSV")."""
    if b"\x00" in data[:4096]:
        raise UnreadableFile("文件含有二进制内容，不是 CSV 文本", file=file_name)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("无法识别文件编码（应为 UTF-8 或 GBK）", file=file_name)


def _read_csv(data: bytes, file_name: str) -> Sheet:
    text = decode_text(data, file_name)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",\t;|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    check_csv_extent(text, delimiter, file_name, PurePath(file_name).stem)
    try:
        frame = pd.read_csv(io.StringIO(text), header=None, dtype=str, sep=delimiter,
                            keep_default_na=False, na_filter=False, skip_blank_lines=False,
                            engine="c")
    except pd.errors.ParserError:
        frame = _read_ragged_csv(text, delimiter, file_name)
    except pd.errors.EmptyDataError:
        raise EmptyFile("文件没有任何内容", file=file_name) from None
    frame = frame.replace({"": None})
    check_cell_lengths(frame, file_name, PurePath(file_name).stem)
    return Sheet(name=PurePath(file_name).stem, cells=_trim(frame))


def _read_ragged_csv(text: str, delimiter: str, file_name: str) -> pd.DataFrame:
    """Rows of different lengths (a title line of one field above a wide
    table, as hand-made CSVs have): the slower csv module, rows padded."""
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise UnreadableFile(f"CSV 格式有误（{exc}），可能文件已截断", file=file_name) from None
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)


def check_archive(data: bytes, file_name: str) -> None:
    """Refuse an .xlsx whose contents would inflate past the limit, reading
    only the archive's directory (nothing is decompressed)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise UnreadableFile("文件已损坏或不是 Excel 工作簿（无法打开压缩包）", file=file_name) from None
    total = sum(i.file_size for i in infos)
    packed = max(sum(i.compress_size for i in infos), 1)
    if total / packed > MAX_COMPRESSION_RATIO and 50 * 1024 * 1024 < total <= MAX_UNCOMPRESSED_BYTES:
        raise TooLarge(f"工作簿解压后约 {total / 1024 / 1024:.0f} MB，是压缩后大小的 {total / packed:.0f} 倍"
                       f"（上限 {MAX_COMPRESSION_RATIO} 倍），不像正常的表格文件，未读取", file=file_name)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise TooLarge(
            f"工作簿解压后约 {total / 1024 / 1024:.0f} MB，超过上限 {MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB，未读取",
            file=file_name)


def _read_xlsx(data: bytes, file_name: str) -> list[Sheet]:
    check_archive(data, file_name)
    check_xlsx_extent(data, file_name)  # before calamine allocates a grid for a far cell
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for name in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            frame = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame(dtype=object)
            frame = frame.replace({"": None})
            check_cell_lengths(frame, file_name, name)
            sheets.append(Sheet(name=name, cells=_trim(frame)))
    except TooLarge:
        raise
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise UnreadableFile(f"工作簿已损坏或被截断，无法读取（{type(exc).__name__}）", file=file_name) from None
    _warn_uncached_formulas(data, sheets)
    return sheets


MAX_FORMULA_CELLS_LISTED = 10


def _warn_uncached_formulas(data: bytes, sheets: list[Sheet]) -> None:
    """Formulas saved without a computed value (files written by programs such
    as openpyxl, never recalculated in Excel) read back as empty: say so, naming
    the cells, rather than silently storing nothing for them.

    The sheet XML is searched for ``<f`` first, so workbooks without formulas
    (nearly all uploads) are not opened a second time."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            has_formulas = any(
                _holds_formula(archive, i) for i in archive.infolist()
                if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml"))
    except DAMAGED:  # calamine read the sheets; a damaged part elsewhere is not this courtesy's business
        return
    if not has_formulas:
        return
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # calamine could read it; the check is a courtesy, not a gate
        return
    by_name = {s.name: s for s in sheets}
    for ws in workbook.worksheets:
        sheet = by_name.get(ws.title)
        if sheet is None:
            continue
        ws.reset_dimensions()  # a declared A1:XFD1048576 would make openpyxl pad every row to 16,384 cells
        empty = []
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" and _cell(sheet, cell.row - 1, cell.column - 1) is None:
                    empty.append(cell.coordinate)
        if empty:
            listed = "、".join(empty[:MAX_FORMULA_CELLS_LISTED]) + ("等" if len(empty) > MAX_FORMULA_CELLS_LISTED else "")
            sheet.warnings.append(
                f"工作表「{sheet.name}」有 {len(empty)} 个公式单元格没有保存计算结果（{listed}），"
                "按未报送处理；请在 Excel 中打开、重新计算并保存后再上传")
    workbook.close()


def _holds_formula(archive: zipfile.ZipFile, info: zipfile.ZipInfo, chunk: int = 1 << 20) -> bool:
    """Whether a sheet's XML has a formula element, read in chunks (a sheet
    may be hundreds of MB)."""
    tail = b""
    with archive.open(info) as member:
        while block := member.read(chunk):
            window = tail + block
            if b"<f>" in window or b"<f " in window or b"<f/>" in window:
                return True
            tail = window[-4:]
    return False


def _cell(sheet: Sheet, row: int, col: int) -> object:
    cells = sheet.cells
    if row >= len(cells) or col >= cells.shape[1]:
        return None
    return cells.iat[row, col]


def _trim(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop trailing all-empty columns; keep row positions (row numbers matter)."""
    if frame.empty:
        return frame
    non_empty = frame.notna().any(axis=0)
    if not non_empty.any():
        return frame.iloc[:, :0]
    last = non_empty[non_empty].index[-1]
    frame = frame.loc[:, :last]
    frame.columns = range(frame.shape[1])
    return frame.astype(object).where(frame.notna(), None)
