# The reader's commands. On a fresh machine each target installs what it needs:
# Python packages into .venv from requirements.txt (pinned), Debian packages
# (TeX, CJK fonts, Chromium) through scripts/system-deps.sh.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
SPHINXOPTS ?= -W --keep-going -j auto
SPHINXBUILD := $(BIN)/sphinx-build

.PHONY: help html html-hant pdf pdf-hant bench test fuzz publish pdf-deps clean serve lint format system-deps pages glossary-pinyin

help:
	@echo "make html    build the reader into _build/html (warnings are errors)"
	@echo "make html-hant  build the traditional-Chinese reader into _build/html-hant"
	@echo "make pdf     the PDF (simplified) into _build/pdf/reader.pdf; make pdf-hant the traditional one"
	@echo "make test    run every test (installs what is missing)"
	@echo "make serve   live preview for editors (sphinx-autobuild)"
	@echo "make pages   regenerate source/*.md from seeds/ without building"
	@echo "make glossary-pinyin  write pypinyin's reading into glossary entries without one"
	@echo "make publish SOURCE=<slug>  publish a draft source: lock its paragraph numbers (then commit)"
	@echo "make fuzz    the anchor invariant under 10,000 random editing histories (a few minutes)"
	@echo "make bench   the benchmark (bench/results/latest.md), about 11 minutes"
	@echo "make lint    ruff check and format check"
	@echo "make clean   remove build output"

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

system-deps:
	@bash scripts/system-deps.sh test

pdf-deps:
	@bash scripts/system-deps.sh pdf

html: $(STAMP)
	$(SPHINXBUILD) $(SPHINXOPTS) -b html . _build/html

html-hant: $(STAMP)
	$(SPHINXBUILD) $(SPHINXOPTS) -b html -D reader_variant=hant -D language=zh_TW \
		-D reader_other_variant_url=../html . _build/html-hant

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/search.py

# Bytes a search downloads at 10/100/500 sources (bench/results/search.md), about a minute.
.PHONY: bench-search
bench-search: $(STAMP)
	$(BIN)/python bench/search.py

pdf: $(STAMP) pdf-deps
	bash scripts/build-pdf.sh hans

pdf-hant: $(STAMP) pdf-deps
	bash scripts/build-pdf.sh hant

pages: $(STAMP)
	PYTHONPATH=_ext $(BIN)/python -m reader.cli generate

publish: $(STAMP)
	@test -n "$(SOURCE)" || { echo "usage: make publish SOURCE=<slug>" >&2; exit 2; }
	PYTHONPATH=_ext $(BIN)/python -m reader.cli publish $(SOURCE)

fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_anchor_properties.py -q

glossary-pinyin: $(STAMP)
	PYTHONPATH=_ext $(BIN)/python -m reader.cli pinyin

test: $(STAMP) system-deps
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check _ext tests conf.py scripts
	$(BIN)/ruff format --check _ext tests conf.py scripts

format: $(STAMP)
	$(BIN)/ruff format _ext tests conf.py scripts
	$(BIN)/ruff check --fix _ext tests conf.py scripts

serve: $(STAMP)
	$(BIN)/sphinx-autobuild . _build/html --watch seeds --watch _ext \
		--ignore "*/.tmp-*" --ignore "_build/*" --ignore ".venv/*"

clean:
	rm -rf _build tests/artifacts
