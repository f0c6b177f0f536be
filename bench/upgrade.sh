#!/usr/bin/env bash
# Rehearse an upgrade on a generated phone export: an older beifen backs it up twice, this one
# opens the same data folder (applying the migrations between them), and both snapshots must
# restore byte for byte as the older one restored them.
#
# usage: bench/upgrade.sh REF [SCALE]
#
#   REF     the older beifen: a git commit, tag or branch of this repository
#   SCALE   size of the export, passed to genexport -scale (default 1, about 1 GB)
#
# Steps: build both; generate an export and a copy with one day of use (genexport -mutate);
# with REF: serve, back up both, restore both; with this tree: serve on the same folder (timed
# from start to healthy: the migrations), restore both and compare, back up the second export
# again (new_blobs must be 0), diff the last two snapshots (nothing may change), and run
# beifen check.
#
# Environment:
#   DB=URL   use this empty PostgreSQL database (postgres://...) instead of the embedded SQLite
#
# Prints what it measured on stdout, progress on stderr. Needs go, git and curl.
#
# EXIT STATUS: 0 if every step ran and every check held, 1 otherwise.
set -euo pipefail

ref=${1:?usage: bench/upgrade.sh REF [SCALE]}
scale=${2:-1}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/beifen-upgrade.XXXXXX")
server_pid=""
db=()
[[ -z ${DB:-} ]] || db=(--db "$DB")
export XDG_CACHE_HOME=$work/cache # no hash cache from earlier runs

log() { echo "upgrade: $*" >&2; }

die() {
	log "$*"
	exit 1
}

# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"

stop_server() {
	[[ -n $server_pid ]] || return 0
	kill "$server_pid" 2>/dev/null || true
	wait "$server_pid" 2>/dev/null || true
	server_pid=""
}

cleanup() {
	stop_server
	git -C "$root" worktree remove --force "$work/old-tree" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

# serve BIN NAME: runs BIN serve on the data folder and waits until it answers /healthz.
serve() {
	local port
	port=$(free_port)
	url=http://127.0.0.1:$port
	"$1" serve --data "$work/data" "${db[@]}" --addr "127.0.0.1:$port" >"$work/$2.log" 2>&1 &
	server_pid=$!
	wait_healthy "$url" "$server_pid" 1200 "$work/$2.log"
}

cd "$root"
log "building $ref and this tree"
git worktree add -q --detach "$work/old-tree" "$ref"
(cd "$work/old-tree" && go build -o "$work/beifen-old" ./cmd/beifen)
go build -o "$work/beifen" ./cmd/beifen
go build -o "$work/genexport" ./bench/genexport

log "generating the export (scale $scale) and a day later"
"$work/genexport" -out "$work/export1" -scale "$scale" >/dev/null
cp -r "$work/export1" "$work/export2"
"$work/genexport" -mutate "$work/export2" >/dev/null

old=$work/beifen-old new=$work/beifen
serve "$old" old
token=$("$old" user add --data "$work/data" "${db[@]}" --phone 13800138000 | tail -n 1)
for i in 1 2; do
	log "backup $i with $ref"
	"$old" backup --server "$url" --token "$token" --json "$work/export$i" | tail -n 1 >"$work/backup$i.json"
	"$old" restore --server "$url" --token "$token" --snapshot "$i" --out "$work/old$i" >/dev/null 2>&1
done
stop_server
old_migrations=$(ls "$work/old-tree/sqlite/migration" | tail -n 1)
dialect=SQLite
[[ -z ${DB:-} ]] || dialect=PostgreSQL

log "opening the same folder with this tree"
start=$(date +%s.%N)
serve "$new" new
ready=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
echo "Upgrade from $ref (last migration ${old_migrations%.sql}) on $dialect, an export of scale $scale:"
echo "- snapshots made by $ref: $(cat "$work/backup1.json"), $(cat "$work/backup2.json")"
echo "- this tree's server healthy ${ready} s after it started, migrations included"
for i in 1 2; do
	"$new" restore --server "$url" --token "$token" --snapshot "$i" --out "$work/new$i" >/dev/null 2>&1
	diff -r "$work/old$i" "$work/new$i" >/dev/null || die "snapshot $i restores differently after the upgrade"
	echo "- snapshot $i restores byte for byte as before the upgrade"
done
again=$("$new" backup --server "$url" --token "$token" --json "$work/export2" | tail -n 1)
[[ $again == *'"new_blobs":0,'* ]] || die "the unchanged export stored new blobs after the upgrade: $again"
echo "- the second export backed up again: $again"
changes=$("$new" diff --server "$url" --token "$token" --json 2 3)
[[ $changes != *'"added":'[1-9]* && $changes != *'"removed":'[1-9]* && $changes != *'"changed":'[1-9]* ]] ||
	die "snapshots 2 and 3 differ: $changes"
echo "- diff of snapshots 2 and 3: nothing changed"
stop_server
echo "- beifen check: $("$new" check --data "$work/data" "${db[@]}" | tail -n 1)"
