# Kredin: `make demo` to try it, `make test` to check it. Needs Python 3.11+ and make.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_PORT ?= 8000
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install demo test lint bench

help:
	@echo "make demo   install into $(VENV), prepare var/demo.sqlite3, run web + worker + beat on port $(DEMO_PORT)"
	@echo "make test   ruff, import contracts, the whole pytest suite on PostgreSQL and Redis, then the demo's paths on SQLite"
	@echo "make lint   ruff and import contracts only"
	@echo "make bench  run the benchmarks under bench/"

# Reinstall only when pyproject.toml changes.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Kredin needs Python 3.11 or newer, found " + sys.version.split()[0] + ": run make PYTHON=python3.11 ...")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(STAMP)

demo: $(STAMP)
	@$(PY) scripts/run_demo.py --port $(DEMO_PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# The demo runs on SQLite: the code paths it uses (mirror, sync, enrichment, letters,
# payments) get a second, quicker pass there, without what only PostgreSQL can show
# (query plans, concurrent locks).
SQLITE_PASS := tests/ledger tests/integrations tests/brreg \
	tests/debt_collection/test_dispatch.py tests/debt_collection/test_delivery_pages.py \
	tests/debt_collection/test_payments.py tests/debt_collection/test_objections.py \
	tests/debt_collection/test_outcomes.py tests/notifications \
	tests/debt_collection/test_limitation.py tests/debt_collection/test_acknowledgment_pages.py \
	tests/support/test_search.py tests/support/test_organization_page.py \
	tests/support/test_actions.py tests/support/test_view_as.py tests/accounts/test_second_factor.py

# pytest's status is passed on as it is, so "no tests collected" (5) fails the run too.
test: lint
	$(PY) scripts/with_services.py -- $(PY) -m pytest $(PYTEST_ARGS)
	@echo "== second pass on SQLite: $(SQLITE_PASS)"
	DATABASE_URL=sqlite:///:memory: $(PY) -m pytest -q -m "not postgres and not worker and not browser" $(SQLITE_PASS)

bench: $(STAMP)
	@scripts=$$(ls bench/*.py 2>/dev/null | grep -v '/_'); \
	if [ -z "$$scripts" ]; then echo "No benchmarks yet: nothing under bench/ (see docs/benchmarks.md)."; exit 0; fi; \
	for script in $$scripts; do \
		echo "== $$script"; \
		$(PY) scripts/with_services.py -- $(PY) $$script || exit $$?; \
	done
