"""Times one Python reader on a workbook's first sheet.

usage: python3 peer_read.py openpyxl|calamine|fastexcel FILE.xlsx   → prints rows=N seconds=S
"""
import sys
import time

peer, path = sys.argv[1], sys.argv[2]
start = time.perf_counter()
if peer == "openpyxl":
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
elif peer == "calamine":
    import python_calamine

    rows = len(python_calamine.CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python())
elif peer == "fastexcel":
    import fastexcel

    rows = fastexcel.read_excel(path).load_sheet(0, header_row=None).to_arrow().num_rows
else:
    sys.exit("unknown peer " + peer)
print("rows=%d seconds=%f" % (rows, time.perf_counter() - start))
