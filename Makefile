# Diogelu: the two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
REQS := requirements/base.txt requirements/dev.txt
export DJANGO_SETTINGS_MODULE := diogelu.settings


.PHONY: serve-production
.PHONY: run serve install test lint typecheck checks pytest test-fast bench bench-matching bench-measures bench-web chaos \
        assets check-assets lock messages clean demo

$(STAMP): $(REQS)
	@command -v $(PYTHON) >/dev/null || { echo "Diogelu needs $(PYTHON) (Python 3.11) on PATH"; exit 1; }
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements/base.txt -r requirements/dev.txt
	@touch $(STAMP)

install: $(STAMP)

## The benchmarks' own requirements (Splink, pandas, locust): `make test` runs the tests of the
## benchmark code too, so it installs them explicitly rather than skipping those tests.
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP) requirements/bench.txt
	$(VENV)/bin/pip install --quiet -r requirements/bench.txt
	@touch $(BENCH_STAMP)

## make run: set up everything and serve the demo authority at http://127.0.0.1:8000 (SQLite)
run: $(STAMP)
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py load_demo
	@echo ""
	@echo "Diogelu is at http://127.0.0.1:8000  (Ctrl-C to stop)"
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

demo: $(STAMP)
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py load_demo

## make serve-production: gunicorn + Celery worker + Celery beat on PostgreSQL and Redis, settings
## from the environment (DATABASE_URL, REDIS_URL, SECRET_KEY, ...; see docs/deployment.md)
serve-production: $(STAMP)
	VENV=$(VENV) scripts/serve_production.sh

## make test: lint, types, Django checks, migrations, asset build, then every test
test: $(STAMP) $(BENCH_STAMP) lint typecheck checks pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) scripts/check_scoped_queries.py
	$(PY) scripts/check_assets.py
	$(VENV)/bin/lint-imports --no-cache

typecheck: $(BENCH_STAMP)
	DEBUG=1 $(VENV)/bin/mypy diogelu scripts bench

checks: $(STAMP)
	DEBUG=1 $(PY) manage.py check --fail-level WARNING
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DEBUG=0 SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
	  ALLOWED_HOSTS=diogelu.example.org $(PY) manage.py check --deploy --fail-level WARNING
	$(PY) scripts/check_messages.py

## PYTEST_WORKERS: processes the tests run in (pytest-xdist: one per core and one more, at most
## 15; 0 runs them in this one process). Each worker has its own test database and Redis
## database; a test file runs whole in one worker, the longest files first (docs/dev/testing.md).
PYTEST_WORKERS ?= $(shell n=$$(( $$(nproc) + 1 )); [ $$n -gt 15 ] && n=15; echo $$n)
PYTEST_PARALLEL := -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder

pytest: $(BENCH_STAMP)
	DEBUG=1 $(PY) -m pytest -q --durations=25 $(PYTEST_PARALLEL)

test-fast: $(BENCH_STAMP)
	DEBUG=1 $(PY) -m pytest -q -m "not browser and not redis" $(PYTEST_PARALLEL)

bench: bench-matching bench-measures

## make bench-measures: the performance dashboard on 5 years of a generated county (PostgreSQL
## named by BENCH_DATABASE_URL; default a database diogelu_bench on localhost; the cache on Redis
## database 9, or BENCH_REDIS_URL, as production caches on Redis)
bench-measures: $(STAMP)
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/diogelu_bench} \
	REDIS_URL=$${BENCH_REDIS_URL:-redis://127.0.0.1:6379/9} $(PY) -m bench.measures.run

## make bench-web: gunicorn (DEBUG off, 2 x cores workers) on PostgreSQL under locust at 6, 12 and
## 50 users (at 1, each persona alone in turn), every page as a ratio to a trivial view in the same
## run (BENCH_DATABASE_URL; default diogelu_benchweb,
## the demo loaded if empty; ADR 0741); the table is written to bench/out/web/report.md
bench-web: $(STAMP)
	$(VENV)/bin/pip install --quiet -r requirements/bench.txt
	$(PY) -m bench.web.run

bench-matching: $(STAMP)
	$(VENV)/bin/pip install --quiet -r requirements/bench.txt
	$(PY) -m bench.matching.run

## make chaos: kill -9 the app and PostgreSQL while a client writes with idempotency keys; reports
## lost and duplicated writes (goal 0 and 0) and the answers while the database was down (503).
## Needs root and PostgreSQL's server packages (a throwaway cluster of its own); not in `make test`.
chaos: $(STAMP)
	$(PY) bench/chaos/run.py

## make assets: rebuild the committed CSS/JS from npm packages (needs Node 20+)
assets:
	bash frontend/build.sh

check-assets:
	$(PY) scripts/check_assets.py

## make messages: extract and compile the Welsh translations
messages: $(STAMP)
	$(PY) scripts/extract_messages.py
	cd diogelu && DEBUG=1 ../$(PY) ../manage.py compilemessages -l cy

## make lock: re-pin requirements/*.txt from requirements/*.in
lock:
	$(VENV)/bin/pip install --quiet uv
	$(VENV)/bin/uv pip compile --python-version 3.11 requirements/base.in -o requirements/base.txt
	$(VENV)/bin/uv pip compile --python-version 3.11 requirements/dev.in -o requirements/dev.txt
	$(VENV)/bin/uv pip compile --python-version 3.11 requirements/bench.in -o requirements/bench.txt

clean:
	rm -rf $(VENV) var/ .pytest_cache .mypy_cache .ruff_cache staticfiles
