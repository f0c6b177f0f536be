#!/usr/bin/env bash
# Compare beifen with restic on a generated Android phone export.
#
# usage: bench/run.sh [SCALE]
#
#   SCALE   size of the export, passed to genexport -scale (default 1, about 1 GB)
#
# Environment:
#   SEED=N     pick another export (default 1)
#   BEIFEN=0   skip beifen: run only the generator and restic
#   BEIFEN_BIN=PATH   benchmark this beifen binary instead of building ./cmd/beifen
#
# Both tools see the same folder in the same order: the two first backups see the export as
# generated, then genexport -mutate adds one day of use (about ten SMS, three photos, one
# recording), then both second backups see the mutated folder, then both restore. Each step runs
# once under /usr/bin/time (wall seconds, CPU seconds and peak RSS; for beifen also the server's
# CPU seconds during the step), restic first. The page cache is not
# dropped: the export was just written, so both tools read it from memory. Dirty pages are
# flushed (sync) before every timed step, so no step pays for the previous step's writes.
#
# Prints Markdown tables on stdout, progress on stderr. Needs go, curl and apt-get (to install
# restic and time when missing).
#
# EXIT STATUS: 0 if every step ran and both restores match the export, 1 otherwise.
set -euo pipefail

scale=${1:-1}
seed=${SEED:-1}
with_beifen=${BEIFEN:-1}
owner_phone=13800138000

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/beifen-bench.XXXXXX")
export_dir=$work/export
server_pid="" # the /usr/bin/time process that wraps beifen serve
declare -A secs=() rss=() cpu=() srv=()

log() { echo "bench: $*" >&2; }

die() {
	log "$*"
	exit 1
}

# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"

cleanup() {
	stop_server
	rm -rf "$work"
}
trap cleanup EXIT

# install_tools installs restic and GNU time from the distribution when missing.
install_tools() {
	local missing=()
	[[ -x /usr/bin/time ]] || missing+=(time)
	command -v restic >/dev/null || missing+=(restic)
	((${#missing[@]})) || return 0
	local sudo=""
	[[ $(id -u) == 0 ]] || sudo=sudo
	log "installing ${missing[*]}"
	$sudo apt-get update -qq
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# timed NAME CMD...: runs CMD once under /usr/bin/time; sets secs[NAME] (wall seconds), cpu[NAME]
# (user + system CPU seconds) and rss[NAME] (peak KB), and keeps its output in $work/NAME.out and
# .err.
timed() {
	local name=$1 t
	shift
	log "$name"
	# Flush what earlier steps left to write, so that no step pays for another's writeback.
	sync
	if ! /usr/bin/time -f '%e %M %U %S' -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err"; then
		tail -n 20 "$work/$name.err" >&2
		die "$name failed"
	fi
	read -r secs[$name] rss[$name] t u < <(tail -n 1 "$work/$name.time")
	cpu[$name]=$(awk -v a="$t" -v b="$u" 'BEGIN { printf "%.2f", a + b }')
}

# --- restic -----------------------------------------------------------------------------------

export RESTIC_PASSWORD=beifen-bench RESTIC_REPOSITORY=$work/restic-repo RESTIC_CACHE_DIR=$work/restic-cache

restic_restored() { echo "$work/restic-out$export_dir"; } # restic restores the absolute path

# --- beifen -----------------------------------------------------------------------------------

beifen=$work/beifen
beifen_data=$work/beifen-data
beifen_url=""
token=""

# start_server runs beifen serve in the background under /usr/bin/time, which reports the
# server's peak RSS when it exits, and waits until GET /healthz answers 200.
start_server() {
	local port
	port=$(free_port)
	[[ -n $port ]] || die "no free port"
	beifen_url=http://127.0.0.1:$port
	log "beifen serve on $beifen_url"
	/usr/bin/time -f '%e %M' -o "$work/beifen_server.time" \
		"$beifen" serve --data "$beifen_data" --addr "127.0.0.1:$port" >"$work/server.log" 2>&1 &
	server_pid=$!
	wait_healthy "$beifen_url" "$server_pid" 300 "$work/server.log"
}

# stop_server stops beifen serve (the child of the time process, by its pid) and records its
# peak RSS in rss[beifen_server].
stop_server() {
	[[ -n $server_pid ]] || return 0
	local child t
	child=$(pgrep -P "$server_pid" || true)
	if [[ -n $child ]]; then
		kill -TERM "$child" 2>/dev/null || true
		for _ in $(seq 100); do
			kill -0 "$child" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$child" 2>/dev/null || true
	fi
	wait "$server_pid" 2>/dev/null || true
	server_pid=""
	if [[ -s $work/beifen_server.time ]]; then
		t=$(tail -n 1 "$work/beifen_server.time")
		rss[beifen_server]=${t#* }
	fi
}

beifen_setup() {
	timed beifen_user "$beifen" user add --data "$beifen_data" --phone "$owner_phone"
	token=$(tail -n 1 "$work/beifen_user.out")
	[[ -n $token ]] || die "beifen user add printed no token"
	start_server
}

# server_cpu prints the CPU seconds (user + system) beifen serve has used so far.
server_cpu() {
	local child
	child=$(pgrep -P "$server_pid" || true)
	[[ -n $child ]] || die "beifen serve is not running"
	awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$child/stat"
}

# server_timed NAME CMD...: timed, and srv[NAME] is the server's CPU seconds while CMD ran (work
# the server does in the background after answering, such as indexing conversations, is not in it).
server_timed() {
	local before after
	before=$(server_cpu)
	timed "$@"
	after=$(server_cpu)
	srv[$1]=$(awk -v a="$before" -v b="$after" 'BEGIN { printf "%.2f", b - a }')
}

beifen_backup() { # beifen_backup NAME
	server_timed "$1" "$beifen" backup --server "$beifen_url" --token "$token" --json "$export_dir"
}

beifen_restore() {
	server_timed beifen_restore "$beifen" restore --server "$beifen_url" --token "$token" \
		--snapshot latest --out "$work/beifen-out"
}

# --- report -----------------------------------------------------------------------------------

# json_field FILE FIELD: a number field of the last JSON line of FILE, or "-".
json_field() {
	tail -n 1 "$1" 2>/dev/null | grep -o "\"$2\": *[0-9]*" | grep -o '[0-9]*$' || echo -
}

ratio() { awk -v b="$1" -v r="$2" 'BEGIN { if (b == "-" || r <= 0) print "-"; else printf "%.2f", b / r }'; }

mb() { awk -v k="$1" -v div="$2" 'BEGIN { if (k == "-" || k == "") print "-"; else printf "%.1f", k / div }'; }

max_rss() { # max_rss NAME...: the largest rss of the named steps, in KB
	local m=0 n
	for n in "$@"; do
		[[ ${rss[$n]:-0} -gt $m ]] && m=${rss[$n]}
	done
	((m > 0)) && echo "$m" || echo -
}

row() { # row LABEL RESTIC_STEP BEIFEN_STEP
	local r=${secs[$2]:--} b=${secs[$3]:--}
	echo "| $1 | $r | $b | $(ratio "$b" "$r") |"
}

cpu_row() { # cpu_row LABEL RESTIC_STEP BEIFEN_STEP
	local r=${cpu[$2]:--} c=${cpu[$3]:--} s=${srv[$3]:--} b
	b=$(awk -v c="$c" -v s="$s" 'BEGIN { if (c == "-" || s == "-") print "-"; else printf "%.2f", c + s }')
	echo "| $1 | $r | $c | $s | $b | $(ratio "$b" "$r") |"
}

report() {
	local files bytes
	files=$(find "$export_dir" -type f | wc -l)
	bytes=$(du -sb "$export_dir" | cut -f1)
	echo
	echo "## beifen vs restic: scale $scale, seed $seed, $files files, $(mb "$bytes" 1000000) MB"
	echo
	echo "Generated in ${secs[generate]} s. Ratio is beifen / restic."
	echo
	echo "| step | restic s | beifen s | ratio |"
	echo "|---|---:|---:|---:|"
	row "setup (restic init / beifen user add)" restic_init beifen_user
	row "first backup" restic_backup1 beifen_backup1
	row "second backup (one day later)" restic_backup2 beifen_backup2
	row "restore latest" restic_restore beifen_restore
	echo
	echo "CPU seconds (user + system) of each step; beifen's are its client's and its server's while the"
	echo "client ran. The machine has $(nproc) cores."
	echo
	echo "| step | restic | beifen client | beifen server | beifen total | ratio |"
	echo "|---|---:|---:|---:|---:|---:|"
	cpu_row "first backup" restic_backup1 beifen_backup1
	cpu_row "second backup" restic_backup2 beifen_backup2
	cpu_row "restore latest" restic_restore beifen_restore
	echo
	echo "| | restic | beifen |"
	echo "|---|---:|---:|"
	echo "| new data, first backup (MB) | $(mb "$(json_field "$work/restic_backup1.out" data_added)" 1000000) |" \
		"$(mb "$(json_field "$work/beifen_backup1.out" new_bytes)" 1000000) |"
	echo "| new data, second backup (MB) | $(mb "$(json_field "$work/restic_backup2.out" data_added)" 1000000) |" \
		"$(mb "$(json_field "$work/beifen_backup2.out" new_bytes)" 1000000) |"
	echo "| repository on disk (MB) | $(mb "$(du -sk "$RESTIC_REPOSITORY" | cut -f1)" 1000) |" \
		"$(mb "$(du -sk "$beifen_data" 2>/dev/null | cut -f1 || echo -)" 1000) |"
	echo "| peak RSS, client (MB) | $(mb "$(max_rss restic_init restic_backup1 restic_backup2 restic_restore)" 1024) |" \
		"$(mb "$(max_rss beifen_backup1 beifen_backup2 beifen_restore)" 1024) |"
	echo "| peak RSS, server (MB) | - | $(mb "${rss[beifen_server]:--}" 1024) |"
}

# verify compares each restore with the export: restic restores everything, beifen restores the
# files it does not parse (vCards and SB&R XML become records) under OUT/files.
verify() {
	local ok=0
	echo
	if diff -r "$export_dir" "$(restic_restored)" >"$work/restic.diff" 2>&1; then
		echo "- restic restore: OK"
	else
		echo "- restic restore: FAILED ($(wc -l <"$work/restic.diff") lines of diff -r)"
		head -n 10 "$work/restic.diff" | sed 's/^/    /'
		ok=1
	fi
	((with_beifen)) || return $ok
	if diff -r -x '*.vcf' -x 'sms-*.xml' -x 'calls-*.xml' "$export_dir" "$work/beifen-out/files" >"$work/beifen.diff" 2>&1; then
		echo "- beifen restore (files): OK"
	else
		echo "- beifen restore (files): FAILED ($(wc -l <"$work/beifen.diff") lines of diff -r)"
		head -n 10 "$work/beifen.diff" | sed 's/^/    /'
		ok=1
	fi
	return $ok
}

# --- main -------------------------------------------------------------------------------------

main() {
	install_tools
	cd "$root"
	log "building in $work"
	go build -o "$work/genexport" ./bench/genexport
	if ((with_beifen)) && [[ -n ${BEIFEN_BIN:-} ]]; then
		cp "$BEIFEN_BIN" "$beifen"
	elif ((with_beifen)); then
		go build -o "$beifen" ./cmd/beifen || die "cannot build beifen (BEIFEN=0 runs restic only)"
	fi

	timed generate "$work/genexport" -out "$export_dir" -scale "$scale" -seed "$seed"

	timed restic_init restic init
	timed restic_backup1 restic backup --json "$export_dir"
	if ((with_beifen)); then
		beifen_setup
		beifen_backup beifen_backup1
	fi

	timed mutate "$work/genexport" -mutate "$export_dir" -seed "$seed"

	timed restic_backup2 restic backup --json "$export_dir"
	if ((with_beifen)); then
		beifen_backup beifen_backup2
	fi

	timed restic_restore restic restore latest --target "$work/restic-out"
	if ((with_beifen)); then
		beifen_restore
		stop_server
	fi

	report
	verify
}

main
