# Stateyard: `make run` runs the product, `make test` runs every check.
# Both set up what is missing first (a virtualenv in .venv from requirements.txt).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
REQ_HASH := $(shell sha1sum requirements.txt | cut -c1-12)
STAMP := $(VENV)/.installed-$(REQ_HASH)
CONFORMANCE ?= ../shared/conformance/aws-recorded.jsonl

.PHONY: install services lint typecheck pytest conformance test run bench clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

services:
	bash scripts/ensure-services.sh

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: install
	$(PY) -m mypy

pytest: install services
	$(PY) -m pytest -n 2

conformance: install
	@if [ -f $(CONFORMANCE) ]; then \
		$(PY) -m engine conformance $(CONFORMANCE); \
	else \
		echo "conformance corpus not found at $(CONFORMANCE)"; exit 1; \
	fi

test: lint typecheck pytest conformance

run: install
	$(PY) -m engine run examples/order-pipeline.asl.json --input @examples/order-pipeline.input.json --history

bench: install
	$(PY) bench/engine.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
