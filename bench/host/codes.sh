#!/bin/bash
# bench/host/codes.sh - what checking that household codes are unique on
# a host (server/hostcodes.h) costs the start of `draagvlak serve --data`
# with 100 surveys of 25,000 households each: 2.5 million codes.
#
#   bench/host/codes.sh [DRAAGVLAK_BINARY [OTHER_BINARY]]   (by hand)
#
# One survey store with 25,000 addresses is made with the command; the
# other 99 are copies made with sqlite3 (host survey add --from would
# refuse them), whose codes are made different by their first two
# symbols (the first store's all start ZZ), and registered in host.db by
# hand.  Each binary then starts on
# the folder BENCH_ROUNDS (3) times; printed: how long until it listens,
# the server's own line of how long the codes took, and its memory.
# With OTHER_BINARY (say, one built before the check), the same for it.
# BENCH_KEEP=1 keeps the folder (to run perf on the server yourself).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-$root/build/cmd/draagvlak}
other=${2:-}
rounds=${BENCH_ROUNDS:-3}
work=$(mktemp -d /tmp/draagvlak-bench-codes-XXXXXX)
pid=
trap '[ -n "$pid" ] && { kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; }
      if [ -n "${BENCH_KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi' EXIT
H=$work/host
[ -x "$bin" ] || { echo "no $bin: build the project first" >&2; exit 1; }

t0=$(date +%s.%N)
"$bin" host init --data "$H" >/dev/null
"$bin" host org add --data "$H" org "Platform" >/dev/null
. "$here/fixture.sh"
dorst_25000 "$root" "$work"
"$bin" host survey add --data "$H" --org org --slug s-00 \
	"$work/dorst.yaml" >/dev/null
"$bin" households import -d "$H/s-00.db" "$work/addresses.csv" >/dev/null
# Its codes start with ZZ, copy k's with the k-th pair of symbols.
sqlite3 "$H/s-00.db" "UPDATE token SET code = 'ZZ' || substr(code, 3);
	PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
sym=0123456789ABCDEFGHJKMNPQRSTVWXYZ
for k in $(seq 1 99); do
	n=$(printf s-%02d "$k")
	cp "$H/s-00.db" "$H/$n.db"
	p=${sym:$((k / 32)):1}${sym:$((k % 32)):1}
	sqlite3 "$H/$n.db" "UPDATE token SET code = '$p' || substr(code, 3);
		UPDATE meta SET value = '$n' WHERE key = 'survey_id'"
	sqlite3 "$H/host.db" "INSERT INTO host_survey(slug, organisation, file)
		VALUES ('$n', 'org', '$n.db')"
done
codes=0
for f in "$H"/s-*.db; do
	codes=$((codes + $(sqlite3 "$f" "SELECT count(*) FROM token")))
done
printf 'made in %.1f s: %d surveys, %d codes\n' \
	"$(echo "$(date +%s.%N) - $t0" | bc)" \
	"$(ls "$H"/s-*.db | wc -l)" "$codes"

measure() {
	local b=$1
	for r in $(seq "$rounds"); do
		rm -f "$work/port" "$work/serve.log"
		local t=$(date +%s.%N)
		"$b" serve --data "$H" -p 0 --port-file "$work/port" \
			2>"$work/serve.log" &
		pid=$!
		for _ in $(seq 6000); do [ -s "$work/port" ] && break; sleep 0.01; done
		local ms=$(echo "($(date +%s.%N) - $t) * 1000" | bc)
		local rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
		kill $pid; wait $pid 2>/dev/null || true
		pid=
		printf '%s round %d: listening after %.0f ms, VmRSS %d MB; %s\n' \
			"$(basename "$(dirname "$(dirname "$b")")")" "$r" "$ms" \
			$((rss / 1024)) \
			"$(grep -o '[0-9]* household codes of .*' "$work/serve.log" || echo 'no code check')"
	done
}
measure "$bin"
[ -z "$other" ] || measure "$other"
