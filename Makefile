# hat-sdk developer commands. Every target bootstraps the virtualenv it needs, so any of them
# works first on a fresh clone. Tool versions are pinned in requirements/dev.txt.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The runtime and the sandbox only (what the demo needs), at the same pinned versions.
DEMO_STAMP := $(VENV)/.installed-demo
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check

.DEFAULT_GOAL := help
.PHONY: help install generate check-generated lint format test demo dist docs models models-builtin bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): requirements/dev.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("hat-sdk needs Python >= 3.11" if sys.version_info < (3, 11) else 0)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# A .venv made by `make demo` may have no pip of its own.
	$(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip
	$(PIP) -r requirements/dev.txt
	$(PIP) --no-deps -e .
	@touch $@

# The demo's venv gets no pip of its own when the host's pip can install into it (pip >= 22.3):
# installing pip is a quarter of a first `make demo`.
$(DEMO_STAMP): requirements/dev.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("hat-sdk needs Python >= 3.11" if sys.version_info < (3, 11) else 0)'
	test -x $(BIN)/python || $(PYTHON) -m venv --without-pip $(VENV)
	@# A full dev install already holds everything the demo needs.
	test -f $(STAMP) || { \
	  if $(PYTHON) -m pip --python $(BIN)/python --version >/dev/null 2>&1; then \
	    $(PYTHON) -m pip --python $(BIN)/python install --quiet --disable-pip-version-check \
	      -c requirements/dev.txt -e ".[sandbox]"; \
	  else \
	    { $(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip; } && \
	    $(PIP) -c requirements/dev.txt -e ".[sandbox]"; \
	  fi; }
	@touch $@

install: $(STAMP) ## Create .venv with the package (editable) and the pinned dev tools

generate: $(STAMP) ## Regenerate hat_sdk/_generated from openapi/hat.yaml
	$(BIN)/python generator/generate.py

check-generated: $(STAMP) ## Fail if generated code (client, models, record models) is stale
	$(BIN)/python generator/generate.py --check
	$(BIN)/python generator/generate_record_models.py --check

models-builtin: $(STAMP) ## Regenerate hat_sdk/models from generator/record-schemas
	$(BIN)/python generator/generate_record_models.py

models: $(STAMP) ## Generate a HatModel: make models SCHEMA=schema.json (or SAMPLES=records.jsonl) [OUT=m.py]
	@test -n "$(SCHEMA)$(SAMPLES)" || { echo "usage: make models SCHEMA=<JSON Schema> | SAMPLES=<JSON/JSONL records> [OUT=<file.py>]"; exit 2; }
	$(BIN)/hat models generate $(if $(SCHEMA),--schema $(SCHEMA),--samples $(SAMPLES)) $(if $(OUT),-o $(OUT))

lint: $(STAMP) ## ruff check, ruff format --check, mypy --strict
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP) ## Apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: $(STAMP) ## Run the whole test suite (against the local sandbox)
	$(BIN)/pytest

demo: $(DEMO_STAMP) ## Run the end-to-end demo against a local sandbox HAT (installs the runtime only)
	$(BIN)/python examples/demo.py

dist: $(STAMP) ## Build the wheel and the source distribution into dist/
	rm -rf dist
	$(BIN)/python -m hatchling build -t wheel -t sdist

docs: $(STAMP) ## Build the documentation site into site/ (warnings are errors)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

bench: $(STAMP) ## Run the benchmarks; writes bench/results.json and bench/README.md
	$(BIN)/python bench/run.py

clean: ## Remove the virtualenv and caches
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache build dist
