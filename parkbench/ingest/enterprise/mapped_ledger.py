"""Enterprise rows read through a column mapping the user gave on the upload
page (``ingest.mapped.ColumnMapping`` with a 企业名称 or 统一社会信用代码 column):
a sheet the enterprise readers do not recognise, read as an N1 ledger.

The mapping says which column is the firm's name, its credit code, industry
code and name, park and period, and which columns hold which indicator; the
ledger reader then reads it as it reads a recognised ledger (identity, units,
bases, refusals naming file, sheet, row and column). An indicator column's
unit is the one its header writes, else the catalogue's; its basis is the
mapping's (本月 or 累计). A park typed for the whole sheet fills every row; the
period comes from a column or from the title, sheet name or file name.
"""

from __future__ import annotations

from parkbench.catalog import INDICATOR_BY_ID
from parkbench.errors import NoHeader
from parkbench.ingest import mapped
from parkbench.ingest.enterprise import n1_ledger
from parkbench.ingest.enterprise.layout import FirmHeader
from parkbench.ingest.enterprise.model import FirmParsed
from parkbench.ingest.model import FileContext, Sheet
from parkbench.ingest.normalize import split_unit

SHAPE = n1_ledger.SHAPE
# mapping role → the ledger reader's role
_ROLE = {"enterprise": "firm", "credit_code": "credit", "park": "park", "period": "period",
         "industry_code": "industry_code", "industry_name": "industry_name"}
_BASIS_WORDS = {"month": "本月", "ytd": "1-本月"}


def header(sheet: Sheet, mapping: mapped.ColumnMapping) -> FirmHeader:
    """The ledger header the mapping describes: role columns under their own
    header text, each indicator column under a header naming its indicator,
    basis and unit (``工业总产值本月(千元)``); ignored columns are left out."""
    top = mapped.header_cells(sheet.cells, mapping.header_row)

    def text(c: int) -> str:
        return "" if c >= len(top) or top[c] is None else str(top[c]).strip()

    columns, labels = {}, {}
    for c, choice in sorted(mapping.columns.items()):
        if choice in _ROLE:
            columns[_ROLE[choice]] = c
            labels[c] = text(c)
        elif choice == mapped.WIDE_BY_HEADER:
            labels[c] = text(c)
        elif choice.startswith(mapped.WIDE_PREFIX):
            indicator = INDICATOR_BY_ID[choice[len(mapped.WIDE_PREFIX):]]
            unit = split_unit(text(c))[1] or indicator.unit
            basis = "" if indicator.kind == "stock" else _BASIS_WORDS[mapping.basis]
            labels[c] = f"{indicator.zh}{basis}({unit})"
    return FirmHeader(row=mapping.header_row, columns=columns, labels=labels)


def read(sheet: Sheet, ctx: FileContext, mapping: mapped.ColumnMapping) -> FirmParsed:
    problems = mapping.problems()
    if problems:
        raise NoHeader("列映射不完整：" + "；".join(problems), file=ctx.file_name, sheet=sheet.name,
                       row=mapping.header_row + 1)
    parsed = n1_ledger.read(sheet, ctx, header(sheet, mapping))
    if mapping.fixed_park and mapping.fixed_park != mapped.FROM_TITLE:
        for frame in (parsed.identities, parsed.values, parsed.growth):
            if "park" in frame:
                frame["park"] = frame["park"].where(frame["park"].notna(), mapping.fixed_park.strip())
    return parsed
