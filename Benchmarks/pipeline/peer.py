#!/usr/bin/env python3
"""The same work as the benchmark pipeline, as a plain Python script would do it:
for each file in INBOX: read the CSV, validate (types, required, min) with exact decimals,
reject bad rows to a rejects file, aggregate by product, write a report CSV, upsert the
totals and insert the valid rows into SQLite in one transaction, then move the input to
the archive. No checkpoints, no ledger."""
import csv, os, sqlite3, sys, datetime, shutil
from decimal import Decimal, InvalidOperation

def main():
    inbox, outbox, archive, db_path = sys.argv[1:5]
    os.makedirs(outbox, exist_ok=True); os.makedirs(archive, exist_ok=True)
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE IF NOT EXISTS totaux (Produit TEXT PRIMARY KEY, Quantite INTEGER, Montant TEXT, Lignes INTEGER)")
    db.execute("CREATE TABLE IF NOT EXISTS lignes (Date TEXT, Produit TEXT, Quantite INTEGER, Montant TEXT, Magasin TEXT)")
    for name in sorted(os.listdir(inbox)):
        path = os.path.join(inbox, name)
        valid, rejects = [], []
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.reader(f, delimiter=";")
            header = next(reader)
            for row in reader:
                try:
                    d = datetime.date.fromisoformat(row[0])
                    if not row[1]: raise ValueError("Produit is required")
                    q = int(row[2])
                    if q < 1: raise ValueError("Quantité below minimum")
                    m = Decimal(row[3])
                    if m < 0: raise ValueError("Montant below minimum")
                    valid.append((d, row[1], q, m, row[4]))
                except (ValueError, InvalidOperation) as e:
                    rejects.append(row + [str(e)])
        totals = {}
        for d, p, q, m, s in valid:
            t = totals.setdefault(p, [0, Decimal(0), 0])
            t[0] += q; t[1] += m; t[2] += 1
        stem = os.path.splitext(name)[0]
        with open(os.path.join(outbox, f"totaux_{stem}.csv"), "w", newline="") as f:
            w = csv.writer(f, delimiter=";")
            w.writerow(["Produit", "Quantité", "Montant", "Lignes"])
            for p in sorted(totals):
                w.writerow([p, totals[p][0], totals[p][1], totals[p][2]])
            f.flush(); os.fsync(f.fileno())
        if rejects:
            with open(os.path.join(outbox, f"{stem}_rejects.csv"), "w", newline="") as f:
                csv.writer(f, delimiter=";").writerows([header + ["error"]] + rejects)
        with db:
            db.executemany("INSERT INTO totaux VALUES (?,?,?,?) ON CONFLICT(Produit) DO UPDATE SET Quantite=excluded.Quantite, Montant=excluded.Montant, Lignes=excluded.Lignes",
                           [(p, t[0], str(t[1]), t[2]) for p, t in totals.items()])
            db.executemany("INSERT INTO lignes VALUES (?,?,?,?,?)", [(d.isoformat(), p, q, str(m), s) for d, p, q, m, s in valid])
        shutil.move(path, os.path.join(archive, name))

main()
