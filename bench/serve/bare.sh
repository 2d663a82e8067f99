#!/bin/bash
# bench/serve/bare.sh - the ceiling: what bare.c (libmicrohttpd, SQLite,
# group commit, nothing else) does on this machine, measured like run.sh:
# a static page, then durable POSTs of the same form, and their ratio.
#
#   bench/serve/bare.sh            (run by hand; not a ctest)
#
# BENCH_PAGE_BYTES sets the static page (default 4681, the size of
# /static/style.css); BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_WRK_THREADS
# and BENCH_SERVER_THREADS as for run.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
secs=${BENCH_SECONDS:-2}
conns=${BENCH_CONNECTIONS:-64}
wrk_threads=${BENCH_WRK_THREADS:-2}
work=$(mktemp -d /tmp/draagvlak-bare-XXXXXX)
pid=
trap '[ -n "$pid" ] && { kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; }; rm -rf "$work"' EXIT

gcc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-I"$root/common" "$here/bare.c" "$root/common/strbuf.c" \
	"$root/common/xalloc.c" -o "$work/bare" \
	$(pkg-config --cflags --libs libmicrohttpd sqlite3) -lpthread
"$work/bare" "$work/b.db" "$work/port" "${BENCH_SERVER_THREADS:-4}" \
	"${BENCH_PAGE_BYTES:-4681}" &
pid=$!
for _ in $(seq 200); do [ -s "$work/port" ] && break; sleep 0.05; done
url=http://127.0.0.1:$(cat "$work/port")
# post.lua wants codes and tokens; bare.c reads neither.
awk 'BEGIN {print "return {"; for (i = 0; i < 50000; i++)
	printf "{\"K%07d\",\"%064d\"},\n", i, i; print "}"}' >"$work/data.lua"

static=$(wrk -c"$conns" -t"$wrk_threads" -d"${secs}s" "$url/static" |
	awk '/Requests\/sec/ {print $2}')
out=$(BENCH_DATA="$work/data.lua" BENCH_THREADS=$wrk_threads \
	wrk -c"$conns" -t"$wrk_threads" -d"${secs}s" --latency \
	-s "$here/post.lua" "$url")
posts=$(awk '/^RATE/ {print $2}' <<<"$out")
p99=$(awk '/^P99_MS/ {print $2}' <<<"$out")
kill -TERM $pid; wait $pid; pid=
stored=$(sqlite3 "$work/b.db" "SELECT count(*) FROM post")
printf 'bare static page    %9.0f requests/s\n' "$static"
printf 'bare durable posts  %9.0f /s  (p99 %s ms; %s stored)\n' \
	"$posts" "$p99" "$stored"
awk -v a="$posts" -v b="$static" \
	'BEGIN {printf "bare ratio          %8.1f%% of the static rate\n", 100 * a / b}'
