# bilat: the two set-up commands are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= bilat.duckdb

.PHONY: demo test install install-test lint serve clean train train-ml

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	bash scripts/install-browser.sh
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

## demo: install, ingest the bundled demo corpus into bilat.duckdb, print a summary
demo: install
	$(BIN)/bilat ingest examples/corpus --db $(DB)
	$(BIN)/bilat summary --db $(DB)

## test: install the test extras and run the whole test suite
test: install-test
	bash scripts/start-postgres.sh >/dev/null || echo "no PostgreSQL server: its tests will be skipped"
	$(BIN)/python -m pytest

$(VENV)/.installed-train: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[train]'
	touch $@

## train: rebuild the event coder from training/events (seeded, 2 cores, about 55 minutes: 3,247 s for coder-minilm-fc3d4b7d)
train: $(VENV)/.installed-train
	$(BIN)/python training/train_coder.py

lint: install-test
	$(BIN)/ruff check src tests bench

serve: install
	$(BIN)/bilat serve --db $(DB)

clean:
	rm -rf $(VENV) $(DB) $(DB).wal export

## train-ml: rebuild the multilingual (Russian) event coder from training/events and training/events_ru
## (seeded, 2 cores; about 10 minutes to embed the sentences the first time, a minute after that)
train-ml: $(VENV)/.installed-train
	$(BIN)/python training/train_multilingual.py
