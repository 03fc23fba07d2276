PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_STAMP := $(VENV)/.installed-demo

.PHONY: demo test lint bench clean-output

$(BIN)/python:
	$(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP) $(DEMO_STAMP)

# The demo and the README's examples only: no test tools.
$(DEMO_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[analysis]'
	touch $(DEMO_STAMP)

demo: $(DEMO_STAMP)
	$(BIN)/python -m mpcrawl.sample.demo

test: $(STAMP)
	bash tests/wordpress/install.sh
	bash tests/drupal/install.sh
	bash tests/install_debian.sh chromium chromium "the report's browser checks"
	bash tests/install_debian.sh java openjdk-17-jre-headless "the Spark reader tests"
	$(BIN)/ruff check mpcrawl tests benchmarks
	$(BIN)/ruff format --check mpcrawl tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check mpcrawl tests benchmarks
	$(BIN)/ruff format --check mpcrawl tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.score_speakers

.PHONY: bench-fleet
bench-fleet: $(STAMP)
	$(BIN)/python -m benchmarks.run fleet
