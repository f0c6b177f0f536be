# Shell functions the bench scripts share. Source it after defining die.

# free_port prints a TCP port on 127.0.0.1 that nothing listens on.
free_port() {
	local port
	for _ in $(seq 50); do
		port=$((20000 + RANDOM % 40000))
		(echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null || {
			echo "$port"
			return
		}
	done
	die "no free port"
}

# wait_healthy URL PID TRIES LOG: waits, TRIES tenths of a second at most, until GET URL/healthz
# answers 200 while PID lives; otherwise prints the end of LOG and dies.
wait_healthy() {
	local url=$1 pid=$2 tries=$3 logfile=$4
	for _ in $(seq "$tries"); do
		curl -fsS -o /dev/null "$url/healthz" 2>/dev/null && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	tail -n 20 "$logfile" >&2
	die "beifen serve at $url did not become healthy"
}
