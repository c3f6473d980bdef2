#!/usr/bin/env bash
# Mail benchmarks against peers in the same run, on the same corpus (1,000 messages with a
# 50 KB attachment each, generated once):
#   - messages per second fetched from a real Dovecot on loopback and parsed: `sluice run` with
#     an imap step, against Python imaplib + email;
#   - MIME parse throughput in MB/s: Sluice's parser (mime-bench) against Python's email
#     package, on that corpus and on the real messages of ../shared/fixtures/eml.
#
#   bash Benchmarks/mail/run.sh           MAIL_BENCH_MESSAGES=200 for a quicker look
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/Benchmarks/mail"
WORK=${MAIL_BENCH_DIR:-${TMPDIR:-/tmp}/sluice-mail-bench}
COUNT=${MAIL_BENCH_MESSAGES:-1000}
mkdir -p "$WORK"
"$ROOT/scripts/install-deps.sh" --mail
# The Python peers and test servers run in the scripts' virtual environment.
PY="$ROOT/.venv/bin/python"

echo "== building sluice and mime-bench (release)"
(cd "$ROOT" && swift build -c release --scratch-path .build-bench --product sluice 2>&1 | tail -1)
(cd "$ROOT" && swift build -c release --scratch-path .build-bench --product mime-bench 2>&1 | tail -1)
BIN="$ROOT/.build-bench/release"

echo "== IMAP: fetch and parse $COUNT messages from Dovecot on 127.0.0.1"
"$PY" "$HERE/imap_bench.py" "$BIN/sluice" "$WORK" "$COUNT"

rate() { "$PY" -c "import sys; kv=dict(x.split('=') for x in sys.argv[1].split()); print(f\"{int(kv['bytes'])/1e6/float(kv['seconds']):.1f}\")" "$1"; }
for corpus in "$WORK/corpus:5" "$ROOT/../shared/fixtures/eml:200"; do
    dir=${corpus%%:*}; repeat=${corpus##*:}
    [ -d "$dir" ] || continue
    echo "== MIME parse: $dir, $repeat pass(es)"
    ours=$("$BIN/mime-bench" "$dir" --repeat "$repeat")
    peer=$("$PY" "$HERE/mime_peer.py" "$dir" "$repeat")
    echo "  sluice: $ours"
    echo "  python: $peer"
    o=$(rate "$ours"); p=$(rate "$peer")
    echo "  sluice $o MB/s, python email $p MB/s, ratio $("$PY" -c "print(f'{$o/$p:.1f}')")"
done
