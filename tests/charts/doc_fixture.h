/* doc_fixture.h — a fixed document using every block kind (a short monthly briefing with
 * a table long enough to break across pages), for tests/unit/test_chart_doc.c. */
#ifndef YJ_DOC_FIXTURE_H
#define YJ_DOC_FIXTURE_H

#include "chart_doc.h"
#include "fixtures.h"

static chart_tile fx_tile(const char *label, const char *value, const char *unit,
                          const char *basis, double pct, int up_is_good) {
    chart_tile t;
    memset(&t, 0, sizeof t);
    t.label = fx_dup(label);
    t.value = fx_dup(value);
    t.unit = unit ? fx_dup(unit) : NULL;
    if (basis) {
        t.n_changes = 1;
        t.changes[0].basis = fx_dup(basis);
        t.changes[0].pct = pct;
    }
    t.up_is_good = up_is_good;
    return t;
}

/* Builds the fixture document; exits on failure. Caller frees with chart_doc_free. */
static chart_doc *fx_document(int table_rows) {
    char err[256];
    chart_doc *d = chart_doc_new();
    int rc = chart_doc_meta(d, "某市安全生产形势通报（2020年6月）", "安全生产形势月度通报",
                            "某市应急管理局", "2020-06-30", err, sizeof err);
    rc |= chart_doc_title_block(d, "某市", "安全生产形势通报", "2020年6月", "某市应急管理局",
                                "2020-06-30", err, sizeof err);
    rc |= chart_doc_section(d, "一、总体情况", 1, err, sizeof err);
    chart_tile *tiles = calloc(6, sizeof *tiles);
    tiles[0] = fx_tile("1—6月事故起数", "12", "起", "同比", -14.3, 0);
    tiles[1] = fx_tile("1—6月死亡人数", "13", "人", "同比", 8.3, 0);
    tiles[2] = fx_tile("6月事故起数", "1", "起", "同比", -50.0, 0);
    tiles[2].n_changes = 2;
    tiles[2].changes[1].basis = fx_dup("环比");
    tiles[2].changes[1].pct = 0;
    tiles[3] = fx_tile("较大及以上事故", "0", "起", "同比", NAN, 0);
    tiles[4] = fx_tile("隐患整改率", "93.5", "%", "同比", 2.1, 1);
    tiles[5] = fx_tile("“双下降”", "未实现", NULL, NULL, 0, 0);
    tiles[5].note = fx_dup("死亡人数同比上升");
    rc |= chart_doc_tiles(d, tiles, 6, 4, err, sizeof err);
    rc |= chart_doc_paragraph(d, "1—6月，全市共发生生产安全事故12起、死亡13人，同比分别下降14.3%、"
        "上升8.3%。其中，6月发生事故1起、死亡1人，同比分别下降50.0%、50.0%。从地区看，东湖区、"
        "高新技术产业开发区、经济技术开发区事故起数同比上升；从行业看，建筑施工、道路运输事故起数"
        "同比上升，工矿商贸其他行业事故起数同比下降。各地区、各部门要认真贯彻落实安全生产责任制，"
        "深入开展安全生产专项整治三年行动，坚决防范遏制重特大事故发生。", CHART_PARA_BODY,
        err, sizeof err);
    rc |= chart_doc_section(d, "二、月度趋势", 1, err, sizeof err);
    rc |= chart_doc_chart(d, fx_chart("combo"), err, sizeof err);
    rc |= chart_doc_section(d, "三、分地区情况", 1, err, sizeof err);
    rc |= chart_doc_chart(d, fx_chart("grouped"), err, sizeof err);
    chart_table *tb = chart_table_new(5, table_rows);
    static const char *const head[] = { "序号", "地区", "事故起数", "去年同期", "同比" };
    for (int c = 0; c < 5; c++) {
        tb->head[c] = fx_dup(head[c]);
        tb->align[c] = c >= 2 ? CHART_RIGHT : c == 0 ? CHART_CENTER : CHART_LEFT;
    }
    tb->widths[0] = 0.6; tb->widths[1] = 3; tb->widths[2] = 1.2; tb->widths[3] = 1.2;
    tb->widths[4] = 1.2;
    for (int r = 0; r < table_rows; r++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%d", r + 1);
        tb->cells[r * 5] = fx_dup(buf);
        tb->cells[r * 5 + 1] = fx_dup(fx_units[r % 8]);
        snprintf(buf, sizeof buf, "%d", r % 7);
        tb->cells[r * 5 + 2] = fx_dup(buf);
        snprintf(buf, sizeof buf, "%d", r % 5);
        tb->cells[r * 5 + 3] = fx_dup(buf);
        tb->cells[r * 5 + 4] = fx_dup(r % 5 ? "—" : "持平");
    }
    rc |= chart_doc_table(d, tb, "表1  各地区事故情况", err, sizeof err);
    rc |= chart_doc_section(d, "四、分行业情况", 1, err, sizeof err);
    rc |= chart_doc_section(d, "（一）工矿商贸", 2, err, sizeof err);
    rc |= chart_doc_chart(d, fx_chart("hbar"), err, sizeof err);
    rc |= chart_doc_paragraph(d, "注：数据来源于事故统计系统，截至2020年6月30日。", CHART_PARA_NOTE,
                              err, sizeof err);
    if (rc != 0) { fprintf(stderr, "fixture document: %s\n", err); exit(2); }
    return d;
}

#endif
