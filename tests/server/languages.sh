#!/bin/bash
# languages.sh - a language is one file: with the test catalogue
# tests/messages/fy.msg loaded (DRAAGVLAK_MESSAGES), a survey may list
# Frisian, its pages link to it by its own name, and the texts the file
# gives are shown in Frisian (the rest in Dutch); without the file the
# language is unknown and `check` says so.
#
#   languages.sh DRAAGVLAK SAMPLES MESSAGES
. "$(dirname "$0")/../lib.sh" "$1" "$2"
messages=$(realpath "$3")
db=$work/fy.db
pw=frysk-wachtwurd-7
sed 's/^languages:.*/languages: [nl, en, fy]/' "$S1/survey.yaml" >fy.yaml

mkdir none
DRAAGVLAK_MESSAGES=none run "$dv" check fy.yaml
expect_rc "without its catalogue Frisian is unknown" 1
expect_in "... and check says which language" "$out$err" "de taal 'fy'"

export DRAAGVLAK_MESSAGES=$messages
run "$dv" check fy.yaml
expect_rc "with fy.msg loaded the survey may list Frisian" 0
"$dv" init -d "$db" fy.yaml >/dev/null
printf '%s\n' "$pw" | "$dv" user add -d "$db" anna --role volunteer >/dev/null
"$dv" serve -d "$db" --port 0 --port-file port --today 2027-04-20 \
	2>serve.log &
pid=$!
for _ in $(seq 100); do [ -s port ] && break; sleep 0.05; done
url=http://127.0.0.1:$(cat port)

front=$(curl -s "$url/")
expect_in "the front page links to Frisian by its own name" "$front" \
	'hreflang="fy">Frysk</a>'
page=$(curl -s "$url/bestaat-niet?lang=fy")
expect_in "a page in Frisian says so to browsers" "$page" '<html lang="fy">'
expect_in "the texts fy.msg gives are in Frisian" "$page" "Net fûn"
expect_in "the others are in Dutch" "$page" "Dorpsplatform Dorst"
curl -s -b jar -c jar -o /dev/null -d "name=anna&password=$pw&lang=fy" \
	"$url/login"
bar=$(curl -s -b jar -c jar "$url/invoer")
expect_in "a volunteer who chose Frisian keeps it" "$bar" "Ofmelde"
page=$(curl -s "$url/bestaat-niet?lang=xx")
expect_in "an unknown language is Dutch" "$page" '<html lang="nl">'
kill -TERM $pid
wait $pid
test_summary
