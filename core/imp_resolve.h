/* imp_resolve.h — turning what a cell says into a reference: units (by code, name or
 * alias -> units.id), sectors (code or Chinese name -> sectors.code), and the accident
 * level of Decree No. 493 art. 3. */
#ifndef YJ_IMP_RESOLVE_H
#define YJ_IMP_RESOLVE_H

#include <sqlite3.h>

typedef struct imp_resolver imp_resolver;

/* Loads every unit, unit alias and sector of db. Returns NULL with *err (malloc'd,
 * caller frees) on failure. Caller frees the resolver with imp_resolver_free. */
imp_resolver *imp_resolver_load(sqlite3 *db, char **err);
void imp_resolver_free(imp_resolver *r);

/* The units.id that s (trimmed) names, or 0 when none. *kind / *code (may be NULL)
 * point at the unit's kind and code, owned by the resolver. */
long long imp_resolve_unit(const imp_resolver *r, const char *s, const char **kind,
                           const char **code);

/* The unit code of a units.id, or NULL. */
const char *imp_unit_code(const imp_resolver *r, long long id);

/* The sector code that s names (code, Chinese name or alias), or NULL. */
const char *imp_resolve_sector(const imp_resolver *r, const char *s);

/* The accident level (一般/较大/重大/特别重大) reached by any one figure: deaths
 * including missing persons, serious injuries, direct loss in 万元. */
const char *imp_level_derive(long long deaths_and_missing, long long serious, double loss_wan);

#endif
