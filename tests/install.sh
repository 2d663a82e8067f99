#!/usr/bin/env bash
# install.sh - `cmake --install` into a scratch DESTDIR puts every file
# where docs/operations.md says, the installed command runs, its manual
# page renders without a single warning, and every command of the
# README's "Using it" works as written with it (tests/usage.sh).
# Usage: install.sh BUILD_DIR
set -uo pipefail
build=$(realpath "$1")
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL: $1"; [ -n "${2:-}" ] && sed 's/^/    /' <<<"$2"; }

if out=$(DESTDIR=$dest cmake --install "$build" --prefix /usr 2>&1); then
	ok "cmake --install"
else
	fail "cmake --install" "$out"
fi
for f in usr/bin/draagvlak usr/share/man/man1/draagvlak.1 \
	usr/lib/systemd/system/draagvlak.service \
	usr/lib/systemd/system/draagvlak-backup.service \
	usr/lib/systemd/system/draagvlak-backup.timer \
	usr/libexec/draagvlak/draagvlak-prepare \
	usr/share/doc/draagvlak/README.md usr/share/doc/draagvlak/operations.md \
	usr/share/draagvlak/examples/dorst-speelveld/survey.yaml \
	usr/share/draagvlak/examples/dorst-speelveld/addresses.csv; do
	if [ -s "$dest/$f" ]; then ok "installs $f"; else fail "no $f"; fi
done
# The settings file follows CMAKE_INSTALL_SYSCONFDIR (etc under the prefix
# here; /etc in the Debian package).
conf=$(find "$dest" -path '*/default/draagvlak' | head -1)
if [ -n "$conf" ] && grep -q '^DRAAGVLAK_DB=/var/lib/draagvlak/' "$conf"; then
	ok "installs the settings ($conf)"
else
	fail "no settings file default/draagvlak"
fi
[ -x "$dest/usr/bin/draagvlak" ] && [ -x "$dest/usr/libexec/draagvlak/draagvlak-prepare" ] &&
	ok "the programs are executable" || fail "not executable"

if out=$("$dest/usr/bin/draagvlak" help 2>&1) && grep -q '^  backup ' <<<"$out"; then
	ok "the installed draagvlak runs 'help'"
else
	fail "the installed draagvlak help" "$out"
fi
unit=$dest/usr/lib/systemd/system/draagvlak.service
for want in NoNewPrivileges=yes ProtectSystem=strict PrivateTmp=yes StateDirectory=draagvlak \
	"ExecStart=/.*/bin/draagvlak serve"; do
	grep -q "^$want" "$unit" && ok "unit: $want" || fail "unit lacks $want"
done
if command -v systemd-analyze >/dev/null; then
	# verify checks the units' syntax; it also wants the binaries at their
	# real paths, which is not what we test here.
	out=$(cd "$dest/usr/lib/systemd/system" && systemd-analyze verify --man=no \
		./draagvlak.service ./draagvlak-backup.service ./draagvlak-backup.timer 2>&1 |
		grep -v -e 'is not executable' -e 'No such file' -e 'Command .* is not' \
			-e 'Failed to prepare' -e 'Unit .* not found' -e '^$')
	if [ -z "$out" ]; then ok "systemd-analyze verify"; else fail "systemd-analyze verify" "$out"; fi
fi

page=$dest/usr/share/man/man1/draagvlak.1
if out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null) && [ -z "$out" ]; then
	ok "man -l renders the page without warnings"
else
	fail "man -l warns" "$out"
fi
text=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$page" 2>/dev/null)
for cmd in check init households render serve user analyse export scan evening simulate backup restore; do
	grep -qE "draagvlak +$cmd" <<<"$text" && ok "man page: $cmd" || fail "man page lacks $cmd"
done
# Every command in the table has its section, and no section names a
# command that is gone.
for cmd in $("$dest/usr/bin/draagvlak" help 2>&1 | awk '/^Commands:/ {on=1; next} on && /^  [a-z]/ {print $1}'); do
	[ "$cmd" = help ] && continue
	grep -q "^\.SS \"draagvlak $cmd" "$page" || fail "man page has no section for $cmd"
done

# The README's usage lines, run with the installed command.
here=$(cd "$(dirname "$0")" && pwd)
out=$(bash "$here/usage.sh" "$dest/usr" "$build" "$here/../README.md" 2>&1)
rc=$?
sed 's/^/  /' <<<"$out"
if [ $rc -eq 0 ]; then ok "README 'Using it' as written"; else fail "README 'Using it'"; fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
