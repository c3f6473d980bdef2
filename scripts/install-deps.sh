#!/usr/bin/env bash
# Installs what building and testing Sluice needs on a fresh Debian machine (run as root).
set -euo pipefail
need=()
for p in libsqlite3-dev libcurl4-openssl-dev zlib1g-dev sqlite3 python3 python3-pip time; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ "${1:-}" = "--test" ]; then
  # LibreOffice (headless) reads what our xlsx writer writes and writes files our reader reads.
  if ! command -v soffice >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null
  fi
  python3 -c "import pytest, openpyxl, croniter" 2>/dev/null || pip install -q --disable-pip-version-check pytest openpyxl croniter 2>&1 | grep -v "^WARNING: Running pip as" || true
fi
