/*
 * sqliteInt.h - the SQLite backend's private state, shared by its files
 * (sqlite.c: schema and writes; sqlite_load.c: loading a run's input).
 */
#ifndef JX_SQLITE_INT_H
#define JX_SQLITE_INT_H

#include <sqlite3.h>

#include "store/storeInt.h"

struct sq_store {
    struct jx_store base;
    sqlite3 *db;
    char path[512];
    bool in_tx;
    sqlite3_stmt *put[JX_KIND_COUNT];      /* upsert of one row (contracts: header) */
    sqlite3_stmt *exists[JX_KIND_COUNT];
    sqlite3_stmt *seen;                    /* contracts seen in this transaction */
    sqlite3_stmt *line;                    /* insert one contract line */
    sqlite3_stmt *drop_lines, *drop_splits, *split;
    sqlite3_stmt *locked, *audit;
};

/* Load every input table into columns (engine/data.h). */
enum jx_status jx_sqlite_load(struct jx_store *base, struct jx_data *d, struct jx_err *err);

enum jx_status jx_sqlite_save_run(struct jx_store *base, const struct jx_run_record *run,
                                  struct jx_err *err);
enum jx_status jx_sqlite_get_run(struct jx_store *base, const char *period,
                                 const char *person_id, struct jx_run_record *run,
                                 struct jx_err *err);
enum jx_status jx_sqlite_lock_period(struct jx_store *base, const char *period, const char *who,
                                     struct jx_err *err);

#endif
