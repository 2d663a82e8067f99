#!/bin/bash
# run.sh - the evening laptop end to end: two laptop copies of the Dorst
# sample, each serving an evening offline (check-in desk, paper entry;
# laptop B also reads scanned forms), while online answers keep arriving
# at home; then both merged home, twice.
#
#   run.sh DRAAGVLAK SAMPLES SCANGEN
#
# Checks: a copy holds what a laptop needs and nothing more; the desk
# finds households by address and by the letter's QR code and never
# shows a code; a laptop's answer counts at home only where the household
# has none, with its time and laptop in the audit; every conflict (online
# meanwhile, the other laptop) waits in the board's differences and
# nothing counting is overwritten; merging again changes not a byte; the
# board settles the conflicts either way.
. "$(dirname "$0")/../lib.sh" "$1" "$2"
scangen=$(realpath "$3")
db=$work/main.db
pw_a=avond-anna-wachtwoord
pw_b=avond-bea-wachtwoord
pw_board=avond-bestuur-wachtwoord
today=2027-04-20

"$dv" init -d "$db" "$S1/survey.yaml" >/dev/null
"$dv" households import -d "$db" "$S1/addresses.csv" >/dev/null
printf '%s\n' "$pw_a" | "$dv" user add -d "$db" anna --role volunteer >/dev/null
printf '%s\n' "$pw_b" | "$dv" user add -d "$db" bea --role volunteer >/dev/null
printf '%s\n' "$pw_board" | "$dv" user add -d "$db" bord --role board >/dev/null
code() { sqlite3 "$db" "SELECT code FROM token WHERE household_id = $1"; }
q() { sqlite3 "$1" "$2"; }

# ---- the copies --------------------------------------------------------------
run "$dv" evening copy -d "$db" --out A.db --name Buurthuis
expect_rc "a laptop copy is made" 0
expect_in "... and says what it holds" "$out" "449 households"
run "$dv" evening copy -d "$db" --out B.db --name Kerk
expect_rc "a second laptop copy is made" 0
run "$dv" evening copy -d "$db" --out A.db --name Nog
expect_rc "an existing file is never overwritten" 1
[ "$(q "$db" "SELECT count(*) FROM evening_laptop")" = 2 ] &&
	ok "the main store knows its two laptops" ||
	fail "laptops known: $(q "$db" "SELECT * FROM evening_laptop")"
[ ! -e A.db-wal ] || [ ! -s A.db-wal ] && ok "the copy is complete in one file" ||
	fail "the copy leaves a WAL behind"
[ "$(stat -c %a A.db)" = 600 ] && ok "the copy is its owner's only" ||
	fail "the copy's mode is $(stat -c %a A.db)"
held=$(q A.db "SELECT (SELECT count(*) FROM response),
	(SELECT count(*) FROM account WHERE role = 'board'),
	(SELECT count(*) FROM server_key), (SELECT count(*) FROM household),
	(SELECT count(*) FROM address WHERE postcode GLOB '[0-9][0-9][0-9][0-9]*'),
	(SELECT count(*) FROM account WHERE role = 'volunteer')")
[ "$held" = "0|0|0|449|0|2" ] &&
	ok "the copy: every household, the volunteers; no answers, board, keys or postcodes" ||
	fail "the copy holds responses|board|keys|households|postcodes|volunteers = $held"
strings A.db | grep -q "$(q "$db" "SELECT postcode FROM address LIMIT 1")" &&
	fail "a postcode is somewhere in the copy's file" ||
	ok "no postcode anywhere in the copy's file"
strings A.db | grep -q "bord" && fail "the board's account is in the file" ||
	ok "nothing of the board's account in the file"

# ---- a server, logged in ----------------------------------------------------
serve() { # DB NAME: starts the server, sets url_NAME and pid_NAME
	rm -f "port.$2"
	"$dv" serve -d "$1" --port 0 --port-file "port.$2" --today $today \
		2>"serve.$2.log" &
	eval "pid_$2=$!"
	for _ in $(seq 100); do [ -s "port.$2" ] && break; sleep 0.05; done
	eval "url_$2=http://127.0.0.1:$(cat "port.$2")"
}
login() { # URL JAR NAME PASSWORD
	curl -s -c "$2" -b "$2" -o /dev/null -d "name=$3&password=$4" "$1/login"
}
csrf_of() { grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//'; }
enter() { # URL JAR HOUSEHOLD FIELDS: a paper form on a laptop
	local c csrf
	c=$(code "$3")
	csrf=$(curl -s -b "$2" "$1/invoer/$c" | csrf_of)
	curl -s -b "$2" -o /dev/null -w '%{http_code}' \
		-d "csrf=$csrf&seen=0&$4" "$1/invoer/$c"
}
online() { # URL HOUSEHOLD FIELDS: a resident answers at home
	local c csrf
	c=$(code "$2")
	csrf=$(curl -s "$1/f/$c" | csrf_of)
	curl -s -o /dev/null -w '%{http_code}' \
		-d "csrf=$csrf&lang=nl&$3" "$1/f/$c"
}

serve "$db" main
serve A.db a
serve B.db b
login "$url_a" jar.a anna "$pw_a"
login "$url_b" jar.b bea "$pw_b"

# ---- laptop A: the desk -----------------------------------------------------
page=$(curl -s -b jar.a "$url_a/balie?straat=kerk&nummer=1")
expect_in "the desk finds a household by the start of its street and number" \
	"$page" 'href="/balie/1">Kerkstraat 1, Dorst</a>'
page=$(curl -s -b jar.a "$url_a/balie?straat=Nergensweg&nummer=1")
expect_in "... and says when none matches" "$page" "Geen adres gevonden"
csrf=$(curl -s -b jar.a "$url_a/balie" | csrf_of)
loc=$(curl -s -b jar.a -o /dev/null -w '%{redirect_url}' \
	--data-urlencode "csrf=$csrf" \
	--data-urlencode "code=HTTPS://DORST.EXAMPLE/F/$(code 2)/1/L1" \
	"$url_a/balie")
expect_in "a scanned QR code of a letter opens its household" "$loc" "/balie/2"
page=$(curl -s -b jar.a "$url_a/balie/2")
expect_in "... shown by its address" "$page" "<h1>Kerkstraat 2, Dorst</h1>"
if grep -qF "$(code 2)" <<<"$page"; then fail "the desk shows the code"; else
	ok "the desk never shows the code"; fi
status=$(curl -s -b jar.a -o /dev/null -w '%{http_code}' -d "csrf=$csrf" \
	--data-urlencode "namens=Piet Jansen" "$url_a/balie/2")
[ "$status" = 422 ] && ok "a proxy without written consent is refused" ||
	fail "a proxy without consent: HTTP $status"
curl -s -b jar.a -o /dev/null -d "csrf=$csrf&toestemming=1" \
	--data-urlencode "namens=Piet Jansen" "$url_a/balie/2"
curl -s -b jar.a -o /dev/null -d "csrf=$csrf" "$url_a/balie/1"
status=$(curl -s -b jar.a -o /dev/null -w '%{http_code}' -d "csrf=wrong" \
	"$url_a/balie/3")
[ "$status" = 403 ] && ok "the desk's POST needs the CSRF token" ||
	fail "a POST without the token: HTTP $status"
[ "$(q A.db "SELECT household_id, volunteer, coalesce(proxy, '-'),
	consent_shown FROM evening_checkin ORDER BY id" | paste -sd' ')" = \
	"2|anna|Piet Jansen|1 1|anna|-|0" ] &&
	ok "the desk noted both households, the proxy with its consent" ||
	fail "check-ins: $(q A.db "SELECT * FROM evening_checkin")"
status=$(curl -s -o /dev/null -w '%{http_code}' "$url_a/balie")
[ "$status" = 303 ] && ok "the desk is for volunteers only" ||
	fail "the desk without a session: HTTP $status"

# ---- the evening's answers --------------------------------------------------
[ "$(enter "$url_a" jar.a 1 "q_speelveld=voor&q_verlichting=voor")" = 303 ] &&
	[ "$(enter "$url_a" jar.a 2 "q_speelveld=tegen")" = 303 ] &&
	[ "$(enter "$url_a" jar.a 3 "q_speelveld=voor")" = 303 ] &&
	ok "laptop A: three paper forms entered" || fail "laptop A's entries"
[ "$(enter "$url_b" jar.b 3 "q_speelveld=tegen")" = 303 ] &&
	[ "$(enter "$url_b" jar.b 4 "q_speelveld=voor")" = 303 ] &&
	ok "laptop B: two paper forms entered" || fail "laptop B's entries"
run "$scangen" --db B.db --out set --forms 2 --dpi 300 --formats png --seed 5
expect_rc "forms for laptop B's scanner" 0
run "$dv" scan -d B.db set/scan-*
expect_rc "laptop B reads its scans" 0
scanned=$(q B.db "SELECT household_id FROM scan_form WHERE state = 'counted'
	ORDER BY household_id LIMIT 1")
[ -n "$scanned" ] && ok "laptop B counted a scanned form" ||
	fail "no scanned form counted on B: $(q B.db "SELECT * FROM scan_form")"

# Meanwhile at home, online: household 2 (also on paper at A), 5 (only
# online) and the one scanned at B.
[ "$(online "$url_main" 2 "q_speelveld=voor")" = 303 ] &&
	[ "$(online "$url_main" 5 "q_speelveld=tegen")" = 303 ] &&
	[ "$(online "$url_main" "$scanned" "q_speelveld=tegen")" = 303 ] &&
	ok "three online answers at home meanwhile" || fail "the online answers"
kill -TERM "$pid_a" "$pid_b"
wait "$pid_a" "$pid_b" 2>/dev/null

# ---- home ---------------------------------------------------------------------
counting() { # HOUSEHOLD: channel|entered_by of what counts at home
	q "$db" "SELECT channel, coalesce(entered_by, '') FROM response WHERE
		household_id = $1 AND superseded_by IS NULL"
}
run "$dv" evening merge -d "$db" A.db
expect_rc "laptop A merges" 0
expect_in "... two answers count" "$out" "answers that count now:          2"
expect_in "... one waits for the board" "$out" "answers for the board (conflict): 1"
expect_in "... the check-in notes came along" "$out" "check-in notes carried:          2"
run "$dv" evening merge -d "$db" B.db
expect_rc "laptop B merges" 0
expect_in "... the other laptop's form and the online one wait for the board" \
	"$out" "answers for the board (conflict): 2"
[ "$(counting 1)" = "paper|anna (Buurthuis)" ] &&
	ok "a laptop's answer counts, with who and which laptop" ||
	fail "household 1 counts: $(counting 1)"
[ "$(counting 2)" = "online|" ] && [ "$(counting "$scanned")" = "online|" ] &&
	ok "online answers given meanwhile are not overwritten" ||
	fail "households 2 and $scanned count: $(counting 2) / $(counting "$scanned")"
[ "$(counting 3)" = "paper|anna (Buurthuis)" ] &&
	ok "the first laptop's answer keeps counting" ||
	fail "household 3 counts: $(counting 3)"
[ "$(q "$db" "SELECT count(*) FROM paper_entry WHERE state = 'differs'")" = 3 ] &&
	ok "every conflict waits in the board's differences" ||
	fail "differences: $(q "$db" "SELECT * FROM paper_entry")"
a_time=$(q A.db "SELECT created_at FROM response WHERE household_id = 1")
[ "$(q "$db" "SELECT r.created_at = '$a_time' AND m.origin_at = '$a_time'
	AND m.laptop = l.id AND l.name = 'Buurthuis' FROM response r
	JOIN evening_merge m ON m.response_id = r.id
	JOIN evening_laptop l ON l.id = m.laptop WHERE r.household_id = 1")" = 1 ] &&
	ok "the audit keeps the laptop and the time of the answer" ||
	fail "audit: $(q "$db" "SELECT * FROM evening_merge")"
[ "$(q "$db" "SELECT count(*) FROM evening_checkin")" = 2 ] &&
	ok "the desk's notes are at home" || fail "check-ins at home"
run "$dv" analyse -d "$db" --date $today
expect_rc "the analysis runs on the merged store" 0

before=$(sqlite3 "$db" .dump | md5sum)
run "$dv" evening merge -d "$db" A.db B.db
expect_rc "merging both again" 0
[ "$(grep -c 'merged before, left as they are: [1-9]' <<<"$out")" = 2 ] &&
	[ "$(grep -cE '(count now|conflict\)|carried): +0$' <<<"$out")" = 8 ] &&
	ok "... finds everything merged before, and brings nothing" ||
	fail "the second merge said" "$out"
after=$(sqlite3 "$db" .dump | md5sum)
[ "$before" = "$after" ] && ok "merging twice changes nothing" ||
	fail "the second merge changed the store"

"$dv" init -d other.db "$S1/survey.yaml" >/dev/null
"$dv" households import -d other.db "$S1/addresses.csv" >/dev/null
"$dv" evening copy -d other.db --out C.db --name Elders >/dev/null
run "$dv" evening merge -d "$db" C.db
expect_rc "a laptop of another store is refused" 1
expect_in "... saying so" "$err" "was not made from"
run "$dv" evening merge -d "$db" "$db"
expect_rc "a store that is no laptop copy is refused" 1

# ---- the board settles -------------------------------------------------------
login "$url_main" jar.m bord "$pw_board"
page=$(curl -s -b jar.m "$url_main/bestuur/verschillen")
expect_in "the board sees what counts now beside the laptop's answer" "$page" \
	"Nu telt het online antwoord van"
expect_in "... and who entered it at which laptop" "$page" "anna (Buurthuis)"
csrf=$(csrf_of <<<"$page")
status=$(curl -s -b jar.m -o /dev/null -w '%{http_code}' -d "csrf=$csrf" \
	"$url_main/bestuur/verschillen/h2")
[ "$status" = 303 ] && [ "$(counting 2)" = "online|" ] &&
	ok "the board keeps the online answer" || fail "keeping: HTTP $status, $(counting 2)"
entry=$(q "$db" "SELECT id FROM paper_entry WHERE household_id = 3
	AND state = 'differs'")
status=$(curl -s -b jar.m -o /dev/null -w '%{http_code}' -d "csrf=$csrf" \
	"$url_main/bestuur/verschillen/$entry")
[ "$status" = 303 ] && [ "$(counting 3)" = "paper|bea (Kerk) (bestuur: bord)" ] &&
	ok "the board lets the other laptop's form count" ||
	fail "settling: HTTP $status, $(counting 3)"
[ "$(q "$db" "SELECT count(*) FROM paper_entry WHERE state = 'differs'")" = 1 ] &&
	ok "one conflict is left for the board" || fail "conflicts left"
kill -TERM "$pid_main"
wait "$pid_main" 2>/dev/null
test_summary
