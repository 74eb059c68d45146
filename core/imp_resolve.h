/* imp_resolve.h — turning what a cell says into a reference: units (by code, name or
 * alias -> units.id) and sectors (code or Chinese name -> sectors.code). */
#ifndef YJ_IMP_RESOLVE_H
#define YJ_IMP_RESOLVE_H

#include <sqlite3.h>
#include <stddef.h>

typedef struct imp_resolver imp_resolver;

/* Loads every unit, unit alias and sector of db. Returns NULL with the reason in
 * err[0..cap) ("out of memory" or SQLite's message) on failure. Caller frees the
 * resolver with imp_resolver_free. */
imp_resolver *imp_resolver_load(sqlite3 *db, char *err, size_t cap);
void imp_resolver_free(imp_resolver *r);

/* The units.id that s (trimmed) names, or 0 when none. *kind / *code (may be NULL)
 * point at the unit's kind and code, owned by the resolver. */
long long imp_resolve_unit(const imp_resolver *r, const char *s, const char **kind,
                           const char **code);

/* The unit code of a units.id, or NULL. */
const char *imp_unit_code(const imp_resolver *r, long long id);

/* The valid sectors as "code 名称, code 名称, ..." (code order), for messages; owned by
 * the resolver ("" when there are none). */
const char *imp_sector_list(const imp_resolver *r);

/* The sector code that s names (code, Chinese name or alias), or NULL. */
const char *imp_resolve_sector(const imp_resolver *r, const char *s);

#endif
