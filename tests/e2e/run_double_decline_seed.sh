# run_double_decline_seed.sh — scripts/double_decline.lua on the seed city (seeds/) against
# the figures of seeds/README.md, and against seeds/expect.py's independent reading of
# the CSV files for the three periods it computes.
. "$(dirname "$0")/../lib.sh"

expect_status 0 "the seed city loads" env YINGJI_DB="$TMP/seed.db" sh "$ROOT/seeds/demo.sh" "$YINGJI"
dd() { "$YINGJI" --db seed.db run "$ROOT/scripts/double_decline.lua" --format csv "$@"; }

expect_status 0 "2020 1—6月 runs" dd --as-of 2020-06-30
# Rows copied by hand from the README's table (2020 1—6月 against 2019 1—6月).
for row in \
    "all,全市,15,20,-25,16,28,-42.9,true" \
    "S02,城西街道,2,2,0,2,1,100,false" \
    "T02,石桥镇,3,2,50,4,2,100,false" \
    "T03,白沙镇,1,2,-50,1,11,-90.9,true" \
    "T05,金牛镇,0,0,,0,0,,false" \
    "Z01,云岚经济技术开发区,2,3,-33.3,2,3,-33.3,true" \
    "mining,非煤矿山,1,0,,1,0,,false" \
    "gas,城镇燃气,0,1,-100,0,0,,false" \
    "special_equipment,特种设备,3,1,200,3,2,50,false" \
    "fireworks,烟花爆竹,0,0,,0,0,,false"; do
    check "2020 1—6月: $row" grep -qx -- "$row" out.txt
done
check "2020 1—6月: 11 units (every street, township and the zone)" \
    test "$(sed -n '/^# by_unit/,/^# by_sector/p' out.txt | grep -c '^[STZ]0')" = 11
check "2020 1—6月: 12 sectors" test "$(sed -n '/^# by_sector/,$p' out.txt | sed '1,2d' | wc -l)" = 12

expect_status 0 "2020 full year runs" dd --as-of 2020-12-31
check "2020: the city 31 vs 41, 30 vs 48" grep -qx "all,全市,31,41,-24.4,30,48,-37.5,true" out.txt
check "2020: construction +100 % / +120 %" grep -qx "construction,建筑施工,10,5,100,11,5,120,false" out.txt
expect_status 0 "2019 against 2018 runs" dd --as-of 2019-12-31
check "2019: no double decline for the city" grep -qx "all,全市,41,39,5.1,48,39,23.1,false" out.txt

# Everything, against seeds/expect.py (sectors it leaves out must be all zeros).
python3 "$ROOT/seeds/expect.py" --json >expect.json
for case in "dd_2020_h1 2020-06-30" "dd_2020 2020-12-31" "dd_2019 2019-12-31"; do
    set -- $case
    "$YINGJI" --db seed.db run "$ROOT/scripts/double_decline.lua" --as-of "$2" --format json >got.json
    check "$1 (--as-of $2) equals seeds/expect.py" python3 - "$1" <<'PY'
import json, sys
want = json.load(open("expect.json"))[sys.argv[1]]
got = json.load(open("got.json"))
assert list(got) == ["overall", "by_unit", "by_sector"], list(got)
for table in got:
    by_key = {r["key"]: r for r in got[table]}
    for row in want[table]:
        assert by_key.get(row["key"]) == row, (table, row, by_key.get(row["key"]))
    listed = {r["key"] for r in want[table]}
    for key, row in by_key.items():
        if key not in listed:
            assert (row["accidents"], row["accidents_prev"], row["deaths"], row["deaths_prev"],
                    row["double_decline"]) == (0, 0, 0, 0, False), row
PY
done
