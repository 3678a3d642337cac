# Two commands: `make demo` and `make test`. Both set up everything they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint setup clean

EXAMPLES := processes/order_entry/redesign.yaml processes/maintenance/maintenance.py \
	processes/contract_review/redesign.yaml

demo: $(STAMP)
	$(BIN)/lastmile validate processes/
	@for model in $(EXAMPLES); do \
		echo; echo "===== lastmile diff $$model"; echo; \
		$(BIN)/lastmile diff $$model --fail-on never || exit $$?; \
	done

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/system-deps.sh
	sh scripts/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
