#!/usr/bin/env bash
# Runs every test of beifen: the unit and end-to-end suites on SQLite, the same storage suite and
# an end-to-end run on a throwaway PostgreSQL (started here on a Unix socket in a temp folder),
# and a short run of each fuzz target.
#
#   scripts/test.sh            all of it
#   FUZZTIME=0 scripts/test.sh skip the fuzzing
#
# The web UI journeys run in Debian's chromium with playwright-core (installed here into e2e/
# from its lock file); without chromium or node they skip.
#
# It fails if the PostgreSQL suite was skipped when REQUIRE_POSTGRES=1, and if the browser
# journeys could not run when REQUIRE_BROWSER=1 (CI sets both).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
FUZZTIME="${FUZZTIME:-10s}"
work="$(mktemp -d)"
log="$work/go-test.log"

. "$(dirname "$0")/postgres.sh"

stop_pg=()
cleanup() {
  [ ${#stop_pg[@]} -gt 0 ] && "${stop_pg[@]}" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

if start_postgres "$work"; then
  export BEIFEN_TEST_POSTGRES_DSN="$PG_DSN"
else
  echo "test.sh: PostgreSQL not installed; its suite will skip"
fi
if command -v npm >/dev/null && [ ! -d e2e/node_modules/playwright-core ]; then
  (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
go vet ./...
go test -count=1 -timeout 20m ./... 2>&1 | tee "$log"
# go test hides per-test skips without -v: run the PostgreSQL tests again verbosely to prove
# they ran (they are fast) when they are required.
if [ "${REQUIRE_POSTGRES:-0}" = 1 ]; then
  go test -count=1 -v -run 'TestStore|Postgres' ./postgres ./cmd/beifen > "$work/pg-test.log" 2>&1 || { cat "$work/pg-test.log"; exit 1; }
  if grep -q -- '--- SKIP' "$work/pg-test.log" || ! grep -q -- '--- PASS: TestStore' "$work/pg-test.log"; then
    grep -- '--- SKIP' "$work/pg-test.log" || true
    echo "test.sh: the PostgreSQL suite was skipped, but REQUIRE_POSTGRES=1" >&2
    exit 1
  fi
  echo "test.sh: PostgreSQL suite ran"
fi

# fuzz PKG TARGET runs one fuzz target for FUZZTIME. Go 1.26's fuzzing coordinator can end a
# run that found nothing with "context deadline exceeded" when -fuzztime expires (a race in the
# toolchain, golang/go#75804, fixed in Go 1.27): such a run passes if it wrote no failing input.
# Any other failure, or a new input under testdata/fuzz, fails.
fuzz() {
  local pkg=$1 target=$2 out="$work/fuzz-$2.log" before after
  before="$(ls "$pkg/testdata/fuzz/$target" 2>/dev/null | sort || true)"
  if go test -run '^$' -fuzz "^$target\$" -fuzztime "$FUZZTIME" "$pkg" >"$out" 2>&1; then
    tail -n 2 "$out"
    return 0
  fi
  after="$(ls "$pkg/testdata/fuzz/$target" 2>/dev/null | sort || true)"
  if [ "$before" = "$after" ] && grep -q -- '--- FAIL' "$out" && \
     [ "$(grep -A1 -- '--- FAIL' "$out" | tail -n 1 | sed 's/^ *//')" = "context deadline exceeded" ]; then
    echo "test.sh: $target stopped with the Go fuzzing coordinator's deadline race and wrote no failing input: not a failure"
    return 0
  fi
  cat "$out"
  return 1
}

if [ "$FUZZTIME" != 0 ]; then
  for target in $(grep -rl --include='*_test.go' '^func Fuzz' . | xargs grep -ho '^func Fuzz[A-Za-z0-9_]*' | sort -u | sed 's/^func //'); do
    pkg="$(grep -rl --include='*_test.go' "^func $target(" . | head -1 | xargs dirname)"
    fuzz "$pkg" "$target"
  done
fi
