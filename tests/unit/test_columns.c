/* test_columns.c — header matching (aliases, case, money suffixes), enum words, the
 * Decree 493 level thresholds (inclusive at the lower bound), imp_fold, and the dataset
 * registry's own consistency (dataset.h: what the importer, info and the fixture assume). */
#include <string.h>

#include "imp_int.h"
#include "check.h"
#include "imp_cells.h"
#include "imp_columns.h"
#include "imp_resolve.h"

static const char *name_of(const imp_dataset *ds, const char *header, double *scale) {
    int i = imp_header_match(ds, header, scale);
    return i < 0 ? "(none)" : ds->cols[i].name;
}

int main(void) {
    const imp_dataset *acc = imp_dataset_find("accidents"), *insp = imp_dataset_find("inspections");
    double sc;
    CHECK(acc && insp && imp_dataset_find("tasks") && !imp_dataset_find("nothing"), "datasets found by name");
    CHECK_STR(name_of(acc, "deaths", &sc), "deaths", "canonical header");
    CHECK_STR(name_of(acc, "  DEATHS ", &sc), "deaths", "canonical header, trimmed, any case");
    CHECK_STR(name_of(acc, "死亡人数", &sc), "deaths", "Chinese alias");
    CHECK_STR(name_of(acc, "\xE3\x80\x80" "事故编号", &sc), "id", "ideographic space trimmed");
    CHECK_STR(name_of(acc, "直接经济损失(万元)", &sc), "direct_loss", "loss in 万元");
    CHECK(sc == 1.0, "(万元) loss: stored as is");
    CHECK_STR(name_of(acc, "直接经济损失（元）", &sc), "direct_loss", "full-width brackets");
    CHECK(sc == 0.0001, "(元) loss: divided by 10,000");
    CHECK_STR(name_of(insp, "罚款(万元)", &sc), "fine", "fine in 万元");
    CHECK(sc == 10000.0, "(万元) fine: multiplied by 10,000");
    CHECK_STR(name_of(insp, "罚款(元)", &sc), "fine", "fine in 元");
    CHECK(sc == 1.0, "(元) fine: stored as is");
    CHECK_STR(name_of(insp, "罚款金额", &sc), "fine", "fine without a unit");
    CHECK_STR(name_of(acc, "死亡人数(人)", &sc), "deaths", "other bracketed suffix ignored");
    CHECK_STR(name_of(acc, "备注", &sc), "(none)", "unknown header");
    CHECK_STR(name_of(insp, "编号", &sc), "id", "short alias per dataset");

    char code[24];
    const imp_column *status = &acc->cols[11], *kind = &insp->cols[5];
    CHECK(imp_enum_code(status, "迟报", code, sizeof code) == 0 && !strcmp(code, "late"), "迟报 is late");
    CHECK(imp_enum_code(status, "按时", code, sizeof code) == 0 && !strcmp(code, "normal"), "按时 is normal");
    CHECK(imp_enum_code(status, "CONCEALED", code, sizeof code) == 0 && !strcmp(code, "concealed"), "code in any case");
    CHECK(imp_enum_code(status, "迟", code, sizeof code) != 0, "a prefix is not a word");
    CHECK(imp_enum_code(kind, "双随机", code, sizeof code) == 0 && !strcmp(code, "random"), "双随机 is random");
    CHECK(imp_enum_code(&acc->cols[10], "较大事故", code, sizeof code) == 0 && !strcmp(code, "较大"), "较大事故 is 较大");

    /* Decree 493 art. 3: the highest class any one figure reaches */
    static const struct { long long deaths, serious; double loss; const char *want, *what; } lv[] = {
        {2, 9, 999.99, "一般", "below every threshold"},
        {3, 0, 0, "较大", "3 deaths"}, {0, 10, 0, "较大", "10 serious injuries"},
        {0, 0, 1000, "较大", "1000 万元"}, {9, 49, 4999.99, "较大", "top of 较大"},
        {10, 0, 0, "重大", "10 deaths"}, {0, 50, 0, "重大", "50 serious injuries"},
        {0, 0, 5000, "重大", "5000 万元"}, {29, 99, 9999.99, "重大", "top of 重大"},
        {30, 0, 0, "特别重大", "30 deaths"}, {0, 100, 0, "特别重大", "100 serious injuries"},
        {0, 0, 10000, "特别重大", "10000 万元"}, {1, 60, 0, "重大", "the highest figure decides"},
    };
    for (size_t k = 0; k < sizeof lv / sizeof lv[0]; k++)
        CHECK_STR(imp_accident_level(lv[k].deaths, lv[k].serious, lv[k].loss), lv[k].want,
                  "level: %s", lv[k].what);

    char f[64];
    CHECK(imp_fold("ＡＢＣ１２３：（）", f, sizeof f) > 0 && !strcmp(f, "ABC123:()"), "full-width ASCII folded");
    CHECK(imp_fold(" 中文　", f, sizeof f) > 0 && !strcmp(f, "中文"), "CJK kept, blanks trimmed");
    CHECK(imp_fold("12345678", f, 5) < 0, "too long for the buffer");

    /* the registry: names, load order, sizes the importer's arrays hold, references */
    int nds = imp_dataset_count(), all_ok = 1;
    CHECK(nds == 6 && !strcmp(imp_dataset_at(0)->name, "units") && !imp_dataset_at(nds),
          "registry: six datasets, units first");
    CHECK_STR(imp_dataset_names(), "units accidents inspections assessments targets tasks",
              "registry: the names in load order");
    for (int d = 0; d < nds; d++) {
        const imp_dataset *ds = imp_dataset_at(d);
        int keys = 0, words = 0, lists = 0;
        if (imp_dataset_find(ds->name) != ds || ds->ncols > IMP_MAX_COLS || ds->nchecks > IMP_MAX_CHECKS)
            all_ok = 0;
        for (int i = 0; i < ds->ncols; i++) {
            keys += (ds->cols[i].flags & IMP_KEY) != 0;
            words += (ds->cols[i].flags & IMP_WORDS) != 0;
            lists += ds->cols[i].type == IMP_UNITS;
            if (imp_dataset_column(ds, ds->cols[i].name) != i) all_ok = 0;
        }
        if (keys < 1 || keys > 4) all_ok = 0;                        /* imp_ctx.key[4] */
        if ((words || lists) && !ds->side) all_ok = 0;                /* stored in a side table */
        if (ds->side && ds->side->by_rowid != (words == 1)) all_ok = 0;
        if (ds->unique && imp_dataset_column(ds, ds->unique) < 0) all_ok = 0;
        for (int k = 0; k < ds->nchecks; k++) {
            const imp_check *ck = &ds->checks[k];
            if (imp_dataset_column(ds, ck->a) < 0 || imp_dataset_column(ds, ck->b) < 0) all_ok = 0;
            for (int j = 0; j < 3; j++)
                if ((ck->kind == IMP_CHECK_LEVEL) != (ck->more[j] != NULL) ||
                    (ck->more[j] && imp_dataset_column(ds, ck->more[j]) < 0)) all_ok = 0;
        }
        if (!all_ok) { CHECK(0, "registry: dataset %s is consistent", ds->name); break; }
    }
    CHECK(all_ok, "registry: every dataset's columns, key, side table and checks fit");
    CHECK(imp_dataset_column(imp_dataset_find("accidents"), "nothing") == -1, "registry: unknown column");
    return check_failures() != 0;
}
