"""The HTTP API of `sluice serve`, against a real server on 127.0.0.1 with a free port: a
token made with the command line, a run triggered with parameters, polled (with a deadline)
until it succeeded, and read back; deny by default; `--no-http`."""
import json
import re
import signal
import subprocess
import urllib.error
import urllib.request

import pytest

from conftest import BIN
from mailservers import wait_for

PAID = """
description: Commandes payées
triggers: { inbox: false, manual: true }
extract:
  - files: {}
notify:
  - file: { name: "paid_{{run.params.order}}.txt", text: "order {{run.params.order}} x{{run.params.qty}}" }
"""


class Server:
    def __init__(self, ws, tmp_path, *args):
        self.out = tmp_path / "serve-api.out"
        self.err = tmp_path / "serve-api.err"
        with open(self.out, "w") as out, open(self.err, "w") as err:
            self.proc = subprocess.Popen([BIN, "serve", "--root", str(ws.root), *args], stdout=out, stderr=err,
                                         stdin=subprocess.DEVNULL, env=ws.env)
        wait_for(lambda: "pipeline(s)" in self.stdout() or self.proc.poll() is not None, what="the start line")
        assert self.proc.poll() is None, f"sluice serve exited {self.proc.returncode}\n{self.stdout()}\n{self.stderr()}"

    def stdout(self):
        return self.out.read_text() if self.out.exists() else ""

    def stderr(self):
        return self.err.read_text() if self.err.exists() else ""

    def url(self):
        found = wait_for(lambda: re.search(r"API on (http://127\.0\.0\.1:\d+)", self.stdout()), what="the API's address")
        return found.group(1)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=15)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def call(url, method="GET", token=None, body=None, headers=None):
    """(status, JSON body) of one request."""
    h = dict(headers or {})
    if token:
        h["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


@pytest.fixture
def api_ws(ws):
    ws.env.pop("SLUICE_CLOCK", None)
    ws.pipeline("paid", PAID)
    return ws


def token(ws, scope):
    p = ws.sluice("api-token", "create", "--scope", scope, "--name", f"e2e {scope}", check=True)
    secret = p.stdout.strip()
    assert secret.startswith("sluice_") and len(secret) == 71, p.stdout
    assert "not shown again" in p.stderr
    return secret


def test_trigger_with_parameters_poll_until_it_succeeds_and_read_it_back(api_ws, tmp_path):
    ws = api_ws
    admin, trigger = token(ws, "admin"), token(ws, "trigger")
    listed = ws.sluice("api-token", "list", check=True).stdout
    assert listed.count("active") == 2 and admin not in listed and trigger not in listed
    server = Server(ws, tmp_path, "--listen", "127.0.0.1:0")
    try:
        base = server.url()
        assert call(base + "/health") == (200, {"ok": True})
        status, ready = call(base + "/ready", token=admin)
        assert status == 200 and ready["ready"], ready
        # Deny by default: no token, a wrong one, a scope too small.
        assert call(base + "/api/runs")[0] == 401
        assert call(base + "/api/runs", token="sluice_" + "0" * 64)[0] == 401
        assert call(base + "/api/runs", token=trigger)[0] == 403

        status, started = call(base + "/api/pipelines/paid/runs", "POST", token=trigger, body={"order": "A-17", "qty": 3},
                               headers={"Idempotency-Key": "order-A-17"})
        assert status == 202, started
        run_id = started["run"]
        again = call(base + "/api/pipelines/paid/runs", "POST", token=trigger, body={"order": "A-17", "qty": 3},
                     headers={"Idempotency-Key": "order-A-17"})
        assert again[0] == 202 and again[1]["run"] == run_id and again[1]["replayed"] is True

        def finished():
            s, doc = call(f"{base}/api/runs/{run_id}", token=admin)
            return doc if s == 200 and doc["run"]["status"] in ("succeeded", "failed") else None
        doc = wait_for(finished, what=f"run {run_id} to finish")
        assert doc["run"]["status"] == "succeeded", doc
        assert doc["parameters"] == {"order": "A-17", "qty": "3"}
        assert (ws.root / "outbox" / "paid" / "paid_A-17.txt").read_text() == "order A-17 x3"
        assert [r["id"] for r in ws.runs()] == [run_id], "one key, one run"

        # The URL a cron service calls, with the trigger token as its secret.
        status, hit = call(f"{base}/api/pipelines/paid/trigger?secret={trigger}&order=B-2&qty=1")
        assert status == 200 and hit["ok"] is True and hit["run"] and hit["at"], hit
        status, page = call(base + "/api/runs?pipeline=paid&limit=1", token=admin)
        assert status == 200 and len(page["runs"]) == 1 and page["next"], page
        status, pipelines = call(base + "/api/pipelines", token=admin)
        assert [p["name"] for p in pipelines["pipelines"]] == ["paid"]
        assert call(base + "/api/pipelines/..%2f..%2fetc%2fpasswd", token=admin)[0] == 404
        assert trigger not in server.stdout() + server.stderr() and admin not in server.stdout() + server.stderr()
    finally:
        code = server.stop()
        server.kill()
    assert code == 0 and "sluice serve: stopped" in server.stdout(), server.stdout() + server.stderr()


def test_a_revoked_token_is_refused(api_ws, tmp_path):
    ws = api_ws
    secret = token(ws, "read")
    token_id = ws.json("api-token", "list")[0]["id"]
    server = Server(ws, tmp_path, "--listen", ":0")
    try:
        base = server.url()
        assert call(base + "/api/pipelines", token=secret)[0] == 200
        assert ws.sluice("api-token", "revoke", token_id, check=True).stdout.strip() == f"{token_id} is revoked"
        assert call(base + "/api/pipelines", token=secret)[0] == 401
    finally:
        server.stop()
        server.kill()
    assert ws.sluice("api-token", "revoke", token_id).returncode == 1


def test_no_http_leaves_the_api_out(api_ws, tmp_path):
    server = Server(api_ws, tmp_path, "--no-http")
    try:
        assert "API on" not in server.stdout()
    finally:
        assert server.stop() == 0
        server.kill()


def test_listen_refuses_a_bad_address(api_ws):
    p = api_ws.sluice("serve", "--listen", "127.0.0.1:http")
    assert p.returncode == 64 and "--listen takes HOST:PORT" in p.stderr


def test_api_token_refuses_an_unknown_scope(api_ws):
    p = api_ws.sluice("api-token", "create", "--scope", "root")
    assert p.returncode == 64 and "--scope is read, trigger or admin" in p.stderr
