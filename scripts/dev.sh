#!/usr/bin/env bash
# dev.sh - set up a Debian machine for draagvlak, build it, and run the
# demo or the tests.  The README's two commands are
#
#   scripts/dev.sh demo    install what is missing, build, run the demo
#   scripts/dev.sh test    install what is missing, build, run every test
#
# Everything the project needs from the system is listed in
# scripts/packages.txt and installed here with apt-get.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"

say() { printf '\n== %s\n' "$*"; }

install_packages() {
	local missing=() pkg
	while read -r pkg; do
		pkg=${pkg%%#*}
		pkg=${pkg//[[:space:]]/}
		[ -n "$pkg" ] || continue
		if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
			grep -q "install ok installed"; then
			missing+=("$pkg")
		fi
	done <scripts/packages.txt
	[ ${#missing[@]} -eq 0 ] && return 0
	say "installing ${missing[*]}"
	local sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# build DIR [CMAKE ARGS...]: later arguments override the build type.
# Warnings are errors here (DRAAGVLAK_WERROR), off by default elsewhere.
build() {
	local dir=$1
	shift
	cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DDRAAGVLAK_WERROR=ON "$@" >/dev/null
	cmake --build "$dir" -j"$(nproc)"
}

# ctest_in DIR [CTEST ARGS...]
ctest_in() {
	local dir=$1
	shift
	(cd "$dir" && ctest -j"$(nproc)" --output-on-failure "$@")
}

# host_walk DV HOST PASSWORD: serve the host's folder for a moment and
# show, as a browser would see it, that a code finds its own survey and
# that each board sees only its own platform's.
host_walk() {
	local dv=$1 host=$2 pw=$3 port jar=$2/jar base code db who
	rm -f "$host/port"
	$dv serve --data "$host" --port 0 --port-file "$host/port" \
		--today 2027-04-20 2>"$host/serve.log" &
	local pid=$!
	for _ in $(seq 100); do [ -s "$host/port" ] && break; sleep 0.1; done
	port=$(cat "$host/port")
	base=http://127.0.0.1:$port
	say "draagvlak serve --data $host   (on $base for a moment)"
	for db in "$host"/dorst-speelveld-2027.db "$host"/oosterheide-parkeren-2027.db; do
		code=$($dv households list --db "$db" | awk 'NR == 1 { gsub("-", "", $2); print $2 }')
		printf '  a code of %s opens: ' "$(basename "$db" .db)"
		curl -s "$base/f/$code" | sed -n 's:.*<title>\(.*\)</title>.*:\1:p'
	done
	for who in bestuur-dorst bestuur-oosterheide; do
		rm -f "$jar"
		curl -s -c "$jar" -b "$jar" -H "Origin: $base" \
			--data-urlencode "name=$who" --data-urlencode "password=$pw" \
			"$base/login" >/dev/null
		printf '  %s sees on /werkruimte: ' "$who"
		curl -s -c "$jar" -b "$jar" "$base/werkruimte" |
			sed -n 's:.*<h2>\(.*\)</h2>.*:\1:p' |
			grep -vx 'Nieuwe vragenlijst' | paste -sd '|' -
	done
	rm -f "$jar"
	kill -TERM "$pid"
	wait "$pid" || true
}

demo() {
	local d=build/demo db=build/demo/dorst.db sample=samples/dorst-speelveld
	local dv=build/cmd/draagvlak
	rm -rf "$d"
	mkdir -p "$d"
	say "draagvlak check $sample/survey.yaml"
	$dv check "$sample/survey.yaml"
	say "draagvlak init --db $db $sample/survey.yaml"
	$dv init --db "$db" "$sample/survey.yaml"
	say "draagvlak households import --db $db $sample/addresses.csv"
	$dv households import --db "$db" "$sample/addresses.csv"
	say "draagvlak households add --db $db --buurt BU08260100 --count 25   (forms for the community evening)"
	$dv households add --db "$db" --buurt BU08260100 --count 25
	say "draagvlak households summary --db $db"
	$dv households summary --db "$db"
	$dv households list --db "$db" >"$d/households.txt"
	say "draagvlak households list --db $db   (first 12 of $(wc -l <"$d/households.txt"); all in $d/households.txt)"
	head -n 12 "$d/households.txt"
	say "draagvlak render --db $db -o $d/forms   (printable forms, layout files, posters)"
	$dv render --db "$db" -o "$d/forms"
	ls "$d/forms"
	say "draagvlak simulate --db $db   (made-up answers, clearly labelled, so there is something to analyse)"
	$dv simulate --db "$db" --seed 2027
	say "tests/scangen --db $db --out $d/scans   (paper forms from the evening, ticked and scanned: made up by the test generator)"
	build/tests/scangen/scangen --db "$db" --out "$d/scans" --forms 12 \
		--dpi 200,300 --formats pdf,png --seed 2027
	say "draagvlak scan --db $db $d/scans/scan-*   (clear answers count; doubtful ones wait for a volunteer)"
	$dv scan --db "$db" "$d"/scans/scan-*
	say "draagvlak analyse --db $db --date 2027-04-20   (as if it were halfway through the survey)"
	$dv analyse --db "$db" --date 2027-04-20
	say "draagvlak analyse --db $db --date 2027-04-20 --pdf $d/uitslag.pdf   (the report for the council)"
	$dv analyse --db "$db" --date 2027-04-20 --pdf "$d/uitslag.pdf"
	local pw=dorst-demo-2027
	printf '%s\n' "$pw" | $dv user add --db "$db" vrijwilliger --role volunteer >/dev/null
	printf '%s\n' "$pw" | $dv user add --db "$db" bestuur --role board >/dev/null
	say "draagvlak evening copy --db $db --out $d/laptop.db --name Buurthuis   (a laptop for the community evening: no answers, no postcodes, no board accounts)"
	$dv evening copy --db "$db" --out "$d/laptop.db" --name Buurthuis
	say "on the laptop: $dv serve --db $d/laptop.db   (offline: /balie check-in desk, /invoer, /scan); here its scanner reads 4 forms"
	build/tests/scangen/scangen --db "$d/laptop.db" --out "$d/evening" \
		--forms 4 --dpi 300 --formats png --seed 7 >/dev/null
	$dv scan --db "$d/laptop.db" "$d"/evening/scan-* | tail -n 3
	say "draagvlak evening merge --db $db $d/laptop.db   (home again: households that answered already go to the board's Verschillen)"
	$dv evening merge --db "$db" "$d/laptop.db"
	say "draagvlak evening merge --db $db $d/laptop.db   (again: nothing changes)"
	$dv evening merge --db "$db" "$d/laptop.db"
	# The survey's life to its end, on a copy, so the store above stays
	# open for the web form below.
	local life=$d/afloop.db
	sqlite3 "$db" ".backup $life"
	sed '/^closes:/a retention: 2027-11-30' "$sample/survey.yaml" >"$d/survey-retention.yaml"
	$dv init --db "$life" "$d/survey-retention.yaml" >/dev/null
	say "draagvlak remind --db $life -o $d/herinnering   (a second letter with a fresh form for who has not answered)"
	$dv remind --db "$life" -o "$d/herinnering" | tail -n 1
	say "draagvlak replace-code --db $life --postcode '4849 AB' --number 1 -o $d/vervangen   (a lost letter: the old code stops working)"
	$dv replace-code --db "$life" --postcode '4849 AB' --number 1 -o "$d/vervangen"
	say "draagvlak close --db $life --by bestuur   (nothing changes the count any more)"
	$dv close --db "$life" --by bestuur
	say "draagvlak record --db $life --pdf $d/proces-verbaal.pdf   (the count record to sign)"
	$dv record --db "$life" --pdf "$d/proces-verbaal.pdf"
	say "draagvlak publish --db $life -o $d/publicatie   (for the website and the council)"
	$dv publish --db "$life" -o "$d/publicatie"
	say "draagvlak verify --db $life"
	$dv verify --db "$life"
	say "draagvlak archive --db $life --today 2027-12-01 -o $d/vernietigingsverklaring.txt   (after the retention date)"
	$dv archive --db "$life" --today 2027-12-01 -o "$d/vernietigingsverklaring.txt" | tail -n 1
	say "draagvlak verify --db $life   (still verifiable without addresses or codes)"
	$dv verify --db "$life" | tail -n 1
	# One server for many platforms: the survey above and a second
	# organisation's, each seen only by its own board.
	local host=$d/host oost=samples/oosterheide-parkeren
	say "draagvlak host init --data $host   (one server for the surveys of many platforms)"
	$dv host init --data "$host" | head -n 1
	$dv host org add --data "$host" dorst "Dorpsplatform Dorst"
	$dv host org add --data "$host" oosterheide "Bewonersorganisatie Oosterheide"
	say "draagvlak host survey add --data $host --org dorst --from $db   (the survey above, answers and all)"
	$dv host survey add --data "$host" --org dorst --from "$db"
	say "draagvlak host survey add --data $host --org oosterheide $oost/survey.yaml"
	$dv host survey add --data "$host" --org oosterheide "$oost/survey.yaml" | head -n 1
	$dv households import --db "$host/oosterheide-parkeren-2027.db" "$oost/addresses.csv"
	printf '%s\n' "$pw" | $dv user add --db "$host/host.db" --org dorst bestuur-dorst --role board
	printf '%s\n' "$pw" | $dv user add --db "$host/host.db" --org dorst vrijwilliger-dorst --role volunteer
	printf '%s\n' "$pw" | $dv user add --db "$host/host.db" --org oosterheide bestuur-oosterheide --role board
	printf '%s\n' "$pw" | $dv user add --db "$host/host.db" beheerder --role board
	say "draagvlak host list --data $host"
	$dv host list --data "$host"
	host_walk "$dv" "$host" "$pw"
	say "the web form: the server is started with"
	echo "  $dv serve --db $db --port 8080 --today 2027-04-20"
	echo "(--today pretends the survey is open; leave it out for a real survey). Then open:"
	echo "  http://127.0.0.1:8080/                       the survey's page: type a code from the list"
	awk 'NR % 150 == 1 { c = $2; gsub("-", "", c); print "  http://127.0.0.1:8080/f/" c "   a household of " $1 }' "$d/households.txt"
	echo "  http://127.0.0.1:8080/login                  volunteer 'vrijwilliger' or board 'bestuur', password '$pw'"
	echo "  http://127.0.0.1:8080/invoer                 (volunteer) type a paper form's code and enter its ticks"
	echo "  http://127.0.0.1:8080/scan                   (volunteer) scanned forms the computer is unsure of, with cut-outs"
	echo "  http://127.0.0.1:8080/balie                  (volunteer) the community evening's check-in desk"
	echo "  http://127.0.0.1:8080/bestuur                (board) the results per buurt, live, with charts and downloads"
	echo "or, for both platforms on one server:"
	echo "  $dv serve --data $host --port 8080 --today 2027-04-20"
	echo "  http://127.0.0.1:8080/login                  board 'bestuur-dorst' or 'bestuur-oosterheide', or the host's 'beheerder' (/beheer); password '$pw'"
	if [ -t 0 ] && [ -t 1 ]; then
		say "starting the server for both platforms; Ctrl-C stops it"
		exec $dv serve --data "$host" --port 8080 --today 2027-04-20
	fi
	say "done: the store is $db; try '$dv help'"
}

# The browser test's npm packages (playwright-core, no browser download),
# exactly as tests/browser/package-lock.json says; again only when it changed.
npm_deps() {
	local d=tests/browser
	cmp -s "$d/package-lock.json" "$d/node_modules/.draagvlak-lock" && return 0
	say "npm ci in $d"
	(cd "$d" && npm ci --no-audit --no-fund --loglevel=error)
	cp "$d/package-lock.json" "$d/node_modules/.draagvlak-lock"
}

# The libFuzzer harnesses (fuzz/), each for a fixed time from its seeds,
# when clang has libFuzzer (libclang-rt-14-dev).  New inputs go to a
# scratch folder, not into the repository's corpus.
fuzz() {
	local t=${DRAAGVLAK_FUZZ_SECONDS:-15} h work
	if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' |
		clang -x c -fsanitize=fuzzer -o /dev/null - 2>/dev/null; then
		say "fuzzing skipped: clang has no libFuzzer (libclang-rt-14-dev)"
		return 0
	fi
	say "fuzzing (build-fuzz/, ${t} s a harness)"
	CC=clang build build-fuzz -DDRAAGVLAK_FUZZ=ON
	for h in fuzz/corpus/*/; do
		h=$(basename "$h")
		work=$(mktemp -d)
		echo "fuzz_$h"
		# Every kept input first (seeds and past crashes), then new ones.
		build-fuzz/fuzz/fuzz_"$h" -runs=0 "fuzz/corpus/$h" 2>&1 | tail -1
		build-fuzz/fuzz/fuzz_"$h" -max_total_time="$t" -max_len=65536 \
			-rss_limit_mb=1024 -artifact_prefix="build-fuzz/crash-$h-" \
			"$work" "fuzz/corpus/$h" 2>&1 | tail -1
		rm -rf "$work"
	done
}

run_tests() {
	say "tests (build/)"
	(cd build && ctest --output-on-failure)
	say "tests under AddressSanitizer and UndefinedBehaviorSanitizer (build-asan/)"
	build build-asan -DDRAAGVLAK_SANITIZE=ON
	(cd build-asan && ctest --output-on-failure)
	# The other ways people build it; the browser test (load-sensitive,
	# slow) already ran twice above.
	say "gcc Release (build-release/)"
	build build-release -DCMAKE_BUILD_TYPE=Release
	ctest_in build-release -E browser
	say "gcc with Debian's dpkg-buildflags (build-debflags/)"
	(
		eval "$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --export=sh)"
		# debhelper passes CPPFLAGS (-D_FORTIFY_SOURCE=2) inside CFLAGS too.
		export CFLAGS="$CFLAGS $CPPFLAGS" LDFLAGS
		build build-debflags -DCMAKE_BUILD_TYPE=None
	)
	ctest_in build-debflags -E browser
	say "clang (build-clang/)"
	CC=clang build build-clang
	ctest_in build-clang -E browser
	fuzz
	say "formatting (clang-format)"
	git ls-files '*.c' '*.h' | xargs clang-format --dry-run --Werror
	echo "formatting ok"
}

case "${1:-}" in
demo)
	install_packages
	build build
	demo
	;;
test)
	install_packages
	build build
	npm_deps
	run_tests
	;;
*)
	echo "usage: scripts/dev.sh demo|test" >&2
	exit 2
	;;
esac
