# AsiriaPOS: every command a newcomer needs. `make demo` runs the product, `make test` runs all tests.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help demo demo-cloud test test-fast check bench lint format typecheck audit sysdeps services venv clean

help:
	@echo "make demo   - set up and start the till with a demo store and simulated hardware"
	@echo "              (and a local cloud it syncs with; make demo-cloud: only the cloud)"
	@echo "make test   - set up and run the whole suite (lint, layers, types, tests)"
	@echo "make test-fast - the till's domain, use-case and device tests (no services, ~30 s)"
	@echo "make check  - lint, format, layer contracts and types"
	@echo "make bench  - run the benchmarks (prints BENCH lines)"
	@echo "make audit  - bandit over our code, pip-audit over the installed packages"
	@echo "make package - build the till bundle and .deb into dist/ and smoke-test them"

# The virtual environment, installed from the pinned constraints; redone when they change.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip setuptools wheel
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[till,cloud,dev]'
	@touch $(STAMP)

venv: $(STAMP)

sysdeps:
	@bash scripts/install_system_packages.sh

services:
	@bash scripts/ensure_services.sh

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: venv
	$(BIN)/mypy
	$(BIN)/mypy --config-file mypy-cloud.ini

# Fails on a high-severity bandit finding or a known vulnerability; says loudly (WARNING)
# when the vulnerability service could not be reached, instead of passing in silence.
audit: venv
	$(BIN)/python scripts/audit.py

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Lint, format, layer contracts and types: what the pre-commit hooks run (.pre-commit-config.yaml).
check: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/mypy --config-file mypy-cloud.ini

# The quick loop: the till's domain, use cases and device adapters, with no MariaDB, Redis,
# Qt window or network (a test that opens a socket fails unless it is marked enable_socket).
# One pytest-xdist worker per core: these tests share nothing but the CPU.
test-fast: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:django -n auto \
	  tests/desktop/domain tests/desktop/services tests/desktop/hardware $(PYTEST_ARGS)

# TEST_WORKERS=3 runs the suite in three processes (pytest-xdist): about 15 minutes instead of
# 28 on two cores. Each worker has its own test database and Redis DBs; a test module stays on
# one worker (loadfile), so a module's fixtures (an end-to-end cloud, a built package) are made
# once. One process stays the default until the few tests that wait on timing under that load
# (docs/testing.md) hold there too.
TEST_WORKERS ?= 1
test: sysdeps venv services check
	$(BIN)/python scripts/audit.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(if $(filter-out 1,$(TEST_WORKERS)),-n $(TEST_WORKERS) --dist loadfile) $(PYTEST_ARGS)

# The demo: a local cloud (SQLite, no Redis) and the demo till enrolled to it (scripts/demo.py).
# On a machine with no screen the demo runs under Xvfb (a virtual screen), so it still starts.
demo: sysdeps venv
	@if [[ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]]; then $(BIN)/python scripts/demo.py; \
	else echo "No display found: running the demo on a virtual screen (xvfb-run)."; \
	  xvfb-run -a -s "-screen 0 1366x768x24" $(BIN)/python scripts/demo.py; fi

# Only the demo cloud (API docs, admin), for head office browsing; Ctrl+C stops it.
demo-cloud: venv
	$(BIN)/python scripts/demo.py --cloud-only

bench: sysdeps venv services
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run_all.py

# The till package: a one-folder bundle (PyInstaller) and a .deb in dist/, then the smoke test:
# unpack the .deb, run the till's --self-test from it, print sizes and start time (BENCH lines).
.PHONY: package
package: sysdeps
	bash installer/build_bundle.sh
	bash installer/build_deb.sh
	$(PYTHON) benchmarks/package.py dist

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
