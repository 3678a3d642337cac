#!/bin/sh
# Install the npm packages pinned in tests/js/package-lock.json (bpmnlint, bpmn-js: the BPMN
# clients tests/test_bpmn_clients.py checks our export against), when they are missing or older
# than the lock file. Installs Debian's nodejs and npm first if node or npm is missing.
set -eu

cd "$(dirname "$0")/.."

missing=""
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"

if [ -n "$missing" ]; then
    echo "system packages needed:$missing" >&2
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
    elif command -v sudo >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
        sudo apt-get update -qq
        sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
    else
        echo "cannot install them here: install$missing with your package manager, then run" \
             "make again (the BPMN client tests skip without them outside CI)" >&2
        exit 0
    fi
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
