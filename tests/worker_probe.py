"""Run in a parse worker (``isolate.run`` pickles the function by name, so the
worker imports this module, which imports nothing of the tests or the app)."""

from __future__ import annotations

import sys


def imported_while_reading(data: bytes, file_name: str) -> list[str]:
    """The modules reading this file as the upload worker does (a refusal
    included) imported that the worker did not have already."""
    from parkbench.errors import IngestError
    from parkbench.ingest import isolate

    before = set(sys.modules)
    try:
        isolate.read_upload(data, file_name)
    except IngestError:
        pass
    return sorted(set(sys.modules) - before)
