"""Family J: quarterly cumulative sheets for one park. Sheets ``一季度 ·
上半年 · 前三季度 · 全年`` (or those words in the title), indicators in rows,
columns ``本期累计`` (``本年累计``) ``· 上年同期`` (``去年同期``) ``· 增长%``
(``增速(%)``).

Each sheet is cumulative to month 3, 6, 9 or 12 of the title's year, read
by family B's rules (上年同期 is the same cumulative a year earlier). No
single month follows from these sheets: months stay unknown, and
cumulatives are known at quarter ends only.
"""

from __future__ import annotations

from parkbench.ingest import family_b
from parkbench.ingest.headers import Header
from parkbench.ingest.model import FileContext, Parsed, Sheet
from parkbench.ingest.normalize import fold
from parkbench.ingest.titles import notes_above

FAMILY = "J"
TITLE = "季度累计（一季度、上半年、前三季度、全年）"
QUARTER_WORDS = ("一季度", "第一季度", "上半年", "前三季度", "1-3季度", "全年", "前两季度")


def is_quarterly(sheet: Sheet, header_row: int) -> bool:
    texts = [fold(sheet.name)] + [fold(t) for _, _, t in notes_above(sheet, header_row)]
    return any(word in text for text in texts for word in QUARTER_WORDS)


def detect(sheet: Sheet, ctx: FileContext) -> Header | None:
    header = family_b.detect(sheet, ctx)
    if header is None or not is_quarterly(sheet, header.row):
        return None
    return header


def read(sheet: Sheet, ctx: FileContext, header: Header) -> Parsed:
    parsed = family_b.read(sheet, ctx, header)
    parsed.family = FAMILY
    return parsed
