#!/usr/bin/env bash
# Regenerates docs/screenshots/: the main pages of the web UI at a phone and a desktop size, in
# Chinese and English, taken by the browser journeys (TestUI_Journeys) in Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
# Chinese text needs a CJK font in the browser: Debian's Noto CJK.
if ! fc-list 2>/dev/null | grep -qi cjk; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null
fi
if [ ! -d e2e/node_modules/playwright-core ]; then
  (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
out="$PWD/docs/screenshots"
rm -rf "$out"
REQUIRE_BROWSER=1 BEIFEN_SCREENSHOTS="$out" go test -count=1 -run '^TestUI_Journeys$' ./cmd/beifen
ls "$out"
