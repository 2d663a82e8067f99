#!/usr/bin/env bash
# usage.sh - the README's "Using it" commands work as written, with the
# installed draagvlak, so the README cannot drift from the program.
#
# Usage: usage.sh PREFIX BUILD_DIR README
#	PREFIX holds the installed command (PREFIX/bin/draagvlak) and the
#	examples (PREFIX/share/draagvlak/examples); tests/install.sh calls
#	this after `cmake --install`.  BUILD_DIR gives tests/scangen, which
#	fills in and "scans" forms for the scan line.
#
# The commands are read from the README itself: the first ```sh block
# after "## Using it", one command a line, a comment after two spaces and
# '#'.  Each line runs in order, in one folder, on the store the README
# names (./draagvlak.db) made from the installed Dorst example (then the
# block under "One server for many platforms", with a scratch folder for
# its /var/lib/draagvlak/host), as:
#   - the line without its optional [...] parts;
#   - the line with all of them, and once more for each further choice
#     of an a|b|c (so every option the README shows runs once);
# with the README's placeholders (ID, N, PCT, YYYY-MM-DD, FILE) given
# the values below.  A placeholder this script does not know fails, so a
# new README line needs a value here, not a change of the line.
# Every command must exit 0, and its `--help` too.  Where the README
# promises more, that is checked: `serve` answers on its port and stops
# cleanly, `evening merge` twice changes nothing, and `simulate` refuses
# a store with real responses (it has some by then: the scans) and works
# on a new one.
set -uo pipefail
prefix=$(realpath "$1")
build=$(realpath "$2")
readme=$(realpath "$3")
work=$(mktemp -d)
srv=
trap '[ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$work"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL: $1"; [ -n "${2:-}" ] && sed 's/^/    /' <<<"$2" | head -20; }

export PATH=$prefix/bin:$PATH
[ "$(command -v draagvlak)" = "$prefix/bin/draagvlak" ] ||
	{ echo "FAIL: no draagvlak in $prefix/bin"; exit 1; }
examples=$prefix/share/draagvlak/examples/dorst-speelveld
cp "$examples/survey.yaml" "$examples/addresses.csv" "$work/"
cd "$work" || exit 1

# The README's values for its placeholders, by the option before them.
declare -A value=(
	["--buurt ID"]="--buurt BU08260100"
	["--question ID"]="--question speelveld"
	["--seed N"]="--seed 7"
	["--rate PCT"]="--rate 45"
	["--date YYYY-MM-DD"]="--date 2027-04-20"
	["-o FILE"]="-o export.out"
)

# The first ```sh block under the README's heading $1.
block() {
	awk -v h="## $1" '$0 == h {u = 1; next}
		u && /^```sh/ {b = 1; next}
		b && /^```/ {exit}
		b' "$readme"
}
lines=$(block "Using it")
n=$(grep -c '^draagvlak ' <<<"$lines")
if [ "$n" -ge 10 ]; then
	ok "README: $n commands under 'Using it'"
else
	fail "README: no usage block found under '## Using it' ($n commands)"
fi
# The host's block names the folder a package would use; here a scratch
# one stands in for it.
host_lines=$(block "One server for many platforms" |
	sed "s|/var/lib/draagvlak/host|$work/host|g")
n=$(grep -c '^draagvlak ' <<<"$host_lines")
if [ "$n" -ge 3 ]; then
	ok "README: $n commands under 'One server for many platforms'"
else
	fail "README: no block under '## One server for many platforms' ($n commands)"
fi

# The variants of one README line (see the top), one a line.
variants() {
	local rest=$1 lits=() groups=() max=1 j g out alts pre k
	while [[ $rest =~ ^([^[]*)\[([^]]*)\](.*)$ ]]; do
		lits+=("${BASH_REMATCH[1]}")
		groups+=("${BASH_REMATCH[2]}")
		rest=${BASH_REMATCH[3]}
	done
	for g in "${groups[@]}"; do
		k=$(awk -F'|' '{print NF}' <<<"${g##* }")
		[ "$k" -gt "$max" ] && max=$k
	done
	out=$(printf '%s' "${lits[@]}")$rest
	echo "$out" | tr -s ' ' | sed 's/ $//'
	[ ${#groups[@]} -eq 0 ] && return
	for ((j = 1; j <= max; j++)); do
		out=
		for ((i = 0; i < ${#groups[@]}; i++)); do
			g=${groups[i]}
			pre=
			[[ $g == *" "* ]] && pre="${g% *} "
			IFS='|' read -ra alts <<<"${g##* }"
			k=$((j <= ${#alts[@]} ? j : ${#alts[@]}))
			out+="${lits[i]}$pre${alts[k - 1]}"
		done
		echo "$out$rest" | tr -s ' ' | sed 's/ $//'
	done
}

# A README line with the placeholders filled in; false when one is left.
fill() {
	local v=$1 key
	for key in "${!value[@]}"; do
		v=${v//"$key"/"${value[$key]}"}
	done
	echo "$v"
	[[ ! " $v " =~ \ [A-Z][A-Z-]*\  ]]
}

free_port() {
	local p
	for p in 8080 $(seq 18080 18180); do
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
	done
}

# serve: it must answer GET / on its port, then stop on SIGTERM with 0.
run_serve() {
	local cmd=$1 port reply
	port=$(free_port)
	# 8080 as written (or by default), unless another program on this
	# machine has it.
	if [ "$port" != 8080 ]; then
		case "$cmd" in
		*"--port 8080"*) cmd=${cmd//--port 8080/--port $port} ;;
		*) cmd="$cmd --port $port" ;;
		esac
	fi
	bash -c "exec $cmd" >serve.out 2>serve.err &
	srv=$!
	for _ in $(seq 100); do
		reply=$( (exec 3<>"/dev/tcp/127.0.0.1/$port" &&
			printf 'GET / HTTP/1.0\r\n\r\n' >&3 && head -1 <&3) 2>/dev/null) &&
			[ -n "$reply" ] && break
		sleep 0.1
	done
	if [[ $reply == *" 200 "* ]]; then
		ok "$cmd: GET / is answered ($reply)"
	else
		fail "$cmd: GET / on port $port" "$reply$(cat serve.err)"
	fi
	kill -TERM "$srv"
	if wait "$srv"; then ok "$cmd: stops cleanly on SIGTERM"; else fail "$cmd: exit on SIGTERM" "$(cat serve.err)"; fi
	srv=
}

run() {
	local v=$1 out rc
	# One line on stdin: the password `user add` reads.
	out=$(printf 'usage-test-2027\n' | bash -c "$v" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then ok "$v"; else fail "$v (exit $rc)" "$out"; fi
	return $rc
}

seen=" "
for lines in "$lines" "$host_lines"; do
while IFS= read -r line; do
	line=$(sed -E 's/[[:space:]]+#.*$//' <<<"$line")
	[[ $line == draagvlak\ * ]] || continue
	sub=$(awk '{print $2}' <<<"$line")
	case "$seen" in *" $sub "*) ;; *)
		seen+="$sub "
		if draagvlak "$sub" --help >/dev/null 2>&1; then
			ok "draagvlak $sub --help"
		else
			fail "draagvlak $sub --help"
		fi
	esac
	case "$line" in draagvlak\ scan\ *)
		# Filled-in, scanned forms of this store's households.
		"$build/tests/scangen/scangen" --db draagvlak.db --out scans \
			--forms 3 --dpi 200 --formats pdf --seed 14 >/dev/null ||
			fail "tests/scangen could not make scans/"
	esac
	while IFS= read -r v; do
		if ! v=$(fill "$v"); then
			fail "a placeholder in '$v' has no value in tests/usage.sh"
			continue
		fi
		case "$v" in
		"draagvlak serve"*) run_serve "$v" ;;
		"draagvlak simulate"*)
			# Refused here: the scans put real responses in the store.
			out=$(bash -c "$v" 2>&1)
			rc=$?
			if [ $rc -eq 1 ]; then
				ok "$v: refused on a store with real responses"
			else
				fail "$v on a store with real responses (exit $rc, not 1)" "$out"
			fi
			# And it works on a new store (made by the lines above).
			rm -f new.db new.db-*
			if out=$(draagvlak init -d new.db survey.yaml 2>&1 &&
				draagvlak households import -d new.db addresses.csv 2>&1); then
				run "$v -d new.db"
			else
				fail "a new store for $v" "$out"
			fi
			;;
		"draagvlak evening merge"*)
			run "$v" || continue
			q="SELECT count(*), coalesce(max(id), 0) FROM response"
			before=$(sqlite3 draagvlak.db "$q")
			run "$v" || continue
			after=$(sqlite3 draagvlak.db "$q")
			if [ "$before" = "$after" ]; then
				ok "$v: twice changes nothing (responses: $after)"
			else
				fail "$v: the second merge changed the responses ($before, then $after)"
			fi
			;;
		*) run "$v" ;;
		esac
	done < <(variants "$line")
done <<<"$lines"
done

# What the lines say they make.
for f in draagvlak.db forms laptop.db uitslag.pdf grafieken export.out; do
	[ -e "$f" ] && ok "made ./$f" || fail "no ./$f"
done
[ -n "$(find forms -name '*.pdf' 2>/dev/null | head -1)" ] && ok "forms/ holds PDFs" || fail "forms/ has no PDF"

# Exit codes as the README says: 2 for wrong usage, 1 for a failure.
draagvlak check --no-such-option >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] && ok "wrong usage exits 2" || fail "wrong usage exits $rc, not 2"
draagvlak check no-such-file.yaml >/dev/null 2>&1
rc=$?
[ $rc -eq 1 ] && ok "a failure exits 1" || fail "a failure exits $rc, not 1"

echo
echo "usage: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
