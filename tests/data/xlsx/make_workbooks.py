#!/usr/bin/env python3
"""make_workbooks.py — the test workbooks of tests/e2e/import_xlsx.sh, made at test time.

usage: python3 make_workbooks.py OUTDIR

Made two ways: with openpyxl and xlwt (what offices' tools write: a title row, merged
unit cells, date-formatted cells, a 合计 and a 填表人 row, several sheets, an .xls), and
as zips assembled here by hand from raw XML (what openpyxl cannot write: formulas with
and without cached values, inline and rich-text strings, the 1904 date system, error
values, and the hostile cases: a zip bomb, a DTD, cell references outside the sheet,
16,384 columns, a shared-strings table over the cap, a truncated zip).
Each workbook has a CSV twin where the test compares the two imports.
"""
import datetime
import os
import sys
import zipfile

out = sys.argv[1]
os.makedirs(out, exist_ok=True)

HEADER = ["事故编号", "发生时间", "属地", "行业领域", "死亡人数", "受伤人数", "直接经济损失(万元)", "结案日期"]
ROWS = [
    ["SG-1", datetime.datetime(2020, 1, 15, 8, 30), "城关镇", "road", 1, 2, 35, datetime.date(2020, 3, 1)],
    ["SG-2", datetime.date(2020, 2, 29), "城关镇", "construction", 0, 1, 2.5, None],
    ["SG-3", datetime.datetime(2020, 6, 10), "青山镇", "road", 0, 0, 0.1, None],
]
CSV_ROWS = [
    ["SG-1", "2020-01-15 08:30:00", "城关镇", "road", "1", "2", "35", "2020-03-01"],
    ["SG-2", "2020-02-29", "城关镇", "construction", "0", "1", "2.5", ""],
    ["SG-3", "2020-06-10", "青山镇", "road", "0", "0", "0.1", ""],
]


def openpyxl_books():
    import openpyxl
    from openpyxl.styles import numbers
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "事故"
    ws.append(["2020年事故台账"])
    ws.merge_cells("A1:H1")
    ws.append(["填报日期：2020年7月1日"])
    ws.append(HEADER)
    for r in ROWS:
        ws.append(r)
    ws.merge_cells("C4:C5")          # 城关镇 merged down over its two rows
    for row in ws.iter_rows(min_row=4, max_row=6):
        row[1].number_format = "yyyy/m/d h:mm"
        row[7].number_format = 'yyyy"年"m"月"d"日"'
    ws.append(["合计", None, None, None, 1, 3, 37.6])
    ws.append(["填表人：张三", None, None, "审核：李四"])
    wb.create_sheet("说明").append(["本表由区应急管理局填报"])
    wb.save(os.path.join(out, "事故台账.xlsx"))
    with open(os.path.join(out, "accidents.csv"), "w", encoding="utf-8") as f:
        f.write(",".join(HEADER) + "\n")
        for r in CSV_ROWS:
            f.write(",".join(r) + "\n")
        f.write("合计,,,,1,3,37.6,\n")

    # a row error: deaths -1 in E12 (header in row 1)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(HEADER)
    for k in range(2, 12):
        ws.append(["B-%d" % k, datetime.date(2020, 5, k), "青山镇", "road", 0, 0, 0, None])
    ws.append(["B-12", datetime.date(2020, 5, 12), "青山镇", "road", -1, 0, 0, None])
    wb.save(os.path.join(out, "bad_value.xlsx"))

    # two sheets with the dataset's header: --sheet chooses
    wb = openpyxl.Workbook()
    for name, ident in (("一月", "M-1"), ("二月", "M-2")):
        ws = wb.create_sheet(name)
        ws.append(HEADER)
        ws.append([ident, datetime.date(2020, 1, 3), "青山镇", "road", 0, 0, 0, None])
    del wb["Sheet"]
    wb.save(os.path.join(out, "two_sheets.xlsx"))

    # a two-row header: 伤亡情况 merged over 死亡人数 / 失踪人数 / 重伤人数, the other
    # columns' names merged down over both rows; then a 注 line
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["事故编号", "发生时间", "属地", "行业领域", "伤亡情况"])
    ws.append([None, None, None, None, "死亡人数", "失踪人数", "重伤人数"])
    for col in "ABCD":
        ws.merge_cells("%s1:%s2" % (col, col))
    ws.merge_cells("E1:G1")
    ws.append(["T-1", datetime.date(2020, 4, 1), "青山镇", "road", 1, 2, 3])
    ws.append(["注：本表数据截至4月底"])
    wb.save(os.path.join(out, "two_row_header.xlsx"))

    # a formula openpyxl writes without a cached value
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["F-1", datetime.date(2020, 1, 3), "青山镇", "road", "=1+1", 0, 0, None])
    wb.save(os.path.join(out, "formula_nocache.xlsx"))


def xlwt_book():
    import xlwt
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("事故")
    ws.write(0, 0, "2020年事故台账")
    for c, h in enumerate(HEADER):
        ws.write(1, c, h)
    dt = xlwt.easyxf(num_format_str="yyyy/m/d h:mm")
    d = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for r, row in enumerate(ROWS, start=2):
        for c, v in enumerate(row):
            if isinstance(v, datetime.datetime):
                ws.write(r, c, v, dt)
            elif isinstance(v, datetime.date):
                ws.write(r, c, datetime.datetime(v.year, v.month, v.day), d)
            elif v is not None:
                ws.write(r, c, v)
    ws.write(5, 0, "合计")
    wb.save(os.path.join(out, "accidents.xls"))
    with open(os.path.join(out, "corrupt.xls"), "wb") as f:
        f.write(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\0" * 600)


CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="xml" ContentType="application/xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        '</Relationships>')
STYLES = ('<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>'
          '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>'
          '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>')


def workbook_xml(date1904=False, doctype=""):
    pr = '<workbookPr date1904="1"/>' if date1904 else ''
    return ('<?xml version="1.0" encoding="UTF-8"?>' + doctype +
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' + pr +
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')


def sheet_xml(rows_xml, tail=""):
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData>' + rows_xml + '</sheetData>' + tail + '</worksheet>')


def inline(ref, text):
    return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, text)


def header_row(names=("事故编号", "发生时间", "属地", "行业领域", "死亡人数")):
    return '<row r="1">' + "".join(inline("%s1" % chr(65 + k), h) for k, h in enumerate(names)) + '</row>'


def raw(name, sheet, sst=None, date1904=False, doctype="", extra=None, compress=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(os.path.join(out, name), "w", compress) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("xl/workbook.xml", workbook_xml(date1904, doctype))
        z.writestr("xl/_rels/workbook.xml.rels", RELS)
        z.writestr("xl/styles.xml", STYLES)
        if sst is not None:
            z.writestr("xl/sharedStrings.xml", sst)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        for k, v in (extra or {}).items():
            z.writestr(k, v)


def raw_books():
    # LibreOffice-style inline strings, rich text (with a phonetic run left out), a
    # formula with a cached value, a boolean in an unused column, the 1904 date system
    # (serial 42000 is 2018-12-28 there, 2014-12-27 in the 1900 system)
    sst = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">'
           '<si><r><t>青山</t></r><r><rPr><b/></rPr><t>镇</t></r><rPh sb="0" eb="1"><t>qing</t></rPh></si>'
           '<si><t>road</t></si></sst>')
    rows = header_row(("事故编号", "发生时间", "属地", "行业领域", "死亡人数", "备注")) + (
        '<row r="2">' + inline("A2", "R-1") + '<c r="B2" s="1"><v>42000</v></c><c r="C2" t="s"><v>0</v></c>'
        '<c r="D2" t="s"><v>1</v></c><c r="E2"><f>1+1</f><v>2</v></c><c r="F2" t="b"><v>1</v></c></row>'
        '<row r="3">' + inline("A3", "R-2") + '<c r="B3" s="2"><v>42000.5</v></c><c r="C3" t="s"><v>0</v></c>'
        '<c r="D3" t="str"><f>"ro"&amp;"ad"</f><v>road</v></c><c r="E3"><v>0</v></c></row>')
    raw("edge_1904.xlsx", sheet_xml(rows), sst, date1904=True)
    raw("edge_1900.xlsx", sheet_xml(rows), sst, date1904=False)
    # serial 60 is the 1900-02-29 Excel counts (and which never was)
    rows = header_row() + ('<row r="2">' + inline("A2", "L-1") + '<c r="B2" s="1"><v>60</v></c>' +
                           inline("C2", "青山镇") + inline("D2", "road") + '<c r="E2"><v>0</v></c></row>')
    raw("leap1900.xlsx", sheet_xml(rows))
    # an error value in a column of the dataset
    rows = header_row() + ('<row r="2">' + inline("A2", "E-1") + '<c r="B2" s="1"><v>43900</v></c>' +
                           inline("C2", "青山镇") + inline("D2", "road") + '<c r="E2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>')
    raw("error_value.xlsx", sheet_xml(rows))
    # hostile
    good_rows = header_row() + '<row r="2">' + inline("A2", "H-1") + '<c r="B2" s="1"><v>43900</v></c>' + \
        inline("C2", "青山镇") + inline("D2", "road") + '<c r="E2"><v>0</v></c></row>'
    raw("dtd.xlsx", sheet_xml(good_rows), doctype='<!DOCTYPE workbook [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>')
    raw("dtd_sheet.xlsx", '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>' +
        sheet_xml(good_rows)[len('<?xml version="1.0" encoding="UTF-8"?>'):])
    # the last cell of the sheet, empty: nothing to read, nothing allocated for it
    raw("far_cell.xlsx", sheet_xml(good_rows + '<row r="1048576"><c r="XFD1048576"/></row>'))
    raw("outside.xlsx", sheet_xml(header_row() + '<row r="2"><c r="XFE2"><v>1</v></c></row>'))
    raw("outside_row.xlsx", sheet_xml(header_row() + '<row r="1048577"><c r="A1048577"><v>1</v></c></row>'))
    wide = "".join('<c r="%s2"><v>1</v></c>' % col_name(k) for k in range(1, 16385))
    raw("wide.xlsx", sheet_xml(header_row() + '<row r="2">' + wide + '</row>'))
    # a zip bomb: the sheet pads with 64 MiB of blanks (deflated ~1000:1)
    bomb_sheet(os.path.join(out, "bomb.xlsx"))
    # shared strings over the cap (101 MiB of them, still under the ratio cap)
    with zipfile.ZipFile(os.path.join(out, "big_sst.xlsx"), "w", zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("xl/workbook.xml", workbook_xml())
        z.writestr("xl/_rels/workbook.xml.rels", RELS)
        z.writestr("xl/styles.xml", STYLES)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml(good_rows))
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            chunk = b"<si><t>" + b"x" * 1000 + b"</t></si>"
            for _ in range(101 * 1024):
                f.write(chunk)
            f.write(b"</sst>")
    # truncated and not a workbook
    with open(os.path.join(out, "事故台账.xlsx"), "rb") as f:
        data = f.read()
    with open(os.path.join(out, "truncated.xlsx"), "wb") as f:
        f.write(data[: len(data) // 2])
    with zipfile.ZipFile(os.path.join(out, "notbook.xlsx"), "w") as z:
        z.writestr("hello.txt", "hello")


def bomb_sheet(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("xl/workbook.xml", workbook_xml())
        z.writestr("xl/_rels/workbook.xml.rels", RELS)
        z.writestr("xl/styles.xml", STYLES)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(sheet_xml(header_row())[:-len('</sheetData></worksheet>')].encode())
            blank = b" " * (1 << 20)
            for _ in range(64):
                f.write(blank)
            f.write(b"</sheetData></worksheet>")


def col_name(k):
    s = ""
    while k:
        k, r = divmod(k - 1, 26)
        s = chr(65 + r) + s
    return s


openpyxl_books()
xlwt_book()
raw_books()
