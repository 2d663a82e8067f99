#!/usr/bin/env bash
# run.sh - command-line tests of `draagvlak render`: the forms, layout
# files and posters a board member prints, from a real store, and the
# errors they get for bad input (with nothing half-written left behind).
#
# usage: run.sh DRAAGVLAK SAMPLES_DIR
set -u
. "$(dirname "$0")/../lib.sh" "$1" "$2"
no_temp_files() { # NAME DIR
	if [ -z "$(find "$2" -name '.*' -type f 2>/dev/null)" ]; then ok "$1"; else fail "$1" "$(ls -a "$2")"; fi
}

"$dv" init -d d.db "$S1/survey.yaml" >/dev/null
"$dv" households import -d d.db "$S1/addresses.csv" >/dev/null
"$dv" households add -d d.db --buurt BU08260100 --count 5 >/dev/null

# --- everything ---------------------------------------------------------
run "$dv" render -d d.db -o forms
expect_rc "render everything" 0
expect_in "render reports what it wrote, in Dutch" "$out" "6 PDF-bestanden geschreven (454 formulieren"
for b in BU08260100 BU08260101 BU08260102; do
	expect_file "PDF of $b" "forms/formulieren-$b.pdf"
	expect_file "layout file of $b" "forms/formulieren-$b.layout.json"
done
expect_file "anonymous forms" "forms/formulieren-BU08260100-zonder-adres.pdf"
expect_file "A4 poster" "forms/poster-A4.pdf"
expect_file "A3 poster" "forms/poster-A3.pdf"
no_temp_files "no temporary files left" forms
expect_in "nothing on stderr when it is not a terminal" "[$err]" "[]"
if command -v pdfinfo >/dev/null; then
	pages=$(pdfinfo forms/formulieren-BU08260100-zonder-adres.pdf | awk '/^Pages:/ { print $2 }')
	per=$(python3 -c "import json; print(len(json.load(open('forms/formulieren-BU08260100.layout.json'))['pages']))")
	if [ "$pages" -eq $((5 * per)) ]; then ok "5 anonymous forms of $per pages"; else fail "anonymous pages: $pages"; fi
	fonts=$(pdffonts forms/formulieren-BU08260100.pdf | awk 'NR > 2 { print $(NF-4) }' | sort -u)
	if [ "$fonts" = "yes" ]; then ok "fonts are embedded"; else fail "fonts not embedded" "$(pdffonts forms/formulieren-BU08260100.pdf)"; fi
fi
if command -v pdftotext >/dev/null; then
	line=$("$dv" households list -d d.db --buurt BU08260101 | head -1)
	code=$(echo "$line" | awk '{ print $2 }')
	pdftotext -raw forms/formulieren-BU08260101.pdf forms/t.txt
	if grep -q "Code $code" forms/t.txt; then ok "the code is text in the PDF"; else fail "no 'Code $code' in the PDF's text" "$line"; fi
	rm -f forms/t.txt
fi
if command -v qpdf >/dev/null; then
	for f in forms/*.pdf; do
		if qpdf --check "$f" >/dev/null 2>&1; then ok "qpdf --check $f"; else fail "qpdf --check $f" "$(qpdf --check "$f" 2>&1 | head -5)"; fi
	done
fi

# --- selections ---------------------------------------------------------
code=$("$dv" households list -d d.db --buurt BU08260101 | head -1 | awk '{ print $2 }')
run "$dv" render -d d.db -o one --household "$code" --lang en
expect_rc "one household in English" 0
expect_in "one form, said in English with --lang en" "$out" "Wrote 1 PDF file (1 form,"
run "$dv" render -d d.db -o anon --anonymous
expect_rc "only the anonymous forms" 0
expect_in "five anonymous forms" "$out" "(5 formulieren"
run "$dv" render -d d.db -o posters --poster
expect_rc "only the posters" 0
expect_file "poster with --poster" posters/poster-A3.pdf

# --- bad input ----------------------------------------------------------
run "$dv" render -d d.db -o bad --buurt BU00000000
expect_rc "unknown buurt" 1
expect_in "unknown buurt is named, with the ones there are" "$err" "Buurt 'BU00000000' staat niet in de definitie; de buurten zijn: BU08260100, BU08260101, BU08260102"
run "$dv" render -d d.db -o bad --household K7QM-2XHD-9FAA
expect_rc "mistyped code is a usage error" 2
expect_in "a mistyped code is said in Dutch" "$err" "'K7QM-2XHD-9FAA' is geen code van een huishouden"
run "$dv" render -d d.db -o /dev/null/forms
expect_rc "unwritable output" 1
expect_in "unwritable output is named" "$err" "Kan de map /dev/null/forms niet maken: de map bestaat niet"
run "$dv" render -d d.db -o bad --base-url "https://draagvlak.$(printf 'heel-lang-%.0s' $(seq 1 20)).nl"
expect_rc "base URL too long" 1
expect_in "base URL too long says so" "$err" "is te lang"
if [ -z "$(ls -A bad 2>/dev/null)" ]; then ok "nothing written on errors"; else fail "files left" "$(ls -a bad)"; fi
run "$dv" render -d d.db --lang fr
expect_rc "unknown language" 2
expect_in "unknown language said in Dutch" "$err" "--lang is nl of en, niet 'fr'"
run "$dv" render -d d.db -o bad --lang en --buurt BU00000000
expect_in "unknown buurt in English with --lang en" "$err" "buurt 'BU00000000' is not one of the survey's buurten"

# --- issue 17 -----------------------------------------------------------
# The same household twice, or two spellings of its code: one form.
lower=$(tr 'A-Z' 'a-z' <<<"$code" | tr -d -)
run "$dv" render -d d.db -o twice --household "$code" --household "$lower"
expect_rc "the same household twice" 0
expect_in "the same household twice is one form" "$out" "(1 formulier,"
# A reprint never replaces the buurt's file.
b1=$(cksum <forms/formulieren-BU08260101.pdf)
run "$dv" render -d d.db -o forms --household "$code"
expect_rc "reprint one household into the forms folder" 0
expect_file "the reprint has a name of its own" forms/formulieren-BU08260101-herdruk-1.pdf
expect_file "the reprint has its layout file" forms/formulieren-BU08260101-herdruk-1.layout.json
[ "$(cksum <forms/formulieren-BU08260101.pdf)" = "$b1" ] && ok "the buurt's file stays" ||
	fail "the buurt's file was replaced"
run "$dv" render -d d.db -o forms --household "$code"
expect_file "a second reprint takes the next name" forms/formulieren-BU08260101-herdruk-2.pdf
# --base-url is checked like base_url.
run "$dv" render -d d.db -o bad --base-url "https://example.nl/?x=1"
expect_rc "a '?' in --base-url" 1
expect_in "a '?' in --base-url says so" "$err" "mag geen '?' of '#' bevatten"
run "$dv" render -d d.db -o bad --base-url "https://example.nl/#a"
expect_rc "a '#' in --base-url" 1
# A full disk (a small tmpfs when we may mount one, else a file size
# limit): a message, no crash, no temporary file, and the layout file of
# a failed PDF is not left saying another layout than the PDF.
mkdir -p full
if mount -t tmpfs -o size=300k tmpfs full 2>/dev/null; then
	for j in 1 2; do
		run "$dv" render -d d.db -o full -j $j --buurt BU08260100
		expect_rc "a full disk (-j $j) fails cleanly" 1
		expect_in "a full disk (-j $j) says so, and what to do" "$err" "niet schrijven: de schijf is vol. Maak ruimte vrij"
		no_temp_files "a full disk (-j $j) leaves no temporary file" full
		# The addresses' file failed; the small numbered one may fit.
		[ ! -e full/formulieren-BU08260100.layout.json ] &&
			[ ! -e full/formulieren-BU08260100.pdf ] &&
			ok "a full disk (-j $j) leaves no layout file without its PDF" ||
			fail "a full disk (-j $j) left files" "$(ls -a full)"
		rm -f full/*
	done
	umount full
else
	run bash -c "ulimit -f 300; exec \"\$0\" render -d d.db -o full -j 1 --buurt BU08260100" "$dv"
	expect_rc "a file size limit fails cleanly" 1
	no_temp_files "a file size limit leaves no temporary file" full
	[ ! -e full/formulieren-BU08260100.layout.json ] &&
		ok "a file size limit leaves no layout file without its PDF" ||
		fail "a file size limit left files" "$(ls -a full)"
fi
run bash -c "ulimit -f 300; exec \"\$0\" render -d d.db -o limited -j 2 --buurt BU08260100" "$dv"
expect_rc "a file size limit (-j 2) fails cleanly" 1
expect_in "a file size limit (-j 2) says why" "$err" "het bestand wordt groter dan hier mag"
no_temp_files "a file size limit (-j 2) leaves no temporary file" limited

"$dv" init -d p.db "$S2/survey.yaml" >/dev/null
"$dv" households import -d p.db "$S2/addresses.csv" >/dev/null
run "$dv" render -d p.db -o p
expect_rc "no base URL anywhere" 1
expect_in "no base URL says --base-url" "$err" "geef --base-url https://... mee"
run "$dv" render -d p.db -o p --base-url https://parkeren.bewonersplatformoosterheide.nl --lang en
expect_rc "English where the survey has none" 1
run "$dv" render -d p.db -o p --base-url https://parkeren.bewonersplatformoosterheide.nl
expect_rc "Oosterheide with --base-url" 0
# Issue 17: the form for older residents, and how to print it.
if command -v pdftotext >/dev/null; then
	pcode=$("$dv" households list -d p.db --buurt BU08260510 | head -1 | awk '{ print $2 }')
	run "$dv" render -d p.db -o p3 --base-url https://parkeren.bewonersplatformoosterheide.nl --household "$pcode"
	pp=$(pdfinfo p3/formulieren-BU08260510-herdruk-1.pdf | awk '/^Pages:/ { print $2 }')
	if [ $((pp % 2)) -eq 1 ]; then
		expect_in "render says to print single-sided ($pp pages)" "$out" "Print enkelzijdig"
	else
		grep -q "Print enkelzijdig" <<<"$out" && fail "no print note for $pp pages" "$out" || ok "no print note for $pp pages"
	fi
	# A three-page form (Dorst) gets the note.
	run "$dv" render -d d.db -o odd --household "$code"
	dp=$(pdfinfo odd/formulieren-BU08260101-herdruk-1.pdf | awk '/^Pages:/ { print $2 }')
	if [ $((dp % 2)) -eq 1 ]; then expect_in "an odd form says to print single-sided" "$out" "Print enkelzijdig"; fi
	pdftotext -raw p3/formulieren-BU08260510-herdruk-1.pdf p3/t.txt
	t=$(tr '\n' ' ' <p3/t.txt)
	expect_in "the buurt with its article" "$t" "in de Schrijversbuurt"
	expect_in "where to hand it in" "$t" "Inleveren bij: de inleverbus in de hal van wijkcentrum De Heide"
	expect_in "the agreement whole: how the buurten decide" "$t" "Elke buurt beslist voor zich."
	expect_in "the agreement whole: with whom and when" "$t" "op 22 juni 2027."
	n=$(grep -o "Kruis één vakje aan" p3/t.txt | wc -l)
	[ "$n" -eq 4 ] && ok "'Kruis één vakje aan.' once per question" || fail "'Kruis één vakje aan.' $n times, wanted 4" "$t"
	# Text residents read is 11 pt or more: pdftotext gives a word box
	# 1.12 times its size high (10.5 pt: 11.7; 11 pt: 12.3).
	small=$(pdftotext -bbox p3/formulieren-BU08260510-herdruk-1.pdf - |
		python3 -c 'import re,sys
words=re.findall(r"yMin=\"([\d.]+)\" xMax=\"[\d.]+\" yMax=\"([\d.]+)\">([^<]*)<", sys.stdin.read())
print(sum(1 for a,b,w in words if w in ("Beste","Kruis","Voor","Tegen","Neutraal","Inleveren") and float(b)-float(a) < 12.2))')
	[ "$small" -eq 0 ] && ok "resident text is at least 11 pt" || fail "$small words below 11 pt"
	# No box on a fold of a letter folded in three (99 and 198 mm).
	onfold=$(python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
print(sum(1 for p in d["pages"] for b in p["boxes"] for f in (99,198) if b["y"] < f+3 and b["y"]+b["h"] > f-3))' \
		p3/formulieren-BU08260510-herdruk-1.layout.json)
	[ "$onfold" -eq 0 ] && ok "no box on a fold" || fail "$onfold boxes on a fold"
fi
run "$dv" render -d p.db -o p2 --base-url https://example.nl/Parkeren --poster
expect_rc "byte-mode base URL works" 0
expect_in "byte mode is reported" "$err" "draagvlak: Let op: het adres heeft kleine letters"

# --- issue 17: --duplex -------------------------------------------------
# Dorst's form has 3 pages: printed double-sided, the next household's
# page 1 would land on the back of page 3.  With --duplex every set gets
# a blank back page, the print instruction says so, and the reader skips
# the blank pages without refusing them or asking for review.
run "$dv" render -d d.db -o odd3 --household "$code"
expect_in "an odd form without --duplex says single-sided" "$out" "Afdrukken: enkelzijdig, 3 pagina's per huishouden"
expect_in "and how to print double-sided" "$out" "maak de formulieren dan met --duplex"
cp d.db dx.db
run "$dv" render -d dx.db -o dx --anonymous --duplex
expect_rc "render --duplex" 0
expect_in "--duplex says how to print" "$out" "Afdrukken: dubbelzijdig, 4 pagina's per huishouden"
expect_in "--duplex: the print instruction as a file" "$(cat dx/afdrukken.txt 2>/dev/null)" "Afdrukken: dubbelzijdig, 4 pagina's"
grep -q "Print enkelzijdig" <<<"$out" && fail "--duplex does not say single-sided" "$out" || ok "--duplex does not say single-sided"
if command -v pdftoppm >/dev/null && command -v pdfinfo >/dev/null; then
	f=dx/formulieren-BU08260100-zonder-adres.pdf
	np=$(pdfinfo "$f" | awk '/^Pages:/ { print $2 }')
	[ "$np" = 20 ] && ok "--duplex: 5 sets of 4 pages" || fail "--duplex: $np pages, wanted 20"
	pdftoppm -r 150 -png "$f" dx/p
	if command -v pdftotext >/dev/null; then
		t=$(pdftotext -f 4 -l 4 "$f" - | tr -s ' \n' ' ')
		expect_in "the blank back page says it is blank" "$t" "Deze pagina is leeg."
	fi
	run "$dv" scan -d dx.db dx/p-*.png
	expect_rc "scanning the --duplex forms" 0
	expect_in "every form page is read" "$out" "pages read:          15 "
	expect_in "the blank back pages are skipped" "$out" "blank back pages:    5 "
	expect_in "no page is refused" "$out" "pages refused:       0"
	expect_in "nothing to review" "$out" "0 waiting for review"
	expect_in "every form is complete" "$out" "forms in the store:  5 complete"
fi
# A form of an even number of pages gets no blank page.
pc=$("$dv" households list -d p.db | head -1 | awk '{ print $2 }')
run "$dv" render -d p.db -o pdx --base-url https://parkeren.bewonersplatformoosterheide.nl --household "$pc" --duplex
expect_rc "render --duplex (Oosterheide)" 0
pp=$(sed -n "s/.*dubbelzijdig, \([0-9]*\) pagina's.*/\1/p" pdx/afdrukken.txt 2>/dev/null)
[ -n "$pp" ] && [ $((pp % 2)) -eq 0 ] && ok "--duplex: an even set for Oosterheide ($pp)" || fail "--duplex: set of '$pp' pages" "$out"

test_summary
