#!/usr/bin/env bash
# Benchmarks Sluice's xlsx reader and writer against Python peers in the same run
# (openpyxl, python-calamine, fastexcel for reading; XlsxWriter constant_memory for writing).
#
#   bash Benchmarks/xlsx/run.sh                    100,000 × 10 read and write, peak memory
#   XLSX_BENCH_MILLION=1 bash Benchmarks/xlsx/run.sh   also a 1,000,000-row read (about 1 minute more)
#   XLSX_BENCH_SKIP_OPENPYXL=1 ...                 skip openpyxl's read (the slowest peer)
#
# Prints, for each reader and writer: seconds, rows/s, MB/s (file size and sheet XML size),
# peak resident memory (/usr/bin/time -v), and the ratios the issue sets as goals.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/Benchmarks/xlsx"
WORK=${XLSX_BENCH_DIR:-${TMPDIR:-/tmp}/sluice-xlsx-bench}
ROWS=${XLSX_BENCH_ROWS:-100000}
mkdir -p "$WORK"

echo "== installing peers (PyPI) and tools"
python3 -m pip install --quiet --disable-pip-version-check openpyxl python-calamine fastexcel xlsxwriter pyarrow
if [ ! -x /usr/bin/time ]; then
    (apt-get update -qq && apt-get install -y -qq time) >/dev/null
fi

echo "== building xlsx-bench (release)"
(cd "$ROOT" && swift build -c release --scratch-path .build-bench --product xlsx-bench 2>&1 | tail -1)
BENCH="$ROOT/.build-bench/release/xlsx-bench"

INPUT="$WORK/bench-$ROWS.xlsx"
if [ ! -s "$INPUT" ]; then
    echo "== generating $ROWS × 10 workbook with XlsxWriter (strings, integers, decimals, dates)"
    python3 "$HERE/generate.py" "$INPUT" "$ROWS"
fi
FILE_MB=$(python3 -c "import os,sys; print(os.path.getsize(sys.argv[1]) / 1e6)" "$INPUT")
XML_MB=$(python3 -c "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); print(sum(i.file_size for i in z.infolist() if i.filename.startswith('xl/worksheets/')) / 1e6)" "$INPUT")
echo "input: $INPUT ($FILE_MB MB, $XML_MB MB of sheet XML)"

# measure NAME COMMAND...: runs it under /usr/bin/time -v, records seconds (from the
# program's own "seconds=" line, which excludes interpreter start-up) and peak RSS.
declare -A SECONDS_OF RSS_OF ROWS_OF
measure() {
    local name=$1; shift
    local log="$WORK/$name.log"
    /usr/bin/time -v "$@" >"$log.out" 2>"$log.err" || { echo "$name failed:"; cat "$log.out" "$log.err"; return 1; }
    SECONDS_OF[$name]=$( (grep -o 'seconds=[0-9.e-]*' "$log.out" || true) | tail -1 | cut -d= -f2)
    ROWS_OF[$name]=$( (grep -o 'rows=[0-9]*' "$log.out" || echo "rows=0") | tail -1 | cut -d= -f2)
    RSS_OF[$name]=$(awk '/Maximum resident set size/ {print $6}' "$log.err")
}

report() {
    local name=$1 mb=$2 xml=$3
    python3 - "$name" "${SECONDS_OF[$name]}" "${ROWS_OF[$name]}" "${RSS_OF[$name]}" "$mb" "$xml" <<'PY'
import sys
name, seconds, rows, rss, mb, xml = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
print("%-22s %8.3f s %12.0f rows/s %8.1f MB/s file %8.1f MB/s xml %8.1f MB peak" % (name, seconds, rows / seconds, mb / seconds, xml / seconds, rss / 1024))
PY
}

ratio() { python3 -c "import sys; print('%.1f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }

echo "== reading $ROWS × 10"
measure inflate-only "$BENCH" inflate "$INPUT"
measure sluice-read "$BENCH" read "$INPUT"
measure fastexcel-read python3 "$HERE/peer_read.py" fastexcel "$INPUT"
measure calamine-read python3 "$HERE/peer_read.py" calamine "$INPUT"
ROWS_OF[inflate-only]=$ROWS
if [ -z "${XLSX_BENCH_SKIP_OPENPYXL:-}" ]; then
    measure openpyxl-read python3 "$HERE/peer_read.py" openpyxl "$INPUT"
fi
for name in inflate-only sluice-read fastexcel-read calamine-read openpyxl-read; do
    [ -n "${SECONDS_OF[$name]:-}" ] && report "$name" "$FILE_MB" "$XML_MB"
done
echo "sluice read vs fastexcel: $(ratio "${SECONDS_OF[fastexcel-read]}" "${SECONDS_OF[sluice-read]}")× faster (goal ≥ 2×)"
echo "sluice read vs calamine:  $(ratio "${SECONDS_OF[calamine-read]}" "${SECONDS_OF[sluice-read]}")× faster"
[ -n "${SECONDS_OF[openpyxl-read]:-}" ] && echo "sluice read vs openpyxl:  $(ratio "${SECONDS_OF[openpyxl-read]}" "${SECONDS_OF[sluice-read]}")× faster"
echo "sluice read vs inflating the sheet alone: $(ratio "${SECONDS_OF[sluice-read]}" "${SECONDS_OF[inflate-only]}")× the cost"

echo "== writing $ROWS × 10"
measure sluice-write "$BENCH" write "$WORK/sluice-out.xlsx" "$ROWS"
measure xlsxwriter-write python3 "$HERE/peer_write.py" "$WORK/xlsxwriter-out.xlsx" "$ROWS"
OUT_MB=$(python3 -c "import os,sys; print(os.path.getsize(sys.argv[1]) / 1e6)" "$WORK/sluice-out.xlsx")
OUT_XML=$(python3 -c "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); print(sum(i.file_size for i in z.infolist() if i.filename.startswith('xl/worksheets/')) / 1e6)" "$WORK/sluice-out.xlsx")
report sluice-write "$OUT_MB" "$OUT_XML"
report xlsxwriter-write "$OUT_MB" "$OUT_XML"
echo "sluice write vs XlsxWriter constant_memory: $(ratio "${SECONDS_OF[xlsxwriter-write]}" "${SECONDS_OF[sluice-write]}")× faster (goal ≥ 10×)"
python3 -c "import openpyxl,sys; wb=openpyxl.load_workbook(sys.argv[1], read_only=True); print('openpyxl reopens our output:', sum(1 for _ in wb.worksheets[0].iter_rows()), 'rows')" "$WORK/sluice-out.xlsx"

if [ -n "${XLSX_BENCH_MILLION:-}" ]; then
    BIG="$WORK/bench-1000000-shared.xlsx"
    if [ ! -s "$BIG" ]; then
        echo "== writing a 1,000,000 × 10 workbook (our writer, shared strings)"
        "$BENCH" write "$BIG" 1000000 --shared >/dev/null
    fi
    BIG_MB=$(python3 -c "import os,sys; print(os.path.getsize(sys.argv[1]) / 1e6)" "$BIG")
    BIG_XML=$(python3 -c "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); print(sum(i.file_size for i in z.infolist() if i.filename.startswith('xl/worksheets/')) / 1e6)" "$BIG")
    echo "== reading 1,000,000 × 10 ($BIG_MB MB, $BIG_XML MB of sheet XML)"
    measure sluice-read-1m "$BENCH" read "$BIG"
    measure fastexcel-read-1m python3 "$HERE/peer_read.py" fastexcel "$BIG"
    report sluice-read-1m "$BIG_MB" "$BIG_XML"
    report fastexcel-read-1m "$BIG_MB" "$BIG_XML"
    echo "sluice 1M-row read peak memory: $((${RSS_OF[sluice-read-1m]} / 1024)) MB (goal < 100 MB)"
fi
