# The two commands of the README: `make demo` and `make test`. Both create the
# virtualenv on first use and (re)install when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test screenshots bench keymap clean

$(STAMP): pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/agentdesk demo

test: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider

screenshots: $(STAMP)
	$(BIN)/python -m agentdesk.ui.screenshots screenshots

keymap: $(STAMP)
	$(BIN)/python -m agentdesk.ui.keymap_doc > docs/keymap.md

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info
