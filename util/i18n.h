/* i18n.h — user-facing messages through GNU gettext (the catalogs: po/, see po/README).
 * _("...") marks a message and translates it; N_("...") only marks one (a table entry,
 * translated with _() where it is printed). yj_i18n_init (main) chooses the language
 * from the environment (LANG, LC_ALL, LC_MESSAGES, LANGUAGE); a program that never calls
 * it (the unit tests) prints the English of the source. */
#ifndef YJ_I18N_H
#define YJ_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* Sets LC_MESSAGES from the environment (only it: collation, number formats and
 * character classes stay "C", so sorting, numbers and Lua patterns do not depend on the
 * user's locale) and binds the "yingji" catalog, read as UTF-8, from the first of:
 * $YINGJI_LOCALEDIR, the build folder of the running binary (BUILD/locale, or
 * build/rel/locale beside the ./yingji copy), PREFIX/share/locale of an installed binary. */
void yj_i18n_init(void);

/* 1 when messages are in Chinese (a zh catalog is in use): messages then name columns
 * by their Chinese titles. */
int yj_i18n_zh(void);

#endif
