# Two commands: `make run` (embedded default, demo data) and `make test` (lint + whole suite on
# PostgreSQL and Redis). Everything they need is installed by scripts/setup.sh.
SHELL := /bin/bash
PY := .venv/bin/python
TEST_ENV := DATABASE_URL=postgres://postgres@127.0.0.1:5432/showroom \
	CELERY_BROKER_URL=redis://127.0.0.1:6379/14 REDIS_URL=redis://127.0.0.1:6379/15 \
	DJANGO_ALLOW_ASYNC_UNSAFE=true
# Two processes (the machine's two cores); tests sharing the Redis broker or the fixed-name scale
# databases carry an xdist_group and run on one process. PYTEST_ARGS= runs the suite serially.
PYTEST_ARGS ?= -n 2 --dist loadgroup

.PHONY: run test lint setup setup-dev services pytest messages format bench clean

run: setup
	bash scripts/run.sh

setup:
	bash scripts/setup.sh run

setup-dev:
	bash scripts/setup.sh dev

services:
	bash scripts/services.sh

lint: setup-dev
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/djlint templates --lint
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/i18n.py check

test: setup-dev services lint pytest

pytest: setup-dev services
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

format: setup-dev
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .
	.venv/bin/djlint templates --reformat || true

messages: setup-dev
	$(PY) scripts/i18n.py extract

# `make bench SIZE=small|medium|large`: every bench/*.py at that size, then a summary table (bench/README.md)
SIZE ?= small
bench: setup-dev services
	$(PY) bench/run.py --size $(SIZE)

clean:
	rm -rf var static/vendor node_modules
