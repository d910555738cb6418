"""Widgets several pages share: a chart with its PNG download, and the peer-set
picker (parks or a saved group, with saving and deleting groups)."""

from __future__ import annotations

import datetime as dt

import altair as alt
import streamlit as st

from parkbench import store
from parkbench.models.peers import PeerGroupError
from parkbench.output import images, scale
from parkbench.store import StoreError
from ui import auth, data, state
from ui.format import period, plain
from ui.i18n import t

MANY_PARKS = 30  # above this, the park picker starts empty, meaning every park


def chart(chart, key: str, name_parts: tuple[str, ...], selectable: bool = True) -> None:
    """Draw an Altair chart as built (theme=None), as wide as its container
    (the fixed width in the spec is the layout exported images start from), and offer it for documents:
    a Word-column PNG (16 cm, 300 dpi), a 16:9 slide PNG and SVG, named in
    the user's language by ``name_parts`` (metric, view, period)."""
    st.altair_chart(on_screen(chart), theme=None, width="stretch", key=key,
                    on_select="rerun" if selectable else "ignore")
    downloads(chart, key, name_parts)


def on_screen(chart):
    """The chart as a page draws it: as wide as its container and as tall as
    its drawing. Streamlit's own choice ("fit") squeezes the whole drawing,
    titles and axes included, into the spec's height: each title line took
    height from the plot (320 px drawn about 180 px high), and a title of
    three lines was cut at the top (趋势's 今年与上年同月对比). "fit-x" fits the
    width only: the plot keeps the height it has in the exported images."""
    return chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


def panels(charts: list, key: str, selectable: bool = True) -> None:
    """Small multiples on screen: two panels a row, each as wide as its
    column; Streamlit stacks the columns on a phone, so nothing is cut."""
    columns = st.columns(2)
    for i, panel in enumerate(charts):
        with columns[i % 2]:
            st.altair_chart(on_screen(panel), theme=None, width="stretch", key=f"{key}:{i}",
                            on_select="rerun" if selectable else "ignore")


def downloads(chart, key: str, name_parts: tuple[str, ...]) -> None:
    """The chart for documents: Word-column PNG, slide PNG and SVG. ``chart``
    is an Altair chart or a function that builds one: either way its spec is
    made only when a button is clicked, not on every rerun of the page (for
    the small multiples of 园区对比, building and serialising the chart took
    half a second per rerun)."""
    def image(kind: str) -> bytes:
        built = chart() if callable(chart) else chart
        return data.chart_image(built.to_json(), kind)

    columns = st.columns([1, 1, 1, 3])
    for column, (kind, label, suffix, mime) in zip(columns, (
            ("word", t("Word 插图 PNG", "PNG for Word"), "png", "image/png"),
            ("slide", t("幻灯片 PNG", "PNG for slides"), "png", "image/png"),
            ("svg", "SVG", "svg", "image/svg+xml")), strict=False):
        extra = (t("幻灯片", "slide"),) if kind == "slide" else ()
        column.download_button(
            label, data=lambda kind=kind: image(kind),
            file_name=images.file_name(*name_parts, *extra, suffix=suffix), mime=mime, key=f"{key}:{kind}",
            on_click="ignore", icon=":material/download:",
            help=t("16 厘米宽、300 dpi，文字不小于 9 磅" if kind == "word" else "1920×1080" if kind == "slide"
                   else "矢量图", "16 cm wide at 300 dpi, text at least 9 pt" if kind == "word"
                   else "1920×1080" if kind == "slide" else "vector image"))


def peer_set(page: str, parks: list[str], container=None) -> tuple[str | None, list[str]]:
    """Pick the peer set: a saved group or parks by hand. Returns (group, parks)."""
    box = container or st
    groups = data.query("peer_groups")
    options = [None, *sorted(groups)]
    group = state.choose("group", t("对标组", "Peer group"), options, page=page, container=box,
                         format_func=lambda g: t("（手动选择园区）", "(pick parks)") if g is None else g)
    if group is not None:
        members = [p for p in groups.get(group, []) if p in parks]
        named = "、".join(members[:MANY_PARKS]) + (t(f" 等 {len(members):,} 个", f" and more ({len(members):,})")
                                                   if len(members) > MANY_PARKS else "")
        box.caption(t("对标组园区：", "Parks in the group: ") + named)
        return group, members
    if len(parks) > MANY_PARKS:
        # A chip per park would fill the page: nothing chosen stands for every park.
        chosen = state.choose_many("parks", t("参与对比的园区（不选为全部）", "Parks (none chosen = all)"), parks,
                                   page=page, default=[], container=box,
                                   placeholder=t(f"全部园区（{len(parks):,} 个）", f"All parks ({len(parks):,})"))
        return None, chosen or list(parks)
    chosen = state.choose_many("parks", t("参与对比的园区", "Parks"), parks, page=page, default=parks, container=box)
    return None, chosen


def manage_groups(page: str, parks: list[str]) -> None:
    """Save the current choice of parks as a named group, or delete one (not for 查看 accounts)."""
    account = auth.current()
    if account is None or not account.can_upload:
        return
    with st.expander(t("管理对标组（全市园区、同类园区…）", "Manage peer groups")):
        demo_settings_note("对标组", "peer groups")
        left, right = st.columns(2)
        with left.form(f"{page}:save_group", clear_on_submit=True):
            name = st.text_input(t("对标组名称", "Group name"), max_chars=40,
                                 placeholder=t("例如：同类园区", "e.g. similar parks"))
            members = st.multiselect(t("组内园区", "Parks"), parks)
            if st.form_submit_button(t("保存对标组", "Save group")):
                try:
                    saved = data.save_peer_group(name, members)
                    st.success(t(f"已保存对标组“{plain(saved)}”。", f"Saved group “{plain(saved)}”."))
                except (PeerGroupError, StoreError) as exc:
                    st.error(str(exc))
        groups = sorted(data.query("peer_groups"))
        if groups:
            doomed = right.selectbox(t("删除对标组", "Delete group"), groups, key=f"{page}:delete_group")
            if right.button(t("删除", "Delete"), key=f"{page}:delete_button"):
                try:
                    data.delete_peer_group(doomed)
                except StoreError as exc:
                    right.error(str(exc))
                else:
                    state.remember("group", None)
                    st.rerun()
        else:
            right.caption(t("还没有保存的对标组。", "No saved groups yet."))


def paginate(frame, key: str, size: int = scale.PAGE_ROWS):
    """The rows of the page the user picked, with the picker, when the frame is
    longer than a page (a styled table of 20,000 rows stalls the browser)."""
    pages = scale.page_count(len(frame), size)
    if pages == 1:
        return frame
    if not 1 <= st.session_state.get(key, 1) <= pages:  # fewer pages than before (another period or group)
        st.session_state[key] = 1
    number = st.number_input(t(f"页码（共 {pages} 页，每页 {size} 行，共 {len(frame):,} 行）",
                               f"Page ({pages} pages of {size} rows, {len(frame):,} rows)"),
                             min_value=1, max_value=pages, value=1, step=1, key=key)
    return scale.page(frame, number, size)


def firm_link(park: str | None) -> None:
    """From a park chosen or clicked on a park page, a link to its firms on 企业,
    for an account that may see them (docs/enterprises.md rule 5; the park is
    shared state, so 企业 opens on it)."""
    account = auth.current()
    if park is None or account is None or park not in data.query("firm_parks", reader=account):
        return
    st.page_link("pages/firms.py", label=t(f"查看 {plain(park)} 的企业", f"See the firms of {plain(park)}"),
                 icon=":material/domain:")


def demo_chrome() -> None:
    """On every page: say when the demo is shown, and keep it one click away
    (查看示例数据) once there is real data. The real store is never touched."""
    if not store.demo_enabled():
        return
    real = data.has_real_data()
    if data.showing_demo():
        if real:
            st.info(t("正在查看示例数据（依据公开报道的量级编制，仅供演示），与您上传的数据完全分开。",
                      "Viewing the demo data (示例数据), kept entirely apart from your uploads."), icon=":material/info:")
            st.sidebar.button(t("返回真实数据", "Back to my data"), key="_demo_back", icon=":material/undo:",
                              on_click=data.view_demo, args=(False,))
        else:
            st.info(t("当前显示的是示例数据（依据公开报道的量级编制，仅供演示）。"
                      "上传本园区的报表后，各页面将只显示真实数据。",
                      "Showing illustrative demo data (示例数据). Once you upload your own sheets, "
                      "every page shows only your data."), icon=":material/info:")
    else:
        st.sidebar.button(t("查看示例数据", "View demo data"), key="_demo_view", icon=":material/visibility:",
                          on_click=data.view_demo, args=(True,))


def demo_settings_note(what: str, what_en: str) -> None:
    """Above a form that saves settings, while the demo is shown: they are saved into the
    demo's own database (data.cursor), which is replaced by the real store on the first
    real upload and rebuilt when the app restarts — so say they will not be kept."""
    if not data.showing_demo():
        return
    st.warning(t(f"正在查看示例数据：此处保存的{what}只属于示例数据，不会带到上传的真实数据中，应用重启后也会清除。"
                 f"请在上传本园区报表后再设置{what}。",
                 f"Viewing the demo data: {what_en} saved here belong to the demo only; they are not carried over "
                 f"to your uploaded data and are cleared when the app restarts. Set them after your first upload."),
               icon=":material/warning:")


def gaps_note(summary) -> None:
    """Who misses a month before the newest month every park reported (that
    month alone does not say the months before it are complete)."""
    gaps = summary.gaps_before(summary.complete_period)
    if not gaps:
        return
    listed = "；".join(f"{park}（{'、'.join(month_text(m) for m in months[:6])}{'等' if len(months) > 6 else ''}）"
                      for park, months in sorted(gaps.items())[:10])
    more = t(f"等 {len(gaps)} 个园区", f" and {len(gaps) - 10} more") if len(gaps) > 10 else ""
    st.caption(plain(t(f"此前仍有缺报：{listed}{more}", f"Earlier months still missing: {listed}{more}")))


def month_text(month) -> str:
    return t(f"{month.year}年{month.month}月", f"{month:%Y-%m}")


def missing_note(period, parks: list[str]) -> None:
    """Say which of the parks shown have not reported ``period`` (本期未报送：…)."""
    if period is None or not parks:
        return
    missing = data.query("status_summary", parks=sorted(parks)).missing_at(period)
    if missing:
        st.warning(plain(t("本期未报送：", "Not reported for this period: ") + "、".join(missing)), icon=":material/schedule:")



def peer_scope(period, group: str | None = None, parks: list[str] | None = None) -> None:
    """Say against whom the page compares: the one peer set of
    queries/macros/peer_values.sql (the same on 园区对比, 预警 and 综合评价) —
    ``group``'s parks, else ``parks``, else the parks with a value this month —
    and that the mean and median count only the parks with a value."""
    frame = data.query("peer_set", period=f"{period:%Y-%m}", group=group, parks=parks)
    size, reporting = len(frame), int(frame["reported"].sum())
    if group:
        zh, en = f"对标组“{group}”（{size:,} 个园区，本期有数值 {reporting:,} 个）", \
            f"the group “{group}” ({size:,} parks, {reporting:,} with a value this month)"
    elif parks:
        zh, en = f"所选园区（{size:,} 个，本期有数值 {reporting:,} 个）", \
            f"the chosen parks ({size:,}, {reporting:,} with a value this month)"
    else:
        zh, en = f"本期有数值的园区（{reporting:,} 个）", f"parks with a value this month ({reporting:,})"
    st.caption(plain(t(f"对标范围：{zh}；平均、中位数只计有该指标数值的园区，未报送的不计入。",
                       f"Peers: {en}; the mean and median count only parks with a value for the metric.")))


def pending_chrome() -> None:
    """On every page while uploads wait for review (待审核): a switch (kept in the
    URL as ``?pending=1``, so a link shares it) that includes them, and while it
    is on, which parks and months the pages show unapproved, marked 待审核."""
    if data.showing_demo() or not store.has_pending(data.real_cursor()):
        return
    on = data.include_pending()
    st.session_state.setdefault(data.PENDING_SWITCH, on)
    st.sidebar.toggle(t("含待审核数据", "Include data awaiting review"), key=data.PENDING_SWITCH,
                      on_change=_switch_pending,
                      help=t("默认只显示审核通过的数据；打开后，待审核的上传也计入各页面、导出、评价和简报。",
                             "By default pages show approved data only; on, uploads awaiting review count too."))
    if not on:
        return
    review = data.query("review_progress", today=dt.date.today())
    waiting = review[review["state"] == "pending"]
    st.warning(plain(t("本页含待审核数据（尚未审核通过，仅供参考）：", "This page includes data awaiting review: ")
                     + "；".join(f"{r.park} {period(r.period)} 待审核（上传 #{int(r.upload_id)}）"
                                for r in waiting.itertuples())), icon=":material/pending:")


def _switch_pending() -> None:
    if st.session_state.get(data.PENDING_SWITCH):
        st.query_params[data.PENDING_PARAM] = "1"
    else:
        st.query_params.pop(data.PENDING_PARAM, None)
