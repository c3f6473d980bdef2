#!/usr/bin/env bash
# `make run`: runs the example workspace (this repository) end to end. Copies the sample
# inputs from examples/ into inbox/, starts a local webhook receiver, and runs every
# pipeline once. Can be run again: each run claims the copies anew (identical content is
# recognised as a duplicate and archived as such).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${SLUICE_BIN:-.build/release/sluice}"
mkdir -p .sluice
log=.sluice/webhooks.jsonl
port_file=$(mktemp)
python3 scripts/webhook_receiver.py --port 8099 --log "$log" >"$port_file" &
receiver=$!
trap 'kill $receiver 2>/dev/null || true; rm -f "$port_file"' EXIT
for _ in $(seq 1 50); do [ -s "$port_file" ] && break; sleep 0.1; done
export SLUICE_TEAM_HOOK_URL="http://127.0.0.1:$(cat "$port_file")/hooks/team"
for dir in examples/*/; do
  p=$(basename "$dir")
  mkdir -p "inbox/$p"
  # cp to a hidden name, then rename: a rename is an atomic arrival.
  for f in "$dir"*; do cp "$f" "inbox/$p/.$(basename "$f").part" && mv "inbox/$p/.$(basename "$f").part" "inbox/$p/$(basename "$f")"; done
done
"$bin" validate
status=0
"$bin" run || status=$?
echo
echo "outbox:"; find outbox -type f | sort | sed 's/^/  /'
echo "webhooks received:"; [ -f "$log" ] && python3 -c "
import json,sys
for l in open('$log'): r=json.loads(l); print('  ', r['path'], r['json'].get('text', r['body'])[:110] if 'json' in r else r['body'][:110])
"
echo "runs:"; "$bin" runs | tail -n 8
exit $status
