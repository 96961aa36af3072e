# backbone — `make demo` and `make test` do all set-up on a fresh machine with Python 3.11 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   := demo

.PHONY: demo test bench install clean help

help:
	@echo "make demo   - install into .venv and run the nightly job on the bundled example (outputs in ./$(DEMO))"
	@echo "make test   - install with test extras and run the test suite"
	@echo "make bench  - run the benchmarks and print the figures"
	@echo "make clean  - remove .venv, $(DEMO) and caches"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed

# The demo works on a copy of the example in ./demo (ignored by git): tracked files stay untouched.
demo: $(VENV)/.installed
	@rm -rf $(DEMO) && mkdir -p $(DEMO) && cp -R examples/biskopsgarden/. $(DEMO)/
	@echo "== backbone sync: the example board into the example workbook =="
	@$(BIN)/backbone --settings $(DEMO)/settings.env sync
	@echo
	@echo "== backbone report ci2: the Word recap =="
	@$(BIN)/backbone --settings $(DEMO)/settings.env report ci2
	@echo
	@echo "Done. Open these:"
	@echo "  the synced workbook:  $(DEMO)/plan.xlsx  (tabs Idéer, Åtgärder, Synklogg)"
	@echo "  the Word recap:       $$(ls $(DEMO)/reports/*.docx)"
	@echo "  run it again:         $(BIN)/backbone --settings $(DEMO)/settings.env runs"

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .hypothesis
