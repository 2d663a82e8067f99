#!/usr/bin/env bash
# package-check.sh - the Debian package from the repository, on a fresh
# Debian 12 under systemd: build it (dpkg-buildpackage in a copy of
# HEAD), lintian it, install it into a fresh bookworm made by debootstrap,
# boot that with systemd-nspawn, and check that the service serves the
# demo survey, says how to make the first account, backs up through its
# unit and serves again after a restart.  Prints the figures
# docs/operations.md quotes (build time, sizes, lintian, boot check).
#
#   scripts/package-check.sh [WORKDIR]     (as root; run by hand, not CI)
#
# Needs debhelper, lintian, debootstrap and systemd-container (apt-get
# install them; the network for debootstrap and the package's
# dependencies).  WORKDIR (default /tmp/draagvlak-package) keeps the
# bookworm tree between runs; the package is built afresh each time.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=${1:-/tmp/draagvlak-package}
say() { printf '\n== %s\n' "$*"; }
for t in dpkg-buildpackage dh lintian debootstrap systemd-nspawn; do
	command -v $t >/dev/null ||
		{ echo "no $t: apt-get install debhelper lintian debootstrap systemd-container" >&2; exit 1; }
done
mkdir -p "$work"
rm -rf "$work/src" "$work"/draagvlak*_*
mkdir "$work/src"
git -C "$top" archive HEAD | tar -x -C "$work/src"

say "dpkg-buildpackage -us -uc -b (in a copy of $(git -C "$top" rev-parse --short HEAD))"
t0=$EPOCHREALTIME
(cd "$work/src" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1 ||
	{ tail -30 "$work/build.log"; exit 1; }
echo "built in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.0f", b - a}') s" \
	"($(grep -c 'warning:' "$work/build.log" || true) compiler warnings)"
deb=$(ls "$work"/draagvlak_*_amd64.deb)
ls -l "$work"/*.deb | awk '{print $5, $9}'
dpkg-deb -I "$deb" | grep -E 'Installed-Size|^ Depends' | cut -c1-100

say "lintian"
lintian "$work"/draagvlak_*.changes 2>/dev/null && echo "lintian: no errors or warnings"
lintian -I --pedantic "$deb" 2>/dev/null | sed 's/^/  /'

say "a fresh Debian 12 (debootstrap, kept in $work/root)"
if [ ! -x "$work/root/usr/bin/apt-get" ]; then
	debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,curl,ca-certificates \
		bookworm "$work/root.new" http://deb.debian.org/debian >"$work/debootstrap.log"
	mv "$work/root.new" "$work/root"
fi
root=$work/root
# Every run installs into a scratch copy, so each starts from nothing.
rm -rf "${work:?}/boot"
cp -a "$root" "$work/boot"
root=$work/boot
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/"
t0=$EPOCHREALTIME
chroot "$root" sh -c "apt-get update -q >/dev/null &&
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends /tmp/$(basename "$deb")" \
	>"$work/install.log" 2>&1 || { tail -20 "$work/install.log"; exit 1; }
echo "installed with its dependencies in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.0f", b - a}') s"
grep -iE 'warning|error' "$work/install.log" | grep -v '^Get:' || echo "no warnings while installing"

# The check runs as a unit after draagvlak.service and powers off.
cat >"$root/usr/local/bin/draagvlak-boot-check" <<'EOF'
#!/bin/sh
exec >/root/boot-check.txt 2>&1
for i in $(seq 60); do
	code=$(curl -s -o /root/home.html -w '%{http_code}' http://127.0.0.1:8080/) &&
		[ "$code" = 200 ] && break
	sleep 0.5
done
echo "GET / -> $code"
grep -o '<title>[^<]*' /root/home.html | sed 's/<title>/title: /'
echo "draagvlak.service: $(systemctl is-active draagvlak.service)," \
	"user $(systemctl show -p User --value draagvlak.service)"
journalctl -u draagvlak.service --no-pager -o cat | sed 's/^/  journal: /'
systemctl start draagvlak-backup.service && echo "draagvlak-backup.service: ok"
ls /var/backups/draagvlak | sed 's/^/  copy: /'
systemctl restart draagvlak.service
sleep 2
echo "GET / after a restart -> $(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/)"
systemd-analyze security draagvlak.service --no-pager 2>/dev/null | tail -1
systemctl poweroff
EOF
chmod +x "$root/usr/local/bin/draagvlak-boot-check"
cat >"$root/etc/systemd/system/draagvlak-boot-check.service" <<'EOF'
[Unit]
Description=draagvlak package boot check
After=draagvlak.service
Wants=draagvlak.service
[Service]
Type=oneshot
ExecStart=/usr/local/bin/draagvlak-boot-check
EOF
ln -sf /etc/systemd/system/draagvlak-boot-check.service \
	"$root/etc/systemd/system/multi-user.target.wants/"

say "systemd-nspawn -b (its own network: port 8080 of this machine stays free)"
t0=$EPOCHREALTIME
# No machined on a host without systemd: --register=no --keep-unit.
timeout 180 systemd-nspawn -q -D "$root" --register=no --keep-unit \
	--private-network -b --console=pipe </dev/null >"$work/boot.log" 2>&1 || true
echo "booted, checked and powered off in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", b - a}') s"
cat "$root/root/boot-check.txt"

say "remove keeps the data, purge removes it"
chroot "$root" apt-get remove -y -q draagvlak >>"$work/install.log" 2>&1
if [ -s "$root/var/lib/draagvlak/draagvlak.db" ] && chroot "$root" getent passwd draagvlak >/dev/null; then
	echo "after remove: the store and the user are still there"
else
	echo "FAIL: remove took the store or the user"; exit 1
fi
chroot "$root" apt-get purge -y -q draagvlak >>"$work/install.log" 2>&1
if [ ! -e "$root/var/lib/draagvlak" ]; then
	echo "after purge: /var/lib/draagvlak is gone"
else
	echo "FAIL: purge left /var/lib/draagvlak"; exit 1
fi
grep -q '^GET / -> 200' "$root/root/boot-check.txt" &&
	grep -q 'draagvlak-backup.service: ok' "$root/root/boot-check.txt" &&
	grep -q '^GET / after a restart -> 200' "$root/root/boot-check.txt"
