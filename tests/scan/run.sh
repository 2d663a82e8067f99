#!/usr/bin/env bash
# run.sh - the accuracy of reading scanned forms, on small sets written
# by tests/scangen/scangen from a store of the Dorst sample: fails on any
# silent error (a box read wrongly whose question was not sent to
# review), a good page refused or a foreign page read.  Three sets:
#   - the usual mix of residents, every file format, 150 to 300 dpi;
#   - residents who make a hard case in half their questions: boxes
#     circled, ticked beside, crossed out (zigzag, hatched, struck
#     through), corrections with and without another box ticked;
#   - phone photos: 12 MP JPEGs in perspective, in uneven light.
#
# usage: run.sh DRAAGVLAK SAMPLES_DIR SCANGEN ACCURACY [FORMS]
set -eu
dv=$1 samples=$2 scangen=$3 accuracy=$4 forms=${5:-12}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$dv" init -d "$tmp/d.db" "$samples/dorst-speelveld/survey.yaml" >/dev/null
"$dv" households import -d "$tmp/d.db" "$samples/dorst-speelveld/addresses.csv" >/dev/null

echo "== the usual mix"
"$scangen" --db "$tmp/d.db" --out "$tmp/set" --forms "$forms" --seed 2027 \
	--dpi 150,200,300 --formats png,jpg,tif,pdf >/dev/null
"$accuracy" --db "$tmp/d.db" "$tmp/set"

echo "== hard cases"
"$scangen" --db "$tmp/d.db" --out "$tmp/hard" --forms 10 --seed 2028 \
	--hard 0.5 --dpi 150,200,300 --formats png,jpg,tif >/dev/null
for mark in circle outside zigzag struck crossed_out cancelled; do
	if ! grep -q ",$mark,review" "$tmp/hard/truth.csv"; then
		echo "FAIL: the hard set has no $mark box" >&2
		exit 1
	fi
done
"$accuracy" --db "$tmp/d.db" "$tmp/hard"

echo "== phone photos"
"$scangen" --db "$tmp/d.db" --out "$tmp/photo" --forms 2 --seed 2029 \
	--hard 0.3 --formats photo >/dev/null
"$accuracy" --db "$tmp/d.db" "$tmp/photo"
