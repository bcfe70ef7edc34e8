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
# Setting up runs on the host's real clock even when the suite runs under libfaketime (`faketime '2027-03-01 09:00:00'
# make test`): package downloads check certificates against the real date.
REAL_TIME := env -u LD_PRELOAD -u FAKETIME -u FAKETIME_SHARED

.PHONY: run test typecheck test-sqlite test-pg test-clock bench serve deps db system clean FORCE

run: db
	@echo "职业卫生现场工作系统: http://$(HOST):$(PORT)/  (演示账号见 README / demo logins in README)"
	$(BIN)/flask run --host $(HOST) --port $(PORT)

test:
	$(REAL_TIME) tools/system-packages.sh test
	$(MAKE) deps
	$(MAKE) typecheck
	$(MAKE) test-sqlite
	$(MAKE) test-pg
	$(MAKE) test-clock

# The PWA's modules (// @ts-check) checked by TypeScript's compiler; the vendored type files come from vendor.sh.
typecheck: deps
	tools/typecheck.sh

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

# Business time at a year boundary (README "Business time"): the non-browser suite with the process clock at
# 2027-01-04 10:00 in China, and the issuing and numbering tests at 2026-12-31T16:30Z (00:30 on New Year's Day in China).
test-clock: deps
	# The S3 server (a Go binary) keeps the host's real clock, and S3 refuses a request signed with a faked time; a
	# second host process under faketime hangs on the shared limiter. Both run in the suites above; the
	# business-clock runs leave them out.
	$(REAL_TIME) TZ=Asia/Shanghai faketime '2027-01-04 10:00:00' $(BIN)/pytest -q -m "not browser" \
		--ignore=tests/production/test_s3_blobs.py --ignore=tests/production/test_shared_rate_limits.py
	$(REAL_TIME) TZ=UTC faketime '2026-12-31 16:30:00' $(BIN)/pytest -q -m "not browser" \
		tests/issuing tests/unit/test_numbering.py tests/test_business_clock.py

bench: deps
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Production-style: migrations, then gunicorn, and beside it JOB_WORKERS job workers (`flask jobs worker`: exports,
# scheduled housekeeping, the retry of jobs whose worker died), stopped with it. On SQLite jobs run inside the app's
# processes and the worker command says so and leaves.
JOB_WORKERS ?= 1
serve: deps
	$(BIN)/flask setup-db
	@trap 'kill $$(jobs -p) 2>/dev/null; wait' EXIT; \
	for n in $$(seq 1 $(JOB_WORKERS)); do $(BIN)/flask jobs worker & done; \
	$(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

db: deps
	$(BIN)/flask setup-db
	$(BIN)/flask seed-demo --if-empty

deps: system $(VENV)/.installed pwa/static/vendor/.stamp

system:
	@$(REAL_TIME) tools/system-packages.sh run

ifneq ($(wildcard $(VENV)/pyvenv.cfg),)
ifneq ($(VENV_FROM),$(PYTHON_PATH))
$(VENV)/.installed: FORCE
endif
endif

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(REAL_TIME) $(PYTHON) -m venv --clear $(VENV)
	$(REAL_TIME) $(BIN)/pip install -q --upgrade pip
	$(REAL_TIME) $(BIN)/pip install -q -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	$(REAL_TIME) npm ci --no-audit --no-fund --loglevel=error
	touch $@

pwa/static/vendor/.stamp: node_modules/.installed tools/vendor.sh
	tools/vendor.sh
	touch $@

FORCE:

clean:
	rm -rf $(VENV) node_modules pwa/static/vendor instance test-artifacts
