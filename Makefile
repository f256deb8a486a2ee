# Two commands: `make run` serves the toolkit on http://127.0.0.1:8000, `make test` runs every check.
# Everything else here is what those two are made of.

PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
# The first Python 3.11 or newer on the PATH.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && echo $$p && break; done)

.PHONY: run test lint format migrate content worker serve assets lock bench security clean help

help:
	@echo "make run    set up and serve on http://127.0.0.1:$(PORT) (PORT and DATABASE_URL override)"
	@echo "make test   set up, lint and run the whole test suite"
	@echo "make assets rebuild the committed front-end files from frontend/ (needs Node.js)"
	@echo "make lock   re-pin requirements/*.txt from requirements/*.in"
	@echo "make security  bandit, wapiti3, sqlmap, the fuzz tests and permission matrices (docs/security.md)"

$(VENV)/.base: requirements/base.txt
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed: install it, or set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.dev: $(VENV)/.base requirements/dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/base.txt -r requirements/dev.txt
	touch $@

migrate: $(VENV)/.base
	$(PY) manage.py migrate --no-input
	$(PY) manage.py createcachetable

content: migrate
	$(PY) manage.py load_default_content

run: content
	$(PY) manage.py collectstatic --no-input --verbosity 0
	@echo "Serving on http://127.0.0.1:$(PORT) with a background task worker and scheduler. Press Ctrl+C to stop."
	@trap 'kill 0' INT TERM EXIT; \
	$(PY) manage.py db_worker --verbosity 1 & \
	$(PY) manage.py run_scheduler & \
	$(VENV)/bin/gunicorn config.wsgi:application --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 --reuse-port \
		--access-logformat '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms' --access-logfile - & \
	wait

# The access log format above leaves out query strings: search terms may hold personal data.
# --reuse-port lets the kernel spread connections across the workers: without it one worker can take
# every keep-alive connection and leave the other idle (bench/public.py saw a third of the throughput).

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo
	$(VENV)/bin/mypy

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint
	$(VENV)/bin/python manage.py makemigrations --check --dry-run --settings=config.settings.test
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# bandit, the fuzz tests and permission matrices, then wapiti3 and sqlmap against a server of its own
# (about 10 minutes; not part of `make test`). The scanners get their own .venv-security.
security: $(VENV)/.dev
	$(PY) bin/security

bench: $(VENV)/.dev
	$(PY) bench/reviews.py

assets:
	npm ci --no-audit --no-fund
	npm run build

lock: $(VENV)/.base
	$(PY) -m pip install --quiet pip-tools
	cd requirements && ../$(PY) -m piptools compile --quiet --generate-hashes --strip-extras --allow-unsafe base.in -o base.txt
	cd requirements && ../$(PY) -m piptools compile --quiet --generate-hashes --strip-extras --allow-unsafe dev.in -o dev.txt
	cd requirements && ../$(PY) -m piptools compile --quiet --generate-hashes --strip-extras --allow-unsafe security.in -o security.txt

clean:
	rm -rf $(VENV) .venv-security staticfiles .pytest_cache .ruff_cache .mypy_cache
