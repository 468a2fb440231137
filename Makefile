# The quick start: `make run` and `make test`. Both set up everything they need first.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
PORT ?= 8501
APT_PACKAGES := chromium fonts-noto-core fonts-dejavu-core fonts-liberation
# Only the tests need LibreOffice (a deck is converted to PDF to prove that it opens; a filled
# template is saved again by Calc to prove that it still imports).
APT_TEST_PACKAGES := libreoffice-impress libreoffice-calc
# `make serve` puts Debian's nginx in front of the dashboard's processes (and the tests try it).
APT_SERVE_PACKAGES := nginx

.PHONY: setup system system-serve system-test run serve test test-fast lint bench deck clean

setup: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

# System packages: Chromium (kaleido's image export and the browser tests) and fonts with
# Vietnamese glyphs. Installed with apt when missing; nothing downloads a browser of its own.
system:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_PACKAGES)"

system-serve:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_PACKAGES) $(APT_SERVE_PACKAGES)"

system-test:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_PACKAGES) $(APT_SERVE_PACKAGES) $(APT_TEST_PACKAGES)"

.PHONY: apt-install
apt-install:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

run: setup system
	$(BIN)/python -m sctdash.serving.serve dashboard.py --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

# Several dashboard processes behind nginx on PORT (docs/deploy.md): REPLICAS=N, default one
# per core, each started as the systemd unit starts it. One log on the terminal and in
# build/serve/serve.log; Ctrl+C stops everything. No restarts: a process that dies is named in
# the log and nginx sends its viewers to the others (on a server, systemd starts it again).
# REPLICAS and PORT reach the command through the environment, never as make text.
serve: setup system-serve
	@$(BIN)/python -m sctdash.serving.launcher --replicas "$${REPLICAS:-$$(nproc)}" --port "$${PORT:-8501}"

lint: setup
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/ty check sctdash pages dashboard.py
	$(BIN)/sqlfluff lint queries/ --disable-progress-bar --nocolor

test: setup system-test lint
	$(BIN)/python -m pytest -q -n auto --maxprocesses=4 --dist worksteal

# The developer's loop: every test not marked slow (no browser, LibreOffice, Chromium-drawn
# image or load test), on every core; under two minutes on two cores. `make test` runs them all.
test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow" -n auto --maxprocesses=4 --dist worksteal

clean:
	rm -rf $(VENV) .cache build

# Import a new extract (CSV or XLSX, recognised by its columns): checked in full, then applied,
# keeping the previous version under data/history/. DRY_RUN=1 shows the preview only.
# Exit status 0 when applied or nothing changes, 1 when refused. UI_LANG=en for English messages.
# Restore puts back the latest kept version of TABLE, or VERSION=<YYYYmmdd-HHMMSS>.
# FILE, TABLE and VERSION reach the command through the environment, never as make text.
.PHONY: import restore template check-log areas
import: setup
	@test -n "$$FILE" || { echo "usage: make import FILE=<path> [DRY_RUN=1] [UI_LANG=en]" >&2; exit 2; }
	@$(BIN)/python -m sctdash.editing.importer "$$FILE" --lang "$${UI_LANG:-vi}" \
	  $$(case "$${DRY_RUN:-0}" in 0|"") ;; *) echo --dry-run ;; esac)

restore: setup
	@test -n "$$TABLE" || { echo "usage: make restore TABLE=<name> [VERSION=<YYYYmmdd-HHMMSS>]" >&2; exit 2; }
	@$(BIN)/python -m sctdash.editing.importer --restore "$$TABLE" --lang "$${UI_LANG:-vi}" \
	  $${VERSION:+--version "$$VERSION"}

# A planner's template of one extract: build/templates/<TABLE>.xlsx (OUT=<path> writes elsewhere),
# with the header, an example row, drop-down lists from the current data and instructions.
# Filled in, it goes back through `make import FILE=...` as it is.
template: setup
	@test -n "$$TABLE" || { $(BIN)/python -m sctdash.editing.templates --lang "$${UI_LANG:-vi}"; exit 2; }
	@$(BIN)/python -m sctdash.editing.templates "$$TABLE" --lang "$${UI_LANG:-vi}" $${OUT:+--out "$$OUT"}

# The official units of every level and date, and the crosswalk of 2025: data/areas.csv and
# data/area_crosswalk.csv, written from the package vietnamadminunits (a test dependency, offline)
# and the resolutions of 2020 and 2025. Nothing reads the package at run time.
areas: setup
	@$(BIN)/python -m sctdash.editing.areas

# The change log of imports and restores (data/history/changelog.jsonl): succeeds when its hash
# chain is whole, fails naming each entry edited or removed by hand. UI_LANG=en for English.
check-log: setup
	@$(BIN)/python -m sctdash.editing.changelog --check --lang "$${UI_LANG:-vi}"

# Benchmarks, not part of `make test`: start-up, interaction, export and scale against a
# plain-pandas baseline (docs/benchmarks.md). Prints a table and writes build/bench.json.
# Synthetic extracts (never real data) are generated once under build/synth/ and reused.
bench: setup system
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Slide deck of the whole dashboard: build/dashboard.pptx (cover, a section per page, one
# 16:9 slide per chart). DISTRICT=<code> (or "535 529") filters it; OUT=<path> writes elsewhere;
# UI_LANG=en for English. Values reach the command through the environment, never as make text.
deck: setup system
	@$(BIN)/python -m sctdash.exports.deck --out "$${OUT:-build/dashboard.pptx}" --lang "$${UI_LANG:-vi}" \
	  $${DISTRICT:+--district $$DISTRICT}
