"""Values as people write them: a French Excel export (Windows-1252, `;`, zip codes with
leading zeros, decimal commas and percentages), Mac and Windows headers in one table, and a
file whose every row is rejected."""
import csv
import io
import json
import sqlite3
import subprocess
import unicodedata

from conftest import BIN

ORDERS = """
triggers: { inbox: { settle: 0s } }
extract:
  - csv: {}
    as: commandes
transform:
  - validate:
      columns:
        NPA:     { type: string, pattern: "[0-9]{4,5}" }
        Taux:    { type: decimal }
        Montant: { type: decimal, min: 0 }
        Date:    { type: date, format: jj.mm.aaaa }
      decimal-separator: ","
    as: valides
load:
  - csv: { file: "valides.csv", delimiter: ";" }
    from: valides
"""

EXPORT = ("Client;NPA;Taux;Montant;Date\r\n"
          "Crèmerie Favre;08123;8,1%;1 234,50;21.11.2026\r\n"
          "Boulangerie Dupré;1204;12,5 %;1\u00a0000;01.12.2026\r\n"
          "Café Müller;75001;2,6%;1 23,4;31.02.2026\r\n").encode("cp1252")


def read_csv(path, delimiter=";", encoding="utf-8-sig"):
    return list(csv.reader(io.StringIO(path.read_text(encoding=encoding), newline=""), delimiter=delimiter))


def test_a_french_excel_export_keeps_zip_codes_and_reads_percentages(ws):
    ws.pipeline("commandes", ORDERS)
    ws.drop("commandes", "export.csv", EXPORT)
    p = ws.sluice("run", check=True)
    assert "succeeded" in p.stdout
    rows = read_csv(ws.root / "outbox" / "commandes" / "valides.csv")
    assert rows == [["Client", "NPA", "Taux", "Montant", "Date"],
                    ["Crèmerie Favre", "08123", "0.081", "1234.50", "2026-11-21"],
                    ["Boulangerie Dupré", "1204", "0.125", "1000", "2026-12-01"]]
    # The rejects file mirrors the input: Windows-1252, `;`.
    rejects = read_csv(ws.root / "outbox" / "commandes" / "export_rejects.csv", encoding="cp1252")
    assert rejects[1][:2] == ["Café Müller", "75001"], "the rejected row as it was written"
    assert "Montant: '1 23,4' is not a number" in rejects[1][-1]
    assert "Date: '31.02.2026' is not a date in the format dd.MM.yyyy" in rejects[1][-1]


def test_inspect_shows_zip_codes_as_text(ws):
    path = ws.root / "export.csv"
    path.write_bytes(EXPORT)
    p = subprocess.run([BIN, "inspect", str(path), "--json"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert '"08123"' in p.stdout and '"1204"' in p.stdout, p.stdout


TABLE = """
triggers: { inbox: { settle: 0s } }
extract:
  - csv: {}
transform:
  - validate:
      columns:
        Quantité: { type: integer, min: 1 }
load:
  - database: { table: articles, key: [Désignation], mode: upsert }
"""


def test_mac_and_windows_headers_load_into_one_table(ws):
    ws.pipeline("articles", TABLE)
    mac = unicodedata.normalize("NFD", "Désignation;Quantité\n") + "Café;2\nThé;3\n"
    assert mac.startswith("De\u0301signation")
    ws.drop("articles", "mac.csv", mac.encode("utf-8"))
    ws.sluice("run", check=True)
    windows = "Désignation;Quantité\r\nCafé;5\r\nSucre;1\r\n".encode("cp1252")
    ws.drop("articles", "windows.csv", windows)
    ws.sluice("run", check=True)
    assert [r["status"] for r in ws.runs()] == ["succeeded", "succeeded"]
    db = sqlite3.connect(ws.root / "data" / "sluice.sqlite")
    names = [r[1] for r in db.execute("PRAGMA table_info(articles)")]
    assert names == ["Désignation", "Quantité"] and all(unicodedata.is_normalized("NFC", n) for n in names)
    rows = db.execute('SELECT "Désignation", "Quantité" FROM articles ORDER BY 1').fetchall()
    assert rows == [("Café", 5), ("Sucre", 1), ("Thé", 3)]


ALL_BAD = """
triggers: { inbox: { settle: 0s } }
extract:
  - csv: {}
transform:
  - validate:
      columns:
        Montant: { type: decimal }
load:
  - csv: { file: out.csv }
"""


def test_a_run_that_rejects_every_row_fails(ws):
    ws.pipeline("tout", ALL_BAD)
    ws.drop("tout", "faux.csv", "Montant\nabc\n1e3\n")
    p = ws.sluice("run")
    assert p.returncode == 1, p.stdout + p.stderr
    run = ws.runs()[0]
    assert run["status"] == "failed"
    archive = ws.root / run["archive"]
    err = json.loads((archive / "error.json").read_text())
    assert err["stage"] == "transform" and err["message"].startswith("all 2 rows were rejected")
    assert "faux_rejects.csv" in err["hint"] and "max-rejects" in err["hint"]
    assert len(err["rows"]) == 2
    doc = json.loads((archive / "run.json").read_text())
    assert doc["status"] == "failed"
    assert "faux_rejects.csv" in [o["name"] for o in doc.get("outputs", [])], doc
    rejects = read_csv(ws.root / "outbox" / "tout" / "faux_rejects.csv")
    assert [r[0] for r in rejects[1:]] == ["abc", "1e3"]
    assert not (ws.root / "outbox" / "tout" / "out.csv").exists()


def test_max_rejects_lets_a_few_bad_rows_pass_and_fails_beyond(ws):
    ws.pipeline("quota", ALL_BAD.replace("        Montant: { type: decimal }\n",
                                         "        Montant: { type: decimal }\n      max-rejects: 40%\n"))
    ws.drop("quota", "a.csv", "Montant\n1\nx\n3\n")
    ws.sluice("run", check=True)
    ws.drop("quota", "b.csv", "Montant\n1\nx\ny\n")
    p = ws.sluice("run")
    assert p.returncode == 1
    failed = [r for r in ws.runs() if r["status"] == "failed"]
    err = json.loads((ws.root / failed[0]["archive"] / "error.json").read_text())
    assert err["message"].startswith("2 of 3 rows were rejected, more than max-rejects 40%"), err
    assert "b_rejects.csv" in err["hint"]
