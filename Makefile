# replikasi: set-up and everyday commands (GNU make). On a fresh Debian machine
# `make demo` or `make test` installs what is missing first, as root when it can.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Present once the venv holds this pyproject's dependencies; rebuilt when pyproject changes.
STAMP := $(VENV)/.installed

.PHONY: help install system-deps demo dev test test-faults lint format bench clean

help:
	@echo "make demo    run the seed scenario end to end (installs first)"
	@echo "make dev     run the embedded stack: Temporal, S3, worker, web on :8000"
	@echo "make test    lint, then the test suite (starts its own servers)"
	@echo "make test-faults  kill/restart/outage tests (minutes; .ci/run runs them too)"
	@echo "make lint    ruff format --check, ruff check, mypy"
	@echo "make format  ruff format and ruff check --fix"
	@echo "make bench   benchmarks"
	@echo "make clean   remove .data (the embedded stack's state)"

install: $(STAMP)

$(STAMP): pyproject.toml scripts/system-deps.sh
	bash scripts/system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

system-deps:
	bash scripts/system-deps.sh

demo: $(STAMP)
	$(BIN)/replikasi demo

dev: $(STAMP)
	$(BIN)/replikasi dev

# The fault tests kill and restart servers and wait out timeouts (minutes): their own target.
test: lint
	$(BIN)/python -m pytest -q --ignore=tests/faults

test-faults: $(STAMP)
	$(BIN)/python -m pytest -q -s -p no:cacheprovider tests/faults

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy workflows activities app worker.py

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf .data
