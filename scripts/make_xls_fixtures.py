#!/usr/bin/env python3
"""Writes the small .xls (BIFF8) fixtures under tests/fixtures/ used by tests/ingest.rs.

No Rust crate writes .xls, so these are generated once with the PyPI package xlwt and
checked in (each well under 20 KB):

    pip install xlwt==1.3.0
    python3 scripts/make_xls_fixtures.py

The expected values in tests/ingest.rs are written by hand from the data below; change
both together.
"""

import datetime
import os

import xlwt

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "fixtures")

HEADER = ["工单号", "客户名称", "车牌号", "结算日期", "实收金额", "数量"]
RECORDS = [
    ("00123", "张三", "京A12345", datetime.date(2024, 3, 5), 1280.5, 2),
    ("00124", "李四", "沪B67890", datetime.date(2024, 3, 18), 560, 1),
    ("00125", "王五 ", "粤C11111", datetime.date(2024, 4, 1), -120, 1),
]


def service_records(path, dates_1904=False):
    wb = xlwt.Workbook(encoding="utf-8")
    wb.dates_1904 = dates_1904
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    money_style = xlwt.easyxf(num_format_str="#,##0.00")

    # A short notes sheet first: the reader must still choose the records sheet.
    notes = wb.add_sheet("说明")
    notes.write(0, 0, "本文件由系统导出")

    ws = wb.add_sheet("维修记录")
    ws.write_merge(0, 0, 0, 5, "某某汽车4S店维修结算明细")  # title row (row 1)
    # row 2 left empty on purpose
    for c, h in enumerate(HEADER):
        ws.write(2, c, h)  # header on row 3
    for r, (order, name, plate, date, amount, qty) in enumerate(RECORDS, start=3):
        ws.write(r, 0, order)  # text, leading zeros kept
        ws.write(r, 1, name)
        ws.write(r, 2, plate)
        ws.write(r, 3, date, date_style)
        ws.write(r, 4, amount, money_style)
        ws.write(r, 5, qty)
    total_row = 3 + len(RECORDS)
    ws.write(total_row, 0, "合计")
    ws.write(total_row, 4, sum(rec[4] for rec in RECORDS), money_style)
    ws.write(total_row, 5, sum(rec[5] for rec in RECORDS))
    wb.save(path)


def main():
    os.makedirs(OUT, exist_ok=True)
    service_records(os.path.join(OUT, "service_records.xls"))
    service_records(os.path.join(OUT, "service_records_1904.xls"), dates_1904=True)
    for name in sorted(os.listdir(OUT)):
        if name.endswith(".xls"):
            size = os.path.getsize(os.path.join(OUT, name))
            assert size < 20 * 1024, (name, size)
            print(f"{name}: {size} bytes")


if __name__ == "__main__":
    main()
