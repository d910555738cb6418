# ParkBench — `make run` serves the app, `make test` runs the checks.
# Both set up .venv from the lock files first; nothing to start by hand.
#
# Dependencies: requirements.txt (runtime pins) and requirements-test.txt (test
# tools) are the files to edit; `make lock` resolves them into
# requirements.lock and requirements-test.lock, the full installed sets that
# `make run` and `make test` install. Commit the locks with the pin.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
# localhost: this computer only, open without accounts. To serve the office
# network: `make run ADDRESS=0.0.0.0` after creating accounts (README, 部署).
ADDRESS ?= localhost
RUNTIME_STAMP := $(VENV)/.installed-runtime
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint lock lock-check bench demo clean browser fonts servers

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

$(TEST_STAMP): requirements.lock requirements-test.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock -r requirements-test.lock
	touch $@

run: $(RUNTIME_STAMP) fonts
	$(BIN)/python -m streamlit run streamlit_app.py --server.address $(ADDRESS) --server.port $(PORT) --server.headless true

# Resolve requirements*.txt into the lock files (needs the package index).
lock: | $(BIN)/python
	$(BIN)/python scripts/lock.py

# Every direct pin is in its lock at the same version (no network).
lock-check: | $(BIN)/python
	$(BIN)/python scripts/lock.py --check

lint: $(TEST_STAMP)
	$(BIN)/ruff check .

# A Chinese font for chart images and briefings (fonts-noto-cjk when missing and root).
fonts:
	bash scripts/ensure_fonts.sh

# Browser prerequisites (chromium, fonts-noto-cjk): installed when missing and
# possible (root with apt-get); otherwise the script says how, and the browser
# tests fail with the same advice.
browser:
	bash scripts/ensure_browser.sh

# The database server and proxy the server tests start themselves (PostgreSQL 15,
# nginx; Debian's packages, installed when missing and possible).
servers:
	bash scripts/ensure_servers.sh

# pytest's own exit status: 5 (no test collected) is a failure too.
test: lock-check $(TEST_STAMP) lint fonts browser servers
	$(BIN)/python -m pytest

# Benchmark (not part of test): generates bench/data/ once, writes bench/results.json.
bench: $(TEST_STAMP) servers
	$(BIN)/python -m bench.run

demo: $(RUNTIME_STAMP)
	$(BIN)/python -m parkbench demo --if-empty

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
