# import_xlsx_scan.sh — the worksheet and shared-strings XML is read by the reader's own
# scanner (core/xlsx_sheet_scan.c), not expat: a workbook assembled by hand with what the
# scanner must decode (the five entities, decimal and hex character references up to
# U+1F600, rich-text runs with a phonetic run, inline strings, CJK, CRLF and tabs in
# text, CDATA, comments and PIs between cells, x: prefixes, self-closing and omitted
# cells, numbers with exponents, booleans, an error value in an ignored column,
# date-formatted serials, a text date, a formula's cached string) imports to the very
# table (.dump) its CSV twin gives; the same workbook with its sheet padded past several
# inflate chunks (tokens cut at every chunk end) too; and what the scanner refuses (a
# DTD, a bad reference, a mismatched tag, a cut token) is a clear error naming the line,
# exit 2, the database unchanged.
. "$(dirname "$0")/../lib.sh"
python_or_skip 'zipfile' "hand-made workbooks"

"$PY" - <<'PY' || { not_ok "workbooks made"; exit 0; }
import zipfile
CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="xml" ContentType="application/xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        '</Relationships>')
STYLES = ('<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="22"/></cellXfs></styleSheet>')
WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
      '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
SST = ('<?xml version="1.0" encoding="UTF-8"?>\r\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="5" uniqueCount="5">'
       '<si><t>T01</t></si><si><t>road</t></si>'
       '<si><r><t>青山</t></r><r><rPr><b/></rPr><t xml:space="preserve"> 镇 &lt;一&gt; &quot;x&quot; &apos;y&apos; &amp; z</t></r>'
       '<rPh sb="0" eb="1"><t>qing</t></rPh></si>'
       '<si><t>T02</t></si><si><t><![CDATA[fire]]></t></si></sst>')
HEAD = ["id", "occurred_at", "unit", "sector", "deaths", "missing", "serious_injuries", "injuries",
        "direct_loss", "report_status", "closed_on", "production", "written_off", "summary", "备注"]

def col(k):
    s = ""
    while k:
        k, r = divmod(k - 1, 26)
        s = chr(65 + r) + s
    return s

def inl(ref, text, p=""):
    return '<%sc r="%s" t="inlineStr"><%sis><%st>%s</%st></%sis></%sc>' % (p, ref, p, p, text, p, p, p)

head = '<row r="1">' + "".join(inl("%s1" % col(k + 1), h) for k, h in enumerate(HEAD)) + '</row>'
rows = [
    # entities in an inline id, a date-time serial, shared strings, an omitted and a
    # self-closing cell, an exponent, rich text, booleans
    '<row r="2" spans="1:15">' + inl("A2", "A&amp;B-1") + '<c r="B2" s="2"><v>43900.5</v></c>'
    '<c r="C2" t="s"><v>0</v></c><c r="D2" t="s"><v>1</v></c><c r="E2"><v>1</v></c>'
    '<c r="G2"/><c r="H2"><v>2</v></c><c r="I2"><v>1.5E1</v></c>' + inl("J2", "normal") +
    '<c r="K2" s="1"><v>43910</v></c><c r="L2" t="b"><v>1</v></c><c r="M2" t="b"><v>0</v></c>'
    '<c r="N2" t="s"><v>2</v></c><c r="O2" t="e"><v>#N/A</v></c></row>',
    # x: prefixes, character references, CRLF and a tab, a negative exponent, a text date,
    # a formula's cached string, a comment and a PI between cells
    '<x:row r="3">' + inl("A3", "SG-&#50;", "x:") + inl("B3", "2020-05-01", "x:") +
    '<x:c r="C3" t="s"><x:v>3</x:v></x:c><!-- between cells --><x:c r="D3" t="s"><x:v>4</x:v></x:c>'
    '<x:c r="E3"><x:v>0</x:v></x:c><?pi data?><x:c r="I3"><x:v>2.5e-1</x:v></x:c>'
    '<x:c r="J3" t="str"><x:f>"nor"&amp;"mal"</x:f><x:v>normal</x:v></x:c>' +
    inl("N3", "中&#20013;&#x4E2D;&#x1F600;\r\nline2\tcol", "x:") + '</x:row>',
    # CDATA, a far empty cell, an integer with an exponent, a date serial
    '<row r="5"><c r="A5" t="str"><f>x</f><v><![CDATA[SG-<3>]]></v></c><c r="B5" s="1"><v>43831</v></c>'
    '<c r="C5" t="s"><v>0</v></c><c r="D5" t="s"><v>1</v></c><c r="E5"><v>2E0</v></c>'
    '<c r="I5"><v>1E-2</v></c>' + inl("N5", "a]]b ]&gt; c") + '<c r="IV5"/></row>',
]

def sheet(pad=0):
    filler = "".join('<!-- %s -->' % ("x" * 97) for _ in range(pad))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
            head + filler + rows[0] + filler + rows[1] + filler + rows[2] + '</sheetData></worksheet>')

def book(name, sheet_xml, sst=SST, stored=False):
    with zipfile.ZipFile(name, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("xl/workbook.xml", WB)
        z.writestr("xl/_rels/workbook.xml.rels", RELS)
        z.writestr("xl/styles.xml", STYLES)
        z.writestr("xl/sharedStrings.xml", sst)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)

book("scan.xlsx", sheet())
book("padded.xlsx", sheet(3000))       # ~330 KB of sheet: several 64 KB chunks
good = sheet()
book("dtd_entity.xlsx", good.replace('<worksheet', '<!DOCTYPE worksheet [<!ENTITY e "x">]><worksheet', 1))
book("bad_ref.xlsx", good.replace('SG-&#50;', 'SG-&#1;', 1))
book("undefined_entity.xlsx", good.replace('A&amp;B-1', 'A&nbsp;B-1', 1))
book("mismatched.xlsx", good.replace('</x:row>', '</row>', 1))
book("cut.xlsx", good[:len(good) // 2])
book("bad_utf8.xlsx", good.encode().replace("中".encode(), b"\xe4\xb8", 1), stored=True)
book("bad_sst.xlsx", good, SST.replace("<si><t>T02</t></si>", "<si><t>T02</si>"))

with open("scan.csv", "w", encoding="utf-8", newline="") as f:
    f.write(",".join(HEAD) + "\n")
    f.write('A&B-1,2020-03-10 12:00:00,T01,road,1,,,2,15,normal,2020-03-20,1,0,'
            '"青山 镇 <一> ""x"" \'y\' & z",#N/A\n')
    f.write('SG-2,2020-05-01,T02,fire,0,,,,0.25,normal,,,,"中中中😀\nline2\tcol",\n')
    f.write('SG-<3>,2020-01-01,T01,road,2,,,,0.01,,,,,a]]b ]> c,\n')
PY

"$YINGJI" --db base.db init >/dev/null
"$YINGJI" --db base.db import units "$ROOT/tests/data/import/units.csv" >/dev/null
cp base.db x.db; cp base.db c.db; cp base.db p.db
expect_status 0 "the hand-made workbook: imported" "$YINGJI" --db x.db import accidents scan.xlsx
contains out.txt "scan.xlsx: 3 rows: 3 new" "  all three rows"
expect_status 0 "its CSV twin: imported" "$YINGJI" --db c.db import accidents scan.csv
check "the same table from the workbook as from the CSV (entities, references, rich text, CJK, CRLF, CDATA, exponents, booleans, dates, empty cells)" \
  test "$(sqlite3 x.db '.dump accidents')" = "$(sqlite3 c.db '.dump accidents')"
check "  and it is the table expected (not two equal mistakes)" \
  test "$(sqlite3 x.db "SELECT group_concat(id || '|' || occurred_at || '|' || direct_loss || '|' || replace(summary, char(10), '/'), ' # ') FROM (SELECT * FROM accidents ORDER BY id)")" = \
  "A&B-1|2020-03-10 12:00:00|15.0|青山 镇 <一> \"x\" 'y' & z # SG-2|2020-05-01|0.25|中中中😀/line2	col # SG-<3>|2020-01-01|0.01|a]]b ]> c"
expect_status 0 "the workbook padded past several inflate chunks: imported" "$YINGJI" --db p.db import accidents padded.xlsx
check "  the same table" test "$(sqlite3 p.db '.dump accidents')" = "$(sqlite3 c.db '.dump accidents')"

before=$(dbdump base.db)
refused() {  # FILE MESSAGE
    expect_status 2 "$1: refused" "$YINGJI" --db base.db import accidents "$1"
    contains err.txt "$2" "$1: says why"
    check "$1: database unchanged" test "$(dbdump base.db)" = "$before"
}
refused dtd_entity.xlsx "dtd_entity.xlsx:Sheet1: a DTD in the workbook's XML (refused: entities could expand without bound)"
refused bad_ref.xlsx "malformed XML in the workbook (line 2: reference to invalid character number)"
refused undefined_entity.xlsx "malformed XML in the workbook (line 2: undefined entity)"
refused mismatched.xlsx "malformed XML in the workbook (line 3: mismatched tag)"
refused cut.xlsx "malformed XML in the workbook (line 2: no element found)"
refused bad_utf8.xlsx "malformed XML in the workbook (line 2: not well-formed (invalid token))"
refused bad_sst.xlsx "bad_sst.xlsx: malformed XML in the workbook (line 2: mismatched tag)"
