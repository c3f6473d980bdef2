"""`sluice serve`, the daemon: files dropped by rename are claimed while it runs; SIGTERM stops
it gracefully and a restart finishes what was interrupted, with nothing lost, nothing doubled
and no webhook sent twice under different keys; a broken manifest edit keeps the previous
version; schedules and events start runs. The daemon runs on real time (no SLUICE_CLOCK)."""
import json
import os
import signal
import subprocess
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import BIN
from mailservers import wait_for

INBOX = """
triggers: { inbox: { settle: 0s, pattern: "*.csv" } }
extract:
  - csv: {}
load:
  - csv: { file: "out_{{input.stem}}.csv" }
"""

HOOKED = INBOX + """notify:
  - webhook:
      url: "URL"
      body: '{"file": "{{input.name}}"}'
"""


def runs_now(ws):
    """The runs in the ledger, or none while it cannot be read yet."""
    p = ws.sluice("runs", "--json")
    if p.returncode != 0:
        return []
    try:
        return json.loads(p.stdout)
    except ValueError:
        return []


def succeeded(ws, count):
    """The runs, once there are `count` of them and every one succeeded (else None)."""
    runs = runs_now(ws)
    return runs if len(runs) == count and all(r["status"] == "succeeded" for r in runs) else None


def csv_text(i):
    return "Produit,Montant\n" + "".join(f"P{j},{i}.{j:02d}\n" for j in range(1, 5))


def drop_by_rename(ws, tmp_path, pipeline, name, content):
    """Writes the file elsewhere on the same file system, then renames it into the inbox."""
    staging = tmp_path / "staging"
    staging.mkdir(exist_ok=True)
    src = staging / name
    src.write_text(content)
    inbox = ws.root / "inbox" / pipeline
    inbox.mkdir(parents=True, exist_ok=True)
    os.rename(src, inbox / name)


class Serve:
    """One `sluice serve` process, its standard output and error in files."""

    def __init__(self, ws, log_dir, n):
        self.out = log_dir / f"serve-{n}.out"
        self.err = log_dir / f"serve-{n}.err"
        env = dict(ws.env)
        with open(self.out, "w") as out, open(self.err, "w") as err:
            self.proc = subprocess.Popen([BIN, "serve", "--root", str(ws.root)], stdout=out, stderr=err,
                                         stdin=subprocess.DEVNULL, env=env)
        wait_for(lambda: "pipeline(s)" in self.stdout() or self.proc.poll() is not None, what="the start line")
        assert self.proc.poll() is None, f"sluice serve exited {self.proc.returncode}\n{self.stdout()}\n{self.stderr()}"

    def stdout(self):
        return self.out.read_text() if self.out.exists() else ""

    def stderr(self):
        return self.err.read_text() if self.err.exists() else ""

    def stop(self, timeout=15):
        """SIGTERM, then waits for it to exit; returns the exit code."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"sluice serve did not exit within {timeout} s of SIGTERM\n{self.stdout()}\n{self.stderr()}")

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def serve(ws, tmp_path):
    # The daemon and the commands that talk to it run on real time.
    ws.env.pop("SLUICE_CLOCK", None)
    ws.env["TZ"] = "UTC"
    started = []

    def start():
        s = Serve(ws, tmp_path, len(started))
        started.append(s)
        return s
    yield start
    for s in started:
        s.kill()


class SlowReceiver:
    """A webhook receiver on loopback that waits `delay` seconds before answering 200, and
    records each request (Idempotency-Key, body) when it arrives."""

    def __init__(self, delay=1.5):
        self.requests = []
        lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8", "replace")
                with lock:
                    outer.requests.append({"key": self.headers.get("Idempotency-Key"), "body": body})
                time.sleep(delay)  # the slow answer under test, not a wait for a result
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                answer = b'{"ok": true}'
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def received(self):
        return list(self.requests)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def slow_receiver():
    r = SlowReceiver()
    yield r
    r.stop()


def where_is(ws, name):
    """Every place an input file is: its inbox, a run's work folder (as .in.NAME), the archive."""
    places = []
    places += [f"inbox/{p}" for p in ws.files("inbox") if p.rsplit("/", 1)[-1] == name]
    places += [f".sluice/work/{p}" for p in ws.files(".sluice/work") if p.rsplit("/", 1)[-1] == f".in.{name}"]
    places += [f"archive/{p}" for p in ws.files("archive") if p.rsplit("/", 1)[-1] == name]
    return places


def test_files_dropped_by_rename_are_claimed_and_run(ws, tmp_path, serve):
    ws.pipeline("ventes", INBOX)
    daemon = serve()
    assert "sluice serve: 1 pipeline(s)" in daemon.stdout()
    assert (ws.root / ".sluice" / "serve.pid").read_text().strip() == str(daemon.proc.pid)
    names = [f"ventes_{i}.csv" for i in range(1, 4)]
    for i, name in enumerate(names, 1):
        drop_by_rename(ws, tmp_path, "ventes", name, csv_text(i))
    runs = wait_for(lambda: succeeded(ws, 3), what="3 succeeded runs")
    assert all(r["pipeline"] == "ventes" and r["id"] for r in runs)
    assert sorted(i for r in runs for i in r["inputs"]) == names
    for r in runs:
        (name,) = r["inputs"]
        stem = name[:-4]
        assert r["outputs"] == [f"outbox/ventes/out_{stem}.csv"]
        assert (ws.root / r["outputs"][0]).read_text().splitlines()[0] == "Produit,Montant"
        assert (ws.root / r["archive"] / name).read_text() == csv_text(int(stem[-1]))
    assert ws.files("inbox") == []
    assert sorted(ws.files("outbox")) == [f"ventes/out_{n[:-4]}.csv" for n in names]
    assert daemon.stop() == 0
    assert "sluice serve: stopped" in daemon.stdout()
    assert not (ws.root / ".sluice" / "serve.pid").exists()


def test_sigterm_then_restart_loses_nothing_and_repeats_nothing(ws, tmp_path, serve, slow_receiver):
    ws.pipeline("ventes", HOOKED.replace("URL", slow_receiver.url))
    assert ws.sluice("validate").returncode == 0
    names = [f"ventes_{i}.csv" for i in range(1, 4)]
    daemon = serve()
    for i, name in enumerate(names, 1):
        drop_by_rename(ws, tmp_path, "ventes", name, csv_text(i))
    wait_for(slow_receiver.received, what="the first webhook POST")
    code = daemon.stop()
    assert code == 0, f"sluice serve exited {code} after SIGTERM\n{daemon.stdout()}\n{daemon.stderr()}"
    assert "stopped" in daemon.stdout()
    assert not (ws.root / ".sluice" / "serve.pid").exists()
    for name in names:
        places = where_is(ws, name)
        assert len(places) == 1, f"{name} should be in exactly one place after SIGTERM, is in {places}"

    daemon = serve()
    wait_for(lambda: succeeded(ws, 3), timeout=30, what="3 succeeded runs after the restart")
    assert daemon.stop() == 0
    runs = ws.runs()
    assert sorted(i for r in runs for i in r["inputs"]) == names
    for name in names:
        places = where_is(ws, name)
        assert len(places) == 1 and places[0].startswith("archive/"), f"{name} is in {places}"
    assert ws.files("inbox") == []
    assert sorted(ws.files("outbox")) == [f"ventes/out_{n[:-4]}.csv" for n in names]
    got = slow_receiver.received()
    keys_by_file = {}
    for g in got:
        keys_by_file.setdefault(json.loads(g["body"])["file"], set()).add(g["key"])
    assert sorted(keys_by_file) == names, got
    assert all(len(k) == 1 for k in keys_by_file.values()), f"a repeated POST must carry the same Idempotency-Key: {got}"
    assert len({g["key"] for g in got}) == 3 and all(g["key"] for g in got)
    for r in runs:
        (name,) = r["inputs"]
        effects = ws.json("show", r["id"])["effects"]
        assert [(e["state"], e["key"]) for e in effects] == [("done", *keys_by_file[name])], effects


BROKEN = """
triggers: { inbox: { settle: 0s, pattern: "*.csv" } }
extract:
  - csvv: {}
load:
  - csv: { file: "new_{{input.stem}}.csv" }
"""


def start_with_a_broken_edit(ws, tmp_path, serve):
    ws.pipeline("ventes", INBOX)
    daemon = serve()
    drop_by_rename(ws, tmp_path, "ventes", "a.csv", csv_text(1))
    wait_for(lambda: [r for r in runs_now(ws) if r["status"] == "succeeded"], what="the first run")
    (ws.root / "pipelines" / "ventes.yaml").write_text(BROKEN)
    wait_for(lambda: "pipelines/ventes.yaml has errors" in daemon.stdout(), what="the daemon to notice the broken manifest")
    return daemon


def test_a_broken_manifest_edit_keeps_the_previous_version(ws, tmp_path, serve):
    daemon = start_with_a_broken_edit(ws, tmp_path, serve)
    assert "previous version keeps running" in daemon.stdout()
    p = ws.sluice("reload")
    assert p.returncode == 0, p.stdout + p.stderr
    assert f"asked sluice serve (pid {daemon.proc.pid}) to reload" in p.stdout
    # The manifest's errors are diagnostics: on standard error.
    assert "pipelines/ventes.yaml:4:5" in p.stderr and "csvv" in p.stderr
    drop_by_rename(ws, tmp_path, "ventes", "b.csv", csv_text(2))
    wait_for(lambda: succeeded(ws, 2), what="the run of the file dropped after the broken edit")
    assert sorted(ws.files("outbox")) == ["ventes/out_a.csv", "ventes/out_b.csv"]
    assert daemon.proc.poll() is None
    # Fixed again: the new version is taken up.
    ws.pipeline("ventes", BROKEN.replace("csvv", "csv"))
    p = ws.sluice("reload")
    assert p.returncode == 0 and "not loaded" not in p.stdout + p.stderr
    drop_by_rename(ws, tmp_path, "ventes", "c.csv", csv_text(3))
    wait_for(lambda: "ventes/new_c.csv" in ws.files("outbox"), what="the fixed manifest's output")
    assert daemon.stop() == 0


def test_a_broken_manifest_edit_is_located_on_the_daemons_stdout(ws, tmp_path, serve):
    daemon = start_with_a_broken_edit(ws, tmp_path, serve)
    assert ws.sluice("reload").returncode == 0
    assert "pipelines/ventes.yaml:4:5" in daemon.stderr()  # logged, at least
    assert "pipelines/ventes.yaml:4:5" in daemon.stdout()


TICK = """
triggers: { inbox: false, schedule: "every 1 minutes" }
extract:
  - files: {}
notify:
  - file: { name: "tick_{{run.id}}.txt", text: "tick" }
"""


def test_a_scheduled_pipeline_has_its_next_run_listed(ws, serve):
    ws.pipeline("tick", TICK)
    daemon = serve()
    before = datetime.now(timezone.utc)
    listed = ws.json("schedule")
    after = datetime.now(timezone.utc)
    assert [s["pipeline"] for s in listed] == ["tick"], listed
    (tick,) = listed
    assert tick["cron"] == "* * * * *" and tick["schedule"] == "every 1 minutes"
    nxt = datetime.fromisoformat(tick["nextRun"])
    assert nxt.second == 0 and before < nxt <= after + timedelta(minutes=1), (before, nxt, after)
    assert daemon.proc.poll() is None and daemon.stop() == 0


PAID = """
triggers: { inbox: false, event: order.paid }
extract:
  - files: {}
notify:
  - file: { name: "paid_{{run.params.n}}_{{run.id}}.txt", text: "paid {{run.params.n}}" }
"""


def test_an_event_starts_one_run_per_id(ws, serve):
    ws.pipeline("paid", PAID)
    daemon = serve()
    p = ws.sluice("emit", "order.paid", "--id", "X", "--param", "n=1")
    assert p.returncode == 0 and f"started by sluice serve (pid {daemon.proc.pid})" in p.stdout, p.stdout + p.stderr
    (run,) = wait_for(lambda: [r for r in runs_now(ws) if r["status"] == "succeeded"], what="the event's run")
    assert run["pipeline"] == "paid" and run["triggeredBy"] == "event:order.paid:X"
    assert run["outputs"] == [f"outbox/paid/paid_1_{run['id']}.txt"]
    assert (ws.root / run["outputs"][0]).read_text() == "paid 1"
    again = ws.sluice("emit", "order.paid", "--id", "X", "--param", "n=1")
    assert again.returncode == 0 and "already delivered" in again.stdout
    # Another id afterwards: once its run is done, the daemon has looked at the ledger since.
    ws.sluice("emit", "order.paid", "--id", "Y", "--param", "n=2", check=True)
    runs = wait_for(lambda: succeeded(ws, 2), what="the second event's run")
    assert sorted(r["triggeredBy"] for r in runs) == ["event:order.paid:X", "event:order.paid:Y"]
    assert daemon.stop() == 0


def test_the_daemon_looks_at_a_mailbox_every_poll_and_runs_each_new_message_once(ws, tmp_path, serve, mail):
    from test_imap import GOOD, ORDERS, connections, imap_runs, order_mail
    mail.clear()
    mail.deliver(ORDERS, order_mail("Commande 1", rows=GOOD))
    (ws.root / "connections.yaml").write_text(connections(mail))
    ws.pipeline("commandes", """
extract:
  - imap: { connection: orders-mail, poll: 1s, processed: Traité }
    as: message
notify:
  - file: { name: "recu_{{run.id}}.txt", text: "{{message.items.0.subject}}" }
""")
    daemon = serve()
    wait_for(lambda: len(imap_runs(ws)) == 1 and imap_runs(ws)[0]["status"] == "succeeded", what="the first message's run")
    # A message that arrives while the daemon runs is found at the next poll.
    mail.deliver(ORDERS, order_mail("Commande 2", rows=GOOD))
    runs = wait_for(lambda: (r := imap_runs(ws)) and len(r) == 2 and all(x["status"] == "succeeded" for x in r) and r,
                    what="the second message's run")
    wait_for(lambda: len(mail.flags(ORDERS, "Traité")) == 2, what="both messages moved to Traité")
    assert daemon.stop() == 0
    texts = sorted((ws.root / "outbox" / "commandes" / f"recu_{r['id']}.txt").read_text() for r in runs)
    assert texts == ["Commande 1", "Commande 2"]
    assert len(imap_runs(ws)) == 2


def test_a_paused_pipelines_files_wait_until_it_is_resumed(ws, tmp_path, serve):
    ws.pipeline("ventes", INBOX)
    ws.pipeline("stocks", INBOX)
    daemon = serve()
    p = ws.sluice("pause", "ventes")
    assert p.returncode == 0 and "ventes is paused" in p.stdout, p.stdout + p.stderr
    assert "already paused" in ws.sluice("pause", "ventes").stdout
    unknown = ws.sluice("pause", "vente")
    assert unknown.returncode == 1 and "did you mean 'ventes'" in unknown.stderr
    drop_by_rename(ws, tmp_path, "ventes", "v.csv", csv_text(1))
    drop_by_rename(ws, tmp_path, "stocks", "s.csv", csv_text(2))
    # The daemon has looked at both inboxes once the other pipeline's file is done.
    wait_for(lambda: succeeded(ws, 1), what="the run of the pipeline not paused")
    assert [r["pipeline"] for r in runs_now(ws)] == ["stocks"]
    assert ws.files("inbox") == ["ventes/v.csv"]
    p = ws.sluice("resume", "ventes")
    assert p.returncode == 0 and "ventes is resumed" in p.stdout, p.stdout + p.stderr
    runs = wait_for(lambda: succeeded(ws, 2), what="the paused pipeline's file, once resumed")
    assert sorted(r["pipeline"] for r in runs) == ["stocks", "ventes"]
    assert daemon.stop() == 0


def test_a_manual_trigger_is_driven_by_the_running_daemon(ws, tmp_path, serve):
    ws.pipeline("ventes", INBOX)
    daemon = serve()
    given = tmp_path / "given.csv"
    given.write_text(csv_text(3))
    p = ws.sluice("trigger", "ventes", str(given), "--param", "k=v")
    assert p.returncode == 0 and f"started by sluice serve (pid {daemon.proc.pid})" in p.stdout, p.stdout + p.stderr
    (run,) = wait_for(lambda: succeeded(ws, 1), what="the manual run")
    assert run["trigger"] == "manual" and run["inputs"] == ["given.csv"]
    assert given.read_text() == csv_text(3), "a file given on the command line is copied, never moved"
    assert daemon.stop() == 0
