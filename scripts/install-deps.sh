#!/usr/bin/env bash
# Installs the Debian packages Sluice builds against, if any is missing.
# Safe to run again: it does nothing when everything is there.
set -euo pipefail
packages=(librdkafka-dev liblz4-dev libzstd-dev pkg-config lz4 zstd kcat
  libsqlite3-dev libpq-dev libmariadb-dev postgresql mariadb-server sqlite3)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "installing: ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
