"""App-side helpers: the one place that knows about Streamlit caching and
session state. Pages import from here and from parkbench."""
