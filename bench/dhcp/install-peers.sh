#!/usr/bin/env bash
# Installs what bench/dhcp/run.ts measures against: perfdhcp (kea-admin), dnsmasq, Kea, tftpd-hpa and
# atftpd, plus perf for the servers' CPU time. Their packages would start DHCP and TFTP daemons on this
# machine's interfaces; a policy-rc.d that refuses every service start keeps them down (the benchmark
# starts each server itself, inside network namespaces or on loopback). atftpd conflicts with tftpd-hpa
# as a package, so its package is unpacked into the cache instead of installed.
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "run as root (apt-get)" >&2; exit 1; }
atftpd_dir="${XDG_CACHE_HOME:-$HOME/.cache}/metal3-provider/bench/atftpd"

if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kea-admin kea-dhcp4-server dnsmasq tftpd-hpa atftp linux-perf >/dev/null

if [ ! -x "$atftpd_dir/usr/sbin/atftpd" ]; then
  work="$(mktemp -d)"
  (cd "$work" && apt-get download -qq atftpd)
  mkdir -p "$atftpd_dir"
  dpkg -x "$work"/atftpd_*.deb "$atftpd_dir"
  rm -rf "$work"
fi
echo "atftpd: $atftpd_dir/usr/sbin/atftpd"
