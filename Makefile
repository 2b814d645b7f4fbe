# Two commands: `make lab` (set up + open the course) and `make test` (set up + whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup lab test bench release clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

test: $(STAMP)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest -n 2 tests

clean:
	rm -rf $(VENV) build *.egg-info

bench: $(STAMP)  ## library speed: course_lib vs hand-written numpy vs torch -> benchmarks/RESULTS.md
	$(BIN)/python benchmarks/bench.py --write
