-- scoring_province.sql — a generated province for bench_scoring.sh, written straight into a
-- database made by `yingji init` (deterministic: no random(), values from the row number).
-- 3,000 area units (U00001.., kinds as bench/gen.c: i % 10 in 0..5 township, 6..8 street,
-- 9 zone) and 20 departments; 2019 and 2020: 60,000 accidents, 2,000,000 inspections,
-- targets, annual assessment indicators; 2020: 200 work items with lead and cooperating
-- departments and their completions.
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
BEGIN;
INSERT INTO imports(id, dataset, file, sha256, encoding, imported_at)
  VALUES (1, 'bench', 'scoring_province.sql', '-', 'utf-8', '2021-01-01 00:00:00');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
INSERT INTO units(id, code, name, kind, batch)
  SELECT i, printf('U%05d', i), printf('区域%d%s', i, CASE WHEN i % 10 < 6 THEN '镇' WHEN i % 10 < 9 THEN '街道' ELSE '开发区' END),
         CASE WHEN i % 10 < 6 THEN 'township' WHEN i % 10 < 9 THEN 'street' ELSE 'zone' END, 1 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20)
INSERT INTO units(id, code, name, kind, batch)
  SELECT 3000 + i, printf('D%02d', i), printf('部门%d', i), 'department', 1 FROM n;
-- accidents: 30,000 a year, spread over units and days; every 997th 较大, every 49,999th 重大
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 59999)
INSERT INTO accidents(id, occurred_at, unit_id, sector, deaths, missing, level, report_status,
                      closed_on, production, written_off, batch)
  SELECT printf('SG%08d', i), date(printf('%d-01-01', 2019 + i % 2), printf('+%d days', (i * 7) % 365)) || ' 10:00',
         1 + (i / 2 * 13) % 3000, 'industry', (i % 5 = 0) + (i % 997 = 0) * 3, (i % 311 = 0),
         CASE WHEN i % 49999 = 0 THEN '重大' WHEN i % 997 = 0 THEN '较大' ELSE '一般' END,
         CASE WHEN i % 101 = 0 THEN 'late' WHEN i % 503 = 0 THEN 'omitted'
              WHEN i % 70001 = 0 THEN 'concealed' ELSE 'normal' END,
         CASE WHEN i % 17 = 0 THEN NULL
              ELSE date(printf('%d-01-01', 2019 + i % 2), printf('+%d days', (i * 7) % 365 + 20 + i % 50)) END,
         (i % 23 <> 0), (i % 89 = 0), 1 FROM n;
-- inspections: 2,000,000 over the two years (a busy province: ~330 a unit a year)
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1999999)
INSERT INTO inspections(id, inspected_on, unit_id, sector, enterprise, kind, hazards_found,
                        hazards_rectified, batch)
  SELECT printf('JC%08d', i), date(printf('%d-01-01', 2019 + i % 2), printf('+%d days', (i / 2) % 365)),
         1 + (i / 2 * 7) % 3000, 'industry', '企业', 'plan', i % 4, (i % 4) - (i % 13 = 0 AND i % 4 > 0), 1 FROM n;
-- targets and annual indicators of both years for every area unit
WITH RECURSIVE y(v) AS (SELECT 2019 UNION ALL SELECT 2020),
     u(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM u WHERE i < 3000),
     k(name, base) AS (VALUES ('deaths_cap', 2), ('accidents_cap', 9), ('inspections_plan', 320), ('drills_min', 2))
INSERT INTO targets(year, unit_id, indicator, value, batch)
  SELECT v, i, name, max(base + i % 7 - 3, 0), 1 FROM y, u, k WHERE NOT (name = 'inspections_plan' AND i % 211 = 0);
WITH RECURSIVE y(v) AS (SELECT 2019 UNION ALL SELECT 2020),
     u(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM u WHERE i < 3000),
     k(name) AS (VALUES ('drills'), ('training_score'), ('bonus'))
INSERT INTO assessments(year, period, unit_id, indicator, value, batch)
  SELECT v, 'annual', i, name, CASE name WHEN 'drills' THEN i % 4 WHEN 'training_score' THEN 3 + (i % 5) * 0.5
                                         ELSE (i % 9) * 0.75 END, 1 FROM y, u, k
   WHERE NOT (name = 'bonus' AND i % 3 = 0);
-- 200 work items of 2020, each led by one department with two cooperating
WITH RECURSIVE t(no) AS (SELECT 1 UNION ALL SELECT no + 1 FROM t WHERE no < 200)
INSERT INTO tasks(year, no, title, batch) SELECT 2020, no, printf('重点工作%d', no), 1 FROM t;
INSERT INTO task_units(year, no, unit_id, role)
  SELECT 2020, no, 3001 + no % 20, 'lead' FROM tasks WHERE year = 2020
  UNION ALL SELECT 2020, no, 3001 + (no * 3 + 1) % 20, 'cooperating' FROM tasks WHERE year = 2020 AND (no * 3 + 1) % 20 <> no % 20
  UNION ALL SELECT 2020, no, 3001 + (no * 7 + 2) % 20, 'cooperating' FROM tasks WHERE year = 2020
     AND (no * 7 + 2) % 20 NOT IN (no % 20, (no * 3 + 1) % 20);
INSERT INTO assessments(year, period, unit_id, indicator, value, batch)
  SELECT DISTINCT 2020, 'annual', unit_id, 'task.' || no, ((no * 31 + unit_id) % 11) / 10.0, 1
    FROM task_units WHERE year = 2020 AND (no + unit_id) % 97 <> 0;
COMMIT;
ANALYZE;
