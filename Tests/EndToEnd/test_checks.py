"""validate catches what would fail every file, and templates format numbers, money and dates
for people (issue 11)."""
import json

SALES = "Produit;Montant\nCafé;1250.00\nThé;878.60\nChocolat;1000.00\n"

REPORT = """\
locale: fr-CH
timezone: Europe/Zurich
triggers: { inbox: { settle: 0s } }
extract:
  - csv: {}
    as: ventes
transform:
  - validate:
      columns:
        Produit: { type: string, required: true }
        Montant: { type: decimal }
notify:
  - file: { name: "resume.txt", template: resume }
"""

RESUME = """\
Total : {{ventes.Montant.sum | number: 2, locale: de-CH}} CHF
Montant : {{ventes.Montant.sum | money: CHF}} / {{ventes.Montant.sum | money: EUR, locale: fr-FR}} / {{ventes.Montant.sum | money: USD, locale: en-US}}
Moyenne : {{ventes.Montant.avg | number: 2}} (sans filtre : {{ventes.Montant.avg}})
FCFA : {{ventes.Montant.sum | money: XOF, locale: fr-SN}}
Le {{run.date | date: full, locale: fr-FR}} ({{run.date | date: numeric}})
"""


def test_a_file_template_formats_money_and_french_dates(ws):
    ws.pipeline("ventes", REPORT)
    (ws.root / "pipelines" / "templates" / "resume.txt").write_text(RESUME)
    ws.sluice("validate", check=True)
    ws.drop("ventes", "ventes.csv", SALES)
    ws.sluice("run", check=True, env={"SLUICE_CLOCK": "2026-11-23T07:00:00Z"})
    text = (ws.root / "outbox" / "ventes" / "resume.txt").read_text()
    assert text == (
        "Total : 3\u2019128.60 CHF\n"
        "Montant : 3\u2019128.60\u00a0CHF / 3\u202f128,60\u00a0€ / $3,128.60\n"
        "Moyenne : 1\u202f042,87 (sans filtre : 1042.866666666667)\n"
        "FCFA : 3\u202f129\u00a0F\u202fCFA\n"
        "Le lundi 23 novembre 2026 (23.11.2026)\n"
    ), text


BROKEN = """\
extract:
  - csv: {}
    as: ventes
notify:
  - file: { name: a.txt, template: rapor }
  - file: { name: b.txt, text: "Total {{ventes.Montant.sum | chf}}" }
  - webhook: { connection: team-hok }
"""


def test_validate_locates_missing_templates_connections_and_filters(ws):
    (ws.root / "pipelines" / "templates" / "rapport.txt").write_text("ok\n")
    (ws.root / "connections.yaml").write_text('team-hook: { type: webhook, url: "http://127.0.0.1:9/x" }\n')
    ws.pipeline("ventes", BROKEN)
    p = ws.sluice("validate", check=False)
    out = p.stdout
    assert "pipelines/ventes.yaml:5:26: error: no template 'rapor' in pipelines/templates/; did you mean 'rapport'?" in out, out
    assert "pipelines/ventes.yaml:6:62: error: in template 'Total {{ventes.Montant.sum | chf}}': unknown filter 'chf'" in out, out
    assert "pipelines/ventes.yaml:7:16: error: no connection 'team-hok' in connections.yaml; did you mean 'team-hook'?" in out, out
    report = ws.json("validate", check=False)
    paths = {d.get("path") for d in report["diagnostics"]}
    assert {"notify[0].file.template", "notify[1].file.text", "notify[2].webhook.connection"} <= paths, paths


HOOKED = """\
triggers: { inbox: { settle: 0s } }
extract:
  - csv: {}
notify:
  - file: { name: "b.txt", text: "ok" }
  - webhook: { headers: { Authorization: "Bearer ${env:HOOK_TOKEN}" }, url: "{url}" }
"""


def test_an_unset_secret_warns_at_validate_and_refuses_the_run_before_any_claim(ws, receiver):
    ws.pipeline("ventes", HOOKED.replace("{url}", receiver.url))
    p = ws.sluice("validate", check=True)
    assert "pipelines/ventes.yaml:6:42: warning: environment variable 'HOOK_TOKEN' is not set (notify[1].webhook.headers.Authorization)" in p.stdout, p.stdout
    ws.drop("ventes", "v.csv", SALES)
    p = ws.sluice("run", check=False)
    assert "pipelines/ventes.yaml:6:42: error: environment variable 'HOOK_TOKEN' is not set" in p.stdout, p.stdout
    assert ws.files("inbox/ventes") == ["v.csv"] and ws.files("archive") == []
    assert ws.runs() == []
    ws.sluice("run", check=True, env={"HOOK_TOKEN": "s3cret"})
    assert ws.files("inbox/ventes") == []
    assert [r["status"] for r in ws.runs()] == ["succeeded"]
    assert len(receiver.received()) == 1


def test_validate_warns_of_a_secret_written_as_a_literal_in_a_manifest_or_connections(ws):
    (ws.root / "connections.yaml").write_text(
        'mail-out: { type: smtp, host: 127.0.0.1, port: 465, tls: implicit, username: a@example.com, password: hunter2, from: a@example.com }\n'
        'hook: { type: webhook, url: "http://127.0.0.1:9/x", headers: { Authorization: "Bearer ${env:HOOK_TOKEN:-x}" } }\n')
    ws.pipeline("ventes", """\
triggers: { inbox: { settle: 0s } }
extract:
  - csv: {}
notify:
  - webhook: { url: "http://127.0.0.1:9/y", headers: { Authorization: "Bearer abc123" } }
""")
    p = ws.sluice("validate", check=True)
    assert "pipelines/ventes.yaml:5:71: warning: 'headers.Authorization' holds a secret written as it is in step 'webhook'" in p.stdout, p.stdout
    assert "connections.yaml:1:103: warning: 'password' of connection 'mail-out' holds a secret written as it is" in p.stdout, p.stdout
    assert "hook" not in p.stdout.replace("webhook", ""), p.stdout
    assert p.stdout.rstrip().endswith("1 pipeline: 1 valid, 0 with errors; 0 errors, 2 warnings"), p.stdout
    report = json.loads(ws.sluice("validate", "--json", check=True).stdout)
    paths = [d["path"] for d in report["diagnostics"] if d["severity"] == "warning"]
    assert paths == ["mail-out.password", "notify[0].webhook.headers.Authorization"], report
