# The two commands of the README: `make run` and `make test`. Both work on a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)

.PHONY: setup run test lint typecheck pytest bench clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

## setup: the virtualenv with the locked dependencies, and the Kafka jars
setup: $(UV)
	$(UV) sync --all-packages --frozen
	$(VENV)/bin/llmops dev fetch
	deploy/k8s/fetch-schemas.sh

## run: the local stack and every service, in the foreground (Ctrl-C stops all of it)
run: setup
	$(VENV)/bin/llmops dev up

## test: lint (ruff, import contracts), type checks and the whole test suite against the real stack
test: setup lint typecheck pytest

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/llmops dev import-contracts > $(IMPORTLINTER_CONFIG)
	$(VENV)/bin/lint-imports --no-cache --config $(IMPORTLINTER_CONFIG)

# Every workspace package's source root, derived: a new service needs no edit anywhere.
MYPYPATH := $(subst $(eval) ,:,$(wildcard libs/*/src services/*/src)):.
IMPORTLINTER_CONFIG := .importlinter.generated

typecheck:
	MYPYPATH=$(MYPYPATH) $(VENV)/bin/mypy libs services tests conftest.py

# pytest's exit code 5 means no test ran: that is a failure here.
pytest:
	@$(VENV)/bin/pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$status

bench: setup
	$(VENV)/bin/llmops dev up --detach --no-services
	$(VENV)/bin/llmops bench all; status=$$?; $(VENV)/bin/llmops dev down; exit $$status

clean:
	rm -rf $(VENV) .tools .mypy_cache .ruff_cache .pytest_cache
