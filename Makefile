# The two commands of the README: `make run` starts Conversely, `make test` runs every check CI runs.
# Each creates what it needs (a virtualenv in .venv, buf in node_modules) on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint generate clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Conversely needs $(PYTHON) on PATH (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

node_modules/.bin/buf: package.json
	npm install --silent --no-audit --no-fund
	touch $@

# The browser tests (tests/e2e/ui) drive Debian's Chromium; installed here when missing and we may (root + apt).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Chromium is missing: install Debian's chromium package for the browser tests"; \
	fi

run: $(STAMP)
	$(BIN)/conversely up

generate: $(STAMP) node_modules/.bin/buf
	PATH="$(CURDIR)/$(BIN):$$PATH" node_modules/.bin/buf generate

lint: $(STAMP) node_modules/.bin/buf
	node_modules/.bin/buf lint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy conversely gateway event_service storage_service migration_service

test: lint $(CHROMIUM)
	PATH="$(CURDIR)/$(BIN):$(CURDIR)/node_modules/.bin:$$PATH" $(BIN)/pytest

clean:
	rm -rf $(VENV) node_modules
