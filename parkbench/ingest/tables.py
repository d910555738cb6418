"""Bytes → sheets of raw cells. CSV in any encoding charset-normalizer
recognises (UTF-8, UTF-8 with BOM, GBK/GB18030, Big5, UTF-16); XLSX and XLS
(Excel 97-2003) through python-calamine (openpyxl where calamine cannot serve).

No layout knowledge lives here: readers get ``Sheet`` objects.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import PurePath

import pandas as pd

from parkbench.errors import EmptyFile, EncodingError, TooLarge, UnreadableFile
from parkbench.ingest.extent import DAMAGED, NOT_A_WORKBOOK, check_cell_lengths, check_csv_extent, check_xlsx_extent
from parkbench.ingest.model import Sheet
from parkbench.ingest.normalize import to_simplified

MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024  # an .xlsx inflating past this is refused unopened
MAX_COMPRESSION_RATIO = 200  # ratios beyond this are archive bombs, not spreadsheets

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls) and encrypted workbooks
CSV_SUFFIXES = {".csv", ".txt"}


def read_sheets(data: bytes, file_name: str) -> list[Sheet]:
    """All sheets of a file, in order; raises an ``IngestError`` for files
    that are empty, damaged or not what their name says."""
    if not data or not data.strip():
        raise EmptyFile("文件没有任何内容", file=file_name)
    suffix = PurePath(file_name).suffix.lower()
    if suffix in EXCEL_SUFFIXES or data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, file_name)
    if suffix == ".xls" or data[:8] == OLE_SIGNATURE:
        return _read_xls(data, file_name)
    if suffix in CSV_SUFFIXES or suffix == "":
        return [_read_csv(data, file_name)]
    raise UnreadableFile(f"不支持的文件类型“{suffix}”，请上传 .xlsx、.xls 或 .csv", file=file_name)


ENCODING_NAMES = {"utf_8": "UTF-8", "utf-8-sig": "UTF-8", "gb18030": "GBK/GB18030（简体中文）", "gbk": "GBK（简体中文）",
                  "gb2312": "GB2312（简体中文）", "big5": "Big5（繁体中文）", "big5hkscs": "Big5-HKSCS（繁体中文）",
                  "cp950": "Big5（繁体中文）", "utf_16": "UTF-16", "utf_16_le": "UTF-16", "utf_16_be": "UTF-16"}
# Encodings a CSV without BOM that is not UTF-8 is tried in: Chinese offices
# save GBK/GB18030 (simplified) or Big5 (traditional). UTF-16 comes with a BOM.
CHINESE_ENCODINGS = ("gb18030", "big5", "big5hkscs")
DETECTION_SAMPLE_BYTES = 256 * 1024  # charset detection reads this much; the whole file is then decoded once


def encoding_name(encoding: str) -> str:
    return ENCODING_NAMES.get(encoding.lower().replace("-", "_"), encoding)


def decode(data: bytes, file_name: str) -> tuple[str, str]:
    """(text, encoding) of a CSV: a BOM, else strict UTF-8, else what
    charset-normalizer finds in the first part of the file (GBK/GB18030, Big5 …),
    the whole file then decoded once. Raises ``EncodingError`` when no encoding
    fits, so the message says the encoding is the problem."""
    if data.startswith(b"\xef\xbb\xbf"):
        return decode_as(data, "utf-8-sig", file_name), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return decode_as(data, "utf_16", file_name), "utf_16"
    if b"\x00" in data[:4096]:
        raise UnreadableFile("文件含有二进制内容，不是 CSV 文本", file=file_name)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if _reads_as_chinese_utf8(data[: exc.start]):
            # Chinese text read fine as UTF-8 up to here: a damaged UTF-8 file, not
            # another encoding (read as GBK it would turn into nonsense).
            line = data[: exc.start].count(b"\n") + 1
            raise EncodingError(f"文件按 UTF-8 编码读取，但第 {line} 行有不是 UTF-8 的内容（文件可能已损坏、被截断，"
                                "或混用了两种编码）。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再上传",
                                file=file_name, row=line) from None
    from charset_normalizer import from_bytes

    sample = data[:DETECTION_SAMPLE_BYTES]
    if len(data) > DETECTION_SAMPLE_BYTES and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n") + 1]
    candidates = list(from_bytes(sample, cp_isolation=list(CHINESE_ENCODINGS)))
    if not candidates:
        raise EncodingError("无法识别文件编码（既不是 UTF-8，也不是 GBK/GB18030 或 Big5）。"
                            "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再上传", file=file_name)
    # GB18030 and Big5 both decode most short Chinese texts; the reading whose
    # characters are common Chinese characters wins, GB18030 (mainland default) on a tie.
    best = max(candidates, key=lambda m: (_common_share(str(m)), m.encoding == "gb18030", -m.chaos))
    return decode_as(data, best.encoding, file_name), best.encoding


def _common_share(text: str) -> float:
    """Share of the non-ASCII characters that are common Chinese characters
    (in GB2312 once simplified): near 1 for a right reading, low for mojibake."""
    chars = [c for c in text if ord(c) > 127]
    if not chars:
        return 1.0
    common = 0
    for c in to_simplified("".join(chars)):
        try:
            c.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common / len(chars)


def _reads_as_chinese_utf8(prefix: bytes) -> bool:
    """Whether the part of a file before a UTF-8 error is Chinese text in UTF-8
    (GBK bytes that happen to form UTF-8 give Latin or Cyrillic letters instead)."""
    text = prefix[-65536:].decode("utf-8", errors="ignore")
    wide = [c for c in text if ord(c) > 127]
    chinese = sum(1 for c in wide if "\u4e00" <= c <= "\u9fff")
    return chinese >= 2 and chinese >= 0.9 * len(wide)


def decode_text(data: bytes, file_name: str) -> str:
    """The text of a CSV, whatever its encoding (see ``decode``)."""
    return decode(data, file_name)[0]


def decode_as(data: bytes, encoding: str, file_name: str) -> str:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise EncodingError(f"文件编码识别为 {encoding_name(encoding)}，但文件中有按此编码无法读取的内容。"
                            "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再上传", file=file_name) from None


def _read_csv(data: bytes, file_name: str) -> Sheet:
    text, encoding = decode(data, file_name)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",\t;|")
        delimiter = dialect.delimiter
    except csv.Error:  # e.g. title lines of one field above the table: the most frequent separator wins
        sample = text[:8192]
        delimiter = max(",\t;|", key=sample.count) if any(d in sample for d in ",\t;|") else ","
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
    return Sheet(name=PurePath(file_name).stem, cells=_trim(frame), encoding=encoding)


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
        raise UnreadableFile(NOT_A_WORKBOOK, file=file_name) from None
    total = sum(i.file_size for i in infos)
    packed = max(sum(i.compress_size for i in infos), 1)
    if total / packed > MAX_COMPRESSION_RATIO and 50 * 1024 * 1024 < total <= MAX_UNCOMPRESSED_BYTES:
        raise TooLarge(f"工作簿解压后约 {total / 1024 / 1024:.0f} MB，是压缩后大小的 {total / packed:.0f} 倍"
                       f"（上限 {MAX_COMPRESSION_RATIO} 倍），不像正常的表格文件，未读取", file=file_name)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise TooLarge(
            f"工作簿解压后约 {total / 1024 / 1024:.0f} MB，超过上限 {MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB，未读取",
            file=file_name)


def _read_xls(data: bytes, file_name: str) -> list[Sheet]:
    """Excel 97-2003 (BIFF8), read by calamine like an .xlsx. An OLE file that
    is not a workbook calamine can read (an encrypted .xlsx, a Word file
    renamed) is refused with a message saying what to do."""
    if data[:8] != OLE_SIGNATURE:
        head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if head.startswith((b"<html", b"<!doctype", b"<table", b"<?xml", b"<meta")):
            raise UnreadableFile("这个 .xls 文件其实是网页（HTML）格式，请在 Excel 中打开后另存为 .xlsx 再上传",
                                 file=file_name)
        if b"\x00" not in data[:4096]:
            return [_read_csv(data, file_name)]  # a CSV or tab-separated text saved under an .xls name
        raise UnreadableFile("文件扩展名是 .xls，但内容不是 Excel 97-2003 工作簿，可能已损坏或被截断", file=file_name)
    try:
        return _calamine_sheets(data, file_name)
    except TooLarge:
        raise
    except Exception as exc:  # calamine raises its own error types
        raise UnreadableFile(f"无法读取这个旧版 Excel（.xls）文件（{type(exc).__name__}），它可能已加密或损坏；"
                             "请在 Excel 中打开确认后另存为 .xlsx 再上传", file=file_name) from None


def _calamine_sheets(data: bytes, file_name: str) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = []
    for name in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        frame = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame(dtype=object)
        frame = frame.replace({"": None})
        check_cell_lengths(frame, file_name, name)
        sheets.append(Sheet(name=name, cells=_trim(frame)))
    return sheets


def _read_xlsx(data: bytes, file_name: str) -> list[Sheet]:
    check_archive(data, file_name)
    check_xlsx_extent(data, file_name)  # before calamine allocates a grid for a far cell

    try:
        sheets = _calamine_sheets(data, file_name)
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
