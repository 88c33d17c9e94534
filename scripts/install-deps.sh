#!/usr/bin/env bash
# Installs the Debian packages Sluice builds and tests against, if any is missing.
# Safe to run again: it does nothing when everything is there.
set -euo pipefail
packages=(librdkafka-dev liblz4-dev libzstd-dev pkg-config lz4 zstd kcat
  libsqlite3-dev libpq-dev libmariadb-dev postgresql mariadb-server sqlite3)
# prometheus (with promtool): the metrics test starts it privately on loopback, with
# its own data directory, so only its binaries are wanted, not its recommended
# exporters nor the system service the package sets up.
tools=(prometheus)
missing() {
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}
mapfile -t missing_packages < <(missing "${packages[@]}")
mapfile -t missing_tools < <(missing "${tools[@]}")
if [ ${#missing_packages[@]} -eq 0 ] && [ ${#missing_tools[@]} -eq 0 ]; then exit 0; fi
echo "installing: ${missing_packages[*]} ${missing_tools[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
if [ ${#missing_packages[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing_packages[@]}" >/dev/null
fi
if [ ${#missing_tools[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing_tools[@]}" >/dev/null
  # Where systemd runs services, the package enables and starts Prometheus on :9090.
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    $sudo systemctl disable --now prometheus.service >/dev/null 2>&1 || true
  fi
fi
