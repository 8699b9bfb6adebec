# Two commands on a fresh clone: `make` (install, build dist/seatunnel, run the demo job) and
# `make test` (type check + every test; ends with the plain line "N passed, N failed").
BUN := node_modules/.bin/bun
SOURCES := $(shell find src connectors -name '*.ts' ! -name '*.test.ts') package.json

.PHONY: all install build demo test typecheck conformance bench clean

all: build demo

install: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

build: dist/seatunnel

dist/seatunnel: node_modules/.installed $(SOURCES)
	@mkdir -p dist
	$(BUN) build --compile --splitting --minify --bytecode --format=esm src/main.ts src/runtime/worker-entry.ts --outfile dist/seatunnel

demo: dist/seatunnel
	dist/seatunnel run fixtures/jobs/demo.conf

typecheck: node_modules/.installed
	node_modules/.bin/tsc --noEmit -p .

test: dist/seatunnel typecheck
	@bash tests/run-tests.sh

conformance: dist/seatunnel
	$(BUN) tests/conformance/runner.ts --bin dist/seatunnel

bench: dist/seatunnel
	$(BUN) bench/run.ts

clean:
	rm -rf dist .tmp
