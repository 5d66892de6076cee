# Every target installs what it needs: a fresh machine has only Python 3.11 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DO_NOT_TRACK ?= 1
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 120

.PHONY: install browser run test bench docs server clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/outcomes refresh --offline

# Tests write only to temporary folders; the session fails if data/ or reports/ changed in any way
# (tests/checkout_guard.py: names, sizes, times and hashes before and after).
test: install browser
	$(BIN)/python -m pytest

# Debian's chromium for the headless-browser tests, installed once (tests never install anything;
# without it they are skipped with the reason). Needs root and Debian's package registry.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	  || echo "warning: chromium could not be installed; the browser tests will be skipped"; }

bench: install
	$(BIN)/python -m flows.bench $(if $(N),--records $(N),)

docs: install
	$(BIN)/outcomes docs

# A local Prefect server and UI on 127.0.0.1:4200 (works offline). Then, in another shell:
#   PREFECT_API_URL=http://127.0.0.1:4200/api .venv/bin/outcomes serve
server: install
	PREFECT_HOME=$${PREFECT_HOME:-$(CURDIR)/.prefect} $(BIN)/prefect server start --host 127.0.0.1 --port 4200

clean:
	rm -rf $(VENV) data/warehouse/*.duckdb* .prefect
