# Two commands: `make run` (set up everything, then serve the app) and `make test` (the whole suite).
SHELL := /bin/bash
VENV := .venv
# The interpreter the venv is made from (tools/pick-python.sh says why); a venv made from another one is made again.
PYTHON ?= $(shell tools/pick-python.sh)
PYTHON_PATH := $(realpath $(shell command -v $(PYTHON)))
VENV_FROM := $(shell sed -n 's/^executable = //p' $(VENV)/pyvenv.cfg 2>/dev/null)
BIN := $(VENV)/bin
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi.py

.PHONY: run test test-sqlite test-pg bench serve deps db system clean FORCE

run: db
	@echo "职业卫生现场工作系统: http://$(HOST):$(PORT)/  (演示账号见 README / demo logins in README)"
	$(BIN)/flask run --host $(HOST) --port $(PORT)

test:
	tools/system-packages.sh test
	$(MAKE) deps
	$(MAKE) test-sqlite
	$(MAKE) test-pg

test-sqlite: deps
	$(BIN)/pytest -q

# PostgreSQL: required in CI (REQUIRE_POSTGRES=1); elsewhere skipped, loudly, when no server is running.
test-pg: deps
	@if $(BIN)/python tools/pg_ready.py "$(PG_TEST_URL)"; then \
		TEST_DATABASE_URL="$(PG_TEST_URL)" $(BIN)/pytest -q -m "not browser"; \
	elif [ -n "$$REQUIRE_POSTGRES" ]; then \
		echo "PostgreSQL is required but not reachable at $(PG_TEST_URL)"; exit 1; \
	else \
		echo "*** PostgreSQL not reachable at $(PG_TEST_URL): the PostgreSQL run was NOT done ***"; \
	fi

bench: deps
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

serve: deps
	$(BIN)/flask setup-db
	$(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

db: deps
	$(BIN)/flask setup-db
	$(BIN)/flask seed-demo --if-empty

deps: system $(VENV)/.installed pwa/static/vendor/.stamp

system:
	@tools/system-packages.sh run

ifneq ($(wildcard $(VENV)/pyvenv.cfg),)
ifneq ($(VENV_FROM),$(PYTHON_PATH))
$(VENV)/.installed: FORCE
endif
endif

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

pwa/static/vendor/.stamp: node_modules/.installed tools/vendor.sh
	tools/vendor.sh
	touch $@

FORCE:

clean:
	rm -rf $(VENV) node_modules pwa/static/vendor instance test-artifacts
