"""The 主导产业 page's leading groups by industry code (docs/enterprises.md rule 4):
for a park with enterprise rows, per leading group at a month — 户, output,
share of the park's output, 累计同比 — with the codes as GB/T 4754-2017 names;
the editor of the park's groups and of the name → code table, for 管理 accounts
(or everyone while the app runs open, as the evaluation settings). Every number
and every check comes from parkbench.models.leading."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from parkbench.errors import LeadingError
from parkbench.models import enterprises, leading
from parkbench.output.tables import Column
from ui import auth, data, tables, widgets
from ui.format import period as period_text
from ui.format import plain
from ui.i18n import lang, t

FIGURE_COLUMNS = [
    Column("group_name", "主导产业", "Leading industry"),
    Column("codes", "行业代码（GB/T 4754-2017）", "Industry codes (GB/T 4754-2017)"),
    Column("valid_from", "起始年月", "From (month)"),
    Column("firms", "规上企业数（户）", "Firms above scale", "int"),
    Column("output", "工业总产值 1-本月（万元）", "Output, year to date (10k yuan)", "num0"),
    Column("share", "占园区产值比重（%）", "Share of park output (%)", "pct"),
    Column("growth", "累计同比（%）", "Year-to-date growth (%)", "pct"),
]
SAVED = "_leading_saved"  # session: the sentence of the last save, shown after the rerun
NAMES_SAVED = "_leading_names_saved"


def section(page: str, highlight: str | None) -> None:
    """The whole section: the park's groups at a month, then the editors."""
    st.subheader(t("主导产业（按行业代码，由企业汇总）", "Leading industries by industry code (from firms)"))
    parks = data.query("leading_parks")
    if not parks:
        st.info(t("还没有企业数据。上传企业名录（N5）、企业台账或联网直报（N1、N2）和主导产业目录（N6）后，"
                  "这里按主导产业列出规上企业数、产值、占比和累计同比。",
                  "No enterprise rows yet. Upload a register (N5), enterprise ledgers (N1, N2) and a "
                  "leading-industry list (N6) to see firms, output, share and growth per leading industry."))
        return
    park = st.selectbox(t("园区（有企业数据）", "Park (with enterprise rows)"), parks, key=f"{page}:leading_park",
                        index=parks.index(highlight) if highlight in parks else 0)
    codes = data.query("industry_codes")
    _figures(page, park, codes)
    _group_editor(page, park, codes)
    _name_code_editor(page, codes)


def _figures(page: str, park: str, codes: pd.DataFrame) -> None:
    months = data.query("leading_periods", park=park)
    if not months:
        st.info(t("该园区还没有由企业汇总的 1-本月工业总产值：主导产业按累计口径列出，只有某一个月的本月值时，"
                  "累计要从 1 月起逐月连续才能推出。",
                  "This park has no year-to-date output summed from its firms yet: leading industries are shown "
                  "year to date, which one month's values alone do not give (every month from January is needed)."))
        return
    chosen = st.selectbox(t("统计期", "Period"), months, key=f"{page}:leading_period:{park}",
                          format_func=period_text)
    figures = data.query("leading_figures", park=park, period=chosen)
    if figures.empty:
        st.info(t("该期没有主导产业目录。管理账户可在下方设置主导产业。",
                  "No leading-industry list for this month. An admin can set one below."))
        return
    shown = figures.assign(codes=[leading.prefix_names(p, codes) for p in figures["prefixes"]],
                           valid_from=[f"{pd.Timestamp(v):%Y-%m}" for v in figures["valid_from"]],
                           firms=figures["firms"].astype("float64"), output=figures["output"].astype("float64"),
                           share=figures["share"].astype("float64"), growth=figures["growth"].astype("float64"))
    tables.show(shown, FIGURE_COLUMNS, key=f"{page}:leading", title=t("主导产业（按行业代码）", "Leading industries"),
                meta=[t(f"园区：{park}", f"Park: {park}"),
                      t(f"统计期：{period_text(chosen)}", f"Period: {period_text(chosen)}")],
                name_parts=(t("主导产业", "leading_industries"), park, period_text(chosen)))
    st.caption(t("产值为该期在园区名录上的规上企业 1-本月 工业总产值之和，任一企业缺值则为未报送；"
                 "累计同比以同一批企业的上年同期（或其上年的累计值）为基数。"
                 "一家企业的行业代码落在两个主导产业中时两边都计入。",
                 "Output is the year-to-date output of the firms above scale on the park's register that month "
                 "(not reported if any firm lacks it); growth is over the same firms' prior-year values. "
                 "A firm whose code falls in two groups counts in both."))
    for line in enterprises.composition_sentences(figures, lang()):
        st.markdown(f"- {plain(line)}")
    _top_contributors(page, park, chosen)


TOP_COLUMNS = [
    Column("enterprise", "企业名称", "Firm"),
    Column("group", "产业类别", "Industry group"),
    Column("value", "1-本月（万元）", "Year to date (10k yuan)", "num1"),
    Column("share", "占园区（%）", "Share of the park (%)", "pct"),
]


def _top_contributors(page: str, park: str, chosen) -> None:
    """The five firms with the most output and the most tax, for an account that
    may see this park's firms (docs/enterprises.md rule 5); nothing for others."""
    account = auth.current()
    if account is None or park not in data.query("firm_parks", reader=account):
        return
    firms = data.query("park_firms", reader=account, park=park, period=chosen)
    totals = {r.indicator: r.park for r in data.query("firm_totals", reader=account, park=park,
                                                      period=chosen).itertuples()}
    st.markdown(f"**{t('贡献最大的企业', 'Top contributors')}**")
    columns = st.columns(2)
    for column, (field, indicator, zh, en) in zip(columns, (("output_ytd", "output", "产值", "output"),
                                                            ("tax_ytd", "tax", "税收", "tax")), strict=True):
        top = enterprises.top_contributors(firms, field, totals.get(indicator))
        shown = top.assign(value=top[field].astype("float64"),
                           group=top["leading_group"].fillna(t(*enterprises.NOT_LEADING)))
        with column:
            tables.show(shown, [TOP_COLUMNS[0], TOP_COLUMNS[1],
                                Column("value", f"{zh} 1-本月（万元）", f"{en.capitalize()} YTD (10k yuan)", "num1"),
                                Column("share", f"占园区{zh}（%）", f"Share of the park's {en} (%)", "pct")],
                        key=f"{page}:top_{indicator}", title=t(f"{zh}前五位企业", f"Top five firms by {en}"),
                        meta=[t(f"园区：{park}", f"Park: {park}"),
                              t(f"统计期：{period_text(chosen)}", f"Period: {period_text(chosen)}")],
                        name_parts=(park, t(f"{zh}前五位企业", f"top_{en}"), period_text(chosen)))


def _may_edit():
    """The account that may edit (管理, or the open local app), else None."""
    account = auth.current()
    return account if account is not None and account.is_admin else None


def _group_editor(page: str, park: str, codes: pd.DataFrame) -> None:
    st.markdown(f"**{t('主导产业目录', 'Leading-industry list')}：{plain(park)}**")
    current = data.query("leading_groups", park=park)
    rows = pd.DataFrame({"group": pd.Series([g.name for g in current], dtype="object"),
                         "codes": pd.Series(["、".join(g.prefixes) for g in current], dtype="object"),
                         "start": pd.Series([f"{g.valid_from:%Y-%m}" for g in current], dtype="object")})
    headers = {"group": t("主导产业名称", "Leading industry"),
               "codes": t("行业代码前缀（如 C13、14 或 33-40，C 为整个门类）",
                          "Code prefixes (e.g. C13, 14 or 33-40; C a whole section)"),
               "start": t("起始年月（YYYY-MM）", "From (YYYY-MM)")}
    account = _may_edit()
    if account is None:
        st.info(t("只有“管理”账户可以修改主导产业目录和行业名称对照表；此处仅供查看。",
                  "Only 管理 (admin) accounts may change the leading-industry list and the name table."))
        st.dataframe(rows, hide_index=True, width="stretch", column_config=headers)
        return
    widgets.demo_settings_note("主导产业目录", "leading-industry lists")
    with st.form(f"{page}:leading_form:{park}"):
        edited = st.data_editor(rows, num_rows="dynamic", hide_index=True, width="stretch", key=f"{page}:groups:{park}",
                                column_config={key: st.column_config.TextColumn(label, required=True)
                                               for key, label in headers.items()})
        st.caption(t("保存后整份目录从其中最早的起始年月起取代此前的目录（更早的月份仍按原目录），"
                     "并记入上传记录，可撤销。",
                     "Saved, the whole list replaces the park's list from its earliest start month on (earlier "
                     "months keep the list before); it is recorded as an upload and can be undone."))
        save = st.form_submit_button(t("保存主导产业目录", "Save the list"), type="primary")
    if save:
        try:
            groups = [leading.make_group(r.get("group"), r.get("codes"), r.get("start"), codes)
                      for r in edited.dropna(how="all").to_dict("records")]
            st.session_state[SAVED] = data.save_leading_groups(park, groups, account)
            st.rerun()
        except LeadingError as exc:
            st.error(plain(exc))
    if st.session_state.get(SAVED):
        st.success(plain(t(st.session_state.pop(SAVED), "Saved.")))


def _name_code_editor(page: str, codes: pd.DataFrame) -> None:
    with st.expander(t("行业名称对照表（只有行业名称、没有行业代码的企业）",
                       "Industry name table (firms with an industry name but no code)")):
        st.caption(t("企业名录或台账只写了行业名称时，按此表得到行业代码；与 GB/T 4754-2017 大类名称完全相同的名称"
                     "（不计空格）无需填写，自动对应该大类。此表中的一行优先。",
                     "A firm with only an industry name gets its code from this table; a name equal to a "
                     "GB/T 4754-2017 division name (spaces aside) needs no row. A row here wins."))
        table = data.query("industry_name_codes")
        rows = pd.DataFrame({"name": table["name"].astype("object"), "code": table["code"].astype("object"),
                             "updated_by": table["updated_by"].astype("object"),
                             "updated_at": pd.Series([f"{pd.Timestamp(v):%Y-%m-%d %H:%M}" for v in table["updated_at"]],
                                                     dtype="object")})
        headers = {"name": t("行业名称", "Industry name"), "code": t("行业代码（GB/T 4754-2017）", "Code"),
                   "updated_by": t("保存人", "Saved by"), "updated_at": t("保存时间", "Saved at")}
        account = _may_edit()
        if account is None:
            st.dataframe(rows, hide_index=True, width="stretch", column_config=headers)
            return
        with st.form(f"{page}:name_codes_form"):
            edited = st.data_editor(rows, num_rows="dynamic", hide_index=True, width="stretch", key=f"{page}:name_codes",
                                    disabled=["updated_by", "updated_at"], column_config={
                                        "name": st.column_config.TextColumn(headers["name"], required=True),
                                        "code": st.column_config.TextColumn(headers["code"], required=True),
                                        "updated_by": headers["updated_by"], "updated_at": headers["updated_at"]})
            save = st.form_submit_button(t("保存对照表", "Save the table"))
        if save:
            try:
                pairs = [leading.make_name_code(r.get("name"), r.get("code"), codes)
                         for r in edited[["name", "code"]].dropna(how="all").to_dict("records")]
                st.session_state[NAMES_SAVED] = data.save_name_codes(pairs, account)
                st.rerun()
            except LeadingError as exc:
                st.error(plain(exc))
        if st.session_state.get(NAMES_SAVED):
            st.success(plain(t(st.session_state.pop(NAMES_SAVED), "Saved.")))
