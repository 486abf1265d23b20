#!/usr/bin/env bash
# Installs the Debian packages the tests use (openssl for devstack certificates; DHCP/TFTP clients, tcpdump,
# QEMU with iPXE and OVMF for the boot-server tests; Chromium for the Web UI browser test; PostgreSQL for
# the Temporal server of `devstack up --temporal=postgres`; ironic-api and ironic-conductor, which the real
# Ironic test starts itself on loopback; prometheus for promtool, which checks and unit-tests the alerting
# rules), only those missing, and only where we may (root with apt-get).
set -euo pipefail
packages=(openssl iproute2 busybox isc-dhcp-client isc-dhcp-relay atftp tcpdump curl ipxe qemu-system-x86 ipxe-qemu ovmf chromium postgresql)
# Ironic's packages and Prometheus (only its promtool is used) come apart from the rest: they would start
# daemons, and Ironic's ask debconf questions.
ironic_packages=(ironic-api ironic-conductor prometheus)

missing_of() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}
mapfile -t missing < <(missing_of "${packages[@]}")
mapfile -t missing_ironic < <(missing_of "${ironic_packages[@]}")
[ ${#missing[@]} -eq 0 ] && [ ${#missing_ironic[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  all_missing=("${missing[@]}" "${missing_ironic[@]}")
  echo "missing packages: ${all_missing[*]} — install them with your package manager" >&2
  exit 1
fi
apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[ ${#missing_ironic[@]} -eq 0 ] && exit 0

echo "installing ${missing_ironic[*]} (no service started)"
# Daemons the install brings in; those already here before are the machine owner's and left as they are.
mapfile -t new_services < <(missing_of ironic-api ironic-conductor tftpd-hpa xinetd prometheus)
# The packages' postinst scripts start ironic-api, ironic-conductor and, through their dependencies,
# tftpd-hpa (TFTP on every interface), xinetd and iscsid, and prometheus (a server on port 9090); a
# policy-rc.d that refuses every start keeps them down while apt runs (the test starts Ironic itself, on
# loopback, with its own configuration).
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
# The answers the maintainer scripts would otherwise ask for: no database set up through dbconfig-common
# (which would run ironic-dbsync against /etc/ironic), no RabbitMQ, no Keystone credentials and no
# Keystone endpoint registration. These are the packages' defaults; saying them keeps any frontend quiet.
debconf-set-selections <<'EOF'
ironic-common ironic/configure_db boolean false
ironic-common ironic/configure_rabbit boolean false
ironic-common ironic/configure_ksat boolean false
ironic-api ironic/configure_api-endpoint boolean false
EOF
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing_ironic[@]}" >/dev/null
# Nor at the next boot: the services this install enabled stay off (sysvinit links and systemd units).
for service in "${new_services[@]}"; do
  if [ -e "/etc/init.d/$service" ]; then update-rc.d "$service" disable >/dev/null 2>&1 || true; fi
  if command -v systemctl >/dev/null; then systemctl disable "$service" >/dev/null 2>&1 || true; fi
done
