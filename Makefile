# wuxiao — two commands: `make run` (site with demo data) and `make test` (the whole suite).
# The distribution's Python 3.11 when there is one (Debian's, what docs/deployment.md installs):
# it is built with profile-guided and link-time optimisation, and runs the app in ~20 % less CPU
# than a Python compiled without them (pyenv's default) — measured, docs/performance.md.
PYTHON ?= $(firstword $(wildcard /usr/bin/python3.11) python3.11)
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# DEMO_STAGE=collection make run: move the demo campaign so today falls in that stage
DEMO_STAGE ?=
export DJANGO_SETTINGS_MODULE := wuxiao.settings
PIP := $(PY) -m pip -q --disable-pip-version-check

.PHONY: run test setup system lint bench bench-compare clean

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_campaign
	$(PY) manage.py demo_data $(if $(DEMO_STAGE),--stage $(DEMO_STAGE))
	@echo "五小竞赛平台：http://127.0.0.1:$(PORT)/  （演示账号密码 Wuxiao@2024）"
	@# The background worker (exports, later bulk jobs) runs beside the site and stops with it.
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup $(VENV)/.dev-installed
	$(PY) -m pytest $(PYTEST_ARGS)

setup: system $(VENV)/.installed node_modules/.installed

system:
	@scripts/install-system-packages.sh

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.txt
	$(PY) -c "import django" && touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.installed
	$(PIP) install -r requirements-dev.txt
	$(PY) -c "import pytest, playwright" && touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# make bench [PROJECTS=200000]: page and rush benchmarks on PostgreSQL (and SQLite), a table
# and var/bench/<date>-<projects>.json; make bench-compare A.json B.json: two runs side by side.
# See docs/performance.md.
PROJECTS ?= 20000
bench: setup $(VENV)/.dev-installed
	$(PY) scripts/bench.py --projects $(PROJECTS)

ifeq (bench-compare,$(firstword $(MAKECMDGOALS)))
COMPARE := $(wordlist 2,3,$(MAKECMDGOALS))
$(eval $(COMPARE):;@:)
endif
bench-compare:
	$(PY) scripts/bench.py compare $(or $(A),$(word 1,$(COMPARE))) $(or $(B),$(word 2,$(COMPARE)))

clean:
	rm -rf $(VENV) node_modules var staticfiles
