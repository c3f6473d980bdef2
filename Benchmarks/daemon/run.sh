#!/usr/bin/env bash
# The daemon, `sluice serve`: how soon a file renamed into a watched inbox has its run claimed
# (p99 goal < 100 ms), and what 1,000 scheduled pipelines cost while none is due (goal < 1% of
# one core). BENCH_DROPS, BENCH_IDLE_PIPELINES and BENCH_IDLE_SECONDS lower the counts.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product sluice >/dev/null
BIN=$PWD/.build/release/sluice
DROPS=${BENCH_DROPS:-1000}
PIPELINES=${BENCH_IDLE_PIPELINES:-1000}
SECONDS_IDLE=${BENCH_IDLE_SECONDS:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
here=Benchmarks/daemon

echo "machine: $(nproc) cores, $(uname -m); sluice $( "$BIN" --version )"
python3 $here/latency.py "$BIN" "$work/latency" "$DROPS"
python3 $here/idle.py "$BIN" "$work/idle" "$PIPELINES" "$SECONDS_IDLE"
