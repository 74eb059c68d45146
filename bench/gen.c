/* gen.c — deterministic generator of yingji datasets in the formats of shared/spec/data.md,
 * for benchmarks and large tests. Same arguments, same bytes: a fixed-seed xorshift PRNG,
 * no libc rand, no clock. Writes CSV (UTF-8, canonical headers, LF) to stdout.
 *
 * usage: gen [--seed S] [--units U] [--year Y] DATASET [N]
 *   units N          N area units and 20 departments:
 *                      U00001..U<N> (5 digits; U<6 digits> past 99,999), kind by number:
 *                      i % 10 in 0..5 township, 6..8 street, 9 zone; name "<区域>i<镇|街道|开发区>";
 *                      D01..D20 departments (D01 is 市应急管理局).
 *   inspections N    N inspections JC00000001.., dates over years Y-1 and Y, units U00001..U<U>
 *   accidents N      N accidents SG00000001.., date-times over years Y-1 and Y
 *   targets          deaths_cap, accidents_cap, inspections_plan, drills_min for every area
 *                    unit, years Y-1 and Y
 *   assessments      drills, training_hours, inspections_done (annual) and
 *                    inspections_done for Q1..Q4 for every area unit, year Y
 *   tasks N          N work items of year Y, each led by a department with 0-3 cooperating units
 * --units U (default 3000) must match the `units` file the data is imported against;
 * --year Y defaults to 2020; --seed S (default 1) changes the values, never the shape.
 *
 * A "province": gen units 3000 > u.csv; gen inspections 10000000 > i.csv (about 1.2 GB,
 * seconds). Other benchmarks may rely on the unit codes above: keep them stable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long rng_state = 0x9E3779B97F4A7C15ULL;

static unsigned long long next(void) {      /* xorshift64* */
    unsigned long long x = rng_state;
    x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
    rng_state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static unsigned pick(unsigned n) { return (unsigned)((next() >> 32) % n); }

/* ===== buffered output ===== */

static char obuf[1 << 20];
static size_t olen;

static void flush(void) { fwrite(obuf, 1, olen, stdout); olen = 0; }
static void put(const char *s) {
    size_t n = strlen(s);
    if (olen + n > sizeof obuf) flush();
    memcpy(obuf + olen, s, n);
    olen += n;
}
static void putc1(char c) { if (olen + 1 > sizeof obuf) flush(); obuf[olen++] = c; }
/* Unsigned number, zero-padded to width digits (0: no padding). */
static void putnum(unsigned long long v, int width) {
    char t[24];
    int n = 0;
    do { t[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n < width) t[n++] = '0';
    if (olen + (size_t)n > sizeof obuf) flush();
    while (n) obuf[olen++] = t[--n];
}

/* ===== shared pieces ===== */

static const char *const sectors[] = {"road", "construction", "hazchem", "mining", "industry",
    "fire", "special_equipment", "gas", "fireworks", "waterway", "agri_machinery", "other"};
static const char *const kinds[] = {"plan", "random", "special", "complaint", "other"};
static const char *const areas[] = {"东", "西", "南", "北", "中", "青山", "河口", "新华", "长安", "丰乐"};
static const char *const depts[] = {"市应急管理局", "市交通运输局", "市住房和城乡建设局",
    "市市场监督管理局", "市消防救援支队", "市公安局交通警察支队", "市农业农村局", "市城市管理局",
    "市生态环境局", "市自然资源和规划局", "市水利局", "市商务局", "市教育局", "市卫生健康委员会",
    "市文化广电旅游局", "市工业和信息化局", "市发展和改革委员会", "市林业局", "市气象局", "市海事局"};

static void unit_code(unsigned i) { putc1('U'); putnum(i, 5); }
static void dept_code(unsigned i) { putc1('D'); putnum(i, 2); }

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* A random date of years y-1..y as YYYY-MM-DD. */
static void put_date(int year) {
    static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = year - (int)pick(2);
    int doy = (int)pick(365u + (unsigned)is_leap(y)), m = 0;
    for (;; m++) {
        int len = md[m] + (m == 1 && is_leap(y));
        if (doy < len) break;
        doy -= len;
    }
    putnum((unsigned)y, 4); putc1('-'); putnum((unsigned)m + 1, 2); putc1('-'); putnum((unsigned)doy + 1, 2);
}

/* ===== datasets ===== */

static void gen_units(unsigned n) {
    static const char *const suffix[] = {"镇", "镇", "镇", "镇", "镇", "镇", "街道", "街道", "街道", "开发区"};
    static const char *const kind[] = {"township", "township", "township", "township", "township",
                                       "township", "street", "street", "street", "zone"};
    put("code,name,kind,aliases\n");
    for (unsigned i = 1; i <= n; i++) {
        unit_code(i); putc1(',');
        put(areas[i % 10]); putnum(i, 0); put(suffix[i % 10]); putc1(',');
        put(kind[i % 10]); putc1(',');
        put(areas[i % 10]); putnum(i, 0); putc1('\n');
    }
    for (unsigned d = 1; d <= 20; d++) {
        dept_code(d); putc1(','); put(depts[d - 1]); put(",department,\n");
    }
}

static void gen_inspections(unsigned long long n, unsigned units, int year) {
    put("id,inspected_on,unit,sector,enterprise,kind,hazards_found,major_hazards,"
        "hazards_rectified,penalty_cases,fine,suspended,inspector\n");
    for (unsigned long long i = 1; i <= n; i++) {
        unsigned u = 1 + pick(units);
        unsigned found = pick(10), major = pick(8) == 0 ? pick(found + 1) : 0;
        unsigned rect = found ? found - pick(found + 1) / 2 : 0, pen = pick(6) == 0 ? 1 + pick(2) : 0;
        put("JC"); putnum(i, 8); putc1(',');
        put_date(year); putc1(',');
        unit_code(u); putc1(',');
        put(sectors[pick(12)]); put(",企业"); putnum(u, 0); putc1('-'); putnum(pick(50), 0); putc1(',');
        put(kinds[pick(5)]); putc1(',');
        putnum(found, 0); putc1(','); putnum(major, 0); putc1(','); putnum(rect, 0); putc1(',');
        putnum(pen, 0); putc1(','); putnum(pen ? 1000ULL * (1 + pick(50)) : 0, 0); putc1(',');
        putnum(pick(20) == 0, 0); putc1(',');
        dept_code(1 + pick(4)); putc1('\n');
    }
}

static void gen_accidents(unsigned long long n, unsigned units, int year) {
    put("id,occurred_at,unit,sector,deaths,missing,serious_injuries,injuries,direct_loss,"
        "report_status,production,written_off,summary\n");
    static const char *const status[] = {"normal", "normal", "normal", "normal", "normal",
                                         "normal", "normal", "late", "omitted", "concealed"};
    for (unsigned long long i = 1; i <= n; i++) {
        unsigned sev = pick(100);
        unsigned deaths = sev < 70 ? 0 : sev < 95 ? 1 + pick(2) : 3 + pick(8);
        put("SG"); putnum(i, 8); putc1(',');
        put_date(year); putc1(' '); putnum(pick(24), 2); putc1(':'); putnum(pick(60), 2); putc1(',');
        unit_code(1 + pick(units)); putc1(',');
        put(sectors[pick(12)]); putc1(',');
        putnum(deaths, 0); putc1(','); putnum(pick(50) == 0, 0); putc1(',');
        putnum(pick(4) == 0 ? pick(5) : 0, 0); putc1(','); putnum(pick(6), 0); putc1(',');
        putnum(pick(500), 0); putc1('.'); putnum(pick(100), 2); putc1(',');
        put(status[pick(10)]); putc1(',');
        putnum(pick(10) != 0, 0); putc1(','); putnum(pick(50) == 0, 0); putc1(',');
        put("事故"); putnum(i, 0); putc1('\n');
    }
}

static void gen_targets(unsigned units, int year) {
    static const char *const ind[] = {"deaths_cap", "accidents_cap", "inspections_plan", "drills_min"};
    put("year,unit,indicator,value\n");
    for (int y = year - 1; y <= year; y++)
        for (unsigned u = 1; u <= units; u++)
            for (int k = 0; k < 4; k++) {
                unsigned v = k == 0 ? 1 + pick(3) : k == 1 ? 3 + pick(10) : k == 2 ? 200 + pick(800) : 2 + pick(10);
                putnum((unsigned)y, 4); putc1(','); unit_code(u); putc1(',');
                put(ind[k]); putc1(','); putnum(v, 0); putc1('\n');
            }
}

static void gen_assessments(unsigned units, int year) {
    static const char *const ind[] = {"drills", "training_hours", "inspections_done"};
    static const char *const q[] = {"Q1", "Q2", "Q3", "Q4"};
    put("year,period,unit,indicator,value,evidence\n");
    for (unsigned u = 1; u <= units; u++) {
        for (int k = 0; k < 3; k++) {
            putnum((unsigned)year, 4); put(",annual,"); unit_code(u); putc1(',');
            put(ind[k]); putc1(','); putnum(pick(k == 2 ? 1000 : 60), 0); put(",\n");
        }
        for (int k = 0; k < 4; k++) {
            putnum((unsigned)year, 4); putc1(','); put(q[k]); putc1(','); unit_code(u);
            put(",inspections_done,"); putnum(pick(300), 0); put(",\n");
        }
    }
}

static void gen_tasks(unsigned long long n, unsigned units, int year) {
    put("year,no,title,lead,cooperating\n");
    for (unsigned long long i = 1; i <= n; i++) {
        putnum((unsigned)year, 4); putc1(','); putnum(i, 0); put(",重点工作"); putnum(i, 0); putc1(',');
        dept_code(1 + pick(20)); put(",\"");
        unsigned c = pick(4);
        for (unsigned k = 0; k < c; k++) { if (k) put("、"); unit_code(1 + pick(units)); }
        put("\"\n");
    }
}

static int usage(void) {
    fprintf(stderr, "usage: gen [--seed S] [--units U] [--year Y] "
                    "units N | inspections N | accidents N | targets | assessments | tasks N\n");
    return 1;
}

int main(int argc, char **argv) {
    unsigned long long seed = 1, n = 0;
    unsigned units = 3000;
    int year = 2020, i = 1;
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (!strcmp(argv[i], "--seed")) seed = strtoull(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--units")) units = (unsigned)strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--year")) year = atoi(argv[i + 1]);
        else return usage();
    }
    if (i >= argc || units == 0 || units > 999999 || year < 1901 || year > 2100) return usage();
    const char *what = argv[i];
    if (i + 1 < argc) n = strtoull(argv[i + 1], NULL, 10);
    rng_state ^= seed * 0xD1B54A32D192ED03ULL;
    if (!rng_state) rng_state = 1;
    for (int k = 0; k < 4; k++) next();
    if (!strcmp(what, "units") && n) gen_units((unsigned)n);
    else if (!strcmp(what, "inspections") && n) gen_inspections(n, units, year);
    else if (!strcmp(what, "accidents") && n) gen_accidents(n, units, year);
    else if (!strcmp(what, "targets")) gen_targets(units, year);
    else if (!strcmp(what, "assessments")) gen_assessments(units, year);
    else if (!strcmp(what, "tasks") && n) gen_tasks(n, units, year);
    else return usage();
    flush();
    return ferror(stdout) ? 1 : 0;
}
