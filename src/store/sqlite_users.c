/*
 * sqlite_users.c - users of the web application, their sessions and failed
 * logins (migration 007).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "store/sqliteInt.h"

/* Copy column i (text, "" for NULL) into buf of size n. */
static void col(sqlite3_stmt *q, int i, char *buf, size_t n)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    snprintf(buf, n, "%s", t ? (const char *)t : "");
}

static void user_row(sqlite3_stmt *q, struct jx_user *u)
{
    memset(u, 0, sizeof *u);
    col(q, 0, u->name, sizeof u->name);
    col(q, 1, u->role, sizeof u->role);
    col(q, 2, u->person_id, sizeof u->person_id);
    col(q, 3, u->pw_hash, sizeof u->pw_hash);
    u->disabled = sqlite3_column_int(q, 4) != 0;
}

enum jx_status jx_sqlite_user_put(struct jx_store *base, const struct jx_user *u, bool create,
                                  const char *who, struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    sqlite3_stmt *q = NULL;
    bool row;
    enum jx_status st;
    char after[256];
    if ((st = sqx_begin(s, "BEGIN IMMEDIATE", err)))
        return st;
    if (!(st = sqx_prep(s, &q, "SELECT 1 FROM users WHERE name = ?", ARGS(TXT(u->name)), err)) &&
        !(st = sqx_step(s, q, &row, "cannot read the users", err))) {
        if (create && row)
            st = jx_err_set(err, JX_EINPUT, "there is already a user %s", u->name);
        else if (!create && !row)
            st = jx_err_set(err, JX_ENOTFOUND, "no user %s", u->name);
    }
    sqlite3_finalize(q);
    if (!st && create)
        st = sqx_run(s,
                    "INSERT INTO users(name, role, person_id, pw_hash, disabled) "
                    "VALUES(?, ?, ?, ?, ?)",
                    ARGS(TXT(u->name), TXT(u->role), TXT(u->person_id[0] ? u->person_id : NULL),
                         TXT(u->pw_hash), INT(u->disabled)),
                    "cannot add the user", err);
    else if (!st)
        st = sqx_run(s, "UPDATE users SET pw_hash = ?, disabled = ? WHERE name = ?",
                    ARGS(TXT(u->pw_hash), INT(u->disabled), TXT(u->name)),
                    "cannot change the user", err);
    /* A disabled user or a new password ends every session of the user. */
    if (!st && !create)
        st = sqx_run(s, "DELETE FROM sessions WHERE user = ?", ARGS(TXT(u->name)),
                    "cannot end the sessions", err);
    snprintf(after, sizeof after, "{\"user\":\"%s\",\"role\":\"%s\",\"person_id\":\"%s\","
                                  "\"disabled\":%s}",
             u->name, u->role, u->person_id, u->disabled ? "true" : "false");
    if (!st)
        st = base->ops->audit(base, who, create ? "user.add" : "user.change", u->name, NULL,
                              after, err);
    if (!st)
        st = sqx_commit(s, err);
    if (st)
        sqx_rollback(s);
    return st;
}

enum jx_status jx_sqlite_user_get(struct jx_store *base, const char *name, struct jx_user *u,
                                  struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    sqlite3_stmt *q = NULL;
    bool row = false;
    enum jx_status st = sqx_prep(
        s, &q, "SELECT name, role, person_id, pw_hash, disabled FROM users WHERE name = ?",
        ARGS(TXT(name)), err);
    if (!st && !(st = sqx_step(s, q, &row, "cannot read the users", err))) {
        if (row)
            user_row(q, u);
        else
            st = jx_err_set(err, JX_ENOTFOUND, "no user %s", name);
    }
    sqlite3_finalize(q);
    return st;
}

enum jx_status jx_sqlite_user_list(struct jx_store *base, struct jx_user **out, size_t *n,
                                   struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    sqlite3_stmt *q = NULL;
    size_t cap = 0;
    bool row;
    enum jx_status st = sqx_prep(
        s, &q, "SELECT name, role, person_id, pw_hash, disabled FROM users ORDER BY name", NULL,
        0, err);
    *out = NULL;
    *n = 0;
    while (!st && !(st = sqx_step(s, q, &row, "cannot read the users", err)) && row) {
        if (*n == cap) {
            struct jx_user *v = jx_realloc(*out, (cap = cap ? cap * 2 : 16) * sizeof *v);
            if (!v) {
                st = sqx_nomem(err);
                break;
            }
            *out = v;
        }
        user_row(q, &(*out)[(*n)++]);
    }
    sqlite3_finalize(q);
    if (st) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return st;
}

enum jx_status jx_sqlite_session_put(struct jx_store *base, const char *token_hash,
                                     const struct jx_session *ss, struct jx_err *err)
{
    return sqx_run((struct sq_store *)base,
                  "INSERT INTO sessions(token_hash, user, csrf, created, last_seen) "
                  "VALUES(?, ?, ?, ?, ?)",
                  ARGS(TXT(token_hash), TXT(ss->user), TXT(ss->csrf), INT(ss->created),
                       INT(ss->last_seen)),
                  "cannot store the session", err);
}

enum jx_status jx_sqlite_session_get(struct jx_store *base, const char *token_hash,
                                     struct jx_session *ss, struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    sqlite3_stmt *q = NULL;
    bool row = false;
    enum jx_status st = sqx_prep(
        s, &q, "SELECT user, csrf, created, last_seen FROM sessions WHERE token_hash = ?",
        ARGS(TXT(token_hash)), err);
    if (!st && !(st = sqx_step(s, q, &row, "cannot read the sessions", err))) {
        if (row) {
            col(q, 0, ss->user, sizeof ss->user);
            col(q, 1, ss->csrf, sizeof ss->csrf);
            ss->created = sqlite3_column_int64(q, 2);
            ss->last_seen = sqlite3_column_int64(q, 3);
        } else {
            st = jx_err_set(err, JX_ENOTFOUND, "no such session");
        }
    }
    sqlite3_finalize(q);
    return st;
}

enum jx_status jx_sqlite_session_touch(struct jx_store *base, const char *token_hash,
                                       long long now, struct jx_err *err)
{
    return sqx_run((struct sq_store *)base, "UPDATE sessions SET last_seen = ? WHERE token_hash = ?",
                  ARGS(INT(now), TXT(token_hash)), "cannot update the session", err);
}

enum jx_status jx_sqlite_session_delete(struct jx_store *base, const char *token_hash,
                                        struct jx_err *err)
{
    return sqx_run((struct sq_store *)base, "DELETE FROM sessions WHERE token_hash = ?",
                  ARGS(TXT(token_hash)), "cannot end the session", err);
}

enum jx_status jx_sqlite_login_failure(struct jx_store *base, const char *user, long long now,
                                       struct jx_err *err)
{
    return sqx_run((struct sq_store *)base, "INSERT INTO login_failures(user, at) VALUES(?, ?)",
                  ARGS(TXT(user), INT(now)), "cannot record the failed login", err);
}

enum jx_status jx_sqlite_login_failures(struct jx_store *base, const char *user, long long since,
                                        long *n, struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    sqlite3_stmt *q = NULL;
    bool row = false;
    enum jx_status st =
        sqx_prep(s, &q, "SELECT count(*) FROM login_failures WHERE user = ? AND at >= ?",
                ARGS(TXT(user), INT(since)), err);
    if (!st && !(st = sqx_step(s, q, &row, "cannot read the failed logins", err)))
        *n = row ? (long)sqlite3_column_int64(q, 0) : 0;
    sqlite3_finalize(q);
    return st;
}

/* Column i of the current row copied into the arena ("" for NULL). */
static const char *adup(struct jx_arena *a, sqlite3_stmt *q, int i)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    return jx_arena_strndup(a, t ? (const char *)t : "", (size_t)sqlite3_column_bytes(q, i));
}

enum jx_status jx_sqlite_org(struct jx_store *base, struct jx_org *org, struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    sqlite3_stmt *q = NULL;
    bool row;
    enum jx_status st;
    struct jx_arena *a = jx_calloc(1, sizeof *a);
    memset(org, 0, sizeof *org);
    if (!a)
        return sqx_nomem(err);
    org->arena = a;
    size_t np = 0, nu = 0;
    if ((st = sqx_prep(s, &q, "SELECT (SELECT count(*) FROM people), (SELECT count(*) FROM units)",
                       NULL, 0, err)) ||
        (st = sqx_step(s, q, &row, "cannot count the people", err)))
        goto out;
    np = (size_t)sqlite3_column_int64(q, 0);
    nu = (size_t)sqlite3_column_int64(q, 1);
    const char ***pc[] = {&org->pid, &org->pname, &org->punit, &org->prole, &org->pmanager};
    for (size_t i = 0; i < 5; i++)
        if (!(*pc[i] = jx_arena_calloc(a, np + 1, sizeof(char *)))) {
            st = sqx_nomem(err);
            goto out;
        }
    if (!(org->uid = jx_arena_calloc(a, nu + 1, sizeof(char *))) ||
        !(org->uparent = jx_arena_calloc(a, nu + 1, sizeof(char *)))) {
        st = sqx_nomem(err);
        goto out;
    }
    if ((st = sqx_prep(s, &q, "SELECT id, name, unit_id, role, manager_id FROM people ORDER BY id",
                       NULL, 0, err)))
        goto out;
    while (org->npeople < np && !(st = sqx_step(s, q, &row, "cannot read the people", err)) &&
           row) {
        size_t i = org->npeople++;
        for (int c = 0; c < 5; c++)
            if (!((*pc[c])[i] = adup(a, q, c))) {
                st = sqx_nomem(err);
                goto out;
            }
    }
    if (st || (st = sqx_prep(s, &q, "SELECT id, parent_id FROM units ORDER BY id", NULL, 0, err)))
        goto out;
    while (org->nunits < nu && !(st = sqx_step(s, q, &row, "cannot read the units", err)) && row) {
        size_t i = org->nunits++;
        if (!(org->uid[i] = adup(a, q, 0)) || !(org->uparent[i] = adup(a, q, 1))) {
            st = sqx_nomem(err);
            goto out;
        }
    }
out:
    sqlite3_finalize(q);
    if (st)
        jx_org_release(org);
    return st;
}

enum jx_status jx_sqlite_periods(struct jx_store *base, struct jx_period_info **out, size_t *n,
                                 struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    sqlite3_stmt *q = NULL;
    size_t cap = 0;
    bool row;
    enum jx_status st = sqx_prep(
        s, &q,
        "SELECT r.period, r.id, EXISTS(SELECT 1 FROM periods p WHERE p.period = r.period "
        "AND p.locked_at IS NOT NULL), EXISTS(SELECT 1 FROM publications u WHERE u.period = "
        "r.period) FROM runs r WHERE r.seq = (SELECT max(seq) FROM runs x WHERE x.period = "
        "r.period) ORDER BY r.period DESC",
        NULL, 0, err);
    *out = NULL;
    *n = 0;
    while (!st && !(st = sqx_step(s, q, &row, "cannot read the periods", err)) && row) {
        if (*n == cap) {
            struct jx_period_info *v = jx_realloc(*out, (cap = cap ? cap * 2 : 16) * sizeof *v);
            if (!v) {
                st = sqx_nomem(err);
                break;
            }
            *out = v;
        }
        struct jx_period_info *p = &(*out)[(*n)++];
        col(q, 0, p->period, sizeof p->period);
        col(q, 1, p->run, sizeof p->run);
        p->locked = sqlite3_column_int(q, 2) != 0;
        p->published = sqlite3_column_int(q, 3) != 0;
    }
    sqlite3_finalize(q);
    if (st) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return st;
}

/* The one text a query makes (a JSON array built by SQLite) into *json ("[]" for none). */
static enum jx_status json_query(struct sq_store *s, const char *sql, const struct sq_arg *args,
                                 size_t n, const char *what, char **json, struct jx_err *err)
{
    sqlite3_stmt *q = NULL;
    bool row = false;
    enum jx_status st = sqx_prep(s, &q, sql, args, n, err);
    *json = NULL;
    if (!st && !(st = sqx_step(s, q, &row, what, err))) {
        const unsigned char *t = row ? sqlite3_column_text(q, 0) : NULL;
        if (!(*json = strdup(t ? (const char *)t : "[]")))
            st = sqx_nomem(err);
    }
    sqlite3_finalize(q);
    return st;
}

enum jx_status jx_sqlite_runs(struct jx_store *base, const char *period, char **json,
                              struct jx_err *err)
{
    return json_query(
        (struct sq_store *)base,
        "SELECT coalesce(json_group_array(json_object('id', id, 'created_at', created_at, "
        "'created_by', created_by, 'plans', plans, 'people', (SELECT count(*) FROM run_results "
        "x WHERE x.run_seq = r.seq))), '[]') FROM (SELECT * FROM runs WHERE period = ? "
        "ORDER BY seq DESC) r",
        ARGS(TXT(period)), "cannot read the runs", json, err);
}

enum jx_status jx_sqlite_audit_list(struct jx_store *base, long limit, char **json,
                                    struct jx_err *err)
{
    return json_query(
        (struct sq_store *)base,
        "SELECT coalesce(json_group_array(json_object('seq', seq, 'at', at, 'who', who, "
        "'action', action, 'what', what, 'before', before, 'after', after)), '[]') FROM "
        "(SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?)",
        ARGS(INT(limit)), "cannot read the audit log", json, err);
}
