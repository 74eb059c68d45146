/* version.h — the version of yingji, for every layer (ctx.version, `yingji --version`,
 * the engine recorded in archives). Below everything: no library file needs cli.h for it. */
#ifndef YJ_VERSION_H
#define YJ_VERSION_H

#define YJ_VERSION "0.1.0"

#endif
