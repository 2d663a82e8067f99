#!/usr/bin/env bash
# run.sh - the web pages in a real browser: Debian's chromium, driven by
# playwright-core from browser.test.mjs, against `draagvlak serve` on a
# fresh store of the Dorst sample.
#
# usage: run.sh DRAAGVLAK SAMPLES_DIR [SHOTS_DIR]
#
# SHOTS_DIR (default ./browser-shots) receives full-page screenshots of
# the main pages at 320 and 1280 px wide.  Needs node (>= 20), chromium
# and tests/browser/node_modules (`npm ci` there; scripts/dev.sh test does
# it).  Any failure, including a missing browser, fails the test.
set -u
here=$(cd "$(dirname "$0")" && pwd)
shots=$(realpath -m "${3:-browser-shots}")
. "$here/../lib.sh" "$1" "$2"

chromium=${CHROMIUM:-/usr/bin/chromium}
need() {
	echo "FAIL: $1; run scripts/dev.sh test, which installs it" >&2
	exit 1
}
command -v node >/dev/null || need "node is not installed (package nodejs)"
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] ||
	need "node $(node --version) is too old; playwright-core needs 20 or later"
[ -x "$chromium" ] || need "$chromium is missing (Debian package chromium)"
[ -f "$here/node_modules/playwright-core/package.json" ] &&
	[ -f "$here/node_modules/axe-core/axe.min.js" ] ||
	need "tests/browser/node_modules is missing (npm ci in tests/browser)"

server=0
fresh=0
stop_server() {
	[ "$server" -gt 0 ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
	server=0
}
stop_fresh() {
	[ "$fresh" -gt 0 ] && kill "$fresh" 2>/dev/null && wait "$fresh" 2>/dev/null
	fresh=0
}
hosted=0
stop_hosted() {
	[ "$hosted" -gt 0 ] && kill "$hosted" 2>/dev/null && wait "$hosted" 2>/dev/null
	hosted=0
}
trap 'stop_server; stop_fresh; stop_hosted; rm -rf "$work"' EXIT

# --- a store as a board makes it -----------------------------------------
# The sample as it is, but with its first question required, so that the
# form's "required" message can be seen.
db=$work/dorst.db
pw=vrijwilliger-wachtwoord-2027
bpw=bestuur-wachtwoord-2027
awk '{ print } /^  - id: speelveld$/ { print "    required: true" }' \
	"$S1/survey.yaml" >"$work/survey.yaml"
grep -q "required: true" "$work/survey.yaml" || need "the fixture could not mark a question required"
setup() {
	"$dv" init --db "$db" "$work/survey.yaml" &&
		"$dv" households import --db "$db" "$S1/addresses.csv" &&
		"$dv" households add --db "$db" --buurt BU08260100 --count 5 &&
		"$dv" households list --db "$db" --format csv >"$work/households.csv" &&
		"$dv" render --db "$db" --buurt BU08260102 -o "$work/forms" &&
		printf '%s\n' "$pw" | "$dv" user add --db "$db" vrijwilliger --role volunteer &&
		printf '%s\n' "$bpw" | "$dv" user add --db "$db" bestuur --role board
}
run setup
expect_rc "a store of the Dorst sample with accounts" 0
[ "$rc" -eq 0 ] || exit 1

# --- the server on a free loopback port ---------------------------------
"$dv" serve --db "$db" --address 127.0.0.1 --port 0 --port-file "$work/port" \
	--today 2027-04-20 2>"$work/serve.log" &
server=$!
port=
for _ in $(seq 300); do
	port=$(cat "$work/port" 2>/dev/null)
	[ -n "$port" ] && break
	kill -0 "$server" 2>/dev/null || break
	sleep 0.05
done
if [ -z "$port" ]; then
	fail "draagvlak serve starts" "$(cat "$work/serve.log")"
	exit 1
fi
ok "draagvlak serve listens on 127.0.0.1:$port"

# A second server on a copy no one has answered in yet, for the editor's
# agreement while it can still change.
"$dv" init --db "$work/fresh.db" "$work/survey.yaml" >/dev/null &&
	printf '%s\n' "$bpw" | "$dv" user add --db "$work/fresh.db" bestuur --role board >/dev/null ||
	{ fail "a second, unanswered store for the editor"; exit 1; }
"$dv" serve --db "$work/fresh.db" --address 127.0.0.1 --port 0 --port-file "$work/fresh.port" \
	--today 2027-04-20 2>"$work/fresh.log" &
fresh=$!
fresh_port=
for _ in $(seq 300); do
	fresh_port=$(cat "$work/fresh.port" 2>/dev/null)
	[ -n "$fresh_port" ] && break
	kill -0 "$fresh" 2>/dev/null || break
	sleep 0.05
done
if [ -z "$fresh_port" ]; then
	fail "draagvlak serve starts on the unanswered store" "$(cat "$work/fresh.log")"
	exit 1
fi

# A host's folder with one platform's survey, for one server of many.
host=$work/host
hostpw=beheerder-wachtwoord-2027
"$dv" host init --data "$host" >/dev/null &&
	"$dv" host org add --data "$host" dorst "Dorpsplatform Dorst" >/dev/null &&
	"$dv" host survey add --data "$host" --org dorst --from "$work/fresh.db" >/dev/null &&
	printf '%s\n' "$hostpw" | "$dv" user add --db "$host/host.db" beheerder --role board >/dev/null ||
	{ fail "a host's folder"; exit 1; }
"$dv" serve --data "$host" --address 127.0.0.1 --port 0 --port-file "$work/host.port" \
	--today 2027-04-20 2>"$work/host.log" &
hosted=$!
host_port=
for _ in $(seq 300); do
	host_port=$(cat "$work/host.port" 2>/dev/null)
	[ -n "$host_port" ] && break
	kill -0 "$hosted" 2>/dev/null || break
	sleep 0.05
done
if [ -z "$host_port" ]; then
	fail "draagvlak serve --data starts" "$(cat "$work/host.log")"
	exit 1
fi

# --- the browser ----------------------------------------------------------
mkdir -p "$shots"
rm -f "$shots"/*.png
DRAAGVLAK_URL=http://127.0.0.1:$port \
	DRAAGVLAK_DB=$db \
	DRAAGVLAK_HOUSEHOLDS=$work/households.csv \
	DRAAGVLAK_LAYOUT=$work/forms/formulieren-BU08260102.layout.json \
	DRAAGVLAK_VOLUNTEER=vrijwilliger:$pw \
	DRAAGVLAK_BOARD=bestuur:$bpw \
	DRAAGVLAK_SHOTS=$shots \
	CHROMIUM=$chromium \
	node --test-reporter=spec "$here/browser.test.mjs"
node_rc=$?
[ "$node_rc" -eq 0 ] && ok "the pages in chromium (browser.test.mjs)" ||
	fail "the pages in chromium (browser.test.mjs): exit $node_rc"
# The board's workspace, after the residents' answers above.
DRAAGVLAK_URL=http://127.0.0.1:$port \
	DRAAGVLAK_DB=$db \
	DRAAGVLAK_BOARD=bestuur:$bpw \
	DRAAGVLAK_SHOTS=$shots \
	CHROMIUM=$chromium \
	node --test-reporter=spec "$here/workspace.test.mjs"
ws_rc=$?
[ "$ws_rc" -eq 0 ] && ok "the board's workspace in chromium (workspace.test.mjs)" ||
	fail "the board's workspace in chromium (workspace.test.mjs): exit $ws_rc"
[ "$ws_rc" -eq 0 ] || node_rc=$ws_rc
echo "screenshots: $shots"

# The board's survey editor, on the store the residents answered in, and
# on the one no one has answered in yet.
DRAAGVLAK_URL=http://127.0.0.1:$port DRAAGVLAK_BOARD=bestuur:$bpw \
	DRAAGVLAK_FRESH_URL=http://127.0.0.1:$fresh_port \
	DRAAGVLAK_SHOTS=$shots CHROMIUM=$chromium \
	node --test-reporter=spec "$here/editor.test.mjs"
ed_rc=$?
[ "$ed_rc" -eq 0 ] && ok "the survey editor in chromium (editor.test.mjs)" ||
	fail "the survey editor in chromium (editor.test.mjs): exit $ed_rc"
[ "$ed_rc" -eq 0 ] || node_rc=$ed_rc

# One server for many platforms.
DRAAGVLAK_HOST_URL=http://127.0.0.1:$host_port DRAAGVLAK_ADMIN=beheerder:$hostpw \
	DRAAGVLAK_OTHER_TITLE="Een nieuw speelveld aan de Schoolstraat" \
	DRAAGVLAK_SHOTS=$shots CHROMIUM=$chromium \
	node --test-reporter=spec "$here/host.test.mjs"
host_rc=$?
[ "$host_rc" -eq 0 ] && ok "one server for many platforms in chromium (host.test.mjs)" ||
	fail "one server for many platforms in chromium (host.test.mjs): exit $host_rc" "$(cat "$work/host.log")"
[ "$host_rc" -eq 0 ] || node_rc=$host_rc

# The board's whole path on the same host, with no shell: a new
# organisation, its survey made in the editor, addresses, forms read back
# by a second decoder, a volunteer and a resident, the results.
command -v zbarimg >/dev/null || need "zbarimg is missing (Debian package zbar-tools)"
DRAAGVLAK_HOST_URL=http://127.0.0.1:$host_port DRAAGVLAK_ADMIN=beheerder:$hostpw \
	DRAAGVLAK_HOST_DIR=$host DRAAGVLAK_WORK=$work/boardpath \
	DRAAGVLAK_SHOTS=$shots CHROMIUM=$chromium \
	node --test-reporter=spec "$here/boardpath.test.mjs"
bp_rc=$?
[ "$bp_rc" -eq 0 ] && ok "the board's whole path in chromium (boardpath.test.mjs)" ||
	fail "the board's whole path in chromium (boardpath.test.mjs): exit $bp_rc" "$(cat "$work/host.log")"
[ "$bp_rc" -eq 0 ] || node_rc=$bp_rc

# Scans sent from /scan, last: the forms it reads count.  One page of the
# printed forms (a vector PDF, drawn at 200 dpi as a scan would be).
pdfseparate -f 1 -l 1 "$work/forms/formulieren-BU08260102.pdf" "$work/scan-%d.pdf" ||
	{ fail "one page of the printed forms for the upload"; node_rc=1; }
DRAAGVLAK_URL=http://127.0.0.1:$port DRAAGVLAK_VOLUNTEER=vrijwilliger:$pw \
	DRAAGVLAK_SCAN_PDF=$work/scan-1.pdf \
	DRAAGVLAK_SHOTS=$shots CHROMIUM=$chromium \
	node --test-reporter=spec "$here/scanupload.test.mjs"
up_rc=$?
[ "$up_rc" -eq 0 ] && ok "scans sent from /scan in chromium (scanupload.test.mjs)" ||
	fail "scans sent from /scan in chromium (scanupload.test.mjs): exit $up_rc"
[ "$up_rc" -eq 0 ] || node_rc=$up_rc

# --- a clean stop ---------------------------------------------------------
stop_hosted
stop_fresh
kill -TERM "$server"
wait "$server"
rc=$?
server=0
expect_rc "draagvlak serve stops cleanly on SIGTERM" 0
if [ "$rc" -ne 0 ] || [ "$node_rc" -ne 0 ]; then
	echo "--- draagvlak serve's messages:"
	cat "$work/serve.log"
fi

test_summary
