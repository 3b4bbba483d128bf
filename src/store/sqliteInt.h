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
enum jx_status jx_sqlite_get_run(struct jx_store *base, const char *period, const char *run_id,
                                 const char *person_id, bool traces, struct jx_run_record *run,
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

/* ---- statement helpers (sqlite_util.c) ---- */

/* A statement parameter: text (NULL binds SQL NULL) or an integer. */
struct sq_arg {
    bool is_int;
    const char *s;
    long long i;
};

#define TXT(x) ((struct sq_arg){false, (x), 0})
#define INT(x) ((struct sq_arg){true, NULL, (x)})
#define NARGS(...) (sizeof((struct sq_arg[]){__VA_ARGS__}) / sizeof(struct sq_arg))
#define ARGS(...) (struct sq_arg[]){__VA_ARGS__}, NARGS(__VA_ARGS__)

/* Fail with SQLite's message for what failed. */
enum jx_status sqx_fail(struct sq_store *s, struct jx_err *err, const char *what);
enum jx_status sqx_nomem(struct jx_err *err);
/* Start a write transaction (how: "BEGIN IMMEDIATE"...); none may be open. */
enum jx_status sqx_begin(struct sq_store *s, const char *how, struct jx_err *err);
void sqx_rollback(struct sq_store *s);
enum jx_status sqx_commit(struct sq_store *s, struct jx_err *err);
/* Finalize *q, prepare sql into it and bind the n arguments. */
enum jx_status sqx_prep(struct sq_store *s, sqlite3_stmt **q, const char *sql,
                       const struct sq_arg *args, size_t n, struct jx_err *err);
/* Step once; *row (may be NULL) says whether a row came. */
enum jx_status sqx_step(struct sq_store *s, sqlite3_stmt *q, bool *row, const char *what,
                       struct jx_err *err);
/* Prepare, bind and run a statement that returns no row. */
enum jx_status sqx_run(struct sq_store *s, const char *sql, const struct sq_arg *args, size_t n,
                      const char *what, struct jx_err *err);

/* Users and sessions (sqlite_users.c). */
enum jx_status jx_sqlite_user_put(struct jx_store *base, const struct jx_user *u, bool create,
                                  const char *who, struct jx_err *err);
enum jx_status jx_sqlite_user_get(struct jx_store *base, const char *name, struct jx_user *u,
                                  struct jx_err *err);
enum jx_status jx_sqlite_user_list(struct jx_store *base, struct jx_user **out, size_t *n,
                                   struct jx_err *err);
enum jx_status jx_sqlite_session_put(struct jx_store *base, const char *token_hash,
                                     const struct jx_session *s, struct jx_err *err);
enum jx_status jx_sqlite_session_get(struct jx_store *base, const char *token_hash,
                                     struct jx_session *s, struct jx_err *err);
enum jx_status jx_sqlite_session_touch(struct jx_store *base, const char *token_hash,
                                       long long now, struct jx_err *err);
enum jx_status jx_sqlite_session_delete(struct jx_store *base, const char *token_hash,
                                        struct jx_err *err);
enum jx_status jx_sqlite_login_failure(struct jx_store *base, const char *user, long long now,
                                       struct jx_err *err);
enum jx_status jx_sqlite_runs(struct jx_store *base, const char *period, char **json,
                              struct jx_err *err);
enum jx_status jx_sqlite_audit_list(struct jx_store *base, long limit, char **json,
                                    struct jx_err *err);
enum jx_status jx_sqlite_org(struct jx_store *base, struct jx_org *org, struct jx_err *err);
enum jx_status jx_sqlite_periods(struct jx_store *base, struct jx_period_info **out, size_t *n,
                                 struct jx_err *err);
enum jx_status jx_sqlite_login_failures(struct jx_store *base, const char *user, long long since,
                                        long *n, struct jx_err *err);

#endif
