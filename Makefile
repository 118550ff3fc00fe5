# STROM: `make run` for the app with demo data, `make test` for the test suite.
# Both create .venv/ and install the pinned dependencies from pyproject.toml first.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export STROM_VAR_DIR ?= $(CURDIR)/var

.PHONY: run demo-code test production-check lint check messages bench clean-var help

help:
	@echo "make run    - STROM with demo data on http://127.0.0.1:8000 (SQLite, filesystem broker)"
	@echo "make demo-code - the current second-factor code of the demo accounts"
	@echo "make test   - the whole test suite (PostgreSQL/Redis if DATABASE_URL/CELERY_BROKER_URL are set)"
	@echo "make production-check - gunicorn with production settings, every page over HTTP (needs PostgreSQL, Redis)"
	@echo "make lint   - ruff"
	@echo "make bench  - benchmarks of the core pages with a large world (bench/)"
	@echo "make messages - extract and compile translations (needs gettext)"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "STROM needs Python 3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

$(STROM_VAR_DIR):
	mkdir -p $(STROM_VAR_DIR)

run: $(STAMP) | $(STROM_VAR_DIR)
	DJANGO_DEBUG=true $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=true $(BIN)/python manage.py load_demo
	@echo "Starting STROM on http://127.0.0.1:8000 and a Celery worker with embedded beat. Ctrl-C stops both."
	DJANGO_DEBUG=true $(BIN)/python manage.py run_dev 127.0.0.1:8000

demo-code: $(STAMP)
	@DJANGO_DEBUG=true $(BIN)/python manage.py demo_code

test: $(STAMP) | $(STROM_VAR_DIR)
	DJANGO_DEBUG=true $(BIN)/pytest $(PYTEST_ARGS)

# Drops and re-creates its own database (STROM_LIVE_DATABASE_URL, default strom_live).
production-check: $(STAMP)
	bash .ci/production-check $(PYTEST_ARGS)

bench: $(STAMP) | $(STROM_VAR_DIR)
	DJANGO_DEBUG=true $(BIN)/python bench/bench_pages.py
	DJANGO_DEBUG=true $(BIN)/python bench/bench_reports.py

lint: $(STAMP)
	$(BIN)/ruff check .

check: $(STAMP)
	DJANGO_DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_DEBUG=true $(BIN)/python manage.py check

messages: $(STAMP)
	DJANGO_DEBUG=true $(BIN)/python manage.py makemessages --all --no-obsolete --ignore=.venv --ignore=var --ignore=tests
	DJANGO_DEBUG=true $(BIN)/python manage.py compilemessages --ignore=.venv

clean-var:
	rm -rf $(STROM_VAR_DIR)
