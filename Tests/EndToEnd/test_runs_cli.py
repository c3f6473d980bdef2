"""What `runs`, `show` and `reprocess` say and pick: --since forms, reprocessed runs, wake
times in the pipeline's time zone, run ids; unsafe input names; identical files in one batch."""
import json
import re

SALES = """
triggers: { inbox: { settle: 0s } }
extract:
  - csv: {}
transform:
  - validate:
      columns:
        Produit: { type: string, required: true }
        Montant: { type: decimal, min: 0 }
      on-invalid: reject-row
    as: valides
load:
  - csv: { file: "{{input.stem}}_out.csv" }
    from: valides
notify:
  - file: { name: "note_{{input.name}}.txt", text: "{{valides.rows}}" }
"""

GOOD = "Produit;Montant\nCafé;1.50\n;2.00\n"
# A file without the Produit column fails the run.
BAD = "Article;Montant\nCafé;1.50\n"


def test_since_takes_today_spans_dates_and_instants(ws):
    ws.pipeline("ventes", SALES)
    ws.drop("ventes", "old.csv", GOOD)
    ws.sluice("run", check=True, env={"SLUICE_CLOCK": "2026-11-10T07:00:00Z"})
    ws.drop("ventes", "new.csv", GOOD + "Thé;3\n")
    ws.sluice("run", check=True, env={"SLUICE_CLOCK": "2026-11-21T07:00:00Z"})
    now = {"SLUICE_CLOCK": "2026-11-21T08:00:00Z"}
    expected = {
        "today": ["new.csv"], "yesterday": ["new.csv"], "7d": ["new.csv"], "12h": ["new.csv"], "30m": [],
        "2w": ["old.csv", "new.csv"], "2026-11-10": ["old.csv", "new.csv"], "2026-11-15": ["new.csv"],
        "2026-11-10T08:00:00Z": ["new.csv"], "2026-11-10T07:00": ["old.csv", "new.csv"], "2026-11-21T07:00:01+00:00": [],
    }
    for since, names in expected.items():
        runs = ws.json("runs", "--since", since, env=now)
        assert [r["inputs"][0] for r in runs] == names, since
    bad = ws.sluice("runs", "--since", "lundi")
    assert bad.returncode == 64 and "lundi" in bad.stderr


def test_reprocess_failed_skips_runs_already_reprocessed_and_show_names_both_ends(ws):
    ws.pipeline("ventes", SALES)
    ws.drop("ventes", "a.csv", BAD)
    assert ws.sluice("run").returncode == 1
    (original,) = ws.runs()
    # The manifest is fixed: Article is the product column now.
    ws.pipeline("ventes", SALES.replace("Produit: {", "Article: {"))
    p = ws.sluice("reprocess", "--pipeline", "ventes", "--since", "today", check=True)
    runs = ws.runs()
    assert len(runs) == 2 and runs[1]["status"] == "succeeded" and runs[1]["reprocessOf"] == original["id"], p.stdout
    again = ws.sluice("reprocess", "--pipeline", "ventes", "--since", "today", check=True)
    assert "no failed runs of ventes since today left to reprocess" in again.stdout
    assert len(ws.runs()) == 2
    shown = ws.sluice("show", original["id"], check=True).stdout
    assert f"reprocessed by {runs[1]['id']}" in shown
    assert ws.json("show", original["id"])["reprocessedBy"] == [runs[1]["id"]]
    assert f"reprocess of {original['id']}" in ws.sluice("show", runs[1]["id"], check=True).stdout
    assert "reprocessedBy" not in ws.json("show", runs[1]["id"])


def test_a_failed_reprocessing_stands_for_its_original(ws):
    ws.pipeline("ventes", SALES)
    ws.drop("ventes", "a.csv", BAD)
    ws.sluice("run")
    (original,) = ws.runs()
    assert ws.sluice("reprocess", original["id"]).returncode == 1
    # Both failed; reprocessing the failed runs takes the latest attempt only.
    ws.pipeline("ventes", SALES.replace("Produit: {", "Article: {"))
    ws.sluice("reprocess", "--pipeline", "ventes", "--since", "today", check=True)
    runs = ws.runs()
    assert [r["status"] for r in runs] == ["failed", "failed", "succeeded"]
    assert runs[2]["reprocessOf"] == runs[1]["id"]


def test_a_waiting_run_shows_its_wake_time_in_the_pipelines_time_zone(ws, make_receiver):
    receiver = make_receiver(fail_first="503")
    ws.pipeline("ventes", f"""
timezone: Europe/Zurich
retry: {{ attempts: 3, initial: 10m, jitter: false }}
triggers: {{ inbox: {{ settle: 0s }} }}
extract:
  - csv: {{}}
notify:
  - webhook: {{ url: "{receiver.url}" }}
""")
    ws.drop("ventes", "v.csv", GOOD)
    first = ws.sluice("run", check=True)
    assert "attempt 2 at 2026-11-21 08:10 (Europe/Zurich)" in first.stdout, first.stdout
    listed = ws.sluice("runs", check=True).stdout
    assert "attempt 2 at 2026-11-21 08:10 (Europe/Zurich)" in listed and "T07:10:00Z" not in listed
    (run,) = ws.runs()
    assert run["wakeAt"] == "2026-11-21T07:10:00Z" and run["wakeAtLocal"] == "2026-11-21 08:10 (Europe/Zurich)"
    assert "waiting   attempt 2 at 2026-11-21 08:10 (Europe/Zurich)" in ws.sluice("show", run["id"], check=True).stdout


def test_run_ids_are_the_utc_creation_time_for_every_trigger(ws, tmp_path):
    zurich = SALES.replace("triggers: { inbox: { settle: 0s } }", "timezone: Europe/Zurich\ntriggers: { inbox: { settle: 0s }, manual: true }")
    ws.pipeline("ventes", zurich)
    ws.drop("ventes", "a.csv", GOOD)
    ws.sluice("run", check=True)
    f = tmp_path / "b.csv"
    f.write_text(GOOD + "Thé;2\n")
    ws.sluice("trigger", "ventes", str(f), check=True, env={"SLUICE_CLOCK": "2026-11-21T07:00:05Z"})
    ws.sluice("reprocess", ws.runs()[0]["id"], check=True, env={"SLUICE_CLOCK": "2026-11-21T07:00:09Z"})
    runs = ws.runs()
    assert [r["trigger"] for r in runs] == ["inbox", "manual", "reprocess"]
    for r in runs:
        stamp = re.match(r"^(\d{8})-(\d{6})-[0-9a-f]{6}$", r["id"])
        assert stamp, r["id"]
        assert r["created"].replace("-", "").replace(":", "").startswith(stamp[1] + "T" + stamp[2]), (r["id"], r["created"])
    assert [r["id"] for r in runs] == sorted(r["id"] for r in runs)


def test_an_input_name_with_control_characters_never_reaches_an_output_name_or_a_line(ws):
    ws.pipeline("ventes", SALES)
    name = "vente\n\x1b[31mrouge\t.csv"
    ws.drop("ventes", name, GOOD)
    planned = ws.sluice("plan", "ventes", check=True).stdout
    assert "\x1b" not in planned and "vente\\n\\u{1B}[31mrouge\\t.csv  (" in planned, planned
    assert "would write outbox/ventes/vente[31mrouge_out.csv" in planned
    p = ws.sluice("run", "--verbose", check=True)
    assert "\x1b" not in p.stdout + p.stderr and "vente\\n\\u{1B}[31mrouge\\t.csv" in p.stdout
    assert all(len(line) < 400 for line in p.stdout.splitlines())
    outputs = ws.files("outbox/ventes")
    assert outputs and all(not re.search(r"[\x00-\x1f\x7f]", o) for o in outputs), outputs
    assert "vente[31mrouge_out.csv" in outputs
    listed = ws.sluice("runs", check=True).stdout
    assert "\x1b" not in listed and len(listed.splitlines()) == 1
    (run,) = ws.runs()
    assert run["inputs"] == [name]
    shown = ws.sluice("show", run["id"], check=True).stdout
    assert "\x1b" not in shown and "input     vente\\n\\u{1B}[31mrouge\\t.csv" in shown


def test_identical_files_in_one_batch_are_duplicates_only_if_the_first_succeeded(ws):
    ws.pipeline("ventes", SALES)
    ws.drop("ventes", "a.csv", BAD)
    ws.drop("ventes", "b.csv", BAD)
    assert ws.sluice("run").returncode == 1
    runs = ws.runs()
    assert [r["status"] for r in runs] == ["failed", "failed"], runs
    assert all(r.get("duplicateOf") is None for r in runs)
    ws.drop("ventes", "c.csv", GOOD)
    ws.drop("ventes", "d.csv", GOOD)
    ws.sluice("run", check=True)
    good = ws.runs()[2:]
    assert [r["status"] for r in good] == ["succeeded", "duplicate"] and good[1]["duplicateOf"] == good[0]["id"]


def test_identical_files_one_after_the_other_follow_the_same_rule(ws):
    ws.pipeline("ventes", SALES)
    ws.drop("ventes", "a.csv", BAD)
    ws.sluice("run")
    ws.drop("ventes", "b.csv", BAD)
    ws.sluice("run")
    assert [r["status"] for r in ws.runs()] == ["failed", "failed"]
