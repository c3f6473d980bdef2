"""Excel 97-2003 .xls (read through FreeXL) against LibreOffice headless: workbooks written by
openpyxl, converted to .xls by LibreOffice, read by `sluice inspect --json` and compared cell by
cell with what LibreOffice reads back from the same .xls (converted back to xlsx, read by openpyxl)."""
import datetime
import json
import shutil
import subprocess

import pytest

from conftest import BIN

openpyxl = pytest.importorskip("openpyxl")
SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="the test script installs LibreOffice; run `make test`")


def convert(tmp_path, sources, target_format):
    """One LibreOffice run for all `sources`; returns the converted paths in the same order."""
    out = tmp_path / f"lo-{target_format}"
    out.mkdir(exist_ok=True)
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--convert-to", target_format, "--outdir", str(out)] + [str(s) for s in sources],
                   check=True, capture_output=True, timeout=180)
    return [out / (s.stem + "." + target_format) for s in sources]


def inspect_rows(path, sheet):
    p = subprocess.run([BIN, "inspect", str(path), "--json", "--sheet", str(sheet)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return [json.loads(line) for line in p.stdout.splitlines()]


def write_workbook(path):
    wb = openpyxl.Workbook()
    ventes = wb.active
    ventes.title = "Ventes"
    ventes.append(["Produit", "Montant", "Jour", "Quand", "Quantité", "Remarque"])
    ventes.append(["Café crème", 0.1 + 0.2, datetime.date(2026, 11, 21), datetime.datetime(2024, 2, 29, 13, 45, 30), 3, None])
    ventes.append([])
    ventes.append(["Thé à la menthe", 2153.9299999999998, datetime.date(1999, 12, 31), datetime.datetime(2026, 1, 1, 0, 0, 1), -7, "livré à Genève"])
    ventes.append(["Œufs « bio »", 8222.610000000001, None, None, 2**40, ""])
    ventes.append([None, -0.001, datetime.date(1900, 3, 1), None, 0, "  espaces  "])
    for row in ventes.iter_rows(min_row=2, min_col=3, max_col=3):
        row[0].number_format = "yyyy-mm-dd"
    for row in ventes.iter_rows(min_row=2, min_col=4, max_col=4):
        row[0].number_format = "yyyy-mm-dd hh:mm:ss"
    calcul = wb.create_sheet("Calculs")
    calcul.append(["Vrai", "Faux", "Somme", "Texte", "Erreur", "Manque", "Date calculée"])
    calcul.append([True, False, "=2+3.5", '="Crème "&"brûlée"', "=1/0", "=NA()", "=DATE(2026,11,21)+0.5"])
    calcul["G2"].number_format = "yyyy-mm-dd hh:mm"
    stock = wb.create_sheet("Stock été")
    stock["B2"] = "Entrepôt"
    stock["C4"] = 1e-7
    stock["D4"] = 123456789.125
    wb.save(path)


def lo_value(v):
    """openpyxl's reading of LibreOffice's xlsx, in inspect's JSON terms."""
    if isinstance(v, datetime.datetime):
        return v.date().isoformat() if v.time() == datetime.time() else v.isoformat()
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v if v != "" else None
    return float(f"{v:.15g}")


def ours(v):
    if isinstance(v, dict):
        return v["error"]  # {"error": "#DIV/0!"}; openpyxl gives the error's text
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v


@needs_soffice
def test_xls_reads_cell_by_cell_as_libreoffice_does(tmp_path):
    source = tmp_path / "ventes.xlsx"
    write_workbook(source)
    [xls] = convert(tmp_path, [source], "xls")
    assert xls.read_bytes()[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    [back] = convert(tmp_path, [xls], "xlsx")
    book = openpyxl.load_workbook(back, data_only=True)  # formulas: the results LibreOffice saved
    assert book.sheetnames == ["Ventes", "Calculs", "Stock été"]
    compared = 0
    for index, sheet in enumerate(book.worksheets, start=1):
        expected = [[lo_value(c.value) for c in row] for row in sheet.iter_rows()]
        expected = [row for row in expected if any(v is not None for v in row)]
        got = [row for row in inspect_rows(xls, index) if row]  # empty rows, if shown as [], are left aside
        assert len(got) == len(expected), (sheet.title, got, expected)
        for g, e in zip(got, expected):
            g = g + [None] * (len(e) - len(g))
            for a, b in zip(g, e):
                if b is None and a is None:
                    continue
                compared += 1
                if isinstance(b, str) and "-" in b and ":" in b:
                    assert a == b.replace(" ", "T"), (sheet.title, g, e)
                else:
                    assert ours(a) == b, (sheet.title, g, e)
    assert compared >= 32
    calculs = inspect_rows(xls, 2)
    assert calculs[1] == [True, False, 5.5, "Crème brûlée", {"error": "#DIV/0!"}, {"error": "#N/A"}, "2026-11-21T12:00:00"]
    rows = inspect_rows(xls, 1)
    # Excel's digits, not the binary tails; integers stay integers.
    assert rows[1][:2] == ["Café crème", 0.3] and rows[1][4] == 3
    oeufs = next(r for r in rows if r and r[0] == "Œufs « bio »")
    assert oeufs[1] == 8222.61 and oeufs[4] == 2**40


@needs_soffice
def test_an_xls_dropped_in_the_inbox_goes_through_a_pipeline(ws, tmp_path):
    source = tmp_path / "ventes.xlsx"
    write_workbook(source)
    [xls] = convert(tmp_path, [source], "xls")
    ws.pipeline("ventes", """
triggers: { inbox: { settle: 0s } }
extract:
  - xlsx: { sheet: Ventes }
load:
  - csv: { file: "out_{{run.id}}.csv" }
""")
    ws.drop("ventes", "ventes_2026.xls", xls.read_bytes())
    p = ws.sluice("run")
    assert p.returncode == 0, p.stdout + p.stderr
    runs = ws.runs()
    assert len(runs) == 1 and runs[0]["status"] == "succeeded", runs
    out = sorted((ws.root / "outbox" / "ventes").rglob("out*.csv"))
    text = out[0].read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    assert lines[0].split(",")[:5] == ["Produit", "Montant", "Jour", "Quand", "Quantité"]
    assert lines[1].startswith("Café crème,0.3,2026-11-21,2024-02-29")
    assert "Thé à la menthe,2153.93,1999-12-31" in text


@needs_soffice
def test_inspect_names_the_format_and_the_sheet(tmp_path):
    source = tmp_path / "ventes.xlsx"
    write_workbook(source)
    [xls] = convert(tmp_path, [source], "xls")
    p = subprocess.run([BIN, "inspect", str(xls)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[0].endswith("ventes.xls: xls, sheet 'Ventes'")
    # Chosen by content: the .xls under an xlsx name reads the same.
    renamed = tmp_path / "renommé.xlsx"
    renamed.write_bytes(xls.read_bytes())
    assert inspect_rows(renamed, 3) == inspect_rows(xls, 3)
    p = subprocess.run([BIN, "inspect", str(xls), "--sheet", "Nulle part"], capture_output=True, text=True)
    assert p.returncode != 0 and "Ventes, Calculs, Stock été" in p.stderr


@pytest.mark.parametrize("name,content,says", [
    ("export.xls", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "HTML page renamed .xls"),
    ("export.xls", "Produit;Montant\nCafé;3,50\n".encode(), "renamed .xls"),
    ("vide.xls", b"", "empty (0 bytes)"),
    ("coupé.xls", bytes.fromhex("D0CF11E0A1B11AE1") + bytes(300), "cut short"),
])
def test_what_is_not_a_readable_xls_is_named_and_advised_once(tmp_path, name, content, says):
    path = tmp_path / name
    path.write_bytes(content)
    p = subprocess.run([BIN, "inspect", str(path), "--json"], capture_output=True, text=True)
    assert p.returncode != 0
    assert says in p.stderr, p.stderr
    assert name in p.stderr
    assert p.stderr.count("save it") <= 1 and p.stderr.count("try again") <= 1, p.stderr


def test_a_failed_xls_run_gives_its_advice_once(ws):
    ws.pipeline("ventes", """
triggers: { inbox: { settle: 0s } }
extract:
  - xlsx: {}
load:
  - csv: { file: out.csv }
""")
    ws.drop("ventes", "export.xls", "<html><body><table><tr><td>1</td></tr></table></body></html>")
    ws.drop("ventes", "abîmé.xls", bytes.fromhex("D0CF11E0A1B11AE1") + bytes(1016))
    assert ws.sluice("run").returncode == 1
    runs = {r["inputs"][0]: r for r in ws.runs()}
    assert "HTML page renamed .xls" in runs["export.xls"]["error"]
    assert ".xls" in runs["abîmé.xls"]["error"]
    for r in runs.values():
        assert r["status"] == "failed"
        err = json.loads((ws.root / r["archive"] / "error.json").read_text())
        text = json.dumps(err, ensure_ascii=False)
        assert err["file"] == r["inputs"][0]
        assert text.count("save it") <= 1 and text.count("save it again") <= 1, text
