"""数据审核 on a page, the way a reviewer reads it: counts per kind at the
top (缺月 3 · 环比异常 40 …), the findings (park × indicator × kind, with
their months) in pages of 20, most important first, and one finding opened
onto its cells — file, sheet, row, column, month, value — in a table.

The upload preview and 数据质量 both call ``show``. Finding texts come from
the library in Chinese, and in English from parkbench.models.findings_en; user
text (park names, sheet names, headers) is shown literally (``plain`` in
Markdown, a table cell otherwise)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from parkbench.catalog import INDICATOR_BY_ID
from parkbench.models import checks, findings_en
from ui.format import plain
from ui.i18n import lang, t
from ui.widgets import paginate

PAGE_SIZE = 20  # findings on one page
CELLS_PAGE_SIZE = 50  # cells of one finding on one page


def kind_label(check_id: str) -> str:
    zh, en = checks.CHECK_SHORT.get(check_id, (check_id, check_id))
    return t(zh, en)


def counts_text(findings: pd.DataFrame) -> str:
    """缺月 3　环比异常 40 …, most important kind first."""
    return t("　", ", ").join(f"{kind_label(kind)} {n:,}" for kind, n in checks.counts_by_kind(findings))


def parks_text(findings: pd.DataFrame) -> str:
    """The parks with most findings first, at most ten named (…等 1000 个园区)."""
    counts = findings["park"].dropna().value_counts(sort=True)
    named = [f"{park} {n}" for park, n in counts.items()]
    if lang() == "zh":
        return checks.park_list(named)
    if len(named) <= checks.PARKS_NAMED:
        return ", ".join(named)
    return f"{', '.join(named[:checks.PARKS_NAMED])}… {len(named):,} parks in all"


def show(warnings: checks.Warnings, key: str, kinds: list[str] | None = None,
         parks: list[str] | None = None) -> pd.DataFrame:
    """Counts, the findings of the page chosen, and the one opened. ``kinds`` and
    ``parks`` narrow them (None: all). Returns the findings shown (all pages)."""
    findings = warnings.findings
    if kinds:
        findings = findings[findings["check_id"].isin(kinds)]
    if parks:
        findings = findings[findings["park"].isin(parks) | findings["park"].isna()]
    cells = int(findings["cells"].sum())
    st.markdown(t(f"**审核结果 {len(findings):,} 条**（涉及 {cells:,} 个数值）：", f"**Findings: {len(findings):,}** "
                  f"({cells:,} values): ") + plain(counts_text(findings)))
    if findings["park"].notna().any():
        st.caption(plain(t("涉及园区（条）：", "Parks (findings): ") + parks_text(findings)))
    page = paginate(findings, f"{key}:page", size=PAGE_SIZE)
    texts = page["text"] if lang() == "zh" else [findings_en.text(f) for f in page.itertuples(index=False)]
    st.markdown("\n".join(f"{n}. {plain(text)}" for n, text in zip(page["finding"], texts, strict=True)))
    labels = {n: _label(f, n) for n, f in page.set_index("finding").iterrows()}  # in this run's language
    opened = st.selectbox(t("打开一条审核结果，查看涉及的每个单元格", "Open a finding to see each of its cells"),
                          list(page["finding"]), index=None, key=f"{key}:open",
                          format_func=lambda n: labels[n],
                          placeholder=t("选择审核结果编号", "Choose a finding"))
    if opened is not None:
        show_cells(warnings.cells_of(opened), key)
    return findings


def _label(finding, number: int) -> str:
    subject = finding["subject"] if lang() == "zh" else findings_en.SUBJECT_EN.get(finding["subject"],
                                                                                  finding["subject"])
    title = finding["title"] if lang() == "zh" else findings_en.TITLES.get(finding["check_id"], finding["title"])
    what = " ".join(str(v) for v in (finding["park"], subject) if isinstance(v, str) and v)
    return f"{number}. {title}" + (f" · {what}" if what else "") + t(
        f"（{finding['cells']} 个数值）", f" ({finding['cells']} values)")


def show_cells(cells: pd.DataFrame, key: str) -> None:
    """One row per cell behind a finding: the month, what the check says (说明), the value
    with its unit and where it is (file, sheet, row, column). A static table, so that a long
    说明 or file name wraps onto more lines instead of being cut at a grid column's width
    (and the table prints); 50 cells a page."""
    indicator = cells["indicator"].map(lambda i: _indicator_name(i))
    table = pd.DataFrame({
        "period": cells["period"].map(lambda p: "" if pd.isna(p) else (f"{p.year}年{p.month}月" if lang() == "zh"
                                                                       else f"{p:%Y-%m}")),
        "park": cells["park"], "indicator": indicator.where(cells["check_id"] != "breakdown_sum", t("产业结构", "Breakdown")),
        "detail": cells["detail"].where(cells["detail"].notna(), cells["message"]),
        "value": cells["value"] if "value" in cells else float("nan"),
        "unit": cells["unit"] if "unit" in cells else None,
        "file": cells["file_name"], "sheet": cells["sheet"], "row": cells["row_no"], "column": cells["column_ref"],
    })
    if lang() != "zh":
        table["column"] = table["column"].map(findings_en.column)
        table["detail"] = table["detail"].map(findings_en.detail_or_as_written)
    if table["value"].isna().all():  # stored warnings keep the value in their detail only
        table = table.drop(columns=["value", "unit"])
    if "upload_id" in cells:
        table["upload"] = cells["upload_id"]
    headers = {"period": t("统计期", "Period"), "park": t("园区", "Park"), "indicator": t("指标", "Indicator"),
               "detail": t("说明", "Detail"), "value": t("数值（单位见右列）", "Value (unit at right)"),
               "unit": t("单位", "Unit"), "file": t("文件", "File"), "sheet": t("工作表", "Sheet"),
               "row": t("行号", "Row"), "column": t("列", "Column"), "upload": t("上传编号", "Upload")}
    formats = {"value": "{:,.2f}", "row": "{:.0f}", "upload": "#{:.0f}"}
    page = paginate(table.reset_index(drop=True), f"{key}:cells_page", size=CELLS_PAGE_SIZE)
    st.table(page.rename(columns=headers).style.hide(axis="index").format(
        {headers[k]: f for k, f in formats.items() if k in page}, na_rep=""))


def _indicator_name(indicator) -> str:
    if not isinstance(indicator, str):
        return ""
    ind = INDICATOR_BY_ID.get(indicator)
    return (ind.zh if lang() == "zh" else ind.en) if ind else indicator
