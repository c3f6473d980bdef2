"""The life of an input: claim, stages, publish, archive; duplicates, corrections,
reprocessing, plans, and what `runs` and `show` say."""
import csv
import io
import json
import os
import re
import sqlite3

SALES = """
triggers: { inbox: { settle: 0s } }
extract:
  - csv: {}
    as: ventes
transform:
  - validate:
      columns:
        Date:    { type: date, required: true }
        Produit: { type: string, required: true }
        Montant: { type: decimal, min: 0 }
      on-invalid: reject-row
    as: valides
  - aggregate: { by: [Produit], sum: [Montant], count: Lignes }
    as: totaux
load:
  - csv: { file: "totaux_{{run.date}}.csv", delimiter: ";" }
    from: totaux
  - database: { table: totaux, key: [Produit], mode: upsert }
    from: totaux
  - database: { table: lignes, mode: insert }
    from: valides
"""

DATA = "Date;Produit;Montant\n2026-11-20;Café;12.50\n2026-11-20;Thé;4.20\n2026-11-21;Café;7.00\n2026-11-21;;3.00\n2026-11-21;Thé;-1\n"


def read_csv(path, delimiter=";"):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=delimiter))


def test_a_dropped_file_goes_through_every_stage(ws):
    ws.pipeline("ventes", SALES)
    ws.drop("ventes", "ventes du jour.csv", DATA)
    p = ws.sluice("run", check=True)
    assert "ventes du jour.csv" in p.stdout and "succeeded" in p.stdout
    assert ws.files("inbox") == []
    totals = read_csv(ws.root / "outbox" / "ventes" / "totaux_2026-11-21.csv")
    assert totals == [["Produit", "Montant", "Lignes"], ["Café", "19.50", "2"], ["Thé", "4.20", "1"]]
    rejects = read_csv(ws.root / "outbox" / "ventes" / "ventes du jour_rejects.csv")
    assert rejects[0] == ["Date", "Produit", "Montant", "error"]
    assert [r[2] for r in rejects[1:]] == ["3.00", "-1"]
    assert "Produit is required" in rejects[1][3] and "below the minimum" in rejects[2][3]
    runs = ws.runs()
    assert len(runs) == 1 and runs[0]["status"] == "succeeded"
    archive = ws.root / runs[0]["archive"]
    assert (archive / "ventes du jour.csv").read_text() == DATA
    doc = json.loads((archive / "run.json").read_text())
    assert doc["status"] == "succeeded" and [s["stage"] for s in doc["stages"]] == ["extract", "transform", "load"]
    assert doc["inputs"][0]["sha256"] and doc["inputs"][0]["name"] == "ventes du jour.csv"
    db = sqlite3.connect(ws.root / "data" / "sluice.sqlite")
    assert db.execute("SELECT Produit, Montant FROM totaux ORDER BY Produit").fetchall() == [("Café", "19.50"), ("Thé", "4.20")]
    assert db.execute("SELECT count(*) FROM lignes").fetchone() == (3,)
    assert not (ws.root / ".sluice" / "work" / runs[0]["id"]).exists()


def test_show_names_stages_rows_outputs_and_effects(ws):
    ws.pipeline("ventes", SALES)
    ws.drop("ventes", "v.csv", DATA)
    ws.sluice("run", check=True)
    run_id = ws.runs()[0]["id"]
    p = ws.sluice("show", run_id[:12], check=True)
    assert "stage     transform" in p.stdout and "rejected=2" in p.stdout
    assert "output    outbox/ventes/totaux_2026-11-21.csv" in p.stdout
    assert "effect    load[1].database  totaux  done" in p.stdout
    doc = ws.json("show", run_id)
    assert doc["run"] == run_id and len(doc["effects"]) == 2 and all(e["state"] == "done" for e in doc["effects"])


def test_same_content_again_is_a_duplicate_archived_and_reported(ws):
    ws.pipeline("ventes", SALES)
    ws.drop("ventes", "a.csv", DATA)
    ws.sluice("run", check=True)
    ws.drop("ventes", "b.csv", DATA)
    p = ws.sluice("run", check=True)
    assert "duplicate" in p.stdout and "same content as" in p.stdout
    runs = ws.runs()
    assert [r["status"] for r in runs] == ["succeeded", "duplicate"]
    assert runs[1]["duplicateOf"] == runs[0]["id"]
    assert (ws.root / runs[1]["archive"] / "b.csv").read_text() == DATA
    db = sqlite3.connect(ws.root / "data" / "sluice.sqlite")
    assert db.execute("SELECT count(*) FROM lignes").fetchone() == (3,)


def test_same_name_new_content_is_a_correction_linked_to_the_earlier_run(ws):
    ws.pipeline("ventes", SALES)
    ws.drop("ventes", "v.csv", DATA)
    ws.sluice("run", check=True)
    ws.drop("ventes", "v.csv", DATA.replace("12.50", "13.50"))
    ws.sluice("run", check=True)
    runs = ws.runs()
    assert runs[1]["status"] == "succeeded" and runs[1]["corrects"] == runs[0]["id"]
    db = sqlite3.connect(ws.root / "data" / "sluice.sqlite")
    assert db.execute("SELECT Montant FROM totaux WHERE Produit = 'Café'").fetchone() == ("20.50",)


def test_bad_file_fails_with_a_clear_error_and_is_kept(ws):
    ws.pipeline("ventes", SALES)
    ws.drop("ventes", "a-bad.csv", 'Date;Produit;Montant\n2026-11-20;"Café;12.50\n')
    ws.drop("ventes", "b-good.csv", DATA)
    p = ws.sluice("run")
    assert p.returncode == 1
    assert "a-bad.csv" in p.stdout and "sluice reprocess" in p.stdout
    runs = {r["inputs"][0]: r for r in ws.runs()}
    assert runs["a-bad.csv"]["status"] == "failed" and runs["b-good.csv"]["status"] == "succeeded"
    archive = ws.root / runs["a-bad.csv"]["archive"]
    err = json.loads((archive / "error.json").read_text())
    assert err["stage"] == "extract" and err["step"] == "extract[0].csv" and err["file"] == "a-bad.csv"
    assert err["place"] == "line 2" and err["reprocess"] == f"sluice reprocess {runs['a-bad.csv']['id']}"
    assert (archive / "a-bad.csv").exists()


def test_fail_run_validation_keeps_rejects_and_names_rows(ws):
    ws.pipeline("strict", SALES.replace("on-invalid: reject-row", "on-invalid: fail-run"))
    ws.drop("strict", "v.csv", DATA)
    p = ws.sluice("run")
    assert p.returncode == 1
    run = ws.runs()[0]
    err = json.loads((ws.root / run["archive"] / "error.json").read_text())
    assert err["stage"] == "transform" and err["rows"] == [5, 6]  # the header is row 1
    assert "2 of 5 rows failed validation" in err["message"]
    assert (ws.root / "outbox" / "strict" / "v_rejects.csv").exists()
    assert not (ws.root / "outbox" / "strict" / "totaux_2026-11-21.csv").exists()


def test_a_failed_run_is_one_record_in_error_json_show_and_show_json(ws):
    ws.pipeline("strict", SALES.replace("on-invalid: reject-row", "on-invalid: fail-run"))
    ws.drop("strict", "v.csv", DATA)
    assert ws.sluice("run").returncode == 1
    run = ws.runs()[0]
    err = json.loads((ws.root / run["archive"] / "error.json").read_text())
    assert ws.json("show", run["id"])["error"] == err
    assert err["code"] == "validation" and err["transient"] is False and err["location"] == {"file": "v.csv", "row": 5}, err
    assert err["thrownAt"].startswith("SluiceSteps/"), err
    shown = ws.sluice("show", run["id"], check=True).stdout
    assert f"error     transform / transform[0].validate: {err['message']}" in shown, shown
    assert "          in v.csv at row 5\n          rows 5, 6\n" in shown, shown
    assert f"          after fixing: sluice reprocess {run['id']}" in shown, shown


def test_windows_1252_csv_is_read(ws):
    ws.pipeline("ventes", SALES)
    ws.drop("ventes", "export.csv", "Date;Produit;Montant\n2026-11-20;Crème brûlée;8.00\n".encode("cp1252"))
    ws.sluice("run", check=True)
    totals = read_csv(ws.root / "outbox" / "ventes" / "totaux_2026-11-21.csv")
    assert totals[1][0] == "Crème brûlée"


def test_reprocess_a_failed_run_after_fixing_the_manifest(ws):
    ws.pipeline("ventes", SALES.replace("Montant: { type: decimal, min: 0 }", "Montant: { type: decimal, min: 0 }\n      extra-columns: reject"))
    ws.drop("ventes", "v.csv", "Date;Produit;Montant;Note\n2026-11-20;Café;12.50;x\n")
    assert ws.sluice("run").returncode == 1
    failed = ws.runs()[0]
    ws.pipeline("ventes", SALES)
    p = ws.sluice("reprocess", failed["id"], check=True)
    runs = ws.runs()
    assert runs[1]["reprocessOf"] == failed["id"] and runs[1]["status"] == "succeeded"
    assert (ws.root / failed["archive"] / "v.csv").exists()
    assert read_csv(ws.root / "outbox" / "ventes" / "totaux_2026-11-21.csv")[1] == ["Café", "12.50", "1"]


def test_reprocess_does_not_redo_effects_unless_resend(ws):
    ws.pipeline("ventes", SALES)
    ws.drop("ventes", "v.csv", DATA)
    ws.sluice("run", check=True)
    first = ws.runs()[0]["id"]
    ws.sluice("reprocess", first, check=True)
    db = sqlite3.connect(ws.root / "data" / "sluice.sqlite")
    assert db.execute("SELECT count(*) FROM lignes").fetchone() == (3,)
    ws.sluice("reprocess", first, "--resend", check=True)
    assert db.execute("SELECT count(*) FROM lignes").fetchone() == (6,)
    second = ws.json("show", ws.runs()[1]["id"])
    assert second["reprocessOf"] == first


def test_reprocess_by_pipeline_and_date(ws):
    ws.pipeline("ventes", SALES.replace("on-invalid: reject-row", "on-invalid: fail-run"))
    ws.drop("ventes", "a.csv", DATA)
    ws.drop("ventes", "b.csv", "Date;Produit;Montant\n2026-11-20;Café;1.00\n")
    ws.sluice("run")
    ws.pipeline("ventes", SALES)
    p = ws.json("reprocess", "--pipeline", "ventes", "--since", "2026-11-01")
    assert len(p) == 1 and p[0]["inputs"] == ["a.csv"] and p[0]["status"] == "succeeded"


def test_runs_filters(ws):
    ws.pipeline("ventes", SALES)
    ws.drop("ventes", "a.csv", DATA)
    ws.drop("ventes", "b.csv", "oops\n\"")
    ws.sluice("run")
    assert [r["inputs"] for r in ws.json("runs", "--status", "failed")] == [["b.csv"]]
    assert len(ws.json("runs", "--pipeline", "ventes", "--since", "2026-11-01")) == 2
    assert ws.json("runs", "--pipeline", "other") == []


def test_plan_does_nothing_but_says_what_would_happen(ws, receiver):
    ws.pipeline("ventes", SALES + f"""
notify:
  - webhook: {{ url: "{receiver.url}" }}
""")
    ws.drop("ventes", "v.csv", DATA)
    doc = ws.json("plan", "ventes")
    f = doc["files"][0]
    assert f["file"] == "inbox/ventes/v.csv" and f["disposition"] == "new"
    steps = {s["step"]: s for s in f["steps"]}
    assert steps["transform[0].validate"]["rejected"] == 2 and steps["transform[0].validate"]["rows"] == 3
    assert "totaux_2026-11-21.csv" in f["outputs"] and "v_rejects.csv" in f["outputs"]
    assert any(e.startswith("would upsert 2 rows into totaux") for e in f["effects"])
    assert any(e.startswith("would POST") for e in f["effects"])
    assert ws.files("inbox") == ["ventes/v.csv"] and ws.files("outbox") == [] and receiver.received() == []
    assert not (ws.root / "data" / "sluice.sqlite").exists()


def test_a_broken_manifest_does_not_stop_the_others(ws):
    ws.pipeline("ventes", SALES)
    ws.pipeline("broken", "extract:\n  - csv: { delimter: ';' }\n")
    ws.drop("ventes", "v.csv", DATA)
    ws.drop("broken", "x.csv", DATA)
    p = ws.sluice("run")
    assert p.returncode == 1 and "broken: manifest has 1 error(s)" in p.stdout
    assert ws.runs()[0]["status"] == "succeeded"
    assert ws.files("inbox") == ["broken/x.csv"]


def test_hidden_temporary_and_unmatched_files_are_left_alone(ws):
    ws.pipeline("ventes", SALES.replace("inbox: { settle: 0s }", "inbox: { settle: 0s, pattern: ['*.csv'] }"))
    for name in [".hidden.csv", "copy.csv.part", "x.tmp", "~$lock.csv", "notes.txt"]:
        ws.drop("ventes", name, DATA)
    p = ws.sluice("run", check=True)
    assert ws.runs() == []
    assert "notes.txt: does not match the inbox pattern" in p.stdout
    assert len(ws.files("inbox")) == 5


def test_awkward_file_names(ws):
    ws.pipeline("ventes", SALES)
    names = ["-leading dash.csv", "accentué é.csv", "new\nline.csv", "spaces  and  tabs\t.csv"]
    for i, n in enumerate(names):
        ws.drop("ventes", n, DATA.replace("12.50", f"1{i}.50"))
    ws.sluice("run", check=True)
    runs = ws.runs()
    assert sorted(r["inputs"][0] for r in runs) == sorted(names)
    for r in runs:
        assert (ws.root / r["archive"] / r["inputs"][0]).exists()


def test_symlinks_and_fifos_are_not_followed(ws, tmp_path):
    ws.pipeline("ventes", SALES)
    secret = tmp_path / "secret.csv"
    secret.write_text(DATA)
    (ws.root / "inbox" / "ventes").mkdir(parents=True)
    os.symlink(secret, ws.root / "inbox" / "ventes" / "link.csv")
    os.mkfifo(ws.root / "inbox" / "ventes" / "pipe.csv")
    p = ws.sluice("run", timeout=30)
    assert p.returncode == 1
    runs = {r["inputs"][0]: r for r in ws.runs()}
    assert runs["link.csv"]["status"] == "failed" and "symbolic link" in runs["link.csv"]["error"]
    assert runs["pipe.csv"]["status"] == "failed" and "FIFO" in runs["pipe.csv"]["error"]
    assert os.path.islink(ws.root / runs["link.csv"]["archive"] / "link.csv")
    assert secret.read_text() == DATA and ws.files("inbox") == []


def test_a_hard_linked_file_is_copied_not_shared(ws, tmp_path):
    ws.pipeline("ventes", SALES)
    other = tmp_path / "other-name.csv"
    other.write_text(DATA)
    (ws.root / "inbox" / "ventes").mkdir(parents=True)
    os.link(other, ws.root / "inbox" / "ventes" / "v.csv")
    ws.sluice("run", check=True)
    run = ws.runs()[0]
    archived = ws.root / run["archive"] / "v.csv"
    assert archived.read_text() == DATA and os.stat(archived).st_nlink == 1
    other.write_text("changed later")
    assert archived.read_text() == DATA


def test_a_young_file_is_waited_for_not_skipped(ws):
    ws.pipeline("ventes", SALES.replace("settle: 0s", "settle: 1s"))
    ws.drop("ventes", "v.csv", DATA, mtime_ago=0)
    p = ws.sluice("run", check=True)
    assert ws.runs()[0]["status"] == "succeeded" and ws.files("inbox") == []


def test_manual_trigger_with_parameters_copies_the_file(ws, tmp_path):
    ws.pipeline("ventes", SALES.replace("load:", """notify_placeholder: 1
load:""").replace("notify_placeholder: 1\n", "") + """
notify:
  - file: { name: "note_{{run.params.magasin}}.txt", text: "{{run.trigger}} {{run.params.magasin}} {{totaux.rows}}" }
""")
    f = tmp_path / "mine.csv"
    f.write_text(DATA)
    ws.sluice("trigger", "ventes", str(f), "--param", "magasin=Lausanne", check=True)
    assert f.read_text() == DATA
    assert (ws.root / "outbox" / "ventes" / "note_Lausanne.txt").read_text() == "manual Lausanne 2"


def test_a_workbook_that_is_not_one_fails_clearly_and_is_archived(ws):
    ws.pipeline("classeur", """
triggers: { inbox: { settle: 0s } }
extract:
  - xlsx: { sheet: Ventes }
load:
  - csv: { file: out.csv }
""")
    ws.drop("classeur", "export.xlsx", "<html><body>Session expired</body></html>")
    ws.drop("classeur", "locked.xlsx", bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
    p = ws.sluice("run")
    assert p.returncode == 1
    runs = {r["inputs"][0]: r for r in ws.runs()}
    assert "HTML" in runs["export.xlsx"]["error"]
    assert "password" in runs["locked.xlsx"]["error"] or "encrypted" in runs["locked.xlsx"]["error"] or "xls" in runs["locked.xlsx"]["error"]
    for r in runs.values():
        assert r["status"] == "failed" and (ws.root / r["archive"] / r["inputs"][0]).exists()
        err = json.loads((ws.root / r["archive"] / "error.json").read_text())
        assert err["stage"] == "extract" and err["file"] == r["inputs"][0]


def test_wrong_sheet_name_is_explained(ws, tmp_path):
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.title = "Feuil1"
    wb.active.append(["A"])
    wb.save(tmp_path / "v.xlsx")
    ws.pipeline("classeur", "triggers: { inbox: { settle: 0s } }\nextract:\n  - xlsx: { sheet: Ventes }\nload:\n  - csv: { file: out.csv }\n")
    ws.drop("classeur", "v.xlsx", (tmp_path / "v.xlsx").read_bytes())
    ws.sluice("run")
    assert "no sheet named 'Ventes'; the sheets are: Feuil1" in ws.runs()[0]["error"]


def test_on_a_terminal_run_shows_live_progress(ws):
    """Under a pseudo-terminal, `run` redraws one progress line (pipeline, file, step, rows)."""
    from conftest import run_in_pty
    ws.pipeline("ventes", SALES)
    ws.drop("ventes", "v.csv", DATA)
    status, text = run_in_pty(["run", "--root", str(ws.root)], ws.env)
    assert status == 0
    assert "\r\x1b[2K" in text, text
    assert "… ventes  v.csv  transform[0].validate  3 rows" in text
    # The status mark is coloured on a terminal (unless NO_COLOR or TERM=dumb).
    assert "✔ ventes" in re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_a_second_runner_waits_for_the_workspace_lock(ws):
    """While another process holds .sluice/lock, `sluice run` waits and claims nothing."""
    import fcntl
    import subprocess
    import time
    from conftest import BIN
    ws.pipeline("ventes", SALES)
    ws.drop("ventes", "v.csv", DATA)
    (ws.root / ".sluice").mkdir(exist_ok=True)
    holder = open(ws.root / ".sluice" / "lock", "w")
    fcntl.flock(holder, fcntl.LOCK_EX)
    p = subprocess.Popen([BIN, "run", "--root", str(ws.root)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ws.env, text=True)
    line = ""
    deadline = time.monotonic() + 30
    while "waiting for another sluice process" not in line and time.monotonic() < deadline:
        line = p.stderr.readline()
        if not line and p.poll() is not None:
            break
    assert "waiting for another sluice process" in line
    assert p.poll() is None and ws.files("inbox") == ["ventes/v.csv"]
    fcntl.flock(holder, fcntl.LOCK_UN)
    holder.close()
    out, _ = p.communicate(timeout=60)
    assert p.returncode == 0 and "succeeded" in out and ws.files("inbox") == []
