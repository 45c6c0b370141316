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

.PHONY: install test lint typecheck mutation bench clean

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

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

mutation:
	$(MAKE) install EXTRAS=dev,mutation
	$(BIN)/mutmut run
	$(BIN)/mutmut results

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache mutants .coverage*
