# motcua: `make run` serves the demo, `make test` runs the whole suite. Both install what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DOSSIERS ?= 200
SEED ?= 2026
export PYTHONPATH := src
# `make run` is the local demo: debug pages, static files from runserver, demo accounts on the start page.
# The worker synchronises with the project's own DVCQG-compatible receiver.
RUN_ENV := DEBUG=1 MOTCUA_DEMO=1 MOTCUA_DVCQG_URL=http://127.0.0.1:8000/lien-thong/dvcqg

.PHONY: run test install install-test migrate demo serve lint bench clean messages

$(VENV)/.installed: pyproject.toml scripts/system-packages
	scripts/system-packages run
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e ".[postgres,redis]"
	touch $@

# axe-core (accessibility checks in the browser journeys) comes from npm into the venv.
AXE_VERSION := 4.14.1

$(VENV)/.installed-test: $(VENV)/.installed Makefile
	scripts/system-packages test
	$(PIP) install -q -e ".[postgres,redis,test]"
	npm install --silent --no-audit --no-fund --no-save --prefix $(VENV)/node axe-core@$(AXE_VERSION)
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

migrate: install
	$(PY) -m motcua migrate --noinput -v0
	$(PY) -m motcua rebuild-facts --if-empty

demo: migrate
	$(RUN_ENV) $(PY) -m motcua seed-demo --dossiers $(DOSSIERS) --seed $(SEED)

# The web server and, next to it, the worker that delivers the outbox (stopped with the server).
serve: install
	@echo "motcua: http://127.0.0.1:8000 (worker: var/worker.log)"
	@$(RUN_ENV) $(PY) -m motcua run_huey >var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) $(PY) -m motcua runserver 127.0.0.1:8000

# Demo data goes in once; later runs reuse the database (delete var/motcua.sqlite3 to start over).
run: migrate
	@if [ ! -f var/.demo-loaded ]; then $(RUN_ENV) $(PY) -m motcua seed-demo --dossiers $(DOSSIERS) --seed $(SEED) && touch var/.demo-loaded; \
	else $(RUN_ENV) $(PY) -m motcua seed-demo --dossiers 0 | tail -n +2; fi
	@$(MAKE) --no-print-directory serve

# The suite runs in TEST_PROCESSES processes (pytest-xdist; 1 for one process, e.g. to debug).
TEST_PROCESSES ?= 2

test: install-test
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/lint-imports
	$(PY) -m pytest $(if $(filter-out 1,$(TEST_PROCESSES)),-n $(TEST_PROCESSES))

lint: install-test
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/lint-imports

bench: install-test
	$(PY) bench/deadline.py

clean:
	rm -rf var/test.sqlite3* .pytest_cache

# Regenerate the English catalogue (needs GNU gettext: apt install gettext).
messages: install
	cd src/motcua && PYTHONPATH=.. ../../$(PY) -m motcua makemessages -l en --no-location --ignore seed_data.py
	cd src/motcua && msgfmt --check -o locale/en/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/django.po
