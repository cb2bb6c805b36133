# WellFlow: `make up` runs the whole system, `make test` tests it. Both bootstrap their own tools:
# a machine needs only Python 3.11+ with pip.

PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: up down status test test-unit lint typecheck arch install browser promtool bench bench-console schemas clean

$(UV):
	@command -v uv >/dev/null 2>&1 && { mkdir -p $(TOOLS)/bin && ln -sf "$$(command -v uv)" $(UV); } || \
	  { $(PYTHON) -m venv $(TOOLS) && $(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check 'uv>=0.5'; }

$(VENV)/.synced: $(UV) pyproject.toml uv.lock $(wildcard libs/*/pyproject.toml services/*/pyproject.toml tools/*/pyproject.toml console/pyproject.toml)
	$(UV) sync --locked --all-packages --python $(PYTHON)
	@touch $@

install: $(VENV)/.synced

up: install
	$(VENV)/bin/wellflow up $(if $(DEMO),--demo) $(if $(GATEWAY_PORT),--gateway-port $(GATEWAY_PORT))

down: install
	$(VENV)/bin/wellflow down

status: install
	$(VENV)/bin/wellflow status

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# strict on the shared libraries, every service's domain/ and the console package (settings in pyproject.toml)
TYPED := wellflow_contracts wellflow_texas wellflow_servicekit wellflow_console \
	$(foreach service,$(notdir $(wildcard services/*)),$(if $(wildcard services/$(service)/src/wellflow_$(service)/domain),wellflow_$(service).domain))

typecheck: install
	$(VENV)/bin/mypy $(addprefix -p ,$(TYPED))

arch: install
	$(VENV)/bin/python -m pytest -q tests/architecture

# the console's browser tests drive Debian's Chromium (installed here when missing and allowed)
browser:
	@tools/install-chromium

# the alert rules' tests run promtool (Debian's prometheus package; installed here when missing and allowed)
promtool:
	@tools/install-promtool

test: install lint typecheck browser promtool
	$(VENV)/bin/python -m pytest -q

test-unit: install
	$(VENV)/bin/python -m pytest -q -m "not integration" libs/servicekit/tests/servicekit_unit tools/*/tests/unit services/*/tests/unit tests/architecture

# Every benchmark in bench/ with its default sizes, one after the other (each prints its figures against its
# target; its docstring says what it measures). A new bench/<name>.py is picked up; bench/_*.py are shared
# helpers. `make bench BENCH=wells_list` runs one. system_mixed_load runs `wellflow up` itself, so the stack's
# ports must be free (stop `make up` first). bench/console_route_page.py is separate, `make bench-console`:
# it measures a running stack with the demo tenant (`make up DEMO=1` in another terminal) through Chromium.
BENCH ?=
BENCHMARKS := $(if $(BENCH),bench/$(BENCH:.py=).py,$(filter-out bench/_% bench/console_route_page.py,$(sort $(wildcard bench/*.py))))

bench: install
	@set -e; for benchmark in $(BENCHMARKS); do echo "== $$benchmark"; $(VENV)/bin/python $$benchmark; done

bench-console: install browser
	$(VENV)/bin/python bench/console_route_page.py

# what is generated from the code: the event documentation, the NATS permissions of every service and the
# Grafana dashboards (deploy/observability/grafana/dashboards)
schemas: install
	$(VENV)/bin/python -m wellflow_devstack.event_docs docs/events
	$(VENV)/bin/python -m wellflow_devstack.nats_accounts deploy/nats/accounts.conf
	$(VENV)/bin/python -m wellflow_devstack.dashboards deploy/observability/grafana/dashboards

clean:
	rm -rf $(VENV) $(TOOLS)
