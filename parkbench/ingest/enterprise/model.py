"""What enterprise readers (shapes N1–N6 of docs/enterprises.md) produce: the
contract between the readers and the store.

A ``FirmParsed`` holds everything one enterprise-level file yields, as frames
in canonical units (万元, 亩, 人, 万千瓦时), periods as the first day of the
month. Missing or 未报送 cells are left out (a firm without a row for a period
makes the park's sum unknown in the models, never smaller).

Frames and their columns (``sheet``/``row``/``column`` say where each value was
read: sheet name, 1-based row, "F 列（工业总产值 本月）", so warnings can name it):

- ``identities``: one row per enterprise as a sheet names it, at a period (the
  name history comes from these): credit_code (18 characters, upper case, or
  None), org_code (9 characters or None), enterprise (name as written), park
  (or None when the file names none, as N2 and N3), industry_code (GB/T 4754
  code as text, or None), industry_name (or None), period (date or None).
- ``values``: credit_code, org_code, enterprise, park, indicator (catalog ids:
  output, sales_output, export_delivery, revenue, profit, tax, electricity,
  employees, land_area …), period, basis (month, ytd, stock, month_prior,
  ytd_prior — the prior-year bases as in the park store: the same firm's value
  a year before ``period``, printed beside it), value (float).
- ``growth``: the growth rates the sheet itself published, percent: the same
  keys as ``values`` (basis month or ytd).
- ``registers`` (N5): which park a firm belongs to from ``valid_from``:
  credit_code, org_code, enterprise, park, industry_code, industry_name,
  above_scale (bool or None), above_scale_since (date or None), valid_from.
- ``parcels`` (N4): credit_code, enterprise, park, parcel (宗地编号), area (亩),
  tenure (own, rent_in, rent_out), registered (date).
- ``leading`` (N6): park, group (主导产业 name), prefix (one GB/T 4754 code
  prefix per row: "33-40" gives 33 … 40), valid_from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from parkbench.ingest.model import Skipped, empty_frame

WHERE = ["sheet", "row", "column"]
FIRM_KEYS = ["credit_code", "org_code", "enterprise", "park"]
IDENTITY_COLUMNS = [*FIRM_KEYS, "industry_code", "industry_name", "period", "sheet", "row"]
VALUE_COLUMNS = [*FIRM_KEYS, "indicator", "period", "basis", "value", *WHERE]
GROWTH_COLUMNS = VALUE_COLUMNS
REGISTER_COLUMNS = [*FIRM_KEYS, "industry_code", "industry_name", "above_scale", "above_scale_since", "valid_from",
                    "sheet", "row"]
PARCEL_COLUMNS = ["credit_code", "enterprise", "park", "parcel", "area", "tenure", "registered", "sheet", "row"]
LEADING_COLUMNS = ["park", "group", "prefix", "valid_from", "sheet", "row"]
TENURES = ("own", "rent_in", "rent_out")
SHAPES = ("N1", "N2", "N3", "N4", "N5", "N6")


@dataclass
class FirmParsed:
    """Everything one enterprise-level file yields (see the module docstring)."""

    file_name: str
    shape: str  # N1 … N6
    identities: pd.DataFrame = field(default_factory=lambda: empty_frame(IDENTITY_COLUMNS))
    values: pd.DataFrame = field(default_factory=lambda: empty_frame(VALUE_COLUMNS))
    growth: pd.DataFrame = field(default_factory=lambda: empty_frame(GROWTH_COLUMNS))
    registers: pd.DataFrame = field(default_factory=lambda: empty_frame(REGISTER_COLUMNS))
    parcels: pd.DataFrame = field(default_factory=lambda: empty_frame(PARCEL_COLUMNS))
    leading: pd.DataFrame = field(default_factory=lambda: empty_frame(LEADING_COLUMNS))
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def parks(self) -> list[str]:
        frames = (self.identities, self.values, self.registers, self.parcels, self.leading)
        return sorted({p for f in frames for p in pd.unique(f["park"]) if isinstance(p, str)})

    @property
    def periods(self) -> list[dt.date]:
        return sorted({pd.Timestamp(p).date() for p in pd.unique(self.values["period"]) if pd.notna(p)})

    @property
    def needs_park(self) -> bool:
        """True when some value rows name no park (N2, N3): the store takes the
        park from the register, or the user names one (``--park``)."""
        return bool(self.values["park"].isna().any())

    @property
    def value_count(self) -> int:
        return (len(self.values) + len(self.growth) + len(self.registers) + len(self.parcels)
                + len(self.leading))
