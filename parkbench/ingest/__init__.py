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

from parkbench.errors import (
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
from parkbench.ingest import (
    family_a,
    family_b,
    family_c,
    family_d,
    family_e,
    family_f1,
    family_f2,
    family_g,
    family_h,
    family_j,
    family_k,
    family_l,
    long_csv,
    mapped,
)
from parkbench.ingest.headers import SCAN_ROWS
from parkbench.ingest.model import FileContext, Parsed, Sheet, combine
from parkbench.ingest.tables import encoding_name, read_sheets

# Order matters: the more specific layouts are tried first.
# - K before D: both have a park and a period column; K only when every period
#   cell is a YYYY.MM number, which D would misread (2024.1 as January).
# - L before A: a park column and a 截至 column (or note); A would want a period.
# - F2, F1, G, H, J before B and A: B claims a sheet with an indicator column and
#   one 1-N月 column, so a ledger whose months run across (F1, F2) or a sheet of
#   park groups (G) must be taken first; H's first header row looks like A's,
#   and only H has sub-headers in the row below instead of a park. J is B on
#   sheets named for quarters. None of them matches a sheet of the five original
#   families: F needs two or more month columns, G and H a sub-header row, J a
#   quarter word, K a column of YYYY.MM numbers, L a 截至.
# - B (indicator rows, no park column) and A (park rows, indicator columns, no
#   period column) come last.
READERS = [family_e, family_c, family_k, family_d, family_l, family_f2, family_f1, family_g, family_h, family_j,
           family_b, family_a]

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


def parse_file(data: bytes, file_name: str, mappings: dict[str, mapped.ColumnMapping] | None = None,
               sheets: list[Sheet] | None = None) -> Parsed:
    """A file's park values. ``sheets``: the file's sheets when the caller has
    read them already (``isolate.read_upload`` asks the enterprise readers first)."""
    if not mappings:  # a saved column mapping is honoured by the general path only
        fast = long_csv.try_read(data, file_name)
        if fast is not None and fast.value_count:
            return fast
    if sheets is None:
        sheets = read_sheets(data, file_name)
    ctx = FileContext(file_name=file_name, sheet_names=[s.name for s in sheets])
    parts, part_sheets, families, unrecognised = [], [], [], []
    for sheet in sheets:
        if sheet.cells.empty or sheet.cells.notna().sum().sum() == 0:
            continue
        mapping = mapped.find(sheet, mappings or {})
        if mapping is not None and not mapping.is_firm:  # firms: ingest.enterprise reads those
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
        first = next(s for s in sheets if s.name == unrecognised[0])
        raise NoHeader(header_not_found(first) + encoding_hint(sheets), file=file_name, sheet=first.name)
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


LOOKED_FOR = (
    "园区列（园区、园区名称、单位名称、开发区名称、地区、县（市、区））加指标列（如 规上工业总产值、税收收入）",
    "园区、统计期、指标、数值 四列（长表）",
    "指标列（指标、指标名称、项目）加 本月、1-N月累计 等列，或加月份列（1月、1-2月、2024年3月）",
    "“指标：”一行之下的 地区 列和月份列（统计系统导出）",
    "两行表头：指标或园区名合并在上，本月、1-N月、同比% 在下",
)


def header_not_found(sheet: Sheet) -> str:
    """Which rows were searched, what was looked for, and the row that came
    closest (the one with the most text cells), so the user knows what to fix."""
    searched = min(SCAN_ROWS, len(sheet.cells))
    best, best_cells = None, []
    for r in range(searched):
        texts = [str(v).strip() for v in sheet.cells.iloc[r] if isinstance(v, str) and v.strip()]
        if len(texts) > len(best_cells):
            best, best_cells = r, texts
    closest = ""
    if best is not None:
        shown = "、".join(best_cells[:8]) + ("……" if len(best_cells) > 8 else "")
        closest = f"最像表头的是第 {best + 1} 行（{shown}），但其中没有上述任何一种组合。"
    return (f"在第 1–{searched} 行中找不到可识别的表头。查找的是：" + "；或".join(LOOKED_FOR) + "。"
            + closest + "请检查表头行，或在上传页指定表头行和各列含义")


def parse_path(path: str | Path, mappings: dict[str, mapped.ColumnMapping] | None = None) -> Parsed:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"无法打开文件（{exc.strerror}）", file=path.name) from None
    return parse_file(data, path.name, mappings)
