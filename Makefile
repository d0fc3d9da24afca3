# The two commands of the README: `make demo` and `make test`. Both create the
# virtualenv on first use and (re)install when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test screenshots bench keymap clean prism

# Prism (a mock server driven by an OpenAPI spec) for the Chatwoot contract tests
# (tests/contract/): installed from npm into the repo's .cache (gitignored), once.
# Without npm the contract tests skip and say why.
NPM_DIR := .cache/npm
PRISM_STAMP := $(NPM_DIR)/.prism-5.14.2

$(STAMP): pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/agentdesk demo

# Lint, layer contracts and types first (seconds), then the tests.
test: $(STAMP) prism
	$(BIN)/ruff check agentdesk tests bench tools
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -p no:cacheprovider

prism: $(PRISM_STAMP)

$(PRISM_STAMP):
	@if command -v npm >/dev/null 2>&1; then \
	  mkdir -p $(NPM_DIR) && \
	  npm install --prefix $(NPM_DIR) --no-audit --no-fund --no-save --loglevel=error \
	    @stoplight/prism-cli@5.14.2 >/dev/null && touch $@ || \
	  echo "could not install Prism from npm: the Chatwoot contract tests will skip"; \
	else echo "npm not found: the Chatwoot contract tests will skip"; fi

screenshots: $(STAMP)
	$(BIN)/python -m tools.screenshots screenshots

keymap: $(STAMP)
	$(BIN)/python -m agentdesk.ui.keymap_doc > docs/keymap.md

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info .cache
