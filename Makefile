# The two entry points of the README: `make conformance` (main job) and `make check`
# (every gate). Both bootstrap .venv themselves from a bare Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
REPORT ?= build/conformance-report
# The clean-room JavaScript implementation under test: its pinned npm packages.
JS_IUT := conformance/samples/iut-js
JS_STAMP := $(JS_IUT)/node_modules/.installed

.PHONY: conformance check setup lint typecheck test docs clean mutation

$(STAMP): pyproject.toml tools/install-system-deps.sh
	tools/install-system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,pcsc,nfc,docs,bench,fuzz]'
	touch $(STAMP)

# npm ci installs exactly package-lock.json (node and npm come from install-system-deps.sh).
$(JS_STAMP): $(JS_IUT)/package.json $(JS_IUT)/package-lock.json | $(STAMP)
	cd $(JS_IUT) && npm ci --no-audit --no-fund --loglevel=error
	touch $(JS_STAMP)

setup: $(STAMP) $(JS_STAMP)

conformance: $(STAMP)
	$(BIN)/vitale conformance run --report $(REPORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# pytest exits 5 when it collected nothing; that is not a failure of the gate.
test: $(STAMP) $(JS_STAMP)
	$(BIN)/pytest; rc=$$?; if [ $$rc -eq 5 ]; then rc=0; fi; exit $$rc

# `make docs REPORT=DIR` builds the site around the run in DIR (someone else's results.json).
docs: $(STAMP)
	VDC_RESULTS=$(abspath $(REPORT))/results.json VDC_REPORT_DIR=$(abspath $(REPORT)) \
	  $(BIN)/sphinx-build -W --keep-going -q -b html docs build/docs

# Mutation campaign of the reference's protocol code, killed by the conformance suite alone;
# resumes where it stopped; scores and survivors in build/mutation/ (README, Suite power).
mutation: $(STAMP)
	$(BIN)/python -m tools.mutation

# The conformance report is produced before the docs so the matrix shows its verdicts.
check: lint typecheck test conformance docs

clean:
	rm -rf build .mypy_cache .ruff_cache .pytest_cache
