"""The findings of parkbench.models.checks (数据审核) in English: the kind, where
in the file, and what each says.

The checks write their sentences in Chinese, and a stored warning keeps only
that text (upload_warnings.detail), so the English is read back from it: each
sentence the checks write (checks._TEXT) has one pattern here, and the numbers,
units and user text (sheet names, column headers, park names) are carried
over. The readers' notes about a whole file are free sentences: the most
frequent have a pattern too; one no pattern knows is returned as written
(``detail`` gives None for it).
tests/test_findings_en.py builds every sentence from checks._TEXT and reads it
back, so a sentence changed there without its pattern here fails.
"""

from __future__ import annotations

import re

import pandas as pd

from parkbench.catalog import INDICATOR_BY_ID, unit_label

TITLES = {
    "cumulative_decrease": "YTD below last month's",
    "month_above_ytd": "Month above its YTD",
    "derived_negative": "Derived month below zero",
    "month_missing": "Month missing in a series",
    "mom_change": "Month-on-month change too large",
    "yoy_change": "Year-on-year change too large",
    "growth_mismatch": "Reported growth differs from computed",
    "land_change": "Land area changed too much",
    "breakdown_sum": "Industry breakdown does not add up to output",
    "enterprise_sum_mismatch": "Firms' sum differs from the park's own figure",
    "enterprise_two_parks": "One firm in two parks at once",
    "enterprise_register_backwards": "Register dated before another park's later one",
    "unknown_columns": "Columns matching no indicator",
    "reader": "Reader note",
}
BREAKDOWN = "Industry breakdown"
SUBJECT_EN = {ind.zh: ind.en for ind in INDICATOR_BY_ID.values()} | {"产业结构": BREAKDOWN}

_NUM = r"(-?[\d,]+\.\d) ?([^\s，（）]*)"  # checks._num: "1,234.5 万元" (the unit may be empty)
_PCT = r"([+-]?[\d.]+)%"
_LIMIT = r"([\d.]+)"


def _amount(number: str, unit: str) -> str:
    unit = unit_label(unit, "en")
    return f"{number} {unit}" if unit else number


def _month_kind(label: str) -> str:
    return "month" if label == "本月" else "month (derived from YTD)"


# One pattern per sentence of checks._TEXT, and its English.
_SENTENCES: list[tuple[re.Pattern, callable]] = [
    (re.compile(rf"^累计 {_NUM}，低于上月累计 {_NUM}（推算的当月值将为 {_NUM}）$"),
     lambda m: f"YTD {_amount(m[1], m[2])}, below last month's YTD {_amount(m[3], m[4])} "
               f"(the derived month would be {_amount(m[5], m[6])})"),
    (re.compile(rf"^本月 {_NUM} 大于同月累计 {_NUM}$"),
     lambda m: f"month {_amount(m[1], m[2])} above the same month's YTD {_amount(m[3], m[4])}"),
    (re.compile(rf"^由累计值推算的当月值为 {_NUM}，低于零$"),
     lambda m: f"the month derived from the YTD values is {_amount(m[1], m[2])}, below zero"),
    (re.compile(r"^该月没有数值（本月和累计都未报送），前后月份都有数值；累计值将无法计算$"),
     lambda m: "no value this month (neither month nor YTD reported) while the months around it have "
               "values; the YTD cannot be computed"),
    (re.compile(rf"^(本月|当月（由累计推算）) {_NUM}，比上月 {_NUM} 变动 {_PCT}（超过 ±{_LIMIT}%）$"),
     lambda m: f"{_month_kind(m[1])} {_amount(m[2], m[3])}, {m[6]}% on last month's {_amount(m[4], m[5])} "
               f"(beyond ±{m[7]}%)"),
    (re.compile(rf"^(本月|当月（由累计推算）) {_NUM}，比上年同月 {_NUM} 变动 {_PCT}（超过 ±{_LIMIT}%）$"),
     lambda m: f"{_month_kind(m[1])} {_amount(m[2], m[3])}, {m[6]}% on the same month a year earlier "
               f"{_amount(m[4], m[5])} (beyond ±{m[7]}%)"),
    (re.compile(rf"^报送的(累计同比|本月同比) {_PCT} 与按数值计算的 {_PCT} 相差 ([\d.]+) 个百分点"
                rf"（超过 {_LIMIT} 个百分点）$"),
     lambda m: f"reported {'YTD' if m[1] == '累计同比' else 'month'} YoY {m[2]}% against {m[3]}% computed "
               f"from the values: {m[4]} points apart (more than {m[5]})"),
    (re.compile(rf"^用地面积 {_NUM}，比上次的 {_NUM} 变动 {_PCT}（超过 ±{_LIMIT}%）$"),
     lambda m: f"land area {_amount(m[1], m[2])}, {m[5]}% on the previous {_amount(m[3], m[4])} "
               f"(beyond ±{m[6]}%)"),
    (re.compile(rf"^产业结构各产业产值合计 {_NUM}，与规上工业总产值累计 {_NUM} 相差 {_PCT}（超过 ±{_LIMIT}%）$"),
     lambda m: f"the industries' output adds up to {_amount(m[1], m[2])}, {m[5]}% off the YTD industrial "
               f"output {_amount(m[3], m[4])} (beyond ±{m[6]}%)"),
    (re.compile(rf"^企业合计（累计）{_NUM}，园区报送累计 {_NUM}，相差 {_PCT}（超过 ±{_LIMIT}%）；以园区报送数为准$"),
     lambda m: f"the firms' YTD sum {_amount(m[1], m[2])} against the park's own YTD {_amount(m[3], m[4])}: "
               f"{m[5]}% apart (beyond ±{m[6]}%); the park's own figure is used"),
    (re.compile(r"^企业“(.*)”(?:（(\w+)）)?自(\d{4})年(\d{1,2})月起 (\d+) 个月同时属于(.+)和(.+)；按企业名录计入\6，请核对$"),
     lambda m: f"firm “{m[1]}”{f' ({m[2]})' if m[2] else ''} belongs to both {m[6]} and {m[7]} for {m[5]} "
               f"month{'' if m[5] == '1' else 's'} from {m[3]}-{int(m[4]):02d}; counted in {m[6]} as the register "
               "says, please check"),
    (re.compile(r"^(.+?)(\d{4})年(\d{1,2})月的企业名录中有 (\d+) 家企业（(.*?)(等)?）在(.+?)(\d{4})年(\d{1,2})月的名录中；"
                r"较晚的名录为准，本名录只在\d{4}年\d{1,2}月至(\d{4})年(\d{1,2})月把它们计入\1，请核对名录日期$"),
     lambda m: f"{m[4]} firm{'' if m[4] == '1' else 's'} on {m[1]}'s register of {m[2]}-{int(m[3]):02d} "
               f"({', '.join(m[5].split('、'))}{', …' if m[6] else ''}) {'is' if m[4] == '1' else 'are'} on "
               f"{m[7]}'s register of "
               f"{m[8]}-{int(m[9]):02d}; the later register holds, so this one counts them in {m[1]} only until "
               f"{m[10]}-{int(m[11]):02d}: please check the register's date"),
    (re.compile(r"^(.+) 不对应任何已知指标，导入后不参与任何指标计算$"),
     lambda m: f"{_unknown_columns(m[1])} match no known indicator and feed no metric once stored"),
    # the readers' most frequent notes (parkbench/ingest); the others are shown as written
    (re.compile(r"^工作表「(.+)」(没有单位列|表头和注释中都没有单位)，数值按各指标的标准单位（万元、亩、户）读取$"),
     lambda m: f"sheet “{m[1]}” {'has no unit column' if m[2] == '没有单位列' else 'names no unit'}: values "
               "are read in each indicator's standard unit (10k yuan, mu, firms)"),
    (re.compile(r"^工作表「(.+)」(第 \S+ 列(?:（.*）)?)不是数值列，已跳过$"),
     lambda m: f"sheet “{m[1]}”, {column(m[2])} is not a column of numbers: skipped"),
    (re.compile(r"^未识别、已跳过的工作表：(.+)$"),
     lambda m: f"sheets not recognised, skipped: {', '.join(m[1].split('、'))}"),
    (re.compile(r"^工作表「(.+)」另有 (\d+) 个未报送的值未列出$"),
     lambda m: f"sheet “{m[1]}”: {m[2]} more values not reported, not listed"),
    (re.compile(r"^工作表「(.+)」有 (\d+) 个公式单元格没有保存计算结果（(.+)），按未报送处理；"
                r"请在 Excel 中打开、重新计算并保存后再上传$"),
     lambda m: f"sheet “{m[1]}” has {m[2]} formula cells without a saved result ({m[3].replace('、', ', ')}), "
               "taken as not reported; open the file in Excel, recalculate, save and upload it again"),
]


def _sentence(text: str) -> str | None:
    for pattern, english in _SENTENCES:
        found = pattern.match(text)
        if found:
            return english(found)
    return None


def detail(text) -> str | None:
    """A cell's detail ("税收收入：累计 650.0 万元，…") in English, or None if no
    pattern knows it (a reader's own note)."""
    if not isinstance(text, str):
        return None
    whole = _sentence(text)
    if whole is not None:
        return whole
    subject, _, rest = text.partition("：")
    said = _sentence(rest) if rest else None
    if said is None:
        return None
    return f"{SUBJECT_EN.get(subject, subject)}: {said}"


def detail_or_as_written(text) -> str:
    english = detail(text)
    return english if english is not None else ("" if text is None or text is pd.NA else str(text))


_COLUMN = re.compile(r"^第 (\S+) 列(?:（(.*)）)?$")


def column(ref) -> str:
    """"第 C 列（税收）" → "column C (税收)": the header is the file's own text."""
    if not isinstance(ref, str):
        return ""
    found = _COLUMN.match(ref)
    if not found:
        return ref
    return f"column {found[1]}" + (f" ({found[2]})" if found[2] else "")


_UNKNOWN_ITEM = re.compile(r"^(.*)（工作表「(.*)」）$")


def _unknown_columns(items: str) -> str:
    """checks.unknown_columns's list: 「名称」 or "第 C 列（…）（工作表「…」）", joined by 、."""
    out = []
    for item in items.split("、"):
        found = _UNKNOWN_ITEM.match(item)
        if found:
            out.append(f"{column(found[1])} (sheet “{found[2]}”)")
        elif item.startswith("「") and item.endswith("」"):
            out.append(f"“{item[1:-1]}”")
        else:
            out.append(item)
    return ", ".join(out)


def month(period) -> str:
    return f"{pd.Timestamp(period):%Y-%m}"


def months(periods: list) -> str:
    """2016-03–2016-05, 2017-01: consecutive months as one run (checks.month_runs in English)."""
    numbers = sorted({p.year * 12 + p.month - 1 for p in periods})
    runs, start = [], None
    for i, n in enumerate(numbers):
        start = n if start is None else start
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            first, last = f"{start // 12}-{start % 12 + 1:02d}", f"{n // 12}-{n % 12 + 1:02d}"
            runs.append(first if start == n else f"{first}–{last}")
            start = None
    return ", ".join(runs)


def where(sheets: list, rows: list, columns: list, named: int = 10) -> str:
    """Sheet, rows and column of a finding's cells (checks._where in English)."""
    out = [f"sheet “{sheets[0]}”"] if len(sheets) == 1 else []
    if rows:
        shown = ", ".join(str(r) for r in rows[:named])
        out.append(f"row{'s' if len(rows) > 1 else ''} {shown}" + (f" and {len(rows) - named} more"
                                                                   if len(rows) > named else ""))
    if len(columns) == 1:
        out.append(column(columns[0]))
    return ", ".join(out)


def text(finding) -> str:
    """A finding as a page lists it (checks._text in English): kind, where, park,
    indicator, months and what it says."""
    title = TITLES.get(finding.check_id, finding.check_id)
    said = detail_or_as_written(finding.first_detail if not _missing(finding.first_detail)
                                else finding.first_message)
    if _missing(finding.park):
        return f"{title}: {said}"
    place = where(finding.sheets, finding.rows, finding.columns)
    head = f"{title}: {place + ': ' if place else ''}{finding.park} "
    if finding.cells == 1:
        return head + said
    subject = BREAKDOWN if finding.check_id == "breakdown_sum" else _indicator(finding.indicator)
    example = said.split(": ", 1)[-1]
    first = month(finding.periods[0]) if finding.periods else ""
    return (head + f"{subject}: {len(finding.periods)} months ({months(finding.periods)}); "
            f"e.g. {first}: {example}")


def _indicator(indicator) -> str:
    ind = INDICATOR_BY_ID.get(indicator) if isinstance(indicator, str) else None
    return ind.en if ind else ("" if indicator is None else str(indicator))


def _missing(value) -> bool:
    return value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value))
