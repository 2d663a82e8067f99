#!/usr/bin/env bash
# run.sh - command-line tests: the draagvlak binary as a board member uses
# it, on real files and a real SQLite store.
#
# usage: run.sh DRAAGVLAK SAMPLES_DIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$(dirname "$0")/../lib.sh" "$1" "$2"
sql() { sqlite3 "$work/d.db" "$1"; }

# --- check --------------------------------------------------------------
for s in "$S1" "$S2"; do
	run "$dv" check "$s/survey.yaml"
	expect_rc "check $(basename "$s") is valid" 0
	expect_in "check $(basename "$s") summarises the agreement" "$out" "Er is voldoende draagvlak als"
done
run "$dv" check --lang en "$S1/survey.yaml"
expect_in "check --lang en" "$out" "There is sufficient support if"

# check speaks Dutch by default (issue 17), English with --lang en.
run "$dv" check "$here/broken.yaml"
expect_rc "check of a broken definition fails (nl)" 1
expect_in "check speaks Dutch" "$err" \
	"$here/broken.yaml:2:1: onbekende sleutel 'titel' in de peiling; bedoelt u 'title'?"
expect_in "check counts mistakes in Dutch" "$err" "$here/broken.yaml: 11 fouten"
# Every message in Dutch, with the fix in it (issue 17); none in English.
b=$here/broken.yaml
for want in \
	"$b:1:9: 'survey' mag alleen kleine letters, cijfers en '-' bevatten, hoogstens 40 tekens; niet 'Dorst Speelveld', maar bijvoorbeeld 'dorst-speelveld'" \
	"$b:6:9: de peiling sluit (2027-03-01) voordat ze opent (2027-04-05): kijk 'opens' en 'closes' na" \
	"$b:12:9: vraag-id 'speelveld' staat al op regel 9: geef elke vraag een eigen id" \
	"$b:16:10: een schaal van 1 tot 20 heeft 20 stappen; er passen er hoogstens 11 op een formulier" \
	"$b:20:18: 'max_choices' is 3, maar de vraag heeft maar 2 antwoordmogelijkheden" \
	"$b:27:17: 'households' moet een heel getal zijn, zoals 120" \
	"$b:28:9: buurt-id 'BU08260100' staat al op regel 25: geef elke buurt een eigen id" \
	"$b:32:17: 'min_response': een aandeel kan niet meer dan 100% zijn" \
	"$b:33:18: 'min_in_favour': zeg of precies dit aandeel genoeg is" \
	"$b:35:3: 'neutral' doet alleen iets bij basis: votes"; do
	expect_in "broken definition (nl): ${want#"$b"}" "$err" "$want"
done
for old in "must be" "already used" "steps; at most" "only matters" "is not a date"; do
	grep -q "$old" <<<"$err" && fail "no English left in check (nl): '$old'" "$err" ||
		ok "no English left in check (nl): '$old'"
done
# A warning is marked in the reader's language.
printf 'survey: w\ntitle: W\norganisation: O\ncontact: C\nopens: 2027-03-01\ncloses: 2027-03-28\nquestions:\n  - id: q\n    type: proposition\n    text: Q?\nbuurten:\n  - id: b1\n    name: B\n    households: 10\n' >"$work/noagree.yaml"
run "$dv" check "$work/noagree.yaml"
expect_rc "a warning does not fail check" 0
expect_in "a warning in Dutch" "$err" "$work/noagree.yaml:1:1: let op: de peiling heeft stellingen (proposition), maar geen 'agreement'"
run "$dv" check --lang en "$work/noagree.yaml"
expect_in "a warning in English" "$err" "$work/noagree.yaml:1:1: warning: the survey has propositions but no 'agreement'"
run "$dv" check --lang en "$here/broken.yaml"
expect_rc "check of a broken definition fails" 1
for want in \
	"$b:1:9: 'survey' may hold only lower-case letters" \
	"$b:2:1: unknown key 'titel' in the survey; did you mean 'title'?" \
	"$b:6:9: the survey closes (2027-03-01) before it opens (2027-04-05)" \
	"$b:12:9: question id 'speelveld' is already used on line 9" \
	"$b:16:10: a scale from 1 to 20 has 20 steps" \
	"$b:20:18: 'max_choices' is 3 but the question has only 2 options" \
	"$b:27:17: 'households' must be a whole number, like 120, without point, comma or words; not 'veel'" \
	"$b:28:9: buurt id 'BU08260100' is already used on line 25" \
	"$b:32:17: 'min_response': " \
	"$b:33:18: 'min_in_favour': say whether exactly" \
	"$b:35:3: 'neutral' only matters with basis 'votes'" \
	"$b: 11 mistakes"; do
	expect_in "broken definition: ${want#"$b"}" "$err" "$want"
done
n=$(grep -c "^$b:[0-9]*:[0-9]*: " <<<"$err")
[ "$n" -eq 11 ] && ok "broken definition: 11 positioned mistakes" ||
	fail "broken definition: $n positioned mistakes, wanted 11" "$err"
grep -q "^$b:1:" <<<"$err" && [ "$(grep -n "" <<<"$err" | grep ":$b:2:" | cut -d: -f1)" != 1 ] &&
	ok "mistakes come in file order" || fail "mistakes come in file order" "$err"

run "$dv" check "$work/nonexistent.yaml"
expect_rc "check of a missing file fails" 1
expect_in "check of a missing file says so" "$err" "kan het bestand niet openen"
run "$dv" check --lang en "$work/nonexistent.yaml"
expect_in "check --lang en of a missing file says so" "$err" "cannot open the file"

printf 'survey: x\ntitle: [unclosed\n' >"$work/syntax.yaml"
run "$dv" check "$work/syntax.yaml"
expect_rc "YAML syntax error fails" 1
expect_in "YAML syntax error is positioned" "$err" "$work/syntax.yaml:3:1: YAML-opmaak:"
printf 'survey: x\ntitle: Let op: dit\n' >"$work/colon.yaml"
run "$dv" check "$work/colon.yaml"
expect_in "a colon in a text: put it in quotes" "$err" \
	"$work/colon.yaml:2:14: YAML-opmaak: invalid nested block mapping on the same line. Een tekst met een dubbele punt erin"

# --- usage --------------------------------------------------------------
run "$dv"
expect_rc "no command is a usage error" 2
run "$dv" frobnicate
expect_rc "unknown command is a usage error" 2
expect_in "unknown command says so" "$err" "there is no command 'frobnicate'"
run "$dv" check
expect_rc "check without a file is a usage error" 2
expect_in "check without a file says what to write, in Dutch" "$err" "noem het bestand met de definitie"
run "$dv" check --lang de "$S1/survey.yaml"
expect_rc "check --lang de is a usage error" 2
expect_in "check --lang de said in Dutch" "$err" "--lang is nl of en, niet 'de'"
# init checks as check does, and says so in the same words.
run "$dv" init --db "$work/broken.db" "$here/broken.yaml"
expect_rc "init of a broken definition fails" 1
expect_in "init names the mistakes in Dutch" "$err" "$here/broken.yaml:2:1: onbekende sleutel 'titel' in de peiling"
expect_in "init says nothing changed, in Dutch" "$err" "heeft fouten (11); er is niets veranderd"
run "$dv" init --bogus x.yaml
expect_rc "unknown option is a usage error" 2
run "$dv" help
expect_rc "help" 0
help=$out
for c in check init households help; do
	expect_in "help lists $c" "$help" "  $c"
	run "$dv" "$c" --help
	expect_rc "$c --help" 0
	expect_in "$c --help shows usage" "$out" "usage: draagvlak $c"
done
run "$dv" households list --db "$work/none.db"
expect_rc "a missing store fails" 1
expect_in "a missing store points to init" "$err" "draagvlak init"

# --- init and households ------------------------------------------------
run "$dv" init --db "$work/d.db" "$S1/survey.yaml"
expect_rc "init creates the store" 0
[ "$(sql 'PRAGMA journal_mode')" = wal ] && ok "store is in WAL mode" || fail "store is in WAL mode"
[ "$(sql 'PRAGMA user_version')" -ge 1 ] && ok "schema version is set" || fail "schema version is set"
[ "$(sql 'SELECT count(*) FROM question')" = 8 ] && ok "init stored 8 questions" || fail "init stored 8 questions"

run "$dv" households import --db "$work/d.db" "$S1/addresses.csv"
expect_rc "import the Dorst addresses" 0
lines=$(($(wc -l <"$S1/addresses.csv") - 1))
expect_in "import reports the count (in Dutch)" "$out" "$lines huishoudens ingelezen"
run "$dv" households list --db "$work/d.db"
[ "$(wc -l <<<"$out")" -eq "$lines" ] && ok "list shows every household" || fail "list shows every household"
codes=$(awk '{print $2}' <<<"$out")
[ "$(sort -u <<<"$codes" | wc -l)" -eq "$lines" ] && ok "codes are unique" || fail "codes are unique"
bad=$(grep -cvE '^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$' <<<"$codes")
[ "$bad" -eq 0 ] && ok "codes look like K7QM-2XHD-9FAB" || fail "codes look like K7QM-2XHD-9FAB: $bad bad"
run "$dv" households summary --db "$work/d.db"
expect_in "summary per buurt" "$out" "Dorst-Oost"
grep -q anders <<<"$out" && fail "imported counts match the definition" "$out" || ok "imported counts match the definition"

run "$dv" households add --db "$work/d.db" --buurt BU08260100 --count 10
expect_rc "add anonymous forms" 0
expect_in "anonymous forms are numbered" "$out" "numbers 1 to 10"
run "$dv" households add --db "$work/d.db" --buurt NOPE --count 10
expect_rc "add to an unknown buurt fails" 1
run "$dv" households list --db "$work/d.db" --format csv --buurt BU08260100
expect_in "csv list has a header" "$(head -1 <<<"$out")" "buurt,code,form,street,number"
expect_in "csv list shows form numbers" "$out" ",10,,,,,,"

# A broken address list: every problem with its line, nothing imported.
before=$(sql 'SELECT count(*) FROM household')
{
	echo 'straat;huisnummer;huisletter;postcode;woonplaats;buurtcode'
	echo 'Nieuwstraat;1;;4849 ZZ;Dorst;BU08260100'
	echo 'Nieuwstraat;2;;4849 ZZ;Dorst;BU0826XXXX'
	echo 'Nieuwstraat;1;;4849zz;Dorst;BU08260101'
	printf 'Nieuwstraat;3;;4849 ZZ;D\x81rst;BU08260100\n'
	echo 'Nieuwstraat;drie;;4849 ZZ;Dorst;BU08260100'
	echo 'Nieuwstraat;4;;48 ZZ;Dorst;BU08260100'
} >"$work/bad.csv"
run "$dv" households import --lang en --db "$work/d.db" "$work/bad.csv"
expect_rc "a broken address list fails" 1
for want in \
	"bad.csv:3: buurt 'BU0826XXXX' is not one of the survey's buurten" \
	"bad.csv:4: Nieuwstraat 1, 4849 ZZ is already on line 2" \
	"bad.csv:5: field 5 holds characters that are not text" \
	"bad.csv:6: house number 'drie' is not a number" \
	"bad.csv:7: postcode '48 ZZ' is not a Dutch postcode" \
	"nothing was imported"; do
	expect_in "broken list: $want" "$err" "$want"
done
[ "$(sql 'SELECT count(*) FROM household')" = "$before" ] && ok "nothing of a broken list is imported" ||
	fail "nothing of a broken list is imported"
run "$dv" households import --db "$work/d.db" "$work/bad.csv"
expect_in "a broken list is refused in Dutch" "$err" "er is niets ingelezen"

# Excel's CSV (issue 17): Windows-1252 is converted and said so.
{
	echo 'straat;huisnummer;huisletter;postcode;woonplaats;buurtcode'
	printf 'Ree\xebnlaan;1;;4849 ZZ;Dorst;bu08260100\n'
	echo ';;;;;'
} >"$work/excel.csv"
run "$dv" households import --db "$work/d.db" "$work/excel.csv"
expect_rc "an Excel CSV imports" 0
expect_in "Windows-1252 is said" "$out" "Windows-1252"
expect_in "blank rows are said" "$out" "1 lege regels"
run "$dv" households summary --db "$work/d.db"
expect_in "summary explains (anders)" "$out" "(anders): het aantal adressen verschilt"
echo 'street;number' >"$work/cols.csv"
run "$dv" households import --db "$work/d.db" "$work/cols.csv"
expect_in "missing columns are named" "$err" "cols.csv:1: de kopregel heeft geen kolom 'postcode'"

# --- updating the definition --------------------------------------------
sed 's/Een nieuw speelveld aan de Schoolstraat/Het speelveld aan de Schoolstraat/' "$S1/survey.yaml" >"$work/edited.yaml"
run "$dv" init --db "$work/d.db" "$work/edited.yaml"
expect_rc "a wording change before answers is taken" 0
sed 's/min_in_favour: "> 50%"/min_in_favour: ">= 50%"/' "$S1/survey.yaml" >"$work/agreement.yaml"
grep -q '">= 50%"' "$work/agreement.yaml" || fail "fixture: agreement edit applied"
run "$dv" init --db "$work/d.db" "$work/agreement.yaml"
expect_rc "an agreement change before answers is taken" 0
run "$dv" init --db "$work/d.db" "$S1/survey.yaml"
expect_rc "and back" 0
# Answers arrive (the server will do this; here plain SQL).
sql "INSERT INTO response(household_id, channel) VALUES (1, 'online');
     INSERT INTO answer(response_id, question_id, value) VALUES (1, 'speelveld', 'voor');"
run "$dv" init --db "$work/d.db" "$work/agreement.yaml"
expect_rc "an agreement change after answers is refused" 1
expect_in "the refusal says why" "$err" "the agreement cannot change any more"
run "$dv" init --db "$work/d.db" "$work/edited.yaml"
expect_rc "a wording change after answers is taken" 0
run "$dv" init --db "$work/d.db" "$S2/survey.yaml"
expect_rc "another survey's definition is refused" 1
expect_in "the refusal names both surveys" "$err" "holds survey 'dorst-speelveld-2027', not 'oosterheide-parkeren-2027'"

# --- privacy ------------------------------------------------------------
cols=$(sql "SELECT group_concat(name, ',') FROM pragma_table_info('answer_export')")
[ "$cols" = "response,buurt,channel,question,value" ] && ok "the export view has no address or code column" ||
	fail "the export view has no address or code column: $cols"

test_summary
