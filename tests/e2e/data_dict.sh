# data_dict.sh — the data dictionary (issue 17): docs/data.md is what the registry and a
# new database say (its generated parts are exactly `yingji list ... --format markdown`,
# so every alias, code and choice the importer accepts is listed, and nothing it does
# not accept); every date form it lists imports; it stands alone. And `yingji list`:
# the lists, the formats, CJK-aligned text, did-you-mean, help.
. "$(dirname "$0")/../lib.sh"
DOC=$ROOT/docs/data.md
"$YINGJI" --db t.db init >/dev/null

# --- the generated parts of docs/data.md
for what in datasets sectors dates; do
    awk -v m="<!-- generated: yingji list $what --format markdown -->" \
        '$0 == m {on = 1; next} /^<!-- end generated -->$/ {on = 0} on' "$DOC" > doc_$what.md
    "$YINGJI" --db t.db list "$what" --format markdown > gen_$what.md
    check "docs/data.md: the $what part is what 'yingji list $what --format markdown' prints" \
        cmp -s doc_$what.md gen_$what.md
    cmp -s doc_$what.md gen_$what.md || diff doc_$what.md gen_$what.md | head -5 | sed 's/^/    /'
done
check "docs/data.md: every dataset has a section" test "$(grep -c '^### ' doc_datasets.md)" = \
    "$(sqlite3 t.db "SELECT 6")"
check "docs/data.md stands alone (no design folder)" sh -c "! grep -qiE 'shared/|\\.\\./|design' '$DOC'"

# every alias of the registry is listed: each header of the doc imports as its column
cp "$ROOT"/tests/data/import/units.csv .
"$YINGJI" --db t.db import units units.csv >/dev/null 2>&1
bad=0
sed -n '/^### accidents/,/^### inspections/p' doc_datasets.md | grep '^| [^-表]' | awk -F' [|] ' '{sub(/^\| /, "", $1); print $1 "\t" $2}' > acc.tsv
while IFS="$(printf '\t')" read -r heads col; do
    echo "$heads" | sed 's/、/\n/g' | while read -r h; do
        # a file whose column col is headed h, the others by their canonical names
        hdr="id,occurred_at,unit,sector,deaths"
        row="Z1,2020-05-05,T01,road,0"
        case $col in id|occurred_at|unit|sector|deaths) hdr=$(echo "$hdr" | sed "s/\\b$col\\b/$h/") ;;
            *) hdr="$hdr,$h"; row="$row," ;; esac
        printf '%s\n%s\n' "$hdr" "$row" > h.csv
        "$YINGJI" --db t.db import --received 2020-12-31 accidents h.csv >o.txt 2>e.txt || { echo "    header $h ($col): $(head -1 e.txt)"; echo x >> bad.txt; }
        grep -q "unknown column" e.txt && { echo "    header $h ($col) unknown"; echo x >> bad.txt; }
    done
done < acc.tsv
check "every accidents header listed is accepted" test ! -e bad.txt

# every date form listed imports
i=0
grep '^| ' doc_dates.md | grep -v '^| example\|^| ---' | awk -F' [|] ' '{sub(/^\| /, "", $1); print $1}' > dates.txt
check "the dates part lists forms" test "$(wc -l < dates.txt)" -ge 5
{ echo "事故编号,发生时间,属地,行业领域,死亡人数"; while read -r d; do i=$((i+1)); echo "DT$i,$d,T01,road,0"; done < dates.txt; } > dates.csv
expect_status 0 "every date form listed imports" "$YINGJI" --db t.db import --received 2020-12-31 accidents dates.csv
check "... all of them" test "$(sqlite3 t.db "SELECT count(*) FROM accidents WHERE id LIKE 'DT%' AND occurred_at LIKE '2020-03-05%'")" = "$(wc -l < dates.txt)"

# the accident level table (Decree 493) is what the importer derives: each bound of each
# figure, imported without a level, gets the level of its row
sed -n '/^| level | deaths/,/^$/p' "$DOC" | grep '^| [^l-]' | tr -d ',' | awk -F' [|] ' '
    { sub(/^\| /, "", $1); sub(/ \|$/, "", $4)
      for (k = 2; k <= 4; k++) { n = split($k, w, " ")
          lo = (w[1] == "under") ? 0 : w[1]; hi = (w[2] == "to") ? w[3] : (w[1] == "under" ? w[2] - 1 : "")
          print $1, k, lo; if (hi != "") print $1, k, hi } }' > bounds.txt
check "the level table has 4 levels x 3 figures" test "$(cut -d' ' -f1 bounds.txt | sort -u | wc -l)" = 4
# and no gap: each level starts one above where the level below it ends
check "the level table's ranges meet" awk '
    { if ($1 != lv[$2]) { n[$2]++; lv[$2] = $1; lo[$2, n[$2]] = $3; hi[$2, n[$2]] = "" } else hi[$2, n[$2]] = $3 }
    END { for (k = 2; k <= 4; k++) for (i = 1; i < n[k]; i++) if (lo[k, i] != hi[k, i + 1] + 1) exit 1 }' bounds.txt
i=0
{ echo "事故编号,发生时间,属地,行业领域,死亡人数,重伤人数,直接经济损失"
  while read -r lv k v; do i=$((i+1))
      case $k in 2) echo "LV$i,2020-01-01,T01,road,$v,0,0" ;; 3) echo "LV$i,2020-01-01,T01,road,0,$v,0" ;;
                 4) echo "LV$i,2020-01-01,T01,road,0,0,$v" ;; esac
  done < bounds.txt; } > levels.csv
"$YINGJI" --db t.db import --received 2020-12-31 accidents levels.csv >/dev/null 2>&1
i=0; bad=
while read -r lv k v; do i=$((i+1))
    got=$(sqlite3 t.db "SELECT level FROM accidents WHERE id = 'LV$i'")
    [ "$got" = "$lv" ] || bad="$bad LV$i($k=$v: $got, doc $lv)"
done < bounds.txt
check "every bound of the level table derives its level${bad:+:$bad}" test -z "$bad"

# --- yingji list
expect_status 0 "list sectors" "$YINGJI" --db t.db list sectors
contains out.txt "road" "list sectors: codes"
contains out.txt "道路运输" "list sectors: Chinese names"
contains out.txt "道路交通" "list sectors: aliases"
check "list sectors: one line per sector and a header" test "$(wc -l < out.txt)" = "$(($(sqlite3 t.db 'SELECT count(*) FROM sectors') + 1))"
# CJK-width alignment: the third column starts at the same display column on every line
check "list sectors: columns aligned by display width" sh -c \
    "python3 - <<'PY'
import unicodedata
cols = set()
for line in open('out.txt', encoding='utf-8'):
    parts = line.rstrip('\n').split('  ')
    w = 0
    # display column of the third field: after code and name with their padding
    s = line.rstrip('\n')
    text = ''
    i = 0
    n = 0
    fields = [f for f in s.split(' ') if f]
    if len(fields) < 3: continue
    pos = s.index(fields[2], len(fields[0]) + len(fields[1]))
    cols.add(sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in s[:pos]))
raise SystemExit(0 if len(cols) == 1 else 1)
PY"
expect_status 0 "list units" "$YINGJI" --db t.db list units
contains out.txt "城关镇" "list units: names"
contains out.txt "township 乡镇" "list units: kind in both languages"
contains out.txt "城关、城关镇人民政府" "list units: aliases from the units table"
expect_status 0 "list units --format json" "$YINGJI" --db t.db list units --format json
check "list units json parses, 7 units" python3 -c "import json,sys; d=json.load(open('out.txt')); sys.exit(0 if len(d)==7 and d[4]['code']=='T01' else 1)"
expect_status 0 "list sectors --format csv" "$YINGJI" --db t.db list sectors --format csv
check "list sectors csv: header" test "$(head -1 out.txt)" = "code,name,aliases"
contains out.txt "fire,火灾,消防" "list sectors csv: rows"
printf '年度,单位,指标,目标值\n2020,T01,deaths,3\n2020,T02,deaths,2\n2021,T01,fires,1\n' > targets.csv
printf '年度,被考核单位,指标,值\n2020,T01,hazard_rate,0.9\n2020,T01,deaths,1\n' > assess.csv
"$YINGJI" --db t.db import targets targets.csv >/dev/null 2>&1
"$YINGJI" --db t.db import assessments assess.csv >/dev/null 2>&1
expect_status 0 "list indicators (latest year)" "$YINGJI" --db t.db list indicators
contains out.txt "fires" "list indicators: the latest year by default (2021)"
check "list indicators: only that year's" sh -c '! grep -q hazard_rate out.txt'
expect_status 0 "list indicators --year 2020" "$YINGJI" --db t.db list indicators --year 2020 --format csv
contains out.txt "deaths,2020,1,2" "indicators: counts in assessments and targets"
contains out.txt "hazard_rate,2020,1,0" "indicators: in assessments only"
expect_status 0 "list datasets" "$YINGJI" list datasets
contains out.txt "发生时间、事故时间、发生日期、occurred_at" "list datasets: headers"
expect_status 0 "list datasets --format json" "$YINGJI" list datasets --format json
check "list datasets json parses" python3 -c "import json; json.load(open('out.txt'))"
expect_status 1 "a misspelt list is a usage error" "$YINGJI" list sector
contains err.txt "unknown list 'sector' (did you mean 'sectors'?)" "list: did you mean"
expect_status 1 "a far list name" "$YINGJI" list frobnicate
contains err.txt "unknown list 'frobnicate' (sectors, units, indicators, datasets or dates)" "list: the valid names"
expect_status 1 "list without a name" "$YINGJI" list
expect_status 1 "list --format bad" "$YINGJI" list sectors --format xml
expect_status 1 "list --formt: did you mean" "$YINGJI" list sectors --formt json
contains err.txt "did you mean --format?" "list: option did you mean"
expect_status 0 "yingji help list" "$YINGJI" help list
contains out.txt "usage: yingji list" "help list"
expect_status 0 "yingji --help names list" "$YINGJI" --help
contains out.txt "  list " "the command list has list"
check "the man page documents list" grep -q '^\.BR list' "$ROOT/docs/yingji.1"
check "the README names list" grep -q 'yingji list' "$ROOT/README.md"
expect_status 2 "list sectors on a missing database" "$YINGJI" --db missing.db list sectors
