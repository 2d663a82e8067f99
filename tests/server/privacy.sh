#!/bin/bash
# privacy.sh - the privacy statement (issue 15): `draagvlak privacy` from
# a definition and from a store, as text and as HTML, and the public page
# /privacy of the real server, linked from every page's footer.  The
# definition names a retention date and brings hostile text (markup in
# the organisation and the contact), which must come out escaped.
#
#   privacy.sh DRAAGVLAK SAMPLES
. "$(dirname "$0")/../lib.sh" "$1" "$2"
expect_not_in() { # NAME HAYSTACK NEEDLE
	if grep -qF -- "$3" <<<"$2"; then fail "$1: has '$3'" "$2"; else ok "$1"; fi
}

sed -e 's/^organisation:.*/organisation: "Dorst <script>alert(1)<\/script> \& Co"/' \
	-e 's/^  nl: "Vragen? Mail.*/  nl: "Mail <b onmouseover=x>privacy@dorst.example<\/b>"/' \
	-e 's/^  en: "Questions? Email.*/  en: "Mail <b onmouseover=x>privacy@dorst.example<\/b>"/' \
	-e 's/^closes: .*/&\nretention: 2028-07-01/' \
	"$S1/survey.yaml" >survey.yaml
run "$dv" check -q survey.yaml
expect_rc "the hostile definition is valid" 0

run "$dv" privacy survey.yaml
expect_rc "privacy from a definition" 0
expect_in "... a privacy statement" "$out" "Privacyverklaring"
expect_in "... the retention date in words" "$out" "Tot en met 1 juli 2028."
expect_in "... what archive destroys then" "$out" "vernietigen we de adressen, de codes"
expect_in "... the contact as written" "$out" "Mail <b onmouseover=x>privacy@dorst.example</b>"
expect_in "... the purpose: the survey's title" "$out" "Een nieuw speelveld aan de Schoolstraat"
expect_in "... the right to complain" "$out" "Autoriteit Persoonsgegevens"
expect_in "... access, correction, erasure" "$out" "(inzage)"
expect_in "... the board sees no addresses" "$out" "geen adressen en geen codes"

run "$dv" privacy --lang en --format html survey.yaml
expect_rc "privacy as HTML in English" 0
expect_in "... a page in English" "$out" '<html lang="en">'
expect_in "... the date in English words" "$out" "Until 1 July 2028."
expect_in "... the contact escaped" "$out" "Mail &lt;b onmouseover=x&gt;privacy@dorst.example&lt;/b&gt;"
expect_in "... the organisation escaped" "$out" "Dorst &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"
expect_not_in "... no markup from the definition" "$out" "<script>"
expect_not_in "... none at all" "$out" "<b onmouseover"

run "$dv" privacy --format pdf survey.yaml
expect_rc "an unknown format is a usage error" 2
run "$dv" privacy -d x.db survey.yaml
expect_rc "a store and a definition both: a usage error" 2
run "$dv" privacy -d nothing-here.db
expect_rc "a store that is not there" 1

"$dv" init -d p.db survey.yaml >/dev/null
run "$dv" privacy -d p.db -o verklaring.txt
expect_rc "privacy from the store into a file" 0
expect_in "... the same statement" "$(cat verklaring.txt)" "Tot en met 1 juli 2028."

"$dv" serve -d p.db --port 0 --port-file port --today 2027-04-20 \
	2>serve.log &
pid=$!
for _ in $(seq 100); do [ -s port ] && break; sleep 0.05; done
url=http://127.0.0.1:$(cat port)

front=$(curl -s "$url/")
expect_in "the front page links to the statement" "$front" '<a href="/privacy">Privacyverklaring</a>'
expect_not_in "... not to results it does not publish" "$front" '/uitslag'
code=$(curl -s -o page.html -w '%{http_code}' "$url/privacy")
page=$(cat page.html)
expect_in "/privacy without a log-in: 200" "$code" 200
expect_in "... the retention date in words" "$page" "Tot en met 1 juli 2028."
expect_in "... the contact, escaped" "$page" "Mail &lt;b onmouseover=x&gt;privacy@dorst.example&lt;/b&gt;"
expect_in "... the organisation, escaped" "$page" "Dorst &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"
expect_not_in "... no markup from the definition" "$page" "<script>"
expect_not_in "... none at all" "$page" "<b onmouseover"
expect_in "... rights as a list" "$page" "<li>vragen welke gegevens we van u bewaren (inzage);</li>"
page=$(curl -s "$url/privacy?lang=en")
expect_in "/privacy in English" "$page" "Until 1 July 2028."
expect_in "... links back in English" "$page" '<a href="/privacy?lang=en">Privacy statement</a>'
page=$(curl -s "$url/bestaat-niet")
expect_in "an error page links to it too" "$page" '<a href="/privacy">Privacyverklaring</a>'
code=$(curl -s -o /dev/null -w '%{http_code}' -d x=1 "$url/privacy")
expect_in "POST /privacy: 405" "$code" 405
# The public results page: this survey does not have one.
code=$(curl -s -o page.html -w '%{http_code}' "$url/uitslag")
expect_in "/uitslag without public_results: 404" "$code" 404
expect_in "... and says why" "$(cat page.html)" "zet de uitslag niet op deze website"
kill -TERM $pid
wait $pid

# public_results: true, a wrong value first: check says so in Dutch.
sed 's/^double_entry: .*/&\npublic_results: misschien/' survey.yaml >bad.yaml
run "$dv" check --lang nl bad.yaml
expect_rc "public_results must be true or false" 1
expect_in "... in Dutch" "$err" "'public_results' is true (ja) of false (nee), niet 'misschien'"
sed 's/^double_entry: .*/&\npublic_results: true/' survey.yaml >public.yaml
run "$dv" check -q public.yaml
expect_rc "public_results: true is valid" 0
"$dv" init -d r.db public.yaml >/dev/null
"$dv" households import -d r.db "$S1/addresses.csv" >/dev/null
"$dv" simulate -d r.db --seed 7 >/dev/null
"$dv" households list -d r.db --format csv >households.csv
"$dv" serve -d r.db --port 0 --port-file port2 --today 2027-04-20 \
	2>serve2.log &
pid=$!
for _ in $(seq 100); do [ -s port2 ] && break; sleep 0.05; done
url=http://127.0.0.1:$(cat port2)
expect_in "the front page links to the results" "$(curl -s "$url/")" '<a href="/uitslag">'
code=$(curl -s -o page.html -w '%{http_code}' "$url/uitslag")
expect_in "/uitslag before closing: 404" "$code" 404
expect_in "... says when it comes" "$(cat page.html)" "zodra de peiling is gesloten"
expect_in "... and until when one can answer" "$(cat page.html)" "tot en met 2 mei 2027"
"$dv" close -d r.db >/dev/null
for _ in $(seq 100); do
	code=$(curl -s -o page.html -w '%{http_code}' "$url/uitslag")
	[ "$code" = 200 ] && break
	sleep 0.1
done
page=$(cat page.html)
expect_in "/uitslag after closing: 200, no log-in" "$code" 200
expect_in "... a verdict per buurt" "$page" '<th scope="row">Dorst-Centrum</th>'
expect_in "... in the report's words" "$page" 'class="verdict'
expect_in "... the decision sentence" "$page" "draagvlak voor deze stelling"
expect_in "... the agreement as agreed" "$page" "Afgesproken met Buurtvereniging Dorst-Centrum"
expect_in "... when it closed" "$page" "De peiling is gesloten op"
expect_not_in "... not still open" "$page" "nog niet beslist"
leaks=0
while IFS=, read -r _ hcode _ street _; do
	[ "$hcode" = code ] && continue
	if grep -qF -- "$hcode" page.html; then leaks=$((leaks + 1)); fi
	# A street the survey itself names (its title) may be on the page.
	if [ -n "$street" ] && ! grep -qF -- "$street" public.yaml &&
		grep -qF -- "$street" page.html; then
		leaks=$((leaks + 1))
	fi
done <households.csv
expect_in "... no code and no street name of the 449 households" "x$leaks" x0
page=$(curl -s "$url/uitslag?lang=en")
expect_in "/uitslag in English" "$page" "The survey closed on"
kill -TERM $pid
wait $pid
test_summary
