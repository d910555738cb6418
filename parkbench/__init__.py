"""ParkBench 园区对标: ingest park statistics sheets, store them in DuckDB,
compute benchmark metrics in SQL. This package never imports streamlit."""
