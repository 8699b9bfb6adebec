# Two commands on a fresh clone: `make` (install, build dist/seatunnel, run the demo job) and
# `make test` (type check + Biome check + every test; ends with the plain line "N passed, N failed").
BUN := node_modules/.bin/bun
SOURCES := $(shell find src connectors -name '*.ts' ! -name '*.test.ts') $(wildcard src/web/app/*.css) package.json

.PHONY: all install build demo test typecheck lint format conformance bench clean

all: build demo

install: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

build: dist/seatunnel

# The binary is built twice: the first build runs `--version` and a tiny job to record which
# bytecode start-up touches, the second lays that bytecode out first (Bun's --bytecode-order).
# A user's .env or bunfig.toml in the working directory must not change the engine.
COMPILE := $(BUN) build --compile --splitting --minify --bytecode --format=esm \
	--no-compile-autoload-dotenv --no-compile-autoload-bunfig src/main.ts src/runtime/worker-entry.ts

dist/seatunnel: node_modules/.installed $(SOURCES)
	@mkdir -p dist .tmp
	$(COMPILE) --outfile .tmp/seatunnel-unordered
	@rm -f .tmp/order-*.txt
	@BUN_BYTECODE_ORDER_OUT=.tmp/order-version.txt .tmp/seatunnel-unordered --version > /dev/null
	@BUN_BYTECODE_ORDER_OUT=.tmp/order-job.txt .tmp/seatunnel-unordered run bench/jobs/startup-10-rows.conf --checkpoint-dir .tmp/checkpoints > /dev/null
	$(COMPILE) $$(ls .tmp/order-*.txt > /dev/null 2>&1 && echo --bytecode-order=$$(ls .tmp/order-*.txt | paste -sd, -)) --outfile dist/seatunnel

demo: dist/seatunnel
	dist/seatunnel run fixtures/jobs/demo.conf

# The engine, then the web view's browser script (its own tsconfig: the DOM, no Bun).
typecheck: node_modules/.installed
	node_modules/.bin/tsc --noEmit -p .
	node_modules/.bin/tsc --noEmit -p tsconfig.web.json

# Biome in check mode: formatting (width 120) and lint (braces on every body, nothing unused).
lint: node_modules/.installed
	node_modules/.bin/biome check --error-on-warnings .

format: node_modules/.installed
	node_modules/.bin/biome check --write .

test: dist/seatunnel typecheck lint
	@bash tests/run-tests.sh

conformance: dist/seatunnel
	$(BUN) tests/conformance/runner.ts --bin dist/seatunnel

bench: dist/seatunnel
	$(BUN) bench/run.ts

clean:
	rm -rf dist .tmp
