#!/usr/bin/env bash
# run.sh - the voting unit as a definition choice (issue 15): with
# voting_unit: resident every voter of 18+ at an address gets a unit of
# their own (code, letter, form), and the response counts those units;
# without it nothing changes.
#
# usage: run.sh DRAAGVLAK SAMPLES_DIR
set -u
. "$(dirname "$0")/../lib.sh" "$1" "$2"

sed 's/^double_entry: false/double_entry: false\nvoting_unit: resident/' \
	"$S1/survey.yaml" >resident.yaml
printf '%s\n' 'straat;huisnummer;postcode;woonplaats;buurtcode;volwassenen' \
	'Kerkstraat;1;4849 AB;Dorst;BU08260100;1' \
	'Kerkstraat;2;4849 AB;Dorst;BU08260100;2' \
	'Kerkstraat;3;4849 AB;Dorst;BU08260100;3' >adults.csv

run "$dv" check resident.yaml
expect_rc "a definition with voting_unit: resident" 0
expect_in "check counts voters" "$out" "Dorst-Centrum, 142 kiesgerechtigde bewoners"
run "$dv" check "$S1/survey.yaml"
expect_in "check of a household survey unchanged" "$out" "Dorst-Centrum, 142 huishoudens"
sed 's/^voting_unit: resident/voting_unit: adults/' resident.yaml >bad.yaml
run "$dv" check bad.yaml
expect_rc "a wrong voting_unit refused" 1
expect_in "a wrong voting_unit, in Dutch" "$err" "'voting_unit' moet household of resident zijn, precies zo geschreven; niet 'adults'"

"$dv" init -d r.db resident.yaml >/dev/null
run "$dv" households import -d r.db adults.csv
expect_rc "import with adults" 0
expect_in "six units from three addresses" "$out" "6 huishoudens ingelezen"
run "$dv" households list -d r.db
n=$(wc -l <<<"$out")
codes=$(awk '{ print $2 }' <<<"$out" | sort -u | wc -l)
if [ "$n" -eq 6 ] && [ "$codes" -eq 6 ]; then ok "6 units, 6 distinct codes"; else fail "units $n, codes $codes" "$out"; fi
expect_in "the list names the resident" "$out" "Kerkstraat 3, 4849 AB Dorst (bewoner 2 van 3)"
run "$dv" households list -d r.db --format csv
expect_in "CSV header with the resident" "$out" "postcode,place,resident,residents"
expect_in "CSV row of resident 2 of 3" "$out" ",Kerkstraat,3,,,4849 AB,Dorst,2,3"

run "$dv" render -d r.db -o forms
expect_rc "render the six letters" 0
pdftotext -raw forms/formulieren-BU08260100.pdf t.txt
for want in "Aan bewoner 1 van 1 (18 jaar of ouder) op" \
	"Aan bewoner 2 van 2 (18 jaar of ouder) op" \
	"Aan bewoner 3 van 3 (18 jaar of ouder) op"; do
	if grep -qF "$want" t.txt; then ok "letter: $want"; else fail "no '$want' in the PDF"; fi
done
for code in $("$dv" households list -d r.db | awk '{ print $2 }'); do
	if grep -q "Code $code" t.txt; then ok "code $code on its letter"; else fail "no code $code in the PDF"; fi
done

# A lost letter of the second voter at Kerkstraat 3: only that code changes.
before=$("$dv" households list -d r.db | sort)
run "$dv" replace-code -d r.db --postcode 4849AB --number 3 --resident 2 -o new
expect_rc "replace-code --resident 2" 0
after=$("$dv" households list -d r.db | sort)
changed=$(diff <(echo "$before") <(echo "$after") | grep -c '^>')
if [ "$changed" -eq 1 ] && grep -q "(bewoner 2 van 3)" <<<"$(diff <(echo "$before") <(echo "$after") | grep '^>')"; then
	ok "replace-code changed only resident 2 of 3"
else
	fail "replace-code changed $changed codes" "$(diff <(echo "$before") <(echo "$after"))"
fi

# Three of the six answer: the response is 50%, counted in voters.
run "$dv" simulate -d r.db --rate 50
expect_in "three of six answered" "$out" "3 responses from 6"
run "$dv" analyse -d r.db --format csv
expect_in "CSV: 3 of 6, 50%" "$out" "speelveld,buurt,BU08260100,Dorst-Centrum,not_open,6,addresses,3,0.500000"
run "$dv" analyse -d r.db --format json
rate=$(python3 -c 'import json,sys; b=json.load(sys.stdin)["questions"][0]["buurten"][0]; print(b["households"], b["responses"], b["response_rate"])' <<<"$out")
if [ "$rate" = "6 3 0.5" ]; then ok "JSON: 3 of 6, 0.5"; else fail "JSON: $rate"; fi
run "$dv" analyse -d r.db
expect_in "analyse says bewoners" "$out" "Respons 50,0% (3 van 6 bewoners, volgens de adressen)"

# The adults column is required, and must hold 1..50.
"$dv" init -d m.db resident.yaml >/dev/null
printf '%s\n' 'straat;huisnummer;postcode;woonplaats;buurtcode' \
	'Kerkstraat;1;4849 AB;Dorst;BU08260100' >noadults.csv
run "$dv" households import -d m.db noadults.csv
expect_rc "no adults column refused" 1
expect_in "in Dutch, on the header line" "$err" "noadults.csv:1: de kopregel heeft geen kolom 'volwassenen'"
printf '%s\n' 'straat;huisnummer;postcode;woonplaats;buurtcode;adults' \
	'Kerkstraat;1;4849 AB;Dorst;BU08260100;1' \
	'Kerkstraat;4;4849 AB;Dorst;BU08260100;' \
	'Kerkstraat;5;4849 AB;Dorst;BU08260100;99' >badadults.csv
run "$dv" households import -d m.db badadults.csv
expect_rc "bad adults refused" 1
expect_in "empty adults, with its line" "$err" "badadults.csv:3: het aantal bewoners van 18 jaar of ouder '' is geen getal van 1 tot en met 50"
expect_in "99 adults, with its line" "$err" "badadults.csv:4: het aantal bewoners van 18 jaar of ouder '99'"
if [ "$(sqlite3 m.db 'SELECT count(*) FROM household')" = 0 ]; then ok "nothing imported"; else fail "units were imported"; fi

# Households (the default): the adults column is ignored, one per address.
"$dv" init -d h.db "$S1/survey.yaml" >/dev/null
run "$dv" households import -d h.db adults.csv
expect_in "household survey: three households" "$out" "3 huishoudens ingelezen"
run "$dv" households list -d h.db
if grep -q bewoner <<<"$out"; then fail "household list names residents" "$out"; else ok "household list unchanged"; fi
run "$dv" households list -d h.db --format csv
expect_in "household CSV header unchanged" "$out" "$(printf 'postcode,place\r')"
"$dv" render -d h.db -o hforms >/dev/null
pdftotext -raw hforms/formulieren-BU08260100.pdf h.txt
if grep -qF "Aan de bewoners van" h.txt && ! grep -q "Aan bewoner " h.txt; then ok "household letters unchanged"; else fail "household letter text"; fi

test_summary
