# ParkBench — `make run` serves the app, `make test` runs the checks.
# Both set up .venv from requirements.txt first; nothing to start by hand.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
# localhost: this computer only, open without accounts. To serve the office
# network: `make run ADDRESS=0.0.0.0` after creating accounts (README, 部署).
ADDRESS ?= localhost
STAMP := $(VENV)/.installed

.PHONY: run test lint bench demo clean browser fonts

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

run: $(STAMP) fonts
	$(BIN)/python -m streamlit run streamlit_app.py --server.address $(ADDRESS) --server.port $(PORT) --server.headless true

lint: $(STAMP)
	$(BIN)/ruff check .

# A Chinese font for chart images and briefings (fonts-noto-cjk when missing and root).
fonts:
	bash scripts/ensure_fonts.sh

# Browser prerequisites (chromium, fonts-noto-cjk): installed when missing and
# possible (root with apt-get); otherwise the script says how, and the browser
# tests fail with the same advice. pytest's exit 5 (no test collected) is not
# a failure.
browser:
	bash scripts/ensure_browser.sh

test: $(STAMP) lint fonts browser
	$(BIN)/python -m pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest collected no test"; rc=0; fi; exit $$rc

# Benchmark (not part of test): generates bench/data/ once, writes bench/results.json.
bench: $(STAMP)
	$(BIN)/python -m bench.run

demo: $(STAMP)
	$(BIN)/python -m parkbench demo --if-empty

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
