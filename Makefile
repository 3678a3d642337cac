# Two commands: `make demo` and `make test`. Both set up everything they need first.
# `make check` is the fast loop while developing: the unit tests only.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test check lint setup svgs bench bench-more bench-peers clean

EXAMPLES := processes/order_entry/redesign.yaml processes/maintenance/maintenance.py \
	processes/contract_review/redesign.yaml

demo: $(STAMP)
	$(BIN)/lastmile validate processes/
	@for model in $(EXAMPLES); do \
		echo; echo "===== lastmile diff $$model"; echo; \
		$(BIN)/lastmile diff $$model --fail-on never || exit $$?; \
	done
	@echo; echo "===== lastmile render processes/"; echo
	$(BIN)/lastmile render processes/
	@echo; echo "Diagrams (before, after, diff, side-by-side) for each example:"
	@ls -1 processes/*/*.svg
	@echo; echo "===== lastmile bpmn export (for Camunda Modeler, bpmn.io, ...)"; echo
	@mkdir -p build/bpmn
	@for model in $(EXAMPLES); do \
		name=$$(basename $$(dirname $$model)); \
		for which in current redesigned; do \
			$(BIN)/lastmile bpmn export $$model --which $$which -o build/bpmn/$$name.$$which.bpmn \
				|| exit $$?; \
		done; \
	done
	@echo; echo "===== lastmile report (one HTML file per redesign, for the steering committee)"; echo
	@mkdir -p build/reports
	@for model in $(EXAMPLES); do \
		name=$$(basename $$(dirname $$model)); \
		$(BIN)/lastmile report $$model -o build/reports/$$name.html || exit $$?; \
	done
	@echo; echo "Committee reports (open in a browser, or print to PDF):"
	@for model in $(EXAMPLES); do echo "  $(CURDIR)/build/reports/$$(basename $$(dirname $$model)).html"; done

# Redraw the example library's SVGs after a change to the models or to the drawing code.
svgs: $(STAMP)
	$(BIN)/lastmile render processes/

# Times against a reference measured in the same run (ratios, not seconds, compare machines):
# one table of every operation at scale (benchmarks/scale.py).
bench: $(STAMP) bench-peers
	$(BIN)/python -m benchmarks.scale

# The finer benchmarks: each view, the committee report, the BPMN corpus, simulation, logs.
bench-more: $(STAMP) bench-peers
	$(BIN)/python -m benchmarks.render
	$(BIN)/python -m benchmarks.report
	$(BIN)/python -m benchmarks.bpmn_import
	$(BIN)/python -m benchmarks.simulation
	$(BIN)/python -m benchmarks.logs --agree

# pm4py (AGPL) and bpmn-python (GPL-3) in an environment of their own, only as the benchmarks'
# references: never dependencies of lastmile_flows, never imported by it.
PEERS := benchmarks/.venv-peers
bench-peers: $(PEERS)/.installed

$(PEERS)/.installed:
	$(PYTHON) -m venv $(PEERS)
	$(PEERS)/bin/python -m pip install --quiet pm4py==2.7.23.11 pyarrow bpmn-python==0.0.18
	touch $@

# Everything, as CI runs it: lint, format, types, then every test on two workers (a test file
# stays on one worker, so its module fixtures are built once).
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 --dist loadfile

# The unit tests without the slow ones (child processes, browsers, notebooks, the corpus, Spark,
# simulations), with a tenth of the property-test examples: seconds, not minutes.
check: $(STAMP)
	HYPOTHESIS_PROFILE=dev $(BIN)/python -m pytest -q -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/system-deps.sh tests/js/package-lock.json scripts/js-deps.sh
	sh scripts/system-deps.sh
	sh scripts/js-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis build
