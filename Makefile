# Yardstick: two commands on a fresh machine.
#   make run   sets up a virtualenv, migrates SQLite, loads the demo data, serves http://127.0.0.1:8000
#   make test  sets up the virtualenv and system packages the tests need, runs the whole suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install system-deps run migrate participant-key demo test lint check bench clean serve worker reminders screenshots

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# Debian packages the tests use: Chromium for the browser tests, poppler-utils (pdftotext) for PDFs;
# fonts-dejavu-core gives PDF reviews DejaVu Sans (without it they embed reportlab's own Vera).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# The development targets turn DEBUG on (the settings default it to off), which allows the
# development SECRET_KEY and the demo data, unless the environment or .env sets DEBUG itself:
# a production checkout with DEBUG=false in .env keeps load_demo's refusal. Safe to repeat:
# migrate and load_demo change only what is missing.
DEV_DEBUG := $(or $(DEBUG),$(shell sed -nE 's/^[[:space:]]*(export[[:space:]]+)?DEBUG[[:space:]]*=[[:space:]]*//p' .env 2>/dev/null | tail -n1),true)

# The demo partnership stands at 20 October 2010 (grants/demo.py DEMO_TODAY): returns due, late,
# queried and verified, an open review round, payments due. `make run` and `make demo` pin
# "today" there (YARDSTICK_TODAY) unless the environment or .env sets YARDSTICK_TODAY itself;
# production leaves it unset and reads the real date.
DEMO_TODAY := $(or $(YARDSTICK_TODAY),$(shell sed -nE 's/^[[:space:]]*(export[[:space:]]+)?YARDSTICK_TODAY[[:space:]]*=[[:space:]]*//p' .env 2>/dev/null | tail -n1),2010-10-20)

migrate: install
	DEBUG=$(DEV_DEBUG) $(PY) manage.py migrate --noinput

# The demo's participant key (pseudonyms, docs/data-protection.md): generated once into .env (which
# git ignores) unless the environment or .env has one; never replaced, so people enrolled stay found.
participant-key:
	@if [ -z "$$PARTICIPANT_KEY" ] && ! grep -q '^PARTICIPANT_KEY=' .env 2>/dev/null; then \
		echo "PARTICIPANT_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(48))')" >> .env; \
		echo "Generated a participant key for the demo in .env"; \
	fi

demo: migrate participant-key
	DEBUG=$(DEV_DEBUG) YARDSTICK_TODAY=$(DEMO_TODAY) $(PY) manage.py load_demo

run: demo
	@echo "Yardstick on http://$(HOST):$(PORT)/ (demo accounts: see README.md, password yardstick-demo; today is $(DEMO_TODAY))"
	DEBUG=$(DEV_DEBUG) YARDSTICK_TODAY=$(DEMO_TODAY) $(PY) manage.py runserver $(HOST):$(PORT)

# Production-style: gunicorn with WORKERS processes, DEBUG off, static files by whitenoise.
# Needs SECRET_KEY and DATABASE_URL (PostgreSQL) in the environment or .env; for the cache,
# CACHE_URL (redis://... or dbcache://yardstick_cache); see docs/deploy.md.
WORKERS ?= 4
serve: install
	@test -n "$$SECRET_KEY" || grep -q '^SECRET_KEY=' .env 2>/dev/null || { echo "Set SECRET_KEY first (docs/deploy.md)"; exit 1; }
	DEBUG=false $(PY) manage.py migrate --noinput
	DEBUG=false $(PY) manage.py createcachetable
	DEBUG=false $(PY) manage.py collectstatic --noinput -v0
	DEBUG=false $(VENV)/bin/gunicorn config.wsgi:application --config config/gunicorn_conf.py \
		--bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile -

# The background worker for long jobs when TASK_BACKEND=database (PDF reviews, imports).
worker: install
	DEBUG=false $(PY) manage.py db_worker --queue-name '*' --no-reload

# Screenshots of every main page for each role at 1280 and 390 pixels wide, into docs/screenshots/
# (starts its own development server on port 8765 against the demo data).
screenshots: demo system-deps
	DEBUG=$(DEV_DEBUG) YARDSTICK_TODAY=$(DEMO_TODAY) $(PY) scripts/screenshots.py

# E-mail reminders (run daily from cron, e.g. 07:00).
reminders: install
	$(PY) manage.py send_reminders

# Lint, the layering (import-linter: each app imports only those below it), migrations.
check: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

lint: install
	$(VENV)/bin/ruff check .

# The suite runs on every core (pytest-xdist); PYTEST_ARGS="-n0" runs it in one process.
PYTEST_ARGS ?= -n auto
test: install system-deps
	$(PY) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache db.sqlite3
