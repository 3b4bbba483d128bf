/*
 * model.h - the data model: every import KIND of interfaces.md as one table
 * of columns.  The importer validates against it, the store builds its SQL
 * from it, and docs can be generated from it: one table, three uses.
 *
 * Values travel as struct jx_value, already parsed: money in fen, rates and
 * decimals as JX_DEC_SCALE fixed point, dates as text "YYYY-MM-DD" (stored so,
 * readable in the database), times as text "YYYY-MM-DD HH:MM".
 */
#ifndef JX_MODEL_H
#define JX_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum jx_type {
    JX_T_ID,      /* identifier: 1-64 bytes, no spaces, commas or control characters */
    JX_T_TEXT,    /* free text (UTF-8), up to 1000 bytes */
    JX_T_ENUM,    /* one of column->values */
    JX_T_MONEY,   /* yuan with at most 2 decimals -> int64 fen */
    JX_T_DEC,     /* plain decimal -> int64 * 10^9 */
    JX_T_PERCENT, /* "5" or "5%" means 5% -> fraction * 10^9 */
    JX_T_INT,     /* whole number >= 0 */
    JX_T_BOOL,    /* 0 or 1 */
    JX_T_DATE,    /* YYYY-MM-DD */
    JX_T_TIME,    /* YYYY-MM-DD HH:MM */
    JX_T_PERIOD,  /* 2025-08, 2025-Q3, 2025 */
    JX_T_SPLIT,   /* "P1:60;P2:40": person ids and percentage shares summing to 100 */
};

enum jx_kind {
    JX_KIND_UNITS,
    JX_KIND_PEOPLE,
    JX_KIND_CUSTOMERS,
    JX_KIND_CONTRACTS,
    JX_KIND_PAYMENTS,
    JX_KIND_RETURNS,
    JX_KIND_TARGETS,
    JX_KIND_ATTENDANCE,
    JX_KIND_RATINGS,
    JX_KIND_VIOLATIONS,
    JX_KIND_COMPLAINTS,
    JX_KIND_EVENTS,
    JX_KIND_COSTS,
    JX_KIND_REPORTS,
    JX_KIND_CONTACTS,
    JX_KIND_COUNT,
    JX_KIND_NONE = -1
};

struct jx_column {
    const char *name;          /* CSV header and SQL column */
    enum jx_type type;
    bool required;
    const char *const *values; /* JX_T_ENUM: NULL-terminated list */
    enum jx_kind ref;          /* must name an existing row of this kind, or JX_KIND_NONE */
    const char *aliases;       /* Chinese header aliases, '|'-separated, or NULL */
    bool contract_level;       /* contracts: the same on every line of one contract */
};

struct jx_kind_def {
    const char *name;              /* KIND on the command line, and the SQL table */
    const struct jx_column *columns;
    size_t ncolumns;
    /*
     * Columns that identify a row: re-importing a row with the same key
     * replaces it.  Indexes into columns, -1 terminated.  For most kinds this
     * is the id column; for contracts it is (contract_id, line).
     */
    int key[8];
};

/* The table of kinds, indexed by enum jx_kind. */
extern const struct jx_kind_def jx_kinds[JX_KIND_COUNT];

/* The kind called name, or JX_KIND_NONE. */
enum jx_kind jx_kind_by_name(const char *name);

/* Index of column name (or one of its aliases) in kind, or -1. */
int jx_kind_column(enum jx_kind kind, const char *name, size_t len);

/* One parsed value.  For text-like types s/len point into the caller's memory. */
struct jx_value {
    bool null;
    int64_t i;      /* MONEY, DEC, PERCENT, INT, BOOL */
    const char *s;  /* ID, TEXT, ENUM, DATE, TIME, PERIOD, SPLIT (canonical text) */
    size_t len;
};

#endif
