/*
 * sqlite_workflow.c - the appraisal workflow in SQLite: publications,
 * appeals and the versions of published results (migration 003).
 *
 * Each write runs in its own IMMEDIATE transaction, does its checks inside
 * it, and writes its audit log entries (JSON built by SQLite's json_object)
 * before committing; a refused write leaves nothing behind.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "store/sqliteInt.h"

/* Column i as text (never NULL: SQL NULL gives ""). */
static const char *text(sqlite3_stmt *q, int i)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    return t ? (const char *)t : "";
}

/*
 * Copy column i into the arena: *out is NULL for SQL NULL.  Returns false
 * when out of memory.
 */
static bool col(struct jx_arena *a, sqlite3_stmt *q, int i, const char **out)
{
    if (sqlite3_column_type(q, i) == SQLITE_NULL) {
        *out = NULL;
        return true;
    }
    *out = jx_arena_strndup(a, text(q, i), (size_t)sqlite3_column_bytes(q, i));
    return *out != NULL;
}

/*
 * Make room for one more element in an arena array *arr of *n elements of
 * size, capacity *cap.  Returns false when out of memory.
 */
static bool grow(struct jx_arena *a, void **arr, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return true;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *p = jx_arena_calloc(a, ncap, size);
    if (!p)
        return false;
    if (n)
        memcpy(p, *arr, n * size);
    *arr = p;
    *cap = ncap;
    return true;
}

/*
 * Evaluate a one-value SELECT (json_object(...) for the audit log) and
 * return its text in *out, jx_malloc'd (the caller frees it).
 */
static enum jx_status json_text(struct sq_store *s, const char *sql, const struct sq_arg *args,
                                size_t n, char **out, struct jx_err *err)
{
    sqlite3_stmt *q = NULL;
    bool row = false;
    enum jx_status st = sqx_prep(s, &q, sql, args, n, err);
    *out = NULL;
    if (!st)
        st = sqx_step(s, q, &row, "cannot build the audit record", err);
    if (!st && row) {
        size_t len = (size_t)sqlite3_column_bytes(q, 0);
        if (!(*out = jx_malloc(len + 1)))
            st = sqx_nomem(err);
        else {
            memcpy(*out, text(q, 0), len);
            (*out)[len] = '\0';
        }
    }
    sqlite3_finalize(q);
    return st;
}

/* Write an audit record whose before and after are built by SQL (either may be NULL). */
static enum jx_status audit(struct sq_store *s, const char *who, const char *action,
                            const char *what, const char *before_sql, const struct sq_arg *bargs,
                            size_t nb, const char *after_sql, const struct sq_arg *aargs, size_t na,
                            struct jx_err *err)
{
    char *before = NULL, *after = NULL;
    enum jx_status st = JX_OK;
    if (before_sql)
        st = json_text(s, before_sql, bargs, nb, &before, err);
    if (!st && after_sql)
        st = json_text(s, after_sql, aargs, na, &after, err);
    if (!st)
        st = s->base.ops->audit(&s->base, who, action, what, before, after, err);
    free(before);
    free(after);
    return st;
}

/* The period's current publication: its seq, number, time and window (0 when none). */
struct current {
    long long seq;
    int number;
    char run_id[128];
    char published_at[24];
    char window_closes[16];
    int appeal_days;
};

/* Read the period's current publication into *c (c->number is 0 when there is none). */
static enum jx_status current_publication(struct sq_store *s, const char *period, struct current *c,
                                          struct jx_err *err)
{
    sqlite3_stmt *q = NULL;
    bool row = false;
    enum jx_status st = sqx_prep(s, &q,
                             "SELECT seq, number, run_id, published_at, window_closes, appeal_days "
                             "FROM publications WHERE period = ? ORDER BY number DESC LIMIT 1",
                             ARGS(TXT(period)), err);
    memset(c, 0, sizeof *c);
    if (!st)
        st = sqx_step(s, q, &row, "cannot read the publications", err);
    if (!st && row) {
        c->seq = sqlite3_column_int64(q, 0);
        c->number = sqlite3_column_int(q, 1);
        snprintf(c->run_id, sizeof c->run_id, "%s", text(q, 2));
        snprintf(c->published_at, sizeof c->published_at, "%s", text(q, 3));
        snprintf(c->window_closes, sizeof c->window_closes, "%s", text(q, 4));
        c->appeal_days = sqlite3_column_int(q, 5);
    }
    sqlite3_finalize(q);
    return st;
}

/* Number of appeals of the period still open. */
static enum jx_status open_appeals(struct sq_store *s, const char *period, long *n,
                                   struct jx_err *err)
{
    sqlite3_stmt *q = NULL;
    bool row = false;
    enum jx_status st =
        sqx_prep(s, &q, "SELECT count(*) FROM appeals WHERE period = ? AND decision IS NULL",
             ARGS(TXT(period)), err);
    if (!st)
        st = sqx_step(s, q, &row, "cannot read the appeals", err);
    *n = row ? (long)sqlite3_column_int64(q, 0) : 0;
    sqlite3_finalize(q);
    return st;
}

/* Publish the period's newest run: a publication row, a result version per person, audit. */
enum jx_status jx_sqlite_publish(struct jx_store *base, const struct jx_publication *pub,
                                 bool *published, struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    sqlite3_stmt *q = NULL;
    struct current cur;
    char run_id[128], what[128], reason[64];
    long long run_seq, pub_seq;
    int number;
    long n;
    bool row = false;
    enum jx_status st;

    *published = false;
    if ((st = sqx_begin(s, "BEGIN IMMEDIATE", err)))
        return st;
    if ((st = sqx_prep(s, &q, "SELECT seq, id FROM runs WHERE period = ? ORDER BY seq DESC LIMIT 1",
                   ARGS(TXT(pub->period)), err)) ||
        (st = sqx_step(s, q, &row, "cannot read the runs", err)))
        goto out;
    if (!row) {
        st = jx_err_set(err, JX_ENOTFOUND,
                        "period %s has no run yet: compute it with 'jixiao run', then publish",
                        pub->period);
        goto out;
    }
    run_seq = sqlite3_column_int64(q, 0);
    snprintf(run_id, sizeof run_id, "%s", text(q, 1));
    if ((st = current_publication(s, pub->period, &cur, err)))
        goto out;
    if (cur.number && !strcmp(cur.run_id, run_id))
        goto out; /* already published: nothing to write */
    if (cur.number && strcmp(pub->published_at, cur.published_at) < 0) {
        st = jx_err_set(err, JX_EINPUT,
                        "%s was last published at %s (publication %d); a new publication "
                        "cannot be dated before it (%s)",
                        pub->period, cur.published_at, cur.number, pub->published_at);
        goto out;
    }
    number = cur.number + 1;
    if ((st = sqx_run(s,
                  "INSERT INTO publications(period, number, run_id, published_at, published_by, "
                  "window_closes, interview_due, appeal_days, answer_days, interview_days) "
                  "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  ARGS(TXT(pub->period), INT(number), TXT(run_id), TXT(pub->published_at),
                       TXT(pub->published_by ? pub->published_by : "cli"), TXT(pub->window_closes),
                       TXT(pub->interview_due), INT(pub->appeal_days), INT(pub->answer_days),
                       INT(pub->interview_days)),
                  "cannot store the publication", err)))
        goto out;
    pub_seq = sqlite3_last_insert_rowid(s->db);
    snprintf(reason, sizeof reason, number == 1 ? "published" : "published again (publication %d)",
             number);
    if ((st = sqx_run(s,
                  "INSERT INTO result_versions(period, person_id, version, publication, run_id, "
                  "appeal_id, result, reason, created_at, created_by) "
                  "SELECT ?1, r.person_id, 1 + coalesce((SELECT max(v.version) FROM "
                  "result_versions v WHERE v.period = ?1 AND v.person_id = r.person_id), 0), "
                  "?2, ?3, NULL, r.result, ?4, ?5, ?6 FROM run_results r WHERE r.run_seq = ?7",
                  ARGS(TXT(pub->period), INT(pub_seq), TXT(run_id), TXT(reason),
                       TXT(pub->published_at), TXT(pub->published_by ? pub->published_by : "cli"),
                       INT(run_seq)),
                  "cannot store the published results", err)))
        goto out;
    n = (long)sqlite3_changes(s->db);
    snprintf(what, sizeof what, "%s publication %d", pub->period, number);
    if ((st = audit(s, pub->published_by, "publish", what,
                    cur.number ? "SELECT json_object('publication', ?, 'run', ?)" : NULL,
                    ARGS(INT(cur.number), TXT(cur.run_id)),
                    "SELECT json_object('publication', ?, 'run', ?, 'published_at', ?, "
                    "'window_closes', ?, 'interview_due', ?, 'results', ?)",
                    ARGS(INT(number), TXT(run_id), TXT(pub->published_at), TXT(pub->window_closes),
                         TXT(pub->interview_due), INT(n)),
                    err)) ||
        (st = sqx_commit(s, err)))
        goto out;
    sqlite3_finalize(q);
    *published = true;
    return JX_OK;
out:
    sqlite3_finalize(q);
    sqx_rollback(s);
    return st;
}

/* Read the publications of wf->period into wf. */
static enum jx_status read_publications(struct sq_store *s, struct jx_arena *a,
                                        struct jx_workflow *wf, struct jx_err *err)
{
    sqlite3_stmt *q = NULL;
    size_t cap = 0;
    bool row;
    enum jx_status st =
        sqx_prep(s, &q,
             "SELECT number, period, run_id, published_at, published_by, window_closes, "
             "interview_due, appeal_days, answer_days, interview_days, "
             "(SELECT count(*) FROM result_versions v WHERE v.publication = p.seq "
             "AND v.appeal_id IS NULL) FROM publications p WHERE period = ? ORDER BY number",
             ARGS(TXT(wf->period)), err);
    while (!st && !(st = sqx_step(s, q, &row, "cannot read the publications", err)) && row) {
        if (!grow(a, (void **)&wf->pubs, wf->npubs, &cap, sizeof *wf->pubs)) {
            st = sqx_nomem(err);
            break;
        }
        struct jx_publication *p = &wf->pubs[wf->npubs++];
        p->number = sqlite3_column_int(q, 0);
        if (!col(a, q, 1, &p->period) || !col(a, q, 2, &p->run_id) ||
            !col(a, q, 3, &p->published_at) || !col(a, q, 4, &p->published_by) ||
            !col(a, q, 5, &p->window_closes) || !col(a, q, 6, &p->interview_due))
            st = sqx_nomem(err);
        p->appeal_days = sqlite3_column_int(q, 7);
        p->answer_days = sqlite3_column_int(q, 8);
        p->interview_days = sqlite3_column_int(q, 9);
        p->npeople = (long)sqlite3_column_int64(q, 10);
    }
    sqlite3_finalize(q);
    return st;
}

/* Read the appeals of wf->period into wf. */
static enum jx_status read_appeals(struct sq_store *s, struct jx_arena *a, struct jx_workflow *wf,
                                   struct jx_err *err)
{
    sqlite3_stmt *q = NULL;
    size_t cap = 0;
    bool row;
    enum jx_status st =
        sqx_prep(s, &q,
             "SELECT a.id, a.period, p.number, a.person_id, a.reason, a.filed_at, a.filed_by, "
             "a.due, a.decision, a.decision_reason, a.grade, a.decided_at, a.decided_by, "
             "a.version FROM appeals a JOIN publications p ON p.seq = a.publication "
             "WHERE a.period = ? ORDER BY a.id",
             ARGS(TXT(wf->period)), err);
    while (!st && !(st = sqx_step(s, q, &row, "cannot read the appeals", err)) && row) {
        const char *decision;
        if (!grow(a, (void **)&wf->appeals, wf->nappeals, &cap, sizeof *wf->appeals)) {
            st = sqx_nomem(err);
            break;
        }
        struct jx_appeal *ap = &wf->appeals[wf->nappeals++];
        ap->id = sqlite3_column_int64(q, 0);
        ap->publication = sqlite3_column_int(q, 2);
        decision = text(q, 8);
        ap->status = !strcmp(decision, "accepted")   ? JX_APPEAL_ACCEPTED
                     : !strcmp(decision, "rejected") ? JX_APPEAL_REJECTED
                                                     : JX_APPEAL_OPEN;
        ap->version = sqlite3_column_int(q, 13);
        if (!col(a, q, 1, &ap->period) || !col(a, q, 3, &ap->person_id) ||
            !col(a, q, 4, &ap->reason) || !col(a, q, 5, &ap->filed_at) ||
            !col(a, q, 6, &ap->filed_by) || !col(a, q, 7, &ap->due) ||
            !col(a, q, 9, &ap->decision_reason) || !col(a, q, 10, &ap->grade) ||
            !col(a, q, 11, &ap->decided_at) || !col(a, q, 12, &ap->decided_by))
            st = sqx_nomem(err);
    }
    sqlite3_finalize(q);
    return st;
}

/* Read a period's newest run, publications and appeals in one read transaction. */
enum jx_status jx_sqlite_workflow(struct jx_store *base, const char *period, struct jx_workflow *wf,
                                  struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    struct jx_arena *a = jx_calloc(1, sizeof *a);
    sqlite3_stmt *q = NULL;
    bool row = false, tx = !s->in_tx;
    enum jx_status st;

    memset(wf, 0, sizeof *wf);
    if (!a)
        return sqx_nomem(err);
    wf->arena = a;
    /* One read transaction, so that the three reads agree. */
    if (tx && (st = sqx_begin(s, "BEGIN", err))) {
        jx_workflow_release(wf);
        return st;
    }
    if (!(wf->period = jx_arena_strndup(a, period, strlen(period)))) {
        st = sqx_nomem(err);
        goto out;
    }
    if ((st = sqx_prep(s, &q, "SELECT id FROM runs WHERE period = ? ORDER BY seq DESC LIMIT 1",
                   ARGS(TXT(period)), err)) ||
        (st = sqx_step(s, q, &row, "cannot read the runs", err)))
        goto out;
    if (row && !col(a, q, 0, &wf->newest_run)) {
        st = sqx_nomem(err);
        goto out;
    }
    if ((st = read_publications(s, a, wf, err)))
        goto out;
    st = read_appeals(s, a, wf, err);
out:
    sqlite3_finalize(q);
    if (tx)
        sqx_rollback(s); /* a read: nothing to commit */
    if (st)
        jx_workflow_release(wf);
    return st;
}

/* The period an appeal belongs to. */
enum jx_status jx_sqlite_appeal_period(struct jx_store *base, long long id, char *buf,
                                       struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    sqlite3_stmt *q = NULL;
    bool row = false;
    enum jx_status st = sqx_prep(s, &q, "SELECT period FROM appeals WHERE id = ?", ARGS(INT(id)), err);
    if (!st)
        st = sqx_step(s, q, &row, "cannot read the appeals", err);
    if (!st && !row)
        st = jx_err_set(err, JX_ENOTFOUND, "there is no appeal %lld", id);
    if (!st)
        snprintf(buf, 16, "%s", text(q, 0));
    sqlite3_finalize(q);
    return st;
}

/* *found = whether the one-row query sql with its arguments gives a row. */
static enum jx_status exists(struct sq_store *s, const char *sql, const struct sq_arg *args, size_t n,
                             bool *found, struct jx_err *err)
{
    sqlite3_stmt *q = NULL;
    enum jx_status st = sqx_prep(s, &q, sql, args, n, err);
    if (!st)
        st = sqx_step(s, q, found, "cannot read the store", err);
    sqlite3_finalize(q);
    return st;
}

/* File an appeal after checking the person, the publication and the window. */
enum jx_status jx_sqlite_appeal_add(struct jx_store *base, const struct jx_appeal *ap,
                                    long long *id, struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    sqlite3_stmt *q = NULL;
    struct current cur;
    char what[128];
    bool found = false;
    long nopen;
    enum jx_status st;

    if (!ap->reason || !ap->reason[0])
        return jx_err_set(err, JX_EINPUT, "an appeal needs a reason");
    if ((st = sqx_begin(s, "BEGIN IMMEDIATE", err)))
        return st;
    if ((st =
             exists(s, "SELECT 1 FROM people WHERE id = ?", ARGS(TXT(ap->person_id)), &found, err)))
        goto out;
    if (!found) {
        st = jx_err_set(err, JX_ENOTFOUND, "unknown person %s", ap->person_id);
        goto out;
    }
    if ((st = current_publication(s, ap->period, &cur, err)))
        goto out;
    if (!cur.number) {
        st = jx_err_set(err, JX_EINPUT,
                        "period %s is not published: appeals are taken once its results are "
                        "('jixiao publish')",
                        ap->period);
        goto out;
    }
    if (cur.number != ap->publication) {
        st = jx_err_set(err, JX_EINPUT, "period %s was published again meanwhile: try again",
                        ap->period);
        goto out;
    }
    if (strcmp(ap->filed_at, cur.published_at) < 0) {
        st = jx_err_set(err, JX_EINPUT, "appeal filed at %s, before %s was published (%s)",
                        ap->filed_at, ap->period, cur.published_at);
        goto out;
    }
    if (strncmp(ap->filed_at, cur.window_closes, 10) > 0) {
        if ((st = open_appeals(s, ap->period, &nopen, err)))
            goto out;
        st = jx_err_set(err, JX_EINPUT,
                        "appeal filed at %s is late: the appeal window of %s closed at the end "
                        "of %s (%d working days after publication on %.10s)%s",
                        ap->filed_at, ap->period, cur.window_closes, cur.appeal_days,
                        cur.published_at, nopen ? "" : "; the period is final");
        goto out;
    }
    if ((st = exists(s,
                     "SELECT 1 FROM result_versions WHERE period = ? AND person_id = ? "
                     "AND publication = ?",
                     ARGS(TXT(ap->period), TXT(ap->person_id), INT(cur.seq)), &found, err)))
        goto out;
    if (!found) {
        st = jx_err_set(err, JX_EINPUT, "%s has no published result in %s (run %s)", ap->person_id,
                        ap->period, cur.run_id);
        goto out;
    }
    if ((st = sqx_prep(s, &q,
                   "SELECT id FROM appeals WHERE period = ? AND person_id = ? "
                   "AND decision IS NULL",
                   ARGS(TXT(ap->period), TXT(ap->person_id)), err)) ||
        (st = sqx_step(s, q, &found, "cannot read the appeals", err)))
        goto out;
    if (found) {
        st = jx_err_set(err, JX_EINPUT, "%s already has an open appeal in %s (appeal %lld)",
                        ap->person_id, ap->period, (long long)sqlite3_column_int64(q, 0));
        goto out;
    }
    if ((st = sqx_run(s,
                  "INSERT INTO appeals(period, publication, person_id, reason, filed_at, "
                  "filed_by, due) VALUES(?, ?, ?, ?, ?, ?, ?)",
                  ARGS(TXT(ap->period), INT(cur.seq), TXT(ap->person_id), TXT(ap->reason),
                       TXT(ap->filed_at), TXT(ap->filed_by ? ap->filed_by : "cli"), TXT(ap->due)),
                  "cannot store the appeal", err)))
        goto out;
    *id = sqlite3_last_insert_rowid(s->db);
    snprintf(what, sizeof what, "%s appeal %lld %s", ap->period, *id, ap->person_id);
    if ((st = audit(
             s, ap->filed_by, "appeal", what, NULL, NULL, 0,
             "SELECT json_object('appeal', ?, 'person', ?, 'reason', ?, 'filed_at', ?, "
             "'due', ?, 'status', 'open')",
             ARGS(INT(*id), TXT(ap->person_id), TXT(ap->reason), TXT(ap->filed_at), TXT(ap->due)),
             err)) ||
        (st = sqx_commit(s, err)))
        goto out;
    sqlite3_finalize(q);
    return JX_OK;
out:
    sqlite3_finalize(q);
    sqx_rollback(s);
    return st;
}

/* The appeal a decision is about. */
struct appeal_row {
    char period[16];
    char person_id[128];
    char filed_at[24];
    char decision[16];
    char decided_at[24];
};

/* Read appeal id into *r; JX_ENOTFOUND when there is none. */
static enum jx_status read_appeal(struct sq_store *s, long long id, struct appeal_row *r,
                                  struct jx_err *err)
{
    sqlite3_stmt *q = NULL;
    bool row = false;
    enum jx_status st = sqx_prep(s, &q,
                             "SELECT period, person_id, filed_at, decision, decided_at "
                             "FROM appeals WHERE id = ?",
                             ARGS(INT(id)), err);
    if (!st)
        st = sqx_step(s, q, &row, "cannot read the appeals", err);
    if (!st && !row)
        st = jx_err_set(err, JX_ENOTFOUND, "there is no appeal %lld", id);
    if (!st) {
        snprintf(r->period, sizeof r->period, "%s", text(q, 0));
        snprintf(r->person_id, sizeof r->person_id, "%s", text(q, 1));
        snprintf(r->filed_at, sizeof r->filed_at, "%s", text(q, 2));
        snprintf(r->decision, sizeof r->decision, "%s", text(q, 3));
        snprintf(r->decided_at, sizeof r->decided_at, "%s", text(q, 4));
    }
    sqlite3_finalize(q);
    return st;
}

/* The person's newest version: number, publication seq, and its grade ("" when no score). */
struct newest {
    int version;
    long long publication;
    char grade[8];
    bool has_score;
};

/* Read the person's newest result version into *nv (nv->version 0 when none). */
static enum jx_status newest_version(struct sq_store *s, const char *period, const char *person_id,
                                     struct newest *nv, struct jx_err *err)
{
    sqlite3_stmt *q = NULL;
    bool row = false;
    enum jx_status st = sqx_prep(s, &q,
                             "SELECT version, publication, json_type(result, '$.score'), "
                             "json_extract(result, '$.score.grade') FROM result_versions "
                             "WHERE period = ? AND person_id = ? ORDER BY version DESC LIMIT 1",
                             ARGS(TXT(period), TXT(person_id)), err);
    memset(nv, 0, sizeof *nv);
    if (!st)
        st = sqx_step(s, q, &row, "cannot read the published results", err);
    if (!st && row) {
        nv->version = sqlite3_column_int(q, 0);
        nv->publication = sqlite3_column_int64(q, 1);
        nv->has_score = !strcmp(text(q, 2), "object");
        snprintf(nv->grade, sizeof nv->grade, "%s", text(q, 3));
    }
    sqlite3_finalize(q);
    return st;
}

/* Check a grade change before any write: the grade, and that the result has one to change. */
static enum jx_status check_grade(struct sq_store *s, const struct jx_appeal_decision *d,
                                  const struct appeal_row *r, struct newest *nv, struct jx_err *err)
{
    struct current cur;
    enum jx_status st;
    const char *g = d->grade;
    if (!d->accept)
        return jx_err_set(err, JX_EINPUT, "a grade goes with an accepted appeal only");
    if (strlen(g) != 1 || !strchr("SABCD", g[0]))
        return jx_err_set(err, JX_EINPUT, "grade \"%s\" is not one of S, A, B, C, D", g);
    if ((st = newest_version(s, r->period, r->person_id, nv, err)) ||
        (st = current_publication(s, r->period, &cur, err)))
        return st;
    if (!nv->version || nv->publication != cur.seq)
        return jx_err_set(err, JX_EINPUT,
                          "%s has no result in the current publication of %s (run %s): there "
                          "is no grade to change",
                          r->person_id, r->period, cur.run_id);
    if (!nv->has_score)
        return jx_err_set(err, JX_EINPUT,
                          "%s's published result in %s has no grade (no scorecard in run %s): "
                          "accept without --grade",
                          r->person_id, r->period, cur.run_id);
    if (!strcmp(nv->grade, g))
        return jx_err_set(err, JX_EINPUT,
                          "%s's published grade in %s is already %s (version %d): accept "
                          "without --grade",
                          r->person_id, r->period, g, nv->version);
    return JX_OK;
}

/* Record a decision once; an accepted grade change adds a result version. */
enum jx_status jx_sqlite_appeal_decide(struct jx_store *base, const struct jx_appeal_decision *d,
                                       int *version, struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    struct appeal_row r;
    struct newest nv = {0};
    const char *decision = d->accept ? "accepted" : "rejected";
    char what[192];
    int newv = 0;
    enum jx_status st;

    if (version)
        *version = 0;
    if (!d->reason || !d->reason[0])
        return jx_err_set(err, JX_EINPUT, "a decision needs a reason");
    if ((st = sqx_begin(s, "BEGIN IMMEDIATE", err)))
        return st;
    if ((st = read_appeal(s, d->id, &r, err)))
        goto out;
    if (r.decision[0]) {
        st = jx_err_set(err, JX_EINPUT, "appeal %lld was already decided: %s at %s", d->id,
                        r.decision, r.decided_at);
        goto out;
    }
    if (strcmp(d->decided_at, r.filed_at) < 0) {
        st = jx_err_set(err, JX_EINPUT, "the decision (%s) cannot come before the appeal (%s)",
                        d->decided_at, r.filed_at);
        goto out;
    }
    if (d->grade) {
        if ((st = check_grade(s, d, &r, &nv, err)))
            goto out;
        newv = nv.version + 1;
    }
    if ((st = sqx_run(s,
                  "UPDATE appeals SET decision = ?, decision_reason = ?, grade = ?, "
                  "decided_at = ?, decided_by = ?, version = ? WHERE id = ?",
                  ARGS(TXT(decision), TXT(d->reason), TXT(d->grade), TXT(d->decided_at),
                       TXT(d->decided_by ? d->decided_by : "cli"), newv ? INT(newv) : TXT(NULL),
                       INT(d->id)),
                  "cannot store the decision", err)))
        goto out;
    snprintf(what, sizeof what, "%s appeal %lld %s %s", r.period, d->id, r.person_id, decision);
    if ((st = audit(s, d->decided_by, "appeal.decide", what,
                    "SELECT json_object('appeal', ?, 'status', 'open')", ARGS(INT(d->id)),
                    "SELECT json_object('appeal', ?, 'status', ?, 'reason', ?, 'grade', ?, "
                    "'decided_at', ?, 'version', ?)",
                    ARGS(INT(d->id), TXT(decision), TXT(d->reason), TXT(d->grade),
                         TXT(d->decided_at), newv ? INT(newv) : TXT(NULL)),
                    err)))
        goto out;
    if (newv) {
        if ((st = sqx_run(s,
                      "INSERT INTO result_versions(period, person_id, version, publication, "
                      "run_id, appeal_id, result, reason, created_at, created_by) "
                      "SELECT period, person_id, ?1, publication, run_id, ?2, "
                      "json_set(result, '$.score.grade', ?3), ?4, ?5, ?6 FROM result_versions "
                      "WHERE period = ?7 AND person_id = ?8 AND version = ?9",
                      ARGS(INT(newv), INT(d->id), TXT(d->grade), TXT(d->reason), TXT(d->decided_at),
                           TXT(d->decided_by ? d->decided_by : "cli"), TXT(r.period),
                           TXT(r.person_id), INT(nv.version)),
                      "cannot store the new result version", err)))
            goto out;
        snprintf(what, sizeof what, "%s %s result version %d", r.period, r.person_id, newv);
        if ((st = audit(s, d->decided_by, "result.version", what,
                        "SELECT json_object('version', ?, 'grade', ?)",
                        ARGS(INT(nv.version), TXT(nv.grade)),
                        "SELECT json_object('version', ?, 'grade', ?, 'appeal', ?, 'reason', ?)",
                        ARGS(INT(newv), TXT(d->grade), INT(d->id), TXT(d->reason)), err)))
            goto out;
    }
    if ((st = sqx_commit(s, err)))
        goto out;
    if (version)
        *version = newv;
    return JX_OK;
out:
    sqx_rollback(s);
    return st;
}

/* Read the result versions of a period (of one person, or all). */
enum jx_status jx_sqlite_result_versions(struct jx_store *base, const char *period,
                                         const char *person_id, struct jx_result_versions *out,
                                         struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    struct jx_arena *a = jx_calloc(1, sizeof *a);
    sqlite3_stmt *q = NULL;
    size_t cap = 0;
    bool row;
    enum jx_status st;

    memset(out, 0, sizeof *out);
    if (!a)
        return sqx_nomem(err);
    out->arena = a;
    st = sqx_prep(s, &q,
              "SELECT v.person_id, v.version, p.number, v.run_id, v.appeal_id, v.result, "
              "v.reason, v.created_at, v.created_by FROM result_versions v "
              "JOIN publications p ON p.seq = v.publication "
              "WHERE v.period = ?1 AND (?2 IS NULL OR v.person_id = ?2) "
              "ORDER BY v.person_id, v.version",
              ARGS(TXT(period), TXT(person_id)), err);
    while (!st && !(st = sqx_step(s, q, &row, "cannot read the published results", err)) && row) {
        if (!grow(a, (void **)&out->v, out->n, &cap, sizeof *out->v)) {
            st = sqx_nomem(err);
            break;
        }
        struct jx_result_version *v = &out->v[out->n++];
        v->version = sqlite3_column_int(q, 1);
        v->publication = sqlite3_column_int(q, 2);
        v->appeal_id = sqlite3_column_int64(q, 4);
        if (!col(a, q, 0, &v->person_id) || !col(a, q, 3, &v->run_id) ||
            !col(a, q, 5, &v->result) || !col(a, q, 6, &v->reason) || !col(a, q, 7, &v->at) ||
            !col(a, q, 8, &v->by))
            st = sqx_nomem(err);
    }
    sqlite3_finalize(q);
    if (st)
        jx_result_versions_release(out);
    return st;
}
