#!/bin/sh
# gen_province.sh — a generated province for the briefing benchmark and edge-case tests:
# N units (townships, streets, zones) with accidents 2019–2020, inspections 2020, death
# caps 2020 and one import record, written with plain SQL into a database made by
# `yingji init`. Deterministic: the same N gives the same rows (no random()).
# Usage: sh bench/gen_province.sh YINGJI DB N [ACCIDENTS_PER_UNIT_YEAR]
set -eu
YINGJI=$1 DB=$2 N=$3 PER=${4:-4}
rm -f "$DB"
"$YINGJI" --db "$DB" init >/dev/null
sqlite3 "$DB" >/dev/null <<SQL
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
BEGIN;
INSERT INTO imports(id, dataset, file, sha256, encoding, rows_new, imported_at)
  VALUES (1, 'generated', 'gen_province.sh', printf('%064d', $N), 'utf-8', $N, '2020-07-01 08:00:00');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N),
  a(k, s) AS (VALUES (0,'东'),(1,'西'),(2,'南'),(3,'北'),(4,'青'),(5,'石'),(6,'柳'),(7,'云'),
                     (8,'桃'),(9,'龙'),(10,'白'),(11,'金')),
  b(k, s) AS (VALUES (0,'山'),(1,'湖'),(2,'河'),(3,'桥'),(4,'溪'),(5,'岭'),(6,'塘'),(7,'坪'),
                      (8,'源'),(9,'湾'),(10,'林'),(11,'岗'))
INSERT INTO units(id, code, name, kind, batch)
SELECT i, printf('U%04d', i),
       (SELECT s FROM a WHERE k = i % 12) || (SELECT s FROM b WHERE k = (i / 12) % 12)
         || CASE WHEN i > 144 THEN printf('%d', i / 144) ELSE '' END
         || CASE i % 7 WHEN 0 THEN '街道' WHEN 3 THEN '开发区' ELSE '镇' END,
       CASE i % 7 WHEN 0 THEN 'street' WHEN 3 THEN 'zone' ELSE 'township' END, 1
FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $N * $PER * 2 - 1),
  sec(k, code) AS (VALUES (0,'road'),(1,'construction'),(2,'hazchem'),(3,'mining'),(4,'industry'),
                          (5,'fire'),(6,'special_equipment'),(7,'gas'),(8,'fireworks'),
                          (9,'waterway'),(10,'agri_machinery'),(11,'other'))
INSERT INTO accidents(id, occurred_at, unit_id, sector, deaths, missing, serious_injuries,
                      direct_loss, level, batch)
SELECT printf('A%07d', i),
       printf('%04d-%02d-%02d', 2019 + (i % 2), 1 + (i * 7) % 12, 1 + (i * 13) % 28),
       1 + ((i / 2) * 2654435761) % $N,
       (SELECT code FROM sec WHERE k = (i * 5) % 12),
       (i * 11) % 3, 0, 0, (i % 50) * 3.5,
       CASE WHEN i % 97 = 0 THEN '较大' ELSE '一般' END, 1
FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $N * 6 - 1)
INSERT INTO inspections(id, inspected_on, unit_id, sector, enterprise, hazards_found,
                        major_hazards, hazards_rectified, penalty_cases, fine, batch)
SELECT printf('I%07d', i), printf('2020-%02d-%02d', 1 + i % 6, 1 + (i * 7) % 28),
       1 + i % $N, 'industry', printf('企业%d', i), 2 + i % 9, CASE WHEN i % 23 = 0 THEN 1 ELSE 0 END,
       (2 + i % 9) - (i * 3) % 3 * ((i / $N) % 2), i % 4 = 0, (i % 5) * 2000.0, 1
FROM n;
INSERT INTO targets(year, unit_id, indicator, value, batch)
SELECT 2020, id, 'deaths_cap', 1 + id % 4, 1 FROM units;
COMMIT;
SQL
