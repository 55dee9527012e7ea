# salesops kit: two commands on a fresh machine with only Python 3.11+.
#   make report   set up .venv, build the demo warehouse, run every params set, write reports/
#   make test     run the test suite (sets up .venv first if needed)
#   make lab      open JupyterLab on notebooks/ with the `salesops` kernel
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO   := data/demo.duckdb
LEADS  ?= 50000
SEED   ?= 7

.PHONY: setup report test lab demo-data lint clean-reports bench

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name salesops --display-name "Python (salesops)" >/dev/null
	@touch $(STAMP)

$(DEMO): | $(STAMP)
	$(BIN)/salesops demo-data --out $(DEMO) --seed $(SEED) --leads $(LEADS)

demo-data: $(DEMO)

report: $(STAMP) | $(DEMO)
	$(BIN)/salesops run --all --out reports

test: $(STAMP)
	$(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks --MultiKernelManager.default_kernel_name=salesops \
		$$( [ "$$(id -u)" = 0 ] && echo --allow-root )

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Benchmarks (not tests; docs/benchmarks.md): each analysis at 1M and 10M leads vs hand-written
# DuckDB SQL and pandas, then the whole suite on 10M leads. Warehouses are built once into
# build/bench (about 2 GB for both sizes).
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_funnel.py --leads 1000000
	$(BIN)/python benchmarks/bench_funnel.py --leads 10000000 --repeat 3
	$(BIN)/python benchmarks/bench_experiment.py --leads 1000000
	$(BIN)/python benchmarks/bench_experiment.py --leads 10000000
	$(BIN)/python benchmarks/bench_kpis.py --leads 1000000
	$(BIN)/python benchmarks/bench_kpis.py --leads 10000000 --skip-pandas
	$(BIN)/python benchmarks/bench_benchmark.py --leads 1000000
	$(BIN)/python benchmarks/bench_benchmark.py --leads 10000000 --skip-pandas
	$(BIN)/python benchmarks/bench_forecast.py --leads 1000000
	$(BIN)/python benchmarks/bench_forecast.py --leads 10000000 --skip-pandas
	$(BIN)/python benchmarks/bench_suite.py --leads 10000000
	$(BIN)/python benchmarks/bench_floor.py
