#!/bin/sh
# Install the npm packages pinned in tests/js/package-lock.json (bpmnlint, bpmn-js, playwright-core,
# vnu-jar: see tests/js/package.json) when they are missing or older than the lock file.
# Node.js and npm come from scripts/system-deps.sh, which make runs first.
set -eu

cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
    echo "npm is missing: the tests that need tests/js skip without it outside CI" >&2
    exit 0
fi

installed=tests/js/node_modules/.package-lock.json
if [ -f "$installed" ] && [ ! tests/js/package-lock.json -nt "$installed" ]; then
    exit 0
fi
if ! npm ci --prefix tests/js --no-audit --no-fund; then
    echo "npm ci --prefix tests/js failed (the BPMN client tests skip without its packages" \
         "outside CI)" >&2
    [ "${CI:-}" = "true" ] && exit 1
fi
exit 0
