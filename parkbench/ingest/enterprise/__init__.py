"""Enterprise-level sheets (shapes N1–N6 of docs/enterprises.md): one reader
module per shape, each producing a ``FirmParsed`` (model.py)."""
