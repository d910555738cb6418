"""Widgets several pages share: a chart with its PNG download, and the peer-set
picker (parks or a saved group, with saving and deleting groups)."""

from __future__ import annotations

import re

import streamlit as st

from parkbench import store
from parkbench.peers import PeerGroupError
from ui import data, state
from ui.format import plain
from ui.i18n import t


def chart(chart, key: str, file_name: str, selectable: bool = True) -> None:
    """Draw an Altair chart as built (theme=None, fixed width) and offer the
    same spec as a PNG, so the image equals the screen."""
    st.altair_chart(chart, theme=None, width="content", key=key,
                    on_select="rerun" if selectable else "ignore")
    spec = chart.to_json()
    safe = re.sub(r"[^\w\-.]+", "_", file_name)[:80] or "chart"
    st.download_button(t("下载图片（PNG）", "Download image (PNG)"), data=lambda: data.chart_png(spec),
                       file_name=f"{safe}.png", mime="image/png", key=f"{key}:png", on_click="ignore",
                       icon=":material/download:")


def peer_set(page: str, parks: list[str], container=None) -> tuple[str | None, list[str]]:
    """Pick the peer set: a saved group or parks by hand. Returns (group, parks)."""
    box = container or st
    groups = data.peer_groups()
    options = [None, *sorted(groups)]
    group = state.choose("group", t("对标组", "Peer group"), options, page=page, container=box,
                         format_func=lambda g: t("（手动选择园区）", "(pick parks)") if g is None else g)
    if group is not None:
        members = [p for p in groups.get(group, []) if p in parks]
        box.caption(t("对标组园区：", "Parks in the group: ") + "、".join(members))
        return group, members
    chosen = box.multiselect(t("参与对比的园区", "Parks"), parks, default=parks, key=f"{page}:parks")
    return None, chosen


def manage_groups(page: str, parks: list[str]) -> None:
    """Save the current choice of parks as a named group, or delete one."""
    with st.expander(t("管理对标组（全市园区、同类园区…）", "Manage peer groups")):
        left, right = st.columns(2)
        with left.form(f"{page}:save_group", clear_on_submit=True):
            name = st.text_input(t("对标组名称", "Group name"), max_chars=40,
                                 placeholder=t("例如：同类园区", "e.g. similar parks"))
            members = st.multiselect(t("组内园区", "Parks"), parks)
            if st.form_submit_button(t("保存对标组", "Save group")):
                try:
                    saved = data.save_peer_group(name, members)
                    st.success(t(f"已保存对标组“{saved}”。", f"Saved group “{saved}”."))
                except PeerGroupError as exc:
                    st.error(str(exc))
        groups = sorted(data.peer_groups())
        if groups:
            doomed = right.selectbox(t("删除对标组", "Delete group"), groups, key=f"{page}:delete_group")
            if right.button(t("删除", "Delete"), key=f"{page}:delete_button"):
                data.delete_peer_group(doomed)
                state.remember("group", None)
                st.rerun()
        else:
            right.caption(t("还没有保存的对标组。", "No saved groups yet."))


def demo_chrome() -> None:
    """On every page: say when the demo is shown, and keep it one click away
    (查看示例数据) once there is real data. The real store is never touched."""
    if not store.demo_enabled():
        return
    real = data.has_real_data()
    if data.showing_demo():
        if real:
            st.info(t("正在查看示例数据（示例数据，依据公开报道的量级编制，仅供演示），与您上传的数据完全分开。",
                      "Viewing the demo data (示例数据), kept entirely apart from your uploads."), icon=":material/info:")
            st.sidebar.button(t("返回真实数据", "Back to my data"), key="_demo_back", icon=":material/undo:",
                              on_click=data.view_demo, args=(False,))
        else:
            st.info(t("当前显示的是示例数据（示例数据，依据公开报道的量级编制，仅供演示）。"
                      "上传本园区的报表后，各页面将只显示真实数据。",
                      "Showing illustrative demo data (示例数据). Once you upload your own sheets, "
                      "every page shows only your data."), icon=":material/info:")
    else:
        st.sidebar.button(t("查看示例数据", "View demo data"), key="_demo_view", icon=":material/visibility:",
                          on_click=data.view_demo, args=(True,))


def missing_note(version: tuple, period, parks: list[str]) -> None:
    """Say which of the parks shown have not reported ``period`` (本期未报送：…)."""
    if period is None or not parks:
        return
    missing = data.status_summary(version, tuple(sorted(parks))).missing_at(period)
    if missing:
        st.warning(plain(t("本期未报送：", "Not reported for this period: ") + "、".join(missing)), icon=":material/schedule:")
