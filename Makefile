# Two commands for a new machine with Python 3.11+ and make:
#   make run    set up and serve the site with demo content on http://127.0.0.1:8000
#               (make run HOST=... PORT=... to serve elsewhere)
#   make test   set up and run the whole test suite

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

SECRET_FILE := .dev-secret-key
BASE_URL = http://$(HOST):$(PORT)

# Local development: the site as visitors get it (DEBUG off: its own 404 and 500 pages),
# plain HTTP on $(HOST):$(PORT), mail printed to the console, static files read from the
# source folders, renditions made by the background worker. Errors still print their
# traceback in this terminal. Any of these can be overridden from the environment.
RUN_ENV = DEBUG=$${DEBUG:-false} SECRET_KEY="$${SECRET_KEY:-$$(cat .dev-secret-key)}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-$(HOST),localhost,127.0.0.1}" \
	CSRF_TRUSTED_ORIGINS="$${CSRF_TRUSTED_ORIGINS:-$(BASE_URL)}" \
	WAGTAILADMIN_BASE_URL="$${WAGTAILADMIN_BASE_URL:-$(BASE_URL)}" \
	SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false \
	SECURE_HSTS_SECONDS=0 STATIC_FROM_SOURCE=true BACKGROUND_TASKS=database \
	EMAIL_BACKEND="$${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}" \
	HOST=$(HOST) PATH="$(CURDIR)/$(BIN):$$PATH"

.PHONY: run test install lint format lock bench bench-video lighthouse clean help vendor-hls

help:
	@echo "make run    set up and serve the site with demo content on $(BASE_URL)"
	@echo "            (HOST=0.0.0.0 or PORT=8001 to change where: make run PORT=8001)"
	@echo "make test   set up and run the whole test suite"
	@echo "make lint   ruff check and format check"
	@echo "make lock   recompile requirements/*.txt from pyproject.toml"
	@echo "make run-stack  Varnish, two app servers, worker, SeaweedFS, PostgreSQL, Redis: $(STACK_URL)"
	@echo "make bench-stack  the stack under load through Varnish (~3 min)"
	@echo "make faults  PostgreSQL, Redis, SeaweedFS stopped under load (restarts them: ~4 min)"
	@echo "make bench  run the benchmark scripts"
	@echo "make bench-video  private HLS against the master: first frame, bytes, req/s (~8 min)"
	@echo "make lighthouse  Lighthouse (mobile) scores of five pages, reports in reports/lighthouse/"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; this is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements/dev.txt pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	@# -W: setuptools' note that every editable install gets ("Editable installation."), no fault.
	$(BIN)/python -W "ignore:Editable installation" -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

$(SECRET_FILE):
	@$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@chmod 600 $@

run: $(STAMP) $(SECRET_FILE)
	@$(BIN)/python -c 'import socket, sys; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); r = s.connect_ex(("$(HOST)", $(PORT))); s.close(); sys.exit("Port $(PORT) on $(HOST) is already in use: stop the other server or run make run PORT=8001" if r == 0 else 0)'
	@echo "Preparing the database (migrations, cache table, demo content, admin account)..."
	@$(RUN_ENV) $(BIN)/python manage.py migrate --no-input -v 0
	@$(RUN_ENV) $(BIN)/python manage.py createcachetable
	@$(RUN_ENV) $(BIN)/python manage.py load_demo_content --hostname $(HOST) --port $(PORT)
	@$(RUN_ENV) $(BIN)/python manage.py ensure_admin
	@# Videos marked for processing (uploaded before it existed) go to the worker.
	@$(RUN_ENV) $(BIN)/python manage.py queue_videos
	@echo "Serving on $(BASE_URL)/ with the background worker  (Ctrl+C stops both)"
	@$(RUN_ENV) $(BIN)/honcho --no-colour start --procfile Procfile --port $(PORT)

# The whole stack on loopback, as in production (README, "Deploy"): Varnish on STACK_PORT in
# front of two gunicorn app servers (WEB1_PORT, WEB2_PORT), the background worker, media in
# SeaweedFS (STACK_S3_PORT), PostgreSQL (STACK_DATABASE_URL, created when missing) and Redis
# (STACK_REDIS_URL), both already running.
STACK_PORT ?= 6081
WEB1_PORT ?= 8001
WEB2_PORT ?= 8002
STACK_S3_PORT ?= 8333
STACK_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bts_stack
STACK_REDIS_URL ?= redis://127.0.0.1:6379/2
STACK_DIR := $(CURDIR)/.stack
STACK_URL = http://$(HOST):$(STACK_PORT)
STACK_ENV = DEBUG=false SECRET_KEY="$${SECRET_KEY:-$$(cat .dev-secret-key)}" \
	ALLOWED_HOSTS="$(HOST),localhost,127.0.0.1" CSRF_TRUSTED_ORIGINS="$(STACK_URL)" \
	WAGTAILADMIN_BASE_URL="$(STACK_URL)" \
	SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false \
	SECURE_HSTS_SECONDS=0 BACKGROUND_TASKS=database \
	EMAIL_BACKEND="$${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}" \
	DATABASE_URL="$(STACK_DATABASE_URL)" REDIS_URL="$(STACK_REDIS_URL)" \
	STATIC_ROOT="$(STACK_DIR)/static" MEDIA_ROOT="$(STACK_DIR)/media" \
	MEDIA_S3_BUCKET=media MEDIA_S3_PUBLIC_BUCKET=media-public \
	MEDIA_S3_ENDPOINT_URL="http://$(HOST):$(STACK_S3_PORT)" SEAWEEDFS_DIR="$(STACK_DIR)/seaweedfs" \
	AWS_ACCESS_KEY_ID=bts-stack AWS_SECRET_ACCESS_KEY="$$(cat .dev-secret-key)" \
	FRONTEND_CACHE_PURGE_URL="http://127.0.0.1:$(STACK_PORT)" FORWARDED_FOR_DEPTH=1 \
	VARNISH_LISTEN="$(HOST):$(STACK_PORT)" VARNISH_WORKDIR="$(STACK_DIR)/varnish" \
	VARNISH_BACKENDS="127.0.0.1:$(WEB1_PORT),127.0.0.1:$(WEB2_PORT)" VARNISH_PROBE_HOST=127.0.0.1 \
	WEB1_ADDRESS="127.0.0.1:$(WEB1_PORT)" WEB2_ADDRESS="127.0.0.1:$(WEB2_PORT)" \
	PATH="$(CURDIR)/$(BIN):$$PATH"

.PHONY: run-stack bench-stack faults

run-stack: $(STAMP) $(SECRET_FILE)
	@$(STACK_ENV) $(BIN)/python deploy/stack.py
	@$(STACK_ENV) $(BIN)/honcho --no-colour start --procfile Procfile.stack

# Through Varnish: page against static file, 60 s of mixed load at 32 connections on both app
# servers (errors, p50, p99), requests reaching the app for a 60-photo sheet's images.
bench-stack: $(STAMP)
	$(BIN)/python tests/benchmarks/stack.py

# PostgreSQL restarted, Redis stopped (and SeaweedFS when configured) under load: failed
# requests, status codes, time to recover, contact messages kept. Restarts the machine's
# PostgreSQL and Redis: not while another test run uses them.
faults: $(STAMP)
	$(BIN)/python tests/benchmarks/faults.py

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

TEMPLATES = $(shell git ls-files '*.html' 2>/dev/null)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check $(TEMPLATES)

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml $(TEMPLATES)

lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements/base.txt pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --extra production --output-file requirements/production.txt pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --extra dev --extra production --output-file requirements/dev.txt pyproject.toml

bench: $(STAMP)
	$(BIN)/python tests/benchmarks/run.py
	$(BIN)/python tests/benchmarks/pages.py
	$(BIN)/python tests/benchmarks/unlock.py
	$(BIN)/python tests/benchmarks/publish.py

# Not part of bench: it makes and processes a 60 s 1080p master first (about 8 minutes).
bench-video: $(STAMP)
	$(BIN)/python tests/benchmarks/video.py

# Not part of bench: Lighthouse (npm, into .cache/lighthouse) on home, about, the film index,
# a 60-photo sheet and the unlocked showreel, 3 runs each (10 minutes on a quiet machine,
# longer on a busy one: each run waits up to 2 minutes for the load to come down).
lighthouse: $(STAMP)
	$(BIN)/python tests/benchmarks/lighthouse.py

# The player's hls.js (light build: adaptive streaming without subtitles, alternate audio or
# DRM, which the site does not use), from the npm registry at a pinned version.
HLS_JS_VERSION ?= 1.7.4
HLS_JS_DIR := gallery/static/gallery/vendor/hls.js

vendor-hls:
	@tmp=$$(mktemp -d) && cd "$$tmp" && npm pack --silent hls.js@$(HLS_JS_VERSION) >/dev/null \
		&& tar -xzf hls.js-$(HLS_JS_VERSION).tgz \
		&& cp package/dist/hls.light.min.js package/LICENSE "$(CURDIR)/$(HLS_JS_DIR)/" \
		&& cd "$(CURDIR)" && rm -rf "$$tmp"
	@# The source map is not shipped; its comment would fail collectstatic's manifest.
	@sed -i '/^\/\/# sourceMappingURL=/d' $(HLS_JS_DIR)/hls.light.min.js
	@sed -i 's/^Version: .*/Version: $(HLS_JS_VERSION)/' $(HLS_JS_DIR)/README.txt
	@echo "hls.js $(HLS_JS_VERSION) copied to $(HLS_JS_DIR)"

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache $(SECRET_FILE)
