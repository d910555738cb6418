"""The evaluation result as a workbook in the layout counties publish for
objection (公示): a title, the scheme and peer set, a two-row header (each
indicator's value and score under its name and unit), one row per park by
rank with 初评 and 调整后 classes, then the parks not evaluated and why, the
benchmarks, the rule for 缺报, the class rule and the source. A 缺报 indicator
reads 缺报 in both its value and its score cell, never 0.

Every text cell is written as a typed string (never a formula) and text that
starts like a formula gets a leading apostrophe, as in parkbench/output/export.py.
"""

from __future__ import annotations

import datetime as dt
import io
import math

import pandas as pd

from parkbench.models.evaluation import Scheme, indicator_label, missing_rule_text, not_evaluated_text, plain_number
from parkbench.output.export import safe_text

BENCHMARK_NAMES = {"mean": "参评园区平均", "max": "参评园区最优"}


def _number(value) -> float | None:
    if value is None or value is pd.NA:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def evaluation_xlsx(scheme: Scheme, period: dt.date, peer_set: str, results: pd.DataFrame,
                    benchmarks: dict[int, float | None], generated: dt.date | None = None,
                    not_evaluated: pd.DataFrame | None = None) -> bytes:
    """``results`` is ``evaluation.with_adjustments(…)``: one row per park with
    rank, initial_class, final_class, reason, total, missing and value_n/score_n;
    ``not_evaluated`` is ``evaluation.not_evaluated(long)`` (park, reason, missing)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    sheet = book.add_worksheet("综合评价结果")
    title = book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    sub = book.add_format({"font_size": 10, "align": "left"})
    head = book.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True,
                            "border": 1, "bg_color": "#EEF2F7"})
    text = book.add_format({"border": 1, "align": "center"})
    left = book.add_format({"border": 1, "align": "left", "text_wrap": True})
    num2 = book.add_format({"border": 1, "num_format": "#,##0.00"})
    note = book.add_format({"font_size": 10, "align": "left", "text_wrap": False})

    def string(r, c, value, fmt):
        sheet.write_string(r, c, str(safe_text(str(value))), fmt)

    def number(r, c, value, fmt):
        n = _number(value)
        if n is None:
            string(r, c, "缺报", text)
        else:
            sheet.write_number(r, c, n, fmt)

    inds = scheme.indicators
    tail = ["综合得分", "排名", "初评等级", "调整后等级", "调档理由", "缺报指标"]
    width = 2 + 2 * len(inds) + len(tail)
    sheet.merge_range(0, 0, 0, width - 1, "", title)
    string(0, 0, f"{period.year}年{period.month}月 亩均效益综合评价结果", title)
    sheet.set_row(0, 30)
    sheet.merge_range(1, 0, 1, width - 1, "", sub)
    string(1, 0, f"评价方案：{scheme.name}　对标范围：{peer_set}　参评园区：{len(results)} 个", sub)

    # two header rows: name (unit) over 数值 | 得分
    for c, label in ((0, "序号"), (1, "园区")):
        sheet.merge_range(2, c, 3, c, "", head)
        string(2, c, label, head)
    for n, ind in enumerate(inds):
        c = 2 + 2 * n
        sheet.merge_range(2, c, 2, c + 1, "", head)
        string(2, c, f"{indicator_label(ind)}·权重{ind.weight:g}", head)
        string(3, c, "数值", head)
        string(3, c + 1, "得分", head)
    for k, label in enumerate(tail):
        c = 2 + 2 * len(inds) + k
        sheet.merge_range(2, c, 3, c, "", head)
        string(2, c, label, head)
    sheet.set_row(2, 36)

    names = {i.metric: i.name() for i in inds}
    for r, row in enumerate(results.to_dict("records"), start=4):
        sheet.write_number(r, 0, r - 3, text)
        string(r, 1, row["park"], left)
        for n in range(len(inds)):
            number(r, 2 + 2 * n, row.get(f"value_{n + 1}"), num2)
            number(r, 3 + 2 * n, row.get(f"score_{n + 1}"), num2)
        c = 2 + 2 * len(inds)
        sheet.write_number(r, c, float(row["total"]), num2)
        sheet.write_number(r, c + 1, int(row["rank"]), text)
        string(r, c + 2, row["initial_class"], text)
        string(r, c + 3, row["final_class"], text)
        string(r, c + 4, row.get("reason") or "", left)
        string(r, c + 5, "、".join(names.get(m, m) for m in (row.get("missing") or [])), left)

    r = 5 + len(results)
    if not_evaluated is not None and len(not_evaluated):
        string(r, 0, f"未参评园区 {len(not_evaluated)} 个：", note)
        for item in not_evaluated.itertuples(index=False):
            r += 1
            string(r, 0, f"{item.park}：{not_evaluated_text(item.reason, [names.get(m, m) for m in item.missing])}",
                   note)
        r += 2
    string(r, 0, "说明：", note)
    for n, ind in enumerate(inds, start=1):
        r += 1
        bench = benchmarks.get(n)
        kind = BENCHMARK_NAMES.get(ind.benchmark_kind, "固定值")
        bench_text = "无（缺报）" if bench is None else f"{plain_number(bench)} {ind.unit_text()}"
        direction = "越低越好（基准 ÷ 数值）" if ind.direction == "lower" else "越高越好（数值 ÷ 基准）"
        cap = f"，比值封顶 {ind.cap:g}" if ind.cap is not None else ""
        string(r, 0, f"{n}. {indicator_label(ind)}：权重 {ind.weight:g}，基准 {bench_text}（{kind}），{direction}{cap}", note)
    a, b, c = scheme.classes
    r += 1
    string(r, 0, f"等级：按综合得分排名，参评 n 个园区中名次 ≤ n×{a:g}%（向上取整）为 A，≤ n×{b:g}% 为 B，"
                 f"≤ n×{c:g}% 为 C，其余为 D；得分相同名次并列。", note)
    r += 1
    string(r, 0, f"得分 = Σ 权重 × 比值（比值 = 数值 ÷ 基准，达到基准为 1，故高于基准的园区总分可超过 100）；"
                 f"{missing_rule_text(scheme.missing_rule)}。数据来源：各园区报送，ParkBench 计算。", note)
    r += 1
    string(r, 0, f"生成日期：{(generated or dt.date.today()):%Y-%m-%d}", note)

    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 20)
    sheet.set_column(2, 1 + 2 * len(inds), 11)
    sheet.set_column(2 + 2 * len(inds), width - 3, 10)
    sheet.set_column(width - 2, width - 1, 24)
    sheet.freeze_panes(4, 2)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(2, 3)
    book.close()
    return buffer.getvalue()


# Columns the firm table always shows; a scheme indicator on the same metric is not repeated.
FIRM_SHOWN = {"land_area": "land_area", "tax_ytd": "tax_ytd", "tax_per_mu": "tax_per_mu"}


def firm_evaluation_xlsx(scheme: Scheme, period: dt.date, scope: str, results: pd.DataFrame,
                         generated: dt.date | None = None) -> bytes:
    """The enterprise result table counties publish: 序号, 企业名称, (所属园区 when several
    parks), 统一社会信用代码, 行业, 用地面积（亩）, 税收（万元）, 亩均税收（万元/亩）, the
    scheme's other indicators with units, 得分, 初评等级, 等级, 调档理由. ``results`` is
    ``firm_evaluation.evaluate_firms(…)``. T (不定等级) firms read T with why; every text
    cell is a string, never a formula."""
    import xlsxwriter

    from parkbench.models.firm_evaluation import not_classed_text

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    sheet = book.add_worksheet("企业评价结果")
    title = book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    sub = book.add_format({"font_size": 10, "align": "left"})
    head = book.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True,
                            "border": 1, "bg_color": "#EEF2F7"})
    text = book.add_format({"border": 1, "align": "center"})
    left = book.add_format({"border": 1, "align": "left", "text_wrap": True})
    num2 = book.add_format({"border": 1, "num_format": "#,##0.00"})

    def string(r, c, value, fmt):
        sheet.write_string(r, c, str(safe_text("" if value is None else str(value))), fmt)

    def number(r, c, value):
        n = _number(value)
        if n is None:
            string(r, c, "—", text)
        else:
            sheet.write_number(r, c, n, num2)

    several = results["park"].nunique() > 1 if len(results) else False
    others = [(n, ind) for n, ind in enumerate(scheme.indicators, start=1) if ind.metric not in FIRM_SHOWN]
    columns = [("序号", None), ("企业名称", "enterprise")]
    if several:
        columns.append(("所属园区", "park"))
    columns += [("统一社会信用代码", "credit_code"), ("行业", "industry"), ("用地面积（亩）", "land_area"),
                ("税收（万元）", "tax_ytd"), ("亩均税收（万元/亩）", "tax_per_mu")]
    columns += [(indicator_label(ind), f"value_{n}") for n, ind in others]
    columns += [("得分", "score"), ("初评等级", "initial_class"), ("等级", "class"), ("调档理由", "adjust_reason")]
    numeric = {"land_area", "tax_ytd", "tax_per_mu", "score", *(f"value_{n}" for n, _ in others)}

    width = len(columns)
    sheet.merge_range(0, 0, 0, width - 1, "", title)
    string(0, 0, f"{period.year}年{period.month}月 企业亩均效益综合评价结果", title)
    sheet.set_row(0, 30)
    sheet.merge_range(1, 0, 1, width - 1, "", sub)
    classed = int(results["initial_class"].isin(["A", "B", "C", "D"]).sum()) if len(results) else 0
    string(1, 0, f"评价方案：{scheme.name}　范围：{scope}　参评企业：{len(results)} 家（定级 {classed} 家）", sub)
    for c, (label, _) in enumerate(columns):
        string(2, c, label, head)
    sheet.set_row(2, 36)
    for r, row in enumerate(results.to_dict("records"), start=3):
        for c, (_, key) in enumerate(columns):
            if key is None:
                sheet.write_number(r, c, r - 2, text)
            elif key in numeric:
                number(r, c, row.get(key))
            elif key in ("initial_class", "class"):
                value = row.get(key)
                string(r, c, "未参评" if value is None or (isinstance(value, float) and math.isnan(value))
                       else value, text)
            elif key == "adjust_reason":
                why = row.get(key) or not_classed_text(row.get("not_classed"))
                string(r, c, why or "", left)
            else:
                value = row.get(key)
                string(r, c, "" if value is None or (isinstance(value, float) and math.isnan(value)) else value, left)
    r = 4 + len(results)
    a, b, c = scheme.classes
    notes = [f"得分 = Σ 权重 × 数值 ÷ 基准（与园区评价同一方案、同一算法）；{missing_rule_text(scheme.missing_rule)}。",
             f"等级按得分名次：参评定级企业 n 家中名次 ≤ n×{a:g}%（向上取整）为 A，≤ n×{b:g}% 为 B，≤ n×{c:g}% 为 C，"
             "其余为 D（或按页面所选分数线）。T 为不定等级（公用事业、投产不满两年），不参与排名。",
             f"生成日期：{(generated or dt.date.today()):%Y-%m-%d}；数据来源：企业台账、联网直报、税务、用地，ParkBench 计算。"]
    for line in notes:
        string(r, 0, line, sub)
        r += 1
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 28)
    sheet.set_column(2, width - 2, 13)
    sheet.set_column(width - 1, width - 1, 30)
    sheet.freeze_panes(3, 2)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(2)
    book.close()
    return buffer.getvalue()
