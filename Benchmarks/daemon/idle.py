"""Scheduler idle overhead of `sluice serve`: a workspace of scheduled pipelines none of
which is due during the measurement; the daemon's CPU time (utime + stime from /proc) over a
wall-clock window, and its resident memory. Usage: idle.py SLUICE_BIN WORKDIR PIPELINES SECONDS"""
import os
import sqlite3
import sys
import time
from datetime import datetime, timezone

from common import Serve

GOAL_PERCENT = 1.0
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14 and 15)


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main():
    bin_path, work, count, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    root = os.path.join(work, "ws")
    os.makedirs(os.path.join(root, "pipelines"))
    # Daily times from 2 h to 21 h 59 after the current hour (UTC): none falls in the window.
    hour = datetime.now(timezone.utc).hour
    for i in range(count):
        at = f"{(hour + 2 + i % 20) % 24:02d}:{(i * 7) % 60:02d}"
        with open(os.path.join(root, "pipelines", f"p{i:04d}.yaml"), "w") as f:
            f.write(f'triggers: {{ inbox: false, schedule: "daily at {at}" }}\n'
                    "extract:\n  - files: {}\n"
                    'notify:\n  - file: { name: "x.txt", text: "x" }\n')
    serve = Serve(bin_path, root, os.path.join(work, "serve.log"))
    try:
        t0 = time.monotonic()
        line = serve.wait_started()
        startup = time.monotonic() - t0
        pid = serve.proc.pid
        loaded = int(line.split("sluice serve:")[1].split("pipeline(s)")[0])
        if loaded != count:
            raise SystemExit(f"sluice serve loaded {loaded} pipelines of {count}:\n{serve.output()}")
        startup_cpu = cpu_seconds(pid)
        c0, w0 = cpu_seconds(pid), time.monotonic()
        time.sleep(seconds)  # the measurement window
        c1, w1 = cpu_seconds(pid), time.monotonic()
        rss = rss_mb(pid)
    finally:
        code = serve.stop()
    db = sqlite3.connect(os.path.join(root, ".sluice", "state.sqlite"))
    fired = db.execute("SELECT count(*) FROM runs").fetchone()[0]
    used, wall = c1 - c0, w1 - w0
    percent = used / wall * 100
    print(f"scheduler idle overhead: {count} pipelines scheduled daily, none due; {wall:.0f} s of wall time measured")
    print(f"  start  {startup:.2f} s to the start line, {startup_cpu:.2f} s of CPU")
    print(f"  idle   {used / wall * 60:.3f} CPU s per minute = {percent:.3f}% of one core"
          f" ({used:.2f} s in {wall:.0f} s, clock tick {1 / TICKS * 1000:.0f} ms);  RSS {rss:.1f} MB")
    print(f"  goal   < {GOAL_PERCENT:g}% of one core: {'met' if percent < GOAL_PERCENT else 'NOT met'}"
          f"; runs started during the window: {fired}; sluice serve exited {code} on SIGTERM")


if __name__ == "__main__":
    main()
