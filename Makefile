# Two commands do all the set-up on a fresh machine: `make test` and `make demo`.
# Each creates .venv when missing, installs litcode into it, then runs.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The torch wheel to install first. The default is the CPU build that lies on this
# machine's disk; on a GPU box use e.g. `make test TORCH_SPEC='torch>=2.4'`.
TORCH_SPEC ?= torch==2.13.0
EXTRAS ?= dev
PYTEST_ARGS ?=

.PHONY: install test lint typecheck mutation bench clean demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-$(EXTRAS): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet "$(TORCH_SPEC)"
	$(BIN)/pip install --quiet -e ".[$(EXTRAS)]"
	touch $@

install: $(VENV)/.installed-$(EXTRAS)

test: install
	$(BIN)/python -m pytest --cov --cov-report=term:skip-covered -p no:cacheprovider $(PYTEST_ARGS)

# The product end to end: curate the standard library, train a tiny code LM on CPU for a few hundred
# steps, upload and verify every checkpoint, print where everything went, then execute both notebooks
# on the run (RUN_DIR/notebooks/*.ipynb, plots included). DEMO_ARGS adds `litcode fit` flags.
DEMO_RUN_DIR ?= runs/demo
DEMO_ARGS ?=

demo: install
	rm -rf $(DEMO_RUN_DIR)
	$(BIN)/litcode fit --config configs/default.yaml --trainer.default_root_dir $(DEMO_RUN_DIR) $(DEMO_ARGS)
	LITCODE=$(BIN)/litcode scripts/report.sh $(DEMO_RUN_DIR)

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

# Mutation testing of resilience, metrics and the metrics callback's modules ([tool.mutmut] in
# pyproject.toml). MUTANTS narrows the run, e.g. `make mutation MUTANTS='litcode.metrics.*'`.
MUTANTS ?=

mutation:
	$(MAKE) install EXTRAS=dev,mutation
	$(BIN)/mutmut run $(MUTANTS)
	$(BIN)/mutmut results

# Every benchmark in benchmarks/ with its defaults, anchors (datatrove, datasketch) installed.
# Long: the figures and the quick commands per benchmark are in benchmarks/README.md.
bench:
	$(MAKE) install EXTRAS=dev,bench
	set -e; for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache mutants .coverage*
