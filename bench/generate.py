"""Deterministic benchmark data, same seed, same bytes:

- long.csv: 1,000 parks × 10 years × 12 months × 12 indicators (family C, with
  gaps, `1-2月` cumulatives and quarterly land): the bench store;
- realistic.csv and noisy.csv: the file of the ingest command rows, 1,000
  parks × 10 years of six monthly flows plus land once a year (730,000
  values). In realistic.csv a park's months lie within ±8 % of each other
  (growing 0–15 % a year); in noisy.csv every value is drawn anew, so the
  data checks have many month-on-month and year-on-year jumps to report;
- family_a.xlsx: 1,000 parks × 12 monthly cumulative sheets (60,000 values)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

SEED = 20240601
PARKS = 1000
YEARS = tuple(range(2016, 2026))
# (indicator as written, basis, unit, annual scale in the unit written)
INDICATORS = (
    ("规上工业总产值", "本月", "万元", 500_000),
    ("工业增加值", "本月", "万元", 120_000),
    ("营业收入", "本月", "万元", 480_000),
    ("利润总额", "本月", "万元", 30_000),
    ("税收收入", "本月", "万元", 12_000),
    ("固定资产投资", "本月", "万元", 90_000),
    ("主导产业产值", "本月", "万元", 300_000),
    ("主导产业税收", "本月", "万元", 7_000),
    ("主导产业投资", "本月", "万元", 50_000),
    ("研发经费", "本月", "万元", 8_000),
    ("用地面积", "期末", "亩", 10_000),
    ("规上企业数", "期末", "户", 60),
)
SEASON = np.array([0.062, 0.066, 0.082, 0.080, 0.083, 0.090, 0.079, 0.080, 0.086, 0.085, 0.088, 0.119])
GAP_RATE = 0.004  # months not reported ("—")
JAN_FEB_RATE = 0.1  # park-years that report February as 1-2月 累计 and no January
PLACES = ("东城 西湖 南山 北辰 青川 白河 金沙 银滩 红旗 绿洲 长兴 永安 富阳 新乐 清源 临江 平川 安溪 宁远 通化 "
          "华容 德兴 泰和 广丰 嘉禾 兴隆 丰宁 盛泽 海门 江阴 溧阳 宜兴 桐乡 余姚 慈溪 瑞安 乐清 温岭 诸暨 义乌").split()
KINDS = ("经济开发区 高新技术产业园区 工业园区 产业集聚区 化工园区 特色产业园区 先进制造业园区 物流园区 现代农业产业园 "
         "综合保税区 新材料产业园 装备制造产业园 生物医药产业园 电子信息产业园 食品产业园 纺织产业园 "
         "新能源产业园 循环经济产业园 临港产业园 数字经济产业园 汽车零部件产业园 家居产业园 建材产业园 轻工产业园 "
         "石化产业园").split()


def park_names() -> list[str]:
    names = [f"{place}{kind}" for place in PLACES for kind in KINDS]
    assert len(names) == len(set(names)) >= PARKS
    return names[:PARKS]


def monthly_values(rng: np.random.Generator) -> np.ndarray:
    """[park, year, month, indicator] in the unit written, growing 0–15 % a year."""
    size = rng.lognormal(0.0, 0.6, PARKS)
    growth = rng.uniform(1.0, 1.15, (PARKS, len(YEARS))).cumprod(axis=1)
    noise = rng.uniform(0.9, 1.1, (PARKS, len(YEARS), 12, len(INDICATORS)))
    scale = np.array([s for *_, s in INDICATORS], dtype=float)
    values = size[:, None, None, None] * growth[:, :, None, None] * noise * scale
    values[..., :10] *= SEASON[None, None, :, None]
    values[..., 10] = np.round(values[:, :, :1, 10] / 100) * 100  # land changes yearly
    values[..., 11] = np.round(values[..., 11])
    return np.round(values, 2)


LONG_HEADER = ["园区", "统计期", "指标", "口径", "数值", "单位"]


def write_long(path: Path, rows) -> int:
    """A long CSV (LONG_HEADER) of ``rows``; returns how many were written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(LONG_HEADER)
        for line in rows:
            out.writerow(line)
            count += 1
    return count


def write_long_csv(path: Path) -> int:
    """The long CSV; returns the number of value rows."""
    return write_long(path, long_rows())


def long_rows():
    rng = np.random.default_rng(SEED)
    names = park_names()
    values = monthly_values(rng)
    gaps = rng.random(values.shape) < GAP_RATE
    jan_feb = rng.random((PARKS, len(YEARS))) < JAN_FEB_RATE
    for p, name in enumerate(names):
        for y, year in enumerate(YEARS):
            block = values[p, y]
            for m in range(12):
                for i, (indicator, basis, unit, _) in enumerate(INDICATORS):
                    period, written_basis, value = f"{year}-{m + 1:02d}", basis, f"{block[m, i]:.2f}"
                    if i < 10 and jan_feb[p, y] and m < 2:
                        if m == 0:
                            value = "—"
                        else:
                            period, written_basis = f"{year}年1-2月", "累计"
                            value = f"{block[0, i] + block[1, i]:.2f}"
                    elif i == 10 and m % 3:
                        value = ""  # land reported quarterly, held in between
                    elif gaps[p, y, m, i]:
                        value = "—"
                    yield [name, period, indicator, written_basis, value, unit]


A_HEADER = ["序号", "园区名称", "规上工业总产值(万元)", "同比增长(%)", "税收收入(万元)", "同比增长(%)",
            "主导产业产值(万元)", "用地面积(亩)", "规上企业(户)"]


def write_family_a(path: Path, year: int = 2024) -> int:
    """Family A: one sheet per month, January to N cumulative; returns the rows of parks."""
    import xlsxwriter

    rng = np.random.default_rng(SEED + 1)
    names = park_names()
    values = monthly_values(rng)
    y = YEARS.index(year)
    this, last = values[:, y], values[:, y - 1]
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    for n in range(1, 13):
        sheet = workbook.add_worksheet(f"{year}年1-{n}月")
        sheet.write_row(0, 0, [f"{year}年1-{n}月全市工业园区主要经济指标"])
        sheet.write_row(1, 0, ["单位：万元、亩、户"])
        sheet.write_row(2, 0, A_HEADER)
        cum, cum_last = this[:, :n].sum(axis=1), last[:, :n].sum(axis=1)
        for p, name in enumerate(names):
            output, tax = round(cum[p, 0], 2), round(cum[p, 4], 2)
            sheet.write_row(3 + p, 0, [p + 1, name, output, round(100 * (cum[p, 0] / cum_last[p, 0] - 1), 1),
                                       tax, round(100 * (cum[p, 4] / cum_last[p, 4] - 1), 1),
                                       round(cum[p, 6], 2), this[p, n - 1, 10], this[p, n - 1, 11]])
        total = 3 + len(names)
        sheet.write_row(total, 0, ["", "合计", round(cum[:, 0].sum(), 2), None, round(cum[:, 4].sum(), 2), None,
                                   round(cum[:, 6].sum(), 2), this[:, n - 1, 10].sum(), this[:, n - 1, 11].sum()])
        sheet.write_row(total + 1, 0, ["注：规上工业总产值、税收收入为1至本月累计数；同比增长按可比口径计算。"])
    workbook.close()
    return len(names) * 12


# (indicator as written, annual scale in 万元) of the ingest rows' files; land (亩) once a year.
COMMAND_FLOWS = (("规上工业总产值", 500_000), ("工业增加值", 120_000), ("营业收入", 480_000),
                 ("税收收入", 12_000), ("固定资产投资", 90_000), ("主导产业产值", 300_000))


def command_values(rng: np.random.Generator, noisy: bool) -> tuple[np.ndarray, np.ndarray]:
    """([park, year, month, flow] in 万元, [park, year] land in 亩)."""
    shape = (PARKS, len(YEARS), 12, len(COMMAND_FLOWS))
    scale = np.array([s for _, s in COMMAND_FLOWS], dtype=float) / 12
    size = rng.lognormal(0.0, 0.6, PARKS)
    land = np.round(size * 10_000 / 100) * 100 + 100
    if noisy:  # every month, and every year's land, drawn anew
        flows = rng.lognormal(0.0, 0.8, shape) * size[:, None, None, None] * scale
        land = np.round(land[:, None] * rng.uniform(0.5, 1.5, (PARKS, len(YEARS))) / 100) * 100
    else:  # within ±4 % of the year's level: any two months within ±8 % of each other
        growth = rng.uniform(1.0, 1.15, (PARKS, len(YEARS))).cumprod(axis=1)
        flows = (size[:, None, None, None] * growth[:, :, None, None] * rng.uniform(0.96, 1.04, shape) * scale)
        land = np.repeat(land[:, None], len(YEARS), axis=1)
    return np.round(flows, 2), land


def write_command_csv(path: Path, noisy: bool) -> int:
    """The ingest rows' long CSV; returns the number of value rows (730,000)."""
    return write_long(path, command_rows(noisy))


def command_rows(noisy: bool):
    rng = np.random.default_rng(SEED + (3 if noisy else 2))
    flows, land = command_values(rng, noisy)
    for p, name in enumerate(park_names()):
        for y, year in enumerate(YEARS):
            yield [name, f"{year}-01", "用地面积", "期末", f"{land[p, y]:.0f}", "亩"]
            for m in range(12):
                period = f"{year}-{m + 1:02d}"
                for i, (indicator, _) in enumerate(COMMAND_FLOWS):
                    yield [name, period, indicator, "本月", f"{flows[p, y, m, i]:.2f}", "万元"]
