#!/usr/bin/env bash
# Exactly-once dispatch under load on two `beifen serve` processes sharing one PostgreSQL:
# 50 staff clients drain a task of LEADS (default 10,000) leads, spread over both servers.
#
# usage: bench/dispatch.sh [LEADS]
#
# Needs PostgreSQL (Debian's postgresql) installed; prints the load client's summary line:
# leads handed out, how many twice (must be 0), p50 and p99 of POST /api/v1/tasks/{id}/next.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
leads=${1:-10000}
work=$(mktemp -d "${TMPDIR:-/tmp}/beifen-dispatch.XXXXXX")
. "$root/scripts/postgres.sh"
stop_pg=()
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	[ ${#stop_pg[@]} -gt 0 ] && "${stop_pg[@]}" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

(cd "$root" && go build -o "$work/beifen" ./cmd/beifen && go build -o "$work/dispatchload" ./bench/dispatchload)
start_postgres "$work" || { echo "dispatch.sh: PostgreSQL is not installed" >&2; exit 1; }
export BEIFEN_MASTER_KEY_FILE=$work/master.key BEIFEN_DB=$PG_DSN
b=$work/beifen

team=$("$b" team add --data "$work/d1" --name 压测 | tail -n 1)
admin=$("$b" user add --data "$work/d1" --phone 13911110000 --team "$team" --role admin | tail -n 1)
for i in $(seq 0 49); do
	"$b" user add --data "$work/d1" --phone "137$(printf '%08d' "$i")" --team "$team" --role staff | tail -n 1
done >"$work/tokens"
awk -v n="$leads" 'BEGIN { for (i = 0; i < n; i++) printf "客户 139%08d\n", i }' >"$work/leads.txt"

urls=()
for i in 1 2; do
	port=$((18100 + i))
	"$b" serve --data "$work/d$i" --addr "127.0.0.1:$port" >"$work/serve$i.log" 2>&1 &
	pids+=($!)
	urls+=("http://127.0.0.1:$port")
done
for u in "${urls[@]}"; do
	for _ in $(seq 50); do curl -fsS -o /dev/null "$u/healthz" 2>/dev/null && break; sleep 0.1; done
done
"$b" leads import --server "${urls[0]}" --token "$admin" "$work/leads.txt" >&2
task=$("$b" task create --server "${urls[1]}" --token "$admin" --name 压测 --window 00:00-24:00 | tail -n 1)
"$work/dispatchload" -task "$task" -tokens "$work/tokens" "${urls[@]}"
