PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_STAMP := $(VENV)/.installed-demo

.PHONY: demo test lint bench clean-output

# `make test` runs pytest in PYTEST_WORKERS processes (pytest-xdist; tests/conftest.py keeps
# the tests that share a server or an archive on one worker); PYTEST_WORKERS=0 runs it in
# one process. Three on the 2-core CI machine: a third worker fills the core that one leaves
# while it waits on a server, a timer or a subprocess (measured with everything cached:
# pytest 526 s with two, 473 s with three). Extra pytest arguments in PYTEST_ARGS
# (docs/testing.md).
PYTEST_WORKERS ?= 3
PYTEST_ARGS ?=
# Python writes bytecode whatever the caller's PYTHONDONTWRITEBYTECODE says (empty is unset):
# the tests start ~100 Python processes (crawls, Scrapyd jobs, commands), and with it set
# (and uv compiling none at install) each one compiles every module it imports from source:
# mpcrawl's own ~0.3 s of CPU, a crawl's site-packages ~4 s.
export PYTHONDONTWRITEBYTECODE :=

# The venv's packages are installed by uv (PyPI), which downloads in parallel and compiles
# no bytecode up front: on a fresh machine the test tools take under a minute, against three
# with pip. The venv's own setuptools (a dependency, pyproject.toml says which) builds the
# Scrapyd egg (mpcrawl/fanout/egg.py).
UV := $(BIN)/uv
INSTALL := $(UV) pip install --python $(BIN)/python

$(BIN)/python:
	@echo "== 1/3 Creating the virtual environment in $(VENV)"
	$(PY) -m venv $(VENV) || python3 -m venv $(VENV)

$(UV): $(BIN)/python
	$(BIN)/pip install --quiet "uv>=0.9"

$(STAMP): $(UV) pyproject.toml
	@echo "== Installing mpcrawl with its test tools (pytest, ruff, mypy, Scrapyd; Spark next)"
	printf 'pyspark\n' > $(VENV)/install-later.txt
	$(INSTALL) -e '.[test]' --excludes $(VENV)/install-later.txt
	touch $(STAMP) $(DEMO_STAMP)

# pyspark is published only as a ~400 MB source archive, which uv downloads and builds into
# a wheel before it can read even its dependencies: the install above leaves it out, and
# `make test` runs this one beside the lint and the collection. The wheel stores its jars
# as they are (they are zip archives already): deflating them again cost 15 s of CPU.
SPARK_STAMP := $(VENV)/.installed-spark
$(SPARK_STAMP): $(STAMP)
	@echo "== Installing pyspark"
	$(INSTALL) -e '.[test]' --config-settings-package 'pyspark:--build-option=--compression=stored'
	touch $(SPARK_STAMP)

# The demo and the README's examples only: no test tools.
$(DEMO_STAMP): $(UV) pyproject.toml
	@echo "== 2/3 Installing mpcrawl and the README's readers (pandas, polars)"
	$(INSTALL) -e '.[analysis]'
	touch $(DEMO_STAMP)

demo: $(DEMO_STAMP)
	@echo "== 3/3 Serving the sample site and crawling it"
	$(BIN)/python -m mpcrawl.sample.demo

# The sample site changes (an edit, a deletion, a new post); crawl again; scrapy changes.
.PHONY: demo-changes
demo-changes: $(DEMO_STAMP)
	$(BIN)/python -m mpcrawl.sample.demo --change

# The Debian packages of the real servers and readers (root or password-less sudo; each
# script says what skips without them). apt waits on the network and the disk, so
# `make test` runs it beside the venv's install and then the lint and collection (make -j4).
.PHONY: debian-packages
debian-packages:
	bash tests/wordpress/install.sh
	bash tests/install_debian.sh chromium chromium "the report's browser checks"
	bash tests/install_debian.sh java openjdk-17-jre-headless "the Spark reader tests"

# pytest's collection, once, beside the lint and apt: it writes the bytecode of every module
# the tests import, which the workers would otherwise each compile at the same time.
.PHONY: collect
collect: $(STAMP)
	$(BIN)/pytest --collect-only -q -p no:cacheprovider > $(VENV)/collect.log \
		|| (cat $(VENV)/collect.log; exit 1)
	tail -n 1 $(VENV)/collect.log

test:
	$(MAKE) --no-print-directory -j4 --output-sync=line lint collect debian-packages $(SPARK_STAMP)
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check mpcrawl tests benchmarks
	$(BIN)/ruff format --check mpcrawl tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.score_speakers
	$(BIN)/python -m benchmarks.score_pages

.PHONY: bench-fleet
bench-fleet: $(STAMP)
	$(BIN)/python -m benchmarks.run fleet
