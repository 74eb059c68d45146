/* dataset.c — the dataset registry (see dataset.h): the datasets of
 * shared/spec/data.md, their columns, keys, side tables and checks, and the accident
 * level of Decree No. 493. Change a dataset here and the importer, `info`,
 * `info --check` and the test fixture follow: they build their SQL from these tables. */
#include <stdio.h>
#include <string.h>

#include "dataset.h"
#include "i18n.h"

#define N(a) ((int)(sizeof a / sizeof a[0]))

static const imp_column units_cols[] = {
    {"code", "单位代码|代码", IMP_TEXT, IMP_REQ | IMP_KEY, "code", NULL, NULL},
    {"name", "单位名称|名称|单位", IMP_TEXT, IMP_REQ, "name", NULL, NULL},
    {"kind", "类型|单位类型", IMP_ENUM, IMP_REQ, "kind",
     "township=乡镇;street=街道;zone=开发区,经开区;department=部门,市直部门", NULL},
    {"aliases", "别名", IMP_TEXT, IMP_WORDS, "aliases", NULL, ""},
};

static const imp_column accidents_cols[] = {
    {"id", "事故编号|编号", IMP_TEXT, IMP_REQ | IMP_KEY, "id", NULL, NULL},
    {"occurred_at", "发生时间|事故时间|发生日期", IMP_DATETIME, IMP_REQ, "occurred_at", NULL, NULL},
    {"reported_at", "报告时间|上报时间", IMP_DATETIME, 0, "reported_at", NULL, NULL},
    {"unit", "属地|所属单位|乡镇街道|单位", IMP_UNIT, IMP_REQ, "unit_id", NULL, NULL},
    {"sector", "行业领域|行业|事故类别", IMP_SECTOR, IMP_REQ, "sector", NULL, NULL},
    {"deaths", "死亡人数|死亡", IMP_INT, IMP_REQ | IMP_NONNEG, "deaths", NULL, NULL},
    {"missing", "失踪人数|失踪", IMP_INT, IMP_NONNEG, "missing", NULL, "0"},
    {"serious_injuries", "重伤人数|重伤", IMP_INT, IMP_NONNEG, "serious_injuries", NULL, "0"},
    {"injuries", "受伤人数|轻伤人数|受伤", IMP_INT, IMP_NONNEG, "injuries", NULL, "0"},
    {"direct_loss", "直接经济损失", IMP_DEC, IMP_NONNEG | IMP_IN_WAN, "direct_loss", NULL, "0"},
    {"level", "事故等级|等级", IMP_ENUM, 0, "level",
     "一般=一般事故;较大=较大事故;重大=重大事故;特别重大=特别重大事故", NULL},
    {"report_status", "报告情况|报送情况", IMP_ENUM, 0, "report_status",
     "normal=正常,按时;late=迟报;omitted=漏报;false=谎报;concealed=瞒报", "normal"},
    {"closed_on", "结案日期", IMP_DATE, 0, "closed_on", NULL, NULL},
    {"production", "生产经营性|是否生产经营性", IMP_BOOL, 0, "production", NULL, "1"},
    {"written_off", "核销|是否核销", IMP_BOOL, 0, "written_off", NULL, "0"},
    {"summary", "简要经过|事故简况|摘要", IMP_TEXT, 0, "summary", NULL, NULL},
};

static const imp_column inspections_cols[] = {
    {"id", "检查编号|编号", IMP_TEXT, IMP_REQ | IMP_KEY, "id", NULL, NULL},
    {"inspected_on", "检查日期|检查时间", IMP_DATE, IMP_REQ, "inspected_on", NULL, NULL},
    {"unit", "属地|乡镇街道|单位", IMP_UNIT, IMP_REQ, "unit_id", NULL, NULL},
    {"sector", "行业领域|行业", IMP_SECTOR, IMP_REQ, "sector", NULL, NULL},
    {"enterprise", "企业名称|检查对象|被检查单位", IMP_TEXT, IMP_REQ, "enterprise", NULL, NULL},
    {"kind", "检查类型|检查方式", IMP_ENUM, 0, "kind",
     "plan=计划;random=双随机;special=专项;complaint=举报;other=其他", "other"},
    {"hazards_found", "发现隐患数|隐患数|发现隐患", IMP_INT, IMP_REQ | IMP_NONNEG, "hazards_found", NULL, NULL},
    {"major_hazards", "重大隐患数|重大隐患", IMP_INT, IMP_NONNEG, "major_hazards", NULL, "0"},
    {"hazards_rectified", "已整改隐患数|整改隐患数|已整改", IMP_INT, IMP_NONNEG, "hazards_rectified", NULL, "0"},
    {"penalty_cases", "行政处罚数|立案数|处罚", IMP_INT, IMP_NONNEG, "penalty_cases", NULL, "0"},
    {"fine", "罚款金额|罚款", IMP_DEC, IMP_NONNEG | IMP_IN_YUAN, "fine", NULL, "0"},
    {"suspended", "责令停产停业|停产整顿", IMP_BOOL, 0, "suspended", NULL, "0"},
    {"inspector", "执法单位|检查单位", IMP_UNIT, IMP_DEPT, "inspector_id", NULL, NULL},
};

static const imp_column assessments_cols[] = {
    {"year", "年度", IMP_YEAR, IMP_REQ | IMP_KEY, "year", NULL, NULL},
    {"period", "考核期|期间", IMP_PERIOD, IMP_KEY, "period", NULL, "annual"},
    {"unit", "被考核单位|单位", IMP_UNIT, IMP_REQ | IMP_KEY, "unit_id", NULL, NULL},
    {"indicator", "指标|考核指标|指标代码", IMP_TEXT, IMP_REQ | IMP_KEY, "indicator", NULL, NULL},
    {"value", "值|数值|得分", IMP_DEC, IMP_REQ, "value", NULL, NULL},
    {"evidence", "佐证|说明|备注", IMP_TEXT, 0, "evidence", NULL, NULL},
};

static const imp_column targets_cols[] = {
    {"year", "年度", IMP_YEAR, IMP_REQ | IMP_KEY, "year", NULL, NULL},
    {"unit", "单位|被考核单位", IMP_UNIT, IMP_REQ | IMP_KEY, "unit_id", NULL, NULL},
    {"indicator", "指标", IMP_TEXT, IMP_REQ | IMP_KEY, "indicator", NULL, NULL},
    {"value", "目标值|值", IMP_DEC, IMP_REQ, "value", NULL, NULL},
};

static const imp_column tasks_cols[] = {
    {"year", "年度", IMP_YEAR, IMP_REQ | IMP_KEY, "year", NULL, NULL},
    {"no", "序号", IMP_INT, IMP_REQ | IMP_KEY | IMP_NONNEG, "no", NULL, NULL},
    {"title", "工作任务|任务", IMP_TEXT, IMP_REQ, "title", NULL, NULL},
    {"lead", "牵头单位", IMP_UNITS, IMP_REQ, NULL, NULL, NULL},
    {"cooperating", "协同单位|配合单位", IMP_UNITS, 0, NULL, NULL, ""},
};

static const imp_check accidents_checks[] = {
    {IMP_CHECK_NOT_BEFORE, "reported_at", "occurred_at", {NULL, NULL, NULL}},
    {IMP_CHECK_LEVEL, "level", "deaths", {"missing", "serious_injuries", "direct_loss"}},
};

static const imp_check inspections_checks[] = {
    {IMP_CHECK_AT_MOST, "major_hazards", "hazards_found", {NULL, NULL, NULL}},
    {IMP_CHECK_AT_MOST, "hazards_rectified", "hazards_found", {NULL, NULL, NULL}},
};

static const imp_side unit_aliases = {
    "unit_aliases", "DELETE FROM unit_aliases WHERE unit_id = ?1",
    "INSERT INTO unit_aliases(alias, unit_id) VALUES(?1, ?2)", 1,
    NULL, NULL           /* their record is their unit: checked as "without their unit" */
};

static const imp_side task_units = {
    "task_units", "DELETE FROM task_units WHERE year = ?1 AND no = ?2",
    "INSERT INTO task_units(year, no, unit_id, role) VALUES(?1, ?2, ?3, ?4)", 0,
    "task_units without their task",
    "SELECT count(*) FROM task_units x WHERE NOT EXISTS"
    " (SELECT 1 FROM tasks t WHERE t.year = x.year AND t.no = x.no)"
};

static const imp_dataset datasets[] = {
    {"units", "units", units_cols, N(units_cols), NULL, &unit_aliases, "name", NULL, 0, 0,
     IMP_DS_LOG_FIRST},
    {"accidents", "accidents", accidents_cols, N(accidents_cols), "substr(occurred_at, 1, 10)",
     NULL, NULL, accidents_checks, N(accidents_checks), 'A', 0},
    {"inspections", "inspections", inspections_cols, N(inspections_cols), "inspected_on", NULL,
     NULL, inspections_checks, N(inspections_checks), 'I', 0},
    {"assessments", "assessments", assessments_cols, N(assessments_cols), "year", NULL, NULL,
     NULL, 0, 0, 0},
    {"targets", "targets", targets_cols, N(targets_cols), "year", NULL, NULL, NULL, 0, 0, 0},
    {"tasks", "tasks", tasks_cols, N(tasks_cols), "year", &task_units, NULL, NULL, 0, 0, 0},
};

int imp_dataset_count(void) { return N(datasets); }

const imp_dataset *imp_dataset_at(int i) {
    return i >= 0 && i < N(datasets) ? &datasets[i] : NULL;
}

const imp_dataset *imp_dataset_find(const char *name) {
    for (int i = 0; i < N(datasets); i++)
        if (!strcmp(datasets[i].name, name)) return &datasets[i];
    return NULL;
}

const char *imp_dataset_names(void) {
    static char names[128];
    if (!names[0])
        for (int i = 0; i < N(datasets); i++) {
            size_t n = strlen(names);
            snprintf(names + n, sizeof names - n, "%s%s", i ? " " : "", datasets[i].name);
        }
    return names;
}

int imp_dataset_column(const imp_dataset *ds, const char *name) {
    for (int i = 0; i < ds->ncols; i++)
        if (!strcmp(ds->cols[i].name, name)) return i;
    return -1;
}

int imp_dataset_values_sql(const imp_dataset *ds, char *buf, size_t cap) {
    size_t n;
    int k, first = 1;
    k = snprintf(buf, cap, "json_object(");
    if (k < 0 || (size_t)k >= cap) return -1;
    n = (size_t)k;
    for (int pass = 0; pass < 2; pass++)           /* stored columns, then unit lists */
        for (int i = 0; i < ds->ncols; i++) {
            const imp_column *c = &ds->cols[i];
            if (pass == 0 && c->db)
                k = snprintf(buf + n, cap - n, "%s'%s', %s", first ? "" : ", ", c->db, c->db);
            else if (pass == 1 && !c->db)
                k = snprintf(buf + n, cap - n,
                             "%s'%s', (SELECT group_concat(unit_id) FROM (SELECT unit_id FROM task_units x"
                             " WHERE x.year = t.year AND x.no = t.no AND x.role = '%s' ORDER BY unit_id))",
                             first ? "" : ", ", c->name, c->name);
            else continue;
            if (k < 0 || (size_t)k >= cap - n) return -1;
            n += (size_t)k;
            first = 0;
        }
    k = snprintf(buf + n, cap - n, ")");
    return k < 0 || (size_t)k >= cap - n ? -1 : 0;
}

const char *imp_accident_level(long long deaths, long long serious, double loss) {
    if (deaths >= 30 || serious >= 100 || loss >= 10000) return "特别重大";
    if (deaths >= 10 || serious >= 50 || loss >= 5000) return "重大";
    if (deaths >= 3 || serious >= 10 || loss >= 1000) return "较大";
    return "一般";
}

const char *imp_column_label(const imp_column *col, char *buf, size_t cap) {
    if (!yj_i18n_zh() || !col->aliases || !*col->aliases) return col->name;
    size_t n = strcspn(col->aliases, "|");
    if (n >= cap) return col->name;
    memcpy(buf, col->aliases, n);
    buf[n] = '\0';
    return buf;
}
