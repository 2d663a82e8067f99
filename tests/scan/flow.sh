#!/bin/bash
# flow.sh - scanned forms end to end: tests/scangen fills in and "scans"
# forms of the Dorst sample (PNG, TIFF and PDF, skewed, upside down, a
# page of an outdated form, a form missing a page), `draagvlak scan` reads
# them into a real store, and a volunteer clears the review queue on
# `draagvlak serve` over HTTP.
#
#   flow.sh DRAAGVLAK SAMPLES SCANGEN
#
# Checks what a board would: every counted form holds exactly the answers
# the generator ticked for its clear questions; nothing in doubt counts
# before a person looked; scanning again changes nothing; the outdated
# page is refused by its layout; the reviewed form then counts, entered by
# that volunteer; and the analysis says how many scanned forms wait.
. "$(dirname "$0")/../lib.sh" "$1" "$2"
scangen=$(realpath "$3")
db=$work/s.db
pw=scan-vrijwilliger-1

"$dv" init -d "$db" "$S1/survey.yaml" >/dev/null
"$dv" households import -d "$db" "$S1/addresses.csv" >/dev/null
printf '%s\n' "$pw" | "$dv" user add -d "$db" anna --role volunteer >/dev/null
run "$scangen" --db "$db" --out set --forms 14 --dpi 200,300 \
	--formats png,tif,pdf --seed 11
expect_rc "scangen writes a set" 0

run "$dv" scan -d "$db" set/scan-*
expect_rc "draagvlak scan reads the stack" 0
expect_in "a page of an outdated form is refused by its layout" "$out" \
	"is none of this survey's forms"
expect_in "a form missing a page is flagged" "$out" "1 missing a page"
first=$out

# Every counted form: the store holds what was ticked on paper.
bad=0
while IFS=, read -r code question answer; do
	code=${code%$'\r'}
	got=$(sqlite3 "$db" "SELECT group_concat(a.value, '+') FROM (SELECT
		a.value FROM answer a JOIN response r ON r.id = a.response_id
		JOIN token t ON t.household_id = r.household_id WHERE
		t.code = '$code' AND a.question_id = '$question' AND
		r.superseded_by IS NULL AND r.channel = 'scan'
		ORDER BY a.value) a")
	want=$(tr '+' '\n' <<<"$answer" | sort | paste -sd+)
	if [ "$got" != "$want" ]; then
		bad=$((bad + 1))
		echo "  $code $question: stored '$got', ticked '$want'"
	fi
done < <(sqlite3 -csv "$db" "SELECT t.code FROM scan_form f JOIN token t
	ON t.household_id = f.household_id WHERE f.state = 'counted'" |
	while read -r c; do
		awk -F, -v c="$c" '{ sub(/\r$/, "") }
			NR > 1 && $3 == c && $6 == "clear" {
			print $3 "," $5 "," $7 }' set/questions.csv
	done)
counted=$(sqlite3 "$db" "SELECT count(*) FROM scan_form WHERE state = 'counted'")
[ "$counted" -gt 0 ] && [ "$bad" -eq 0 ] &&
	ok "the $counted counted forms hold what was ticked" ||
	fail "counted forms differ from the paper ($bad answers, $counted forms)"
waiting=$(sqlite3 "$db" "SELECT count(*) FROM scan_form WHERE state = 'review'")
early=$(sqlite3 "$db" "SELECT count(*) FROM response r JOIN scan_form f ON
	f.household_id = r.household_id WHERE f.state <> 'counted'")
[ "$waiting" -gt 0 ] && [ "$early" -eq 0 ] &&
	ok "$waiting forms in doubt wait, and none of them counts yet" ||
	fail "forms in doubt: $waiting waiting, $early counting early"

run "$dv" scan -d "$db" set/scan-*
expect_in "scanning again changes nothing" "$out" "pages read:          0 ("
[ "$(sqlite3 "$db" "SELECT count(*) FROM response")" -eq "$counted" ] &&
	ok "no response was added by the second scan" ||
	fail "the second scan added responses"

run "$dv" analyse -d "$db" --date 2027-04-20
expect_in "the analysis says how many scanned forms wait" "$out" \
	"Gescande formulieren die wachten op controle: $waiting"

# The review queue, as a volunteer.
"$dv" serve -d "$db" -p 0 --port-file port --today 2027-04-20 2>serve.log &
pid=$!
for _ in $(seq 100); do [ -s port ] && break; sleep 0.05; done
url=http://127.0.0.1:$(cat port)
c() { curl -s -b jar -c jar "$@"; }
c -o /dev/null -d "name=anna&password=$pw" "$url/login"
queue=$(c "$url/scan")
expect_in "the queue lists the forms in doubt" "$queue" "in twijfel"
# Forms are known by a number of the store, never by the household's code:
# a code is the household's credential, and volunteers see the queue.
code=$(grep -o 'href="/scan/[0-9]*"' <<<"$queue" | head -1 | sed 's/.*scan\///; s/"//')
codes=$(sqlite3 "$db" "SELECT code FROM token")
# shows_codes TEXT: how many household codes TEXT holds, plain or pretty.
shows_codes() {
	local k n=0
	for k in $codes; do
		grep -q "$k\|${k:0:4}-${k:4:4}-${k:8:4}" <<<"$1" && n=$((n + 1))
	done
	echo $n
}
[ "$(shows_codes "$queue")" = 0 ] && ok "the queue shows no household's code" ||
	fail "the queue shows $(shows_codes "$queue") codes"
page=$(c "$url/scan/$code")
[ "$(shows_codes "$page")" = 0 ] && ok "a form to review shows no code" ||
	fail "the review page shows a code"
expect_in "a form in doubt shows the cut-outs" "$page" "/uitsnede/"
# The reader keeps codes; the page says them in the reader's language.
captions=$(grep -o '<figcaption>[^<]*' <<<"$page")
grep -Eq 'Gescand, pagina [0-9]+\. (Vakje|[0-9]+ vakjes|Er is|Een) ' \
	<<<"$captions" && ! grep -Eq 'box:|ticked:|over-max:|digits|text-' \
	<<<"$captions" && ok "the reasons are said in Dutch" ||
	fail "reasons: $captions"
page_en=$(c "$url/scan/$code?lang=en")
captions=$(grep -o '<figcaption>[^<]*' <<<"$page_en")
expect_in "the review page speaks English on request" "$page_en" '<html lang="en"'
grep -Eq 'Scanned, page [0-9]+\. (Box|[0-9]+ boxes|Something|A ) ' \
	<<<"$captions" && ok "the reasons are said in English" ||
	fail "English reasons: $captions"
expect_in "the queue keeps the language" "$(c "$url/scan")" " in doubt</li>"
c -o /dev/null "$url/scan?lang=nl"
crop=$(grep -o '/scan/[^"]*\.png' <<<"$page" | head -1)
type=$(c -o crop.png -w '%{content_type}' "$url$crop")
[ "$type" = image/png ] && [ "$(head -c4 crop.png | tail -c3)" = PNG ] &&
	ok "a cut-out is a PNG" || fail "cut-out: $type"
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' <<<"$page" | head -1 | sed 's/.*value="//; s/"//')
status=$(c -o /dev/null -w '%{http_code}' -d "csrf=$csrf&x=1" "$url/scan/$code")
[ "$status" = 303 ] && ok "the volunteer's review is saved" || fail "review: HTTP $status"
state=$(sqlite3 "$db" "SELECT f.state || ' ' || r.channel || ' ' || r.entered_by
	FROM scan_form f JOIN response r ON r.id = f.response_id
	WHERE f.household_id = $code")
expect_in "the reviewed form counts, entered by the volunteer" "$state" \
	"counted scan scan, anna"
status=$(c -o /dev/null -w '%{http_code}' -d "csrf=$csrf" "$url/scan/$code")
[ "$status" = 200 ] && ok "a form reviewed twice is not saved again" ||
	fail "second review: HTTP $status"
anon=$(curl -s -o /dev/null -w '%{http_code}' "$url/scan/$code")
[ "$anon" = 303 ] && ok "the queue needs a log-in" || fail "anonymous: $anon"
kill -TERM $pid
wait $pid
rc=$?
out=$(cat serve.log)
expect_rc "the server stops cleanly" 0

test_summary
