# Two commands on a fresh machine: `make synth` and `make test` (both do their own set-up).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
BLUEPRINT ?= blueprints/standard.yaml
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1
export CDK_DISABLE_VERSION_CHECK := 1
export CDK_DISABLE_CLI_TELEMETRY := true

.PHONY: setup synth test validate bench clean browser

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) on PATH"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# checkov pins boto3/packaging below requirements.txt, so it gets a virtualenv of its own.
.venv-checkov/.installed: requirements-checkov.txt
	$(PYTHON) -m venv .venv-checkov
	.venv-checkov/bin/python -m pip install --quiet -r requirements-checkov.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

synth: setup
	npx --no-install cdk synth --quiet -c blueprint=$(BLUEPRINT)
	@echo "templates written to cdk.out/"

validate: setup
	$(BIN)/lz validate $(BLUEPRINT)

# Headless Chromium and its driver from Debian, for the report's browser tests (tests/browser). Without
# root the install fails: the browser tests then skip, except under CI=true where they fail.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    chromium chromium-driver; } </dev/null \
	  || echo "could not install chromium: the browser tests will fail under CI=true"; fi

# LZ_STRICT: a test whose tool the set-up installs fails instead of skipping when the tool is missing.
test: setup .venv-checkov/.installed browser
	LZ_STRICT=1 $(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf cdk.out .pytest_cache
