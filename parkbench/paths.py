"""Where the package finds its SQL models, park registry and demo files, and
where the database lives by default.

In a source checkout they sit beside the package (``queries/``, ``data/``);
``pip install .`` copies them into the package as ``parkbench/queries`` and
``parkbench/data`` (pyproject.toml), and an installed ``parkbench`` command
keeps its database in ``./data/`` of the directory it runs in.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_ROOT = PACKAGE_DIR.parent
INSTALLED = (PACKAGE_DIR / "queries").is_dir()

QUERIES_DIR = PACKAGE_DIR / "queries" if INSTALLED else SOURCE_ROOT / "queries"
DATA_DIR = PACKAGE_DIR / "data" if INSTALLED else SOURCE_ROOT / "data"


def default_db() -> Path:
    """data/parkbench.duckdb of the checkout, or of the working directory when installed."""
    return (Path.cwd() / "data" if INSTALLED else DATA_DIR) / "parkbench.duckdb"
