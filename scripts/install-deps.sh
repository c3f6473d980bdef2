#!/usr/bin/env bash
# Installs what building and testing Sluice needs on a fresh Debian machine (run as root).
set -euo pipefail
need=()
for p in libsqlite3-dev libcurl4-openssl-dev zlib1g-dev sqlite3 python3 python3-pip time ca-certificates; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
# The mail servers on loopback (scripts/mailservers.py): Dovecot for IMAP, openssl for the test
# CA, aiosmtpd for SMTP. For the tests, and for `make run` and `make bench` (--mail).
install_mail() {
  local need=()
  for p in dovecot-core dovecot-imapd openssl; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
  done
  if [ ${#need[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # Debian starts an installed daemon at once (on every address); ours are started by
    # mailservers.py on 127.0.0.1 only, so the system Dovecot is kept from starting.
    local policy=/usr/sbin/policy-rc.d
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\nexit 101\n' >"$policy"
      chmod +x "$policy"
      trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  python3 -c "import aiosmtpd" 2>/dev/null || pip install -q --disable-pip-version-check aiosmtpd 2>&1 | grep -v "^WARNING: Running pip as" || true
}
if [ "${1:-}" = "--mail" ]; then
  install_mail
fi
if [ "${1:-}" = "--test" ]; then
  install_mail
  # LibreOffice (headless) reads what our xlsx writer writes and writes files our reader reads.
  if ! command -v soffice >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null
  fi
  python3 -c "import pytest, openpyxl, croniter" 2>/dev/null || pip install -q --disable-pip-version-check pytest openpyxl croniter 2>&1 | grep -v "^WARNING: Running pip as" || true
fi
