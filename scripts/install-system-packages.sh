#!/usr/bin/env bash
# Installs the Debian packages the tests use (openssl for devstack certificates; DHCP/TFTP clients, tcpdump,
# QEMU with iPXE and OVMF for the boot-server tests; Chromium for the Web UI browser test; PostgreSQL for
# the Temporal server of `devstack up --temporal=postgres`), only those
# missing, and only where we may (root with apt-get).
set -euo pipefail
packages=(openssl iproute2 busybox isc-dhcp-client isc-dhcp-relay atftp tcpdump curl ipxe qemu-system-x86 ipxe-qemu ovmf chromium postgresql)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "missing packages: ${missing[*]} — install them with your package manager" >&2
  exit 1
fi
echo "installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
