"""Writes the benchmark workbook: ROWS x 10 mixed cells (strings, integers, decimals, dates).

usage: python3 generate.py OUT.xlsx ROWS
XlsxWriter with shared strings, as Excel writes them; deterministic content.
"""
import datetime
import sys

import xlsxwriter

path, rows = sys.argv[1], int(sys.argv[2])
words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"]
workbook = xlsxwriter.Workbook(path, {"constant_memory": rows > 200_000})
sheet = workbook.add_worksheet("Data")
date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
sheet.write_row(0, 0, ["id", "name", "amount", "date", "label", "count", "ratio", "city", "code", "delta"])
base = datetime.date(2000, 1, 1)
for i in range(1, rows + 1):
    sheet.write_number(i, 0, i)
    sheet.write_string(i, 1, words[i % 10] + " " + words[(i // 10) % 10])
    sheet.write_number(i, 2, round((i * 37 % 100000) / 100, 2))
    sheet.write_datetime(i, 3, base + datetime.timedelta(days=i % 9000), date_format)
    sheet.write_string(i, 4, "label %d" % (i % 5000))
    sheet.write_number(i, 5, i * 7 % 1000)
    sheet.write_number(i, 6, (i % 997) / 997)
    sheet.write_string(i, 7, ["Zürich", "Genève", "Basel", "Bern", "Lausanne"][i % 5])
    sheet.write_string(i, 8, "C-%06d" % (i * 13 % 1000000))
    sheet.write_number(i, 9, -i * 3)
workbook.close()
