# Stateyard: `make run` runs the product, `make test` runs every check.
# Both set up what is missing first (a virtualenv in .venv from requirements.txt).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
REQ_HASH := $(shell cat requirements.txt | sha1sum | cut -c1-12)
DEV_HASH := $(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
STAMP := $(VENV)/.installed-$(REQ_HASH)
DEV_STAMP := $(VENV)/.installed-test-$(DEV_HASH)
CONFORMANCE ?= ../shared/conformance/aws-recorded.jsonl

PORT ?= 8000
DEV_ENV := STATEYARD_DEV=1

.PHONY: install dev-install system-packages services lint typecheck pytest conformance test run serve worker bench clean frontend frontend-test js-clients

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# production: only what production runs
$(STAMP): requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-[0-9a-f]*
	touch $@

# tests, lint, types and benchmarks on top
$(DEV_STAMP): requirements.txt requirements-dev.txt $(STAMP)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-test-*
	touch $@

install: system-packages $(STAMP)

dev-install: install $(DEV_STAMP)

# Debian packages the product needs (graphviz draws workflow pictures); installed only if missing.
system-packages:
	@missing=$$(for p in $$(cat scripts/apt-packages.txt); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

services:
	bash scripts/ensure-services.sh

lint: dev-install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: dev-install
	$(PY) -m mypy

pytest: dev-install services frontend js-clients
	$(PY) -m pytest -n 2

conformance: dev-install
	@if [ -f $(CONFORMANCE) ]; then \
		$(PY) -m engine conformance $(CONFORMANCE); \
	else \
		echo "conformance corpus not found at $(CONFORMANCE)"; exit 1; \
	fi

test: lint typecheck frontend-test pytest conformance

# The whole product on this machine: SQLite, in-process worker, in-memory channel layer.
# With REDIS_URL and DATABASE_URL set it serves against them (start `make worker` too).
run: install frontend
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py stateyard_demo
	@echo "Stateyard: http://127.0.0.1:$(PORT)/"
	$(DEV_ENV) $(PY) -m uvicorn stateyard.asgi:application --host 127.0.0.1 --port $(PORT)

# Production: collectstatic (hashed, compressed), migrate, uvicorn with several workers
# (scripts/serve.sh). Needs SECRET_KEY and ALLOWED_HOSTS; refuses STATEYARD_DEV.
serve: install frontend
	bash scripts/serve.sh

# Celery workers for the scaled-out runtime (needs REDIS_URL and DATABASE_URL, and the
# web server's SECRET_KEY; `STATEYARD_DEV=1 make worker` next to `make run` in development).
worker: install
	bash scripts/worker.sh

# The studio front end (frontend/ -> static/dist/): npm install when node_modules is missing
# or package-lock.json changed, then a production build.
FRONTEND_STAMP = frontend/node_modules/.installed-$(shell sha1sum frontend/package-lock.json | cut -c1-12)

# `npm install` from the lock file, not `npm ci`: vite lists a Windows-only optional
# dependency that the registry here does not serve, and `npm ci` refuses a lock without it.
$(FRONTEND_STAMP): frontend/package-lock.json
	cd frontend && npm install --no-audit --no-fund
	rm -f frontend/node_modules/.installed-*
	touch $@

frontend: $(FRONTEND_STAMP)
	cd frontend && npm run build

# AWS's JavaScript SDK for the AWS API tests (tests/designer/aws/test_js_sdk.py): a package
# of its own in tests/js, installed from its lock file like the front end's.
JS_CLIENTS_STAMP = tests/js/node_modules/.installed-$(shell sha1sum tests/js/package-lock.json | cut -c1-12)

$(JS_CLIENTS_STAMP): tests/js/package-lock.json
	cd tests/js && npm install --no-audit --no-fund
	rm -f tests/js/node_modules/.installed-*
	touch $@

js-clients: $(JS_CLIENTS_STAMP)

frontend-test: frontend
	cd frontend && npm run typecheck && npm test

bench: dev-install
	$(PY) bench/engine.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
