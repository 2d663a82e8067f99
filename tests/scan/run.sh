#!/usr/bin/env bash
# run.sh - the accuracy of reading scanned forms, on a small set written
# by tests/scangen/scangen from a store of the Dorst sample: fails on any
# silent error (a box read wrongly whose question was not sent to
# review), a good page refused or a foreign page read.
#
# usage: run.sh DRAAGVLAK SAMPLES_DIR SCANGEN ACCURACY [FORMS]
set -eu
dv=$1 samples=$2 scangen=$3 accuracy=$4 forms=${5:-12}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$dv" init -d "$tmp/d.db" "$samples/dorst-speelveld/survey.yaml" >/dev/null
"$dv" households import -d "$tmp/d.db" "$samples/dorst-speelveld/addresses.csv" >/dev/null
"$scangen" --db "$tmp/d.db" --out "$tmp/set" --forms "$forms" --seed 2027 \
	--dpi 150,200,300 --formats png,jpg,tif,pdf >/dev/null
"$accuracy" --db "$tmp/d.db" "$tmp/set"
