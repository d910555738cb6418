"""Charts and tables that stay readable and light at a province's size.

A chart of 2,000 bars or lines is neither readable nor drawable (Altair
refuses more than 5,000 rows; the browser stalls long before). Above a few
dozen parks a chart shows the leaders and the user's own park, and the rest
is summarised: by the group's statistics (mean, median, quartile band, which
are computed over every park, not just the ones drawn) and by a sentence.
Long tables are cut into pages. Nothing here imports Streamlit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

BAR_PARKS = 25  # bars in one chart (compare, industry composition)
PANEL_PARKS = 12  # bars in one small multiple
LINE_PARKS = 8  # lines in one chart (as many as the palette has colours)
PAGE_ROWS = 200  # rows of a long table on one page
CARD_PARKS = 12  # home page cards; above this, the table alone
SENTENCE_PARKS = 12  # report sentences listed at once on 排名 when no park is chosen


@dataclass(frozen=True)
class Rest:
    """The parks of a group that a chart does not draw."""

    count: int
    low: float | None
    high: float | None
    median: float | None

    def sentence(self, digits: int, unit: str, lang: str = "zh", measure: tuple[str, str] = ("数值", "values")) -> str:
        if self.count == 0:
            return ""
        if self.low is None:
            return (f"其余 {self.count:,} 个园区未报送。" if lang == "zh"
                    else f"The other {self.count:,} parks did not report.")
        span = f"{self.low:,.{digits}f}～{self.high:,.{digits}f} {unit}"
        median = f"{self.median:,.{digits}f} {unit}"
        return (f"其余 {self.count:,} 个园区未画出：{measure[0]} {span}，中位数 {median}。" if lang == "zh"
                else f"{self.count:,} more parks not drawn: {measure[1]} {span}, median {median}.")


def _rest(values: pd.Series) -> Rest:
    known = values.dropna()
    if known.empty:
        return Rest(len(values), None, None, None)
    return Rest(len(values), float(known.min()), float(known.max()), float(known.median()))


def leaders(frame: pd.DataFrame, value: str, limit: int, highlight: str | None = None,
            park: str = "park") -> tuple[pd.DataFrame, Rest]:
    """The rows of the ``limit`` parks with the highest ``value`` (ties by
    name), plus the highlighted park wherever it ranks; and a summary of the
    parks left out. One row per park is expected."""
    known = frame[frame[value].notna()]
    if len(known) <= limit:
        return known, Rest(0, None, None, None)
    ordered = known.sort_values([value, park], ascending=[False, True])
    top = ordered.head(limit)
    if highlight is not None and highlight not in set(top[park]):
        top = pd.concat([top, ordered[ordered[park] == highlight]])
    left_out = ordered[~ordered[park].isin(set(top[park]))]
    return top, _rest(left_out[value])


def leading_parks(frame: pd.DataFrame, value: str, limit: int, highlight: str | None = None,
                  park: str = "park", period: str = "period") -> list[str]:
    """For a long frame (park × period): the ``limit`` parks with the highest
    value at their latest period with a value, the highlighted park first if
    it is not among them (then ``limit - 1`` leaders)."""
    known = frame[frame[value].notna()]
    latest = known.sort_values(period).groupby(park, sort=False)[value].last()
    if len(latest) <= limit:
        return sorted(latest.index)
    ranked = latest.reset_index().sort_values([value, park], ascending=[False, True])[park].tolist()
    if highlight in latest.index:
        return [highlight, *[p for p in ranked if p != highlight][: limit - 1]]
    return ranked[:limit]


MIN_STEADY_PARKS = 3  # fewer parks with a value throughout make no quartile band of their own


def steady_parks(frame: pd.DataFrame, value: str, period: str = "period", park: str = "park") -> list[str]:
    """The parks with a value at every period the frame has values for. A group
    line drawn over time (a mean, a median, a band) is drawn over these at every
    point, so it moves with the values, not with who reported: 3 parks at
    quarter-ends and 1 in between would make it zigzag."""
    known = frame[frame[value].notna()]
    if known.empty:
        return []
    counts = known.groupby(park)[period].nunique()
    return sorted(counts[counts == known[period].nunique()].index)


def steady_rows(frame: pd.DataFrame, value: str, minimum: int = 1, period: str = "period",
                park: str = "park") -> tuple[pd.DataFrame, int | None]:
    """The rows a group line over time is drawn from, and how many parks it
    stands for: the steady parks (``steady_parks``) when there are at least
    ``minimum``; else every park with a value at each point, and None (the
    number differs from point to point and is said there)."""
    parks = steady_parks(frame, value, period, park)
    if len(parks) >= minimum:
        return frame[frame[park].isin(parks) & frame[value].notna()], len(parks)
    return frame[frame[value].notna()], None


def band(frame: pd.DataFrame, value: str, period: str = "period") -> pd.DataFrame:
    """Per period: parks with a value, q1, median, q3 (the group's spread a
    chart draws behind the lines it shows), over the parks with a value at
    every period where there are enough of them (``steady_rows``)."""
    known, _ = steady_rows(frame, value, MIN_STEADY_PARKS, period)
    grouped = known.groupby(period)[value]
    out = pd.DataFrame({
        "parks": grouped.count(),
        "q1": grouped.quantile(0.25),
        "median": grouped.median(),
        "q3": grouped.quantile(0.75),
    }).reset_index()
    return out


def page_count(rows: int, size: int = PAGE_ROWS) -> int:
    return max(1, math.ceil(rows / size))


def page(frame: pd.DataFrame, number: int, size: int = PAGE_ROWS) -> pd.DataFrame:
    """Rows of page ``number`` (1-based, clamped to the pages there are)."""
    number = min(max(1, int(number)), page_count(len(frame), size))
    return frame.iloc[(number - 1) * size: number * size]


def drawn_note(drawn: int, total: int, lang: str = "zh", what: str = "前") -> str:
    """What a chart of some parks of a larger group shows, for its subtitle."""
    if drawn >= total:
        return ""
    if lang == "zh":
        return f"图中为{what} {drawn} 个园区（共 {total:,} 个）"
    return f"showing {drawn} of {total:,} parks"


def composition_leaders(composition: pd.DataFrame, limit: int,
                        highlight: str | None = None) -> tuple[pd.DataFrame, Rest]:
    """Industry composition rows (park × industry, with share and is_leading)
    of the ``limit`` parks with the highest leading-industry share, plus the
    highlighted park; the rest summarised by their leading share (%)."""
    leading = composition["share"].where(composition["is_leading"].fillna(False).astype(bool), 0.0)
    per_park = (composition.assign(leading=leading).groupby("park", as_index=False)["leading"]
                .sum(min_count=1))
    kept, rest = leaders(per_park, "leading", limit, highlight)
    return composition[composition["park"].isin(set(kept["park"]))], rest


@dataclass(frozen=True)
class LineFocus:
    """What a line chart draws of a long frame (park × period)."""

    drawn: pd.DataFrame  # rows of the parks drawn as lines
    band: pd.DataFrame | None  # the whole group's quartiles per period, when parks were left out
    note: str  # for the subtitle: what is drawn ("" when every park is)


def line_focus(frame: pd.DataFrame, value: str, highlight: str | None, lang: str = "zh",
               limit: int = LINE_PARKS) -> LineFocus:
    """Every park's line while they fit the palette; above that the leaders
    (by their latest value) and the highlighted park over the group's band."""
    parks = leading_parks(frame, value, limit, highlight)
    total = frame.loc[frame[value].notna(), "park"].nunique()
    drawn = frame[frame["park"].isin(parks)]
    if total <= len(parks):
        return LineFocus(drawn, None, "")
    _, steady = steady_rows(frame, value, MIN_STEADY_PARKS)
    if lang == "zh":
        whose = f"全程有数值的 {steady:,} 个园区" if steady else "各月有数值的园区（各月园区数不同，见提示）"
        note = f"{drawn_note(len(parks), total, 'zh', '最新值最高的')}；灰带为{whose}的四分位区间，虚线为中位数"
    else:
        whose = f"the {steady:,} parks with a value in every month" if steady else \
            "the parks with a value in each month (their number varies; see the tooltip)"
        note = f"{drawn_note(len(parks), total, 'en')}; grey band = quartiles of {whose}, dashed = median"
    return LineFocus(drawn, band(frame, value), note)
