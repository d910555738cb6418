"""File → normalised rows. One reader module per layout family, each with the
same three names: ``FAMILY``, ``detect(sheet, ctx)`` (a header match or
``None``) and ``read(sheet, ctx, header)`` (a ``Parsed``).

``parse_file`` refuses a file as a whole (an ``IngestError``) or returns
everything it holds; it never touches the store. Column mappings the user
saved (``mapped.ColumnMapping`` by signature) are passed in by the caller and
win over detection for the sheets they match.
"""

from __future__ import annotations

from pathlib import Path

from parkbench.ingest import family_a, family_b, family_c, family_d, family_e, long_csv, mapped
from parkbench.ingest.errors import (
    BadCell,
    EmptyFile,
    EncodingError,
    IngestError,
    InputError,
    NoHeader,
    ParkBenchError,
    TooLarge,
    UnreadableFile,
)
from parkbench.ingest.model import FileContext, Parsed, Sheet, combine
from parkbench.ingest.tables import encoding_name, read_sheets

# Order matters: the more specific layouts are tried first. B (indicator
# rows, no park column) and A (park rows, indicator columns, no period
# column) come after D, which claims any sheet with both a park and a
# period column.
READERS = [family_e, family_c, family_d, family_b, family_a]

__all__ = [
    "BadCell",
    "EmptyFile",
    "EncodingError",
    "IngestError",
    "InputError",
    "NoHeader",
    "ParkBenchError",
    "Parsed",
    "TooLarge",
    "UnreadableFile",
    "detect_family",
    "family_title",
    "parse_file",
    "parse_path",
    "read_sheets",
]


def detect_family(sheet: Sheet, ctx: FileContext):
    """(reader module, header match) for the first family that recognises the
    sheet, or ``(None, None)``."""
    for reader in READERS:
        header = reader.detect(sheet, ctx)
        if header is not None:
            return reader, header
    return None, None


def family_title(family: str) -> str:
    """Chinese title of a family code, ``C+D`` giving both titles."""
    titles = {r.FAMILY: r.TITLE for r in [*READERS, mapped]}
    return "；".join(f"{code} {titles.get(code, '')}".strip() for code in family.split("+"))


def parse_file(data: bytes, file_name: str, mappings: dict[str, mapped.ColumnMapping] | None = None) -> Parsed:
    if not mappings:  # a saved column mapping is honoured by the general path only
        fast = long_csv.try_read(data, file_name)
        if fast is not None and fast.value_count:
            return fast
    sheets = read_sheets(data, file_name)
    ctx = FileContext(file_name=file_name, sheet_names=[s.name for s in sheets])
    parts, part_sheets, families, unrecognised = [], [], [], []
    for sheet in sheets:
        if sheet.cells.empty or sheet.cells.notna().sum().sum() == 0:
            continue
        mapping = mapped.find(sheet, mappings or {})
        if mapping is not None:
            parts.append(mapped.read(sheet, ctx, mapping))
            part_sheets.append(sheet.name)
            families.append(mapped.FAMILY)
            continue
        reader, header = detect_family(sheet, ctx)
        if reader is None:
            unrecognised.append(sheet.name)
            continue
        parts.append(reader.read(sheet, ctx, header))
        part_sheets.append(sheet.name)
        families.append(reader.FAMILY)
    if not parts:
        if not unrecognised:
            raise EmptyFile("所有工作表都是空的", file=file_name)
        raise NoHeader("找不到可识别的表头（例如“园区、统计期、指标、数值”或“园区名称、指标列”），"
                       "请检查表头行，或在上传页指定表头行和各列含义" + encoding_hint(sheets),
                       file=file_name, sheet=unrecognised[0])
    parsed = combine(file_name, "+".join(sorted(set(families))), parts, part_sheets)
    parsed.warnings.extend(w for sheet in sheets for w in sheet.warnings)
    if unrecognised:
        parsed.warnings.append("未识别、已跳过的工作表：" + "、".join(unrecognised))
    if parsed.value_count == 0:
        raise EmptyFile("文件中没有任何可导入的数值", file=file_name, sheet=sheets[0].name)
    return parsed


def encoding_hint(sheets: list[Sheet]) -> str:
    """For a CSV that was not UTF-8: which encoding it was read in, since a wrong
    guess shows as a header nobody can read."""
    encodings = {s.encoding for s in sheets if s.encoding and not s.encoding.lower().startswith("utf")}
    if not encodings:
        return ""
    return (f"。文件编码识别为 {encoding_name(encodings.pop())}：若表头在预览中是乱码，问题在编码，"
            "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再上传")


def parse_path(path: str | Path, mappings: dict[str, mapped.ColumnMapping] | None = None) -> Parsed:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"无法打开文件（{exc.strerror}）", file=path.name) from None
    return parse_file(data, path.name, mappings)
