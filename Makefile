# The two commands a new user needs: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The open-source Omnitron clients (omnisdk, channel_app) that tests/clients runs, apart from the
# server's packages: channel-app pins versions of requests and redis that differ from ours.
CLIENTS_VENV := .venv-clients
CLIENTS_STAMP := $(CLIENTS_VENV)/.installed
SERVE_STAMP := $(VENV)/.installed-serve
LINT_PATHS := src tests $(wildcard bench)

.PHONY: serve test lint format install clients clean messages fuzz

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Pazar needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Serving needs the package and its dependencies only; the test tools (browser driver, fuzzer,
# linters, audit) come with `make test`.
$(SERVE_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	@touch $(SERVE_STAMP)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP) $(SERVE_STAMP)

install: $(STAMP)

$(CLIENTS_STAMP): tests/clients/requirements.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Pazar needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(CLIENTS_VENV)
	$(CLIENTS_VENV)/bin/python -m pip install --quiet -r tests/clients/requirements.txt
	@touch $(CLIENTS_STAMP)

clients: $(CLIENTS_STAMP)

serve: $(SERVE_STAMP)
	$(BIN)/pazar serve

test: $(STAMP) $(CLIENTS_STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/pytest

# The fuzz tests of `make test`, with many more (random) examples: FUZZ_EXAMPLES per operation
# and per body kind, every schemathesis check on each site's document. Add DATABASE_URL=… to
# run them on PostgreSQL (docs/reliability.md).
FUZZ_EXAMPLES ?= 50
fuzz: $(STAMP)
	PAZAR_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest tests/fuzz

format: $(STAMP)
	$(BIN)/ruff check --fix $(LINT_PATHS)
	$(BIN)/ruff format $(LINT_PATHS)

# The Turkish catalog of the back office: extract the strings, then compile them. Needs GNU
# gettext (`apt-get install gettext`); the compiled .mo is committed, so serving and testing do not.
messages: $(STAMP)
	cd src/pazar && PAZAR_DATA_DIR=$(CURDIR)/var DJANGO_SETTINGS_MODULE=pazar.settings \
		$(CURDIR)/$(BIN)/django-admin makemessages -l tr --no-obsolete --no-location --ignore "*/migrations/*"
	cd src/pazar && PAZAR_DATA_DIR=$(CURDIR)/var DJANGO_SETTINGS_MODULE=pazar.settings \
		$(CURDIR)/$(BIN)/django-admin compilemessages -l tr

clean:
	rm -rf $(VENV) $(CLIENTS_VENV) var
