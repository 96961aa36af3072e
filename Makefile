# backbone — `make demo` and `make test` do all set-up on a fresh machine with Python 3.11 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   := demo

.PHONY: demo demo-fresh test bench install clean help catalogs

help:
	@echo "make demo   - install into .venv and run the nightly job on the bundled example (outputs in ./$(DEMO))"
	@echo "              an existing ./$(DEMO) is kept with your edits; make demo-fresh moves it to ./$(DEMO).old first"
	@echo "make test   - install with test extras, lint (ruff), type-check (mypy) and run the test suite"
	@echo "make bench  - run the benchmarks and print the figures"
	@echo "make clean  - remove .venv, $(DEMO) and caches"

# pip's output goes to a log, shown only when the install fails.
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check

$(BIN)/python:
	@echo "Creating $(VENV) with $(PYTHON)"
	@$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "Installing backbone into $(VENV) (about a minute the first time)"
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
	  echo "Keeping your $(DEMO)/ and any edits in it; running on it again (to start afresh: make demo-fresh)"; \
	else mkdir -p $(DEMO) && cp -R examples/biskopsgarden/. $(DEMO)/; fi
	@echo "== backbone sync: the example board into the example workbook =="
	@$(BIN)/backbone --settings $(DEMO)/settings.env sync
	@echo
	@echo "== backbone report ci2: the Word recap =="
	@$(BIN)/backbone --settings $(DEMO)/settings.env report ci2
	@echo
	@echo "== backbone report --followup: the first follow-up of the series =="
	@$(BIN)/backbone --settings $(DEMO)/settings.env report --followup
	@echo "== between workshops: a person sets a Status in the sheet, then the nightly sync runs =="
	@$(BIN)/python tools/demo_edit.py $(DEMO)/plan.xlsx ci4-1 Klar
	@$(BIN)/backbone --settings $(DEMO)/settings.env sync > /dev/null 2>&1
	@echo "== backbone report --followup: what changed since the first follow-up =="
	@$(BIN)/backbone --settings $(DEMO)/settings.env report --followup
	@echo
	@echo "Done. Open these:"
	@echo "  the synced workbook:  $(DEMO)/plan.xlsx  (tabs Idéer, Åtgärder, Synklogg)"
	@echo "  the Word recap:       $$(ls $(DEMO)/reports/*sammanfattning.docx)"
	@echo "  the follow-up report: $$(ls $(DEMO)/reports/*uppföljning.docx)"
	@echo "Edit the workbook as a person would (correct a text, add a column, set a Status), then sync again"
	@echo "and see your edits kept:  $(BIN)/backbone --settings $(DEMO)/settings.env sync"

demo-fresh:
	@if [ -d $(DEMO) ]; then rm -rf $(DEMO).old && mv $(DEMO) $(DEMO).old && \
	  echo "Moved your previous demo to $(DEMO).old/"; fi
	@$(MAKE) --no-print-directory demo

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(DEMO) $(DEMO).old .pytest_cache .hypothesis

# The message catalogs (sync/locale): after changing a message, extract, merge into sv and en, translate the
# new entries in sync/locale/sv/LC_MESSAGES/backbone.po, then run this again to compile; commit the .po and .mo.
catalogs: $(VENV)/.installed-test
	@$(BIN)/pybabel extract --no-location --sort-output -k N_ -k later_ -k later_ngettext:1,2 --project backbone -o sync/locale/backbone.pot sync reports
	@$(BIN)/pybabel update --ignore-obsolete --no-fuzzy-matching --width 116 -D backbone -i sync/locale/backbone.pot -d sync/locale
	@$(BIN)/pybabel compile --statistics -D backbone -d sync/locale
