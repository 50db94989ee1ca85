# The commands the README and CI call. `make run` and `make test` set everything up first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev

.PHONY: setup run test test-fast lint format train bench bench-extraction bench-text bench-throughput bench-site-memory bench-startup clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "pagewire needs Python 3.11+"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -U pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/pagewire up

test: setup
	$(BIN)/pytest -q

test-fast: setup
	$(BIN)/pytest -q tests/unit

lint: $(VENV)/.installed-bench
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

$(VENV)/.installed-bench: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	touch $@

$(VENV)/.installed-train: $(VENV)/.installed-bench
	$(BIN)/python -m pip install -q -e '.[dev,bench,train]'
	touch $@

# The learned models, from the development corpora in ../shared/bench: training, grouped
# cross-validation and export to extractor/models/ (docs/extraction.md says how to retrain).
train: $(VENV)/.installed-train
	$(BIN)/python -m bench.train_page_type
	$(BIN)/python -m bench.block_dataset
	$(BIN)/python -m bench.train_blocks
	$(BIN)/python -m bench.train_chooser
	$(BIN)/python -m bench.train_quality
	$(BIN)/python -m bench.line_dataset
	$(BIN)/python -m bench.train_lines
	$(BIN)/python -m bench.train_text_title

bench: bench-extraction bench-text bench-throughput bench-site-memory bench-startup

bench-extraction: $(VENV)/.installed-bench
	$(BIN)/python -m bench.extraction

bench-text: $(VENV)/.installed-bench
	$(BIN)/python -m bench.text_dumps

bench-throughput: $(VENV)/.installed-bench
	$(BIN)/python -m bench.throughput

bench-site-memory: $(VENV)/.installed-bench
	$(BIN)/python -m bench.site_memory

clean:
	rm -rf $(VENV) .data .mypy_cache .ruff_cache .pytest_cache

bench-startup: $(VENV)/.installed-bench
	$(BIN)/python -m bench.startup
