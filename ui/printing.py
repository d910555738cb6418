"""Printing a page (Ctrl+P): its title, charts and tables, without the
sidebar, the header, widgets or download buttons; tables printed whole.

The on-screen table (st.dataframe) is a scrolling canvas that a printer cuts
at its visible rows, so ui/tables.show adds a static copy inside a container
keyed ``print-only-…``: hidden on screen, printed instead of the canvas.
The style sheet is fixed text (no user data)."""

from __future__ import annotations

import streamlit as st

PRINT_ONLY = "print-only"

CSS = """
<style>
[class*="st-key-print-only"] { display: none; }
@media print {
  @page { size: A4; margin: 14mm; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stSelectbox"], [data-testid="stMultiSelect"], [data-testid="stSlider"],
  [data-testid="stSelectSlider"], [data-testid="stRadio"], [data-testid="stCheckbox"],
  [data-testid="stToggle"], [data-testid="stNumberInput"], [data-testid="stTextInput"],
  [data-testid="stDownloadButton"], [data-testid="stButton"], [data-testid="stExpander"],
  [data-testid="stForm"], [data-testid="stFileUploader"], [data-testid="stElementToolbar"],
  [data-testid="stDataFrame"] { display: none !important; }
  [class*="st-key-print-only"] { display: block !important; }
  [data-testid="stMain"], [data-testid="stMainBlockContainer"] { padding: 0 !important; margin: 0 !important;
                                                                  max-width: 100% !important; }
  [data-testid="stVegaLiteChart"], [data-testid="stImage"] { break-inside: avoid; }
  [data-testid="stTable"] table { font-size: 9pt; width: 100%; }
  [data-testid="stTable"] tr { break-inside: avoid; }
  [data-testid="stTable"] thead { display: table-header-group; }
  h1, h2, h3 { break-after: avoid; }
}
</style>
"""

MAX_PRINTED_ROWS = 500  # a longer table is printed from its Excel export instead


def install() -> None:
    """Called once per run by streamlit_app.py."""
    st.html(CSS)


MAX_PRINTED_COLUMNS = 10  # wider tables are printed in parts, each repeating the first column


def static_copy(frame, key: str) -> None:
    """A static table for the printer (hidden on screen): ``frame`` holds
    the headers and cells as text. A wide table is split into parts that fit
    an A4 page, each starting with the first column (the park)."""
    if len(frame) > MAX_PRINTED_ROWS:
        return
    first, rest = frame.columns[:1], list(frame.columns[1:])
    step = MAX_PRINTED_COLUMNS - 1
    with st.container(key=f"{PRINT_ONLY}-{key.replace(':', '-')}"):
        for start in range(0, max(len(rest), 1), step):
            st.table(frame[[*first, *rest[start:start + step]]].style.hide(axis="index"))
