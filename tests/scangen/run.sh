#!/usr/bin/env bash
# run.sh - the ctest of scangen: a small set from a real store of the
# Dorst sample in every format, checked by check_scangen (row counts,
# truth rules, QR codes), PDF page counts, the same set again for the
# same seed (with two workers), and the errors of bad input.
#
# usage: run.sh DRAAGVLAK SAMPLES_DIR SCANGEN CHECK_SCANGEN
set -u
sg=$(realpath "$3")
check=$(realpath "$4")
. "$(dirname "$0")/../lib.sh" "$1" "$2"

"$dv" init -d d.db "$S1/survey.yaml" >/dev/null
"$dv" households import -d d.db "$S1/addresses.csv" >/dev/null

run "$sg" --db d.db --out set --pages 12 --dpi 150,200 --seed 5
expect_rc "scangen writes a set" 0
expect_in "twelve pages" "$out" "Wrote 12 pages"
for ext in png jpg tif pdf; do
	if ls set/*."$ext" >/dev/null 2>&1; then ok "a $ext file"; else fail "no $ext file" "$(ls set)"; fi
done
rows=$(($(wc -l <set/pages.csv) - 1))
if [ "$rows" -eq 12 ]; then ok "pages.csv has 12 rows"; else fail "pages.csv has $rows rows"; fi
run "$check" d.db set
expect_rc "the set checks out against the store" 0
grep -q ',foreign_layout' set/pages.csv && ok "a foreign page" || fail "no foreign page"
grep -q 'missing_page' set/pages.csv && ok "a form with a page missing" || fail "no missing page"
if command -v pdfinfo >/dev/null; then
	for pdf in set/*.pdf; do
		want=$(grep -c "^$(basename "$pdf")," set/pages.csv)
		got=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')
		if [ "$want" -eq "$got" ]; then ok "$(basename "$pdf") has $want pages"; else fail "$(basename "$pdf"): $got pages, want $want"; fi
	done
fi

# The same seed gives the same bytes, whatever the number of workers.
run "$sg" --db d.db --out again --pages 12 --dpi 150,200 --seed 5 -j 2
expect_rc "the same set with two workers" 0
if diff -r set again >/dev/null; then ok "same seed, same set"; else fail "same seed, different set" "$(diff -rq set again)"; fi
run "$sg" --db d.db --out other --pages 3 --dpi 150 --formats png --seed 6
expect_rc "another seed" 0
if ! cmp -s set/pages.csv other/pages.csv; then ok "another seed, another set"; else fail "seeds make no difference"; fi

# --- bad input ----------------------------------------------------------
run "$sg" --out x
expect_rc "no store is a usage error" 2
run "$sg" --db d.db --out x --formats png,gif
expect_rc "unknown format is a usage error" 2
run "$sg" --db d.db --out x --dpi 300,abc
expect_rc "bad resolution is a usage error" 2
run "$sg" --db d.db --out x --buurt BU00000000
expect_rc "unknown buurt" 1
expect_in "unknown buurt is named" "$err" "BU00000000"
run "$sg" --db d.db --out x --forms 5000
expect_rc "more forms than households" 1
expect_in "says how many households there are" "$err" "449 households"
run "$sg" --db nothere.db --out x
expect_rc "missing store" 1

test_summary
