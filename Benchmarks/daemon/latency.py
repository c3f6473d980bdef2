"""Drop-to-start latency of `sluice serve`: small CSV files renamed one at a time into a
watched inbox, ~20 ms apart; each run's claim time (runs.created_at in the ledger) minus the
time just before its rename. Usage: latency.py SLUICE_BIN WORKDIR DROPS"""
import json
import math
import os
import sqlite3
import sys
import time

from common import Serve, wait_for

PIPELINE = """triggers: { inbox: { settle: 0s, pattern: "*.csv" } }
extract:
  - csv: {}
load:
  - csv: { file: "out_{{input.stem}}.csv" }
"""
PACE = 0.020
GOAL_MS = 100


def percentile(sorted_values, p):
    """Nearest rank."""
    return sorted_values[max(0, math.ceil(p / 100 * len(sorted_values)) - 1)]


def main():
    bin_path, work, drops = sys.argv[1], sys.argv[2], int(sys.argv[3])
    root = os.path.join(work, "ws")
    staging = os.path.join(work, "staging")  # same file system as the inbox: rename is atomic
    inbox = os.path.join(root, "inbox", "bench")
    os.makedirs(os.path.join(root, "pipelines"))
    os.makedirs(staging)
    os.makedirs(inbox)
    with open(os.path.join(root, "pipelines", "bench.yaml"), "w") as f:
        f.write(PIPELINE)
    serve = Serve(bin_path, root, os.path.join(work, "serve.log"))
    try:
        serve.wait_started()
        dropped = {}
        start = time.monotonic()
        for i in range(drops):
            name = f"f{i:05d}.csv"
            src = os.path.join(staging, name)
            with open(src, "w") as f:
                f.write("Produit,Montant\n" + "".join(f"P{j},{i}.{j:02d}\n" for j in range(5)))
            dropped[name] = time.time()
            os.rename(src, os.path.join(inbox, name))
            delay = start + (i + 1) * PACE - time.monotonic()
            if delay > 0:
                time.sleep(delay)  # pacing the drops, not waiting for a result
        spent = time.monotonic() - start

        db = sqlite3.connect(os.path.join(root, ".sluice", "state.sqlite"), timeout=10)
        count = lambda: db.execute("SELECT count(*) FROM runs WHERE pipeline = 'bench'").fetchone()[0]
        wait_for(lambda: count() >= drops, 60 + drops * 0.05, f"{drops} runs in the ledger")
        wait_for(lambda: db.execute("SELECT count(*) FROM runs WHERE pipeline = 'bench' AND status = 'succeeded'").fetchone()[0] >= drops,
                 60 + drops * 0.05, f"{drops} finished runs")
        rows = db.execute("SELECT created_at, document FROM runs WHERE pipeline = 'bench'").fetchall()
    finally:
        code = serve.stop()
    latencies = []
    for created, document in rows:
        name = json.loads(document)["inputs"][0]["name"]
        latencies.append((created - dropped[name]) * 1000)
    latencies.sort()
    if len(latencies) != drops:
        raise SystemExit(f"expected {drops} runs, the ledger has {len(latencies)}")
    p99 = percentile(latencies, 99)
    print(f"drop-to-start latency: {drops} files renamed into a watched inbox, one every {spent / drops * 1000:.0f} ms"
          f" (settle 0s, csv → csv)")
    print(f"  median {percentile(latencies, 50):6.1f} ms   p90 {percentile(latencies, 90):6.1f} ms   "
          f"p99 {p99:6.1f} ms   max {latencies[-1]:6.1f} ms   (min {latencies[0]:.1f} ms)")
    print(f"  goal   p99 < {GOAL_MS} ms: {'met' if p99 < GOAL_MS else 'NOT met'}"
          f"; sluice serve exited {code} on SIGTERM")


if __name__ == "__main__":
    main()
