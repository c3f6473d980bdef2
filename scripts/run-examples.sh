#!/usr/bin/env bash
# `make run`: runs the example workspace (this repository) end to end. Copies the sample
# inputs from examples/ into inbox/, starts a local webhook receiver and local mail servers
# (Dovecot and SMTP on 127.0.0.1 with a test CA; the order mails of examples/mailbox/ are
# delivered into their mailboxes), and runs every pipeline once. Can be run again: each run claims the copies anew (identical content is
# recognised as a duplicate and archived as such).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${SLUICE_BIN:-.build/release/sluice}"
# The Python tools (aiosmtpd for the mail servers) are in the scripts' own virtual environment.
py=.venv/bin/python
mkdir -p .sluice
log=.sluice/webhooks.jsonl
port_file=$(mktemp)
"$py" scripts/webhook_receiver.py --port 8099 --log "$log" >"$port_file" &
receiver=$!
mail_dir=/tmp/sluice-example-mail
# The mail servers are stopped before this script returns, so a next run never finds them dying.
trap 'kill $receiver 2>/dev/null || true; rm -f "$port_file"; "$py" scripts/mailservers.py stop --dir "$mail_dir" >/dev/null 2>&1 || true' EXIT
for _ in $(seq 1 50); do [ -s "$port_file" ] && break; sleep 0.1; done
export SLUICE_TEAM_HOOK_URL="http://127.0.0.1:$(cat "$port_file")/hooks/team"
# The mail servers live in /tmp (Dovecot's users must be able to reach their folder) and stop
# when this script ends.
"$py" scripts/mailservers.py start --dir "$mail_dir" --watch-pid $$ >/dev/null
eval "$("$py" - "$mail_dir" <<'PY'
import json, sys
s = json.load(open(sys.argv[1] + "/servers.json"))
print(f"export SLUICE_MAIL_HOST=127.0.0.1 SLUICE_IMAPS_PORT={s['imaps_port']} SLUICE_SMTPS_PORT={s['smtps_port']} SLUICE_MAIL_CA={s['ca_file']}")
PY
)"
"$py" - "$mail_dir" <<'PY'
import sys
from pathlib import Path
sys.path.insert(0, "scripts")
import mailservers
servers = mailservers.MailServers(sys.argv[1])
servers.clear()  # this run's mailboxes and sent mail only
for box in sorted(Path("examples/mailbox").iterdir()):
    for message in sorted(box.glob("*.eml")):
        servers.deliver(box.name, message.read_bytes())
PY
for dir in examples/*/; do
  p=$(basename "$dir")
  [ "$p" = mailbox ] && continue
  mkdir -p "inbox/$p"
  # cp to a hidden name, then rename: a rename is an atomic arrival.
  for f in "$dir"*; do cp "$f" "inbox/$p/.$(basename "$f").part" && mv "inbox/$p/.$(basename "$f").part" "inbox/$p/$(basename "$f")"; done
done
"$bin" validate
status=0
"$bin" run || status=$?
echo
echo "outbox:"; find outbox -type f ! -name .gitkeep | sort | sed 's/^/  /'
echo "webhooks received:"; [ -f "$log" ] && "$py" -c "
import json,sys
for l in open('$log'): r=json.loads(l); print('  ', r['path'], r['json'].get('text', r['body'])[:110] if 'json' in r else r['body'][:110])
"
echo "mails sent:"; "$py" - "$mail_dir" <<'PY'
import email, email.policy, sys
sys.path.insert(0, "scripts")
import mailservers
for m in mailservers.MailServers(sys.argv[1]).smtp_messages():
    msg = email.message_from_bytes(m["data"], policy=email.policy.default)
    files = [p.get_filename() for p in msg.iter_attachments()]
    print("  ", ",".join(m["rcpt_tos"]), "|", msg["Subject"], ("| attached: " + ", ".join(files)) if files else "")
PY
echo "runs:"; "$bin" runs | tail -n 8
exit $status
