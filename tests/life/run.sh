#!/bin/bash
# tests/life/run.sh - a survey's life after its letters: closing (nothing
# counts afterwards), the count record, verify catching a changed answer,
# and archive leaving no address or code in the file's bytes.
# Usage: run.sh DRAAGVLAK SAMPLES
. "$(dirname "$0")/../lib.sh"

db=$work/life.db
# The sample with a retention date, as the archivist would set it.
sed '/^closes:/a retention: 2027-09-30' "$S1/survey.yaml" >"$work/survey.yaml"
run "$dv" init --db "$db" "$work/survey.yaml"
expect_rc "init" 0
run "$dv" households import --db "$db" "$S1/addresses.csv"
expect_rc "import" 0
run "$dv" simulate --db "$db"
expect_rc "simulate" 0

# --- export numbering: not the order of answering ------------------------
run "$dv" export --db "$db"
# In answer order the first buurt's respondents of the first question
# would be numbers 1..k (simulate answers household by household); by a
# keyed hash they are a scattered set (all of 1..k only by a fluke of
# about 1 in C(n, k)).
buurt=$(sed -n 2p <<<"$out" | cut -d, -f2)
question=$(sed -n 2p <<<"$out" | cut -d, -f4)
nos=$(awk -F, -v b="$buurt" -v q="$question" 'NR > 1 && $2 == b && $4 == q { print $1 }' <<<"$out" | sort -n)
k=$(wc -l <<<"$nos")
[ "$nos" != "$(seq 1 "$k")" ] && ok "export: respondents are not numbered in answer order" ||
	fail "export numbers respondents in answer order" "$(head -3 <<<"$out")"

# --- a lost letter: a new code ---------------------------------------------
"$dv" households list --db "$db" --format csv >"$work/before.csv"
IFS=, read -r _ oldcode _ _ number _ _ postcode _ < <(sed -n 2p "$work/before.csv")
answered=$(sqlite3 "$db" "SELECT count(*) FROM response WHERE superseded_by IS NULL")
run "$dv" replace-code --db "$db" --postcode "$postcode" --number "$number" \
	-o "$work/lost"
expect_rc "replace-code" 0
expect_in "replace-code says the old code is void" "$out" "no longer works"
[ -z "$(grep -F -- "${oldcode//-/}" <<<"$out$err")" ] && ok "replace-code does not print a code" ||
	fail "replace-code printed a code" "$out"
pdfs=$(ls "$work/lost"/*.pdf 2>/dev/null | head -1)
[ -n "$pdfs" ] && ok "replace-code prints the new letter" || fail "no letter in $work/lost"
"$dv" households list --db "$db" --format csv >"$work/after.csv"
grep -qF -- "$oldcode" "$work/after.csv" && fail "the old code still works" ||
	ok "the old code is gone"
[ "$(sqlite3 "$db" "SELECT count(*) FROM response WHERE superseded_by IS NULL")" = "$answered" ] &&
	ok "answers under the old code stay counted" || fail "a counted answer was lost"

# --- record before closing is refused ------------------------------------
run "$dv" record --db "$db" --pdf "$work/r.pdf"
expect_rc "record before close is refused" 1
expect_in "record before close says why" "$err" "still open"

# --- close ----------------------------------------------------------------
run "$dv" close --db "$db" --by bestuur
expect_rc "close" 0
fp=$(sed -n 's/^Fingerprint: //p' <<<"$out")
[ ${#fp} -eq 64 ] && ok "close prints a SHA-256 fingerprint" ||
	fail "no fingerprint" "$out"
run "$dv" simulate --db "$db"
expect_rc "after closing no answer is added" 1
expect_in "the refusal says the survey is closed" "$err" "closed"
run "$dv" close --db "$db"
expect_in "closing twice says when it closed" "$out" "closed already"
run "$dv" replace-code --db "$db" --postcode "$postcode" --number "$number" \
	-o "$work/lost2"
expect_rc "replace-code after closing is refused" 1

# --- the count record -----------------------------------------------------
run "$dv" record --db "$db" --pdf "$work/r.pdf"
expect_rc "record" 0
expect_file "record PDF" "$work/r.pdf"
txt=$(pdftotext -layout "$work/r.pdf" - 2>/dev/null)
expect_in "record: title" "$txt" "Proces-verbaal van de telling"
expect_in "record: the fingerprint" "$txt" "$fp"
expect_in "record: the agreement with whom" "$txt" "Afgesproken met"
expect_in "record: an observer signs" "$txt" "Onafhankelijk waarnemer"
expect_in "record: audit counts the replaced code" "$txt" \
	"Codes vervangen omdat een brief kwijt was: 1"
expect_in "record: a verdict" "$txt" "draagvlak"
# When it closed, as a Dutch reader tells the time (the store keeps UTC);
# date(1) with the zone database says what the clock in Dorst showed.
closed_at=$(sqlite3 "$db" "SELECT closed_at FROM lifecycle")
months=(januari februari maart april mei juni juli augustus september oktober november december)
months_en=(January February March April May June July August September October November December)
read -r d m y hm < <(TZ=Europe/Amsterdam date -d "$closed_at" "+%-d %-m %Y %H:%M")
expect_in "record: closed on a Dutch date and time" "$txt" \
	"gesloten op $d ${months[m - 1]} $y, $hm door bestuur"
expect_in "record: drawn up on a Dutch date" "$txt" "opgemaakt op "
grep -q "[0-9]T[0-9][0-9]:[0-9][0-9]" <<<"$txt" &&
	fail "record: an ISO timestamp where a date belongs" "$(grep "[0-9]T[0-9]" <<<"$txt")" ||
	ok "record: no ISO timestamp"
# The date the agreement was made, in words as in the report.
grep -q "op [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]" <<<"$txt" &&
	fail "record: an ISO date where the agreement's date belongs" "$(grep "op [0-9]\{4\}-" <<<"$txt")" ||
	ok "record: the agreement's date in words"
run "$dv" record --db "$db" --pdf "$work/r-en.pdf" --lang en
expect_rc "record in English" 0
txt_en=$(pdftotext -layout "$work/r-en.pdf" - 2>/dev/null)
expect_in "record in English: the date in English" "$txt_en" \
	"closed on $d ${months_en[m - 1]} $y, $hm by bestuur"
run "$dv" record --db "$db" --pdf "$work/r2.pdf"
expect_in "record again is the same record" "$out" "Count record 1 "

# --- publish ---------------------------------------------------------------
run "$dv" publish --db "$db" -o "$work/pub"
expect_rc "publish" 0
for f in answers.csv results.csv results.json record.pdf fingerprint.txt; do
	expect_file "publish: $f" "$work/pub/$f"
done
[ -f "$work/pub/scans.txt" ] && ok "publish: scans.txt (empty: no scans)" ||
	fail "publish: no scans.txt"
again=$(cd "$work/pub" && (printf 'draagvlak count record 1\n'
	cat answers.csv scans.txt) | sha256sum | cut -d' ' -f1)
[ "$again" = "$fp" ] && ok "publish: the fingerprint is recomputed from the bundle" ||
	fail "publish: sha256sum gives $again, the record $fp"
expect_in "publish: results say closed" "$(cat "$work/pub/results.csv")" ",closed,"
"$dv" households list --db "$db" --format csv | cut -d, -f2 | tail -n +2 \
	>"$work/codes-only"
if grep -qF -f "$work/codes-only" "$work/pub/answers.csv" "$work/pub/results.csv"; then
	fail "publish: a code is in the bundle"
else
	ok "publish: no code in the bundle"
fi

# --- verify -----------------------------------------------------------------
run "$dv" verify --db "$db"
expect_rc "verify of an untouched store" 0
expect_in "verify says OK" "$out" "OK:"
sqlite3 "$db" "UPDATE answer SET value = 'tegen' WHERE question_id =
	'speelveld' AND response_id = (SELECT response_id FROM answer
	WHERE question_id = 'speelveld' AND value = 'voor' LIMIT 1)"
run "$dv" verify --db "$db"
expect_rc "verify catches an answer changed in the file" 1
expect_in "verify names the old answer" "$out" "in the record, no longer"
expect_in "verify names the new answer" "$out" "speelveld,tegen"

# --- archive ---------------------------------------------------------------
"$dv" households list --db "$db" --format csv >"$work/households.csv"
run "$dv" archive --db "$db" --today 2027-09-30 -o "$work/statement.txt"
expect_rc "archive on the retention date is refused" 1
expect_in "the refusal names the date" "$err" "2027-09-30"
# A second, untouched store, to archive and read the bytes of.
adb=$work/archive.db
run "$dv" init --db "$adb" "$work/survey.yaml"
run "$dv" households import --db "$adb" "$S1/addresses.csv"
"$dv" households list --db "$adb" --format csv >"$work/codes.csv"
run "$dv" simulate --db "$adb"
run "$dv" archive --db "$adb" --today 2027-10-01 -o "$work/statement.txt"
expect_rc "archive of an open survey is refused" 1
run "$dv" close --db "$adb"
# FILE...: how many codes or street names of codes.csv the files hold.
# A street the definition itself names (the plan is at the Schoolstraat)
# is not an address, and is left out.
leftovers() {
	local code canon street
	while IFS=, read -r _ code _ street _; do
		[ "$code" = code ] && continue
		canon=${code//-/}
		printf '%s\n%s\n' "$code" "$canon"
		grep -qF -- "$street" "$work/survey.yaml" || echo "$street"
	done <"$work/codes.csv" | sort -u >"$work/secrets"
	cat -- "$@" 2>/dev/null | grep -aoF -f "$work/secrets" | sort -u | wc -l
}
n=$(leftovers "$adb" "$adb-wal")
[ "$n" -gt 0 ] && ok "before archiving the file holds the codes ($n)" ||
	fail "the byte check cannot fail: no code found before archiving"
before=$("$dv" verify --db "$adb" | sed -n 's/^Fingerprint now: //p')
run "$dv" archive --db "$adb" --today 2027-10-01 -o "$work/statement.txt"
expect_rc "archive after the retention date" 0
found=$(leftovers "$adb" "$adb-wal")
[ "$found" -eq 0 ] && ok "no code and no street name left in the file's bytes" ||
	fail "archive left $found codes or street names in the file"
expect_file "archive writes a statement" "$work/statement.txt"
expect_in "the statement counts the addresses" "$(cat "$work/statement.txt")" \
	"449 adressen"
run "$dv" verify --db "$adb"
expect_rc "verify still passes after archiving" 0
expect_in "the fingerprint survives archiving" "$out" "$before"
run "$dv" archive --db "$adb" --today 2027-10-01 -o "$work/statement.txt"
expect_rc "archiving twice is refused" 1

test_summary
