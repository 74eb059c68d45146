/* dataset.h — THE dataset registry: every dataset of shared/spec/data.md with its
 * table, columns (header names and aliases, types, the natural key: the IMP_KEY
 * columns), the date `info` shows, side tables, checks between columns and the accident
 * level rule. The importer (imp_*.c), `info` (cmd_info.c), `info --check` (db_check.c)
 * and the test fixture (script_fixture.c) iterate it; a dataset is added here.
 *
 * Revisions: every dataset keeps the old values of a changed record in `revisions`,
 * under its name and its natural key ("k1|k2", units by code).
 * Pure data and lookups: no errors, no allocation. */
#ifndef YJ_DATASET_H
#define YJ_DATASET_H

typedef enum {
    IMP_TEXT,      /* trimmed text */
    IMP_INT,       /* integer */
    IMP_DEC,       /* decimal */
    IMP_DATE,      /* date only */
    IMP_DATETIME,  /* date, optionally with a time */
    IMP_BOOL,
    IMP_UNIT,      /* one unit: code, name or alias -> units.id */
    IMP_UNITS,     /* a list of units separated by 、 ; ； , ， */
    IMP_SECTOR,    /* sector code or Chinese name -> sectors.code */
    IMP_ENUM,      /* one of the choices */
    IMP_YEAR,      /* integer 1900..2100 */
    IMP_PERIOD     /* annual / Q1..Q4 / H1 H2 / YYYY-MM */
} imp_type;

enum {
    IMP_REQ = 1,        /* the column must be present and the cell non-empty */
    IMP_NONNEG = 2,     /* number >= 0 */
    IMP_KEY = 4,        /* part of the record's key */
    IMP_IN_WAN = 8,     /* money stored in 万元: a "(元)" header divides by 10,000 */
    IMP_IN_YUAN = 16,   /* money stored in 元: a "(万元)" header multiplies by 10,000 */
    IMP_DEPT = 32,      /* the unit must be a department */
    IMP_WORDS = 64      /* IMP_TEXT: a list of words (separated as IMP_UNITS), stored
                           joined by ';' and each word a row of the side table */
};

typedef struct {
    const char *name;      /* canonical header, also the stored column unless db says otherwise */
    const char *aliases;   /* '|'-separated header aliases */
    imp_type type;
    unsigned flags;
    const char *db;        /* stored column; NULL: not a column of the table (task unit lists) */
    const char *choices;   /* IMP_ENUM: "code=word,word;code=word" (the code itself matches too) */
    const char *def;       /* value of an empty optional cell (as text), NULL for SQL NULL */
} imp_column;

/* A check between columns of one row, by column name (the importer reports a row
 * error, or for IMP_CHECK_LEVEL a warning, naming the row's line and column). */
typedef enum {
    IMP_CHECK_NOT_BEFORE,  /* a (date text) is not before b, when both are given */
    IMP_CHECK_AT_MOST,     /* a (integer) is at most b, when both are given */
    IMP_CHECK_LEVEL        /* a: the accident level; cols b..: deaths, missing, serious
                              injuries, direct loss (万元): an empty level becomes
                              imp_accident_level's, a different one is kept with a warning */
} imp_check_kind;

typedef struct {
    imp_check_kind kind;
    const char *a, *b;     /* column names (canonical) */
    const char *more[3];   /* IMP_CHECK_LEVEL: missing, serious_injuries, direct_loss */
} imp_check;

/* A side table: rows a record owns in another table, rewritten whenever the record is
 * stored (inside a savepoint with it). Its unit_id column names a unit. */
typedef struct {
    const char *table;
    const char *del_sql;   /* deletes the record's rows: ?1 the unit id (by_rowid), else ?1.. its key */
    const char *ins_sql;   /* one row: (word, unit id) (by_rowid), else (key..., unit id, role) */
    int by_rowid;          /* rows hang on the record's rowid (units.id), not its key */
    const char *orphan_what, *orphan_sql;   /* `info --check`: rows without their record
                                               (NULL: the record is their unit) */
} imp_side;

enum {
    IMP_DS_LOG_FIRST = 1   /* rows reference their import's log row (units.batch
                              REFERENCES imports): the row is written before them */
};

typedef struct {
    const char *name;      /* units, accidents, ... (also revisions.dataset) */
    const char *table;
    const imp_column *cols;
    int ncols;
    const char *date_expr; /* SQL of the date `info` shows the range of; NULL: none */
    const imp_side *side;  /* NULL: none (then rows are inserted many at once) */
    const char *unique;    /* another UNIQUE column, named when a row collides on it */
    const imp_check *checks;
    int nchecks;
    char fixture_id;       /* fixture rows without an id get "<this><row number>"; 0: none */
    unsigned flags;        /* IMP_DS_* */
} imp_dataset;

/* The datasets, in load order (units first: the others refer to them). */
int imp_dataset_count(void);
const imp_dataset *imp_dataset_at(int i);

/* The dataset named name, or NULL. */
const imp_dataset *imp_dataset_find(const char *name);

/* The names of all datasets, space-separated (for messages). */
const char *imp_dataset_names(void);

/* Index of the column named name (canonical) in ds, or -1. */
int imp_dataset_column(const imp_dataset *ds, const char *name);
/* A column's name for people: its Chinese title (the first header alias, copied into
 * buf) when messages are Chinese, else its name (static). */
const char *imp_column_label(const imp_column *col, char *buf, size_t cap);

/* Writes into buf the SQL expression of a record's values as one JSON object, over the
 * dataset's table named `t`: 'column', t.column for every stored column, then each unit
 * list (tasks) as its sorted unit ids joined by ','. This is revisions.old_values and
 * what `yingji history` compares versions by. 0, or -1 when cap is too small. */
int imp_dataset_values_sql(const imp_dataset *ds, char *buf, size_t cap);

/* The accident level (一般/较大/重大/特别重大) of Decree No. 493 art. 3, reached by any
 * one figure: deaths including missing persons, serious injuries, direct loss in 万元. */
const char *imp_accident_level(long long deaths_and_missing, long long serious, double loss_wan);

#endif
