# Everything runs from a local virtualenv made on first use; only python3 and make are needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build serve test property lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

build: $(STAMP)  ## build the example site into output/
	$(BIN)/python -m ssg build

serve: $(STAMP)  ## build, serve on http://127.0.0.1:8000/ and rebuild on every save
	$(BIN)/python -m ssg serve

test: lint  ## the whole test suite; lint, formatting, layer contracts and types included
	$(BIN)/python -m pytest -q

property: $(STAMP)  ## the two property test files at length (minutes; SSG_PROPERTY_EXAMPLES=N to change)
	SSG_PROPERTY_EXAMPLES=$${SSG_PROPERTY_EXAMPLES:-500} $(BIN)/python -m pytest -q \
		tests/test_build_property.py tests/test_incremental_property.py

lint: $(STAMP)  ## ruff, the import-linter layer contracts (pyproject.toml) and mypy
	$(BIN)/ruff check ssg tests bench
	$(BIN)/ruff format --check ssg tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: $(STAMP)  ## long measurements at 1,000 and 10,000 posts (not part of make test)
	$(BIN)/python bench/run.py

# Without .venv/ nothing was built with make here; ssg clean then has nothing to remove.
clean:  ## ssg clean: remove output/, .ssg-cache/ and stale staging folders, if ssg made them
	@if [ -x $(BIN)/python ]; then $(BIN)/python -m ssg clean; \
	else echo "nothing to remove ($(VENV)/ does not exist yet)"; fi
