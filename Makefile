# Two commands for a new machine with Python 3.11+ and make:
#   make run    set up and serve the site with demo content on http://127.0.0.1:8000
#   make test   set up and run the whole test suite

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

# Local development: DEBUG on (a development SECRET_KEY is used when none is set).
RUN_ENV := DEBUG=$${DEBUG:-true}

.PHONY: run test install lint format lock bench clean help

help:
	@echo "make run    set up and serve the site with demo content on http://$(HOST):$(PORT)"
	@echo "make test   set up and run the whole test suite"
	@echo "make lint   ruff check and format check"
	@echo "make lock   recompile requirements/*.txt from pyproject.toml"
	@echo "make bench  run the benchmark scripts"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; this is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements/dev.txt pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@$(BIN)/python -c 'import socket, sys; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); r = s.connect_ex(("$(HOST)", $(PORT))); s.close(); sys.exit("Port $(PORT) on $(HOST) is already in use: stop the other server or run make run PORT=8001" if r == 0 else 0)'
	@$(RUN_ENV) $(BIN)/python manage.py migrate --no-input -v 0
	@$(RUN_ENV) $(BIN)/python manage.py createcachetable
	@$(RUN_ENV) $(BIN)/python manage.py load_demo_content
	@$(RUN_ENV) $(BIN)/python manage.py ensure_admin
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	@$(RUN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements/base.txt pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --extra production --output-file requirements/production.txt pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --extra dev --extra production --output-file requirements/dev.txt pyproject.toml

bench: $(STAMP)
	$(BIN)/python tests/benchmarks/run.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
