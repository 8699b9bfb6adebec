#!/usr/bin/env bash
# Runs every bun test and ends with the plain summary line CI reads: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
node_modules/.bin/bun test "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
passed=$(grep -Eo '^ *[0-9]+ pass$' "$log" | tail -1 | tr -dc '0-9')
failed=$(grep -Eo '^ *[0-9]+ fail$' "$log" | tail -1 | tr -dc '0-9')
rm -f "$log"
passed=${passed:-0}
failed=${failed:-0}
# A crash before the summary (or a non-zero exit with no failing test) still counts as a failure.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "${passed} passed, ${failed} failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
