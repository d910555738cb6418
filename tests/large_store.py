"""A province-sized store, built in seconds: generated rows stored through
``store.save`` (the real path: one upload, the models rebuilt), with no file
to parse. Used by the scale tests (AppTest at 2,000 parks, the browser test
at 1,000) and by hand: ``python tests/large_store.py OUT.duckdb 2000 [YEARS]``.

Each park reports 24 months (2024-01 … 2025-12, or ``years`` years to 2025-12) of output, tax, fixed
investment and leading-industry output (本月), land and firms (期末), and an
industry breakdown of four industries for each December.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parkbench import store
from parkbench.ingest.model import GROWTH_COLUMNS, Parsed, empty_frame

PLACES = ("东城 西湖 南山 北辰 青川 白河 金沙 银滩 红旗 绿洲 长兴 永安 富阳 新乐 清源 临江 平川 安溪 宁远 通化 "
          "华容 德兴 泰和 广丰 嘉禾 兴隆 丰宁 盛泽 海门 江阴 溧阳 宜兴 桐乡 余姚 慈溪 瑞安 乐清 温岭 诸暨 义乌").split()
KINDS = ("经济开发区 高新技术产业园区 工业园区 产业集聚区 化工园区 特色产业园区 先进制造业园区 物流园区 现代农业产业园 "
         "综合保税区 新材料产业园 装备制造产业园 生物医药产业园 电子信息产业园 食品产业园 纺织产业园 "
         "新能源产业园 循环经济产业园 临港产业园 数字经济产业园 汽车零部件产业园 家居产业园 建材产业园 轻工产业园 "
         "石化产业园").split()
FLOWS = (("output", 40_000.0), ("tax", 1_000.0), ("fixed_investment", 8_000.0), ("leading_output", 25_000.0))
INDUSTRIES = ("装备制造", "新材料", "食品加工", "其他")


def park_names(count: int) -> list[str]:
    names = [f"{place}{kind}" for place in PLACES for kind in KINDS]
    names += [f"{place}新区{kind}" for place in PLACES for kind in KINDS]
    if count > len(names):
        raise ValueError(f"at most {len(names)} parks")
    return names[:count]


def months(years: int) -> list[dt.date]:
    first = 2026 - years
    return [dt.date(first + m // 12, m % 12 + 1, 1) for m in range(12 * years)]


def generated(count: int, years: int = 2, seed: int = 7) -> Parsed:
    """``count`` parks of generated rows, as a reader would hand them to the store."""
    periods = months(years)
    rng = np.random.default_rng(seed)
    names = park_names(count)
    size = rng.lognormal(0.0, 0.6, count)
    frames = []
    for indicator, scale in FLOWS:
        values = size[:, None] * scale * rng.uniform(0.8, 1.2, (count, len(periods)))
        frames.append(pd.DataFrame({
            "park": np.repeat(names, len(periods)), "indicator": indicator,
            "period": periods * count, "basis": "month", "value": np.round(values.ravel(), 2)}))
    for indicator, values in (("land_area", np.round(size * 3_000 + 500)), ("enterprises", np.round(size * 40 + 5))):
        frames.append(pd.DataFrame({
            "park": np.repeat(names, len(periods)), "indicator": indicator,
            "period": periods * count, "basis": "stock", "value": np.repeat(values, len(periods))}))
    observations = pd.concat(frames, ignore_index=True)
    decembers = [m for m in periods if m.month == 12]
    weights = rng.dirichlet(np.ones(len(INDUSTRIES)), count)
    industries = pd.DataFrame([
        (name, december, industry, i < 2, round(float(size[p] * 480_000 * weights[p, i]), 1), int(10 + 20 * weights[p, i]))
        for p, name in enumerate(names) for december in decembers for i, industry in enumerate(INDUSTRIES)],
        columns=["park", "period", "industry", "is_leading", "output", "firms"])
    return Parsed(f"generated_{count}_parks.csv", "test", observations, empty_frame(GROWTH_COLUMNS), industries)


def build(con, count: int, years: int = 2) -> None:
    """Store ``count`` generated parks in ``con`` as one upload."""
    parsed = generated(count, years)
    store.save(con, parsed, f"generated {count}".encode())


def build_file(path: Path, count: int, years: int = 2) -> Path:
    con = store.connect(path)
    try:
        build(con, count, years)
    finally:
        con.close()
    return path


if __name__ == "__main__":
    build_file(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1000,
               int(sys.argv[3]) if len(sys.argv) > 3 else 2)
