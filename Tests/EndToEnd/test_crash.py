"""The crash matrix: SIGKILL at named points (SLUICE_CRASH_AT=name[:N]), then `sluice run`
again; a checker compares inbox, ledger, archive, outbox, the database and what the webhook
receiver got with an uninterrupted run of the same inputs."""
import hashlib
import json
import re
import signal
import sqlite3

import pytest

from conftest import Workspace

PIPELINE = """
triggers: {{ inbox: {{ settle: 0s }} }}
extract:
  - csv: {{}}
    as: ventes
transform:
  - validate:
      columns:
        Produit: {{ type: string, required: true }}
        Montant: {{ type: decimal, min: 0 }}
    as: valides
  - aggregate: {{ by: [Produit], sum: [Montant], count: Lignes }}
    as: totaux
load:
  - csv: {{ file: "totaux_{{{{input.stem}}}}.csv" }}
    from: totaux
  - xlsx: {{ file: "totaux_{{{{input.stem}}}}.xlsx" }}
    from: totaux
  - database: {{ table: lignes, mode: insert }}
    from: valides
notify:
  - webhook:
      url: "{url}"
      body: '{{"file": "{{{{input.name}}}}", "total": "{{{{valides.Montant.sum}}}}"}}'
  - file: {{ name: "done_{{{{input.stem}}}}.txt", text: "{{{{valides.rows}}}} lignes" }}
"""

INPUTS = {
    f"ventes_{i}.csv": "Produit,Montant\n" + "".join(f"P{j % 3},{i}.{j:02d}\n" for j in range(1, 8)) + ",1.00\n"
    for i in range(1, 4)
}

# (crash point, which hit): every place between two durable steps.
POINTS = [
    ("after-claim-record", 1), ("after-claim", 1), ("after-claim", 2), ("inside-stage", 1), ("inside-stage", 4),
    ("before-checkpoint-commit", 1), ("before-checkpoint-commit", 3), ("after-checkpoint", 2),
    ("after-effect-before-record", 1), ("mid-publish", 1), ("after-publish", 1), ("after-webhook-response", 1),
    ("after-effect-before-record", 2), ("after-effect-before-record", 3), ("after-publish", 2), ("mid-archive", 1), ("before-archive-commit", 1),
    ("after-complete", 1), ("after-claim-record", 3), ("after-webhook-response", 3),
]
# After the receiver answered 2xx and before the ledger records it, a crash means the
# webhook is sent again, with the same Idempotency-Key.
POST_2XX = {("after-webhook-response", 1), ("after-webhook-response", 3), ("after-effect-before-record", 2)}


def fill(ws, url):
    ws.pipeline("ventes", PIPELINE.format(url=url))
    for name, text in INPUTS.items():
        ws.drop("ventes", name, text)


def snapshot(ws, receiver):
    out = {}
    for name in ws.files("outbox"):
        out[name] = hashlib.sha256((ws.root / "outbox" / name).read_bytes()).hexdigest()
    db = sqlite3.connect(ws.root / "data" / "sluice.sqlite")
    rows = sorted(db.execute("SELECT Produit, Montant FROM lignes").fetchall(), key=lambda r: (r[0], r[1]))
    hooks = sorted(json.loads(r["body"])["file"] for r in receiver.received())
    return out, rows, hooks


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    import os
    from conftest import FIXED_CLOCK, Receiver
    tmp = tmp_path_factory.mktemp("reference")
    r = Receiver(tmp)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLUICE_")}
    env.update(SLUICE_CLOCK=FIXED_CLOCK, TZ="UTC")
    ws = Workspace(tmp / "ws", env)
    fill(ws, r.url)
    ws.sluice("run", check=True)
    snap = snapshot(ws, r)
    r.stop()
    assert len(snap[0]) == 12 and len(snap[1]) == 21 and len(snap[2]) == 3
    return snap


def check_consistent(ws):
    """Every input in exactly one archive folder, none left behind, every run finished."""
    runs = ws.runs()
    assert sorted(r["status"] for r in runs) == ["succeeded"] * 3, runs
    archived = [p for p in ws.files("archive") if p.rsplit("/", 1)[-1].startswith("ventes_")]
    assert sorted(p.rsplit("/", 1)[-1] for p in archived) == sorted(INPUTS), archived
    assert ws.files("inbox") == []
    assert ws.files(".sluice/work") == []
    for r in runs:
        doc = json.loads((ws.root / r["archive"] / "run.json").read_text())
        assert doc["status"] == "succeeded"


@pytest.mark.parametrize("point,hit", POINTS, ids=[f"{p}:{n}" for p, n in POINTS])
def test_sigkill_then_run_again_finishes_exactly_once(ws, make_receiver, reference, point, hit):
    receiver = make_receiver()
    fill(ws, receiver.url)
    crashed = ws.sluice("run", env={"SLUICE_CRASH_AT": f"{point}:{hit}"})
    assert crashed.returncode == -signal.SIGKILL, f"the crash point {point}:{hit} was not reached\n{crashed.stdout}\n{crashed.stderr}"
    again = ws.sluice("run", check=True)
    check_consistent(ws)
    outbox, rows, hooks = snapshot(ws, receiver)
    ref_outbox, ref_rows, ref_hooks = reference
    assert outbox == ref_outbox, "the outbox differs from an uninterrupted run"
    assert rows == ref_rows, "database rows are missing or doubled"
    sent = receiver.received()
    if (point, hit) in POST_2XX:
        assert len(sent) == 4 and sorted(set(hooks)) == ref_hooks
        keys = {}
        for s in sent:
            keys.setdefault(json.loads(s["body"])["file"], set()).add(s["headers"]["idempotency-key"])
        assert all(len(k) == 1 for k in keys.values()), "a repeated webhook must carry the same Idempotency-Key"
    else:
        assert hooks == ref_hooks, "each webhook must be received exactly once"
    assert ws.sluice("run", check=True).stdout.strip() == "nothing to do: no ready input in the inboxes"


def test_idempotency_key_is_stable_and_distinct_per_run(ws, receiver):
    fill(ws, receiver.url)
    ws.sluice("run", check=True)
    keys = [r["headers"]["idempotency-key"] for r in receiver.received()]
    assert len(set(keys)) == 3 and all(k.startswith("sluice-") for k in keys)
    assert all(r["headers"]["content-type"] == "application/json" for r in receiver.received())


def test_a_failing_webhook_fails_the_run_and_reprocess_sends_only_it(ws, make_receiver):
    receiver = make_receiver(fail_first="503")
    ws.pipeline("ventes", "retry: { attempts: 1 }\n" + PIPELINE.format(url=receiver.url))
    ws.drop("ventes", "ventes_1.csv", INPUTS["ventes_1.csv"])
    p = ws.sluice("run")
    assert p.returncode == 1 and "HTTP 503" in p.stdout
    failed = ws.runs()[0]
    ws.sluice("reprocess", failed["id"], check=True)
    db = sqlite3.connect(ws.root / "data" / "sluice.sqlite")
    assert db.execute("SELECT count(*) FROM lignes").fetchone() == (7,)
    assert [r["status"] for r in receiver.received()] == [503, 200]


def test_a_503_waits_for_its_retry_then_a_later_run_sends_it_once_more_with_the_same_key(ws, make_receiver):
    receiver = make_receiver(fail_first="503,503")
    ws.pipeline("ventes", "retry: { attempts: 3, initial: 10m, jitter: false }\n" + PIPELINE.format(url=receiver.url))
    ws.drop("ventes", "ventes_1.csv", INPUTS["ventes_1.csv"])
    first = ws.sluice("run")
    # TZ=UTC: the wake time as the machine's time zone reads it (Foundation names it UTC or GMT).
    assert first.returncode == 0 and re.search(r"attempt 2 at 2026-11-21 07:10 \((UTC|GMT)\)", first.stdout), first.stdout
    waiting = ws.runs()[0]
    assert waiting["status"] == "waiting" and waiting["wakeAt"] == "2026-11-21T07:10:00Z" and "HTTP 503" in waiting["lastError"]
    # Before the wake time nothing happens; `sluice retry` takes it up at once.
    ws.sluice("run", check=True, env={"SLUICE_CLOCK": "2026-11-21T07:05:00Z"})
    assert ws.runs()[0]["status"] == "waiting" and len(receiver.received()) == 1
    ws.sluice("retry", waiting["id"], env={"SLUICE_CLOCK": "2026-11-21T07:06:00Z"})
    again = ws.runs()[0]
    assert again["status"] == "waiting" and again["attempt"] == 2 and again["wakeAt"] == "2026-11-21T07:26:00Z"
    done = ws.sluice("run", check=True, env={"SLUICE_CLOCK": "2026-11-21T07:30:00Z"})
    final = ws.runs()[0]
    assert final["status"] == "succeeded" and final["attempt"] == 3, done.stdout
    got = receiver.received()
    assert [r["status"] for r in got] == [503, 503, 200]
    assert len({r["headers"]["idempotency-key"] for r in got}) == 1, "every attempt carries the same Idempotency-Key"
    db = sqlite3.connect(ws.root / "data" / "sluice.sqlite")
    assert db.execute("SELECT count(*) FROM lignes").fetchone() == (7,), "the load stage ran once"


def test_a_waiting_run_can_be_cancelled_and_its_input_is_archived(ws, make_receiver):
    receiver = make_receiver(fail_first="503")
    ws.pipeline("ventes", PIPELINE.format(url=receiver.url))
    ws.drop("ventes", "ventes_1.csv", INPUTS["ventes_1.csv"])
    ws.sluice("run", check=True)
    run = ws.runs()[0]
    assert run["status"] == "waiting"
    assert ws.sluice("cancel", run["id"]).returncode == 0
    cancelled = ws.runs()[0]
    assert cancelled["status"] == "failed" and cancelled["error"].startswith("ventes_1.csv: cancelled while waiting for its next attempt")
    assert (ws.root / cancelled["archive"] / "ventes_1.csv").exists() and (ws.root / cancelled["archive"] / "error.json").exists()
    assert ws.sluice("cancel", run["id"]).returncode != 0, "a finished run cannot be cancelled"


def test_secrets_from_the_environment_are_sent_but_never_shown(ws, receiver):
    ws.pipeline("ventes", PIPELINE.format(url=receiver.url + "?token=${env:HOOK_TOKEN}").replace(
        "      url:", "      headers: { Authorization: \"Bearer ${env:HOOK_TOKEN}\" }\n      url:"))
    ws.drop("ventes", "ventes_1.csv", INPUTS["ventes_1.csv"])
    ws.sluice("run", check=True, env={"HOOK_TOKEN": "s3cr3t-value"})
    got = receiver.received()[0]
    assert got["headers"]["authorization"] == "Bearer s3cr3t-value" and got["path"].endswith("token=s3cr3t-value")
    shown = ws.sluice("show", ws.runs()[0]["id"], "--json").stdout + ws.sluice("runs").stdout
    archive = ws.root / ws.runs()[0]["archive"] / "run.json"
    assert "s3cr3t-value" not in shown and "s3cr3t-value" not in archive.read_text()
    # Without the secret, the pipeline is refused before a run is made, with the located reason.
    missing = ws.sluice("reprocess", ws.runs()[0]["id"], "--resend")
    assert missing.returncode == 1 and "environment variable 'HOOK_TOKEN' is not set" in missing.stdout + missing.stderr, missing
    assert len(ws.runs()) == 1


# Without a webhook nothing forces a commit inside a batch: the three runs share one group
# commit, and a crash before it forgets their stages, publishing and archiving. The next run
# resumes them from their claims, taking inputs back from the archive where needed.
NO_HOOK = PIPELINE.format(url="").split("notify:")[0] + 'notify:\n  - file: { name: "done_{{input.stem}}.txt", text: "{{valides.rows}} lignes" }\n'
GROUP_POINTS = [("after-complete", 3), ("before-archive-commit", 2), ("mid-publish", 3), ("after-checkpoint", 7),
                ("after-group-commit", 1), ("after-group-commit", 2)]


def files_and_rows(ws):
    out = {n: hashlib.sha256((ws.root / "outbox" / n).read_bytes()).hexdigest() for n in ws.files("outbox")}
    db = sqlite3.connect(ws.root / "data" / "sluice.sqlite")
    return out, sorted(db.execute("SELECT Produit, Montant FROM lignes").fetchall())


@pytest.fixture(scope="module")
def group_reference(tmp_path_factory):
    import os
    from conftest import FIXED_CLOCK
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLUICE_")}
    env.update(SLUICE_CLOCK=FIXED_CLOCK, TZ="UTC")
    ws = Workspace(tmp_path_factory.mktemp("group") / "ws", env)
    ws.pipeline("ventes", NO_HOOK)
    for name, text in INPUTS.items():
        ws.drop("ventes", name, text)
    ws.sluice("run", check=True)
    out, rows = files_and_rows(ws)
    assert len(out) == 12 and len(rows) == 21
    return out, rows


@pytest.mark.parametrize("point,hit", GROUP_POINTS, ids=[f"{p}:{n}" for p, n in GROUP_POINTS])
def test_sigkill_inside_a_group_commit_loses_and_repeats_nothing(ws, group_reference, point, hit):
    ws.pipeline("ventes", NO_HOOK)
    for name, text in INPUTS.items():
        ws.drop("ventes", name, text)
    crashed = ws.sluice("run", env={"SLUICE_CRASH_AT": f"{point}:{hit}"})
    assert crashed.returncode == -signal.SIGKILL, f"the crash point {point}:{hit} was not reached\n{crashed.stdout}\n{crashed.stderr}"
    if point != "after-group-commit":
        # The group was not committed: the ledger knows the claims and nothing after them.
        assert {r["status"] for r in ws.runs()} <= {"claimed", "running"}
    ws.sluice("run", check=True)
    check_consistent(ws)
    assert files_and_rows(ws) == group_reference
