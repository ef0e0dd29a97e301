# Every target bootstraps its own virtual environment in .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint bench evaluate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

## Start the app on demo data (fresh embedded database, one account per role).
## `make run PORT=5001` serves on another port.
run: $(STAMP)
	$(BIN)/tracker demo $(if $(PORT),--port $(PORT))

## Run the whole test suite (storage tests also on PostgreSQL when reachable).
test: $(TEST_STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q

lint: $(TEST_STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: $(TEST_STAMP)
	$(BIN)/python bench/parse.py
	$(BIN)/python bench/match.py

evaluate: $(STAMP)
	$(BIN)/python ../shared/tools/evaluate.py ../shared/corpus/dev --tracker "$(BIN)/tracker"

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
