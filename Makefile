# Stadtgraph — `make run` serves the Kassel graph, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
STORE ?= instance/store
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help setup run test lint format load bench clean prerequisites browser

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

prerequisites:
	@command -v $(PYTHON) >/dev/null || { echo "Stadtgraph needs Python 3.11 or newer: '$(PYTHON)' was not found (set PYTHON=/path/to/python3.11)."; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Stadtgraph needs Python 3.11 or newer, but $(PYTHON) is $$($(PYTHON) -V 2>&1 | cut -d' ' -f2) (set PYTHON=/path/to/python3.11)."; exit 1; }
	@command -v npm >/dev/null || { echo "Stadtgraph needs Node.js with npm to install its self-hosted JavaScript; npm was not found."; exit 1; }

$(BIN)/.installed: pyproject.toml | prerequisites
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json | prerequisites
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(BIN)/.installed node_modules/.installed ## Install the Python and JavaScript dependencies

load: setup ## Validate and load ontology/, shapes/ and data/ into the embedded store
	$(BIN)/stadtgraph load --store $(STORE)

run: load ## Set up, load the Kassel graph and serve it at http://127.0.0.1:5000
	$(BIN)/stadtgraph serve --store $(STORE) --host $(HOST) --port $(PORT)

lint: setup ## Check style and types (ruff, mypy)
	$(BIN)/ruff check service tests benchmarks
	$(BIN)/ruff format --check service tests benchmarks
	$(BIN)/mypy

format: setup ## Format the code
	$(BIN)/ruff format service tests benchmarks
	$(BIN)/ruff check --fix service tests benchmarks

browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null) \
	      || { echo "Could not install chromium with apt-get; the browser tests need /usr/bin/chromium."; exit 1; }; \
	  else echo "The browser tests need Debian's chromium at /usr/bin/chromium: run 'sudo apt-get install chromium fonts-dejavu-core'."; exit 1; fi; }

test: setup browser lint ## Set up, check style and types, then run every test (unit, remote store, browser)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup ## Run the side-by-side benchmarks (not part of the tests)
	$(BIN)/python -m benchmarks

clean: ## Remove the virtual environment, node_modules and the instance folder
	rm -rf $(VENV) node_modules instance
