"""企业: the firms behind a park's 亩均 at a month (issue 20) — the park's totals
beside its firms' sums, a chart of each firm's 亩均 against the land it holds,
the firms' table, and the 低效用地 list with its report line and 台账.
Only the parks whose firms the account may see (docs/enterprises.md rule 5)."""

import streamlit as st

from parkbench.catalog import metric_label
from parkbench.models import enterprises
from parkbench.output.charts import firm_scatter, short_label
from ui import auth, data, firms, state, widgets
from ui.format import cumulative_period, period
from ui.i18n import lang, t
from ui.shell import ensure_entry

PAGE = "firms"
ensure_entry()
state.enter(PAGE)
st.title(t("企业", "Firms"))
account = auth.current()
parks = data.query("firm_parks", reader=account)
if not parks:
    st.info(t("还没有您可查看的企业数据。上传企业名录（N5）、企业台账或联网直报（N1、N2）、入库税收（N3）和企业用地（N4）后，"
              "这里按园区列出企业的用地、产值、税收和亩均，并找出占地多、税收少的企业。"
              "企业数据只向“管理”账户和所属园区的账户显示。",
              "No firm data you may see yet. Upload a register (N5), ledgers (N1, N2), tax (N3) and land (N4) to "
              "see each park's firms. Firm rows are shown to admins and to the park's own accounts only."))
    st.stop()

top = st.columns([2, 3, 2])
park = state.choose("park", t("园区", "Park"), parks, page=PAGE, container=top[0])
months = sorted(data.query("firm_periods", reader=account, park=park))
if not months:
    st.info(t("该园区还没有企业的月度数值。", "This park has no monthly firm figures yet."))
    st.stop()
chosen = state.choose_slider("period", t("统计期", "Period"), months, page=PAGE, format_func=period,
                             container=top[1])
schemes = {s.scheme_id: s for s in data.query("schemes")}  # chosen by id: the objects are read afresh each run
scheme = schemes.get(top[2].selectbox(t("企业评价方案（等级、D 类）", "Firm evaluation scheme (classes, D)"),
                                      [None, *schemes], key=f"{PAGE}:scheme",
                                      format_func=lambda i: t("（不评价）", "(none)") if i is None
                                      else schemes[i].display_name(lang()),
                          help=t("选择后，企业明细加上等级和连续 D 类年数，低效用地可按 D 类列出",
                                 "Adds each firm's class and years in D; the low-yield list can take class D")))
rows = firms.with_classes(data.query("park_firms", reader=account, park=park, period=chosen),
                          firms.classes(account, park, chosen, scheme))
label = cumulative_period(chosen)

firms.totals(data.query("firm_totals", reader=account, park=park, period=chosen), park, chosen)

st.subheader(t("企业亩均与用地", "Firms' per-mu figures against land"))
controls = st.columns([3, 2])
metric = state.choose("measure", t("指标", "Figure"), list(enterprises.CHART_METRICS), page=PAGE, radio=True,
                      container=controls[0], format_func=lambda m: metric_label(m, lang()))
benchmark = controls[1].number_input(t("基准线（万元/亩，可空）", "Benchmark (10k yuan/mu, optional)"), min_value=0.0,
                                     value=None, step=1.0, key=f"{PAGE}:benchmark",
                                     help=t("例如全县平均或 15 万元/亩；留空则不画", "e.g. the county's average or 15"))
park_value = data.query("park_metric", park=park, period=chosen, metric=metric)
widgets.chart(firm_scatter(rows, metric, park, label, park_value, benchmark, lang()), f"{PAGE}:scatter",
              (park, t("企业", "firms"), short_label(metric, lang()), period(chosen)), selectable=False)

firms.table(PAGE, rows, park, chosen)
firms.low_yield(PAGE, account, rows, park, chosen, metric, benchmark, scheme)
