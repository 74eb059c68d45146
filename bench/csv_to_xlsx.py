#!/usr/bin/env python3
"""csv_to_xlsx.py — writes a CSV file as an .xlsx workbook the way Excel stores one
(shared strings for text, numbers as numbers, dates as date-formatted serials), fast
enough for a million rows (raw XML, streamed into the zip). For bench/bench_xlsx.sh.

usage: python3 csv_to_xlsx.py IN.csv OUT.xlsx
"""
import csv
import datetime
import re
import sys
import zipfile
from xml.sax.saxutils import escape

src, dst = sys.argv[1], sys.argv[2]
DATE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)$")
NUM = re.compile(r"^-?\d+(\.\d+)?$")
EPOCH = datetime.date(1899, 12, 30)
strings, index = [], {}


def col(k):
    s = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        s = chr(65 + r) + s
    return s


with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out, open(src, encoding="utf-8") as f:
        out.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        buf = []
        for r, row in enumerate(csv.reader(f), start=1):
            cells = []
            for k, v in enumerate(row):
                ref = "%s%d" % (col(k), r)
                m = DATE.match(v) if r > 1 else None
                if m:
                    serial = (datetime.date(int(m[1]), int(m[2]), int(m[3])) - EPOCH).days
                    cells.append('<c r="%s" s="1"><v>%d</v></c>' % (ref, serial))
                elif r > 1 and NUM.match(v):
                    cells.append('<c r="%s"><v>%s</v></c>' % (ref, v))
                elif v:
                    i = index.get(v)
                    if i is None:
                        i = index[v] = len(strings)
                        strings.append(v)
                    cells.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, i))
            buf.append('<row r="%d">%s</row>' % (r, "".join(cells)))
            if len(buf) >= 10000:
                out.write("".join(buf).encode())
                buf = []
        out.write(("".join(buf) + "</sheetData></worksheet>").encode())
    z.writestr("xl/sharedStrings.xml", '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
               "".join("<si><t>%s</t></si>" % escape(s) for s in strings) + "</sst>")
    # the package parts a stricter reader (openpyxl, Excel) looks for
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml."
    z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
               '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
               '<Default Extension="xml" ContentType="application/xml"/>'
               '<Override PartName="/xl/workbook.xml" ContentType="' + ct + 'sheet.main+xml"/>'
               '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="' + ct + 'worksheet+xml"/>'
               '<Override PartName="/xl/sharedStrings.xml" ContentType="' + ct + 'sharedStrings+xml"/>'
               '<Override PartName="/xl/styles.xml" ContentType="' + ct + 'styles+xml"/></Types>')
    z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
               '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
               '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>')
    z.writestr("xl/styles.xml", '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>')
