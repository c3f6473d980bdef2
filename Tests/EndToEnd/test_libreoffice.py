"""xlsx against LibreOffice (headless): it opens what Sluice writes, and Sluice reads what it writes."""
import csv
import io
import json
import shutil
import subprocess

import pytest

from conftest import BIN

SOFFICE = shutil.which("soffice")


def convert(tmp_path, source, target_format, infilter=None):
    profile = tmp_path / "lo-profile"
    out = tmp_path / "lo-out"
    out.mkdir(exist_ok=True)
    args = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless"]
    if infilter:
        args.append(f"--infilter={infilter}")
    subprocess.run(args + ["--convert-to", target_format, "--outdir", str(out), str(source)], check=True, capture_output=True, timeout=180)
    return out


@pytest.mark.skipif(SOFFICE is None, reason="the test script installs LibreOffice; run `make test`")
def test_libreoffice_opens_what_sluice_writes(ws, tmp_path):
    ws.pipeline("classeur", """
triggers: { inbox: { settle: 0s } }
extract:
  - csv: {}
load:
  - xlsx: { file: "out.xlsx", sheet: Données }
""")
    ws.drop("classeur", "in.csv", "Texte,Montant,Jour,Payé,Quantité\n=1+1,12.50,2026-11-21,true,3\nCrème,-0.001,2024-02-29,false,-7\n")
    ws.sluice("run", check=True)
    out = convert(tmp_path, ws.root / "outbox" / "classeur" / "out.xlsx", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1")
    text = next(out.glob("*.csv")).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Texte", "Montant", "Jour", "Payé", "Quantité"]
    assert rows[1][0] == "=1+1", "text starting with '=' must stay text, not become a formula"
    assert rows[1][1] in ("12.5", "12.50") and rows[1][3].upper() == "TRUE" and rows[1][4] == "3"
    assert rows[1][2] == "2026-11-21"
    assert rows[2][0] == "Crème" and rows[2][1] == "-0.001" and rows[2][2] == "2024-02-29" and rows[2][4] == "-7"


@pytest.mark.skipif(SOFFICE is None, reason="the test script installs LibreOffice; run `make test`")
def test_sluice_reads_what_libreoffice_writes(tmp_path):
    src = tmp_path / "ventes.csv"
    src.write_text("Produit,Montant,Date\nCafé,12.5,2026-11-21\nThé,4,2026-11-20\n")
    out = convert(tmp_path, src, "xlsx", infilter="CSV:44,34,76,1")  # comma, double quote, UTF-8
    book = next(out.glob("*.xlsx"))
    p = subprocess.run([BIN, "inspect", str(book), "--json"], capture_output=True, text=True, check=True)
    rows = [json.loads(l) for l in p.stdout.splitlines()]
    assert rows[0] == ["Produit", "Montant", "Date"]
    assert rows[1][:2] == ["Café", 12.5] and rows[2][:2] == ["Thé", 4]
    assert rows[1][2] == "2026-11-21" or rows[1][2].startswith("2026-11-21")
