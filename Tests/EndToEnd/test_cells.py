"""Numbers and cells as the person sees them: xlsx numbers at Excel's 15 digits, row numbers
that match Excel / LibreOffice across blank rows (xlsx and CSV), and empty files."""
import csv
import io
import json
import shutil
import subprocess
import zipfile

import pytest

from conftest import BIN

SOFFICE = shutil.which("soffice")

PIPELINE = """
triggers: { inbox: { settle: 0s } }
extract:
  - xlsx: {}
transform:
  - validate:
      columns:
        Produit: { type: string, required: true }
        Montant: { type: decimal, min: 0 }
      on-invalid: reject-row
load:
  - csv: { file: out.csv, delimiter: ";" }
"""

# What each Montant cell is in Python, and what Excel shows for it.
AMOUNTS = [("Café", 0.1 + 0.2, "0.3"), ("Thé", 1.1 * 1.1, "1.21"), ("Pain", 2153.93, "2153.93"),
           ("Sel", -1.0, None), ("Riz", 4.85, "4.85"), ("Lait", 8222.61, "8222.61"), ("Sucre", 12, "12")]


def read_csv(path, delimiter=";"):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=delimiter))


def fifteen(value):
    """The double at 15 significant digits: what Excel shows and computes with."""
    return float("%.15g" % value)


# The digits producers write for those doubles: Python/XlsxWriter-style shortest round trip,
# Excel's 17 digits, Gnumeric's 21 (openpyxl itself writes them short).
TAILS = {"0.3": "0.30000000000000004", "1.21": "1.2100000000000002", "2153.93": "2153.9299999999998",
         "4.85": "4.84999999999999999991", "8222.61": "8222.610000000001"}


def write_workbook(path):
    """A workbook written by openpyxl, row 3 left blank, whose number cells are then given the
    long digits other producers write."""
    import openpyxl
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "Ventes"
    sheet.append(["Produit", "Montant"])
    sheet.append(list(AMOUNTS[0][:2]))
    sheet.append([])
    for name, amount, _ in AMOUNTS[1:]:
        sheet.append([name, amount])
    plain = path.with_suffix(".plain.xlsx")
    wb.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for short, long in TAILS.items():
                    assert f"<v>{short}</v>" in text or f"<v>{long}</v>" in text, (short, text)
                    text = text.replace(f"<v>{short}</v>", f"<v>{long}</v>")
                data = text.encode()
            dst.writestr(item, data)
    plain.unlink()
    return path


def inspect_rows(path):
    p = subprocess.run([BIN, "inspect", str(path), "--json"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout, [json.loads(line) for line in p.stdout.splitlines()]


def check_run(ws, book):
    """Runs the pipeline over `book`: the csv shows Excel's digits, the reject names row 6."""
    ws.pipeline("ventes", PIPELINE)
    ws.drop("ventes", "ventes.xlsx", book.read_bytes())
    ws.sluice("run", check=True)
    out = read_csv(ws.root / "outbox" / "ventes" / "out.csv")
    assert out[0] == ["Produit", "Montant"]
    assert out[1:] == [[name, shown] for name, _, shown in AMOUNTS if shown is not None]
    import openpyxl
    rejects = [list(r) for r in openpyxl.load_workbook(ws.root / "outbox" / "ventes" / "ventes_rejects.xlsx").active.values]
    assert rejects[0][-1] == "error" and [r[0] for r in rejects[1:]] == ["Sel"]
    assert rejects[1][-1] == "row 6: Montant -1 is below the minimum 0", rejects


def check_inspect(book):
    """`inspect --json` shows the sheet as it is: row 3 is `[]`, every number at 15 digits."""
    text, rows = inspect_rows(book)
    assert rows[0] == ["Produit", "Montant"]
    assert rows[2] == [], "the blank row keeps its place"
    assert [r[0] for r in rows[3:]] == [name for name, _, _ in AMOUNTS[1:]]
    numbers = [r[1] for r in [rows[1]] + rows[3:]]
    assert numbers == [fifteen(a) for _, a, _ in AMOUNTS]
    for tail in ("0.30000000000000004", "1.2100000000000002", "2153.9299999999998", "4.8499999999", "8222.610000000001"):
        assert tail not in text
    lines = text.splitlines()
    assert lines[1].endswith(",0.3]") and lines[-1].endswith(",12]"), "numbers are written as Excel shows them, integers as integers"


def test_openpyxl_workbook_reads_as_excel_shows_it(ws, tmp_path):
    book = write_workbook(tmp_path / "ventes.xlsx")
    check_inspect(book)
    check_run(ws, book)


@pytest.mark.skipif(SOFFICE is None, reason="the test script installs LibreOffice; run `make test`")
def test_libreoffice_workbook_reads_as_excel_shows_it(ws, tmp_path):
    source = write_workbook(tmp_path / "source.xlsx")
    out = tmp_path / "lo-out"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(out), str(source)], check=True, capture_output=True, timeout=180)
    book = out / "source.xlsx"
    check_inspect(book)
    check_run(ws, book)


def test_csv_rows_are_named_as_a_spreadsheet_shows_them(ws):
    ws.pipeline("strict", PIPELINE.replace("xlsx: {}", "csv: {}").replace("reject-row", "fail-run"))
    # Row 2 spans two lines (a quoted line break), row 3 is an empty line.
    ws.drop("strict", "v.csv", 'Produit;Montant\n"Café\nen grains";12.50\n\nThé;-1\n;3\nPain;2\n')
    p = ws.sluice("run")
    assert p.returncode == 1
    run = ws.runs()[0]
    err = json.loads((ws.root / run["archive"] / "error.json").read_text())
    assert err["rows"] == [4, 5] and err["place"] == "row 4", err
    assert "row 4: Montant -1 is below the minimum 0 | row 5: Produit is required" in err["message"]
    rejects = read_csv(ws.root / "outbox" / "strict" / "v_rejects.csv")
    assert [r[-1].split(":")[0] for r in rejects[1:]] == ["row 4", "row 5"]
    _, rows = inspect_rows(ws.root / run["archive"] / "v.csv")
    assert rows[0] == ["Produit", "Montant"] and rows[2] == [] and rows[3][0] == "Thé", "line N of inspect is row N"


@pytest.mark.parametrize("name,step", [("vide.csv", "csv: { columns: [Montant] }"), ("vide.xlsx", "xlsx: {}"), ("vide.json", "json: {}")])
def test_an_empty_file_fails_the_run_saying_so_and_is_kept(ws, name, step):
    ws.pipeline("p", f"triggers: {{ inbox: {{ settle: 0s }} }}\nextract:\n  - {step}\nload:\n  - csv: {{ file: out.csv }}\n")
    ws.drop("p", name, b"")
    p = ws.sluice("run")
    assert p.returncode == 1
    run = ws.runs()[0]
    assert run["status"] == "failed" and "the file is empty (0 bytes)" in run["error"], run
    archive = ws.root / run["archive"]
    err = json.loads((archive / "error.json").read_text())
    assert err["message"] == "the file is empty (0 bytes)" and err["file"] == name and err["stage"] == "extract", err
    assert (archive / name).exists() and (archive / name).stat().st_size == 0
    assert "missing column" not in p.stdout + p.stderr


@pytest.mark.parametrize("name", ["vide.csv", "vide.xlsx", "vide.json", "vide.jsonl"])
def test_inspect_says_an_empty_file_is_empty(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    for args in (["--json"], ["--summary"], []):
        p = subprocess.run([BIN, "inspect", str(path), *args], capture_output=True, text=True, timeout=60)
        assert p.returncode != 0
        assert "the file is empty (0 bytes)" in p.stderr and name in p.stderr, p.stderr
