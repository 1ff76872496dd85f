# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest setup browser db clean bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# tests/browser drives Debian's Chromium through Playwright (which never downloads a browser).
browser:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Chromium for the browser test (apt-get, needs root)..."; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

db: setup
	$(BIN)/supplychain db upgrade
	$(BIN)/supplychain refdata validate

run: db
	-$(BIN)/supplychain demo seed
	@echo "Demo login: demo@example.com (the password is printed once, when the user is made;"
	@echo "  '$(BIN)/supplychain demo seed --reset-password' prints a new one)"
	$(BIN)/supplychain run --host $(HOST) --port $(PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy risk_models reference_data supplychain

pytest: setup browser
	$(BIN)/pytest -q $(PYTEST_ARGS)

test: lint typecheck pytest

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
