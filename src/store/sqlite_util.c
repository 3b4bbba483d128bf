/*
 * sqlite_util.c - small helpers the SQLite backend's files share: prepare
 * and bind in one call, step, run, transactions, errors.
 */
#include <sqlite3.h>

#include "store/sqliteInt.h"

/* Fail with SQLite's message for the failed step. */
enum jx_status sqx_fail(struct sq_store *s, struct jx_err *err, const char *what)
{
    return jx_err_set(err, JX_ESTORE, "%s: %s (%s)", what, sqlite3_errmsg(s->db), s->path);
}

/* The out-of-memory error. */
enum jx_status sqx_nomem(struct jx_err *err)
{
    return jx_err_set(err, JX_ENOMEM, "out of memory");
}

/* Start a write transaction; the caller must not have one open. */
enum jx_status sqx_begin(struct sq_store *s, const char *how, struct jx_err *err)
{
    if (s->in_tx)
        return jx_err_set(err, JX_EINTERNAL, "a transaction is already open");
    if (sqlite3_exec(s->db, how, NULL, NULL, NULL) != SQLITE_OK)
        return sqx_fail(s, err, "cannot start a transaction");
    return JX_OK;
}

/* Roll back the open transaction (the error that caused it is already set). */
void sqx_rollback(struct sq_store *s)
{
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Commit the open transaction. */
enum jx_status sqx_commit(struct sq_store *s, struct jx_err *err)
{
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        return sqx_fail(s, err, "cannot commit");
    return JX_OK;
}

/* Finalize *q, then prepare sql into it and bind the n arguments. */
enum jx_status sqx_prep(struct sq_store *s, sqlite3_stmt **q, const char *sql,
                           const struct sq_arg *args, size_t n, struct jx_err *err)
{
    sqlite3_finalize(*q);
    *q = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, q, NULL) != SQLITE_OK)
        return sqx_fail(s, err, "cannot prepare a statement");
    for (size_t i = 0; i < n; i++) {
        int rc = args[i].is_int ? sqlite3_bind_int64(*q, (int)i + 1, args[i].i)
                 : args[i].s    ? sqlite3_bind_text(*q, (int)i + 1, args[i].s, -1, SQLITE_STATIC)
                                : sqlite3_bind_null(*q, (int)i + 1);
        if (rc != SQLITE_OK)
            return sqx_fail(s, err, "cannot bind a parameter");
    }
    return JX_OK;
}

/*
 * Step a prepared statement once: *row says whether it gave a row.  A
 * constraint violation (a trigger) is an internal error, as the checks
 * before each write should have refused it.
 */
enum jx_status sqx_step(struct sq_store *s, sqlite3_stmt *q, bool *row, const char *what,
                           struct jx_err *err)
{
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
        if (row)
            *row = rc == SQLITE_ROW;
        return JX_OK;
    }
    return sqx_fail(s, err, what);
}

/* Prepare, bind and run a statement that returns no row. */
enum jx_status sqx_run(struct sq_store *s, const char *sql, const struct sq_arg *args, size_t n,
                          const char *what, struct jx_err *err)
{
    sqlite3_stmt *q = NULL;
    enum jx_status st = sqx_prep(s, &q, sql, args, n, err);
    if (!st)
        st = sqx_step(s, q, NULL, what, err);
    sqlite3_finalize(q);
    return st;
}

