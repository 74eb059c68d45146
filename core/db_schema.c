/* db_schema.c — the database schema as numbered migrations.
 *
 * Never edit a migration that has shipped: add the next one. Conventions:
 * - dates are ISO text ('YYYY-MM-DD', date-times 'YYYY-MM-DD HH:MM:SS'), so SQLite's
 *   date functions and plain comparisons work in scripts;
 * - units are referenced by units.id (an integer) in column unit_id; views named
 *   *_v add the unit code and name for scripts;
 * - sectors are their text code (sectors.code); accident levels their Chinese name;
 * - every record carries batch = imports.id of the import that last wrote it;
 * - revisions keeps the old values of every record an import changed;
 * - CHECKs list their values with OR, not IN (...): an IN list builds a temporary index
 *   on every INSERT, which cost the importer ~40 % of its time;
 * - inspections (the big table: millions of rows) is keyed by id WITHOUT ROWID and has
 *   no secondary index, so an import touches one B-tree per row; scripts scan it;
 * - every version of a record is kept (issue 13): the table holds the current one
 *   (written by import `batch`), revisions each earlier one (old_values, written by
 *   old_batch, superseded by new_batch); imports.received dates them (knowledge dates). */
#include <stddef.h>
#include <string.h>

#include "db.h"

static const char *const migrations[] = {
/* 1: the datasets of shared/spec/data.md, the import log, revision history. */
"CREATE TABLE imports ("
"  id INTEGER PRIMARY KEY,"
"  dataset TEXT NOT NULL,"
"  file TEXT NOT NULL,"
"  sha256 TEXT NOT NULL,"
"  encoding TEXT NOT NULL,"
"  rows_new INTEGER NOT NULL DEFAULT 0,"
"  rows_updated INTEGER NOT NULL DEFAULT 0,"
"  rows_unchanged INTEGER NOT NULL DEFAULT 0,"
"  rows_rejected INTEGER NOT NULL DEFAULT 0,"
"  imported_at TEXT NOT NULL);"
"CREATE TABLE sectors ("
"  code TEXT PRIMARY KEY,"
"  name TEXT NOT NULL UNIQUE,"
"  aliases TEXT NOT NULL DEFAULT '') WITHOUT ROWID;"
"INSERT INTO sectors(code, name, aliases) VALUES"
"  ('road', '道路运输', '道路交通'),"
"  ('construction', '建筑施工', ''),"
"  ('hazchem', '危险化学品', ''),"
"  ('mining', '非煤矿山', ''),"
"  ('industry', '工贸', ''),"
"  ('fire', '火灾', '消防'),"
"  ('special_equipment', '特种设备', ''),"
"  ('gas', '城镇燃气', ''),"
"  ('fireworks', '烟花爆竹', ''),"
"  ('waterway', '水上交通', '渔业船舶'),"
"  ('agri_machinery', '农业机械', ''),"
"  ('other', '其他', '');"
"CREATE TABLE units ("
"  id INTEGER PRIMARY KEY,"
"  code TEXT NOT NULL UNIQUE,"
"  name TEXT NOT NULL UNIQUE,"
"  kind TEXT NOT NULL CHECK (kind = 'township' OR kind = 'street' OR kind = 'zone'"
"    OR kind = 'department'),"
"  aliases TEXT NOT NULL DEFAULT '',"
"  batch INTEGER NOT NULL REFERENCES imports(id));"
"CREATE TABLE unit_aliases ("
"  alias TEXT PRIMARY KEY,"
"  unit_id INTEGER NOT NULL REFERENCES units(id)) WITHOUT ROWID;"
"CREATE TABLE accidents ("
"  id TEXT NOT NULL UNIQUE,"
"  occurred_at TEXT NOT NULL,"
"  reported_at TEXT,"
"  unit_id INTEGER NOT NULL REFERENCES units(id),"
"  sector TEXT NOT NULL REFERENCES sectors(code),"
"  deaths INTEGER NOT NULL CHECK (deaths >= 0),"
"  missing INTEGER NOT NULL DEFAULT 0 CHECK (missing >= 0),"
"  serious_injuries INTEGER NOT NULL DEFAULT 0 CHECK (serious_injuries >= 0),"
"  injuries INTEGER NOT NULL DEFAULT 0 CHECK (injuries >= 0),"
"  direct_loss REAL NOT NULL DEFAULT 0,"
"  level TEXT NOT NULL CHECK (level = '一般' OR level = '较大' OR level = '重大'"
"    OR level = '特别重大'),"
"  report_status TEXT NOT NULL DEFAULT 'normal'"
"    CHECK (report_status = 'normal' OR report_status = 'late' OR report_status = 'omitted'"
"      OR report_status = 'false' OR report_status = 'concealed'),"
"  closed_on TEXT,"
"  production INTEGER NOT NULL DEFAULT 1,"
"  written_off INTEGER NOT NULL DEFAULT 0,"
"  summary TEXT,"
"  batch INTEGER NOT NULL);"
"CREATE INDEX accidents_by_date ON accidents(occurred_at);"
"CREATE INDEX accidents_by_unit ON accidents(unit_id, occurred_at);"
"CREATE TABLE inspections ("
"  id TEXT NOT NULL PRIMARY KEY,"
"  inspected_on TEXT NOT NULL,"
"  unit_id INTEGER NOT NULL,"
"  sector TEXT NOT NULL,"
"  enterprise TEXT NOT NULL,"
"  kind TEXT NOT NULL DEFAULT 'other'"
"    CHECK (kind = 'plan' OR kind = 'random' OR kind = 'special' OR kind = 'complaint'"
"      OR kind = 'other'),"
"  hazards_found INTEGER NOT NULL,"
"  major_hazards INTEGER NOT NULL DEFAULT 0,"
"  hazards_rectified INTEGER NOT NULL DEFAULT 0,"
"  penalty_cases INTEGER NOT NULL DEFAULT 0,"
"  fine REAL NOT NULL DEFAULT 0,"
"  suspended INTEGER NOT NULL DEFAULT 0,"
"  inspector_id INTEGER,"
"  batch INTEGER NOT NULL) WITHOUT ROWID;"
"CREATE TABLE assessments ("
"  year INTEGER NOT NULL,"
"  period TEXT NOT NULL DEFAULT 'annual',"
"  unit_id INTEGER NOT NULL REFERENCES units(id),"
"  indicator TEXT NOT NULL,"
"  value REAL NOT NULL,"
"  evidence TEXT,"
"  batch INTEGER NOT NULL,"
"  PRIMARY KEY (year, period, unit_id, indicator)) WITHOUT ROWID;"
"CREATE TABLE targets ("
"  year INTEGER NOT NULL,"
"  unit_id INTEGER NOT NULL REFERENCES units(id),"
"  indicator TEXT NOT NULL,"
"  value REAL NOT NULL,"
"  batch INTEGER NOT NULL,"
"  PRIMARY KEY (year, unit_id, indicator)) WITHOUT ROWID;"
"CREATE TABLE tasks ("
"  year INTEGER NOT NULL,"
"  no INTEGER NOT NULL,"
"  title TEXT NOT NULL,"
"  batch INTEGER NOT NULL,"
"  PRIMARY KEY (year, no)) WITHOUT ROWID;"
"CREATE TABLE task_units ("
"  year INTEGER NOT NULL,"
"  no INTEGER NOT NULL,"
"  unit_id INTEGER NOT NULL REFERENCES units(id),"
"  role TEXT NOT NULL CHECK (role = 'lead' OR role = 'cooperating'),"
"  PRIMARY KEY (year, no, unit_id, role),"
"  FOREIGN KEY (year, no) REFERENCES tasks(year, no)) WITHOUT ROWID;"
"CREATE TABLE revisions ("
"  id INTEGER PRIMARY KEY,"
"  dataset TEXT NOT NULL,"
"  record_key TEXT NOT NULL,"
"  old_values TEXT NOT NULL,"      /* JSON object of the values replaced */
"  old_batch INTEGER NOT NULL,"     /* the import that had written them */
"  new_batch INTEGER NOT NULL);"    /* the import that replaced them */
"CREATE INDEX revisions_by_key ON revisions(dataset, record_key);"
/* Views for scripts: the unit code and name beside every unit_id. */
"CREATE VIEW accidents_v AS SELECT a.*, u.code AS unit, u.name AS unit_name, u.kind AS unit_kind"
"  FROM accidents a JOIN units u ON u.id = a.unit_id;"
"CREATE VIEW inspections_v AS SELECT i.*, u.code AS unit, u.name AS unit_name, u.kind AS unit_kind"
"  FROM inspections i JOIN units u ON u.id = i.unit_id;"
"CREATE VIEW assessments_v AS SELECT s.*, u.code AS unit, u.name AS unit_name"
"  FROM assessments s JOIN units u ON u.id = s.unit_id;"
"CREATE VIEW targets_v AS SELECT t.*, u.code AS unit, u.name AS unit_name"
"  FROM targets t JOIN units u ON u.id = t.unit_id;"
"CREATE VIEW task_units_v AS SELECT x.*, u.code AS unit, u.name AS unit_name, t.title"
"  FROM task_units x JOIN units u ON u.id = x.unit_id JOIN tasks t USING (year, no);",
/* 2: knowledge dates (issue 13): the day the bureau received each imported file
 * ('YYYY-MM-DD'); imports made before it get the date of their import time. */
"ALTER TABLE imports ADD COLUMN received TEXT NOT NULL DEFAULT '';"
"UPDATE imports SET received = substr(imported_at, 1, 10);",
NULL
};

const char *db_schema_migration(int n) {
    if (n < 1 || n > (int)(sizeof migrations / sizeof migrations[0]) - 1) return NULL;
    return migrations[n - 1];
}

int db_schema_index_is_ours(const char *sql) {
    static const char head[] = "CREATE INDEX ";
    if (!sql || strncmp(sql, head, sizeof head - 1) != 0) return 0;
    size_t n = strlen(sql);
    for (const char *const *m = migrations; *m; m++)
        for (const char *p = strstr(*m, sql); p; p = strstr(p + 1, sql))
            if (p[n] == ';' && (p == *m || p[-1] == ';')) return 1;
    return 0;
}
