# ParkBench — `make run` serves the app, `make test` runs the checks.
# Both set up .venv from requirements.txt first; nothing to start by hand.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
STAMP := $(VENV)/.installed

.PHONY: run test lint bench demo clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m streamlit run streamlit_app.py --server.port $(PORT) --server.headless true

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP) lint
	$(BIN)/python -m pytest

demo: $(STAMP)
	$(BIN)/python -m parkbench demo --if-empty

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
