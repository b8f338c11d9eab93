# The quick start is two commands: `make demo` and `make test`. Each sets up what it needs.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
OUT ?= out

.PHONY: demo test unit lint venv system-deps clean

$(BIN)/migplan: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,ray]'
	@touch $@

venv: $(BIN)/migplan

system-deps:
	bash scripts/system-deps

demo: venv
	bash scripts/demo $(OUT)

# Before any test: no import cycle between modules or sub-packages, and ruff clean (config in pyproject.toml).
lint: venv
	$(BIN)/python scripts/check-import-cycles
	$(BIN)/ruff check .

unit: lint
	$(BIN)/pytest -m "not integration" -q

test: lint system-deps
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) $(OUT)
