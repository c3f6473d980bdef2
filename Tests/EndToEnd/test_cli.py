"""The commands people type: validate, steps, inspect, init, help."""
import json
import subprocess

from conftest import BIN, REPO, run_in_pty


GOOD = """
triggers: { inbox: { settle: 0s } }
extract:
  - csv: { delimiter: ";" }
    as: ventes
transform:
  - validate:
      columns:
        Produit: { type: string, required: true }
        Montant: { type: decimal, min: 0 }
      extra-columns: drop
  - aggregate: { by: [Produit], sum: [Montant] }
    as: totaux
load:
  - csv: { file: "totaux_{{run.date}}.csv" }
"""


def test_validate_accepts_a_good_manifest(ws):
    ws.pipeline("ventes", GOOD)
    p = ws.sluice("validate", check=True)
    assert "1 valid" in p.stdout


def test_validate_reports_every_problem_at_once_compiler_style(ws):
    ws.pipeline("ventes", """
triggers: { inbox: { setle: 2s } }
extract:
  - csv: { delimter: ";" }
    as: ventes
transform:
  - validate:
      columns:
        Produit: { type: string, required: true }
        Montant: { type: decimal, min: zero }
      extra-columns: drop
  - aggregate: { by: [Produt], sum: [Montant] }
    as: totaux
  - filter: Montant > 'abc'
  - frobnicate: {}
load:
  - csv: { file: "totaux_{{run.dat}}.csv" }
    from: totax
""")
    ws.pipeline("other", GOOD)
    p = ws.sluice("validate", check=False)
    out = p.stdout
    assert "pipelines/ventes.yaml:4:12: error: unknown key 'delimter' in step 'csv'; did you mean 'delimiter'?" in out
    assert "unknown key 'setle'" in out and "did you mean 'settle'?" in out
    assert "min 'zero' does not fit a decimal column" in out
    assert "unknown column 'Produt'; did you mean 'Produit'?" in out
    assert "unknown step kind 'frobnicate'" in out
    assert "unknown dataset 'totax'" in out
    assert "in expression 'Montant > 'abc''" in out
    assert "'run' has no 'dat'; did you mean 'date'?" in out
    # the caret line points under the column
    lines = out.splitlines()
    i = next(n for n, l in enumerate(lines) if "delimter" in l and "error:" in l)
    assert lines[i + 1].strip().startswith("- csv: { delimter")
    assert lines[i + 2].index("^") == lines[i + 1].index("delimter")
    assert "2 pipelines: 1 valid, 1 with errors" in out


def test_validate_json_is_stable(ws):
    ws.pipeline("ventes", "extract:\n  - csv: { delimter: ';' }\n")
    p = ws.sluice("validate", "--json", check=False)
    doc = json.loads(p.stdout)
    assert doc["pipelines"] == {"ventes": False}
    d = doc["diagnostics"][0]
    assert d["severity"] == "error" and d["location"] == {"file": "pipelines/ventes.yaml", "line": 2, "column": 12}


def test_invalid_yaml_is_located(ws):
    ws.pipeline("broken", "extract:\n  - csv: { delimiter: ';'\nload: [\n")
    p = ws.sluice("validate", check=False)
    assert "pipelines/broken.yaml:" in p.stdout and "invalid YAML" in p.stdout


def test_steps_documents_every_kind_and_examples_validate(ws):
    p = subprocess.run([BIN, "steps"], capture_output=True, text=True, check=True)
    for kind in ["files", "csv", "json", "xlsx", "validate", "filter", "compute", "select", "rename", "aggregate",
                 "delta", "database", "webhook", "file"]:
        assert f"\n{kind}  [" in "\n" + p.stdout, kind
    one = subprocess.run([BIN, "steps", "aggregate"], capture_output=True, text=True, check=True)
    assert "example:" in one.stdout and "by" in one.stdout
    bad = subprocess.run([BIN, "steps", "agregate"], capture_output=True, text=True)
    assert bad.returncode != 0 and "did you mean 'aggregate'" in bad.stderr


def test_help_lists_the_commands():
    p = subprocess.run([BIN, "--help"], capture_output=True, text=True, check=True)
    for c in ["validate", "run", "runs", "show", "reprocess", "plan", "trigger", "steps", "inspect", "init"]:
        assert f"  {c}" in p.stdout
    r = subprocess.run([BIN, "run", "--help"], capture_output=True, text=True, check=True)
    assert "--root" in r.stdout


def test_inspect_csv_json_and_summary(ws, tmp_path):
    f = tmp_path / "ventes.csv"
    f.write_bytes("Date;Produit;Montant\n2026-11-20;Café;12.50\n2026-11-21;Thé;4\n2026-11-21;Thé;\n".encode("cp1252"))
    p = subprocess.run([BIN, "inspect", str(f), "--json"], capture_output=True, text=True, check=True)
    lines = [json.loads(l) for l in p.stdout.splitlines()]
    assert lines[0] == ["Date", "Produit", "Montant"]
    assert lines[1] == ["2026-11-20", "Café", 12.50] and p.stdout.splitlines()[1].endswith("12.50]")
    assert lines[3][2] is None
    s = subprocess.run([BIN, "inspect", str(f), "--summary", "--json"], capture_output=True, text=True, check=True)
    doc = json.loads(s.stdout)
    assert doc["rows"] == 3
    cols = {c["name"]: c for c in doc["columns"]}
    assert cols["Montant"]["type"] == "decimal" and cols["Montant"]["nulls"] == 1 and cols["Montant"]["max"] == "12.50"
    assert cols["Date"]["type"] == "date" and cols["Date"]["min"] == "2026-11-20"


def test_inspect_xlsx_written_by_openpyxl(tmp_path):
    import datetime
    import openpyxl
    wb = openpyxl.Workbook()
    ws_ = wb.active
    ws_.title = "Ventes"
    ws_.append(["Date", "Produit", "Montant", "Payé"])
    ws_.append([datetime.date(2026, 11, 20), "Café", 12.5, True])
    ws_.append([datetime.datetime(2026, 11, 21, 8, 30), "Thé vert", 3, False])
    path = tmp_path / "v.xlsx"
    wb.save(path)
    p = subprocess.run([BIN, "inspect", str(path), "--json"], capture_output=True, text=True, check=True)
    rows = [json.loads(l) for l in p.stdout.splitlines()]
    assert rows[0] == ["Date", "Produit", "Montant", "Payé"]
    assert rows[1] == ["2026-11-20T00:00:00", "Café", 12.5, True] or rows[1] == ["2026-11-20", "Café", 12.5, True]
    assert p.stdout.splitlines()[1].split(",")[2] == "12.5"
    assert rows[2][1] == "Thé vert" and rows[2][2] == 3 and rows[2][3] is False


def test_init_creates_a_workspace_that_runs(tmp_path):
    root = tmp_path / "neu"
    subprocess.run([BIN, "init", str(root)], check=True, capture_output=True)
    assert (root / "pipelines" / "example.yaml").exists()
    v = subprocess.run([BIN, "validate", "--root", str(root)], capture_output=True, text=True)
    assert v.returncode == 0, v.stdout
    import os
    import time
    for f in (root / "inbox" / "example").iterdir():
        t = time.time() - 60
        os.utime(f, (t, t))
    r = subprocess.run([BIN, "run", "--root", str(root)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    outs = sorted(p.name for p in (root / "outbox" / "example").iterdir())
    assert any(o.startswith("totaux_") for o in outs) and any(o.startswith("resume_") for o in outs)
    again = subprocess.run([BIN, "init", str(root)], capture_output=True, text=True)
    assert again.returncode != 0 and "already exists" in again.stderr


def test_examples_in_repo_validate():
    p = subprocess.run([BIN, "validate", "--root", str(REPO)], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout
    assert "4 pipelines: 4 valid" in p.stdout


def test_inspect_xlsx_error_cells_and_sheet_selection(tmp_path):
    import openpyxl
    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "Notes"
    first.append(["nothing here"])
    second = wb.create_sheet("Ventes")
    second.append(["A", "B"])
    second.append([1, 2])
    path = tmp_path / "e.xlsx"
    wb.save(path)
    # openpyxl cannot write cached error values: patch the sheet XML to hold an error cell.
    import zipfile
    src = zipfile.ZipFile(path)
    out = tmp_path / "errors.xlsx"
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b'<c r="B2" t="n"><v>2</v></c>', b'<c r="B2" t="e"><v>#DIV/0!</v></c>')
                assert b"#DIV/0!" in data
            z.writestr(item, data)
    for sheet in ["Ventes", "2"]:
        p = subprocess.run([BIN, "inspect", str(out), "--sheet", sheet, "--json"], capture_output=True, text=True, check=True)
        assert p.stdout.splitlines() == ['["A","B"]', '[1,{"error": "#DIV/0!"}]']
    bad = subprocess.run([BIN, "inspect", str(out), "--sheet", "Vente", "--json"], capture_output=True, text=True)
    assert bad.returncode != 0 and "Ventes" in bad.stderr
    html = tmp_path / "page.xlsx"
    html.write_text("<html><body>not a workbook</body></html>")
    bad = subprocess.run([BIN, "inspect", str(html)], capture_output=True, text=True)
    assert bad.returncode != 0 and "HTML" in bad.stderr


def test_validate_checks_queues_against_sluice_yaml_and_names_after_pipelines(ws):
    ws.pipeline("ventes", "queue: rapide\ntriggers: { after: ventez }\nextract:\n  - csv: {}\nload:\n  - csv: { file: o.csv }\n")
    p = ws.sluice("validate", check=False)
    assert "pipelines/ventes.yaml:1:1: error: unknown queue 'rapide'; queues: critical, default" in p.stdout
    assert "pipelines/ventes.yaml:2:1: warning: 'after: ventez': there is no pipeline named 'ventez'" in p.stdout
    (ws.root / "sluice.yaml").write_text("queues:\n  rapide: { priority: 5, workers: 0 }\n")
    p = ws.sluice("validate", check=False)
    assert "sluice.yaml:2:35: error: 'workers' is a whole number from 1 to 1000" in p.stdout
    (ws.root / "sluice.yaml").write_text("queues:\n  rapide: { priority: 5, workers: 2 }\n")
    assert ws.sluice("validate").returncode == 0


def test_validate_reads_mail_connections_as_the_steps_will(ws):
    (ws.root / "connections.yaml").write_text(
        "orders-mail:\n  type: imap\n  host: imap.example.com\n  usernme: orders@example.com\n  password: x\n"
        "mail-out:\n  type: smtp\n  host: smtp.example.com\n  tls: tls1.3\n")
    p = ws.sluice("validate", check=False)
    out = p.stdout + p.stderr
    assert "connections.yaml:1:1" in out and "unknown key 'usernme'" in out and "did you mean 'username'" in out
    assert "connections.yaml:6:1" in out and "tls 'tls1.3'" in out


# --- The command line as a Unix tool: exit codes, standard error, colour, every command. ---

PAID = """
triggers: { inbox: false, manual: true, event: order.paid }
extract:
  - files: {}
notify:
  - file: { name: "paid_{{run.params.n}}_{{run.id}}.txt", text: "paid {{run.params.n}}" }
"""


def fresh_env():
    import os
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLUICE_") and k != "NO_COLOR"}
    env["TZ"] = "UTC"
    return env


def sluice(*args, env=None, timeout=120):
    return subprocess.run([BIN, *args], capture_output=True, text=True, env=env or fresh_env(), timeout=timeout)


def subcommands():
    """The commands `sluice --help` lists."""
    out = sluice("--help").stdout
    lines = out.split("SUBCOMMANDS:")[1].splitlines()
    return {l.split()[0] for l in lines if l.startswith("  ") and not l.startswith("   ")} - {"help", "See"}


def test_every_command_runs_once_without_a_daemon_none_crashes_none_leaves_a_run_running(tmp_path):
    import os
    import signal
    import time
    root = tmp_path / "fresh"
    assert sluice("init", str(root)).returncode == 0
    (root / "pipelines" / "paid.yaml").write_text(PAID)
    (root / "pipelines" / "templates").mkdir(exist_ok=True)
    (root / "pipelines" / "templates" / "note.txt").write_text("paid {{run.params.n}}\n")
    for f in (root / "inbox" / "example").iterdir():
        os.utime(f, (time.time() - 60, time.time() - 60))
    sample = tmp_path / "sample.csv"
    sample.write_text("Date;Produit;Montant\n2026-11-20;Café;12.50\n")
    r = ["--root", str(root)]

    def first(pipeline):
        runs = json.loads(sluice("runs", "--json", *r).stdout)
        return next(x["id"] for x in runs if x["pipeline"] == pipeline)

    # (command, arguments, expected exit code); arguments may name the first run of a pipeline.
    plan = [
        ("validate", [*r], 0),
        ("plan", ["example", *r], 0),
        ("run", [*r], 0),
        ("runs", [*r], 0),
        ("show", [lambda: first("example"), *r], 0),
        ("reprocess", [lambda: first("example"), *r], 0),
        ("trigger", ["paid", "--param", "n=1", *r], 0),
        ("emit", ["order.paid", "--id", "A", "--param", "n=2", *r], 0),
        ("steps", ["csv"], 0),
        ("triggers", ["schedule"], 0),
        ("inspect", [str(sample)], 0),
        ("schedule", [*r], 0),
        ("pause", ["paid", *r], 0),
        ("resume", ["paid", *r], 0),
        ("retry", [lambda: first("example"), *r], 1),
        ("cancel", [lambda: first("example"), *r], 1),
        ("reload", [*r], 1),
        ("template", ["preview", "note", "--run", lambda: first("paid"), *r], 0),
        ("template", ["send-test", "note", "--to", "a@example.test", "--connection", "none", *r], 1),
        ("init", [str(root)], 1),
        ("prune", ["--older-than", "90d", "--dry-run", *r], 0),
        ("api-token", ["list", *r], 0),
    ]
    listed = subcommands()
    covered = {c for c, _, _ in plan} | {"serve"}
    assert listed <= covered, f"commands without a case here: {listed - covered}"
    for command, args, expected in plan:
        if command not in listed:
            continue
        p = sluice(command, *[a() if callable(a) else a for a in args])
        assert p.returncode >= 0, f"sluice {command} died of signal {-p.returncode}\n{p.stderr}"
        assert p.returncode == expected, f"sluice {command} exited {p.returncode}\n{p.stdout}\n{p.stderr}"
        if expected == 1:
            assert p.stderr.startswith("Error: ") and "USAGE" not in p.stderr.upper(), (command, p.stderr)

    # serve: starts, says so, and stops cleanly on SIGTERM.
    daemon = subprocess.Popen([BIN, "serve", *r], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=fresh_env())
    line = daemon.stdout.readline()
    assert "sluice serve:" in line, line + daemon.stderr.read()
    daemon.send_signal(signal.SIGTERM)
    assert daemon.wait(timeout=60) == 0

    runs = json.loads(sluice("runs", "--json", *r).stdout)
    assert {x["pipeline"] for x in runs} == {"example", "paid"}
    assert [x for x in runs if x["status"] in ("running", "claimed")] == []
    assert sorted(x["triggeredBy"] for x in runs if x["trigger"] == "event") == ["event:order.paid:A"]


def test_runtime_failures_exit_1_with_the_message_alone_argument_mistakes_64(ws, tmp_path):
    ws.pipeline("ventes", GOOD)
    ws.sluice("run", check=True)
    p = ws.sluice("show", "nope")
    assert p.returncode == 1 and p.stdout == ""
    assert p.stderr == "Error: no run 'nope'; `sluice runs` lists them\n"
    p = sluice("runs", "--root", str(tmp_path / "nowhere"))
    assert p.returncode == 1 and "is not a Sluice workspace" in p.stderr and "USAGE" not in p.stderr.upper()
    for args in (["runs", "--colour"], ["show"], ["reprocess", "--status", "some"], ["runs", "--since", "last week"]):
        p = ws.sluice(*args)
        assert p.returncode == 64 and "USAGE:" in p.stderr.upper(), (args, p.stderr)


def test_serve_exits_75_while_another_sluice_process_holds_the_workspace(ws):
    import fcntl
    ws.pipeline("ventes", GOOD)
    (ws.root / ".sluice").mkdir(exist_ok=True)
    with open(ws.root / ".sluice" / "lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        p = ws.sluice("serve", timeout=60)
    assert p.returncode == 75 and p.stderr == "Error: another sluice process is working in this workspace\n", p.stderr


def test_reload_diagnostics_go_to_standard_error(ws):
    ws.pipeline("ventes", GOOD)
    ws.pipeline("broken", "extract:\n  - csv: { delimter: ';' }\n")
    p = ws.sluice("reload")
    assert p.returncode == 1 and p.stdout == ""
    assert "unknown key 'delimter'" in p.stderr and "not loaded" in p.stderr and "no sluice serve is running" in p.stderr


def test_an_empty_workspace_lists_no_runs_and_succeeds(ws):
    ws.pipeline("ventes", GOOD)
    p = ws.sluice("runs")
    assert p.returncode == 0 and p.stdout == "no runs\n"
    assert ws.json("runs") == []


def test_colour_only_on_a_terminal_and_never_with_no_color_or_a_dumb_terminal(ws):
    ws.pipeline("ventes", GOOD)
    ws.drop("ventes", "v.csv", "Produit;Montant\nCafé;1.50\n")
    ws.sluice("run", check=True)
    env = dict(ws.env, TERM="xterm-256color")
    code, shown = run_in_pty(["runs", "--root", str(ws.root)], env)
    assert code == 0 and "\x1b[32m✔\x1b[0m ventes" in shown, repr(shown)
    code, shown = run_in_pty(["show", "nope", "--root", str(ws.root)], env)
    assert code == 1 and "\x1b[31mError:\x1b[0m no run 'nope'" in shown, repr(shown)
    for extra in ({"NO_COLOR": "1"}, {"TERM": "dumb"}):
        code, shown = run_in_pty(["runs", "--root", str(ws.root)], dict(env, **extra))
        assert code == 0 and "✔ ventes" in shown and "\x1b[" not in shown, (extra, repr(shown))
    # NO_COLOR set but empty does not disable colour.
    code, shown = run_in_pty(["runs", "--root", str(ws.root)], dict(env, NO_COLOR=""))
    assert "\x1b[32m✔" in shown
    piped = ws.sluice("runs", env={"TERM": "xterm-256color"})
    assert "\x1b[" not in piped.stdout and "✔ ventes" in piped.stdout


def test_completion_scripts_are_generated():
    for shell, marker in (("bash", "complete"), ("zsh", "#compdef"), ("fish", "complete -c 'sluice'")):
        p = sluice("--generate-completion-script", shell)
        assert p.returncode == 0 and marker in p.stdout and "reprocess" in p.stdout, shell
