"""Formatting of numbers for tables and sentences: units always, and
未报送 for a value that is unknown (never 0)."""

from __future__ import annotations

import datetime as dt
import math

from parkbench.models import notes
from ui.i18n import lang, t


def missing() -> str:
    return t("未报送", "not reported")


def number(value, digits: int = 2, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing()
    text = f"{value:,.{digits}f}"
    return f"{text} {unit}".strip()


def percent(value, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing()
    return f"{value:+.{digits}f}%"


def period(value: dt.date) -> str:
    return t(f"{value.year}年{value.month}月", f"{value:%Y-%m}")


def cumulative_period(value: dt.date) -> str:
    return t(f"{value.year}年1-{value.month}月", f"{value:%Y} Jan–{value:%b}")


_MARKDOWN_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()<>#+-.!|~$=:\"'&;"})


def plain(text: object) -> str:
    """User text for a Streamlit element that renders Markdown (st.error,
    st.success, widget labels): every Markdown-special character escaped, so
    ``<script>``, ``[x](…)`` or ``**`` show as typed. Never combined with
    unsafe_allow_html."""
    return str(text).translate(_MARKDOWN_SPECIALS)


def metric_value(metric: str, value, row=None, with_unit: bool = True, **note_fields) -> str:
    """A metric value with what it rests on (parkbench/models/notes.py): ``+9.0%（报送）``
    where only the sheet's own growth is known, ``1.25 万元/亩（用地面积截至2022年12月）``
    for stale land, 主导产业占比 marked when derived from the industry breakdown;
    未报送 otherwise. ``row``: a benchmark row holding the note fields."""
    fields = notes.row_notes(row) if row is not None else {}
    fields.update(note_fields)
    return notes.value_text(metric, value, lang=lang(), missing=missing(), with_unit=with_unit, **fields)


def key_figure_notes(row: dict) -> str:
    """What the home page's numeric headline figures of one park rest on, as one
    text cell: stale land, a 主导产业占比 from the breakdown, and the sheet's own
    growth where the computed one is unknown (``产值累计同比 +9.0%（报送）``)."""
    language = lang()
    said = [notes.land_note(row["land_period"], row["land_age_months"], language),
            notes.source_note(row["leading_share_source"], language)]
    if not notes.known(row["output_ytd_yoy"]) and notes.known(row["output_ytd_yoy_reported"]):
        said.append(t("产值累计同比 ", "output YTD growth ")
                    + notes.reported_growth(float(row["output_ytd_yoy_reported"]), language))
    return t("；", "; ").join(n for n in said if n)


def key_figure_texts(row: dict) -> dict[str, str]:
    """The home page's three headline numbers of one park (a reads/key_figures
    row) as text with their notes, no unit (the label carries it)."""
    return {
        "tax_per_mu": metric_value("tax_per_mu", row["tax_per_mu"], with_unit=False, land_period=row["land_period"],
                                   land_age_months=row["land_age_months"]),
        "leading_share": metric_value("leading_share", row["leading_share"], with_unit=False,
                                      source=row["leading_share_source"]),
        "output_ytd_yoy": metric_value("output_ytd_yoy", row["output_ytd_yoy"], with_unit=False,
                                       reported_value=row["output_ytd_yoy_reported"]),
    }
