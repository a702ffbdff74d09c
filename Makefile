# Recovery Desk: `make run` serves the demo, `make test` runs lint and the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test lint format install clean bench loadtest backup restore

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(INSTALLED): $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(INSTALLED)

install: $(INSTALLED)

run: export DEBUG ?= 1
run: $(INSTALLED)
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py recovery_reassess
	$(BIN)/python manage.py seed_demo
	@bin/serve

test: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	@# Compiled where GNU gettext is installed (CI installs it); the tests check the catalogues either way.
	@if command -v msgfmt >/dev/null; then DEBUG=1 $(BIN)/python manage.py compilemessages --locale fr --ignore .venv; fi
	$(BIN)/pytest -n 2

# The benchmark and the load test run against PostgreSQL with production settings (DEBUG off),
# on a generated clinic group of BENCH_SESSIONS sessions, made once and reused.
BENCH_SESSIONS ?= 100000
BENCH_PG ?= postgres://postgres@127.0.0.1:5432
BENCH_ENV := BENCH_SESSIONS=$(BENCH_SESSIONS) BENCH_PG=$(BENCH_PG) DEBUG=0 \
	SECRET_KEY=bench-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz \
	SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0 \
	DATABASE_URL=$(BENCH_PG)/recovery_desk_bench_$(BENCH_SESSIONS)

bench: $(INSTALLED)
	@mkdir -p var
	$(BENCH_ENV) bin/bench-db
	$(BENCH_ENV) $(BIN)/python manage.py bench --json var/benchmarks-$(BENCH_SESSIONS).json

loadtest: $(INSTALLED)
	@mkdir -p var
	$(BENCH_ENV) bin/bench-db
	$(BENCH_ENV) bin/loadtest

# Backups of a single-machine install (README, "Backups"), with the app's own environment (.env):
# `make backup` writes one under BACKUP_DIR and keeps the newest BACKUP_KEEP;
# `make restore BACKUP=<its folder>` restores it into an empty database, or replaces one with FORCE=1.
backup: $(INSTALLED)
	$(BIN)/python manage.py backup

restore: $(INSTALLED)
	@test -n "$(BACKUP)" || { echo "Say which backup: make restore BACKUP=var/backups/recovery-desk-YYYYMMDD-HHMMSS"; exit 2; }
	$(BIN)/python manage.py restore "$(BACKUP)" $(if $(filter 1,$(FORCE)),--force)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .import_linter_cache
