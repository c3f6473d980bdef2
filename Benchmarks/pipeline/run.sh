#!/usr/bin/env bash
# `make bench`: Sluice against a plain Python script doing the same work, in the same run.
# Prints runs/s, rows/s and peak memory for 1,000 small CSV files and one 200,000-row CSV.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product sluice >/dev/null
BIN=$PWD/.build/release/sluice
SMALL=${BENCH_SMALL_FILES:-1000}
BIG=${BENCH_BIG_ROWS:-200000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
here=Benchmarks/pipeline

measure() { # command... → prints "seconds maxrss_kb"
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  tail -n1 "$work/time"
}

sluice_case() { # name, generator kind, count
  local ws=$work/sluice-$1; mkdir -p "$ws/pipelines"
  cp $here/pipeline.yaml "$ws/pipelines/ventes.yaml"
  python3 $here/generate.py "$2" "$ws/inbox/ventes" "$3"
  find "$ws/inbox" -type f -exec touch -d '1 minute ago' {} +
  measure "$BIN" run --root "$ws"
}

peer_case() {
  local d=$work/peer-$1; mkdir -p "$d"
  python3 $here/generate.py "$2" "$d/inbox" "$3"
  measure python3 $here/peer.py "$d/inbox" "$d/outbox" "$d/archive" "$d/db.sqlite"
}

report() { # label, runs, rows, sluice "s kb", peer "s kb"
  read -r st sm <<<"$4"; read -r pt pm <<<"$5"
  python3 - "$1" "$2" "$3" "$st" "$sm" "$pt" "$pm" <<'PY'
import sys
label, runs, rows, st, sm, pt, pm = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), *map(float, sys.argv[4:])
print(f"{label}")
print(f"  sluice  {st:7.2f} s  {runs/st:9.1f} runs/s  {rows/st:11.0f} rows/s  peak {sm/1024:6.1f} MB")
print(f"  python  {pt:7.2f} s  {runs/pt:9.1f} runs/s  {rows/pt:11.0f} rows/s  peak {pm/1024:6.1f} MB")
print(f"  ratio   sluice is {pt/st:.2f}x the Python script's throughput, {sm/pm:.2f}x its memory")
PY
}

echo "machine: $(nproc) cores, $(uname -m); sluice $( "$BIN" --version )"
s=$(sluice_case small small "$SMALL"); p=$(peer_case small small "$SMALL")
report "$SMALL small CSV files (20 rows each), one run per file" "$SMALL" $((SMALL * 20)) "$s" "$p"
tenth=$((SMALL / 10))
s10=$(sluice_case small10 small "$tenth")
read -r _ m10 <<<"$s10"; read -r _ m100 <<<"$s"
echo "  memory vs number of files: $tenth files peak $((m10 / 1024)) MB, $SMALL files peak $((m100 / 1024)) MB"
s=$(sluice_case big big "$BIG"); p=$(peer_case big big "$BIG")
report "one CSV file of $BIG rows" 1 "$BIG" "$s" "$p"
# The floor: SQLite alone inserting the same rows, from C. The Python script spends this too,
# so no pipeline that loads these rows into SQLite can be more than (script time / floor) faster.
clang -O2 -o "$work/sqlite_floor" $here/sqlite_floor.c -lsqlite3
floor=$("$work/sqlite_floor" "$work/peer-big/archive/ventes_big.csv" "$work/floor.sqlite")
read -r pt _ <<<"$p"
python3 -c "import sys; f, p = map(float, sys.argv[1:]); print(f'  floor   SQLite alone inserting the same rows (C, one transaction): {f:.2f} s, so no pipeline loading them can be more than {p/f:.1f}x the script')" "$floor" "$pt"
