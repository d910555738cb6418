"""综合评价 · 企业: the chosen scheme scored over the firms of the parks the account
may see (docs/enterprises.md rule 5), with the population options, class cut-offs,
the result table, 调档 (管理 only), the class history and the Excel download.
Every number comes from parkbench.models.firm_evaluation."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from parkbench.models import evaluation as ev
from parkbench.models import firm_evaluation as fe
from parkbench.output.evaluation_export import firm_evaluation_xlsx
from parkbench.store.accounts import Account
from ui import data
from ui.format import period as period_text
from ui.format import plain
from ui.i18n import lang, t

PAGE = "evaluation:firms"


def readable_parks(account: Account | None) -> list[str]:
    """The parks with firm rows whose firms the account may see (none: the page offers no 企业 mode)."""
    return [] if account is None else data.query("firm_parks", reader=account)


def population_form(parks: list[str], scheme: ev.Scheme) -> fe.Population:
    """The population options and class cut-offs, as chosen on the page."""
    with st.expander(t("参评范围与定级规则", "Population and classes"), expanded=False):
        chosen = st.multiselect(t("园区（不选为全部）", "Parks (none: all)"), parks, key=f"{PAGE}:parks")
        cols = st.columns(3)
        above = cols[0].checkbox(t("仅规上企业", "Above-scale firms only"), key=f"{PAGE}:above")
        min_land = cols[1].number_input(t("最小用地面积（亩，0 为不限）", "Minimum land (mu, 0: any)"), 0.0,
                                        value=0.0, step=1.0, key=f"{PAGE}:min_land")
        new_years = cols[2].checkbox(t("投产不满两年（数据起始不满 24 个月）的不定等级（T）",
                                       "Under two years in production (figures for under 24 months): T"), True,
                                     help=t("以企业在本库的首个数据月份为起点；园区企业数据首月即有数据的企业起点未知，照常定级。",
                                            "Judged from a firm's first month of figures here; firms present from "
                                            "their park's first month of firm figures are classed as usual."),
                                     key=f"{PAGE}:new")
        utilities = st.checkbox(t("公用事业（电力、燃气、水，行业大类 44–46）不定等级（T）",
                                  "Utilities (power, gas, water: divisions 44–46): T"), True, key=f"{PAGE}:utilities")
        by_text = {"rank": t("按名次百分比", "by rank (percent)"), "score": t("按得分分数线", "by score (points)")}
        class_by = st.radio(t("定级方式", "Classes"), list(fe.CLASS_BY), horizontal=True, key=f"{PAGE}:class_by",
                            format_func=lambda v: by_text[v])
        defaults = scheme.classes if class_by == "rank" else (120.0, 100.0, 80.0)
        cuts = st.columns(3)
        unit = t("名次前 %", "top % of ranks") if class_by == "rank" else t("最低得分", "lowest score")
        a, b, c = (column.number_input(f"{name}（{unit}）" if lang() == "zh" else f"{name} ({unit})",
                                       value=float(default), step=1.0, key=f"{PAGE}:{name.lower()}:{class_by}")
                   for column, name, default in zip(cuts, "ABC", defaults, strict=True))
    return fe.Population(parks=tuple(chosen) or None, above_scale_only=above, min_land=min_land or None,
                         utilities_not_classed=utilities, new_months=fe.NEW_MONTHS if new_years else None,
                         class_by=class_by, cuts=(a, b, c))


def result_table(scheme: ev.Scheme, results: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """The table shown: numbers as numbers (sortable), units in the column names."""
    table = pd.DataFrame({
        "rank": results["rank"].astype("Int64"),
        "enterprise": results["enterprise"],
        "park": results["park"],
        "credit_code": results["credit_code"],
        "industry": results["industry"],
        "land_area": results["land_area"],
        "tax_ytd": results["tax_ytd"],
        "tax_per_mu": results["tax_per_mu"],
    })
    config: dict = {
        "rank": st.column_config.NumberColumn(t("名次", "Rank"), width="small"),
        "enterprise": t("企业名称", "Enterprise"), "park": t("园区", "Park"),
        "credit_code": t("统一社会信用代码", "Credit code"), "industry": t("行业", "Industry"),
        "land_area": st.column_config.NumberColumn(t("用地面积（亩）", "Land (mu)"), format="%.2f"),
        "tax_ytd": st.column_config.NumberColumn(t("税收（万元）", "Tax (10k yuan)"), format="%.2f"),
        "tax_per_mu": st.column_config.NumberColumn(t("亩均税收（万元/亩）", "Tax per mu (10k yuan/mu)"), format="%.2f"),
    }
    for n, ind in enumerate(scheme.indicators, start=1):
        if ind.metric in ("land_area", "tax_ytd", "tax_per_mu"):
            continue
        table[f"v{n}"] = results[f"value_{n}"]
        config[f"v{n}"] = st.column_config.NumberColumn(ev.indicator_label(ind, lang()), format="%.2f")
    table["score"] = results["score"]
    table["initial"] = results["initial_class"].fillna(t("未参评", "not evaluated"))
    table["final"] = results["class"].fillna(t("未参评", "not evaluated"))
    table["reason"] = [r if isinstance(r, str) else fe.not_classed_text(n, lang()) or None
                       for r, n in zip(results["adjust_reason"], results["not_classed"], strict=True)]
    config.update({
        "score": st.column_config.NumberColumn(t("得分（分）", "Score (points)"), format="%.2f"),
        "initial": st.column_config.TextColumn(t("初评等级", "Initial class"), width="small"),
        "final": st.column_config.TextColumn(t("等级", "Class"), width="small"),
        "reason": st.column_config.TextColumn(t("调档理由 / 不定等级原因", "Reason"), width="large"),
    })
    return table, config


def render(scheme: ev.Scheme | None, chosen: dt.date | None, account: Account, parks: list[str]) -> None:
    """The 企业 mode of 综合评价."""
    if scheme is None or chosen is None:
        st.info(t("请先选择评价方案和评价期。", "Choose a scheme and a period first."))
        return
    population = population_form(parks, scheme)
    month = f"{chosen:%Y-%m}"
    try:
        scored = data.query("firm_scores", scheme=scheme, periods=[month], reader=account, population=population)
    except ev.SchemeError as exc:
        st.error(plain(exc))
        return
    results = data.query("firm_results", scored=scored, reader=account).drop(columns="period")
    if results.empty:
        st.info(t(f"{period_text(chosen)}没有可评价的企业数据（或没有可查看的园区企业）。",
                  f"No enterprise data to evaluate for {period_text(chosen)}."))
        return
    counts = results["class"].value_counts()
    st.subheader(t(f"{period_text(chosen)} 企业综合评价结果", f"Enterprise evaluation, {period_text(chosen)}"))
    classed = int(results["initial_class"].isin(ev.CLASSES).sum())
    st.caption(plain(t(
        f"方案：{scheme.name}；参评企业 {len(results)} 家，定级 {classed} 家；"
        f"A {counts.get('A', 0)}、B {counts.get('B', 0)}、C {counts.get('C', 0)}、D {counts.get('D', 0)}、"
        f"T（不定等级）{counts.get('T', 0)} 家。得分与园区评价同一算法：权重 × 数值 ÷ 基准。",
        f"Scheme: {scheme.display_name(lang())}; {len(results)} firms, {classed} classed; "
        f"A {counts.get('A', 0)}, B {counts.get('B', 0)}, C {counts.get('C', 0)}, D {counts.get('D', 0)}, "
        f"T (not classed) {counts.get('T', 0)}. Scored as parks are: weight × value ÷ benchmark.")))
    table, config = result_table(scheme, results)
    st.dataframe(table, hide_index=True, column_config=config, height=min(35 * (len(table) + 1) + 3, 600))
    # the parks actually evaluated: those chosen, else every park this account may see firms of
    scope = "、".join(population.parks or parks)
    st.download_button(t("导出 Excel（公示格式）", "Export Excel (publication layout)"),
                       data=lambda: firm_evaluation_xlsx(scheme, chosen, scope, results, population, dt.date.today()),
                       file_name=f"企业综合评价_{month}.xlsx", icon=":material/download:", key=f"{PAGE}:xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")

    st.subheader(t("调档", "Adjust a class"))
    if not account.is_admin:
        st.info(t("只有“管理”账户可以调档。", "Only 管理 (admin) accounts may adjust classes."))
    elif scheme.scheme_id is None:
        st.info(t("只能对已保存的评价方案调档。", "Only a saved scheme can be adjusted."))
    else:
        adjust_form(scheme, month, results, account, population)
    audit = data.query("firm_adjustments", scheme_id=scheme.scheme_id, periods=[chosen], reader=account)
    if not audit.empty:
        st.dataframe(pd.DataFrame({
            "at": [f"{v:%Y-%m-%d %H:%M}" for v in audit["adjusted_at"]], "by": audit["adjusted_by"],
            "enterprise": audit["enterprise"], "from": audit["from_class"], "to": audit["to_class"],
            "reason": audit["reason"]}), hide_index=True, column_config={
            "at": t("时间", "When"), "by": t("调整人", "Who"), "enterprise": t("企业", "Enterprise"),
            "from": t("调整前", "From"), "to": t("调整后", "To"), "reason": t("理由", "Reason")})

    st.subheader(t("历年等级", "Class history"))
    if st.toggle(t("计算历年同月等级（同一方案、同一参评规则）", "Compute the class at the same month of every year"),
                 key=f"{PAGE}:history"):
        history = data.query("firm_class_history", scheme=scheme, period=month, reader=account, population=population)
        years = [c for c in history.columns if c.isdigit()]
        shown = history[["enterprise", "park", *years, "years_in_d"]].copy()
        st.dataframe(shown, hide_index=True, column_config={
            "enterprise": t("企业名称", "Enterprise"), "park": t("园区", "Park"),
            "years_in_d": st.column_config.NumberColumn(t("连续 D 档（年）", "Years in D in a row"))})
        repeat = int((history["years_in_d"] >= 2).sum())
        if repeat:
            st.warning(t(f"连续两年及以上 D 档的企业 {repeat} 家。", f"{repeat} firms in D two years or more in a row."))


def adjust_form(scheme: ev.Scheme, month: str, results: pd.DataFrame, account: Account,
                population: fe.Population) -> None:
    shown = results[results["class"].notna()]
    labels = {int(e): f"{n}（{c}）" for e, n, c in zip(shown["enterprise_id"], shown["enterprise"], shown["class"],
                                                       strict=True)}
    with st.form(f"{PAGE}:adjust_form"):
        cols = st.columns([3, 1, 2])
        firm = cols[0].selectbox(t("企业", "Enterprise"), list(labels), format_func=lambda e: labels[e])
        to_class = cols[1].selectbox(t("调整为", "Move to"), list(ev.CLASSES))
        signed = "" if account.username == "本机" else account.label
        by = cols[2].text_input(t("调整人", "Adjusted by"), max_chars=40, value=signed, disabled=bool(signed))
        reason = st.text_area(t("调档理由（必填）", "Reason (required)"), max_chars=500)
        if st.form_submit_button(t("确认调档", "Adjust class")):
            try:
                row = data.adjust_firm_class(scheme, month, firm, to_class, reason, signed or by, account, population)
                st.session_state[f"{PAGE}:adjusted"] = t(
                    f"已将“{row['enterprise']}”由 {row['from_class']} 调整为 {row['to_class']}。",
                    f"Moved “{row['enterprise']}” from {row['from_class']} to {row['to_class']}.")
                st.rerun()
            except ev.SchemeError as exc:
                st.error(plain(exc))
    if f"{PAGE}:adjusted" in st.session_state:
        st.success(plain(st.session_state.pop(f"{PAGE}:adjusted")))
