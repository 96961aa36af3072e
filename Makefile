# backbone — `make demo` and `make test` do all set-up on a fresh machine with Python 3.11 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   := demo

.PHONY: demo demo-fresh test test-fast bench install clean help catalogs

help:
	@echo "make demo   - install into .venv and run the nightly job on the bundled example (outputs in ./$(DEMO))"
	@echo "              an existing ./$(DEMO) is kept with your edits; make demo-fresh moves it to ./$(DEMO).old first"
	@echo "make test   - install with test extras, lint (ruff), type-check (mypy) and run the whole test suite"
	@echo "make test-fast - lint, type-check and the tests that start no process, LibreOffice or browser (the edit-test loop)"
	@echo "make bench  - run the benchmarks and print the figures"
	@echo "make clean  - remove .venv, $(DEMO) and caches"

# What the demo says between commands, in BACKBONE_LANGUAGE (the environment's, else demo/settings.env's); the
# standard library only, so it speaks before .venv exists.
SAY = PYTHON=$(PYTHON) $(PYTHON) tools/demo_say.py

# pip's output goes to a log, shown only when the install fails.
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check

$(BIN)/python:
	@$(SAY) creating $(DEMO)
	@$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@$(SAY) installing $(DEMO)
	@$(PIP) -e . > $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	@echo "Installing backbone and its test tools into $(VENV)"
	@$(PIP) -e '.[test]' > $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed

# The demo works on a copy of the example in ./demo (ignored by git): tracked files stay untouched.
# An existing demo is kept, with the edits the README invites; demo-fresh moves it to demo.old/ first.
demo: $(VENV)/.installed
	@if [ -d $(DEMO) ]; then \
	  $(SAY) keeping $(DEMO); \
	else mkdir -p $(DEMO) && cp -R examples/biskopsgarden/. $(DEMO)/; fi
	@$(SAY) sync $(DEMO)
	@$(BIN)/backbone --settings $(DEMO)/settings.env sync
	@echo
	@$(SAY) report $(DEMO)
	@$(BIN)/backbone --settings $(DEMO)/settings.env report ci2 --html
	@echo
	@$(SAY) followup $(DEMO)
	@$(BIN)/backbone --settings $(DEMO)/settings.env report --followup
	@$(SAY) edit $(DEMO)
	@$(BIN)/python tools/demo_edit.py $(DEMO)/plan.xlsx ci4-1 Klar
	@$(BIN)/backbone --settings $(DEMO)/settings.env sync > /dev/null 2>&1
	@$(SAY) followup2 $(DEMO)
	@$(BIN)/backbone --settings $(DEMO)/settings.env report --followup
	@echo
	@$(SAY) done $(DEMO)

demo-fresh:
	@if [ -d $(DEMO) ]; then rm -rf $(DEMO).old && mv $(DEMO) $(DEMO).old && \
	  $(SAY) moved $(DEMO); fi
	@$(MAKE) --no-print-directory demo

# The tests run in parallel (pytest-xdist), one worker per core and one more: many tests wait on a server, a
# timeout or a child process, and the extra worker uses the core they leave idle. Tests share nothing, so any
# worker takes any test (--dist load; loadgroup's xdist_group does not group under pytest 9.2, xdist #1386).
# Python may write its bytecode caches here (even where the environment says PYTHONDONTWRITEBYTECODE):
# without them every worker and every `backbone` a test starts compiles the sources and rewrites the tests'
# asserts again, seconds each time. test-fast's tests hardly wait, so it takes one worker per core.
CORES  := $(shell $(PYTHON) -c "import os; print(len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count())")
JOBS   ?= $(shell echo $$(($(CORES) + 1)))
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest --dist load
# The marks are registered in pyproject.toml; tests/conftest.py fails a test that starts a process unmarked.
FAST   := not slow and not subprocess and not libreoffice and not browser

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(PYTEST) -n $(JOBS)

test-fast: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(PYTEST) -n $(CORES) -m "$(FAST)"

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(DEMO) $(DEMO).old .pytest_cache .hypothesis

# The message catalogs (sync/locale): after changing a message, extract, merge into sv and en, translate the
# new entries in sync/locale/sv/LC_MESSAGES/backbone.po, then run this again to compile; commit the .po and .mo.
catalogs: $(VENV)/.installed-test
	@$(BIN)/pybabel extract --no-location --sort-output -k N_ -k later_ -k later_ngettext:1,2 --project backbone -o sync/locale/backbone.pot sync reports tools/demo_say.py
	@$(BIN)/pybabel update --ignore-obsolete --no-fuzzy-matching --width 116 -D backbone -i sync/locale/backbone.pot -d sync/locale
	@$(BIN)/pybabel compile --statistics -D backbone -d sync/locale
