#!/usr/bin/env bash
# Installs what building, running and testing Sluice needs on a fresh Debian machine (run as root).
#   scripts/install-deps.sh          the C libraries the build links (and sqlite3, time)
#   scripts/install-deps.sh --mail   also the local mail servers and the Python tools (.venv/)
#   scripts/install-deps.sh --test   also LibreOffice (headless) for the tests
# Every failure stops the script with a message: nothing is skipped quietly.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
  local need=()
  for p in "$@"; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
  done
  [ ${#need[@]} -gt 0 ] || return 0
  export DEBIAN_FRONTEND=noninteractive
  echo "install-deps: apt-get install ${need[*]}" >&2
  apt-get update -qq
  # Debian starts an installed daemon at once (on every address); ours (Dovecot) are started by
  # scripts/mailservers.py on 127.0.0.1 only, so no installed daemon is let start.
  local policy=/usr/sbin/policy-rc.d made_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
    made_policy=1
  fi
  local status=0
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || status=$?
  [ -z "$made_policy" ] || rm -f "$policy"
  if [ $status -ne 0 ]; then
    echo "install-deps: apt-get install ${need[*]} failed (exit $status)" >&2
    exit $status
  fi
}

# The Python tools (scripts/requirements.txt, every version pinned) go into .venv/, a virtual
# environment these scripts own: Debian's own Python refuses system-wide pip installs (PEP 668),
# and a pinned set is the same on every machine. Reinstalled only when requirements.txt changes.
install_python_tools() {
  local venv=.venv req=scripts/requirements.txt stamp=.venv/requirements.installed
  if [ -f "$stamp" ] && cmp -s "$req" "$stamp" && [ -x "$venv/bin/python" ]; then
    return 0
  fi
  echo "install-deps: Python tools into $venv/ (scripts/requirements.txt)" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$req"; then
    echo "install-deps: pip install -r $req into $venv/ failed" >&2
    rm -rf "$venv"
    exit 1
  fi
  # Nothing beyond the pins: a package that pulls in an unpinned one fails here, not later.
  local problems
  if ! problems=$("$venv/bin/python" -m pip check 2>&1); then
    echo "$problems" >&2
    echo "install-deps: the Python tools in $venv/ are inconsistent" >&2
    exit 1
  fi
  cp "$req" "$stamp"
}

apt_install libsqlite3-dev libcurl4-openssl-dev zlib1g-dev libfreexl-dev sqlite3 time ca-certificates \
  python3 python3-venv

case "${1:-}" in
  "") ;;
  --mail)
    apt_install dovecot-core dovecot-imapd openssl
    install_python_tools ;;
  --test)
    apt_install dovecot-core dovecot-imapd openssl
    # LibreOffice (headless) reads what our xlsx writer writes and writes files our readers read.
    apt_install libreoffice-calc-nogui
    install_python_tools ;;
  *)
    echo "usage: scripts/install-deps.sh [--mail | --test]" >&2
    exit 64 ;;
esac
