#!/usr/bin/env bash
# Build Diogelu's front-end assets from the pinned npm packages.
#
#   make assets            (or: bash frontend/build.sh)
#
# Needs Node (20+) and npm, and python3 for the manifest step. The output is
# committed, so machines that only run the Django app never need Node:
#
#   diogelu/static/diogelu/css/diogelu.css        compiled from frontend/scss/
#   diogelu/static/diogelu/js/*.min.js            copied from the packages' dist
#   diogelu/static/diogelu/assets/                images + manifest.json
#   diogelu/static/diogelu/LICENCES/              licences of committed packages
#   diogelu/static/diogelu/build-manifest.json    sha256 of every input and output
#   tests/e2e/vendor/axe.min.js (+ licences)      for Playwright a11y tests
#
# diogelu/static/diogelu/js/init.mjs is hand-written and left untouched.
# `make check-assets` (scripts/check_assets.py, stdlib only) verifies that the
# committed output matches the inputs, without Node.
set -euo pipefail

FRONTEND="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$FRONTEND")"
STATIC="$ROOT/diogelu/static/diogelu"
E2E_VENDOR="$ROOT/tests/e2e/vendor"
NM="$FRONTEND/node_modules"
GOVUK="$NM/govuk-frontend/dist/govuk"
MOJ="$NM/@ministryofjustice/frontend/moj"

fail() { echo "frontend/build.sh: $*" >&2; exit 1; }

command -v node >/dev/null || fail "node not found (Node 20+ is needed to build assets)"
command -v npm >/dev/null || fail "npm not found"
command -v python3 >/dev/null || fail "python3 not found (used to write the build manifest)"

cd "$FRONTEND"

echo "==> npm ci"
# --ignore-scripts: nothing we use needs an install script (sass is pure JS;
# its optional file-watcher dependency is not used for one-off builds), and
# skipping them avoids running third-party code at install time.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

echo "==> cleaning previous output"
rm -rf "$STATIC/css" "$STATIC/assets" "$STATIC/LICENCES"
rm -f "$STATIC/js/govuk-frontend.min.js" "$STATIC/js/moj-frontend.min.js" \
      "$STATIC/js/htmx.min.js" "$STATIC/build-manifest.json"
rm -f "$E2E_VENDOR/axe.min.js" "$E2E_VENDOR/axe-core-LICENSE.txt" \
      "$E2E_VENDOR/axe-core-LICENSE-3RD-PARTY.txt"
mkdir -p "$STATIC/css" "$STATIC/js" "$STATIC/assets/images" "$STATIC/LICENCES" "$E2E_VENDOR"

echo "==> sass"
# --pkg-importer=node resolves pkg:govuk-frontend and pkg:@ministryofjustice/frontend.
# --load-path=. is needed because MoJ Frontend loads GOV.UK Frontend as
#   "node_modules/govuk-frontend/dist/govuk/base".
# --quiet-deps hides deprecation warnings raised inside the packages.
"$NM/.bin/sass" --pkg-importer=node --load-path=. --quiet-deps \
  --no-source-map --style=compressed \
  scss/diogelu.scss "$STATIC/css/diogelu.css"

CSS="$STATIC/css/diogelu.css"
if grep -q -i -e 'GDS Transport' -e '@font-face' -e '\.woff' "$CSS"; then
  fail "diogelu.css contains GDS Transport / @font-face / woff references; check \$font-family in frontend/scss/_settings.scss"
fi

echo "==> JavaScript"
# Copy a minified file, dropping its trailing sourceMappingURL comment: the
# .map files are not committed, and Django's ManifestStaticFilesStorage would
# fail collectstatic on a reference to a missing map.
copy_js() {
  sed -E '$ s@//[#@] sourceMappingURL=[^[:space:]]*[[:space:]]*$@@' "$1" > "$2"
  if grep -q 'sourceMappingURL=' "$2"; then fail "could not strip sourceMappingURL from $1"; fi
}
copy_js "$GOVUK/govuk-frontend.min.js" "$STATIC/js/govuk-frontend.min.js"
copy_js "$MOJ/moj-frontend.min.js" "$STATIC/js/moj-frontend.min.js"
copy_js "$NM/htmx.org/dist/htmx.min.js" "$STATIC/js/htmx.min.js"
# The MoJ bundle must be self-contained (no imports of govuk-frontend/moment),
# because init.mjs imports it by relative URL.
if grep -q -E '(^|[;}])import[ {*"]' "$STATIC/js/moj-frontend.min.js"; then
  fail "moj-frontend.min.js has import statements; init.mjs cannot load it as-is"
fi

echo "==> assets"
# 1. Everything the CSS references with url(): GOV.UK Frontend or MoJ images.
grep -o 'url([^)]*)' "$CSS" | sed -E 's/^url\(["'"'"']?//; s/["'"'"']?\)$//' | sort -u |
while read -r url; do
  case "$url" in
    /static/diogelu/assets/images/*) name="${url#/static/diogelu/assets/images/}" ;;
    data:*) continue ;;
    *) fail "unexpected url() in diogelu.css: $url" ;;
  esac
  if [ -f "$GOVUK/assets/images/$name" ]; then
    cp "$GOVUK/assets/images/$name" "$STATIC/assets/images/$name"
  elif [ -f "$MOJ/assets/images/$name" ]; then
    cp "$MOJ/assets/images/$name" "$STATIC/assets/images/$name"
  else
    fail "diogelu.css references $url but no package provides images/$name"
  fi
done
# 2. The web app manifest and the icons it lists, plus the <head> icons from
#    GOV.UK Frontend's page template (favicon.ico/.svg, mask icon, apple icon).
cp "$GOVUK/assets/manifest.json" "$STATIC/assets/manifest.json"
{
  node -e 'for (const i of require(process.argv[1]).icons) console.log(i.src.replace(/^images\//, ""))' \
    "$GOVUK/assets/manifest.json"
  printf '%s\n' favicon.ico favicon.svg govuk-icon-mask.svg govuk-icon-180.png
} | sort -u | while read -r name; do
  [ -f "$GOVUK/assets/images/$name" ] || fail "GOV.UK Frontend has no images/$name"
  cp "$GOVUK/assets/images/$name" "$STATIC/assets/images/$name"
done

echo "==> axe-core (tests/e2e/vendor)"
cp "$NM/axe-core/axe.min.js" "$E2E_VENDOR/axe.min.js"
cp "$NM/axe-core/LICENSE" "$E2E_VENDOR/axe-core-LICENSE.txt"
cp "$NM/axe-core/LICENSE-3RD-PARTY.txt" "$E2E_VENDOR/axe-core-LICENSE-3RD-PARTY.txt"

echo "==> licences"
# One file per npm package whose files are committed under diogelu/static.
# govuk-frontend and @ministryofjustice/frontend do not ship a licence file in
# their npm packages, so the upstream texts are kept in frontend/licences/.
copy_licence() { # package, output name
  local pkg="$1" out="$2" src
  src="$(ls "$NM/$pkg"/LICEN[CS]E* 2>/dev/null | head -n 1 || true)"
  if [ -z "$src" ]; then src="$FRONTEND/licences/$out"; fi
  [ -f "$src" ] || fail "no licence file for $pkg (add frontend/licences/$out)"
  cp "$src" "$STATIC/LICENCES/$out"
}
copy_licence govuk-frontend govuk-frontend-LICENSE.txt
copy_licence @ministryofjustice/frontend ministryofjustice-frontend-LICENSE.txt
copy_licence htmx.org htmx.org-LICENSE.txt

echo "==> build manifest"
python3 "$ROOT/scripts/check_assets.py" --write

echo "Done. Review and commit frontend/ , diogelu/static/diogelu/ and tests/e2e/vendor/."
