#!/bin/bash
# store_failure.sh - what volunteers and the board see when the store
# cannot be read: an error page with status 500 that says nothing of why,
# and a line for the operator in the server's log; never an empty queue
# ("nothing waits") with 200 OK, and never SQLite's own words on a page.
#
#   store_failure.sh DRAAGVLAK SAMPLES
#
# The store is made unreadable under the running server by renaming the
# tables the pages read (the sqlite3 shell, as a broken disk or a bad
# restore would leave it); root can read any file, so chmod would not do.
. "$(dirname "$0")/../lib.sh" "$1" "$2"
db=$work/s.db
pw=vrijwilliger-sleutel-9

"$dv" init -d "$db" "$S1/survey.yaml" >/dev/null
"$dv" households import -d "$db" "$S1/addresses.csv" >/dev/null
printf '%s\n' "$pw" | "$dv" user add -d "$db" anna --role volunteer >/dev/null
printf '%s\n' "$pw" | "$dv" user add -d "$db" carol --role board >/dev/null
code=$("$dv" households list -d "$db" --format csv | sed -n 2p | cut -d, -f2)

"$dv" serve -d "$db" --port 0 --port-file port --today 2027-04-20 \
	2>serve.log &
pid=$!
for _ in $(seq 100); do [ -s port ] && break; sleep 0.05; done
url=http://127.0.0.1:$(cat port)
c() { curl -s -b "$1" -c "$1" "${@:2}"; }
c anna -o /dev/null -d "name=anna&password=$pw" "$url/login"
c carol -o /dev/null -d "name=carol&password=$pw" "$url/login"
status=$(c anna -o page -w '%{http_code}' "$url/scan")
[ "$status" = 200 ] && ok "the queue reads while the store is whole" ||
	fail "queue before: HTTP $status"

sqlite3 "$db" "ALTER TABLE scan_form RENAME TO scan_form_gone;
	ALTER TABLE paper_entry RENAME TO paper_entry_gone;"

# check NAME COOKIE PATH: a 500 page, no "nothing waits", no SQLite words.
check() {
	local status
	status=$(c "$2" -o page -w '%{http_code}' "$url$3")
	if [ "$status" = 500 ] && grep -q "Er ging iets mis" page &&
		! grep -qi "Er wacht niets\|no such table\|sqlite\|s\.db" page; then
		ok "$1"
	else
		fail "$1: HTTP $status" "$(head -c 600 page)"
	fi
}
check "the review queue says the store failed" anna /scan
check "the paper entry page says the store failed" anna "/invoer/$code"
check "the board's differences say the store failed" carol /bestuur/verschillen

kill -TERM $pid
wait $pid
log=$(cat serve.log)
expect_in "the operator's log says why" "$log" "no such table"
grep -q "$code" serve.log && fail "the log holds a household's code" ||
	ok "the log holds no household's code"
test_summary
