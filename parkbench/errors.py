"""The one error tree. Everything a user can cause — a file refused, a store
operation refused, a bad parameter on a page or the command line — raises a
``ParkBenchError`` whose text is a Chinese message for that user. Pages (through
the entry script) and the CLI catch this one family; any other exception is a
bug, never the user's doing.

Ingest refusals name the file and, where they can, the sheet, the row (1-based,
as Excel shows it) and the column (letter and header).

    ParkBenchError
    ├── IngestError          a file refused as a whole
    │   ├── UnreadableFile
    │   │   └── EncodingError
    │   ├── EmptyFile, TooLarge, NoHeader, BadCell
    ├── InputError           a parameter a user typed or chose (a period, class bounds)
    ├── StoreError           (parkbench.store) the database refused an operation
    │   └── DatabaseBusy
    ├── PeerGroupError       (parkbench.models.peers) a peer group that cannot be saved
    └── LeadingError         (parkbench.models.leading) leading groups or name → code rows refused
"""

from __future__ import annotations


class ParkBenchError(Exception):
    """Anything a user can cause, with a Chinese message (``str(error)``)."""


class InputError(ParkBenchError):
    """A parameter a user gave that cannot be used: a period that is not
    YYYY-MM, class bounds out of order."""


class IngestError(ParkBenchError):
    """A file refused as a whole: nothing from it is stored."""

    kind = "无法导入"

    def __init__(self, reason: str, *, file: str, sheet: str | None = None,
                 row: int | None = None, column: str | None = None,
                 header: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
        self.header = header

    def where(self) -> str:
        parts = [f"文件「{self.file}」"]
        if self.sheet is not None:
            parts.append(f"工作表「{self.sheet}」")
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column is not None:
            col = f"第 {self.column} 列"
            if self.header:
                col += f"（{self.header}）"
            parts.append(col)
        return "，".join(parts)

    def __str__(self) -> str:
        return f"{self.kind}：{self.where()}：{self.reason}"


class UnreadableFile(IngestError):
    """Not a spreadsheet or CSV we can open: wrong type, damaged, truncated, encrypted."""

    kind = "文件无法读取"


class EncodingError(UnreadableFile):
    """A CSV whose text encoding cannot be recognised, or does not fit all of it."""

    kind = "文件编码无法识别"


class EmptyFile(IngestError):
    kind = "文件为空"


class TooLarge(IngestError):
    kind = "文件过大"


class NoHeader(IngestError):
    """No row looks like a header this reader knows."""

    kind = "无法识别表头"


class BadCell(IngestError):
    """A cell that cannot hold what its column means: text for a number, an
    impossible period, a negative area."""

    kind = "数据有误"


class StoreError(ParkBenchError):
    """A store operation refused, with a message in Chinese for the user."""


class DatabaseBusy(StoreError):
    """Another process holds the database file (DuckDB allows one writer process)."""


class AlreadyUndone(StoreError):
    """The upload was undone before."""


class AlreadyReviewed(StoreError):
    """The upload is not waiting for review (approved or returned before)."""


class AccountError(StoreError):
    """A refused account operation or permission, in Chinese."""


class PeerGroupError(ParkBenchError):
    """A peer group that cannot be saved, with a message for the user."""


class SchemeError(ParkBenchError):
    """An evaluation scheme that cannot be used, with a message in Chinese for the user."""


class SettingsError(ParkBenchError):
    """An alert threshold that cannot be saved, with a message in Chinese."""


class BriefingError(ParkBenchError):
    """A briefing that cannot be made (unknown park, group or period), said in Chinese."""


class FontMissing(ParkBenchError):
    """No font with Chinese glyphs on this machine."""


class LeadingError(ParkBenchError):
    """Leading-industry groups or a name → code table that cannot be saved
    (parkbench.models.leading), said in Chinese."""
