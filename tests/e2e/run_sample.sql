-- run_sample.sql — the small database of the `yingji run` tests and of the examples in
-- docs/scripting.md: two units and three accidents (load after `yingji init`).
INSERT INTO imports(id, dataset, file, sha256, encoding, imported_at)
  VALUES (1, 'units', 'u.csv', '', 'utf-8', '2020-01-01');
INSERT INTO units(code, name, kind, batch) VALUES ('T01', '甲镇', 'township', 1),
  ('S01', '乙街道', 'street', 1);
INSERT INTO accidents(id, occurred_at, unit_id, sector, deaths, missing, level, batch) VALUES
  ('A1', '2020-03-01', 1, 'road', 1, 0, '一般', 1),
  ('A2', '2019-03-01 10:00:00', 1, 'road', 2, 1, '较大', 1),
  ('A3', '2019-05-01', 2, 'fire', 0, 0, '一般', 1);
