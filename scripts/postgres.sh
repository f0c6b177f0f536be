# Sourced by scripts/test.sh and bench/dispatch.sh: start_postgres DIR starts a throwaway
# PostgreSQL on a Unix socket in DIR and sets PG_DSN and stop_pg; it returns 1 when PostgreSQL
# is not installed.
pg_bin() {
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return; }; done
  command -v initdb >/dev/null && dirname "$(command -v initdb)"
}

start_postgres() {
  local dir=$1 bin; bin="$(pg_bin)" || true
  [ -n "$bin" ] || return 1
  local as=()
  if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; as=(runuser -u postgres --); fi
  "${as[@]}" "$bin/initdb" -D "$dir/pg" -U postgres --auth=trust >/dev/null
  "${as[@]}" "$bin/pg_ctl" -D "$dir/pg" -o "-k $dir -c listen_addresses='' -c fsync=off -c max_connections=200" \
    -l "$dir/pg.log" -w start >/dev/null
  PG_DSN="postgres:///postgres?host=$dir&user=postgres&sslmode=disable"
  stop_pg=("${as[@]}" "$bin/pg_ctl" -D "$dir/pg" -m immediate stop)
}
