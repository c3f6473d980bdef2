"""Shared by latency.py and idle.py: a `sluice serve` process on a workspace, on real time."""
import os
import signal
import subprocess
import time


def serve_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLUICE_")}
    env["TZ"] = "UTC"
    return env


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


class Serve:
    def __init__(self, bin_path, root, log):
        self.log = log
        with open(log, "w") as out:
            self.proc = subprocess.Popen([bin_path, "serve", "--root", root], stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, env=serve_env())

    def output(self):
        with open(self.log) as f:
            return f.read()

    def wait_started(self, timeout=120):
        def started():
            if self.proc.poll() is not None:
                raise SystemExit(f"sluice serve exited {self.proc.returncode}:\n{self.output()}")
            return next((l for l in self.output().splitlines() if "sluice serve:" in l and "pipeline(s)" in l), None)
        return wait_for(started, timeout, "the start line of sluice serve")

    def stop(self, timeout=30):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise SystemExit(f"sluice serve did not stop within {timeout} s of SIGTERM")
        return self.proc.returncode
