"""Cell-level normalisation shared by every reader: text folding (traditional →
simplified, full-width → half-width, spaces), numbers, periods, units and
indicator names.

Functions here raise ``ValueError`` with a short Chinese reason; readers turn
that into an error that names the file, sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata

import opencc

from parkbench.catalog import INDICATORS

# ---------------------------------------------------------------- text

_T2S = opencc.OpenCC("t2s")
_SPACES = re.compile(r"\s+")
# Characters that are standard simplified characters too and name real places and
# people (乾安县, 於潜): never converted, even inside a traditional text.
_KEEP_AS_WRITTEN = frozenset("乾於")


@functools.lru_cache(maxsize=8192)
def _traditional_only(char: str) -> bool:
    """A character that exists only in traditional writing: opencc changes it
    and it is not in GB2312 (確, 縣, 產 — but not 乾 or 於, which simplified text uses)."""
    if _T2S.convert(char) == char:
        return False
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return False


def to_simplified(text: str) -> str:
    """Traditional → simplified only where the text is traditional: a text with
    no traditional-only character is left as written (``乾安县`` stays, it is not
    ``干安县``), and 乾/於 are kept even in a traditional text (``於潛`` → ``於潜``)."""
    if not any(_traditional_only(c) for c in text):
        return text
    converted = _T2S.convert(text)
    if len(converted) != len(text):  # a phrase conversion changed the length: nothing to restore
        return converted
    return "".join(o if o in _KEEP_AS_WRITTEN else c for o, c in zip(text, converted, strict=True))


@functools.lru_cache(maxsize=65536)
def fold(text: object) -> str:
    """Fold a cell to the form names are compared in: NFKC (full-width digits,
    letters and brackets become ASCII), traditional → simplified where the text
    is traditional (``to_simplified``), no spaces."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = to_simplified(s)
    return _SPACES.sub("", s)


def display_text(text: object) -> str:
    """A name as it will be stored and shown: simplified, half-width, trimmed,
    inner runs of spaces kept as one (so ``<script> x`` stays literal)."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = to_simplified(s)
    return _SPACES.sub(" ", s).strip()


TOTAL_ROW_NAMES = frozenset({"合计", "总计", "全市", "小计", "全县", "全区", "总合计", "全市合计", "全县合计"})


def is_total_name(text: object) -> bool:
    return fold(text) in TOTAL_ROW_NAMES


FOOTNOTE_STARTS = ("注:", "注1", "说明:", "备注:", "资料来源", "数据来源", "单位负责人", "统计负责人", "填表人",
                   "制表", "统计期:", "填报日期", "填报单位")


def is_footnote(text: object) -> bool:
    return fold(text).startswith(FOOTNOTE_STARTS)


# ---------------------------------------------------------------- numbers

MISSING_MARKS = frozenset({"", "—", "-", "/", "…", "...", "……", "——", "--", "未填报", "－", "NA", "N/A", "n/a", "无数据", "未报"})


def parse_number(value: object) -> float | None:
    """A number from a cell; ``None`` for *not reported* marks (never zero).

    Accepts thousands separators, full-width digits, a trailing percent sign
    and surrounding spaces. Raises ``ValueError`` for anything else.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("不是数字")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            return None
        return float(value)
    s = unicodedata.normalize("NFKC", str(value)).strip()
    s = s.replace("\u3000", "").replace(" ", "")
    if s in MISSING_MARKS:
        return None
    s = s.replace(",", "").rstrip("%")
    try:
        number = float(s)
    except ValueError:
        if to_simplified(s) in MISSING_MARKS:  # 未填報 is 未填报
            return None
        raise ValueError(f"“{value}”不是数字") from None
    if math.isnan(number) or math.isinf(number):
        raise ValueError(f"“{value}”不是数字")
    return number


# ---------------------------------------------------------------- periods

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
              "十": 10, "十一": 11, "十二": 12}
_CUMULATIVE_WORDS = {"一季度": 3, "第一季度": 3, "1季度": 3, "上半年": 6, "前两季度": 6,
                     "前三季度": 9, "1-3季度": 9, "全年": 12}
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class Period(tuple):
    """(year, month, cumulative): ``cumulative`` is True when the text itself
    says it covers January to the month (``1-3月``, ``一季度``)."""

    __slots__ = ()

    def __new__(cls, year: int, month: int, cumulative: bool = False):
        return super().__new__(cls, (year, month, cumulative))

    year = property(lambda self: self[0])
    month = property(lambda self: self[1])
    cumulative = property(lambda self: self[2])

    @property
    def date(self) -> dt.date:
        return dt.date(self.year, self.month, 1)


def _check(year: int | None, month: int, text: object) -> None:
    if not 1 <= month <= 12:
        raise ValueError(f"期间“{text}”的月份 {month} 不存在")
    if year is not None and not 1990 <= year <= 2100:
        raise ValueError(f"期间“{text}”的年份 {year} 不合理")


def _month_number(token: str) -> int:
    return int(token) if token.isdigit() else _CN_DIGITS[token]


_RANGE = re.compile(r"^(?:(\d{4})年)?(?:1|一)[-—–~至到](\d{1,2}|[一二三四五六七八九十]{1,2})月?(?:份)?(?:累计)?$")
_YEAR_MONTH = re.compile(r"^(\d{4})(?:年|[-/.])(\d{1,2})(?:月份?|[-/.]\d{1,2}.*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})$")
_MONTH_ONLY = re.compile(r"^(\d{1,2}|[一二三四五六七八九十]{1,3})月份?$")
_YEAR_WORD = re.compile(r"^(?:(\d{4})年)?(.+)$")


def parse_period(value: object, default_year: int | None = None) -> Period:
    """A period from a cell, a sheet name or a title fragment.

    ``2024年3月``, ``2024-03``, ``2024/3``, ``202403``, ``2024.3``, Excel dates
    and serial numbers are single months; ``1-3月``, ``一季度``, ``上半年``,
    ``前三季度`` are cumulative to their last month (the year comes from the
    text or ``default_year``). Raises ``ValueError`` when no period is found or
    the month or year is impossible.
    """
    if value is None:
        raise ValueError("期间为空")
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        _check(value.year, value.month, value)
        return Period(value.year, value.month)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _parse_numeric_period(value)
    text = fold(value)
    if not text:
        raise ValueError("期间为空")
    m = _RANGE.match(text)
    if m:
        year = int(m.group(1)) if m.group(1) else default_year
        month = _month_number(m.group(2))
        _check(year, month, value)
        if year is None:
            raise ValueError(f"期间“{value}”没有年份")
        return Period(year, month, cumulative=True)
    m = _YEAR_MONTH.match(text) or _COMPACT.match(text)
    if m:
        year, month = int(m.group(1)), int(m.group(2))
        _check(year, month, value)
        return Period(year, month)
    m = _MONTH_ONLY.match(text)
    if m:
        month = _month_number(m.group(1))
        _check(default_year, month, value)
        if default_year is None:
            raise ValueError(f"期间“{value}”没有年份")
        return Period(default_year, month)
    m = _YEAR_WORD.match(text)
    if m and m.group(2) in _CUMULATIVE_WORDS:
        year = int(m.group(1)) if m.group(1) else default_year
        if year is None:
            raise ValueError(f"期间“{value}”没有年份")
        _check(year, 1, value)
        return Period(year, _CUMULATIVE_WORDS[m.group(2)], cumulative=True)
    raise ValueError(f"无法识别期间“{value}”")


def _parse_numeric_period(value: float) -> Period:
    if float(value).is_integer() and 190001 <= value <= 210012:  # 202403
        year, month = divmod(int(value), 100)
        _check(year, month, value)
        return Period(year, month)
    if float(value).is_integer() and 20000 <= value <= 80000:  # Excel serial date
        day = _EXCEL_EPOCH + dt.timedelta(days=int(value))
        return Period(day.year, day.month)
    if 1990 <= value < 2101 and not float(value).is_integer():
        # 2024.3 typed as a number. 2024.10 reads back as 2024.1 and is taken
        # as January: Excel kept no trailing zero to tell them apart.
        year = int(value)
        hundredths = round((value - year) * 100)
        month = hundredths if hundredths in (11, 12) else round((value - year) * 10)
        _check(year, month, value)
        return Period(year, month)
    raise ValueError(f"无法识别期间“{value}”")


_PERIOD_IN_TEXT = re.compile(
    r"(\d{4}年(?:1|一)[-—–~至到]\d{1,2}月|\d{4}年\d{1,2}月|\d{4}年(?:第?一季度|上半年|前三季度|全年)"
    r"|\d{4}[-/.]\d{1,2}|(?<!\d)(?:1|一)[-—–~至到]\d{1,2}月|\d{1,2}月|(?:第?一季度|上半年|前三季度))"
)
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)")


def find_period(text: object, default_year: int | None = None, strict: bool = False) -> Period | None:
    """The first period written inside a longer text (a title, a sheet or file
    name); ``None`` when there is none. With ``strict``, a text that only holds
    impossible periods (``2024年13月``) raises the ``ValueError`` instead of
    passing for "no period"."""
    s = fold(text)
    if default_year is None:
        y = _YEAR_IN_TEXT.search(s)
        default_year = int(y.group(1)) if y else None
    error = None
    for m in _PERIOD_IN_TEXT.finditer(s):
        try:
            return parse_period(m.group(1), default_year)
        except ValueError as exc:
            error = error or exc
    if strict and error is not None:
        raise error
    return None


def find_year(text: object) -> int | None:
    m = _YEAR_IN_TEXT.search(fold(text))
    return int(m.group(1)) if m else None


# ---------------------------------------------------------------- units

# factor to the canonical unit, and the canonical unit
UNIT_FACTORS: dict[str, tuple[float, str]] = {
    "元": (1 / 10000, "万元"),
    "千元": (0.1, "万元"),
    "万元": (1.0, "万元"),
    "亿元": (10000.0, "万元"),
    "亩": (1.0, "亩"),
    "公顷": (15.0, "亩"),
    "ha": (15.0, "亩"),
    "平方公里": (1500.0, "亩"),
    "平方千米": (1500.0, "亩"),
    "km2": (1500.0, "亩"),
    "km²": (1500.0, "亩"),
    "平方米": (1 / 666.67, "亩"),
    "m2": (1 / 666.67, "亩"),
    "m²": (1 / 666.67, "亩"),
    "户": (1.0, "户"),
    "个": (1.0, "户"),
    "家": (1.0, "户"),
    "人": (1.0, "人"),
    "万人": (10000.0, "人"),
    "吨标准煤": (1.0, "吨标准煤"),
    "吨标煤": (1.0, "吨标准煤"),
    "万吨标准煤": (10000.0, "吨标准煤"),
    "万千瓦时": (1.0, "万千瓦时"),
    "万kWh": (1.0, "万千瓦时"),
    "万kwh": (1.0, "万千瓦时"),
    "万度": (1.0, "万千瓦时"),
    "千瓦时": (1 / 10000, "万千瓦时"),
    "kWh": (1 / 10000, "万千瓦时"),
    "kwh": (1 / 10000, "万千瓦时"),
    "KWH": (1 / 10000, "万千瓦时"),
    "度": (1 / 10000, "万千瓦时"),
    "亿千瓦时": (10000.0, "万千瓦时"),
    "%": (1.0, "%"),
}

_UNIT_IN_BRACKETS = re.compile(r"[(\[]([^()\[\]]*)[)\]]\s*$")


def unit_factor(unit: object) -> tuple[float, str] | None:
    """(factor, canonical unit) for a unit text, ``None`` if it is not known."""
    u = fold(unit).replace("：", ":").strip("()")
    if u.startswith("单位:"):
        u = u[3:]
    return UNIT_FACTORS.get(u)


def split_unit(header: object) -> tuple[str, str | None]:
    """Split ``税收(万元)`` into (``税收``, ``万元``); the unit is ``None`` when
    the brackets hold something else (``同比增长(%)`` keeps ``%``)."""
    s = fold(header)
    m = _UNIT_IN_BRACKETS.search(s)
    if not m:
        return s, None
    return s[: m.start()], m.group(1)


def units_from_note(text: object) -> list[str]:
    """Units named in a ``单位：万元、亩、户`` note, in order."""
    s = fold(text).replace("：", ":")
    if "单位:" not in s:
        return []
    tail = s.split("单位:", 1)[1]
    tail = re.split(r"[;；。]", tail)[0]
    return [u for u in re.split(r"[、,，/]", tail) if unit_factor(u)]


# ---------------------------------------------------------------- indicators

_INDICATOR_BY_ALIAS = {fold(alias): ind for ind in INDICATORS for alias in ind.aliases}
_SUBROW_PREFIX = re.compile(r"^(?:#+|其中:|其中|内:|\d+[.、]|[一二三四五六七八九十]+、|\(\d+\))")


def indicator_name(text: object) -> str:
    """An indicator label without sub-row marks and units: ``#工业投资(万元)`` → ``工业投资``."""
    name, _ = split_unit(text)
    return _SUBROW_PREFIX.sub("", name)


def match_indicator(text: object) -> str:
    """The canonical indicator id for a label; unknown labels keep their own
    (folded) name so that nothing is dropped."""
    name = indicator_name(text)
    ind = _INDICATOR_BY_ALIAS.get(name)
    return ind.id if ind else name


# Land labels from the most specific (the land 亩均 divides by) to the least.
LAND_SPECIFICITY = ("已供工业用地面积", "已供工业用地", "工业用地面积", "工业用地", "已供地面积", "用地面积", "土地面积")


def resolve_land(labels) -> dict[str, str]:
    """Indicator ids for the distinct labels of one sheet. Where two different
    land labels (``用地面积`` and ``工业用地面积``) would both be ``land_area``,
    the more specific one is, and the other keeps its own name: one never
    silently overwrites the other."""
    ids = {label: match_indicator(label) for label in labels}
    land = {label: indicator_name(label) for label, ind in ids.items() if ind == "land_area"}
    if len(set(land.values())) > 1:
        def rank(name: str) -> int:
            return LAND_SPECIFICITY.index(name) if name in LAND_SPECIFICITY else len(LAND_SPECIFICITY)

        best = min(land.values(), key=rank)
        for label, name in land.items():
            if name != best:
                ids[label] = name
    return ids


def is_known_indicator(text: object) -> bool:
    return indicator_name(text) in _INDICATOR_BY_ALIAS


# ---------------------------------------------------------------- bases

_BASIS = {"month": "month", "ytd": "ytd", "stock": "stock", "本月": "month", "当月": "month", "月度": "month", "本期": "month",
          "累计": "ytd", "本年累计": "ytd", "1-本月": "ytd", "年累计": "ytd", "累计值": "ytd",
          "期末": "stock", "时点": "stock", "年末": "stock", "月末": "stock", "存量": "stock",
          # 上年同期: the same months a year earlier as restated now (rule 4), its own basis
          "ytd_prior": "ytd_prior", "month_prior": "month_prior", "上年同期": "ytd_prior", "去年同期": "ytd_prior",
          "上年同期累计": "ytd_prior", "去年同期累计": "ytd_prior", "上年同月": "month_prior",
          "去年同月": "month_prior", "上年同期本月": "month_prior"}


def parse_basis(value: object) -> str:
    s = fold(value)
    if s in _BASIS:
        return _BASIS[s]
    if re.fullmatch(r"1-\d{1,2}月(累计)?", s):
        return "ytd"
    raise ValueError(f"口径“{value}”应为 本月、累计、期末 或 上年同期")


def column_letter(index: int) -> str:
    """0-based column index → Excel letter (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
