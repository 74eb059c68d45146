# run_xlsx.sh — `yingji run --format xlsx` (issue 14, Writing): the workbook read back
# (openpyxl, else unzip + the sheet XML) holds the values `--format csv` prints; the
# same run twice gives the same bytes; titles, formats, frozen header, autofilter and
# 说明; --table, --titles, --excel, --results, --split-by; -o unused is a warning; the
# usage errors.
. "$(dirname "$0")/../lib.sh"

# A python3 with openpyxl (pyenv shims may hide Debian's python3-openpyxl).
PY=$(python_with 'openpyxl')

cd "$ROOT" || exit 1
expect_status 0 "the seed city loads" env YINGJI_DB="$TMP/seed.db" sh seeds/demo.sh "$YINGJI"
rm -f out.txt err.txt
cd "$TMP" || exit 1
run() { (cd "$ROOT" && "$YINGJI" --db "$TMP/seed.db" run "$@"); }

# --- the workbook, twice: same bytes ---------------------------------------------------
expect_status 0 "scoring 2020 as xlsx with -o" run scripts/scoring_2020.lua --as-of 2021-03-31 --set year=2020 --format xlsx -o "$TMP/a.xlsx"
check "nothing on stdout for xlsx" test ! -s out.txt
sleep 1
run scripts/scoring_2020.lua --as-of 2021-03-31 --set year=2020 --format xlsx --results "$TMP/b.xlsx" 2>/dev/null
check "the same run twice gives the same bytes (document date from the as-of date)" cmp -s a.xlsx b.xlsx
check "it is a zip (PK)" sh -c 'head -c 2 a.xlsx | grep -q PK'
run scripts/scoring_2020.lua --as-of 2021-03-31 --set year=2020 --format csv >s.csv 2>/dev/null
run scripts/scoring_2020.lua --as-of 2021-03-31 --set year=2020 --format csv --titles >t.csv 2>/dev/null

if [ -n "$PY" ]; then
    # Every sheet as the CSV writer would print it (names as headers), compared whole.
    "$PY" - a.xlsx >x.csv 2>py.err <<'EOF'
import sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = sys.stdout
def text(v):
    if v is None: return ""
    if v is True: return "true"
    if v is False: return "false"
    if isinstance(v, datetime.datetime): return v.strftime("%Y-%m-%d")
    if isinstance(v, float):
        if v == int(v) and abs(v) < 1e15: return str(int(v))
        return repr(v)
    s = str(v)
    if any(c in s for c in ',"\n\r') or s[:1] in (" ", "#") or s[-1:] == " ":
        s = '"' + s.replace('"', '""') + '"'
    return s
for ws in wb.worksheets:
    if ws.title == "说明": continue
    out.write("# %s\n" % ws.title)
    for r, row in enumerate(ws.iter_rows(values_only=True)):
        out.write(",".join(text(v) for v in row) + "\n")
EOF
    # the CSV with titles has the same rows; its headers are the workbook's
    check "the workbook's cells are the CSV's values, table by table (titles as headers)" cmp -s x.csv t.csv
    cmp -s x.csv t.csv || diff t.csv x.csv | head -10 | sed 's/^/    /'
    "$PY" - a.xlsx >info.txt 2>>py.err <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print("sheets", ",".join(wb.sheetnames))
ws = wb["scores"]
print("freeze", ws.freeze_panes, "filter", ws.auto_filter.ref)
print("formats", ",".join(c.number_format for c in ws[2]))
print("header", ",".join(str(c.value) for c in ws[1]))
w = {k: v.width for k, v in ws.column_dimensions.items()}
print("name_width_ge_12", w.get("B", 0) >= 12)
d = wb["deductions"]
print("evidence_wrapped", any(c.alignment.wrap_text for c in d["E"][1:]))
n = wb["说明"]
for row in n.iter_rows(values_only=True): print("note", row[0], row[1])
print("created", wb.properties.created)
EOF
    contains info.txt "sheets evaluation,scores,items,deductions,department_scores,problems,说明" "one sheet per table in publication order, then 说明"
    contains info.txt "freeze A2 filter A1:G" "header row frozen, autofilter over the table"
    contains info.txt "formats General,General,0.00,General,General,General,0" "scores 0.00, ranks integers, text general"
    contains info.txt "header 单位代码,单位名称,得分,等次,一票否决" "scores headed by their Chinese titles"
    contains info.txt "name_width_ge_12 True" "column widths count CJK characters as two"
    contains info.txt "evidence_wrapped True" "long evidence lists wrap"
    contains info.txt "note 截至日期 2021-03-31" "说明: the as-of date"
    contains info.txt "note 参数 year=2020" "说明: the parameters"
    contains info.txt "note 数据文件 accidents: seeds/accidents_2020.csv  SHA-256 3e4b76e2" "说明: the data files of the import log with their SHA-256"
    contains info.txt "created 2021-03-31 00:00:00" "the document's created date is the as-of date"
    sha=$(sha256sum "$ROOT/scripts/scoring_2020.lua" | cut -c1-64)
    contains info.txt "note 脚本 scripts/scoring_2020.lua  SHA-256 $sha" "说明: the script's SHA-256"
    # dates as real Excel dates: the double decline? the evaluation's as_of column
    "$PY" -c 'import sys, openpyxl; c = openpyxl.load_workbook(sys.argv[1])["evaluation"]["C2"]; print(c.is_date, c.number_format)' a.xlsx >date.txt 2>>py.err
    contains date.txt "True yyyy-mm-dd" "an ISO date column is written as Excel dates"
else
    skip "xlsx read back" "no python3 with openpyxl"
fi
# Without openpyxl too: the sheet XML holds the titles (shared strings) and the sheets.
if command -v unzip >/dev/null; then
    unzip -p a.xlsx xl/workbook.xml >wb.xml
    contains wb.xml 'name="说明"' "the workbook has the sheet 说明 (zip read)"
    unzip -p a.xlsx xl/worksheets/sheet2.xml >ss.xml
    contains ss.xml "<t>得分</t>" "the scores sheet is headed by the titles (zip read)"
fi

# --- one workbook per unit --------------------------------------------------------------
expect_status 0 "--split-by unit writes one workbook per unit" run scripts/scoring_2020.lua --as-of 2021-03-31 --set year=2020 --format xlsx --split-by unit --results "$TMP/units"
check "the files are named by code and name" test -f "units/T06_黄桥镇.xlsx" -a -f "units/S01_城东街道.xlsx"
n=$(ls units | wc -l)
check "one file per scored unit ($n)" test "$n" -ge 20
if [ -n "$PY" ]; then
    "$PY" -c '
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print("units", sorted({r[0] for ws in wb.worksheets if ws.title not in ("说明", "evaluation") for r in ws.iter_rows(min_row=2, values_only=True) if ws["A1"].value == "单位代码"}))
print("evaluation", wb["evaluation"].max_row)' "units/T06_黄桥镇.xlsx" >split.txt 2>>py.err
    contains split.txt "units ['T06']" "a unit's workbook holds only its own rows"
    contains split.txt "evaluation 2" "tables without the unit column go whole into each workbook"
fi
run scripts/scoring_2020.lua --as-of 2021-03-31 --set year=2020 --format xlsx --split-by unit --results "$TMP/units2" 2>/dev/null
check "the split workbooks are byte-identical run to run" cmp -s "units/T06_黄桥镇.xlsx" "units2/T06_黄桥镇.xlsx"
expect_status 4 "--split-by a column no table has is an error" run scripts/scoring_2020.lua --format xlsx --split-by nosuch --results "$TMP/u3"
contains err.txt "no published table has a column nosuch" "... saying so"

# --- --table, --titles, --excel, --results ------------------------------------------------
run scripts/scoring_2020.lua --as-of 2021-03-31 --set year=2020 --format csv --table scores >only.csv 2>/dev/null
check "--table selects one table" test "$(grep -c '^# ' only.csv)" -eq 1
contains only.csv "# scores" "... the one asked for"
run scripts/scoring_2020.lua --as-of 2021-03-31 --set year=2020 --format json --table items --table scores >two.json 2>/dev/null
check "--table is repeatable, tables stay in publication order (json)" sh -c "grep -o '^\"[a-z_]*\"' two.json | tr '\n' ' ' | grep -qx '\"scores\" \"items\" '"
expect_status 1 "--table naming no published table is an error" run scripts/scoring_2020.lua --table nosuch
contains err.txt "published no table nosuch" "... naming the table and those published"
run scripts/scoring_2020.lua --as-of 2021-03-31 --set year=2020 --format text --titles --table scores >titles.txt 2>/dev/null
contains titles.txt "单位代码" "--titles heads text output with the titles"
contains t.csv "单位代码,单位名称,得分,等次,一票否决" "--titles heads CSV output with the titles"
contains s.csv "unit,name,score,grade,vetoed" "without --titles the CSV headers stay the column names"
run scripts/scoring_2020.lua --as-of 2021-03-31 --set year=2020 --format csv --excel >excel.csv 2>/dev/null
check "--excel: a UTF-8 BOM" sh -c "head -c 3 excel.csv | od -An -tx1 | grep -q 'ef bb bf'"
check "--excel: CRLF line ends" sh -c "tail -c 2 excel.csv | od -An -tx1 | grep -q '0d 0a'"
check "--excel: the same content otherwise" sh -c "tail -c +4 excel.csv | tr -d '\r' | cmp -s - s.csv"
expect_status 0 "--results writes CSV to a file" run scripts/scoring_2020.lua --as-of 2021-03-31 --set year=2020 --format csv --results "$TMP/r.csv"
check "--results: nothing on stdout, the file is the CSV" sh -c "test ! -s out.txt && cmp -s r.csv s.csv"
check "--results leaves no temp file" sh -c "! ls | grep -q yingji-tmp"

# --- -o unused: a warning ----------------------------------------------------------------
expect_status 0 "-o on a script that writes no file still runs" run scripts/scoring_2020.lua --format csv -o "$TMP/scores.csv"
contains err.txt "warning: -o $TMP/scores.csv: the script wrote no file there" "-o the script never wrote is a warning"
check "... and no file appears" test ! -e scores.csv
expect_status 0 "-o used by the script: no warning" run scripts/briefing.lua --as-of 2020-06-30 --set charts_dir="$TMP/ch" -o "$TMP/b.pdf"
check "... none" sh -c "! grep -q 'wrote no file' err.txt"

# --- usage errors --------------------------------------------------------------------------
expect_status 1 "xlsx without -o or --results is a usage error (never binary on stdout)" run scripts/scoring_2020.lua --format xlsx
contains err.txt "--format xlsx writes a file" "... saying how to give the file"
check "... and nothing is written to stdout" test ! -s out.txt
expect_status 1 "--excel without --format csv is a usage error" run scripts/scoring_2020.lua --excel
expect_status 1 "--split-by without --format xlsx is a usage error" run scripts/scoring_2020.lua --split-by unit
expect_status 1 "an unknown --format is a usage error" run scripts/scoring_2020.lua --format xls
contains err.txt "text, csv, json or xlsx" "... listing the formats"
expect_status 1 "--results naming the database is refused" run scripts/scoring_2020.lua --format xlsx --results "$TMP/seed.db"
check "... the database is still a database" sh -c "sqlite3 '$TMP/seed.db' 'SELECT count(*) FROM units' >/dev/null"
(cd "$ROOT" && "$YINGJI" run --help) >help.txt
contains help.txt "--format text|csv|json|xlsx" "--help lists xlsx"
contains help.txt "--split-by COLUMN" "--help lists --split-by"

# --- every column of the shipped scoring and double-decline scripts has a title ----------
titled() {  # DESCRIPTION yingji-run-args...: no header of the --titles CSV is a bare name
    d=$1; shift
    run "$@" --format csv --titles >h.csv 2>/dev/null
    awk '/^# /{getline; print}' h.csv | tr ',' '\n' | grep -E '^[a-z_0-9]+$' >untitled.txt
    if [ -s h.csv ] && [ ! -s untitled.txt ]; then ok "$d"; else
        not_ok "$d: untitled: $(tr '\n' ' ' <untitled.txt)"; fi
}
titled "scoring 2020: every column titled" scripts/scoring_2020.lua --as-of 2021-03-31
titled "scoring 2019: every column titled" scripts/scoring_2019.lua --as-of 2021-03-31 --set year=2019
titled "scoring 2020 explain sheet (a township): every column titled" scripts/scoring_2020.lua --as-of 2021-03-31 --set unit=T02
titled "scoring 2020 explain sheet (a department): every column titled" scripts/scoring_2020.lua --as-of 2021-03-31 --set unit=D13
titled "double decline: every column titled" scripts/double_decline.lua --as-of 2020-06-30
if [ -n "$PY" ]; then
    run scripts/double_decline.lua --as-of 2020-06-30 --format xlsx -o "$TMP/dd.xlsx" 2>/dev/null
    "$PY" -c 'import sys, openpyxl; ws = openpyxl.load_workbook(sys.argv[1])["overall"]; print("pct", ws["E2"].number_format, ws["E1"].value)' dd.xlsx >dd.txt
    contains dd.txt 'pct 0.0"%" 起数同比' "double decline: change percentages formatted as percentages, titled"
fi

# --- hostile values: text that is not UTF-8 is an error naming the table, no file left -----
printf 'publish("t", {"a"}, {{a = "\\255"}})\n' >bad.lua
"$YINGJI" --db seed.db run bad.lua --format xlsx -o bad.xlsx >out.txt 2>err.txt
check "text that is not UTF-8 is refused (exit 4)" test $? -eq 4
contains err.txt "not UTF-8" "... saying so"
check "... and leaves no file and no temp" sh -c "! ls | grep -q 'bad.xlsx'"
printf 'publish("说明", {"a"}, {{a = 1}})\npublish("%s", {"a"}, {{a = 2}})\n' "a/b:c" >names.lua
expect_status 0 "tables named 说明 or with characters Excel refuses still write" "$YINGJI" --db seed.db run names.lua --format xlsx -o names.xlsx
if [ -n "$PY" ]; then
    "$PY" -c 'import sys, openpyxl; print(openpyxl.load_workbook(sys.argv[1]).sheetnames)' names.xlsx >names.txt
    contains names.txt "['T1', 'T2', '说明']" "... as T1, T2 (the provenance keeps 说明)"
fi
expect_status 1 "--titles with json is a usage error (JSON keys are names)" run scripts/scoring_2020.lua --format json --titles
expect_status 1 "--results and -o naming the same file is a usage error" run scripts/briefing.lua --results "$TMP/same" -o "$TMP/same"
printf 'local c = {}\nfor i = 1, 16385 do c[i] = "c" .. i end\npublish("wide", c, {{c1 = 1}})\n' >wide.lua
"$YINGJI" --db seed.db run wide.lua --format xlsx -o wide.xlsx >out.txt 2>err.txt
check "a table wider than an Excel sheet is refused (exit 4)" test $? -eq 4
contains err.txt "has 16385 columns; an Excel sheet holds 16384" "... saying so"
check "... leaving no file" test ! -e wide.xlsx
