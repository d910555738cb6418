"""A noisy long CSV for the data checks (issue 17): the bench's 1,000 parks ×
10 years, six monthly indicators, each month's value drawn anew (no season,
no trend), so month-on-month and year-on-year changes beyond the thresholds
are everywhere — the file that made ``ingest`` print half a million 警告 lines.

    .venv/bin/python -m bench.noisy bench/data/noisy.csv
    .venv/bin/python -m parkbench ingest bench/data/noisy.csv --max-mb 500 --db /tmp/noisy.duckdb

Same seed, same bytes."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

from bench.generate import INDICATORS, PARKS, SEED, YEARS, park_names

FLOWS = INDICATORS[:6]  # 规上工业总产值 … 固定资产投资, 本月, 万元
GAP_RATE = 0.002  # months written as "—" (a month missing inside a series)


def write_noisy_long_csv(path: Path) -> int:
    """The noisy CSV; returns the number of value rows (1,000 × 120 × 6 = 720,000)."""
    rng = np.random.default_rng(SEED + 17)
    names = park_names()
    scale = np.array([s for *_, s in FLOWS], dtype=float) / 12
    size = rng.lognormal(0.0, 0.6, PARKS)
    values = np.round(size[:, None, None, None] * scale * rng.lognormal(0.0, 0.5, (PARKS, len(YEARS), 12, len(FLOWS))), 2)
    gaps = rng.random(values.shape) < GAP_RATE
    gaps[:, 0, 0, :] = gaps[:, -1, -1, :] = False  # a gap inside the series, never at its ends
    rows = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["园区", "统计期", "指标", "口径", "数值", "单位"])
        for p, name in enumerate(names):
            for y, year in enumerate(YEARS):
                for m in range(12):
                    for i, (indicator, basis, unit, _) in enumerate(FLOWS):
                        value = "—" if gaps[p, y, m, i] else f"{values[p, y, m, i]:.2f}"
                        out.writerow([name, f"{year}-{m + 1:02d}", indicator, basis, value, unit])
                        rows += 1
    return rows


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/data/noisy.csv")
    print(f"{write_noisy_long_csv(target):,} rows → {target}")
