# The two commands a new user needs:  make run  and  make test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev system-deps migrate demo messages lint check clean bench audit

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# The test suite's JavaScript (axe-core, the Nu Html Checker, Lighthouse), at the versions pinned in
# package-lock.json; nothing downloads a browser (Debian's chromium is used).
node_modules/.installed: package.json package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund
	touch $@

# Debian packages the tests use: chromium for browser tests, gettext for the catalogues,
# varnish with varnish-modules for the HTTP cache tests.
system-deps:
	@./scripts/system-deps

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo --if-empty

## Set everything up and serve the site with demo content on http://127.0.0.1:8000, with one background worker
run: demo
	PY=$(PY) HOST=$(HOST) PORT=$(PORT) ./scripts/run-dev

## Set everything up and run the whole test suite
test: install-dev system-deps node_modules/.installed
	$(PY) manage.py makemigrations --check --dry-run --settings=config.settings.test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest $(PYTEST_ARGS)

## Rebuild and compile the French catalogue after changing user-facing text
messages: install-dev
	$(PY) manage.py makemessages -l fr --ignore=.venv --ignore=tests --ignore=node_modules --ignore=staticfiles --ignore=media --no-obsolete
	$(PY) manage.py compilemessages -l fr --ignore=.venv --ignore=node_modules

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

check: install-dev
	$(PY) manage.py check

## Check every pinned dependency against known vulnerabilities (PyPI's advisories; fails if one cannot be checked)
AUDIT_ARGS ?=
audit: install-dev
	$(PY) -m pip_audit --strict --disable-pip --no-deps --progress-spinner off -r requirements-dev.txt $(AUDIT_ARGS)

## Benchmark the public pages under gunicorn (see bench/run.py --help for the options)
BENCH_ARGS ?= --articles 100 --comments 1000
bench: install
	@./scripts/bench-deps
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache node_modules
