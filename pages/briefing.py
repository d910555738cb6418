"""简报: a one-page briefing for a park, a peer group and a month, to download
as Word, PDF or PNG (parkbench/output/briefing.py builds it; the CLI `report` too)."""

import streamlit as st

from parkbench.output import briefing
from ui import auth, data, state
from ui.format import period
from ui.i18n import lang, t
from ui.shell import benchmark_page

PAGE = "briefing"
version, parks = benchmark_page(
    PAGE, t("简报", "Briefing"),
    t("还没有数据。请先在“上传数据”页上传园区统计报表（Excel 或 CSV）。",
      "No data yet. Upload statistics sheets (Excel or CSV) first."))

top = st.columns([2, 2, 3])
park = state.choose("park", t("园区", "Park"), parks, page=PAGE, container=top[0])
groups = data.query("peer_groups")
group = state.choose("group", t("对标组", "Peer group"), [None, *sorted(g for g, m in groups.items() if park in m)],
                     page=PAGE, container=top[1],
                     format_func=lambda g: t("（全部园区）", "(all parks)") if g is None else g)
available = sorted(data.query("periods", metric="tax_per_mu")) or sorted(data.query("periods"))
if not available:
    st.info(t("还没有任何指标数值。", "No metric values yet."))
    st.stop()
chosen = state.choose_slider("period", t("统计期", "Period"), available, page=PAGE, format_func=period)
period_text = f"{chosen:%Y-%m}"
language = lang()
account = auth.current()
scheme = None
if account is not None and park in data.query("firm_parks", reader=account):  # 企业 section (rule 5)
    schemes = {s.scheme_id: s for s in data.query("schemes")}  # by id: the objects are read afresh each run
    scheme = schemes.get(st.selectbox(t("企业评价方案（简报列出 D 类企业）", "Firm evaluation scheme (lists class-D firms)"),
                                      [None, *schemes], key=f"{PAGE}:firm_scheme",
                                      format_func=lambda i: t("（不评价企业）", "(no firm evaluation)") if i is None
                                      else schemes[i].display_name(language)))

with st.spinner(t("正在生成简报（图表按 300 dpi 绘制）…", "Making the briefing (charts at 300 dpi)…")):
    try:
        made = data.briefing(version, park, period_text, group, language, account, scheme)
    except briefing.BriefingError as exc:
        st.info(str(exc))
        st.stop()

columns = st.columns(3)
for column, (suffix, label) in zip(columns, (("docx", t("下载 Word（DOCX）", "Download Word (DOCX)")),
                                             ("pdf", t("下载 PDF（A4 一页）", "Download PDF (one A4 page)")),
                                             ("png", t("下载图片（PNG）", "Download image (PNG)"))), strict=True):
    column.download_button(label, data=lambda suffix=suffix: data.briefing_file(version, park, period_text, group,
                                                                                language, suffix, account, scheme),
                           file_name=f"{made.file_stem()}.{suffix}", mime=briefing.MIMES[suffix],
                           key=f"{PAGE}:{suffix}", on_click="ignore", icon=":material/download:")
st.caption(made.subtitle)
with st.container(width=760):  # A4 at a readable size; on a phone, the screen's width (Streamlit caps it)
    st.image(data.briefing_file(version, park, period_text, group, language, "png", account, scheme),
             caption=t("简报预览（A4 一页）", "Preview (one A4 page)"), width="stretch")
