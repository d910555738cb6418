"""What ParkBench knows about indicators and metrics: ids, Chinese and English
names, units, and whether an indicator is a flow or a stock.

Everything a page or an export labels comes from here, so a name is spelled
once.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    id: str
    zh: str
    en: str
    kind: str  # "flow" (reported per month or cumulative) or "stock" (level at a date)
    unit: str  # canonical unit the store keeps
    aliases: tuple[str, ...] = ()


INDICATORS: tuple[Indicator, ...] = (
    Indicator("output", "规上工业总产值", "Industrial output", "flow", "万元",
              ("规上工业总产值", "规模以上工业总产值", "工业总产值", "总产值", "规上工业产值")),
    Indicator("value_added", "工业增加值", "Industrial value added", "flow", "万元",
              ("工业增加值", "规上工业增加值", "规模以上工业增加值")),
    Indicator("revenue", "营业收入", "Operating revenue", "flow", "万元",
              ("营业收入", "主营业务收入")),
    # 工业销售产值 and 出口交货值: the other two lines of the 联网直报 form B204-1 (enterprise sheets, N2).
    Indicator("sales_output", "工业销售产值", "Industrial sales output", "flow", "万元",
              ("工业销售产值", "规上工业销售产值", "销售产值")),
    Indicator("export_delivery", "出口交货值", "Export delivery value", "flow", "万元", ("出口交货值",)),
    Indicator("profit", "利润总额", "Total profit", "flow", "万元", ("利润总额",)),
    Indicator("tax", "税收收入", "Tax revenue", "flow", "万元",
              ("税收收入", "税收", "实缴税收", "入库税收", "纳税", "税收总额", "实缴税金", "入库税金",
               "实缴税款", "入库税款")),
    Indicator("fixed_investment", "固定资产投资", "Fixed-asset investment", "flow", "万元",
              ("固定资产投资",)),
    Indicator("industrial_investment", "工业投资", "Industrial investment", "flow", "万元",
              ("工业投资",)),
    Indicator("tech_investment", "技改投资", "Technical-upgrade investment", "flow", "万元",
              ("技改投资", "技术改造投资")),
    Indicator("infra_investment", "基础设施投资", "Infrastructure investment", "flow", "万元",
              ("基础设施投资",)),
    Indicator("leading_output", "主导产业产值", "Leading-industry output", "flow", "万元",
              ("主导产业产值",)),
    Indicator("leading_tax", "主导产业税收", "Leading-industry tax", "flow", "万元",
              ("主导产业税收", "主导产业纳税")),
    Indicator("leading_investment", "主导产业投资", "Leading-industry investment", "flow", "万元",
              ("主导产业投资",)),
    Indicator("enterprises", "规上企业数", "Enterprises above scale", "stock", "户",
              ("规上企业数", "规上企业", "规模以上工业企业数", "规上工业企业数", "规上企业个数")),
    Indicator("employees", "从业人员", "Employees", "stock", "人", ("从业人员", "从业人员数")),
    # The land 亩均 divides by. 建成区面积 and 规划面积 are other areas, kept under
    # their own names (stocks in 亩, ingest.rows.indicator_kind); of two land columns
    # in one sheet the more specific is land_area (normalize.LAND_SPECIFICITY), the
    # other keeps its own name.
    Indicator("land_area", "用地面积", "Land area", "stock", "亩",
              ("用地面积", "工业用地面积", "已供工业用地", "已供工业用地面积", "工业用地", "已供地面积",
               "土地面积")),
    Indicator("energy", "综合能耗", "Energy use", "flow", "吨标准煤", ("综合能耗",)),
    Indicator("electricity", "用电量", "Electricity use", "flow", "万千瓦时", ("用电量", "工业用电量", "耗电量")),
    Indicator("rd_spend", "研发经费", "R&D spending", "flow", "万元",
              ("研发经费", "R&D经费支出", "研发经费支出")),
)

INDICATOR_BY_ID = {i.id: i for i in INDICATORS}


@dataclass(frozen=True)
class Metric:
    id: str
    zh: str
    en: str
    unit: str  # "%" for percentages, else the unit of the value
    group: str  # "per_mu", "share", "growth", "efficiency", "enterprises" (parks with enterprise rows only)


METRICS: tuple[Metric, ...] = (
    Metric("tax_per_mu", "亩均税收", "Tax per mu", "万元/亩", "per_mu"),
    Metric("tax_per_mu_annual", "年化亩均税收", "Annualised tax per mu", "万元/亩", "per_mu"),
    Metric("output_per_mu", "亩均产值", "Output per mu", "万元/亩", "per_mu"),
    Metric("value_added_per_mu", "亩均增加值", "Value added per mu", "万元/亩", "per_mu"),
    Metric("revenue_per_mu", "亩均营业收入", "Revenue per mu", "万元/亩", "per_mu"),
    Metric("leading_share", "主导产业占比", "Leading-industry share of output", "%", "share"),
    Metric("leading_tax_share", "主导产业税收占比", "Leading-industry share of tax", "%", "share"),
    Metric("leading_investment_share", "主导产业投资占比",
           "Leading-industry share of investment", "%", "share"),
    Metric("output_yoy", "产值本月同比", "Output, month YoY", "%", "growth"),
    Metric("tax_yoy", "税收本月同比", "Tax, month YoY", "%", "growth"),
    Metric("output_mom", "产值环比", "Output, MoM", "%", "growth"),
    Metric("tax_mom", "税收环比", "Tax, MoM", "%", "growth"),
    Metric("output_ytd_yoy", "产值累计同比", "Output, YTD YoY", "%", "growth"),
    Metric("tax_ytd_yoy", "税收累计同比", "Tax, YTD YoY", "%", "growth"),
    Metric("fixed_investment_ytd_yoy", "固定资产投资累计同比", "Fixed investment, YTD YoY", "%",
           "growth"),
    Metric("energy_per_output", "单位产值能耗", "Energy per output", "吨标准煤/万元", "efficiency"),
    Metric("value_added_per_energy", "单位能耗增加值", "Value added per energy", "万元/吨标准煤", "efficiency"),
    Metric("tax_per_energy", "单位能耗税收", "Tax per energy", "万元/吨标准煤", "efficiency"),
    Metric("labour_productivity", "全员劳动生产率", "Labour productivity", "万元/人·年", "efficiency"),
    Metric("rd_intensity", "研发投入强度", "R&D intensity", "%", "efficiency"),
    Metric("enterprises_reporting", "报送企业数", "Enterprises reporting", "户", "enterprises"),
    Metric("leading_enterprises", "主导产业企业数", "Leading-industry enterprises", "户", "enterprises"),
)

METRIC_BY_ID = {m.id: m for m in METRICS}


def metric_label(metric_id: str, lang: str = "zh") -> str:
    """Label with unit, e.g. "亩均税收（万元/亩）"; reported-growth ids get a readable name too."""
    metric = METRIC_BY_ID.get(metric_id)
    if metric is not None:
        name = metric.zh if lang == "zh" else metric.en
        return f"{name}（{metric.unit}）" if lang == "zh" else f"{name} ({unit_label(metric.unit, lang)})"
    for suffix, zh, en in (("_ytd_yoy_reported", "累计同比（报送）", "YTD YoY, reported"),
                           ("_yoy_reported", "本月同比（报送）", "month YoY, reported")):
        if metric_id.endswith(suffix):
            indicator = metric_id[: -len(suffix)]
            ind = INDICATOR_BY_ID.get(indicator)
            base = (ind.zh if lang == "zh" else ind.en) if ind else indicator
            return f"{base}{zh}（%）" if lang == "zh" else f"{base}, {en} (%)"
    return metric_id


UNIT_EN = {"万元/亩": "10k yuan/mu", "万元": "10k yuan", "亿元": "100m yuan", "亩": "mu", "户": "firms",
           "人": "persons", "吨标准煤": "t standard coal", "万千瓦时": "10k kWh", "%": "%", "个百分点": "points",
           "吨标准煤/万元": "t standard coal/10k yuan", "万元/吨标准煤": "10k yuan/t standard coal",
           "万元/吨标煤": "10k yuan/t standard coal", "万元/人·年": "10k yuan/person-year", "万元/吨": "10k yuan/t"}


def unit_label(unit: str, lang: str = "zh") -> str:
    """A unit in the interface language: 万元/亩 → "10k yuan/mu" in English."""
    return unit if lang == "zh" else UNIT_EN.get(unit, unit)


def metric_unit(metric_id: str) -> str:
    metric = METRIC_BY_ID.get(metric_id)
    if metric is not None:
        return metric.unit
    return "%" if metric_id.endswith("_reported") else ""
