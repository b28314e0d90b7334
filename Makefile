# mock-interview: `make run` to rehearse, `make test` to check everything.
# Every set-up step lives here: CI runs `make test` on a clean clone and nothing else.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUN_PACKAGES := libportaudio2 espeak-ng
TEST_PACKAGES := $(RUN_PACKAGES) pulseaudio pulseaudio-utils libasound2-plugins tmux flite
BENCH_PACKAGES := $(TEST_PACKAGES)
PYTEST_ARGS ?=

.PHONY: install install-test run test check lint format bench sound-server clean

install: $(STAMP)
	@scripts/ensure-system-packages.sh $(RUN_PACKAGES)

install-test: $(STAMP)
	@scripts/ensure-system-packages.sh $(TEST_PACKAGES)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: install
	$(BIN)/mock-interview

sound-server:
	@scripts/start-sound-server.sh

test: install-test lint sound-server
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Style, layers (import-linter contracts in pyproject.toml: no circles, tui > commands > core >
# audio | content) and types (mypy over content/, audio/, simulator/).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: test

bench: install-test
	@scripts/ensure-system-packages.sh $(BENCH_PACKAGES)
	@scripts/start-sound-server.sh
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
