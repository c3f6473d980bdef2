"""End-to-end tests: the built `sluice` binary in temporary workspaces, with a real webhook
receiver and real mail servers (the `mail` fixture) on loopback. SLUICE_BIN names the binary
(the Makefile sets it)."""
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mailservers import mail  # noqa: F401  (the session's mail servers, for every test)

REPO = Path(__file__).resolve().parents[2]
BIN = os.environ.get("SLUICE_BIN", str(REPO / ".build" / "debug" / "sluice"))
FIXED_CLOCK = "2026-11-21T07:00:00Z"


class Workspace:
    def __init__(self, root: Path, env: dict):
        self.root = root
        self.env = env

    def sluice(self, *args, check=None, env=None, timeout=120):
        e = dict(self.env)
        if env:
            e.update(env)
        p = subprocess.run([BIN, *args, "--root", str(self.root)], capture_output=True, text=True, env=e, timeout=timeout)
        if check is True and p.returncode != 0:
            raise AssertionError(f"sluice {' '.join(args)} exited {p.returncode}\nstdout:\n{p.stdout}\nstderr:\n{p.stderr}")
        if check is False and p.returncode == 0:
            raise AssertionError(f"sluice {' '.join(args)} should have failed\nstdout:\n{p.stdout}")
        return p

    def json(self, *args, **kw):
        p = self.sluice(*args, "--json", **kw)
        try:
            return json.loads(p.stdout)
        except ValueError:
            raise AssertionError(f"not JSON: {p.stdout}\n{p.stderr}")

    def pipeline(self, name, text):
        (self.root / "pipelines").mkdir(parents=True, exist_ok=True)
        (self.root / "pipelines" / f"{name}.yaml").write_text(text)

    def drop(self, pipeline, name, content, mtime_ago=60):
        """Drops a file the way a finished copy looks: written, then its mtime in the past."""
        d = self.root / "inbox" / pipeline
        d.mkdir(parents=True, exist_ok=True)
        p = d / name
        if isinstance(content, str):
            content = content.encode()
        p.write_bytes(content)
        t = time.time() - mtime_ago
        os.utime(p, (t, t))
        return p

    def files(self, sub):
        base = self.root / sub
        return sorted(str(p.relative_to(base)) for p in base.rglob("*") if p.is_file()) if base.exists() else []

    def runs(self):
        return self.json("runs")


@pytest.fixture
def ws(tmp_path):
    root = tmp_path / "ws"
    (root / "pipelines" / "templates").mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLUICE_")}
    env["SLUICE_CLOCK"] = FIXED_CLOCK
    env["TZ"] = "UTC"
    return Workspace(root, env)


class Receiver:
    def __init__(self, tmp_path, fail_first=""):
        self.log = tmp_path / f"webhooks-{time.monotonic_ns()}.jsonl"
        self.proc = subprocess.Popen([sys.executable, str(REPO / "scripts" / "webhook_receiver.py"), "--log", str(self.log),
                                      "--fail-first", fail_first], stdout=subprocess.PIPE, text=True)
        self.port = int(self.proc.stdout.readline())
        self.url = f"http://127.0.0.1:{self.port}/hook"

    def received(self):
        if not self.log.exists():
            return []
        return [json.loads(l) for l in self.log.read_text().splitlines() if l.strip()]

    def stop(self):
        self.proc.kill()
        self.proc.wait()


@pytest.fixture
def receiver(tmp_path):
    r = Receiver(tmp_path)
    yield r
    r.stop()


@pytest.fixture
def make_receiver(tmp_path):
    made = []

    def make(fail_first=""):
        r = Receiver(tmp_path, fail_first)
        made.append(r)
        return r
    yield make
    for r in made:
        r.stop()


@pytest.fixture(scope="session")
def sluice_bin():
    return BIN


def run_in_pty(args, env):
    """Runs sluice with standard output and error on a terminal; returns (exit code, what it showed)."""
    import pty
    leader, follower = pty.openpty()
    p = subprocess.Popen([BIN, *args], stdin=subprocess.DEVNULL, stdout=follower, stderr=follower, env=env)
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes when sluice exits
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    return p.wait(timeout=60), out.decode()
