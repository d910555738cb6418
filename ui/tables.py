"""A table on a page: numbers kept numeric (so a column sorts as numbers),
shown formatted with 未报送 for unknown cells, headers with units in the
chosen language, and a visible "下载 Excel" button under it that gives the
same table with a title block (parkbench/export.table_xlsx)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from parkbench.output import export as export_file
from parkbench.output import images
from parkbench.output.charts import SOURCE_NOTE, SOURCE_NOTE_EN
from parkbench.output.tables import MISSING, Column
from ui import printing
from ui.i18n import lang, t

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def styled(frame: pd.DataFrame, columns: list[Column]):
    """A pandas Styler: display text per column kind, numbers right-aligned
    and grey where unknown; the data underneath stays numeric."""
    keys = [c.key for c in columns]
    language = lang()
    style = frame[keys].style.format({c.key: (lambda v, c=c: c.text(v, language)) for c in columns})
    numeric = [c.key for c in columns if c.kind != "text"]
    if numeric:
        style = style.set_properties(subset=numeric, **{"text-align": "right"})
        style = style.apply(lambda col: ["color: #888888" if pd.isna(v) else "" for v in col], subset=numeric)
    return style


def printable(frame: pd.DataFrame, columns: list[Column]):
    """The table with its headers as text and every cell as shown, for st.table (printing)."""
    language = lang()
    return pd.DataFrame({c.header(language): [c.text(v, language) for v in frame[c.key]] for c in columns})


def show(frame: pd.DataFrame, columns: list[Column], *, key: str, title: str, meta: list[str],
         name_parts: tuple[str, ...], restyle: Callable | None = None, height: int | None = None,
         widths: dict[str, str] | None = None, export: pd.DataFrame | None = None) -> None:
    """Draw the table and its Excel button. ``meta`` lines (统计期, 对标组…) go
    into the file's title block with the source note; ``restyle`` may add
    colours to the Styler (e.g. classes); ``export``, when the table shows one
    page of a longer list, is the whole list for the Excel file."""
    style = styled(frame, columns)
    if restyle is not None:
        style = restyle(style)
    config = {c.key: st.column_config.Column(c.header(lang()), width=(widths or {}).get(c.key)) for c in columns}
    # Streamlit draws an empty cell as its own word ("None"), whatever the Styler says: name it ourselves
    st.dataframe(style, hide_index=True, column_config=config, column_order=[c.key for c in columns],
                 height=height or "auto", key=f"{key}:table", placeholder=MISSING[lang()])
    printing.static_copy(printable(frame, columns), key)
    language, whole = lang(), export
    lines = [*meta, t(SOURCE_NOTE, SOURCE_NOTE_EN)]
    st.download_button(
        t("下载 Excel", "Download Excel"),
        data=lambda: export_file.table_xlsx(frame if whole is None else whole, columns, title, lines, language),
        file_name=images.file_name(*name_parts, suffix="xlsx"), mime=XLSX, key=f"{key}:xlsx",
        on_click="ignore", icon=":material/table_view:",
        help=t("带标题、统计期、单位和数字格式的 Excel 表", "Excel table with title, period, units and number formats"))


def peer_note(group: str | None, parks: list[str]) -> str:
    """The 对标组 line of a title block."""
    if group:
        return t(f"对标组：{group}（{len(parks)} 个园区）", f"Peer group: {group} ({len(parks)} parks)")
    return t(f"园区：{'、'.join(parks)}", f"Parks: {', '.join(parks)}")


CLASS_COLOURS = {"A": "#CFE8F7", "B": "#E3F1E0", "C": "#FCEBC7", "D": "#F6D2C4"}


def colour_classes(style, keys: list[str]):
    """Class cells A–D on a light background each, unknown in grey."""
    if not keys:
        return style
    return style.map(lambda v: f"background-color: {CLASS_COLOURS[v]}" if v in CLASS_COLOURS else "color: #888888",
                     subset=keys)


def colour_gaps(style, keys: list[str]):
    """Gaps above the mean in blue, below in orange (colour-blind-safe pair)."""
    def colour(value):
        if pd.isna(value):
            return "color: #888888"
        return "color: #0072B2" if value > 0 else ("color: #D55E00" if value < 0 else "")
    return style.map(colour, subset=keys)
