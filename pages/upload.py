"""上传数据: preview each file before storing it, map the columns of a sheet
the app cannot recognise, undo an upload, download blank templates."""

from types import SimpleNamespace

import streamlit as st

from parkbench.ingest import IngestError, family_title, mapped
from parkbench.ingest.normalize import column_letter
from parkbench.ingest.templates import TEMPLATES
from parkbench.models import checks
from parkbench.store import StoreError, accounts
from parkbench.store.names import park_list
from parkbench.upload import indicator_zh, month_text
from ui import auth, data, findings, pending, review, undo, uploader, widgets
from ui.format import plain
from ui.i18n import lang, t
from ui.shell import ensure_entry

ensure_entry()

st.title(t("上传数据", "Upload data"))
account = auth.current()
if account is None or not account.can_upload:  # the navigation hides this page from 查看; a direct link ends here
    st.warning(t("此账户只能查看数据，不能上传或撤销。", "This account may view data only: no uploads or undos."))
    st.stop()
st.caption(t("支持 Excel（.xlsx、旧版 .xls）和 CSV（UTF-8 或 GBK）；可一次选择多个文件。每个文件先预览，确认后才保存；"
             "保存的文件可随时撤销。",
             "Excel (.xlsx, legacy .xls) and CSV (UTF-8 or GBK); several files at once. Each file is previewed and stored "
             "only when you confirm; any upload can be undone.") if not accounts.needs_review(account) else
           t("支持 Excel（.xlsx、旧版 .xls）和 CSV（UTF-8 或 GBK）；可一次选择多个文件。每个文件先预览，确认后才保存。"
             "园区报表保存后为“待审核”，管理账户审核通过后才计入各页面；审核前可自行撤销，审核通过后的撤销由管理账户操作。",
             "Excel (.xlsx, legacy .xls) and CSV (UTF-8 or GBK); several files at once. Each file is previewed and stored "
             "only when you confirm. A park sheet you store awaits review and counts once a 管理 account approves it; "
             "you may undo it until then, after that only 管理 can."))

# Messages live in a container that is always there, so the tabs below keep
# their place (and the tab the user is on) whether or not there is a message.
with st.container():
    for kind, text in pending.messages():
        {"success": st.success, "info": st.info, "error": st.error}[kind](plain(text))

tab_upload, tab_history, tab_templates = st.tabs(
    [t("上传文件", "Upload files"), t("上传记录", "Upload history"), t("空白模板", "Blank templates")])


def mapping_editor(key: str, name: str, content: bytes, bad_cell: tuple[str | None, str | None] | None = None) -> None:
    """Say which row is the header and what each column means; remembered for
    files of the same shape. ``bad_cell`` (sheet, column letter): the column
    that refused the file starts as 忽略."""
    try:
        sheets = pending.sheets(key, name, content)
    except IngestError as exc:
        st.error(plain(str(exc)))
        return
    sheets = [s for s in sheets if not s.cells.empty]
    if not sheets:
        return
    bad_sheet, bad_column = bad_cell or (None, None)
    if bad_cell is None:
        st.markdown(t("**指定表头和各列含义**：系统未能自动识别此表。请指定表头所在行和每一列的含义，"
                      "设置会被记住，下次上传同样格式的表格时自动使用。",
                      "**Map the columns**: the app could not recognise this sheet. Say which row is the header and "
                      "what each column holds; the mapping is remembered for files of the same shape."))
    else:
        st.markdown(t("**不修改文件也可以导入**：把出错的列标为“忽略”（已预先选好），其余各列按含义指定，"
                      "该列就不导入。设置会被记住，下次上传同样格式的表格时自动使用。",
                      "**Store it without editing the file**: mark the faulty column 忽略 (ignore; chosen already) "
                      "and say what the other columns hold; that column is not stored. The mapping is remembered."))
    index = next((i for i, s in enumerate(sheets) if s.name == bad_sheet), 0)
    if len(sheets) > 1:
        index = st.selectbox(t("工作表", "Sheet"), range(len(sheets)), index=index,
                             format_func=lambda i: sheets[i].name, key=f"map_sheet_{key}")
    sheet = sheets[index]
    rows = min(mapped.SCAN_ROWS, len(sheet.cells))
    header_row = st.number_input(t("表头在第几行", "Header row"), min_value=1, max_value=max(rows, 1),
                                 value=mapped.likely_header_row(sheet) + 1, key=f"map_row_{key}_{index}") - 1
    shown = sheet.cells.head(header_row + 6).map(lambda v: "" if v is None else str(v))
    shown.columns = [column_letter(c) for c in shown.columns]
    shown.index = shown.index + 1
    st.dataframe(shown, width="stretch")
    guess = mapped.guess(sheet, header_row)
    options = mapped.choices()
    with st.form(f"map_form_{key}_{index}_{header_row}"):
        shape = sheet_shape(f"{key}_{index}_{header_row}")
        chosen = {}
        cells = mapped.header_cells(sheet.cells, header_row)
        columns = st.columns(3)
        for c, cell in enumerate(cells):
            label = t(f"{column_letter(c)} 列", f"Column {column_letter(c)}")
            label += t("：", ": ") + str(cell) if cell is not None else ""
            faulty = sheet.name == bad_sheet and column_letter(c) == bad_column
            start = mapped.IGNORE if faulty else guess.columns.get(c, mapped.IGNORE)
            chosen[c] = columns[c % 3].selectbox(plain(label), options, index=options.index(start),
                                                 format_func=lambda r: mapped.role_label(r, lang()),
                                                 key=f"map_{key}_{index}_{header_row}_{c}")
        basis = st.radio(t("指标列的数值口径", "Values in indicator columns are"), list(mapped.BASIS_LABELS),
                         format_func=lambda b: mapped.basis_label(b, lang()), horizontal=True)
        if st.form_submit_button(t("应用此映射并记住", "Apply and remember this mapping"), type="primary"):
            mapping = mapped.ColumnMapping(header_row, {c: v for c, v in chosen.items() if v != mapped.IGNORE}, basis,
                                           **shape)
            problems = mapping.problems()
            if problems:
                st.error("；".join(problems))
            else:
                try:
                    data.save_mapping(mapped.signature(sheet.cells, header_row, mapping.periods_across), mapping, name)
                except StoreError as exc:
                    st.error(plain(str(exc)))
                    return
                pending.say("info", t(f"已保存列映射，并用于文件「{name}」。", f"Mapping saved and applied to “{name}”."))
                st.rerun()


FIXED_CHOICES = {"column": ("来自某一列", "From a column"), "title": ("取自标题、工作表名或文件名", "From the title or names"),
                 "value": ("整表统一，填写：", "One for the whole sheet:")}


def sheet_shape(key: str) -> dict:
    """What the sheet says outside its columns: periods across, a second
    header row, the indicator from a 指标： line, one park or period for all."""
    left, right = st.columns(2)
    shape = {
        "periods_across": left.checkbox(t("表头行是各期间（如 1月、2月 … 或 2024年3月 在列上）",
                                          "The header row holds the periods (months across)"), key=f"across_{key}"),
        "second_header_row": left.checkbox(t("表头下面还有一行子表头（本月、1-N月累计、同比%）",
                                             "A second header row below (本月 · 1-N月累计 · 同比%)"), key=f"second_{key}"),
        "indicator_from_note": left.checkbox(t("指标取自表头上方的“指标：…”一行", "The indicator is in a 指标： line above"),
                                             key=f"note_{key}"),
    }
    for role, zh, en in (("park", "园区", "Park"), ("period", "统计期", "Period")):
        source = right.radio(t(f"{zh}来自", f"{en} comes"), list(FIXED_CHOICES), horizontal=True,
                             format_func=lambda k: t(*FIXED_CHOICES[k]), key=f"{role}_src_{key}")
        typed = right.text_input(t(f"整表{zh}", f"{en} for the whole sheet"),
                                 placeholder="2024-03" if role == "period" else t("如 确山县产业集聚区", "e.g. a park"),
                                 key=f"{role}_value_{key}")
        shape[f"fixed_{role}"] = {"column": None, "title": mapped.FROM_TITLE, "value": typed.strip() or None}[source]
    return shape


def ready_to_store(key: str, shown) -> bool:
    """A previewed file 确认全部导入 stores: readable, all its parks allowed, no
    park-name question open (是否为：…？ answered no, or yes, which made it an
    alias; a name starting like a formula confirmed), and not an identical file
    already stored unless 仍要再次导入 was ticked."""
    declined = st.session_state.get("upload_declined_names", set())
    meant = st.session_state.get(FORMULA_NAMES_MEANT, set())
    return (shown.error is None and not shown.refused and not shown.needs_park
            and all((key, name) in declined for name in shown.suggestions)
            and all((key, name) in meant for name in shown.formula_like)
            and (shown.stored_before is None or bool(st.session_state.get(f"again_{key}"))))


STORE_ALL_FRAGMENT = "upload_store_all"
HISTORY_FRAGMENT = "upload_history"


def card_fragment(key: str) -> str:
    return f"upload_card_{key}"


@st.fragment(key=STORE_ALL_FRAGMENT)
def store_all_section(account) -> None:
    """确认全部导入 when more than one file waits; a fragment of its own so that
    a file stored from its card updates the count without the other previews."""
    queue = st.session_state.get(pending.PENDING, {})
    previews = {key: pending.last_check(key, name, content, account) for key, (name, content) in queue.items()}
    if len(previews) > 1:
        store_all_button(previews, account)


def store_all_button(previews: dict, account) -> None:
    """确认全部导入: every previewed file with nothing left to answer, stored
    in one go as one by one would store them (``pending.store_files``), under
    one progress bar; the others stay with their questions."""
    ready = {key: shown for key, shown in previews.items() if ready_to_store(key, shown)}
    waiting = len(previews) - len(ready)
    note = (t(f"（{waiting} 个文件有待回答的问题或无法导入，留在下面）", f" ({waiting} wait for an answer below)")
            if waiting else "")
    if not st.button(t(f"确认全部导入（{len(ready)} 个文件）", f"Store all ({len(ready)} files)") + note,
                     type="primary", key="upload:store_all", disabled=not ready):
        return
    bar = st.progress(0.0)
    shown = list(ready.values())

    def storing(done: int) -> None:
        name = shown[done].file_name
        bar.progress(done / len(ready), text=plain(t(f"正在导入 {name}（{done + 1}/{len(ready)}）",
                                                     f"Storing {name} ({done + 1}/{len(ready)})")))

    pending.store_files(ready, account, storing)
    bar.progress(1.0, text=t("已全部导入", "All stored"))
    pending.clear_uploader_when_done()
    st.rerun()


def again_confirmed(key: str, shown) -> bool:
    """An identical file already in force is said, and stored again only when the user says so."""
    if shown.stored_before is None:
        return True
    st.warning(plain(shown.stored_before.sentence() + t("。再次导入会新增一条上传记录（数值相同）。",
                                                          ". Storing it again adds another upload (same values).")),
               icon=":material/content_copy:")
    return st.checkbox(t("仍要再次导入", "Store it again anyway"), key=f"again_{key}", on_change=recount, args=(key,))


def recount(key: str) -> None:
    """After an answer kept in this card alone: run it and 确认全部导入's count again."""
    st.rerun([card_fragment(key), STORE_ALL_FRAGMENT])


def ask_close_names(key: str, shown) -> bool:
    """是否为：…？ for each new park name close to a known one. True while a question is open."""
    declined = st.session_state.setdefault("upload_declined_names", set())
    open_question = False
    for name, park in shown.suggestions.items():
        if (key, name) in declined:
            continue
        open_question = True
        with st.container(border=True):
            st.markdown(plain(t(f"园区名称“{name}”与已有园区不完全一致。是否为：{park}？",
                                f"The park name “{name}” is not known. Is it: {park}?")))
            yes, no, _ = st.columns([1, 2, 3])
            if yes.button(t("是", "Yes"), key=f"alias_yes_{key}_{name}", type="primary"):
                data.accept_alias(name, park)
                pending.say("info", t(f"已将“{name}”记为“{park}”的别名。", f"“{name}” is now an alias of “{park}”."))
                st.rerun()
            if no.button(t("否，作为新园区", "No, a new park"), key=f"alias_no_{key}_{name}"):
                declined.add((key, name))
                st.rerun()
    return open_question


FORMULA_NAMES_MEANT = "upload_formula_names_meant"  # (file key, park name) confirmed as meant


def ask_formula_names(key: str, shown) -> bool:
    """A new park name starting with = + - @ is asked about: stored and shown
    as typed, but more often a slip than a name. True while a question is open."""
    meant = st.session_state.setdefault(FORMULA_NAMES_MEANT, set())
    open_question = False
    for name in shown.formula_like:
        if (key, name) in meant:
            continue
        open_question = True
        with st.container(border=True):
            st.markdown(plain(t(f"园区名称“{name}”以“{name[0]}”开头，像电子表格公式。它会按原样保存和显示"
                                "（导出时也不会变成公式）。确实是这个名称吗？如果不是，请放弃此文件，在表格中改正后重新上传。",
                                f"The park name “{name}” starts with “{name[0]}”, like a spreadsheet formula. It is "
                                "stored and shown as typed (never run as a formula, exports included). Is it "
                                "meant? If not, discard this file, correct the sheet and upload it again.")))
            if st.button(t("是，名称如此", "Yes, it is meant"), key=f"formula_yes_{key}_{name}", type="primary"):
                meant.add((key, name))
                st.rerun()
    return open_question


def show_findings(shown, key: str, checked_after: int = 0) -> None:
    """数据审核: warnings, not refusals, shown before the user confirms, as
    findings (ui/findings); ``checked_after``, the files above taken as
    stored first (``upload.check``'s ``above``), is said."""
    warnings = checks.as_warnings(shown.findings)
    if not warnings:
        st.success(t("数据审核：未发现问题。", "Data checks: nothing to report."), icon=":material/check_circle:")
    else:
        st.warning(t(f"**数据审核：{len(warnings.findings)} 条提示**（不影响导入；导入后可在“数据质量”页查看）",
                     f"**Data checks: {len(warnings.findings)} findings** (the file can still be stored)"),
                   icon=":material/warning:")
    if checked_after:
        st.caption(t(f"审核时已计入上方 {checked_after} 个涉及相同园区的文件："
                     "“确认全部导入”按列表顺序导入，这些文件在本文件之前。",
                     f"Checked as stored after the {checked_after} file{'s' if checked_after > 1 else ''} above "
                     "with a park of this one: 确认全部导入 stores the list in order."))
    if warnings:
        findings.show(warnings, f"upload:{key}")


def table_height(rows: int, most: int) -> int:
    """Rows plus header, at most ``most`` pixels: a one-row table without empty lines below it."""
    return min(most, 35 * (rows + 1) + 3)


def details(key: str, several: bool, label: str):
    """Where a preview's long tables go: under its figures when the file is
    the only one chosen; with several files, in a collapsed expander that
    makes them only once opened (sixteen previews' tables took the browser
    about 3 s to draw, and a page to scroll through past the questions and
    buttons). None while that expander is closed."""
    if not several:
        return st.container()
    box = st.expander(label, key=f"details_{key}", on_change="rerun")
    return box if box.open else None


def show_facts(facts: dict[str, str]) -> None:
    """A preview's facts (parks, new parks, periods…) as a two-column table: user text shown literally."""
    st.dataframe({t("项目", "Item"): list(facts), t("内容", "Content"): list(facts.values())},
                 hide_index=True, width="stretch")


def show_preview(shown, key: str, several: bool) -> None:
    st.markdown(t(f"**识别为**：{shown.family_title}", f"**Recognised as**: family {shown.family}"))
    left, middle, right, last = st.columns(4)
    left.metric(t("园区（个）", "Parks"), len(shown.parks))
    middle.metric(t("统计期（个）", "Periods"), len(shown.periods))
    right.metric(t("指标（个）", "Indicators"), len(shown.indicators))
    last.metric(t("数值（个）", "Values"), shown.value_count)
    facts = {
        t("园区（规范名称）", "Parks (canonical)"): park_list(shown.parks),
        t("新园区（将新建）", "New parks (to be created)"): park_list(shown.new_parks) or t("无", "none"),
        t("统计期", "Periods"): (f"{shown.periods[0]} ～ {shown.periods[-1]}" if len(shown.periods) > 1
                                 else "".join(shown.periods)),
        t("指标（单位）", "Indicators (unit)"): "、".join(shown.indicators),
        t("单位（已换算为）", "Units (converted to)"): "、".join(shown.units),
    }
    if shown.land_columns:
        facts[t("用地面积列", "Land columns")] = shown.land_columns
    show_facts(facts)
    box = details(key, several, t(f"明细：将保存的数值（{shown.value_count} 个）、跳过的行（{len(shown.skipped)} 行）",
                                  f"Details: values to be stored ({shown.value_count}), "
                                  f"skipped rows ({len(shown.skipped)})"))
    if box is not None:
        with box:
            show_tables(shown)
            show_skipped(shown, in_expander=several)


def show_tables(shown) -> None:
    """The values, published growth and industry breakdown as they will be stored."""
    if len(shown.values):
        st.markdown(t("**将保存的数值**（已换算为标准单位）", "**Values as they will be stored** (canonical units)"))
        st.dataframe(shown.values, hide_index=True, width="stretch", height=table_height(len(shown.values), 260),
                     column_config={
            "park": t("园区", "Park"), "indicator": t("指标", "Indicator"), "period": t("统计期", "Period"),
            "basis": t("口径", "Basis"),
            "value": st.column_config.NumberColumn(t("数值（单位见右列）", "Value (unit at right)"), format="%,.2f"),
            "unit": t("单位", "Unit")})
    if len(shown.growth):
        st.markdown(t("**报送的同比增长**", "**Published growth**"))
        st.dataframe(shown.growth, hide_index=True, width="stretch", height=table_height(len(shown.growth), 200),
                     column_config={
            "park": t("园区", "Park"), "indicator": t("指标", "Indicator"), "period": t("统计期", "Period"),
            "basis": t("口径", "Basis"),
            "value": st.column_config.NumberColumn(t("同比增长（%）", "YoY growth (%)"), format="%+.1f")})
    if len(shown.industries):
        st.markdown(t("**产业结构**", "**Industry breakdown**"))
        st.dataframe(shown.industries, hide_index=True, width="stretch",
                     height=table_height(len(shown.industries), 220), column_config={
            "park": t("园区", "Park"), "period": t("统计期", "Period"), "industry": t("产业", "Industry"),
            "is_leading": t("主导产业", "Leading"),
            "output": st.column_config.NumberColumn(t("产值（万元）", "Output (10k yuan)"), format="%,.1f"),
            "firms": st.column_config.NumberColumn(t("企业数（户）", "Firms"), format="%,d")})


def show_skipped(shown, in_expander: bool) -> None:
    """The rows the readers skipped and why: an expander of its own, or (inside
    the details expander, as expanders do not nest) a heading and the table."""
    label = t(f"跳过的行（{len(shown.skipped)}）", f"Skipped rows ({len(shown.skipped)})")
    if in_expander:
        st.markdown(f"**{label}**")
        box = st.container()
    else:
        box = st.expander(label)
    with box:
        if len(shown.skipped):
            st.dataframe(shown.skipped, hide_index=True, width="stretch", column_config={
                "sheet": t("工作表", "Sheet"), "row": st.column_config.NumberColumn(t("行号", "Row"), format="%d"),
                "reason": t("原因", "Reason")})
        else:
            st.caption(t("没有跳过的行。", "No rows skipped."))


def show_firm_preview(shown, key: str, several: bool) -> None:
    """An enterprise file: its firms (户数 and who), periods, and the park totals
    it makes beside the park's own figure (docs/enterprises.md rule 3)."""
    st.markdown(t(f"**识别为**：企业表 {shown.family_title}", f"**Recognised as**: enterprise sheet {shown.family}"))
    firms_, parks_, periods_, values_ = st.columns(4)
    firms_.metric(t("企业（户）", "Enterprises (firms)"), shown.firm_count)
    parks_.metric(t("园区（个）", "Parks"), len(shown.parks))
    periods_.metric(t("统计期（个）", "Periods"), len(shown.periods))
    values_.metric(t("数值（个）", "Values"), shown.value_count)
    facts = {
        t("园区（规范名称）", "Parks (canonical)"): park_list(shown.parks) or t("待指定", "to be chosen"),
        t("新园区（将新建）", "New parks (to be created)"): park_list(shown.new_parks) or t("无", "none"),
        t("统计期", "Periods"): (f"{shown.periods[0]} ～ {shown.periods[-1]}" if len(shown.periods) > 1
                                 else "".join(shown.periods) or t("无", "none")),
    }
    show_facts(facts)
    box = details(key, several, t(f"明细：企业（{shown.firm_count} 户）", f"Details: enterprises ({shown.firm_count})"))
    if box is not None:
        with box:
            show_firms(shown)
    show_park_totals(shown.park_totals)


def show_firms(shown) -> None:
    """An enterprise file's firms: name, credit code, park (待指定 while the page asks)."""
    st.markdown(t(f"**企业**（{shown.firm_count} 户）", f"**Enterprises** ({shown.firm_count} firms)"))
    firms = shown.firms.assign(park=shown.firms["park"].fillna(t("待指定", "to be chosen")))
    st.dataframe(firms, hide_index=True, width="stretch", height=table_height(len(firms), 260), placeholder="–",
                 column_config={"enterprise": t("企业名称", "Enterprise"),
                                "credit_code": t("统一社会信用代码", "Unified social credit code"),
                                "park": t("所属园区", "Park")})


def show_park_totals(totals) -> None:
    """Per park × month × indicator: the file's sums in 万元, the park's own 1-本月
    where it reported one, and the gap; over 1 % is flagged as the data check names it."""
    if totals.empty:
        return
    st.markdown(t("**园区合计**（本文件各企业之和，万元；园区自报数在旁，差异超过 1% 标 ⚠）",
                  "**Park totals** (sums over this file's firms, 10k yuan; the park's own figure beside them, "
                  "⚠ where they differ by more than 1 %)"))
    shown = totals.assign(
        period=totals["period"].map(month_text), indicator=totals["indicator"].map(indicator_zh),
        mismatch=totals["mismatch"].map(lambda m: "⚠ " + t("企业合计与园区报送不一致", "Firms' sum and the park's own "
                                                             "figure disagree") if m else ""))
    money = "%,.1f"
    # a park with no figure of its own: "–", not Streamlit's "None" (issue 18, item 11)
    st.dataframe(shown, hide_index=True, width="stretch", height=table_height(len(shown), 300), placeholder="–",
                 column_config={
        "park": t("园区", "Park"), "period": t("统计期", "Period"), "indicator": t("指标", "Indicator"),
        "month": st.column_config.NumberColumn(t("本月合计（万元）", "Month, sum (10k yuan)"), format=money),
        "ytd": st.column_config.NumberColumn(t("1-本月合计（万元）", "Year to date, sum (10k yuan)"), format=money),
        "own_ytd": st.column_config.NumberColumn(t("园区报送 1-本月（万元）", "Park's own, year to date (10k yuan)"),
                                                 format=money),
        "gap": st.column_config.NumberColumn(t("差异（%）", "Gap (%)"), format="%+.1f"),
        "mismatch": t("数据审核", "Data check")})


def ask_firm_park(key: str, shown) -> bool:
    """An N2 file whose rows name no park and whose firms are on no stored
    register: one park for the whole file, a known one or a new name. True
    while unanswered."""
    if shown.firm_parsed is None or not (shown.needs_park or pending.chosen_park(key)):
        return False
    with st.container(border=True):
        st.markdown(t("**此文件的企业没有注明所属园区**，企业名录中也查不到。请为整个文件选择一个园区"
                      "（或先导入企业名录）：",
                      "**This file's firms name no park** and no stored register lists them. Choose one park for "
                      "the whole file (or store the register first):"))
        options = [*data.upload_park_choices(), pending.NEW_PARK]
        choice = st.selectbox(t("所属园区", "Park"), options, index=None, key=pending.park_choice_key(key),
                              placeholder=t("选择园区", "Choose a park"), on_change=recount, args=(key,),
                              format_func=lambda p: t("其他园区（输入名称）", "Another park (type its name)")
                              if p == pending.NEW_PARK else p)
        if choice == pending.NEW_PARK:
            st.text_input(t("园区名称", "Park name"), key=pending.park_typed_key(key), on_change=recount, args=(key,),
                          placeholder=t("如 南湖工业园区", "e.g. a park"))
    return shown.needs_park


def confirm_file(key: str, account) -> None:
    """确认导入 (a callback, run before the page): store the file, then run again
    its card, 确认全部导入 and the upload history, not the other previews (each
    of which a store would send through the data checks again), or the whole
    page when more than those changes: the demo left (the banner), the
    uploader emptied after its last file, one file left (no longer one of several)."""
    name, content = st.session_state[pending.PENDING][key]
    left_demo = pending.store_file(key, pending.check(key, name, content, account), account)
    one_left = len(st.session_state[pending.PENDING]) == 1  # its card shows its tables open now (``details``)
    if pending.clear_uploader_when_done() or left_demo or one_left:
        st.rerun()
    st.rerun([card_fragment(key), STORE_ALL_FRAGMENT, HISTORY_FRAGMENT])


def file_card(key: str, account) -> None:
    """One file's preview, questions and buttons; a fragment keyed
    ``card_fragment(key)``: 确认导入 and the mapping editor's widgets run this
    card again, not the other previews. A stored file's card shows what was
    stored in its place until the next run of the whole page. What changes
    the other files' questions runs the whole page: an alias accepted, a name
    confirmed, a file discarded, a mapping saved."""
    for kind, text in pending.messages():  # said by this card's last action, in a run of this card alone
        {"success": st.success, "info": st.info, "error": st.error}[kind](plain(text))
    queue = st.session_state.get(pending.PENDING, {})
    if key not in queue:
        return
    name, content = queue[key]
    several = len(queue) > 1
    shown = pending.check(key, name, content, account)
    with st.container(border=True):
        st.text(t("文件：", "File: ") + shown.file_name)
        if shown.error:
            st.error(plain(shown.error))
            if shown.needs_mapping:
                with st.expander(t("指定表头和各列含义", "Map the columns"), expanded=True):
                    mapping_editor(key, shown.file_name, shown.data)
            elif shown.bad_cell:
                with st.expander(t("不改文件：把出错的列标为“忽略”后导入", "Without editing: ignore the faulty column")):
                    mapping_editor(key, shown.file_name, shown.data, shown.bad_cell)
            if st.button(t("移除此文件", "Remove this file"), key=f"discard_{key}"):
                pending.finish(key)
                st.rerun()
            return
        if shown.firm_parsed is not None:
            st.info(t("数据审核（如企业合计与园区报送不一致、同一企业同期属于两个园区）在确认导入时进行，"
                      "结果见“数据质量”页。",
                      "Data checks of enterprise files run when the file is stored; see 数据质量 (data quality)."),
                    icon=":material/info:")
            show_firm_preview(shown, key, several)
        else:
            show_findings(shown, key, len(shown.dry_run.before) if shown.dry_run is not None else 0)
            show_preview(shown, key, several)
        asking = ask_firm_park(key, shown)
        asking = ask_close_names(key, shown) or asking
        asking = ask_formula_names(key, shown) or asking
        asking = not again_confirmed(key, shown) or asking
        if shown.refused:
            st.error(t(f"账户“{account.username}”不能导入以下园区的数据（未分配给该账户）：{park_list(shown.refused)}。"
                       "请联系管理员。",
                       f"Account “{account.username}” may not store data of: {park_list(shown.refused)}."))
        confirm, discard, _ = st.columns([1, 1, 4])
        if not shown.refused:
            confirm.button(t("确认导入", "Store this file"), type="primary", key=f"confirm_{key}", disabled=asking,
                           help=t("请先回答上面的问题", "Answer the question above first") if asking else None,
                           on_click=confirm_file, args=(key, account))
        if discard.button(t("放弃", "Discard"), key=f"discard_{key}"):
            pending.finish(key)
            st.rerun()


@st.fragment(key=HISTORY_FRAGMENT)
def upload_history(account) -> None:
    """上传记录; a fragment so that a file stored from its card shows here at once."""
    history = data.history(data.real_version())
    if history.empty:
        st.info(t("还没有上传记录。", "No uploads yet."))
    else:
        history = widgets.paginate(history, "upload:history_page", size=50)  # a row of widgets per upload
        widths = [0.6, 2.8, 1.6, 1.0, 1.9, 0.9, 1.4, 1.0]
        head = st.columns(widths)
        for col, label in zip(head, [t("编号", "No."), t("文件", "File"), t("时间", "Time"), t("数值（个）", "Values"),
                                     t("类型", "Family"), t("状态", "Status"), t("上传人／撤销人", "By"), ""],
                              strict=True):
            col.markdown(f"**{label}**" if label else "")
        for row in history.itertuples(index=False):
            cols = st.columns(widths, vertical_alignment="center")
            cols[0].text(f"#{row.id}")
            cols[1].text(row.file)
            cols[2].text(row.at)
            cols[3].text(f"{row.rows:,}")
            cols[4].text(family_title(row.family) if row.family else "")
            cols[5].text(undo.status_label(row.state))
            cols[6].text(" ／ ".join(filter(None, [auth.display_name(row.uploaded_by) or "—",
                                                   auth.display_name(row.undone_by)])))
            if row.can_undo and data.may_undo(int(row.id), account) and cols[7].button(t("撤销", "Undo"),
                                                                                       key=f"undo_{row.id}"):
                undo.ask(row.id)
            review_lines(row, account)
            if undo.asked() == row.id:
                with st.container(border=True):
                    st.warning(t(f"确认撤销上传 #{row.id}？该文件的数值将被删除，导入前的数据将恢复。",
                                 f"Undo upload #{row.id}? Its values are removed and what it replaced is restored."))
                    yes, no, _ = st.columns([1, 1, 4])
                    if yes.button(t("确认撤销", "Confirm undo"), type="primary", key=f"undo_yes_{row.id}"):
                        undo.confirm(row.id, account)
                        st.rerun()
                    if no.button(t("取消", "Cancel"), key=f"undo_no_{row.id}"):
                        undo.cancel()
                        st.rerun()
        st.caption(t("“示例数据”为演示用数据；撤销后，被该文件替换的旧数值恢复生效。"
                     "“待审核”的上传须经管理账户审核通过后才计入各页面；“已退回”的不计入，请按退回原因修改后重新上传。",
                     "“示例数据” is demo data; undoing restores the values an upload had replaced. An upload "
                     "awaiting review counts once a 管理 account approves it; a returned one never does: correct it "
                     "and upload again."))


def review_lines(row, account) -> None:
    """Under an upload not in force: why it was returned (the uploader reads it
    here), or, for a 管理 account, the review of a waiting upload."""
    if row.state == "returned":
        reviewer = auth.display_name(row.reviewed_by) or "—"
        st.error(plain(t(f"#{row.id} 已退回（{reviewer}，{row.reviewed_at}）。退回原因：{row.return_reason}。"
                         "请修改后在“上传文件”中重新上传。",
                         f"#{row.id} was returned ({reviewer}, {row.reviewed_at}). Reason: {row.return_reason}. "
                         "Correct it and upload again.")), icon=":material/undo:")
    elif row.state == "pending" and not data.may_review(account):
        st.caption(t(f"#{row.id} 待审核：管理账户审核通过后计入各页面。",
                     f"#{row.id} awaits review: it counts once a 管理 account approves it."))
    elif row.state == "pending":
        with st.expander(t(f"审核上传 #{row.id}（{row.file}）", f"Review upload #{row.id} ({row.file})"),
                         icon=":material/fact_check:"):
            review_panel(row, account)


def review_panel(row, account) -> None:
    """What the uploader saw — the values as stored and the data checks of the
    preview — then 审核通过, or 退回 with a reason."""
    upload_id = int(row.id)
    values = data.review_values(data.real_version(), upload_id)
    st.markdown(t(f"**上传的数值**（{len(values)} 个，已换算为标准单位）", f"**Values uploaded** ({len(values)})"))
    st.dataframe(values, hide_index=True, width="stretch", height=table_height(len(values), 260), column_config={
        "park": t("园区", "Park"), "indicator": t("指标", "Indicator"), "period": t("统计期", "Period"),
        "basis": t("口径", "Basis"),
        "value": st.column_config.NumberColumn(t("数值（单位见右列）", "Value (unit at right)"), format="%,.2f"),
        "unit": t("单位", "Unit")})
    show_findings(SimpleNamespace(findings=data.upload_findings(data.real_version(), upload_id)), f"review_{upload_id}")
    approve, give_back = st.columns([1, 4], vertical_alignment="bottom")
    if approve.button(t("审核通过", "Approve"), type="primary", key=f"review_approve_{upload_id}"):
        review.approve(upload_id, account)
        st.rerun()
    # A form sends the reason and the click together. Without one, typing a reason
    # and clicking 退回 would send two script runs (the box's value on blur, then
    # the click), and under load the click could be lost: the upload stayed 待审核.
    # Enter does not submit; only the 退回 click returns the upload.
    with give_back.form(f"review_give_back_{upload_id}", border=False, enter_to_submit=False):
        reason_col, button_col = st.columns([3, 1], vertical_alignment="bottom")
        reason = reason_col.text_input(t("退回原因（上传人会看到）", "Reason for returning (the uploader sees it)"),
                                       key=f"review_reason_{upload_id}")
        if button_col.form_submit_button(t("退回", "Return"), key=f"review_return_{upload_id}"):
            review.give_back(upload_id, reason, account)
            st.rerun()


with tab_upload:
    pending.warm_up()
    uploaded = uploader.choose_files(t("选择或拖入文件（.xlsx / .xls / .csv，可多选）",
                                       "Choose or drop files (.xlsx / .xls / .csv; several at once)"),
                                     key=pending.uploader_key())
    queue = pending.files(uploaded)
    if not queue:
        st.info(t("还没有选择文件。不知道怎么填？可在“空白模板”中下载各类表格的模板。",
                  "No file chosen yet. See “Blank templates” for sheets to fill in."))
    with st.spinner(t(f"正在解析 {len(queue)} 个文件…", f"Reading {len(queue)} files…")):
        pending.check_all(queue, account)
        for key, (name, content) in queue.items():
            pending.check(key, name, content, account)
    store_all_section(account)
    for key in list(queue):
        st.fragment(file_card, key=card_fragment(key))(key, account)

with tab_history:
    upload_history(account)

with tab_templates:
    st.markdown(t("下载空白模板，按表头填写后上传。模板中注明了单位：金额 万元，面积 亩，企业 户，人员 人。",
                  "Download a blank template, fill it in and upload it. Units are noted in each template."))
    for family, template in TEMPLATES.items():
        st.download_button(template.title, data.template(family), file_name=template.file_name,
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key=f"template_{family}", icon=":material/description:")
