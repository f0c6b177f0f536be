#!/usr/bin/env bash
# Compare two beifen builds on first backups, in alternating runs (A B A B ...), so that a change
# is measured against the code before it while this VM's speed drifts.
#
# usage: bench/ab.sh N BIN_A BIN_B EXPORT_DIR
#
#   N           rounds (each one first backup with A, then one with B)
#   BIN_A/B     beifen binaries (go build -o ... ./cmd/beifen at each commit)
#   EXPORT_DIR  a phone export, e.g. one made by bench/genexport -scale 1
#
# Each run starts a new server on a new data folder, adds a user, runs `sync`, then times one
# `beifen backup` of EXPORT_DIR. Prints one line per run: binary, wall seconds, client CPU
# seconds, server CPU seconds during the backup, server peak RSS (MB).
set -euo pipefail

die() {
	echo "ab.sh: $*" >&2
	exit 1
}
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

[[ $# -eq 4 ]] || die "usage: bench/ab.sh N BIN_A BIN_B EXPORT_DIR"
rounds=$1 export_dir=$4
command -v /usr/bin/time >/dev/null || die "needs GNU time (apt-get install time)"

# cpu_ticks PID prints the process's user + system CPU time in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# run BIN times one first backup with BIN and prints its line.
run() {
	local bin=$1 work port url pid tok c0 c1 hz
	work=$(mktemp -d)
	port=$(free_port)
	url=http://127.0.0.1:$port
	"$bin" serve --data "$work/data" --addr "127.0.0.1:$port" >"$work/server.log" 2>&1 &
	pid=$!
	wait_healthy "$url" "$pid" 300 "$work/server.log"
	tok=$("$bin" user add --data "$work/data" --phone 13800138000 | tail -n 1)
	sync
	c0=$(cpu_ticks "$pid")
	XDG_CACHE_HOME=$work/cache /usr/bin/time -f '%e %U %S' -o "$work/client.time" \
		"$bin" backup --server "$url" --token "$tok" --json "$export_dir" >/dev/null
	c1=$(cpu_ticks "$pid")
	hz=$(getconf CLK_TCK)
	read -r wall user sys <"$work/client.time"
	awk -v b="$(basename "$bin")" -v w="$wall" -v u="$user" -v s="$sys" \
		-v t=$((c1 - c0)) -v hz="$hz" -v kb="$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")" \
		'BEGIN { printf "%s %s %.2f %.2f %.1f\n", b, w, u + s, t / hz, kb / 1024 }'
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	rm -rf "$work"
}

echo "binary wall_s client_cpu_s server_cpu_s server_rss_mb"
for _ in $(seq "$rounds"); do
	run "$2"
	run "$3"
done
