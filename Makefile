# Kindred — `make run` for a first look, `make test` for the whole suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The test suite runs on the real services (override to point elsewhere).
TEST_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://root@127.0.0.1:5432/kindred)
TEST_REDIS_URL ?= $(or $(REDIS_URL),redis://127.0.0.1:6379/1)

.PHONY: run test lint fmt venv migrate worker beat bench clean

$(PY):
	@py=$$(.ci/find-python) || exit 1; echo "Using $$py"; "$$py" -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

# Quick start: SQLite, in-memory channel layer, tasks in-process, offline LLM.
run: $(STAMP)
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo
	@echo
	@echo "  Kindred is starting at http://127.0.0.1:8000"
	@echo "  Demo login: demo@example.com / kindred-demo"
	@echo
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_DEBUG=1 $(VENV)/bin/mypy .

fmt: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

worker: $(STAMP)
	$(VENV)/bin/celery -A config worker -l info -Q priority,default

beat: $(STAMP)
	$(VENV)/bin/celery -A config beat -l info

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .mypy_cache .ruff_cache .pytest_cache
