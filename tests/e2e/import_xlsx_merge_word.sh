# import_xlsx_merge_word.sh — the merged areas of a sheet are found after its cells by a
# first pass that looks for the word "mergeCells" and parses what follows it
# (core/imp_xlsx.c: read_merges). The word in a cell's text (an inline string, before
# the real areas) made that pass parse the cell's text instead, find no area and say
# nothing: 失踪人数 merged over two rows was imported as 2 and 0 (a silent wrong
# number). Now the areas count only when the element the pass parsed closes; otherwise
# the whole sheet is parsed for them. The workbooks are written here (python3 zipfile).
. "$(dirname "$0")/../lib.sh"
python_or_skip 'zipfile' "mergeCells in a cell's text"
units_db base.db
cat > make.py <<'PY'
import zipfile
def cell(ref, v):
    if isinstance(v, int):
        return '<c r="%s"><v>%d</v></c>' % (ref, v)
    return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, v)
def book(path, note, where, prefix=""):
    """four accidents, 失踪人数 merged over each pair of rows (2, then 1); note: the text of
    column G in row `where`; prefix: the sheet's elements in a namespace prefix"""
    p = prefix + ":" if prefix else ""
    rows = [["事故编号", "发生时间", "属地", "行业领域", "死亡人数", "失踪人数", "备注"],
            ["A-1", "2020-05-01", "城关镇", "road", 0, 2], ["A-2", "2020-05-02", "城关镇", "road", 0],
            ["A-3", "2020-05-03", "青山镇", "road", 0, 1], ["A-4", "2020-05-04", "青山镇", "road", 0]]
    if note:
        rows[where] = rows[where] + [None] * (6 - len(rows[where])) + [note]
    x = ['<?xml version="1.0" encoding="UTF-8"?><%sworksheet xmlns%s="http://schemas.openxmlformats.org/'
         'spreadsheetml/2006/main"><%ssheetData>' % (p, ":" + prefix if prefix else "", p)]
    for r, vals in enumerate(rows, 1):
        x.append('<%srow r="%d">' % (p, r) + "".join(cell("ABCDEFG"[c] + str(r), v).replace("<c ", "<%sc " % p)
                 .replace("</c>", "</%sc>" % p).replace("<v>", "<%sv>" % p).replace("</v>", "</%sv>" % p)
                 .replace("<is>", "<%sis>" % p).replace("</is>", "</%sis>" % p).replace("<t>", "<%st>" % p)
                 .replace("</t>", "</%st>" % p) for c, v in enumerate(vals) if v is not None) + "</%srow>" % p)
    x.append('</%ssheetData><%smergeCells count="2"><%smergeCell ref="F2:F3"/><%smergeCell ref="F4:F5"/>'
             '</%smergeCells><%spageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
             'footer="0.3"/></%sworksheet>' % ((p,) * 7))
    z = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED)
    z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>')
    z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="事故" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    z.writestr("xl/worksheets/sheet1.xml", "".join(x))
    z.close()
book("plain.xlsx", None, 0)
book("word_last.xlsx", "see mergeCells", 4)            # the word in the last row's text
book("word_first.xlsx", "mergeCells", 2)               # in a data row near the top
book("word_prefixed.xlsx", "x:mergeCells &amp; more", 3)
book("word_tag.xlsx", "&lt;mergeCells count=&quot;9&quot;&gt;", 4)   # the text of a tag, escaped
book("prefixed.xlsx", None, 0, "x")                    # the sheet's elements prefixed x:
book("prefixed_word.xlsx", "mergeCells", 4, "x")
PY
"$PY" make.py || { not_ok "the workbooks are written"; exit 0; }
WANT="2,2,1,1"
for f in plain word_last word_first word_prefixed word_tag prefixed prefixed_word; do
    cp base.db t.db
    expect_status 0 "$f.xlsx: imported" "$YINGJI" --db t.db import accidents $f.xlsx
    check "  $f.xlsx: 失踪人数 from its merged areas ($WANT)" \
        test "$(sqlite3 t.db "SELECT group_concat(missing, ',') FROM (SELECT missing FROM accidents ORDER BY id)")" = "$WANT"
done
