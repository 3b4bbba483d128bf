/*
 * sqliteInt.h - the SQLite backend's private state, shared by its files
 * (sqlite.c: schema and writes; sqlite_load.c: loading a run's input;
 * sqlite_runs.c: runs and locks; sqlite_workflow.c: publications and appeals).
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

/* The appraisal workflow (sqlite_workflow.c). */
enum jx_status jx_sqlite_publish(struct jx_store *base, const struct jx_publication *pub,
                                 bool *published, struct jx_err *err);
enum jx_status jx_sqlite_workflow(struct jx_store *base, const char *period,
                                  struct jx_workflow *wf, struct jx_err *err);
enum jx_status jx_sqlite_appeal_period(struct jx_store *base, long long id, char *buf,
                                       struct jx_err *err);
enum jx_status jx_sqlite_appeal_add(struct jx_store *base, const struct jx_appeal *ap,
                                    long long *id, struct jx_err *err);
enum jx_status jx_sqlite_appeal_decide(struct jx_store *base, const struct jx_appeal_decision *d,
                                       int *version, struct jx_err *err);
enum jx_status jx_sqlite_result_versions(struct jx_store *base, const char *period,
                                         const char *person_id, struct jx_result_versions *out,
                                         struct jx_err *err);

#endif
