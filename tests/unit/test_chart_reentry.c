/* test_chart_reentry.c — the chart module against script code that runs inside its calls
 * (issue 10 item 4). Every entry point of the module (docs/charts.md) is called with
 * arguments whose tables carry a metamethod (__index, __len, __pairs, __tostring, __eq,
 * __lt, __le, __close, __concat, __call, __newindex) that closes the document, calls the
 * same API again, or raises an error. Before the fix, an __index that called doc:close()
 * made doc:chart (and title_block, table, tiles, paragraph) write through a NULL document.
 * Now the module reads argument tables raw — no metamethod ever runs — and looks at the
 * document again after every step that may run Lua (a finalizer may close it at any
 * allocation): a closed document is an error, never a crash. */
#include <stdlib.h>
#include <lauxlib.h>
#include <lualib.h>

#include "chart_lua.h"
#include "lua_check.h"

/* The cases: every entry point x every metamethod x every action. Each call is pcalled;
 * afterwards the document is either usable or says it is closed. Counts what happened
 * in the globals ran (calls made), mm (metamethods that ran) and bad (a case whose
 * outcome was neither). */
static const char *const cases =
    "local chart = require 'chart'\n"
    "ran, mm, bad, errs = 0, 0, {}, {}\n"
    "local function spec() return { kind='combo', title='t', categories={'a','b'},\n"
    "  series={ {name='s', values={1,2}}, {name='l', values={2,false}, line=true} },\n"
    "  marks={'x'}, colors={'#112233', '#445566'} } end\n"
    "local entries = {\n"
    "  document = function(d, a) return chart.document(a{ title='x', date='2020-06-30' }) end,\n"
    "  save = function(d, a) return chart.save(a(spec()), '/nonexistent/x.png', a{ dpi=100 }) end,\n"
    "  title_block = function(d, a) return d:title_block(a{ city='c', title='t' }) end,\n"
    "  section = function(d, a) return d:section(a{}, 1) end,\n"
    "  subsection = function(d, a) return d:subsection(a{}) end,\n"
    "  paragraph = function(d, a) return d:paragraph('p', a{}) end,\n"
    "  paragraph_text = function(d, a) return d:paragraph(a{}) end,\n"
    "  tiles = function(d, a) return d:tiles(a{ {label='l', value=1, changes={{basis='b', change=1}}},\n"
    "                                        {label='m', value='2', basis='x'} }, a{}) end,\n"
    "  chart = function(d, a) return d:chart(a(spec())) end,\n"
    "  table = function(d, a) return d:table(a{ columns={'a', {title='b'}}, rows={{1,2},{3}},\n"
    "                                         widths={1,1}, align={'left'}, bold_rows={1} }) end,\n"
    "  page_break = function(d, a) return d:page_break(a{}) end,\n"
    "  save_doc = function(d, a) return d:save(a{}) end,\n"
    "  close = function(d, a) return d:close(a{}) end,\n"
    "}\n"
    "local mms = { '__index', '__len', '__pairs', '__tostring', '__eq', '__lt', '__le',\n"
    "              '__close', '__concat', '__call', '__newindex' }\n"
    "local actions = {\n"
    "  close = function(d) d:close() end,\n"
    "  again = function(d) d:chart(spec()):paragraph('again'):title_block{ city='c' }\n"
    "          d:table{ columns={'a'}, rows={{1}} }:tiles{ {label='x', value=1} } end,\n"
    "  error = function(d) error('boom from a metamethod') end,\n"
    "  gc = function(d) collectgarbage() end,\n"
    "}\n"
    "local function arm(v, mt, seen)\n"
    "  if type(v) ~= 'table' or seen[v] then return v end\n"
    "  seen[v] = true\n"
    "  for _, x in next, v do arm(x, mt, seen) end\n"
    "  return setmetatable(v, mt)\n"
    "end\n"
    "for ename, call in pairs(entries) do\n"
    "  for _, m in ipairs(mms) do\n"
    "    for aname, act in pairs(actions) do\n"
    "      local d = chart.document()\n"
    "      local mt = {}\n"
    "      mt[m] = function(...) mm = mm + 1 act(d) if m == '__index' then return nil end\n"
    "                 if m == '__len' then return 1 end return 'x' end\n"
    "      local ok, e = pcall(call, d, function(t) return arm(t, mt, {}) end)\n"
    "      ran = ran + 1\n"
    "      if not ok and type(e) ~= 'string' then bad[#bad+1] = ename..m..aname..': error is not text' end\n"
    "      if not ok then errs[e] = true end\n"
    "      local ok2, e2 = pcall(d.section, d, 'after')\n"
    "      if not ok2 and not tostring(e2):find('document is closed') then\n"
    "        bad[#bad+1] = ename..' '..m..' '..aname..': '..tostring(e2) end\n"
    "    end\n"
    "  end\n"
    "end\n";

/* Finalizers run at any allocation inside a C function: a __gc that closes the document
 * being filled. In generational mode with a minor multiplier of 1 (%) nearly every allocation
 * is a young collection, which calls the pending finalizers at once; the object is dropped
 * just before the call (arguments built first, the C function called directly), so the
 * finalizer runs at the module's first allocation inside the call. */
static const char *const finalizers =
    "local chart = require 'chart'\n"
    "collectgarbage('generational', 1, 100)\n"
    "fin_closed, fin_bad, fin_ran = 0, {}, 0\n"
    "local rows = {} for i = 1, 20 do rows[i] = { i, 'r' .. i } end\n"
    "local spec = { kind='bar', categories={'a', 'b'}, series={{ values={1, 2} }} }\n"
    "local calls = {\n"
    "  { 'table', { columns={'a','b'}, rows=rows, caption='c' } },\n"
    "  { 'tiles', { { label='l', value=1 }, { label='m', value=2.5 } }, { per_row = 4 } },\n"
    "  { 'chart', spec },\n"
    "  { 'title_block', { city=1, title=2, period=3 } },\n"
    "  { 'paragraph', 12345, { style = 'note' } },\n"
    "  { 'section', 12345, 2 },\n"
    "  { 'subsection', 12345 },\n"
    "  { 'page_break' },\n"
    "  { 'save', 12345 },\n"
    "}\n"
    "for i = 1, 40 * #calls do\n"
    "  local c = calls[i % #calls + 1]\n"
    "  local d = chart.document()\n"
    "  local g = setmetatable({}, { __gc = function() d:close() end })\n"
    "  local f, a, b = d[c[1]], c[2], c[3]\n"
    "  g = nil\n"
    "  local ok, e = pcall(f, d, a, b)\n"
    "  fin_ran = fin_ran + 1\n"
    "  if not ok then\n"
    "    if tostring(e):find('document is closed') then fin_closed = fin_closed + 1\n"
    "    elseif not (c[1] == 'save' and tostring(e):find('cannot write there')) then\n"
    "      fin_bad[#fin_bad+1] = c[1] .. ': ' .. tostring(e) end\n"
    "  end\n"
    "end\n"
    "collectgarbage('incremental')\n";

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    L = luaL_newstate();
    luaL_openlibs(L);
    luaL_requiref(L, "chart", luaopen_yj_chart, 0);
    lua_pop(L, 1);

    OK(cases, "every entry point x metamethod x action runs without a crash");
    OK("assert(ran == 13 * 11 * 4, 'ran ' .. ran)", "all 572 cases ran");
    OK("assert(#bad == 0, table.concat(bad, '\\n'))",
       "after each, the document is usable or says it is closed");
    OK("assert(mm == 0, mm .. ' metamethods ran')",
       "argument tables are read raw: no metamethod of theirs runs inside the module");
    OK("for e in pairs(errs) do assert(not e:find('boom'), e) end",
       "so no error raised by a metamethod comes out of it either");

    lua_close(L);   /* a small fresh heap: 1 % of it is a few allocations */
    L = luaL_newstate();
    luaL_openlibs(L);
    luaL_requiref(L, "chart", luaopen_yj_chart, 0);
    lua_pop(L, 1);
    OK(finalizers, "finalizers that close the document mid-call do not crash the module");
    OK("assert(#fin_bad == 0, table.concat(fin_bad, '\\n'))",
       "a document closed by a finalizer mid-call is reported as closed");
    OK("assert(fin_closed > 0)", "(some calls did find their document closed by a finalizer)");
    printf("# %d calls found their document closed by a finalizer\n",
           (lua_getglobal(L, "fin_closed"), (int)lua_tointeger(L, -1)));

    /* The reproducer of the issue, as a script would write it. */
    OK("local chart = require 'chart' local d = chart.document()\n"
       "local spec = setmetatable({ kind='bar', categories={'a'}, series={{values={1}}} },\n"
       "  { __index = function() d:close() end })\n"
       "local ok, e = pcall(d.chart, d, spec)\n"
       "assert(ok and d:section('still open'), e)",
       "issue 10.4: an __index that closes the document no longer runs inside doc:chart");
    lua_close(L);
    return check_failures() != 0;
}
