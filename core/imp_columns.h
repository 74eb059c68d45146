/* imp_columns.h — the datasets of shared/spec/data.md as tables of columns, and the
 * matching of a file's header cells to them (canonical name or Chinese alias, with a
 * money unit suffix such as "(万元)" deciding the scale). */
#ifndef YJ_IMP_COLUMNS_H
#define YJ_IMP_COLUMNS_H

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
    IMP_DEPT = 32       /* the unit must be a department */
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

typedef struct {
    const char *name;      /* units, accidents, ... */
    const char *table;
    const imp_column *cols;
    int ncols;
} imp_dataset;

/* The dataset named name, or NULL. */
const imp_dataset *imp_dataset_find(const char *name);

/* The names of all datasets, space-separated (for messages). */
const char *imp_dataset_names(void);

/* Index of the column that header names (trimmed, case-insensitive, bracketed unit
 * suffix removed), or -1. *scale is the factor to apply to the cell values. */
int imp_header_match(const imp_dataset *ds, const char *header, double *scale);

/* The stored code of a choice word of an IMP_ENUM column, copied into out (cap bytes);
 * 0, or -1 when word is not a choice. */
int imp_enum_code(const imp_column *c, const char *word, char *out, int cap);

#endif
