PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean-output

$(BIN)/python:
	$(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m mpcrawl.sample.demo

test: $(STAMP)
	bash tests/wordpress/install.sh
	bash tests/install_chromium.sh
	$(BIN)/ruff check mpcrawl tests benchmarks
	$(BIN)/ruff format --check mpcrawl tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check mpcrawl tests benchmarks
	$(BIN)/ruff format --check mpcrawl tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

.PHONY: bench-fleet
bench-fleet: $(STAMP)
	$(BIN)/python -m benchmarks.run fleet
