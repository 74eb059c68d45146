/* db_check.h — `yingji info --check`: is this database whole and consistent?
 *
 * Checks, in order: the file is an SQLite database at all, PRAGMA integrity_check,
 * PRAGMA foreign_key_check, the schema version against this build, and the orphaned
 * records the schema cannot forbid (rows whose unit_id has no unit, task_units without
 * their task, rows and revisions whose batch names no import, unknown sectors). */
#ifndef YJ_DB_CHECK_H
#define YJ_DB_CHECK_H

#include <sqlite3.h>
#include <stdio.h>

/* Errors: the report is the output (a check that cannot run is itself a problem, named
 * with SQLite's reason); the return value counts problems. */

/* Runs every check on an open db and prints one line per finding on out, each starting
 * "LABEL: " (or "PATH: " when path is given). Returns the number of problems found
 * (0: consistent); a check that cannot run counts as a problem and says why. */
long db_check(sqlite3 *db, const char *path, FILE *out);

/* Opens path read-only (without the schema gate of db_open, so that a wrong version is
 * reported rather than refused), runs db_check and prints a verdict line on out:
 * "PATH: ok" or "PATH: N problems". Returns 0 when consistent, -1 otherwise. */
int db_check_path(const char *path, FILE *out);

#endif
