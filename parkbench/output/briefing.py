"""简报: a one-page briefing for a park, a peer group and a month — key
figures with rank and gap to the group mean, the report sentences, and three
charts (亩均税收 compared, output growth against the group mean, leading-
industry share compared) — as DOCX, one-page A4 PDF and PNG.

The PDF and the PNG are drawn from one layout (a list of positioned text
lines, boxes and images in millimetres), so they show the same page; the
DOCX is the same content in Word's own flow. Every number comes from the
league (parkbench/models/benchmark.py) and the trend view; nothing is computed here
but the group mean of the growth line.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from parkbench.catalog import METRIC_BY_ID, metric_unit, unit_label
from parkbench.errors import BriefingError
from parkbench.models import benchmark, gap, metrics, projection
from parkbench.models.evaluation import Scheme
from parkbench.output import charts, fonts, images, scale
from parkbench.store import accounts
from parkbench.store.accounts import Account

FIGURE_METRICS = ("tax_per_mu", "output_per_mu", "leading_share", "output_ytd_yoy", "tax_ytd_yoy")
MAX_BARS = 12  # a comparison chart in the briefing shows at most this many parks (best, worst and the park)
TREND_MONTHS = 24

A4 = (210.0, 297.0)
MARGIN = 14.0
# Chart images: two half-width bar charts side by side, the trend below at full width.
HALF_MM, FULL_MM = (88, 68), (182, 76)
HALF = images.Preset("brief_half", "简报半宽图", "briefing half width", round(HALF_MM[0] / 25.4 * 300),
                     round(HALF_MM[1] / 25.4 * 300), 300, 420)
# The plot of a half-width chart: the preset less the column of park names. Built
# at this width, the bars need no second layout pass (images.png).
HALF_VIEW_WIDTH = HALF.css_width - 150
FULL = images.Preset("brief_full", "简报通栏图", "briefing full width", round(FULL_MM[0] / 25.4 * 300),
                     round(FULL_MM[1] / 25.4 * 300), 300, 760)


@dataclass
class Figure:
    label: str  # metric with unit
    value: str
    rank: str
    mean: str
    gap: str
    grade: str


@dataclass
class Briefing:
    park: str
    period: dt.date
    group: str | None
    peers: list[str]
    lang: str
    figures: list[Figure]
    sentences: list[str]
    charts: list[tuple[str, bytes | None]] = field(default_factory=list)  # (caption, PNG) — None: no data
    firm_lines: list[str] = field(default_factory=list)  # 企业: empty (and left out) without the right to see them

    def headings(self) -> tuple[str, ...]:
        """The section headings in order: 企业 only when the briefing has its lines."""
        names = [self.t("主要指标", "Key figures"), self.t("报告用语", "Report sentences")]
        if self.firm_lines:
            names.append(self.t("企业", "Firms"))
        names.append(self.t("图表", "Charts"))
        numerals = "一二三四"
        return tuple(self.t(f"{numerals[i]}、{n}", f"{i + 1}. {n}") for i, n in enumerate(names))

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    @property
    def period_text(self) -> str:
        return self.t(f"{self.period.year}年{self.period.month}月", f"{self.period:%Y-%m}")

    @property
    def title(self) -> str:
        return self.t(f"{self.park} 对标简报（{self.period_text}）", f"{self.park}: benchmark briefing, {self.period_text}")

    @property
    def subtitle(self) -> str:
        peers = self.t(f"对标组：{self.group}（{len(self.peers)} 个园区）" if self.group
                       else f"对标范围：全部园区（{len(self.peers)} 个）",
                       f"Peer group: {self.group} ({len(self.peers)} parks)" if self.group
                       else f"Peers: all parks ({len(self.peers)})")
        cumulative = self.t(f"累计口径 1-{self.period.month}月", f"year to date, Jan–{self.period:%b}")
        return f"{cumulative}　{peers}　{self.t(charts.SOURCE_NOTE, charts.SOURCE_NOTE_EN)}"

    def file_stem(self) -> str:
        return images.file_name(self.park, self.t("对标简报", "briefing"), self.period_text, suffix="x")[:-2]


# ------------------------------------------------------------------ content

def build(con: duckdb.DuckDBPyConnection, park: str, period: str | dt.date, group: str | None = None,
          lang: str = "zh", with_charts: bool = True, reader: Account | None = None,
          firm_scheme: Scheme | None = None) -> Briefing:
    """The briefing's content. ``reader``: the account it is made for; with the right
    to see the park's firms (docs/enterprises.md rule 5) it gains the 企业 section
    (``firm_lines``), which ``firm_scheme`` adds the class-D firms to; without it the
    section is left out, not blank."""
    month = metrics.month_start(period)
    parks = metrics.park_names(con)
    containing = [p for p in parks if park and park in p]
    if park not in parks and len(containing) == 1:  # "寻甸" for 寻甸特色产业园区
        park = containing[0]
    if park not in parks:
        raise BriefingError(f"没有名为“{park}”的园区。已有园区：{'、'.join(parks) or '（无）'}")
    if group is not None:
        from parkbench.models import peers as peer_groups

        groups = peer_groups.list_groups(con)
        if group not in groups:
            raise BriefingError(f"没有名为“{group}”的对标组。已有对标组：{'、'.join(sorted(groups)) or '（无）'}")
        if park not in groups[group]:
            raise BriefingError(f"“{park}”不在对标组“{group}”中")
    league = benchmark.league(con, month, group=group)
    if league.empty or not (league["park"] == park).any():
        raise BriefingError(f"{month.year}年{month.month}月没有“{park}”所在对标组的指标数值，请换一个统计期")
    mine = league[league["park"] == park].set_index("metric")
    figures = [_figure(mine.loc[m], m, lang) for m in FIGURE_METRICS if m in mine.index]
    if not figures:  # a briefing of empty tables and charts helps nobody: say why instead
        raise BriefingError(f"{month.year}年{month.month}月“{park}”还没有简报所列的指标（亩均、增速、主导产业占比等"
                            "都按 1-本月累计计算）；请换一个统计期，或先上传 1-本月累计值或 1 月以来各月的本月值")
    sentences = (benchmark.park_sentences(league, park, lang) + gap_lines(con, park, month, group, lang)
                 + projection_lines(con, park, month, lang) + alert_lines(con, park, month, group, lang))
    peers = sorted(league["park"].unique())
    briefing = Briefing(park, month, group, peers, lang, figures, sentences)
    if reader is not None and park in accounts.firm_parks(con, reader):
        briefing.firm_lines = firm_lines(con, park, month, reader, firm_scheme, lang)
    if with_charts:
        briefing.charts = _charts(con, league, park, month, peers, lang)
    return briefing


TOP_FIRMS = 5
NAMED_D = 10  # class-D firms named in the line; the rest counted


def firm_lines(con: duckdb.DuckDBPyConnection, park: str, month: dt.date, reader: Account,
               scheme: Scheme | None, lang: str) -> list[str]:
    """The 企业 section: the leading groups by firms in the seeds' words, the five
    firms paying the most tax, and (with a scheme) the class-D firms and their land.
    Empty when the park has no firm figures at the month."""
    from parkbench.models import enterprises, firm_evaluation, leading

    zh = lang != "en"
    firms = enterprises.park_firms(con, reader=reader, park=park, period=month)
    if firms.empty:
        return []
    totals = enterprises.totals(con, firms, park, month)
    lines = list(enterprises.composition_sentences(leading.figures(con, park, month), lang))
    park_tax = next((r.park for r in totals.itertuples() if r.indicator == "tax"), None)
    top = enterprises.top_contributors(firms, "tax_ytd", park_tax, TOP_FIRMS)
    if len(top):
        named = [f"{r.enterprise}（{r.tax_ytd:,.1f} 万元" + (f"，占 {r.share:.1f}%" if pd.notna(r.share) else "") + "）"
                 if zh else f"{r.enterprise} ({r.tax_ytd:,.1f}" + (f", {r.share:.1f}%" if pd.notna(r.share) else "") + ")"
                 for r in top.itertuples()]
        lines.append(("税收前五位企业：" + "、".join(named)) if zh
                     else "Top firms by tax (10k yuan, share of the park): " + "; ".join(named))
    if scheme is not None:
        evaluated = firm_evaluation.evaluate_firms(con, scheme, month, reader=reader,
                                                   population=firm_evaluation.Population(parks=(park,)))
        d_class = firm_evaluation.class_d(evaluated)
        low = enterprises.low_yield(firms, totals, classes=evaluated.set_index("enterprise_id")["class"])
        name = scheme.name if zh else scheme.display_name(lang)
        if d_class.empty:
            lines.append(f"按“{name}”评价，没有 D 类企业" if zh else f"No class-D firm under “{name}”")
        else:
            shown = "、".join(d_class["enterprise"].head(NAMED_D)) + ("等" if len(d_class) > NAMED_D else "")
            lines.append(f"按“{name}”评价，D 类企业 {len(d_class)} 户：{shown}" if zh
                         else f"Under “{name}”, {len(d_class)} firms in class D: {shown.replace('、', ', ')}")
            lines.append(low.sentence(lang) + ("（D 类且占有土地的企业）" if zh else " (class D, holding land)"))
    return lines


GAP_METRICS = ("tax_per_mu", "leading_share")  # 差距测算 against the group mean
PROJECTED = ("output", "tax")  # 预计全年 for 1-N月, N < 12


def gap_lines(con: duckdb.DuckDBPyConnection, park: str, month: dt.date, group: str | None,
              lang: str) -> list[str]:
    """What the park needs to reach the group mean of 亩均税收 and 主导产业占比
    (parkbench/models/gap.py); a metric already above the mean says so."""
    found = (gap.gap(con, park, metric, month, group=group) for metric in GAP_METRICS)
    return [gap.sentence(g, lang) for g in found if g is not None]


def projection_lines(con: duckdb.DuckDBPyConnection, park: str, month: dt.date, lang: str) -> list[str]:
    """预计全年 of output and tax from 1-N月 (parkbench/models/projection.py); none in December."""
    return [line for indicator in PROJECTED
            for line in projection.sentences(projection.project(con, park, indicator, month), lang)]


ALERT_LABELS = {"red": ("预警", "Alert"), "amber": ("关注", "Watch"), "green": ("良好", "Good")}
MAX_ALERT_LINES = 4  # the briefing stays one page


def alert_lines(con: duckdb.DuckDBPyConnection, park: str, month: dt.date, group: str | None,
                lang: str) -> list[str]:
    """The park's 预警 of the month (parkbench/models/alerts.py, thresholds from 预警设置)
    as report lines, warnings first: ``预警：…``, ``关注：…``, ``良好：…``."""
    from parkbench.models import alerts

    found = sorted(alerts.park_alerts(con, park, month, group=group, lang=lang),
                   key=lambda a: alerts.LEVELS.index(a["level"]) if a["level"] in alerts.LEVELS else 9)
    zh = lang == "zh"
    return [f"{ALERT_LABELS.get(a['level'], ('提示', 'Note'))[0 if zh else 1]}{'：' if zh else ': '}{a['message']}"
            for a in found[:MAX_ALERT_LINES]]


def _fmt(value, metric: str, signed: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    pct = metric_unit(metric) == "%"
    text = f"{value:{'+' if signed else ''},.{1 if pct else 2}f}"
    return text


def _known(value) -> bool:
    return not (value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)))


def _figure(row, metric: str, lang: str) -> Figure:
    m = METRIC_BY_ID[metric]
    zh = lang == "zh"
    label = f"{m.zh}（{m.unit}）" if zh else f"{m.en} ({unit_label(m.unit, lang)})"
    missing = "未报送" if zh else "not reported"
    if not _known(row["value"]):
        return Figure(label, missing, "—", _fmt(row["peer_mean"], metric), "—", "—")
    rank = f"{int(row['rank'])}/{int(row['peers'])}" if _known(row["rank"]) else "—"
    if metric_unit(metric) == "%":
        gap = f"{_fmt(row['gap_to_mean'], metric, True)} {'个百分点' if zh else 'points'}"
    elif _known(row["gap_to_mean_pct"]):
        gap = f"{_fmt(row['gap_to_mean'], metric, True)}（{row['gap_to_mean_pct']:+.1f}%）" if zh else \
            f"{_fmt(row['gap_to_mean'], metric, True)} ({row['gap_to_mean_pct']:+.1f}%)"
    else:
        gap = _fmt(row["gap_to_mean"], metric, True)
    grade = row["class"] if _known(row["class"]) else "—"
    return Figure(label, _fmt(row["value"], metric), rank, _fmt(row["peer_mean"], metric), gap or "—", grade)


def _trimmed(frame: pd.DataFrame, park: str) -> pd.DataFrame:
    """At most MAX_BARS parks: the best and the worst, and always the park itself."""
    known = frame[frame["value"].notna()].sort_values("value", ascending=False)
    if len(known) <= MAX_BARS:
        return known
    half = (MAX_BARS - 1) // 2
    keep = set(known["park"].head(half)) | set(known["park"].tail(half)) | {park}
    return known[known["park"].isin(keep)]


def _charts(con, league: pd.DataFrame, park: str, month: dt.date, peers: list[str],
            lang: str) -> list[tuple[str, bytes | None]]:
    zh = lang == "zh"
    period_label = f"{month.year}年{month.month}月" if zh else f"{month:%Y-%m}"
    out = []
    for metric in ("tax_per_mu", "leading_share"):
        frame = _trimmed(league[league["metric"] == metric], park)
        name = METRIC_BY_ID[metric].zh if zh else METRIC_BY_ID[metric].en
        if frame.empty:
            out.append((name, None))
            continue
        chart = charts.compare_bars(frame, metric, period_label, park, lang, compact=True, width=HALF_VIEW_WIDTH)
        out.append((name, images.png(chart.to_json(), HALF)))
    out.insert(1, _growth_chart(con, park, month, peers, lang))
    return out


def _growth_chart(con, park: str, month: dt.date, peers: list[str], lang: str) -> tuple[str, bytes | None]:
    """产值累计同比 of the park against the mean of its peers, the last 24 months."""
    zh = lang == "zh"
    name = "产值累计同比" if zh else "Output, YTD YoY"
    trend = metrics.trend(con, "output", peers)
    trend = trend[trend["ytd_yoy"].notna()]
    start = pd.Timestamp(month) - pd.DateOffset(months=TREND_MONTHS - 1)
    trend = trend[(pd.to_datetime(trend["period"]) >= start) & (pd.to_datetime(trend["period"]) <= pd.Timestamp(month))]
    own = trend[trend["park"] == park][["park", "period", "ytd_yoy"]]
    if own.empty:
        return name, None
    trend = trend[trend["period"] >= own["period"].min()]  # the mean only over the park's own months
    # the same parks at every month, so the line follows the values, not who reported (scale.steady_rows)
    steady, count = scale.steady_rows(trend, "ytd_yoy")
    first, last = pd.Timestamp(trend["period"].min()), pd.Timestamp(trend["period"].max())
    span = f"{first.year}年{first.month}月—{last.year}年{last.month}月" if zh else f"{first:%Y-%m} to {last:%Y-%m}"
    subtitle = f"{span}　单位：%" if zh else f"{span}  Unit: %"
    title = f"{name}：本园区与组内平均" if zh else f"{name}: the park and the peer mean"
    if count is not None and set(steady["park"]) <= {park}:
        # The park alone has a value every month: its "mean" would be its own line drawn twice.
        frame = own
        title = f"{name}：本园区" if zh else f"{name}: the park"
        subtitle += ("　组内其他园区在此期间各月数值不全，未画组内平均" if zh
                     else "  No peer mean: no other park in the group has every month")
    else:
        if count is not None:
            mean_label = f"组内平均（{count} 个园区）" if zh else f"Peer mean ({count} parks)"
        else:
            mean_label = "组内平均（各月园区数不同）" if zh else "Peer mean (parks vary by month)"
        mean = steady.groupby("period", as_index=False)["ytd_yoy"].mean().assign(park=mean_label)
        frame = pd.concat([own, mean[["park", "period", "ytd_yoy"]]], ignore_index=True)
    chart = charts.lines(frame, "ytd_yoy", f"{name}（%）" if zh else f"{name} (%)", title,
                         subtitle, park, lang, unit="%", zoom=False, x_title=None)
    return name, images.png(chart.to_json(), FULL)


# ------------------------------------------------------------------ one layout for PDF and PNG

@dataclass
class Text:
    x: float
    y: float  # top of the line, mm
    text: str
    size: float  # pt
    bold: bool = False
    color: tuple[int, int, int] = (31, 41, 51)
    width: float = 0.0  # for right alignment
    align: str = "L"


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float
    fill: tuple[int, int, int]


@dataclass
class Picture:
    x: float
    y: float
    w: float
    h: float
    png: bytes | None
    caption: str


PT_MM = 25.4 / 72


class _Measure:
    """Text widths in mm with the CJK font (Pillow), shared by both renderers."""

    def __init__(self):
        from PIL import ImageFont

        regular, bold = fonts.cjk_font(), fonts.cjk_font(bold=True)
        self._fonts = {False: (regular.path, regular.index), True: (bold.path, bold.index)}
        self._cache = {}
        self._truetype = ImageFont.truetype

    def width(self, text: str, size: float, bold: bool = False) -> float:
        key = (size, bold)
        if key not in self._cache:
            path, index = self._fonts[bold]
            self._cache[key] = self._truetype(path, size=100, index=index)
        return self._cache[key].getlength(text) / 100 * size * PT_MM

    def wrap(self, text: str, size: float, width: float, bold: bool = False) -> list[str]:
        """Break at any character (Chinese has no spaces), keeping words of Latin text whole where possible."""
        lines, line = [], ""
        for ch in text:
            if self.width(line + ch, size, bold) <= width:
                line += ch
                continue
            cut = line.rfind(" ") if ch != " " and line and line[-1].isascii() and ch.isascii() else -1
            if cut > 0:
                lines.append(line[:cut])
                line = line[cut + 1:] + ch
            else:
                lines.append(line)
                line = ch.lstrip()
        if line:
            lines.append(line)
        return lines


def layout(b: Briefing) -> list:
    """The page as positioned items (mm from the top left of an A4 page)."""
    measure = _Measure()
    width = A4[0] - 2 * MARGIN
    items: list = []
    y = MARGIN
    items.append(Text(MARGIN, y, b.title, 17, bold=True))
    y += 17 * PT_MM * 1.45
    for line in measure.wrap(b.subtitle, 8.5, width):
        items.append(Text(MARGIN, y, line, 8.5, color=(85, 85, 85)))
        y += 8.5 * PT_MM * 1.5
    y += 2.5

    # key figures
    headings = b.headings()
    items.append(Text(MARGIN, y, headings[0], 11, bold=True))
    y += 11 * PT_MM * 1.6
    heads = [b.t("指标（单位）", "Metric (unit)"), b.t("本园区", "Park"), b.t("排名", "Rank"),
             b.t("组内平均", "Peer mean"), b.t("与平均差", "Gap to mean"), b.t("等级", "Class")]
    col_w = [60, 24, 18, 24, 40, 16]
    col_w = [w * width / sum(col_w) for w in col_w]
    row_h = 6.2
    items.append(Box(MARGIN, y, width, row_h, (238, 242, 247)))
    for row_index, cells in enumerate([heads, *[[f.label, f.value, f.rank, f.mean, f.gap, f.grade]
                                                 for f in b.figures]]):
        x = MARGIN
        if row_index and row_index % 2 == 0:
            items.append(Box(MARGIN, y, width, row_h, (248, 249, 251)))
        for c, (cell, w) in enumerate(zip(cells, col_w, strict=True)):
            align = "L" if c == 0 else "R"
            items.append(Text(x + 1.5, y + 1.3, cell, 9, bold=row_index == 0, width=w - 3, align=align))
            x += w
        y += row_h
    y += 4

    # sentences
    for heading, lines in ((headings[1], b.sentences), *([(headings[2], b.firm_lines)] if b.firm_lines else [])):
        items.append(Text(MARGIN, y, heading, 11, bold=True))
        y += 11 * PT_MM * 1.6
        for sentence in lines:
            for i, line in enumerate(measure.wrap("· " + sentence + b.t("。", "."), 9.5, width - 3)):
                items.append(Text(MARGIN + (3 if i else 0), y, line, 9.5))
                y += 9.5 * PT_MM * 1.55
        y += 3

    # charts
    items.append(Text(MARGIN, y, headings[-1], 11, bold=True))
    y += 11 * PT_MM * 1.6
    space = A4[1] - MARGIN - y
    half_w, gap = (width - 4) / 2, 4
    (c1, p1), (c2, p2), (c3, p3) = b.charts if b.charts else [("", None)] * 3
    # the three images keep their aspect (HALF_MM, FULL_MM), shrunk together if space is short
    half_ratio, full_ratio = HALF_MM[1] / HALF_MM[0], FULL_MM[1] / FULL_MM[0]
    shrink = min(1.0, space / (half_w * half_ratio + gap + width * full_ratio))
    h_half, h_full = half_w * half_ratio * shrink, width * full_ratio * shrink
    items.append(Picture(MARGIN, y, half_w * shrink, h_half, p1, c1))
    items.append(Picture(MARGIN + half_w + gap, y, half_w * shrink, h_half, p3, c3))
    y += h_half + gap
    items.append(Picture(MARGIN, y, width * shrink, h_full, p2, c2))
    return items


def to_pdf(b: Briefing) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_title(b.title)
    pdf.set_creator("ParkBench")
    regular, bold = fonts.cjk_font(), fonts.cjk_font(bold=True)
    pdf.add_font("cjk", "", regular.path, collection_font_number=regular.index)
    pdf.add_font("cjk", "B", bold.path, collection_font_number=bold.index)
    pdf.add_page()
    for item in layout(b):
        if isinstance(item, Box):
            pdf.set_fill_color(*item.fill)
            pdf.rect(item.x, item.y, item.w, item.h, style="F")
        elif isinstance(item, Text):
            pdf.set_font("cjk", "B" if item.bold else "", item.size)
            pdf.set_text_color(*item.color)
            pdf.set_xy(item.x, item.y)
            height = item.size * PT_MM * 1.2
            pdf.cell(w=item.width or 0, h=height, text=item.text, align=item.align if item.width else "L")
        elif isinstance(item, Picture):
            if item.png:
                pdf.image(io.BytesIO(item.png), x=item.x, y=item.y, w=item.w, h=item.h)
            else:
                _empty_pdf(pdf, item, b)
    return bytes(pdf.output())


def _empty_pdf(pdf, item: Picture, b: Briefing) -> None:
    pdf.set_draw_color(200, 200, 200)
    pdf.rect(item.x, item.y, item.w, item.h)
    pdf.set_font("cjk", "", 9)
    pdf.set_text_color(120, 120, 120)
    pdf.set_xy(item.x, item.y + item.h / 2 - 2)
    pdf.cell(w=item.w, h=4, text=f"{item.caption}：{b.t('该期间未报送', 'not reported for the period')}", align="C")


def to_png(b: Briefing, dpi: int = 200) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    px = dpi / 25.4
    page = Image.new("RGB", (round(A4[0] * px), round(A4[1] * px)), "white")
    draw = ImageDraw.Draw(page)
    regular, bold = fonts.cjk_font(), fonts.cjk_font(bold=True)
    cache: dict = {}

    def font(size: float, is_bold: bool):
        key = (size, is_bold)
        if key not in cache:
            f = bold if is_bold else regular
            cache[key] = ImageFont.truetype(f.path, size=round(size * PT_MM * px), index=f.index)
        return cache[key]

    for item in layout(b):
        if isinstance(item, Box):
            draw.rectangle([item.x * px, item.y * px, (item.x + item.w) * px, (item.y + item.h) * px], fill=item.fill)
        elif isinstance(item, Text):
            f = font(item.size, item.bold)
            x = item.x * px
            if item.width and item.align == "R":
                x = (item.x + item.width) * px - f.getlength(item.text)
            draw.text((x, item.y * px + item.size * PT_MM * px * 0.1), item.text, font=f, fill=item.color)
        elif isinstance(item, Picture):
            box = (round(item.x * px), round(item.y * px), round(item.w * px), round(item.h * px))
            if item.png:
                image = Image.open(io.BytesIO(item.png)).convert("RGB").resize(box[2:], Image.LANCZOS)
                page.paste(image, box[:2])
            else:
                draw.rectangle([box[0], box[1], box[0] + box[2], box[1] + box[3]], outline=(200, 200, 200))
                text = f"{item.caption}：{b.t('该期间未报送', 'not reported for the period')}"
                f = font(9, False)
                draw.text((box[0] + (box[2] - f.getlength(text)) / 2, box[1] + box[3] / 2), text, font=f,
                          fill=(120, 120, 120))
    out = io.BytesIO()
    page.save(out, format="PNG", dpi=(dpi, dpi))  # no optimize pass: seconds for a few % of size
    return out.getvalue()


def to_docx(b: Briefing) -> bytes:
    """The same content for Word: title, figures table, sentences, the three
    charts as 300 dpi images (two side by side, the trend below), A4 with
    narrow margins so it stays on one page."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(A4[0]), Mm(A4[1])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN))
    family = fonts.cjk_font().family
    normal = doc.styles["Normal"]
    normal.font.size = Pt(9.5)
    normal.font.name = family
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), family)
    normal.paragraph_format.space_after = Pt(2)

    def paragraph(text: str, size: float, bold: bool = False, grey: bool = False):
        p = doc.add_paragraph()
        run = p.add_run(text)
        run.font.size, run.font.bold = Pt(size), bold
        run.font.name = family
        run._element.rPr.rFonts.set(qn("w:eastAsia"), family)
        if grey:
            run.font.color.rgb = RGBColor(85, 85, 85)
        return p

    paragraph(b.title, 16, bold=True)
    paragraph(b.subtitle, 8.5, grey=True)
    headings = b.headings()
    paragraph(headings[0], 11, bold=True)
    heads = [b.t("指标（单位）", "Metric (unit)"), b.t("本园区", "Park"), b.t("排名", "Rank"),
             b.t("组内平均", "Peer mean"), b.t("与平均差", "Gap to mean"), b.t("等级", "Class")]
    table = doc.add_table(rows=1, cols=len(heads))
    table.style = "Light Grid Accent 1"
    for cell, head in zip(table.rows[0].cells, heads, strict=True):
        cell.text = head
    for f in b.figures:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, [f.label, f.value, f.rank, f.mean, f.gap, f.grade], strict=True)):
            cell.text = text
            if i:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for heading, lines in ((headings[1], b.sentences), *([(headings[2], b.firm_lines)] if b.firm_lines else [])):
        paragraph(heading, 11, bold=True)
        for sentence in lines:
            paragraph("· " + sentence + b.t("。", "."), 9.5)
    paragraph(headings[-1], 11, bold=True)
    (c1, p1), (c2, p2), (c3, p3) = b.charts if b.charts else [("", None)] * 3
    pair = doc.add_table(rows=1, cols=2)
    for cell, (caption, png) in zip(pair.rows[0].cells, ((c1, p1), (c3, p3)), strict=True):
        if png:
            cell.paragraphs[0].add_run().add_picture(io.BytesIO(png), width=Mm(88))
        else:
            cell.text = f"{caption}：{b.t('该期间未报送', 'not reported for the period')}"
    if p2:
        doc.add_paragraph().add_run().add_picture(io.BytesIO(p2), width=Mm(180))
    else:
        paragraph(f"{c2}：{b.t('该期间未报送', 'not reported for the period')}", 9.5)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


FORMATS = {"pdf": to_pdf, "png": to_png, "docx": to_docx}
MIMES = {"pdf": "application/pdf", "png": "image/png",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def render(b: Briefing, suffix: str) -> bytes:
    suffix = suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise BriefingError(f"简报格式须为 .docx、.pdf 或 .png，收到“.{suffix}”")
    return FORMATS[suffix](b)
