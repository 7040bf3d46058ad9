# Two commands on a fresh clone: `make book` and `make test`. Each creates .venv when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
REFERENCE_STAMP := $(VENV)/.installed-reference

.PHONY: book test bench references clean

# The virtualenv, rebuilt whenever the pinned requirements or the package metadata change.
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# torch and pytorch_optimizer: only for regenerating reference trajectories and for benchmarks.
$(REFERENCE_STAMP): $(STAMP) requirements-reference.txt
	$(BIN)/python -m pip install --quiet -r requirements-reference.txt
	touch $@

book: $(STAMP)
	$(BIN)/jupyter-book build . -n -W --keep-going
	@echo "The book is at file://$(CURDIR)/_build/html/index.html"

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(REFERENCE_STAMP)
	$(BIN)/python benchmarks/bench.py

references: $(REFERENCE_STAMP)
	$(BIN)/python scripts/make_references.py

clean:
	rm -rf _build .pytest_cache .hypothesis
