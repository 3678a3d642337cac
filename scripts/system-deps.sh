#!/bin/sh
# Install the Debian packages the project needs, when they are missing.
#   python3-venv          Python's venv module (make creates .venv)
#   chromium, chromium-driver   headless browser for the tests that open our SVGs
#   graphviz              the optional system `dot` backend, tested beside the built-in one
#   poppler-utils         pdfinfo, pdftotext, pdftoppm: read the committee report printed to PDF
#   git                   the review-workflow tests run git diff and pre-commit in temporary repos
#   default-jre-headless  Java for the Nu HTML Checker (tests/js: vnu-jar) that validates the report
#   nodejs, npm           the npm test packages in tests/js (scripts/js-deps.sh installs them)
#   fonts-dejavu-core     DejaVu Sans, the face diagram text is measured in: Chromium draws with it
#                         when the tests read our diagrams' geometry back
set -eu

missing=""
python3 -c 'import venv, ensurepip' 2>/dev/null || missing="$missing python3-venv"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v chromedriver >/dev/null 2>&1 || missing="$missing chromium-driver"
command -v dot >/dev/null 2>&1 || missing="$missing graphviz"
command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
command -v git >/dev/null 2>&1 || missing="$missing git"
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$missing fonts-dejavu-core"

[ -z "$missing" ] && exit 0

echo "system packages needed:$missing" >&2
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
elif command -v sudo >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
else
    echo "cannot install them here: install$missing with your package manager, then run make" \
         "again (only python3-venv is essential; the browser and dot tests skip without theirs" \
         "outside CI)" >&2
    case "$missing" in *python3-venv*) exit 1 ;; esac
fi
