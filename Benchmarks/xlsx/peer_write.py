"""Times XlsxWriter (constant_memory mode) writing the same ROWS x 10 cells as `xlsx-bench write`.

usage: python3 peer_write.py OUT.xlsx ROWS   → prints rows=N seconds=S
"""
import datetime
import sys
import time

import xlsxwriter

path, rows = sys.argv[1], int(sys.argv[2])
start = time.perf_counter()
words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
sheet = workbook.add_worksheet("Data")
bold = workbook.add_format({"bold": True})
date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
sheet.freeze_panes(1, 0)
sheet.write_row(0, 0, ["col%d" % c for c in range(1, 11)], bold)
for i in range(rows):
    r = i + 1
    sheet.write_number(r, 0, i)
    sheet.write_string(r, 1, words[i % 8])
    sheet.write_number(r, 2, i % 10000 // 7 + (0.5 if i % 7 < 2 else 0.25))
    sheet.write_datetime(r, 3, datetime.date(2000 + i % 25, 1 + i % 12, 1 + i % 28), date_format)
    sheet.write_string(r, 4, "text %d" % (i % 1000))
    sheet.write_number(r, 5, i * 31 % 100000)
    sheet.write_number(r, 6, i % 1000 + 0.5)
    sheet.write_boolean(r, 7, i % 2 == 0)
    sheet.write_string(r, 8, words[(i // 3) % 8] + " " + words[i % 8])
    sheet.write_number(r, 9, -i)
workbook.close()
print("rows=%d seconds=%f" % (rows, time.perf_counter() - start))
