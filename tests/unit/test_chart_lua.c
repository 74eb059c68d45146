/* test_chart_lua.c — the Lua binding of the chart library on a bare Lua state: documents
 * are built through every method, wrong arguments raise errors that name the field, absurd
 * sizes are refused before any work, closed documents say so, and nothing is written
 * where the embedder's output policy (chart_lua_set_policy) says no. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <lauxlib.h>
#include <lualib.h>

#include "chart_lua.h"
#include "lua_check.h"

static const char *const build =
    "local chart = require 'chart'\n"
    "doc = chart.document{ title='某市安全生产形势通报', subject='月度通报', author='某市应急管理局',"
    "  date='2020-06-30' }\n"
    "doc:title_block{ city='某市', title='安全生产形势通报', period='2020年6月',"
    "  issuer='某市应急管理局', cutoff='2020-06-30' }\n"
    "doc:section('一、总体情况'):subsection('（一）事故')\n"
    "doc:tiles({ {label='事故起数', value=12, unit='起', basis='同比', change=-14.3},"
    "  {label='死亡人数', value='13', unit='人', changes={{basis='同比', change=8.3},"
    "   {basis='环比'}}}, {label='整改率', value='93.5', unit='%', change=2, better='up'},"
    "  {label='双下降', value='未实现', note='死亡人数上升'} }, {per_row=4})\n"
    "doc:paragraph('1—6月，全市共发生生产安全事故12起。')\n"
    "doc:paragraph('注：数据截至6月30日。', {style='note'})\n"
    "doc:chart{ kind='combo', title='趋势', categories={'1月','2月','3月'},"
    "  series={ {name='事故', values={1,2,false}}, {name='死亡', values={1,0,2}, line=true} },"
    "  y_label='起', y2_label='人', height_mm=70 }\n"
    "doc:table{ columns={ '地区', {title='起数', align='right', width=1} },"
    "  rows={ {'城关区', 3}, {'东湖区', 2}, {'合计', 5} }, bold_rows={3}, caption='表1' }\n"
    "doc:page_break()\n";

/* The output policy the embedder gives (issue 11.3): asked with the path; its reason is
 * the error; without one nothing is written. */
static int asked;
static int allow_tmp(void *ud, const char *path, char *why, size_t whylen) {
    asked++;
    if (!strncmp(path, (const char *)ud, strlen((const char *)ud))) return 1;
    snprintf(why, whylen, "%s: not here, says the policy", path);
    return 0;
}

static void policy_tests(void) {
    char dir[] = "/tmp/yj_chart_policy_XXXXXX", code[600], file[300];
    if (!mkdtemp(dir)) { CHECK(0, "temporary folder"); return; }
    snprintf(file, sizeof file, "%s/a.pdf", dir);
    snprintf(code, sizeof code, "doc:save('%s')", file);
    FAILS(code, "cannot write there (no output policy)",
          "a state without an output policy writes nothing");
    CHECK(access(file, F_OK) != 0, "and no file appears");
    chart_output_policy p = { allow_tmp, dir };
    chart_lua_set_policy(L, &p);
    asked = 0;
    OK(code, "the policy lets doc:save write where it allows");
    CHECK(asked == 1 && access(file, F_OK) == 0, "the policy was asked once and the PDF written");
    snprintf(code, sizeof code, "doc:save('/tmp/yj_chart_policy_elsewhere.pdf')");
    FAILS(code, "chart: /tmp/yj_chart_policy_elsewhere.pdf: not here, says the policy",
          "the policy's reason is the error");
    snprintf(code, sizeof code, "require('chart').save({kind='bar', categories={'a'}, "
             "series={{values={1}}}}, '%s/b.png')", dir);
    asked = 0;
    OK(code, "chart.save asks the same policy");
    CHECK(asked == 1, "chart.save asked it once");
    unlink(file);
    snprintf(file, sizeof file, "%s/b.png", dir);
    unlink(file);
    rmdir(dir);
    chart_lua_set_policy(L, NULL);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    L = luaL_newstate();
    luaL_openlibs(L);
    luaL_requiref(L, "chart", luaopen_yj_chart, 0);
    lua_pop(L, 1);

    OK(build, "a document is built through every method");
    policy_tests();
    OK("assert(tostring(doc) == 'chart document')", "documents print as such");
    char path[] = "/tmp/yj_chart_lua_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    char code[512];
    snprintf(code, sizeof code, "doc:save('%s.pdf')", path);
    FAILS(code, "chart: ", "saving where the runtime says no raises its reason");
    char pdf[300];
    snprintf(pdf, sizeof pdf, "%s.pdf", path);
    CHECK(access(pdf, F_OK) != 0, "and nothing is written");
    snprintf(code, sizeof code, "require('chart').save({kind='bar', categories={'a'}, "
             "series={{values={1}}}}, '%s.png')", path);
    FAILS(code, "chart: ", "chart.save asks the runtime too");
    snprintf(pdf, sizeof pdf, "%s.png", path);
    CHECK(access(pdf, F_OK) != 0, "and writes nothing either");

    OK("doc:close(); doc:close()", "close is idempotent");
    FAILS("doc:section('x')", "document is closed", "a closed document refuses blocks");
    OK("local d <close> = require('chart').document() d:section('x')", "documents are to-be-closed");

    const char *pre = "local chart = require 'chart' local d = chart.document() ";
#define WITH(tail) (snprintf(code, sizeof code, "%s%s", pre, tail), code)
    FAILS(WITH("d:chart{kind='pie', categories={}, series={}}"), "unknown chart kind 'pie'",
          "an unknown kind is named");
    FAILS(WITH("d:chart{kind='bar', series={}}"), "field 'categories'", "categories are required");
    FAILS(WITH("local c = {} for i = 1, 1000001 do c[i] = 'x' end "
               "d:chart{kind='bar', categories=c, series={}}"), "too many entries",
          "a million categories is an error, not a hang");
    FAILS(WITH("d:chart{kind='bar', categories={'a','b'}, series={{values={1,2,3}}}}"),
          "series 1 has 3 values for 2 categories", "too many values are named");
    FAILS(WITH("d:chart{kind='bar', categories={'a'}, series={{values={'x'}}}}"),
          "number expected, got string", "a non-number value is refused");
    FAILS(WITH("d:chart{kind='bar', categories={'a'}, series={{values={1}}}, height_mm=10000}"),
          "outside", "an absurd height is refused");
    FAILS(WITH("d:chart{kind='bar', categories={'a'}, series={{values={1/0}}}}"),
          "out of range", "an infinite value is refused");
    FAILS(WITH("d:chart{kind='combo', categories={'a'}, series={{values={1}}}}"),
          "line series", "a combo without a line series is refused");
    FAILS(WITH("d:chart{kind='bar', title='\\xff\\xfe', categories={}, series={}}"),
          "not valid UTF-8", "invalid UTF-8 is refused");
    FAILS(WITH("d:chart{kind='bar', categories={'a'}, series={{values={1}}}, colors={'red'}}"),
          "#RRGGBB", "colours are checked");
    FAILS(WITH("d:tiles{{label='x'}}"), "field 'value': required", "a tile needs a value");
    FAILS(WITH("d:chart{kind='bar', categories={'a'}, series={{values={1}}}, marks={'x','y'}}"),
          "more marks than categories", "marks are checked");
    FAILS(WITH("d:tiles{}"), "1 to 64 tiles", "an empty tile list is refused");
    /* legends, hatched bars, worded changes and the signature style (issue 16) */
    OK(WITH("d:chart{kind='hbar', categories={'a','b'}, series={{values={1,2}}},"
            " colors={'#1F3864','#D9534F'}, hatched={false,true},"
            " legend={{name='优秀', color='#1F3864'}, {name='一票否决', color='#D9534F', hatched=true}}}"
            ":tiles{{label='x', value=1, changes={{basis='同比', change_text='增加3起', trend=1}}}}"
            ":paragraph('某市应急管理局', {style='signature'})"),
       "a legend, hatched bars, a worded change and a signature are accepted");
    OK(WITH("d:chart{kind='hbar', categories={'a','b'}, series={{values={84.3,99.6}}}, axis_from=70}"),
       "an hbar axis may start above zero");
    FAILS(WITH("d:chart{kind='hbar', categories={'a'}, series={{values={1}}}, axis_from=1/0}"),
          "axis_from", "an infinite axis start is refused");
    FAILS(WITH("d:chart{kind='bar', categories={'a'}, series={{values={1}}}, hatched={true,true}}"),
          "more flags than categories", "hatched flags are checked");
    FAILS(WITH("d:chart{kind='bar', categories={'a'}, series={{values={1}}}, legend={{name='x', color='navy'}}}"),
          "#RRGGBB", "legend colours are checked");
    FAILS(WITH("d:chart{kind='bar', categories={'a'}, series={{values={1}}}, legend={{color='#000000'}}}"),
          "needs a name", "legend items need a name");
    FAILS(WITH("d:chart{kind='bar', categories={'a'}, series={{values={1}}}, legend={1}}"),
          "field 'legend'", "legend items are tables");
    FAILS(WITH("local l = {} for i = 1, 13 do l[i] = {name='x', color='#000000'} end "
               "d:chart{kind='bar', categories={'a'}, series={{values={1}}}, legend=l}"),
          "field 'legend'", "at most 12 legend items");
    FAILS(WITH("d:tiles{{label='x', value=1, changes={{change_text='x', trend=2}}}}"),
          "field 'trend'", "a trend is -1, 0 or 1");
    FAILS(WITH("d:table{columns={'a'}, rows={{1}}, bold_rows={2}}"), "bold_rows",
          "bold rows must exist");
    FAILS(WITH("d:table{columns={}, rows={}}"), "at least one column", "a table needs columns");
    OK(WITH("d:table{columns={'a','b'}, rows={{1,2},{3,4}}, highlight={{1,2},{2,1}}}"),
       "cells may be highlighted");
    FAILS(WITH("d:table{columns={'a'}, rows={{1}}, highlight={{1,2}}}"), "field 'highlight'",
          "highlighted cells must exist");
    FAILS(WITH("d:table{columns={'a'}, rows={{1}}, highlight={1}}"), "field 'highlight'",
          "highlights are {row, column} pairs");
    FAILS(WITH("d:paragraph('x', {style='shout'})"), "invalid option 'shout'",
          "unknown paragraph styles are refused");
    FAILS(WITH("d:section('x', 3)"), "level is 1 or 2", "section levels are 1 and 2");
    FAILS(WITH("d:section('x', 2^32 + 1)"), "level is 1 or 2",
          "a level of 2^32+1 is refused, not truncated to 1");
    FAILS(WITH("d:chart{kind='bar', categories={'a'}, series={{values={1}}}, decimals=2^53}"),
          "field 'decimals': must be -1..6",
          "decimals of 2^53 is refused before any conversion (fuzz_writers, UBSan)");
    FAILS(WITH("d:chart{kind='bar', categories={'a'}, series={{values={1}}}, decimals=0/0}"),
          "field 'decimals'", "decimals of NaN is refused");
    FAILS(WITH("d:chart{kind='bar', categories={'a'}, series={{values={1}}}, decimals=7}"),
          "field 'decimals'", "decimals of 7 is refused");
    FAILS(WITH("d:tiles({{label='x', value=1}}, {per_row=2^40})"), "field 'per_row'",
          "per_row of 2^40 is refused, not truncated");
    OK(WITH("d:chart{kind='bar', categories={'a'}, series={{values={1}}}, decimals=2}"
            ":tiles({{label='x', value=1}}, {per_row=6})"), "decimals 2 and per_row 6 are fine");
    FAILS("require('chart').document{date='2020/06/30'}", "YYYY-MM-DD", "a bad date is refused");
    FAILS(WITH("d:paragraph(string.rep('字', 30000))"), "too long", "an oversize paragraph is refused");
    FAILS(WITH("local p = string.rep('字', 20000) for i = 1, 2000 do d:paragraph(p) end"),
          "too much content", "a document's content is limited (outside the Lua heap)");
    snprintf(code, sizeof code, "require('chart').save({kind='bar', categories={'a'}, "
             "series={{values={1}}}, width_mm=420, height_mm=297}, '%s.png', {dpi=600})", path);
    FAILS(code, "chart: ", "a huge PNG is refused (or not allowed) before any drawing");
    OK("for i = 1, 50 do local d = require('chart').document() d:section('x') end collectgarbage()",
       "documents are collected");
#undef WITH
    lua_close(L);
    return check_failures() != 0;
}
