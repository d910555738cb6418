"""The 企业 page's sections (pages/firms.py): the park's totals beside its firms'
sums, the firms' table (sorted and paged, the whole list in its Excel), and the
低效用地 list with its report line and 台账. Every figure comes from
parkbench.models.enterprises through the read door."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import streamlit as st

from parkbench.models import enterprises
from parkbench.models import firm_evaluation as fe
from parkbench.output.charts import short_label
from parkbench.output.tables import Column
from ui import data, tables, widgets
from ui.format import cumulative_period, period, plain
from ui.i18n import lang, t

PAGE_ROWS = 100  # firms per page of the table

TOTAL_NAMES = {"output": ("工业总产值 1-本月（万元）", "Output, year to date (10k yuan)"),
               "tax": ("税收 1-本月（万元）", "Tax, year to date (10k yuan)"),
               "revenue": ("营业收入 1-本月（万元）", "Revenue, year to date (10k yuan)"),
               "land_area": ("用地面积（亩）", "Land (mu)")}

FIRM_COLUMNS = [
    Column("enterprise", "企业名称", "Firm"),
    Column("credit_code", "统一社会信用代码", "Credit code"),
    Column("industry", "行业（GB/T 4754 大类）", "Industry (division)"),
    Column("group", "产业类别", "Industry group"),
    Column("scale", "规上", "Above scale"),
    Column("land_area", "用地面积（亩）", "Land (mu)", "num1"),
    Column("output_ytd", "产值 1-本月（万元）", "Output YTD (10k yuan)", "num1"),
    Column("tax_ytd", "税收 1-本月（万元）", "Tax YTD (10k yuan)", "num1"),
    Column("tax_per_mu", "亩均税收（万元/亩）", "Tax per mu (10k yuan/mu)", "num2"),
    Column("tax_per_mu_annual", "年化亩均税收（万元/亩）", "Annualised tax per mu (10k yuan/mu)", "num2"),
    Column("output_per_mu", "亩均产值（万元/亩）", "Output per mu (10k yuan/mu)", "num2"),
    Column("output_ytd_yoy", "产值累计同比（%）", "Output YTD YoY (%)", "pct"),
    Column("tax_ytd_yoy", "税收累计同比（%）", "Tax YTD YoY (%)", "pct"),
]
CLASS_COLUMNS = [Column("class", "等级", "Class"), Column("years_in_d", "连续 D 类（年）", "Years in D in a row", "int")]
SORTS = ["tax_ytd", "tax_per_mu", "land_area", "output_ytd", "output_per_mu", "tax_ytd_yoy"]


def totals(frame: pd.DataFrame, park: str, chosen: dt.date) -> None:
    """园区合计与企业合计: the park's figure in force beside the sum over its listed firms."""
    if frame.empty:
        return
    st.subheader(t("园区合计与企业合计", "Park totals and the firms' sums"))
    zh = lang() == "zh"
    shown = pd.DataFrame({
        "indicator": [TOTAL_NAMES[i][0 if zh else 1] for i in frame["indicator"]],
        "park": frame["park"].astype("float64"),
        "source": [t("由企业汇总", "summed from firms") if s else t("园区报送", "park's own sheet")
                   for s in frame["from_enterprises"]],
        "firm_sum": frame["firm_sum"].astype("float64"),
        "gap": [round((f - p) / p * 100, 6) + 0.0 if p and not math.isnan(p) and f is not None and not math.isnan(f) else math.nan
                for p, f in zip(frame["park"].astype("float64"), frame["firm_sum"].astype("float64"), strict=True)],
    })
    count = int(frame["firms"].iloc[0])
    tables.show(shown, [
        Column("indicator", "指标（单位）", "Figure (unit)"),
        Column("park", "园区数", "Park figure", "num1"),
        Column("source", "园区数来源", "Park figure from"),
        Column("firm_sum", f"所列 {count} 户企业合计", f"Sum over the {count} firms listed", "num1"),
        Column("gap", "企业合计与园区数之差（%）", "Firms' sum vs park (%)", "signed1"),
    ], key="firms:totals", title=t("园区合计与企业合计", "Park totals and the firms' sums"),
        meta=[t(f"园区：{park}", f"Park: {park}"), t(f"统计期：{cumulative_period(chosen)}",
                                                     f"Period: {cumulative_period(chosen)}")],
        name_parts=(park, t("园区合计与企业合计", "totals"), period(chosen)))
    st.caption(t("园区数为其他页面使用的数值：园区自己报送的优先，否则为其名录上企业之和。"
                 "企业合计在任一所列企业缺值时为未报送，不按缺值为 0 计。",
                 "The park figure is what other pages use: its own sheet first, else the sum over its register. "
                 "A firms' sum is unknown when any listed firm lacks the value (never counted as 0)."))


def classes(account, park: str, chosen: dt.date, scheme) -> pd.DataFrame | None:
    """enterprise_id, class (after 调档, this year's), years_in_d of the park's firms
    under ``scheme`` (firm_evaluation.class_history over this park); None without a scheme."""
    if scheme is None:
        return None
    history = data.query("firm_class_history", scheme=scheme, period=f"{chosen:%Y-%m}", reader=account,
                         population=fe.Population(parks=(park,)))
    year = str(chosen.year)
    if history.empty or year not in history:
        return pd.DataFrame({"enterprise_id": pd.Series(dtype="int64"), "class": pd.Series(dtype="object"),
                             "years_in_d": pd.Series(dtype="float64")})
    return history[["enterprise_id", year, "years_in_d"]].rename(columns={year: "class"})


def with_classes(rows: pd.DataFrame, classed: pd.DataFrame | None) -> pd.DataFrame:
    """The park's firms with their class and years in D (when a scheme gave them)."""
    if classed is None:
        return rows
    return rows.merge(classed, on="enterprise_id", how="left")


def _shown(rows: pd.DataFrame) -> pd.DataFrame:
    zh = lang() == "zh"
    number_columns = [c.key for c in FIRM_COLUMNS if c.kind != "text"]
    return rows.assign(
        group=rows["leading_group"].fillna(enterprises.NOT_LEADING[0] if zh else enterprises.NOT_LEADING[1]),
        scale=rows["above_scale"].map({True: t("是", "yes"), False: t("否", "no")}),
        **{c: rows[c].astype("float64") for c in [*number_columns, "years_in_d"] if c in rows})


def table(page: str, rows: pd.DataFrame, park: str, chosen: dt.date) -> None:
    """The firms, sorted by a figure the user picks and shown a page of
    ``PAGE_ROWS`` at a time (widgets.paginate); the Excel button gives every firm."""
    st.subheader(t(f"企业明细（{len(rows)} 户）", f"Firms ({len(rows)})"))
    by = st.selectbox(t("排序（从大到小）", "Sort by (largest first)"), SORTS, key=f"{page}:sort",
                      format_func=lambda c: next(col.header(lang()) for col in FIRM_COLUMNS if col.key == c))
    ordered = _shown(rows).sort_values([by, "enterprise"], ascending=[False, True], na_position="last")
    shown = widgets.paginate(ordered, f"{page}:page", PAGE_ROWS)
    if len(shown) < len(ordered):
        st.caption(t("Excel 含全部企业。", "The Excel file holds every firm."))
    columns = FIRM_COLUMNS + (CLASS_COLUMNS if "class" in rows else [])
    tables.show(shown, columns, key=f"{page}:firms",
                title=t(f"{park} 企业明细", f"{park}: firms"), export=ordered,
                meta=[t(f"统计期：{cumulative_period(chosen)}", f"Period: {cumulative_period(chosen)}")],
                name_parts=(park, t("企业明细", "firms"), period(chosen)), height=420)


LOW_COLUMNS = [
    Column("enterprise", "企业名称", "Firm"),
    Column("credit_code", "统一社会信用代码", "Credit code"),
    Column("parcels", "宗地编号", "Parcels"),
    Column("land_area", "用地面积（亩）", "Land (mu)", "num1"),
    Column("tax_ytd", "税收 1-本月（万元）", "Tax YTD (10k yuan)", "num1"),
    Column("tax_per_mu", "亩均税收（万元/亩）", "Tax per mu (10k yuan/mu)", "num2"),
    Column("tax_per_mu_annual", "年化亩均税收（万元/亩）", "Annualised tax per mu (10k yuan/mu)", "num2"),
]


def low_yield(page: str, account, rows: pd.DataFrame, park: str, chosen: dt.date, metric: str,
              benchmark: float | None, scheme) -> None:
    """低效用地: the firms holding land whose ``metric`` is below a threshold the
    user sets, or (with a scheme chosen at the top) in class D, with their years
    in D in a row; the line a report quotes, and the list as a 台账 sheet."""
    st.subheader(t("低效用地企业", "Low-yield land"))
    name = short_label(metric, lang())
    left, right = st.columns(2)
    below = left.number_input(t(f"{name}低于（万元/亩）", f"{name} below (10k yuan/mu)"), min_value=0.0,
                              value=benchmark, step=1.0, key=f"{page}:below:{metric}",
                              help=t("占有土地、该指标低于此值的企业列为低效企业", "Firms holding land below this are listed"))
    by_class = scheme is not None and right.checkbox(
        t(f"并列入“{plain(scheme.name)}”评为 D 类的企业",
          f"Also the firms in class D under {plain(scheme.display_name('en'))}"),
        value=True, key=f"{page}:low_d")
    if below is None and not by_class:
        st.info(t("输入阈值（或在上方选择评价方案）后，列出占有土地的低效企业，并给出占地和税收占比。",
                  "Type a threshold (or pick a scheme above) to list the low-yield firms holding land."))
        return
    classes = rows.set_index("enterprise_id")["class"] if by_class else None
    totals = data.query("firm_totals", reader=account, park=park, period=chosen)
    low = enterprises.low_yield(rows, totals, metric=metric, below=below, classes=classes)
    st.markdown(f"**{plain(low.sentence(lang()))}**")
    if low.unknown_tax:
        st.caption(t(f"另有 {low.unknown_tax} 户占有土地但没有该指标数值，未列入（缺值不按 0 计）。",
                     f"{low.unknown_tax} more firms hold land but have no value: not listed (unknown is not 0)."))
    if not low.count:
        return
    parcels = data.query("firm_parcels", reader=account, park=park, period=chosen)
    listed = low.firms.merge(parcels, on="enterprise_id", how="left")
    columns = LOW_COLUMNS + (CLASS_COLUMNS if "class" in listed else [])
    listed = listed.assign(**{c.key: listed[c.key].astype("float64") for c in columns if c.kind != "text"})
    rule = [t(f"{name}低于 {below:,.2f} 万元/亩", f"{name} below {below:,.2f}")] if below is not None else []
    rule += [t(f"按“{scheme.name}”评价为 D 类", f"class D under {scheme.display_name('en')}")] if by_class else []
    tables.show(listed, columns, key=f"{page}:low", title=t(f"{park} 低效用地企业台账", f"{park}: low-yield land"),
                meta=[t(f"统计期：{cumulative_period(chosen)}", f"Period: {cumulative_period(chosen)}"),
                      t("口径：", "Rule: ") + t("，或", ", or ").join(rule), low.sentence(lang())],
                name_parts=(park, t("低效用地台账", "low-yield land"), period(chosen)))
