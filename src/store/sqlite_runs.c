/*
 * sqlite_runs.c - storing and reading calculation runs, and locking periods.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "store/sqliteInt.h"

static enum jx_status fail(struct sq_store *s, struct jx_err *err, const char *what)
{
    return jx_err_set(err, JX_ESTORE, "%s: %s (%s)", what, sqlite3_errmsg(s->db), s->path);
}

static void rollback(struct sq_store *s)
{
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

enum jx_status jx_sqlite_save_run(struct jx_store *base, const struct jx_run_record *run,
                                  struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    sqlite3_stmt *q = NULL;
    bool locked;
    enum jx_status st;
    sqlite3_int64 seq;

    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return fail(s, err, "cannot start a transaction");
    if ((st = base->ops->period_locked(base, run->period, &locked, err)))
        goto out;
    if (locked) {
        st = jx_err_set(err, JX_ELOCKED,
                        "period %s is locked: it is never recomputed (corrections go into the "
                        "next open period)",
                        run->period);
        goto out;
    }
    if (sqlite3_prepare_v2(s->db, "DELETE FROM runs WHERE id=?", -1, &q, NULL) != SQLITE_OK)
        goto sqlfail;
    sqlite3_bind_text(q, 1, run->id, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_DONE)
        goto sqlfail;
    sqlite3_finalize(q);
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO runs(id,period,plans,input_hash,created_by) "
                           "VALUES(?,?,?,?,?)",
                           -1, &q, NULL) != SQLITE_OK)
        goto sqlfail;
    sqlite3_bind_text(q, 1, run->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, run->period, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, run->plans, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, run->input_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, run->created_by ? run->created_by : "cli", -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_DONE)
        goto sqlfail;
    sqlite3_finalize(q);
    seq = sqlite3_last_insert_rowid(s->db);
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO run_results(run_seq,person_id,result,trace,carry_out) "
                           "VALUES(?,?,?,?,?)",
                           -1, &q, NULL) != SQLITE_OK)
        goto sqlfail;
    for (size_t i = 0; i < run->nrows; i++) {
        const struct jx_run_row *r = &run->rows[i];
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, seq);
        sqlite3_bind_text(q, 2, r->person_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, r->result, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 4, r->trace, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 5, r->carry_out);
        if (sqlite3_step(q) != SQLITE_DONE)
            goto sqlfail;
    }
    sqlite3_finalize(q);
    q = NULL;
    if (sqlite3_prepare_v2(s->db, "INSERT INTO run_plans(run_seq,pos,file,text) VALUES(?,?,?,?)",
                           -1, &q, NULL) != SQLITE_OK)
        goto sqlfail;
    for (size_t i = 0; i < run->nplan_texts; i++) {
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, seq);
        sqlite3_bind_int64(q, 2, (sqlite3_int64)i);
        sqlite3_bind_text(q, 3, run->plan_files[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 4, run->plan_texts[i], (int)run->plan_lens[i], SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_DONE)
            goto sqlfail;
    }
    sqlite3_finalize(q);
    q = NULL;
    if ((st = base->ops->audit(base, run->created_by, "run", run->period, NULL, run->id, err)))
        goto out;
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        goto sqlfail;
    return JX_OK;
sqlfail:
    st = fail(s, err, "cannot store the run");
out:
    sqlite3_finalize(q);
    rollback(s);
    return st;
}

enum jx_status jx_sqlite_get_run(struct jx_store *base, const char *period, const char *run_id,
                                 const char *person_id, bool traces, struct jx_run_record *run,
                                 struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    sqlite3_stmt *q = NULL;
    struct jx_arena *a = jx_calloc(1, sizeof *a);
    sqlite3_int64 seq;
    size_t cap = 0;
    enum jx_status st = JX_OK;

    memset(run, 0, sizeof *run);
    if (!a)
        return jx_err_set(err, JX_ENOMEM, "out of memory");
    run->arena = a;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT seq,id,period,plans,input_hash,created_by FROM runs "
                           "WHERE period=?1 AND (?2 IS NULL OR id=?2) ORDER BY seq DESC LIMIT 1",
                           -1, &q, NULL) != SQLITE_OK)
        goto sqlfail;
    sqlite3_bind_text(q, 1, period, -1, SQLITE_STATIC);
    if (run_id)
        sqlite3_bind_text(q, 2, run_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_DONE) {
        st = run_id ? jx_err_set(err, JX_ENOTFOUND, "period %s has no run %s", period, run_id)
                    : jx_err_set(err, JX_ENOTFOUND, "period %s has no run yet: use 'jixiao run'",
                                 period);
        goto out;
    }
    if (rc != SQLITE_ROW)
        goto sqlfail;
    seq = sqlite3_column_int64(q, 0);
    const char **f[] = {&run->id, &run->period, &run->plans, &run->input_hash, &run->created_by};
    for (int i = 0; i < 5; i++) {
        const unsigned char *t = sqlite3_column_text(q, i + 1);
        if (!(*f[i] = jx_arena_strndup(a, t ? (const char *)t : "",
                                       (size_t)sqlite3_column_bytes(q, i + 1))))
            goto nomem;
    }
    sqlite3_finalize(q);
    if (sqlite3_prepare_v2(s->db,
                           person_id ? (traces ? "SELECT person_id,result,trace,carry_out FROM "
                                                 "run_results WHERE run_seq=? AND person_id=? "
                                                 "ORDER BY person_id"
                                               : "SELECT person_id,result,'',carry_out FROM "
                                                 "run_results WHERE run_seq=? AND person_id=? "
                                                 "ORDER BY person_id")
                           : traces ? "SELECT person_id,result,trace,carry_out FROM run_results "
                                      "WHERE run_seq=? ORDER BY person_id"
                                    : "SELECT person_id,result,'',carry_out FROM run_results "
                                      "WHERE run_seq=? ORDER BY person_id",
                           -1, &q, NULL) != SQLITE_OK)
        goto sqlfail;
    sqlite3_bind_int64(q, 1, seq);
    if (person_id)
        sqlite3_bind_text(q, 2, person_id, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (run->nrows == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            struct jx_run_row *rows = jx_arena_calloc(a, ncap, sizeof *rows);
            if (!rows)
                goto nomem;
            if (run->nrows)
                memcpy(rows, run->rows, run->nrows * sizeof *rows);
            run->rows = rows;
            cap = ncap;
        }
        struct jx_run_row *r = &run->rows[run->nrows];
        const char **g[] = {&r->person_id, &r->result, &r->trace};
        for (int i = 0; i < 3; i++) {
            const unsigned char *t = sqlite3_column_text(q, i);
            if (!(*g[i] = jx_arena_strndup(a, t ? (const char *)t : "",
                                           (size_t)sqlite3_column_bytes(q, i))))
                goto nomem;
        }
        r->carry_out = sqlite3_column_int64(q, 3);
        run->nrows++;
    }
    if (rc != SQLITE_DONE)
        goto sqlfail;
    sqlite3_finalize(q);
    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM run_plans WHERE run_seq=?", -1, &q,
                           NULL) != SQLITE_OK)
        goto sqlfail;
    sqlite3_bind_int64(q, 1, seq);
    size_t np = sqlite3_step(q) == SQLITE_ROW ? (size_t)sqlite3_column_int64(q, 0) : 0;
    sqlite3_finalize(q);
    if (!(run->plan_files = jx_arena_calloc(a, np + 1, sizeof *run->plan_files)) ||
        !(run->plan_texts = jx_arena_calloc(a, np + 1, sizeof *run->plan_texts)) ||
        !(run->plan_lens = jx_arena_calloc(a, np + 1, sizeof *run->plan_lens)))
        goto nomem;
    if (sqlite3_prepare_v2(s->db, "SELECT file,text FROM run_plans WHERE run_seq=? ORDER BY pos",
                           -1, &q, NULL) != SQLITE_OK)
        goto sqlfail;
    sqlite3_bind_int64(q, 1, seq);
    while (run->nplan_texts < np && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        size_t i = run->nplan_texts;
        const unsigned char *fl = sqlite3_column_text(q, 0), *tx = sqlite3_column_text(q, 1);
        run->plan_lens[i] = (size_t)sqlite3_column_bytes(q, 1);
        if (!(run->plan_files[i] = jx_arena_strndup(a, fl ? (const char *)fl : "",
                                                    (size_t)sqlite3_column_bytes(q, 0))) ||
            !(run->plan_texts[i] = jx_arena_strndup(a, tx ? (const char *)tx : "",
                                                    run->plan_lens[i])))
            goto nomem;
        run->nplan_texts++;
    }
    goto out;
nomem:
    st = jx_err_set(err, JX_ENOMEM, "out of memory");
    goto out;
sqlfail:
    st = fail(s, err, "cannot read the run");
out:
    sqlite3_finalize(q);
    if (st)
        jx_run_record_release(run);
    return st;
}

enum jx_status jx_sqlite_lock_period(struct jx_store *base, const char *period, const char *who,
                                     struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    struct jx_run_record run;
    sqlite3_stmt *q = NULL;
    enum jx_status st;
    if ((st = jx_sqlite_get_run(base, period, NULL, "", false, &run, err)))
        return st;
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        jx_run_record_release(&run);
        return fail(s, err, "cannot start a transaction");
    }
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO periods(period,locked_at,locked_by,last_run) VALUES("
                           "?, strftime('%Y-%m-%d %H:%M:%S','now','+8 hours'), ?, ?) "
                           "ON CONFLICT(period) DO NOTHING",
                           -1, &q, NULL) != SQLITE_OK)
        goto sqlfail;
    sqlite3_bind_text(q, 1, period, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, who ? who : "cli", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, run.id, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_DONE)
        goto sqlfail;
    if (sqlite3_changes(s->db) == 0) {
        st = jx_err_set(err, JX_ELOCKED, "period %s is already locked", period);
        goto out;
    }
    sqlite3_finalize(q);
    q = NULL;
    if ((st = base->ops->audit(base, who, "lock", period, NULL, run.id, err)))
        goto out;
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        goto sqlfail;
    jx_run_record_release(&run);
    return JX_OK;
sqlfail:
    st = fail(s, err, "cannot lock the period");
out:
    sqlite3_finalize(q);
    rollback(s);
    jx_run_record_release(&run);
    return st;
}
