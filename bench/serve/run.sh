#!/bin/bash
# bench/serve/run.sh - how many durable submissions per second `draagvlak
# serve` takes, against the HTTP ceiling of the same server in the same run.
#
#   bench/serve/run.sh [DRAAGVLAK_BINARY]      (run by hand; not a ctest)
#
# Makes a store of the Dorst survey with 50,000 households, starts the
# server on loopback, and drives it with wrk (64 connections): first
# GET /static/style.css (the ceiling), then POSTs of real forms, each for
# a household of its own.  Prints both rates, their ratio and the p99
# latency of submissions, and then checks the store: every 2xx or 3xx
# wrk saw (a 303 when stored) must be a stored response, and no household
# counts twice.
# Targets: submissions >= 25% of the static rate, p99 < 20 ms.
# bench/serve/bare.sh measures the same for bare.c, the least a server
# can do with libmicrohttpd and SQLite: the ceiling on this machine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-$root/build/cmd/draagvlak}
secs=${BENCH_SECONDS:-2}  # POSTs stop sooner once every code is used
conns=${BENCH_CONNECTIONS:-64}
wrk_threads=${BENCH_WRK_THREADS:-2}
work=$(mktemp -d /tmp/draagvlak-bench-XXXXXX)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; tail -1 "$work/serve.log"; rm -rf "$work"' EXIT

echo "store: 50,000 households in $work"
"$bin" init -d "$work/b.db" "$root/samples/dorst-speelveld/survey.yaml" >/dev/null
for b in BU08260100 BU08260101 BU08260102; do
	"$bin" households add -d "$work/b.db" --buurt $b --count 16667 >/dev/null
done

start() {
	"$bin" serve -d "$work/b.db" -p 0 --port-file "$work/port" \
		--today 2027-04-20 --per-ip-connections 1024 \
		--threads "${BENCH_SERVER_THREADS:-4}" 2>"$work/serve.log" &
	pid=$!
	for _ in $(seq 200); do [ -s "$work/port" ] && break; sleep 0.05; done
	port=$(cat "$work/port")
}
start
gcc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-I"$root/common" -I"$root/survey" -I"$root/server" \
	"$here/tokens.c" "$root/server/session.c" "$root"/common/*.c \
	"$root"/survey/*.c -o "$work/tokens" \
	-lfyaml -lcsv -lsqlite3 -lsodium -lpthread
"$work/tokens" "$work/b.db" > "$work/data.lua"

url=http://127.0.0.1:$port
echo "static page: wrk -c$conns -t$wrk_threads -d${secs}s $url/static/style.css"
static=$(wrk -c"$conns" -t"$wrk_threads" -d"${secs}s" "$url/static/style.css" |
	awk '/Requests\/sec/ {print $2}')

echo "submissions: wrk -c$conns -t$wrk_threads -d${secs}s POST /f/CODE"
out=$(BENCH_DATA="$work/data.lua" BENCH_THREADS=$wrk_threads \
	wrk -c"$conns" -t"$wrk_threads" -d"${secs}s" --latency \
	-s "$here/post.lua" "$url")
# Over the time until every household had answered once (see post.lua).
posts=$(awk '/^RATE/ {print $2}' <<<"$out")
acked=$(awk '/^ACKED/ {print $2}' <<<"$out")
other=$(awk '/^OTHER/ {print $2}' <<<"$out")
p99=$(awk '/^P99_MS/ {print $2}' <<<"$out")

kill -TERM $pid; wait $pid
stored=$(sqlite3 "$work/b.db" "SELECT count(*) FROM response")
households=$(sqlite3 "$work/b.db" "SELECT count(DISTINCT household_id) FROM response WHERE superseded_by IS NULL")
printf '\nstatic page        %10.0f requests/s\n' "$static"
printf 'durable submissions %9.0f /s  (p99 %s ms; %s acknowledged, %s other)\n' \
	"$posts" "$p99" "$acked" "$other"
ratio=$(awk -v a="$posts" -v b="$static" 'BEGIN {printf "%.1f", 100 * a / b}')
echo "ratio              ${ratio}% of the static rate (target >= 25%)"
echo "store              $stored responses, $households households counting"
status=0
if [ "$stored" -lt "$acked" ]; then
	echo "FAIL: $acked acknowledged but only $stored stored"; status=1
fi
if [ "$households" -ne "$stored" ]; then
	echo "note: some households answered twice (the run outlasted the codes)"
fi
awk -v r="$ratio" 'BEGIN {exit !(r >= 25)}' || echo "below target: ratio"
awk -v p="$p99" 'BEGIN {exit !(p < 20)}' || echo "below target: p99"
exit $status
