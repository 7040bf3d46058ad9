# Two commands on a fresh clone: `make book` and `make test`. Each creates .venv when needed.
# `make grader` adds .venv-grader (nbgrader), which `make test` uses when it is there.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
REFERENCE_STAMP := $(VENV)/.installed-reference
LAB_STAMP := $(VENV)/.installed-lab
GRADER_VENV := .venv-grader
GRADER_STAMP := $(GRADER_VENV)/.installed

.PHONY: book test lab grader bench references compare clean assignment index clear-outputs

# The virtualenv, rebuilt whenever the pinned requirements or the package metadata change.
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# torch, pytorch_optimizer, schedulefree, Keras 3 and optax: only for regenerating the reference
# trajectories (tests/references/) and for benchmarks.
$(REFERENCE_STAMP): $(STAMP) requirements-reference.txt
	$(BIN)/python -m pip install --quiet -r requirements-reference.txt
	touch $@

# JupyterLab: only for running the chapters and their live explorers.
$(LAB_STAMP): $(STAMP) requirements-lab.txt
	$(BIN)/python -m pip install --quiet -r requirements-lab.txt
	touch $@

# MathJax from npm (package-lock.json), and only the files the pages load, into _vendor/.
VENDORED := _vendor/mathjax/tex-chtml.js
$(VENDORED): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	rm -rf _vendor && mkdir -p _vendor/mathjax/output/chtml/fonts
	cp node_modules/mathjax/es5/tex-chtml.js _vendor/mathjax/
	cp -r node_modules/mathjax/es5/output/chtml/fonts/woff-v2 _vendor/mathjax/output/chtml/fonts/

# Sphinx rebuilds only the pages whose source changed, and the execution cache is keyed on the
# notebooks' code alone: after a change to optlib both would serve stale figures and numbers,
# so both are dropped whenever optlib's sources are newer than the last build.
OPTLIB_STAMP := _build/.optlib-sources
$(OPTLIB_STAMP): $(shell find optlib -name '*.py')
	rm -rf _build/.jupyter_cache _build/.doctrees
	mkdir -p _build && touch $@

book: $(STAMP) $(VENDORED) $(OPTLIB_STAMP)
	$(BIN)/jupyter-book build . -n -W --keep-going
	@echo "The book is at file://$(CURDIR)/_build/html/index.html"

test: $(STAMP) $(VENDORED)
	$(BIN)/python -m pytest

# Open the chapters in JupyterLab (the sliders of the explorers need a running kernel).
# Jupyter refuses to run as root unless told: in a root container, say so for the user.
lab: $(LAB_STAMP)
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/

# nbgrader 0.9.6 and the student extra, in a virtualenv of its own: nbgrader pulls in a whole
# server stack that the book's .venv should not carry. tests/test_nbgrader.py grades a chapter
# with it (and is skipped without it); instructors can grade with it too.
$(GRADER_STAMP): requirements-grader.txt pyproject.toml
	test -x $(GRADER_VENV)/bin/python || $(PYTHON) -m venv $(GRADER_VENV)
	$(GRADER_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(GRADER_VENV)/bin/python -m pip install --quiet -r requirements-grader.txt
	$(GRADER_VENV)/bin/python -m pip install --quiet --no-deps -e .
	touch $@

grader: $(GRADER_STAMP)

bench: $(REFERENCE_STAMP)
	$(BIN)/python benchmarks/bench.py

references: $(REFERENCE_STAMP)
	$(BIN)/python scripts/make_references.py
	$(BIN)/python scripts/make_convention_references.py

# Rerun the benchmark of chapter 10 (every optimizer tuned on three problems, then many seeds) and
# rewrite its committed results; numpy only, both cores, a progress bar.
compare: $(STAMP)
	$(BIN)/python scripts/compare.py

# The student version of a chapter for nbgrader: make assignment CHAPTER=gradient_descent
# (no CHAPTER: every chapter) -> assignments/source/<chapter>/ and assignments/release/<chapter>/
assignment: $(STAMP)
	$(BIN)/python -m optlib.assign $(CHAPTER)

# Regenerate book/exercises.md, the index of every chapter's exercises.
index: $(STAMP)
	$(BIN)/python -m optlib.assign --index

# Notebooks are committed without outputs.
clear-outputs: $(STAMP)
	$(BIN)/python scripts/clear_outputs.py

clean:
	rm -rf _build .pytest_cache .hypothesis _vendor node_modules
