"""The named reads the pages run through the one door, ``ui.data.query(name,
**params)``: each name maps to a library function taking the connection
first (most of them choose a query under queries/reads/ and its parameters).

``follows_uploads`` says whether a read's result changes only with an upload
or an undo: the door caches those by the data version. The others read small
tables a user edits without uploading (peer groups, schemes, 调档, alert
thresholds) and run on every call, so an edit shows at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd

from parkbench.models import (
    alerts,
    benchmark,
    checks,
    enterprises,
    evaluation,
    firm_evaluation,
    gap,
    leading,
    metrics,
    peers,
    projection,
    sql,
    status,
)


@dataclass(frozen=True)
class Read:
    run: Callable
    follows_uploads: bool = True


def peer_set(con: duckdb.DuckDBPyConnection, period, group: str | None = None,
             parks: list[str] | None = None) -> pd.DataFrame:
    """The parks a page compares with in a month (queries/reads/peer_set.sql)."""
    return sql.query(con, "reads/peer_set", period=metrics.month_start(period), group=group or None,
                     parks=list(parks) if parks else None)


READS: dict[str, Read] = {
    # data that changes only with an upload or undo
    "park_names": Read(metrics.park_names),
    "periods": Read(metrics.periods),
    "key_figures": Read(metrics.key_figures),
    "league": Read(benchmark.league),
    "peer_set": Read(peer_set),
    "trend": Read(metrics.trend),
    "series": Read(metrics.series),
    "industries": Read(metrics.industries),
    "industry_periods": Read(metrics.industry_periods),
    "cagr": Read(metrics.cagr),
    "cagr_years": Read(metrics.complete_years),
    # 差距测算 and 预计全年: computed for display only, never stored
    "gap": Read(gap.gap),
    "projection": Read(projection.project),
    "metric_ids": Read(metrics.metric_ids),
    "status_summary": Read(status.summary),
    "status_grid": Read(status.grid),
    "review_progress": Read(status.review_progress),
    "flagged_metrics": Read(checks.flagged_metrics),
    "flagged_values": Read(checks.flagged_values),
    # leading groups are saved as uploads (an N6 list), so they follow the data version
    "leading_parks": Read(leading.enterprise_parks),
    "leading_periods": Read(leading.periods),
    "leading_groups": Read(leading.groups_in_force),
    "leading_figures": Read(leading.figures),
    "industry_codes": Read(leading.code_table),
    # a park's firms (issue 20): each takes ``reader`` (docs/enterprises.md rule 5)
    "firm_parks": Read(enterprises.readable_parks),
    "firm_periods": Read(enterprises.periods),
    "park_firms": Read(enterprises.park_firms),
    "firm_totals": Read(enterprises.firm_totals),
    "firm_parcels": Read(enterprises.parcels),
    "park_metric": Read(enterprises.park_metric),
    # the firms' scores (初评) at a month: slow at 30,000 firms, so cached; 调档 applied afresh below
    "firm_scores": Read(firm_evaluation.score_firms),
    # small tables edited without an upload
    "peer_groups": Read(peers.list_groups, follows_uploads=False),
    "alert_settings": Read(alerts.settings, follows_uploads=False),
    "alerts": Read(alerts.alerts, follows_uploads=False),
    "schemes": Read(evaluation.list_schemes, follows_uploads=False),
    "evaluation": Read(evaluation.evaluate_long, follows_uploads=False),
    "evaluation_results": Read(evaluation.results, follows_uploads=False),
    "class_moves": Read(evaluation.class_moves, follows_uploads=False),
    "adjustments": Read(evaluation.adjustments, follows_uploads=False),
    "industry_name_codes": Read(leading.name_codes, follows_uploads=False),
    "firm_results": Read(firm_evaluation.with_adjustments, follows_uploads=False),
    "firm_adjustments": Read(firm_evaluation.firm_adjustments, follows_uploads=False),
    "firm_class_history": Read(firm_evaluation.class_history, follows_uploads=False),
}


def run(con: duckdb.DuckDBPyConnection, name: str, **params):
    """Run the read ``name`` with ``params`` (a KeyError names an unknown read)."""
    return READS[name].run(con, **params)
