#!/usr/bin/env python3
"""Generates benchmark inputs: N small CSV files, or one large CSV file."""
import random, sys, os

def rows(rng, n):
    prods = ["Café", "Thé", "Chocolat", "Tasse", "Moulin", "Filtre", "Sucre", "Lait"]
    for i in range(n):
        yield f"2026-11-{rng.randint(1, 28):02d};{rng.choice(prods)};{rng.randint(1, 9)};{rng.randint(100, 99999) / 100:.2f};Magasin {rng.randint(1, 40)}\n"

def main():
    kind, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rng = random.Random(42)
    os.makedirs(out, exist_ok=True)
    header = "Date;Produit;Quantité;Montant;Magasin\n"
    if kind == "small":
        for f in range(count):
            with open(os.path.join(out, f"ventes_{f:05d}.csv"), "w") as fh:
                fh.write(header + "".join(rows(rng, 20)))
    else:
        with open(os.path.join(out, "ventes_big.csv"), "w") as fh:
            fh.write(header)
            fh.writelines(rows(rng, count))

main()
