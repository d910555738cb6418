"""综合评价: a scheme's weighted score, rank and class per park for a month and
peer set, with the stacked bar of scores, class moves since a year earlier,
调档 with its audit list, the publication workbook, the scheme editor and the
预警 thresholds. Every number comes from parkbench.models.evaluation / alerts."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from parkbench.catalog import METRIC_BY_ID, metric_label
from parkbench.models import checks
from parkbench.models import evaluation as ev
from parkbench.models.alerts import SETTINGS, SettingsError
from parkbench.output.evaluation_chart import score_bars
from parkbench.output.evaluation_export import evaluation_xlsx
from parkbench.store import accounts
from ui import auth, data, firm_evaluation, state, widgets
from ui.format import period as period_text
from ui.format import plain
from ui.i18n import lang, t
from ui.shell import benchmark_page

PAGE = "evaluation"
version, parks = benchmark_page(
    PAGE, t("综合评价", "Evaluation"),
    t("还没有数据。请先在“上传数据”页上传园区统计报表（Excel 或 CSV）。",
      "No data yet. Upload statistics sheets (Excel or CSV) first."))
zh = lang() == "zh"
MISSING = t("缺报", "not reported")
ABOVE_100 = t("每项指标以基准（如参评平均）为满分权重：数值高于基准的园区该项得分超过权重，总分因此可超过 100。",
              "Each indicator is scored against its benchmark (e.g. the peer average) as its full weight: a park "
              "above the benchmark scores more than the weight, so a total can exceed 100.")

schemes = data.query("schemes")
groups = data.query("peer_groups")
months = sorted(data.query("periods"))

top = st.columns([3, 2, 3])
scheme_ids = [s.scheme_id for s in schemes]
by_id = {s.scheme_id: s for s in schemes}
PENDING = f"{PAGE}:select_scheme"  # a scheme just saved or deleted: chosen before the selectbox is drawn
if PENDING in st.session_state:
    st.session_state[f"{PAGE}:scheme"] = st.session_state.pop(PENDING)
if f"{PAGE}:scheme" in st.session_state and st.session_state[f"{PAGE}:scheme"] not in scheme_ids:
    del st.session_state[f"{PAGE}:scheme"]
# labels made now, in this run's language (a format_func is also called outside the run)
shown_names = {s.scheme_id: s.display_name(lang()) for s in schemes}
scheme_id = top[0].selectbox(t("评价方案", "Scheme"), scheme_ids, key=f"{PAGE}:scheme",
                             format_func=lambda i: shown_names[i], placeholder=t("（没有方案）", "(no scheme)"))
every_park = t("本期有数值的园区", "Parks with a value this month")
group = state.choose("group", t("对标范围", "Peer set"), [None, *sorted(groups)], page=PAGE, container=top[1],
                     format_func=lambda g: every_park if g is None else g)
month_names = {m: period_text(m) for m in months}
chosen = state.choose_slider("period", t("评价期", "Period"), months, page=PAGE, container=top[2],
                             format_func=lambda m: month_names[m])
scheme = by_id.get(scheme_id)
peer_set = group or t("本期有数值的园区", "parks with a value this month")

ACCOUNT = auth.current()
ADMIN = ACCOUNT is not None and ACCOUNT.is_admin  # 管理 (or the open local app) edits schemes, thresholds and classes
SIGNED_IN = "" if ACCOUNT is None or ACCOUNT.username == accounts.OPEN_USER else ACCOUNT.label
ADMIN_ONLY = t("只有“管理”账户可以修改评价方案、预警阈值和调档；此处仅供查看。",
               "Only 管理 (admin) accounts may change schemes, thresholds and classes.")

# 评价对象: parks, or the firms of the parks this account may see (docs/enterprises.md rule 5)
FIRM_PARKS = firm_evaluation.readable_parks(ACCOUNT)
OBJECT_TEXT = {"parks": t("园区", "Parks"), "firms": t("企业", "Enterprises")}
if FIRM_PARKS:
    target = st.segmented_control(t("评价对象", "Evaluate"), list(OBJECT_TEXT), default="parks",
                                  format_func=lambda v: OBJECT_TEXT[v], key=f"{PAGE}:object")
    if target == "firms":
        firm_evaluation.render(scheme, chosen, ACCOUNT, FIRM_PARKS)
        st.stop()
tab_result, tab_adjust, tab_scheme, tab_alerts = st.tabs([
    t("评价结果", "Results"), t("调档与公示记录", "Adjustments"), t("评价方案设置", "Schemes"),
    t("预警设置", "Alert settings")])


# ---------------------------------------------------------------- helpers

def benchmark_text(ind: ev.SchemeIndicator, value: float | None) -> str:
    kind = {"mean": t("参评平均", "peer mean"), "max": t("参评最优", "best of peers")}.get(
        ind.benchmark_kind, t("固定值", "fixed"))
    shown = t("无", "none") if value is None else ev.plain_number(value)
    return f"{shown}（{kind}）" if zh else f"{shown} ({kind})"


def move_text(move) -> str:
    if move is None or pd.isna(move):
        return t("上年同期未参评", "not evaluated a year earlier")
    move = int(move)
    if move > 0:
        return t(f"↑ 升 {move} 档", f"↑ up {move}")
    if move < 0:
        return t(f"↓ 降 {-move} 档", f"↓ down {-move}")
    return t("持平", "same")


def indicator_names(scheme: ev.Scheme) -> dict[str, str]:
    return {i.metric: i.name(lang()) for i in scheme.indicators}


def names_text(metrics: list[str], names: dict[str, str]) -> str:
    return t("、", ", ").join(names.get(m, m) for m in metrics)


def result_table(scheme: ev.Scheme, results: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Formatted text per cell (缺报 where unknown, never 0) and the column labels:
    the result first (rank, park, total, classes), then each indicator's value → score."""
    names = indicator_names(scheme)
    table = pd.DataFrame({
        "rank": results["rank"].astype(int),
        "park": results["park"],
        "total": [f"{v:.2f}" for v in results["total"]],  # two decimals: close totals must not look tied
        "initial": results["initial_class"],
        "final": results["final_class"],
    })
    config: dict = {
        "rank": st.column_config.NumberColumn(t("名次", "Rank"), width="small"),
        "park": t("园区", "Park"),
        "total": st.column_config.TextColumn(t("综合得分（分）", "Total (points)"), help=ABOVE_100),
        "initial": st.column_config.TextColumn(t("初评", "Initial"), width="small"),
        "final": st.column_config.TextColumn(t("调整后", "Adjusted"), width="small"),
    }
    points = t("分", "pts")
    for n, ind in enumerate(scheme.indicators, start=1):
        # one column per indicator: the value, then its score; 缺报 has neither (it never scores 0)
        table[f"i{n}"] = [MISSING if pd.isna(v) else f"{v:,.2f} → {s:.1f}"
                          for v, s in zip(results[f"value_{n}"], results[f"score_{n}"], strict=True)]
        unit = ind.unit_text(lang())
        config[f"i{n}"] = st.column_config.TextColumn(
            ev.indicator_label(ind, lang()),
            help=t(f"数值（{unit}）→ 得分（{points}，权重 {ind.weight:g}；有缺报的园区按比例放大）",
                   f"value ({unit}) → score ({points}, weight {ind.weight:g}; scaled up for a park with "
                   "an indicator not reported)"))
    table["missing"] = [names_text(ms, names) or "—" for ms in results["missing"]]
    config["missing"] = st.column_config.TextColumn(t("缺报指标", "Not reported"))
    return table, config


def park_names(parks: list[str]) -> str:
    """甲、乙、丙 — at most ten named (…等 1000 个园区), park names as typed."""
    if zh:
        return checks.park_list(parks)
    named = ", ".join(parks[:checks.PARKS_NAMED])
    return named if len(parks) <= checks.PARKS_NAMED else f"{named}… {len(parks):,} parks in all"


def not_evaluated_lines(scheme: ev.Scheme, missed: pd.DataFrame) -> str:
    """Why: the parks — one group per reason (and per set of 缺报 indicators)."""
    names = indicator_names(scheme)
    groups: dict[tuple, list[str]] = {}
    for park, reason, missing in missed.itertuples(index=False):
        groups.setdefault((ev.NOT_EVALUATED.index(reason), reason, tuple(missing)), []).append(park)
    return t("；", "; ").join(
        f"{ev.not_evaluated_text(reason, [names.get(m, m) for m in missing], lang())}{t('：', ': ')}"
        f"{park_names(parks)}" for (_, reason, missing), parks in sorted(groups.items()))


def show_not_evaluated(scheme: ev.Scheme, missed: pd.DataFrame) -> None:
    if missed.empty:
        return
    st.warning(plain(t(f"未参评园区 {len(missed)} 个（不计分、不排名、不定等级）：",
                       f"Not evaluated: {len(missed)} parks (no score, rank or class): ")
                     + not_evaluated_lines(scheme, missed)))


CLASS_COLOURS = {"A": "#CFE8F7", "B": "#E3F1E0", "C": "#FCEBC7", "D": "#F6D2C4"}


def colour_class(value):
    return f"background-color: {CLASS_COLOURS[value]}" if value in CLASS_COLOURS else ""


# ---------------------------------------------------------------- results

with tab_result:
    if scheme is None:
        st.info(t("还没有评价方案。请在“评价方案设置”中新建一个。", "No scheme yet. Create one under Schemes."))
    elif chosen is None:
        st.info(t("没有可评价的期间。", "No period to evaluate."))
    else:
        month = f"{chosen:%Y-%m}"
        long = data.query("evaluation", scheme=scheme, period=month, group=group)
        missed = ev.not_evaluated(long)
        rule_text = t("缺报指标的处理：", "Indicators not reported: ") + ev.missing_rule_text(scheme.missing_rule, lang())
        if ev.evaluated(long).empty:
            st.info(t(f"{period_text(chosen)}没有参评园区的数据。", f"No park has data for {period_text(chosen)}."))
            show_not_evaluated(scheme, missed)
            st.caption(rule_text)
        else:
            results = data.query("evaluation_results", scheme=scheme, period=month, group=group, long=long)
            benchmarks = ev.benchmarks(long)
            a, b, c = scheme.classes
            n = len(results)
            counts = results["final_class"].value_counts()
            st.subheader(t(f"{period_text(chosen)} 综合评价结果", f"Evaluation, {period_text(chosen)}"))
            shown_name = scheme.display_name(lang())
            st.caption(plain(t(
                f"方案：{shown_name}；对标范围：{peer_set}；参评园区 {n} 个。等级按综合得分名次：名次 ≤ ⌈{n}×{a:g}%⌉ 为 A，"
                f"≤ ⌈{n}×{b:g}%⌉ 为 B，≤ ⌈{n}×{c:g}%⌉ 为 C，其余为 D；得分相同名次并列。调整后：A {counts.get('A', 0)} 个，"
                f"B {counts.get('B', 0)} 个，C {counts.get('C', 0)} 个，D {counts.get('D', 0)} 个。",
                f"Scheme: {shown_name}; peers: {peer_set}; {n} parks. Classes by rank: A if rank ≤ ⌈{n}×{a:g}%⌉, "
                f"B ≤ ⌈{n}×{b:g}%⌉, C ≤ ⌈{n}×{c:g}%⌉, else D; equal totals share a rank.")))
            widgets.peer_scope(chosen, group)
            table, config = result_table(scheme, results)
            styled = table.style.map(colour_class, subset=["initial", "final"])
            st.dataframe(styled, hide_index=True, column_config=config, height=min(35 * (len(table) + 1) + 3, 720))
            gaps: dict[str, list[str]] = {}  # the same missing indicators → the parks lacking them
            for park, lacking in zip(table["park"], table["missing"], strict=True):
                if lacking != "—":
                    gaps.setdefault(lacking, []).append(park)
            if gaps:
                everyone = t("全部参评园区", "every park")
                st.warning(plain(t("缺报：", "Not reported: ") + t("；", "; ").join(
                    f"{everyone if len(ps) == n else park_names(ps)}{t('：', ': ')}{lacking}"
                    for lacking, ps in gaps.items()) + t("。", ". ") + rule_text + t("。", ".")))
            show_not_evaluated(scheme, missed)
            bench_lines = [f"{ev.indicator_label(i, lang())} — {t('权重', 'weight')} {i.weight:g}{t('，', ', ')}"
                           f"{t('基准', 'benchmark')} {benchmark_text(i, benchmarks.get(k))}"
                           + (t("，越低越好", ", lower is better") if i.direction == "lower" else "")
                           + (t(f"，比值封顶 {i.cap:g}", f", ratio capped at {i.cap:g}") if i.cap is not None else "")
                           for k, i in enumerate(scheme.indicators, start=1)]
            st.caption(t("指标列为“数值 → 得分”。得分 = 权重 × 数值 ÷ 基准（越低越好的指标为 基准 ÷ 数值），"
                         "比值不低于 0。",
                         "Indicator columns read “value → score”. Score = weight × value ÷ benchmark (benchmark ÷ "
                         "value when lower is better), never below 0. ")
                       + ABOVE_100 + t("", " ") + rule_text + t("。", ".")
                       + "  \n" + "  \n".join(plain(line) for line in bench_lines))

            chart = score_bars(long, scheme, period_text(chosen), lang())
            widgets.chart(chart, f"{PAGE}:bars", (t("综合评价", "evaluation"), shown_name, period_text(chosen)),
                          selectable=False)

            st.subheader(t("与上年同期相比的等级变化", "Class moves since a year earlier"))
            moves = data.query("class_moves", scheme=scheme, period=month, group=group)
            previous = ev.previous_year(chosen)
            st.dataframe(pd.DataFrame({
                "park": moves["park"],
                "previous": moves["previous"].fillna("—"),
                "current": moves["current"],
                "move": [move_text(m) for m in moves["move"]],
            }), hide_index=True, column_config={
                "park": t("园区", "Park"),
                "previous": t(f"{period_text(previous)}等级", f"Class {period_text(previous)}"),
                "current": t(f"{period_text(chosen)}等级", f"Class {period_text(chosen)}"),
                "move": t("变化", "Move"),
            })
            st.caption(t("等级为调整后等级（无调档时即初评），同一方案、同一对标范围。",
                         "Classes after adjustment (the initial class where none), same scheme and peer set."))

            workbook = evaluation_xlsx(scheme, chosen, peer_set, results, benchmarks, dt.date.today(), missed)
            st.download_button(t("导出 Excel（公示格式）", "Export Excel (publication layout)"), data=workbook,
                               file_name=f"综合评价_{month}.xlsx", icon=":material/download:", key=f"{PAGE}:xlsx",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               on_click="ignore")


# ---------------------------------------------------------------- 调档

with tab_adjust:
    if scheme is None or chosen is None:
        st.info(t("请先选择评价方案和评价期。", "Choose a scheme and a period first."))
    else:
        month = f"{chosen:%Y-%m}"
        current = data.query("evaluation_results", scheme=scheme, period=month, group=group)
        st.caption(plain(t(
            f"对 {scheme.name}、{peer_set}、{period_text(chosen)} 的结果调档：初评保留，调整后等级生效，理由必填。",
            f"Adjust a class of {scheme.display_name(lang())}, {peer_set}, {period_text(chosen)}: the initial class is kept, "
            "a reason is required.")))
        if current.empty:
            st.info(t("该期间没有参评园区。", "No park evaluated in this period."))
        elif not ADMIN:
            st.info(ADMIN_ONLY)
        else:
            widgets.demo_settings_note("调档", "class adjustments")
            classes_now = dict(zip(current["park"], current["final_class"], strict=True))
            with st.form(f"{PAGE}:adjust_form", clear_on_submit=False):
                cols = st.columns([3, 1, 2])
                now_text = {p: t(f"{p}（现为 {c}）", f"{p} (now {c})") for p, c in classes_now.items()}
                park = cols[0].selectbox(t("园区", "Park"), list(classes_now), format_func=lambda p: now_text[p])
                to_class = cols[1].selectbox(t("调整为", "Move to"), list(ev.CLASSES))
                by = cols[2].text_input(t("调整人", "Adjusted by"), max_chars=40, value=SIGNED_IN,
                                        disabled=bool(SIGNED_IN))  # a signed-in account is who, not a typed name
                reason = st.text_area(t("调档理由（必填）", "Reason (required)"), max_chars=500,
                                      placeholder=t("例如：公示期异议复核，税收口径更正", "e.g. objection upheld"))
                if st.form_submit_button(t("确认调档", "Adjust class")):
                    try:
                        row = data.adjust_class(scheme, month, group, park, to_class, reason, SIGNED_IN or by)
                        # rerun so the results tab above shows 调整后 too; the message survives the rerun
                        st.session_state[f"{PAGE}:adjusted"] = t(
                            f"已将“{row['park']}”由 {row['from_class']} 调整为 {row['to_class']}。",
                            f"Moved “{row['park']}” from {row['from_class']} to {row['to_class']}.")
                        st.rerun()
                    except ev.SchemeError as exc:
                        st.error(plain(exc))
            if f"{PAGE}:adjusted" in st.session_state:
                st.success(plain(st.session_state.pop(f"{PAGE}:adjusted")))
        audit = data.query("adjustments", scheme_id=scheme.scheme_id, every_peer_set=True)
        st.subheader(t("调档记录", "Adjustment log"))
        if audit.empty:
            st.caption(t("本方案还没有调档记录。", "No adjustment for this scheme yet."))
        else:
            st.dataframe(pd.DataFrame({
                "at": [f"{v:%Y-%m-%d %H:%M}" for v in audit["adjusted_at"]],
                "by": audit["adjusted_by"],
                "period": [period_text(pd.Timestamp(p).date()) for p in audit["period"]],
                "peer_set": [p or t("本期有数值的园区", "parks with a value this month") for p in audit["peer_set"]],
                "park": audit["park"],
                "from": audit["from_class"],
                "to": audit["to_class"],
                "reason": audit["reason"],
            }), hide_index=True, column_config={
                "at": t("时间", "When"), "by": t("调整人", "Who"), "period": t("评价期", "Period"),
                "peer_set": t("对标范围", "Peer set"), "park": t("园区", "Park"),
                "from": t("调整前", "From"), "to": t("调整后", "To"),
                "reason": st.column_config.TextColumn(t("理由", "Reason"), width="large"),
            })


# ---------------------------------------------------------------- scheme editor

DIRECTION_TEXT = {"higher": t("越高越好", "higher is better"), "lower": t("越低越好", "lower is better")}
KIND_TEXT = {"mean": t("参评平均", "peer mean"), "max": t("参评最优", "best of peers"), "value": t("固定值", "fixed value")}
RULE_TEXT = {ev.RENORMALISE: t("按已报指标计分，权重按比例放大（默认）",
                               "score on the indicators reported, weights scaled up (default)"),
             ev.UNCLASSED: t("不定等级（列为未参评）", "leave the park unclassed (not evaluated)")}


def cell_number(text, row: int, what: str) -> float | None:
    """A number typed in the editor (empty: None), or SchemeError naming the row."""
    if text is None or (isinstance(text, float) and pd.isna(text)) or not str(text).strip():
        return None
    try:
        return float(str(text).strip().replace(",", "").replace("，", ""))
    except ValueError:
        raise ev.SchemeError(f"第 {row} 项指标的{what}“{text}”不是数字。") from None


def metric_choice(metric: str) -> str:
    """The editor's name for a metric: its label with unit (报送增速 included), else its id."""
    return metric_label(metric, lang())


PRESET_LABELS_ZH = {en: zh for zh, en in ev.PRESET_LABELS_EN.items()}


def label_shown(label: str | None) -> str:
    """A scheme's own name for an indicator: a preset's in English when asked, else as stored."""
    return (label or "") if zh else ev.PRESET_LABELS_EN.get(label or "", label or "")


def label_stored(text) -> str | None:
    """What the editor's name cell saves: a preset's name shown in English is stored as the preset's."""
    text = str(text or "").strip()
    return PRESET_LABELS_ZH.get(text, text) or None


def scheme_rows(scheme: ev.Scheme) -> pd.DataFrame:
    """The scheme's indicators as the editor (and the read-only view) shows them."""
    return pd.DataFrame({
        "metric": [metric_choice(i.metric) for i in scheme.indicators],
        "label": [label_shown(i.label) for i in scheme.indicators],
        "direction": [DIRECTION_TEXT[i.direction] for i in scheme.indicators],
        "weight": [float(i.weight) for i in scheme.indicators],
        "kind": [KIND_TEXT[i.benchmark_kind] for i in scheme.indicators],
        # numbers as text, so that an empty cell reads empty (a number column shows "None")
        "value": ["" if i.benchmark_value is None else f"{i.benchmark_value:g}" for i in scheme.indicators],
        "cap": ["" if i.cap is None else f"{i.cap:g}" for i in scheme.indicators],
    })


SCHEME_HEADERS = {"metric": ("指标", "Metric"), "label": ("方案中的名称", "Name in the scheme"),
                  "direction": ("方向", "Direction"), "weight": ("权重", "Weight"), "kind": ("基准", "Benchmark"),
                  "value": ("基准值", "Benchmark value"), "cap": ("比值封顶", "Ratio cap")}


def show_scheme(scheme: ev.Scheme | None) -> None:
    """The chosen scheme, read-only (for accounts that may not edit it)."""
    if scheme is None:
        st.info(t("还没有评价方案。", "No scheme yet."))
        return
    a, b, c = scheme.classes
    st.markdown(f"**{plain(scheme.display_name(lang()))}**")
    st.caption(t(f"等级：A 为前 {a:g}%，B 至 {b:g}%，C 至 {c:g}%，其余为 D（按参评园区得分排名）。",
                 f"Classes: A the top {a:g}%, B to {b:g}%, C to {c:g}%, D the rest (by score rank among the peers).")
               + t("缺报指标：", " Indicators not reported: ") + RULE_TEXT[scheme.missing_rule] + t("。", "."))
    st.dataframe(scheme_rows(scheme), hide_index=True, width="stretch", column_config={
        key: t(*headers) for key, headers in SCHEME_HEADERS.items()})


with tab_scheme:
    if not ADMIN:
        st.info(ADMIN_ONLY)
        show_scheme(scheme)
    else:
        widgets.demo_settings_note("评价方案", "schemes")
        known = data.query("metric_ids")
        choices = {metric_choice(m): m for m in [*METRIC_BY_ID, *known]}
        edit_text = {"current": t("当前方案", "the chosen scheme"), "new": t("新建方案", "a new scheme")}
        editing = st.radio(t("编辑", "Edit"), ["current", "new"], horizontal=True, key=f"{PAGE}:editing",
                           format_func=lambda v: edit_text[v])
        base = scheme if editing == "current" and scheme is not None else ev.Scheme(
            name="", indicators=[ev.SchemeIndicator("tax_per_mu", 100)])
        for ind in base.indicators:
            choices.setdefault(metric_choice(ind.metric), ind.metric)
        rows = scheme_rows(base)
        form_key = f"{PAGE}:scheme_form:{base.scheme_id if editing == 'current' else 'new'}"
        with st.form(form_key):
            cols = st.columns([4, 1, 1, 1])
            name = cols[0].text_input(t("方案名称", "Name"), value=base.name, max_chars=ev.MAX_NAME)
            a = cols[1].number_input(t("A：前（%）", "A: top (%)"), 1.0, 99.0, float(base.classes[0]), step=1.0)
            b = cols[2].number_input(t("B：至（%）", "B: to (%)"), 1.0, 100.0, float(base.classes[1]), step=1.0)
            c = cols[3].number_input(t("C：至（%）", "C: to (%)"), 1.0, 100.0, float(base.classes[2]), step=1.0)
            rule = st.radio(t("缺报指标的园区", "A park missing an indicator"), list(ev.MISSING_RULES), horizontal=True,
                            index=ev.MISSING_RULES.index(base.missing_rule), format_func=lambda r: RULE_TEXT[r],
                            help=t("默认按已报指标计分：只有园区报送的指标能计分，缺报的不计 0 分，"
                                   "其余指标权重按比例放大至 100。",
                                   "By default a park is scored on the indicators it reports: a missing one does not "
                                   "score 0; the others' weights are scaled up to 100."))
            edited = st.data_editor(rows, num_rows="dynamic", hide_index=True, width="stretch", column_config={
                "metric": st.column_config.SelectboxColumn(t("指标", "Metric"), options=list(choices), required=True,
                                                           width="medium"),
                "label": st.column_config.TextColumn(t("方案中的名称（可空）", "Name in the scheme (optional)")),
                "direction": st.column_config.SelectboxColumn(t("方向", "Direction"), options=list(DIRECTION_TEXT.values()),
                                                              required=True, default=DIRECTION_TEXT["higher"]),
                "weight": st.column_config.NumberColumn(t("权重", "Weight"), min_value=0.0, max_value=100.0, required=True),
                "kind": st.column_config.SelectboxColumn(t("基准", "Benchmark"), options=list(KIND_TEXT.values()),
                                                         required=True, default=KIND_TEXT["mean"]),
                "value": st.column_config.TextColumn(t("基准值（固定值时）", "Benchmark value (fixed)")),
                "cap": st.column_config.TextColumn(t("比值封顶（可空，如 1.2）", "Ratio cap (optional, e.g. 1.2)")),
            }, key=f"{form_key}:rows")
            st.caption(t("权重合计须为 100。基准“参评最优”取参评园区中最好的值（越低越好的指标取最小值）。"
                         "没有园区报送的指标保留在方案中，计为缺报。",
                         "Weights must sum to 100. 'Best of peers' is the largest value (the smallest when lower is "
                         "better). An indicator no park reports stays in the scheme and is listed as not reported."))

            buttons = st.columns([1, 1, 4])
            save = buttons[0].form_submit_button(t("保存方案", "Save"), type="primary")
            save_as = buttons[1].form_submit_button(t("另存为新方案", "Save as new"))
        if save or save_as:
            try:
                kinds = {v: k for k, v in KIND_TEXT.items()}
                directions = {v: k for k, v in DIRECTION_TEXT.items()}
                indicators = []
                for n, r in enumerate(edited.dropna(how="all").to_dict("records"), start=1):
                    kind = kinds.get(r.get("kind"), "mean")
                    value = cell_number(r.get("value"), n, t("基准值", "benchmark value"))
                    if kind == "value" and value is None:
                        raise ev.SchemeError(f"第 {n} 项指标选择了固定值基准，请填写基准值。")
                    indicators.append(ev.SchemeIndicator(
                        metric=choices.get(r.get("metric"), r.get("metric") or ""),
                        weight=0 if pd.isna(r.get("weight")) else float(r["weight"]),
                        benchmark=value if kind == "value" else kind,
                        cap=cell_number(r.get("cap"), n, t("比值封顶", "ratio cap")),
                        direction=directions.get(r.get("direction"), "higher"),
                        label=label_stored(r.get("label")),
                        unit=None))
                keep_units = {i.metric: i.unit for i in base.indicators}
                for ind in indicators:
                    ind.unit = keep_units.get(ind.metric)
                new = ev.Scheme(name=name, indicators=indicators, classes=(a, b, c), note=base.note, missing_rule=rule,
                                scheme_id=base.scheme_id if (save and editing == "current") else None)
                saved_id = data.save_scheme(new)
                st.session_state[PENDING] = saved_id
                st.session_state[f"{PAGE}:saved"] = new.name
                st.rerun()
            except ev.SchemeError as exc:
                st.error(plain(exc))
        if st.session_state.get(f"{PAGE}:saved"):
            st.success(t(f"已保存评价方案“{plain(st.session_state.pop(f'{PAGE}:saved'))}”。", "Scheme saved."))
        if editing == "current" and scheme is not None:
            with st.expander(t("删除当前方案", "Delete the chosen scheme")):
                st.caption(t("删除后不可恢复；调档记录保留。", "Cannot be undone; adjustments stay in the log."))
                if st.button(plain(t(f"删除“{scheme.name}”", f"Delete “{scheme.display_name(lang())}”")),
                             key=f"{PAGE}:delete"):
                    data.delete_scheme(scheme.scheme_id)
                    st.session_state[PENDING] = None
                    st.rerun()


# ---------------------------------------------------------------- alert thresholds

with tab_alerts:
    if not ADMIN:
        st.info(ADMIN_ONLY)
        in_force = data.query("alert_settings")
        st.dataframe(pd.DataFrame({
            t("规则", "Rule"): [s.zh if zh else s.en for s in SETTINGS],
            t("阈值", "Threshold"): [f"{in_force[s.key]:g}" for s in SETTINGS],
        }), hide_index=True, width="stretch")
    else:
        widgets.demo_settings_note("预警阈值", "alert thresholds")
        current_settings = data.query("alert_settings")
        st.caption(t("预警规则的阈值集中在这里设置，首页和简报的预警列表都按这些阈值计算。",
                     "All alert thresholds are set here; the home page and the briefing use them."))
        with st.form(f"{PAGE}:alerts_form"):
            cols = st.columns(len(SETTINGS))
            values = {}
            for col, s in zip(cols, SETTINGS, strict=True):
                values[s.key] = col.number_input(s.zh if zh else s.en, min_value=float(s.minimum),
                                                 max_value=float(s.maximum), value=float(current_settings[s.key]),
                                                 step=1.0, format="%.0f" if s.key == "falling_months" else "%.1f")
            if st.form_submit_button(t("保存预警设置", "Save thresholds")):
                try:
                    data.save_alert_settings(values)
                    st.success(t("已保存预警设置。", "Thresholds saved."))
                except SettingsError as exc:
                    st.error(plain(exc))
