"""`sluice prune`: finished runs older than a limit go, with their archives; young, running and
waiting runs stay. Runs are dated by SLUICE_CLOCK (the runner's clock), so no test waits."""
import re
import sqlite3

COPY = """
timezone: UTC
triggers: { inbox: { settle: 0s } }
extract:
  - csv: {}
transform:
  - validate:
      columns:
        x: { type: integer }
      on-invalid: fail-run
load:
  - csv: { file: "out_{{input.stem}}.csv" }
"""

PARKED = """
timezone: UTC
triggers: { inbox: { settle: 0s } }
extract:
  - csv: {}
transform:
  - wait: 400d
load:
  - csv: { file: "parked_{{input.stem}}.csv" }
"""

OLD = "2026-06-01T08:00:00Z"
YOUNG = "2026-11-01T08:00:00Z"
NOW = "2026-11-21T08:00:00Z"


def history(ws):
    """Two old finished runs (one failed), a waiting one as old, and a young one."""
    ws.pipeline("copy", COPY)
    ws.pipeline("parked", PARKED)
    ws.drop("copy", "old.csv", "x\n1\n")
    ws.drop("copy", "broken.csv", "x\nnot a number\n")
    ws.drop("parked", "later.csv", "x\n1\n")
    ws.sluice("run", env={"SLUICE_CLOCK": OLD})
    ws.drop("copy", "young.csv", "x\n2\n")
    ws.sluice("run", check=True, env={"SLUICE_CLOCK": YOUNG})
    runs = {r["inputs"][0]: r for r in ws.runs()}
    assert runs["old.csv"]["status"] == "succeeded" and runs["young.csv"]["status"] == "succeeded"
    assert runs["broken.csv"]["status"] == "failed" and runs["later.csv"]["status"] == "waiting"
    return runs


def names(ws):
    return sorted(r["inputs"][0] for r in ws.runs())


def test_a_dry_run_lists_what_would_go_with_sizes_and_changes_nothing(ws):
    runs = history(ws)
    before = ws.files("archive")
    ledger = (ws.root / ".sluice" / "state.sqlite").read_bytes()
    p = ws.sluice("prune", "--older-than", "90d", "--dry-run", check=True, env={"SLUICE_CLOCK": NOW})
    lines = p.stdout.splitlines()
    assert lines[0].startswith("would remove 2 runs finished before 2026-08-23"), p.stdout
    assert re.search(r": archives \d+\.\d kB, ledger records \d+\.\d kB$", lines[0]), lines[0]
    listed = {l.split()[0] for l in lines[1:] if l.startswith("  ")}
    old_ids = {r["id"] for name, r in runs.items() if name in ("old.csv", "broken.csv")}
    assert listed == old_ids, p.stdout
    assert ws.files("archive") == before and names(ws) == ["broken.csv", "later.csv", "old.csv", "young.csv"]
    assert (ws.root / ".sluice" / "state.sqlite").read_bytes() == ledger
    doc = ws.json("prune", "--older-than", "90d", "--dry-run", env={"SLUICE_CLOCK": NOW})
    assert doc["dryRun"] is True and {r["run"] for r in doc["runs"]} == old_ids
    assert all(r["archiveBytes"] > 0 and r["recordBytes"] > 0 and r["archive"].startswith("archive/copy/2026/06/01/") for r in doc["runs"])


def test_prune_removes_old_finished_runs_and_their_archives_only(ws):
    runs = history(ws)
    p = ws.sluice("prune", "--older-than", "90d", check=True, env={"SLUICE_CLOCK": NOW})
    assert p.stdout.startswith("removed 2 runs"), p.stdout
    assert "ledger " in p.stdout
    assert names(ws) == ["later.csv", "young.csv"], "the waiting run is as old, but not finished"
    archived = ws.files("archive")
    assert not any(f.startswith("copy/2026/06") for f in archived), archived
    assert any(f.startswith("copy/2026/11/01/") for f in archived)
    assert (ws.root / "outbox" / "copy" / "out_old.csv").exists(), "published outputs are never pruned"
    show = ws.sluice("show", runs["old.csv"]["id"])
    assert show.returncode != 0 and "no run" in show.stderr
    db = sqlite3.connect(ws.root / ".sluice" / "state.sqlite")
    assert db.execute("PRAGMA auto_vacuum").fetchone() == (2,)
    assert db.execute("SELECT count(*) FROM run_inputs WHERE run_id = ?", (runs["old.csv"]["id"],)).fetchone() == (0,)
    # Nothing left to remove: a second prune removes nothing.
    again = ws.sluice("prune", "--older-than", "90d", check=True, env={"SLUICE_CLOCK": NOW})
    assert again.stdout.startswith("removed 0 runs"), again.stdout


def test_prune_takes_its_limit_from_sluice_yaml_and_one_pipeline_at_a_time(ws):
    history(ws)
    p = ws.sluice("prune", env={"SLUICE_CLOCK": NOW})
    assert p.returncode != 0 and "--older-than" in p.stderr and "retention" in p.stderr
    (ws.root / "sluice.yaml").write_text("retention: { runs: 1d }\n")
    only = ws.sluice("prune", "--pipeline", "parked", check=True, env={"SLUICE_CLOCK": NOW})
    assert only.stdout.startswith("removed 0 runs of parked"), only.stdout
    everything = ws.json("prune", env={"SLUICE_CLOCK": NOW})
    assert everything["dryRun"] is False and len(everything["runs"]) == 3
    assert names(ws) == ["later.csv"]
    (ws.root / "sluice.yaml").write_text("retention: { runs: soon }\n")
    bad = ws.sluice("prune", env={"SLUICE_CLOCK": NOW})
    assert bad.returncode == 1 and "sluice.yaml:1:" in bad.stderr
    assert "duration" in bad.stderr
