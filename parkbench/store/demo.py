"""Illustrative data (示例数据): monthly series 2023-01…2025-12 for four parks,
calibrated to the figures the parks published (docs/seed-facts.md):

- 示例县工业园区: 2023 1-11月 output 124.2亿元 (+16.33 %), tax 1.52亿元, 34 firms,
  11.23 km² of land (16,845 亩); 2023 full year output 140亿元 (+21.2 %), tax 1.9亿元,
  44 firms; infrastructure 15.43亿, industrial 38.43亿, technical-upgrade 33.14亿
  investment for 1-11月; 纺织鞋服 and 健康食品 its leading sectors.
- 确山县产业集聚区: 2023 上半年 output 53.2亿元 with leading industries 35.7亿 (67 %),
  tax 1.14亿 (leading 8,200万, 72 %), fixed investment 40.1亿 (leading 19.4亿).
- 寻甸特色产业园区 and 宽甸经济开发区: magnitudes from their reports.

The files are written in the layouts users upload (a long CSV, family C,
and an industry sheet, family E) and loaded through the normal ingest, so
the demo exercises the same path as real data. ``python -m parkbench.store.demo``
rewrites data/demo/ from this code; a test checks the two agree.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import duckdb

from parkbench import paths, store
from parkbench.ingest import parse_file

DEMO_DIR = paths.DATA_DIR / "demo"
YEARS = (2023, 2024, 2025)

# Share of the annual flow falling in each month (Jan–Feb slow, year-end rush).
SEASON = (0.062, 0.066, 0.082, 0.080, 0.083, 0.090, 0.079, 0.080, 0.086, 0.085, 0.088, 0.119)

# park → settings. Money in 万元, land in the unit written to the file.
PARKS = {
    "示例县工业园区": {
        "output": 1_400_000, "growth": (0.0, 0.13, 0.10), "tax_ratio": 19_000 / 1_400_000,
        "leading_share": 0.62, "fixed_investment": 720_000,
        "land": ("11.23", "平方公里"), "firms": (34, 44, 47, 51),
        "industries": (("纺织鞋服", True, 0.34, 13), ("健康食品", True, 0.28, 22),
                       ("装备制造", False, 0.22, 6), ("新型建材", False, 0.16, 3)),
    },
    "确山县产业集聚区": {
        "output": 1_120_000, "growth": (0.0, 0.18, 0.12), "tax_ratio": 11_400 / 532_000,
        "leading_share": 357_000 / 532_000, "fixed_investment": 820_000,
        "land": ("10", "平方公里"), "firms": (42, 42, 43, 46),
        "industries": (("新能源", True, 0.40, 9), ("纺织鞋服", True, 0.27, 12),
                       ("生物医药", False, 0.18, 11), ("绿色化工", False, 0.15, 10)),
    },
    "寻甸特色产业园区": {
        "output": 640_000, "growth": (0.0, 0.09, 0.08), "tax_ratio": 0.025,
        "leading_share": 0.57, "fixed_investment": 210_000,
        "land": ("800", "公顷"), "firms": (31, 32, 34, 35),
        "industries": (("家居制造", True, 0.33, 6), ("农特产品加工", True, 0.24, 9),
                       ("新型建材", False, 0.17, 8), ("装备制造", False, 0.14, 5), ("绿色化工", False, 0.12, 3)),
    },
    "宽甸经济开发区": {
        "output": 330_000, "growth": (0.0, 0.08, 0.07), "tax_ratio": 0.036,
        "leading_share": 0.52, "fixed_investment": 150_000,
        "land": ("8700", "亩"), "firms": (21, 22, 23, 24),
        "industries": (("农产品深加工", True, 0.28, 8), ("非金属新型材料", True, 0.16, 5),
                       ("光伏石英砂", True, 0.10, 3), ("装备制造", False, 0.26, 6), ("食品加工", False, 0.20, 4)),
    },
}

# Published cumulative figures the series must hit exactly (万元).
TARGETS = {
    ("示例县工业园区", 2023): {"output": {11: 1_242_000, 12: 1_400_000}, "tax": {11: 15_200, 12: 19_000},
                         "infra_investment": {11: 154_300}, "industrial_investment": {11: 384_300},
                         "tech_investment": {11: 331_400}},
    ("确山县产业集聚区", 2023): {"output": {6: 532_000}, "leading_output": {6: 357_000}, "tax": {6: 11_400},
                          "leading_tax": {6: 8_200}, "fixed_investment": {6: 401_000},
                          "leading_investment": {6: 194_000}},
}
# Prior-year cumulative values implied by the published growth (2022 is not in
# the series; these let 2023's 累计同比 be computed as it was published).
PRIOR_YEAR = {
    "示例县工业园区": {"output": {11: round(1_242_000 / 1.1633, 1), 12: round(1_400_000 / 1.212, 1)}},
}

INDICATOR_NAMES = {
    "output": "规上工业总产值", "tax": "税收收入", "leading_output": "主导产业产值",
    "fixed_investment": "固定资产投资", "leading_tax": "主导产业税收", "leading_investment": "主导产业投资",
    "infra_investment": "基础设施投资", "industrial_investment": "工业投资", "tech_investment": "技改投资",
    "land_area": "用地面积", "enterprises": "规上企业数",
}


def _fit(months: list[float], cumulative: dict[int, float]) -> list[float]:
    """Rescale the stretches between targeted months so that the cumulative
    values hit each target exactly."""
    out = list(months)
    start, done = 0, 0.0
    for month in sorted(cumulative):
        stretch = sum(out[start:month])
        factor = (cumulative[month] - done) / stretch
        for i in range(start, month):
            out[i] *= factor
        done, start = cumulative[month], month
    return out


def series(park: str, rng: random.Random) -> dict[tuple[str, int], list[float]]:
    """(indicator, year) → twelve monthly values in 万元, rounded to 0.1."""
    cfg = PARKS[park]
    out: dict[tuple[str, int], list[float]] = {}
    annual = cfg["output"]
    for year, growth in zip(YEARS, cfg["growth"], strict=True):
        annual *= 1 + growth
        base = [annual * s * rng.uniform(0.95, 1.05) for s in SEASON]
        flows = {
            "output": base,
            "tax": [v * cfg["tax_ratio"] * rng.uniform(0.85, 1.15) for v in base],
            "leading_output": [v * cfg["leading_share"] * rng.uniform(0.97, 1.03) for v in base],
            "fixed_investment": [cfg["fixed_investment"] * (1 + growth) * s * rng.uniform(0.8, 1.2)
                                 for s in SEASON],
        }
        if park == "确山县产业集聚区":
            flows["leading_tax"] = [v * 0.72 for v in flows["tax"]]
            flows["leading_investment"] = [v * 0.48 for v in flows["fixed_investment"]]
        if park == "示例县工业园区":
            flows["infra_investment"] = [v * 0.21 for v in flows["fixed_investment"]]
            flows["industrial_investment"] = [v * 0.53 for v in flows["fixed_investment"]]
            flows["tech_investment"] = [v * 0.46 for v in flows["fixed_investment"]]
        for indicator, targets in TARGETS.get((park, year), {}).items():
            flows[indicator] = _fit(flows[indicator], targets)
        for indicator, values in flows.items():
            out[(indicator, year)] = [round(v, 1) for v in values]
    _fix_rounding(out, park)
    return out


def _fix_rounding(out, park: str) -> None:
    """Rounding each month to 0.1 can move a targeted cumulative by a few
    tenths; put the difference into the targeted month."""
    for (name, year), targets in TARGETS.items():
        if name != park:
            continue
        for indicator, cumulative in targets.items():
            values = out[(indicator, year)]
            for month in sorted(cumulative):
                values[month - 1] = round(values[month - 1] + cumulative[month] - sum(values[:month]), 1)


def long_csv() -> bytes:
    rng = random.Random(20231130)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["园区", "统计期", "指标", "口径", "数值", "单位"])
    for park, cfg in PARKS.items():
        values = series(park, rng)
        for year in YEARS:
            land, land_unit = cfg["land"]
            writer.writerow([park, f"{year}-01", INDICATOR_NAMES["land_area"], "期末", land, land_unit])
            for month in range(1, 13):
                period = f"{year}-{month:02d}"
                for (indicator, y), months in values.items():
                    if y == year:
                        writer.writerow([park, period, INDICATOR_NAMES[indicator], "本月", f"{months[month - 1]:.1f}", "万元"])
                firms = cfg["firms"][YEARS.index(year) + (1 if month == 12 else 0)]
                writer.writerow([park, period, INDICATOR_NAMES["enterprises"], "期末", firms, "户"])
        for indicator, cumulative in PRIOR_YEAR.get(park, {}).items():
            for month, value in cumulative.items():
                writer.writerow([park, f"2022-{month:02d}", INDICATOR_NAMES[indicator], "累计", f"{value:.1f}", "万元"])
    return buffer.getvalue().encode("utf-8")


def industries_csv() -> bytes:
    """Year-end industry structure per park: output split by sector shares,
    leading sectors scaled so that they sum to the leading output reported."""
    rng = random.Random(20241231)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["园区", "统计期", "产业名称", "是否主导产业", "产值(万元)", "企业数(户)"])
    series_rng = random.Random(20231130)
    for park, cfg in PARKS.items():
        values = series(park, series_rng)
        for year in YEARS:
            total = sum(values[("output", year)])
            leading_total = sum(values[("leading_output", year)])
            leading = [s for s in cfg["industries"] if s[1]]
            other = [s for s in cfg["industries"] if not s[1]]
            lead_weight = sum(s[2] for s in leading)
            other_weight = sum(s[2] for s in other)
            for name, is_leading, weight, firms in cfg["industries"]:
                jitter = rng.uniform(0.97, 1.03)
                if is_leading:
                    output = leading_total * weight / lead_weight
                else:
                    output = (total - leading_total) * weight / other_weight * jitter
                writer.writerow([park, f"{year}年1-12月", name, "是" if is_leading else "否",
                                 f"{output:.1f}", firms + YEARS.index(year)])
    return buffer.getvalue().encode("utf-8")


def files() -> dict[str, bytes]:
    return {"示例数据_园区月度长表.csv": long_csv(), "示例数据_产业结构.csv": industries_csv()}


def write(directory: Path = DEMO_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in files().items():
        path = directory / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def load(con) -> list:
    """Ingest the demo files (from data/demo/, written first if missing) as
    demo uploads; returns the upload results."""
    results = []
    for name in files():
        path = DEMO_DIR / name
        if not path.exists():
            write()
        data = path.read_bytes()
        results.append(store.save(con, parse_file(data, name), data, is_demo=True))
    return results


def open_demo() -> duckdb.DuckDBPyConnection:
    """The demo database: its own in-memory store, filled from data/demo/ by
    the normal ingest. The real store is never touched by it."""
    con = store.connect(":memory:")
    load(con)
    return con


if __name__ == "__main__":
    for written in write():
        print(written)
