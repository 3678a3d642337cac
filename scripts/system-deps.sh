#!/bin/sh
# Install the Debian packages the project needs, when they are missing.
# Python itself needs its venv module (Debian ships it as python3-venv).
set -eu

missing=""
python3 -c 'import venv, ensurepip' 2>/dev/null || missing="$missing python3-venv"

[ -z "$missing" ] && exit 0

echo "system packages needed:$missing" >&2
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
elif command -v sudo >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
else
    echo "cannot install them here: install$missing with your package manager, then run make again" >&2
    exit 1
fi
