"""The 预警 list the home page shows: one month, the parks with a value that month, red
first; thresholds are set on the 综合评价 page (预警设置)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import data, state, widgets
from ui.format import period as period_text
from ui.i18n import lang, t

LEVEL_TEXT = {"red": ("预警", "Warning"), "amber": ("关注", "Watch"), "green": ("良好", "Good")}
# Shown as coloured cells (emoji are boxes where no emoji font is installed).
LEVEL_STYLE = {"red": "background-color: #F6D2C4; color: #8A2A0A", "amber": "background-color: #FCEBC7; color: #7A5200",
               "green": "background-color: #DDEFD9; color: #1E5A1A"}
PAGE = "home"


def alert_list() -> None:
    """预警 for a chosen month (default: the latest), grouped by park."""
    months = sorted(data.query("periods"))
    if not months:
        return
    st.subheader(t("预警", "Alerts"))
    chosen = state.choose_slider("period", t("预警月份", "Month"), months, page=PAGE, format_func=period_text)
    frame = data.query("alerts", period=f"{chosen:%Y-%m}", lang=lang())
    widgets.peer_scope(chosen)
    if frame.empty:
        st.success(t(f"{period_text(chosen)}没有触发预警。", f"No alert for {period_text(chosen)}."))
    else:
        counts = frame["level"].value_counts()
        st.caption(t(f"{period_text(chosen)}：预警 {counts.get('red', 0)} 条，关注 {counts.get('amber', 0)} 条，"
                     f"良好 {counts.get('green', 0)} 条。",
                     f"{period_text(chosen)}: {counts.get('red', 0)} warnings, {counts.get('amber', 0)} to watch, "
                     f"{counts.get('green', 0)} good."))
        table = pd.DataFrame({
            "park": frame["park"],
            "level": [t(*LEVEL_TEXT[v]) for v in frame["level"]],
            "message": frame["message"],
        })
        styles = [LEVEL_STYLE[v] for v in frame["level"]]
        styled = table.style.apply(lambda _: styles, subset=["level"])
        st.dataframe(styled, hide_index=True, width="stretch", placeholder=t("未报送", "not reported"), column_config={
            "park": t("园区", "Park"),
            "level": st.column_config.TextColumn(t("级别", "Level"), width="small"),
            "message": st.column_config.TextColumn(t("预警内容", "Alert"), width="large"),
        })
    s = data.query("alert_settings")
    st.caption(t(f"规则：亩均税收、亩均产值低于组内平均超过 {s['below_mean_pct']:g}%；"
                 f"累计同比低于 {s['growth_red_below']:g}% 为预警、"
                 f"达到 {s['growth_green_from']:g}% 为良好；累计同比连续 {s['falling_months']:g} 个月回落；"
                 f"主导产业占比低于 {s['leading_share_floor']:g}%。阈值在“综合评价”页的“预警设置”中修改。",
                 f"Rules: tax/output per mu more than {s['below_mean_pct']:g}% below the peer mean; YTD growth below "
                 f"{s['growth_red_below']:g}% (warning) or from {s['growth_green_from']:g}% (good); YTD growth falling "
                 f"{s['falling_months']:g} months running; leading share below {s['leading_share_floor']:g}%. "
                 "Thresholds are set on the Evaluation page (Alert settings)."))
