# Coordinator Portal: `make run` serves the demo site; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test install install-dev lint check clean messages bench

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-runtime: pyproject.toml | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-runtime

install: $(VENV)/.installed-runtime

install-dev: $(VENV)/.installed-dev

run: install
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(PY) manage.py seed_demo
	@echo "Serving http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)"
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install-dev
	bash scripts/install_test_deps.sh
	bash scripts/test.sh

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: install-dev
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

messages: install-dev
	$(PY) scripts/messages.py

bench: install-dev
	bash scripts/bench.sh
