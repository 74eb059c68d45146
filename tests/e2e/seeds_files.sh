# seeds_files.sh — the seed city's files are what seeds/make_seed.py writes (the maker is
# deterministic), shaped as seeds/README.md says (encodings, BOMs, line ends), and
# seeds/expect.py reads them back consistently (its checks: reports after the accident,
# rectified <= found, every unit known, one intended level warning).
. "$(dirname "$0")/../lib.sh"
S=$ROOT/seeds

mkdir gen
expect_status 0 "make_seed.py runs" python3 "$S/make_seed.py" --out gen
for f in "$S"/*.csv; do
    b=$(basename "$f")
    check "$b is what make_seed.py writes" cmp -s "$f" "gen/$b"
done
check "accidents_2020_白沙镇.xlsx is what make_seed.py writes (byte for byte)" \
  cmp -s "$S/accidents_2020_白沙镇.xlsx" "gen/accidents_2020_白沙镇.xlsx"
n=$(ls gen/*.csv gen/*.xlsx | wc -l)
check "make_seed.py writes the 13 committed files, no more" test "$n" -eq 13

# shape FILE ENCODING LINE-END: the first bytes and line ends of a seed file.
shape() {
    python3 - "$S/$1" "$2" "$3" <<'PY'
import sys
raw = open(sys.argv[1], "rb").read()
enc, eol = sys.argv[2], sys.argv[3]
bom = raw.startswith(b"\xef\xbb\xbf")
try:
    raw.decode("utf-8"); utf8 = True
except UnicodeDecodeError:
    utf8 = False
ok = {"gb18030": not utf8 and not bom, "utf-8-bom": utf8 and bom,
      "utf-8": utf8 and not bom}[enc]
crlf = raw.split(b"\n", 1)[0].endswith(b"\r")  # records end CRLF; quoted cells keep LF
lf = b"\r\n" not in raw
sys.exit(0 if ok and (crlf if eol == "crlf" else lf) else 1)
PY
}
check "units.csv: UTF-8 with BOM, CRLF" shape units.csv utf-8-bom crlf
check "accidents_2018.csv: GB18030, CRLF" shape accidents_2018.csv gb18030 crlf
check "accidents_2019.csv: UTF-8 with BOM, LF" shape accidents_2019.csv utf-8-bom lf
check "accidents_2020.csv: GB18030, CRLF" shape accidents_2020.csv gb18030 crlf
check "accidents_2020_corrections.csv: UTF-8, LF" shape accidents_2020_corrections.csv utf-8 lf
check "inspections_2019.csv: GB18030, CRLF" shape inspections_2019.csv gb18030 crlf
check "inspections_2020.csv: UTF-8 with BOM, LF" shape inspections_2020.csv utf-8-bom lf
check "targets_2019.csv: GB18030, CRLF" shape targets_2019.csv gb18030 crlf
check "targets_2020.csv: UTF-8 with BOM, CRLF" shape targets_2020.csv utf-8-bom crlf
check "assessments_2019.csv: GB18030, CRLF" shape assessments_2019.csv gb18030 crlf
check "assessments_2020.csv: UTF-8, LF" shape assessments_2020.csv utf-8 lf
check "tasks_2020.csv: UTF-8 with BOM, CRLF" shape tasks_2020.csv utf-8-bom crlf

expect_status 0 "expect.py reads every file back" python3 "$S/expect.py" --json
check "expect.py: 3 revisions, one warning" python3 -c '
import json, sys
d = json.load(open("out.txt"))
sys.exit(0 if d["revisions"] == 3 and len(d["warnings"]) == 1 else 1)'
