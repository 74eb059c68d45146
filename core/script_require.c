/* script_require.c — require in the sandbox: a built-in module from the runtime's table
 * (script_modules.c), else a Lua file through the source provider (yj_source_fn: the
 * filesystem, or an archive's frozen sources); every file loaded is recorded in the
 * handle (yj_script_loaded_files) for `yingji archive`. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "script_int.h"

/* {==================================================================
 * require
 * =================================================================== */

static int valid_module_name(const char *n) {
    if (!*n || *n == '.') return 0;
    for (const char *p = n; *p; p++) {
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.') return 0;
        if (*p == '.' && (p[1] == '.' || p[1] == '\0')) return 0;
    }
    return 1;
}

/* Loads the main script (name NULL) or module name through the source provider,
 * records it among the loaded files, and pushes the compiled chunk (or raises). */
void yj_load_file(lua_State *L, yj_run *run, const char *name) {
    yj_script *s = run->s;
    yj_source_fn fn = s->src_fn ? s->src_fn : yj_source_fs;
    char *path = NULL, *text = NULL, *err = NULL;
    size_t len = 0;
    int rc = fn(s->src_fn ? s->src_ud : NULL, run->script_path, name, &path, &text, &len, &err);
    if (rc != 0) {
        if (name) {
            luaL_where(L, 1);
            lua_pushfstring(L, "require '%s': %s", name,
                            err ? err : rc > 0 ? "module not found" : "cannot read the module");
            lua_concat(L, 2);
        }
        else
            lua_pushfstring(L, "%s: %s", run->script_path, err ? err : "cannot read the script");
        free(path); free(text); free(err);
        lua_error(L);
    }
    yj_source f = {name, path, text, len};
    int pushed = yj_source_push(&s->loaded, &s->nloaded, &s->caploaded, &f);
    int st = yj_load_source(L, path, text, len);
    free(path); free(text); free(err);
    if (pushed != 0) luaL_error(L, "not enough memory");
    if (st != LUA_OK) lua_error(L);
}

/* Upvalue 1: the table of loaded modules (name → value). */
int yj_require(lua_State *L) {
    const char *name = luaL_checkstring(L, 1);
    lua_settop(L, 1);
    if (lua_getfield(L, lua_upvalueindex(1), name) != LUA_TNIL) {
        if (lua_touserdata(L, -1) == (void *)yj_require)
            return luaL_error(L, "require '%s': circular require", name);
        return 1;
    }
    lua_pop(L, 1);
    if (yj_modules_require(L, name)) {
        yj_lock_metatables(L);
    } else {
        if (!valid_module_name(name))
            return luaL_error(L, "require '%s': a module name has letters, digits, '_' and '.' only", name);
        yj_load_file(L, yj_run_of(L), name);
        lua_pushlightuserdata(L, (void *)yj_require);   /* mark: being loaded */
        lua_setfield(L, lua_upvalueindex(1), name);
        lua_pushstring(L, name);
        lua_call(L, 1, 1);
    }
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, lua_upvalueindex(1), name);
    return 1;
}

/* }================================================================== */
