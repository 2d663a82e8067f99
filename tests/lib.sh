# lib.sh - what the command-line tests share: a scratch folder, a runner
# that captures output and exit status, and checks that count.
# Sourced by tests/*/run.sh as:  . "$(dirname "$0")/../lib.sh" DRAAGVLAK SAMPLES
# It sets $dv, $samples, $work (removed at exit; the current folder) and
# $S1/$S2 (the samples); test_summary ends a script.
dv=$(realpath "$1")
samples=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
S1=$samples/dorst-speelveld
S2=$samples/oosterheide-parkeren

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL: $1"; [ -n "${2:-}" ] && sed 's/^/    /' <<<"$2"; }

# run CMD...: sets $out, $err and $rc
run() {
	"$@" >"$work/out" 2>"$work/err"
	rc=$?
	out=$(cat "$work/out")
	err=$(cat "$work/err")
}
expect_rc() { # NAME WANT
	if [ "$rc" -eq "$2" ]; then ok "$1"; else fail "$1: exit $rc, wanted $2" "$out$err"; fi
}
expect_in() { # NAME HAYSTACK NEEDLE
	if grep -qF -- "$3" <<<"$2"; then ok "$1"; else fail "$1: missing '$3'" "$2"; fi
}
expect_file() { # NAME PATH
	if [ -s "$2" ]; then ok "$1"; else fail "$1: no $2"; fi
}

# The closing line ctest and CI read; the exit status says it too.
test_summary() {
	echo
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
