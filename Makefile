# The reader's commands. On a fresh machine each target installs what it needs:
# Python packages into .venv from requirements.txt (pinned), Debian packages
# (TeX, CJK fonts, Chromium) through scripts/system-deps.sh.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# One stamp per dependency group: make html installs the runtime only, make test the test group.
stamp = $(VENV)/.installed-$(1)-$(shell cat $(2) | cksum | cut -d' ' -f1)
RUNTIME_STAMP := $(call stamp,runtime,requirements/runtime.txt)
TEST_STAMP := $(call stamp,test,requirements/runtime.txt requirements/test.txt)
STAMP := $(call stamp,dev,requirements/runtime.txt requirements/test.txt requirements.txt)
SPHINXOPTS ?= -W --keep-going -j auto
SPHINXBUILD := $(BIN)/sphinx-build

.PHONY: check help html html-hant pdf pdf-hant epub epub-hant epub-deps bench test test-fast fuzz mutate publish pdf-deps clean serve lint format system-deps pages glossary-pinyin po review-ok

help:
	@echo "make html    build the reader into _build/html (warnings are errors)"
	@echo "make html-hant  build the traditional-Chinese reader into _build/html-hant"
	@echo "make pdf     the PDF (simplified) into _build/pdf/reader.pdf; make pdf-hant the traditional one"
	@echo "make epub    the EPUB (simplified) into _build/epub/reader.epub, checked by epubcheck; make epub-hant the traditional one"
	@echo "make test    run every test (installs what is missing)"
	@echo "make test-fast  the pure and small-project tests (under a minute), for the edit-test loop"
	@echo "make serve   live preview for editors (sphinx-autobuild)"
	@echo "make pages   regenerate source/*.md from seeds/ without building"
	@echo "make schemas  write schemas/*.schema.json (the TOML files' JSON Schema, for editors)"
	@echo "make glossary-pinyin  write pypinyin's reading into glossary entries without one"
	@echo "make publish SOURCE=<slug>  publish a draft source: lock its paragraph numbers (then commit)"
	@echo "make fuzz    the anchor invariant under 10,000 random editing histories (a few minutes)"
	@echo "make mutate  mutation testing (mutmut) of core/anchors.py and 200 segmenter mutants: mutate/results.md (about an hour)"
	@echo "make po      gettext catalogues of the traditional text (locale/zh_TW/LC_MESSAGES/<slug>.po)"
	@echo "make review-ok SOURCE=<slug> P=<n>  record a paragraph of the traditional text as reviewed"
	@echo "make bench   the benchmark (bench/results/latest.md), about 11 minutes"
	@echo "make check   the review report: every uncertain segmentation decision, with the override that flips it"
	@echo "make lint    ruff check and format check"
	@echo "make clean   remove build output"

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): requirements/runtime.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/runtime.txt
	@rm -f $(VENV)/.installed-runtime-*
	@touch $@

$(TEST_STAMP): requirements/runtime.txt requirements/test.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/test.txt
	@rm -f $(VENV)/.installed-test-* $(VENV)/.installed-runtime-*
	@touch $@ $(RUNTIME_STAMP)

$(STAMP): requirements/runtime.txt requirements/test.txt requirements.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $@ $(TEST_STAMP) $(RUNTIME_STAMP)

system-deps:
	@bash scripts/system-deps.sh test

pdf-deps:
	@bash scripts/system-deps.sh pdf

epub-deps:
	@bash scripts/system-deps.sh epub

epub: $(RUNTIME_STAMP) epub-deps
	bash scripts/build-epub.sh hans

epub-hant: $(RUNTIME_STAMP) epub-deps
	bash scripts/build-epub.sh hant

html: $(RUNTIME_STAMP)
	$(SPHINXBUILD) $(SPHINXOPTS) -b html . _build/html

html-hant: $(RUNTIME_STAMP)
	$(SPHINXBUILD) $(SPHINXOPTS) -b html -D reader_variant=hant -D language=zh_TW \
		-D reader_other_variant_url=../html . _build/html-hant

bench: $(TEST_STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/search.py

# The benchmark from 100 to 2,000 sources (bench/results/large.md), about 34 minutes on 2 cores.
.PHONY: bench-large
bench-large: $(TEST_STAMP)
	$(BIN)/python bench/run.py --sizes 100 500 1000 2000 --repeats 1 --stage-repeats 3 --variants-up-to 500 --j2-triples 3 --floor-pairs 3 --out large

# Bytes a search downloads at 10/100/500 sources (bench/results/search.md), about a minute.
.PHONY: bench-search
bench-search: $(STAMP)
	$(BIN)/python bench/search.py

pdf: $(RUNTIME_STAMP) pdf-deps
	bash scripts/build-pdf.sh hans

pdf-hant: $(RUNTIME_STAMP) pdf-deps
	bash scripts/build-pdf.sh hant

pages: $(RUNTIME_STAMP)
	PYTHONPATH=_ext $(BIN)/python -m reader.cli generate

publish: $(RUNTIME_STAMP)
	@test -n "$(SOURCE)" || { echo "usage: make publish SOURCE=<slug>" >&2; exit 2; }
	PYTHONPATH=_ext $(BIN)/python -m reader.cli publish $(SOURCE)

fuzz: $(TEST_STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_anchor_properties.py -q

# Mutation testing, not part of make test: every mutant of core/anchors.py and a fixed sample of
# 200 of the segmenter's, against the fast tests ([tool.mutmut] in pyproject.toml); about an hour
# on two cores. MAX_CHILDREN=1 halves the load.
MAX_CHILDREN ?= 2
mutate: $(STAMP)
	$(BIN)/python scripts/mutate.py --max-children $(MAX_CHILDREN)
check: $(RUNTIME_STAMP)
	PYTHONPATH=_ext $(BIN)/python -m reader.cli review $(if $(ALL),--all)

.PHONY: schemas
schemas: $(RUNTIME_STAMP)
	PYTHONPATH=_ext $(BIN)/python -m reader.cli schemas

glossary-pinyin: $(RUNTIME_STAMP)
	PYTHONPATH=_ext $(BIN)/python -m reader.cli pinyin

po: $(RUNTIME_STAMP)
	PYTHONPATH=_ext $(BIN)/python -m reader.translate po

review-ok: $(RUNTIME_STAMP)
	@test -n "$(SOURCE)" -a -n "$(P)" || { echo "usage: make review-ok SOURCE=<slug> P=<n>[,<n>…]"; exit 2; }
	PYTHONPATH=_ext $(BIN)/python -m reader.translate review-ok $(SOURCE) $(P)

# Two processes (pytest-xdist): a test module stays in one, the real reader's builds are
# made once per run (tests/conftest.py). TEST_JOBS=1 runs the suite in one process.
TEST_JOBS ?= 2
XDIST = $(if $(filter 1,$(TEST_JOBS)),,-n $(TEST_JOBS) --dist loadfile)

test: $(TEST_STAMP) system-deps
	$(BIN)/python -m pytest $(XDIST)

test-fast: $(TEST_STAMP)
	$(BIN)/python -m pytest -m "not slow" -q $(XDIST)

lint: $(TEST_STAMP)
	$(BIN)/ruff check _ext tests conf.py scripts
	$(BIN)/ruff format --check _ext tests conf.py scripts

format: $(TEST_STAMP)
	$(BIN)/ruff format _ext tests conf.py scripts
	$(BIN)/ruff check --fix _ext tests conf.py scripts

serve: $(STAMP)
	$(BIN)/sphinx-autobuild . _build/html --watch seeds --watch _ext \
		--ignore "*/.tmp-*" --ignore "_build/*" --ignore ".venv/*"

clean:
	rm -rf _build tests/artifacts
