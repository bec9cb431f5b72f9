# JXC: `make demo` opens the console chat on a seeded demo database; `make test` runs the suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint test-db clean

# The sources' bytecode is written here even where Python is told not to write it
# (PYTHONDONTWRITEBYTECODE): every `jxc` process would otherwise compile them again.
install: $(STAMP)
	@$(BIN)/python -m compileall -q -j 0 adapters bot domain rules

$(STAMP): pyproject.toml requirements.lock
	@bash scripts/system-packages.sh
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

demo: install
	$(BIN)/jxc init --demo
	$(BIN)/jxc chat

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: install lint
	$(BIN)/pytest -n auto --dist loadfile

# The ledger, concurrency and migration tests against the database in JXC_DATABASE_URL.
test-db: install
	$(BIN)/pytest -m db -n auto --dist loadfile

clean:
	rm -rf $(VENV) *.egg-info
