/*
 * sqlite.c - the SQLite storage backend.
 *
 * One connection per store, WAL journal, foreign keys on (deferred, checked
 * at commit).  The INSERT statements are built once per kind from the model
 * table (model.c) and kept prepared.  Schema changes are the numbered
 * migrations in src/store/migrations/, compiled in and tracked with
 * PRAGMA user_version.
 */
#include "store/storeInt.h"
#include "store/sqliteInt.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/dec.h"
#include "core/embed.h"

static enum jx_status sq_fail(struct sq_store *s, struct jx_err *err, const char *what)
{
    return jx_err_set(err, JX_ESTORE, "%s: %s (%s)", what, sqlite3_errmsg(s->db), s->path);
}

/* Number of migrations compiled in = the newest schema version. */
static int newest_version(void)
{
    int n = 0;
    while (jx_migration_files[n].name)
        n++;
    return n;
}

static enum jx_status user_version(struct sq_store *s, int *v, struct jx_err *err)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK)
        return sq_fail(s, err, "cannot read the schema version");
    *v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
    sqlite3_finalize(q);
    return JX_OK;
}

static enum jx_status exec(struct sq_store *s, const char *sql, struct jx_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        enum jx_status st = jx_err_set(err, JX_ESTORE, "%s (%s)", msg ? msg : "SQL error", s->path);
        sqlite3_free(msg);
        return st;
    }
    return JX_OK;
}

static enum jx_status sq_migrate(struct jx_store *base, int *from, int *to, struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    int v = 0, newest = newest_version();
    enum jx_status st = user_version(s, &v, err);
    if (st)
        return st;
    if (from)
        *from = v;
    if (v > newest)
        return jx_err_set(err, JX_ESTORE,
                          "%s has schema version %d, newer than this jixiao knows (%d)", s->path,
                          v, newest);
    for (; v < newest; v++) {
        char pragma[64];
        if ((st = exec(s, "BEGIN IMMEDIATE", err)) ||
            (st = exec(s, (const char *)jx_migration_files[v].data, err)))
            goto fail;
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        if ((st = exec(s, pragma, err)) || (st = exec(s, "COMMIT", err)))
            goto fail;
    }
    if (to)
        *to = newest;
    return JX_OK;
fail:
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return st;
}

static enum jx_status sq_check_schema(struct jx_store *base, struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    int v = 0;
    enum jx_status st = user_version(s, &v, err);
    if (st)
        return st;
    if (v != newest_version())
        return jx_err_set(err, JX_ESTORE,
                          "%s has schema version %d, expected %d: run 'jixiao init --db %s'",
                          s->path, v, newest_version(), s->path);
    return JX_OK;
}

static void finalize_all(struct sq_store *s)
{
    for (int k = 0; k < JX_KIND_COUNT; k++) {
        sqlite3_finalize(s->put[k]);
        sqlite3_finalize(s->exists[k]);
        s->put[k] = s->exists[k] = NULL;
    }
    sqlite3_stmt **one[] = {&s->seen, &s->line, &s->drop_lines, &s->drop_splits,
                            &s->split, &s->locked, &s->audit};
    for (size_t i = 0; i < sizeof one / sizeof one[0]; i++) {
        sqlite3_finalize(*one[i]);
        *one[i] = NULL;
    }
}

static void sq_close(struct jx_store *base)
{
    struct sq_store *s = (struct sq_store *)base;
    if (s->in_tx)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    finalize_all(s);
    sqlite3_close(s->db);
    free(s);
}

static enum jx_status prepare(struct sq_store *s, sqlite3_stmt **q, const char *sql,
                              struct jx_err *err)
{
    if (*q) {
        sqlite3_reset(*q);
        sqlite3_clear_bindings(*q);
        return JX_OK;
    }
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, q, NULL) != SQLITE_OK)
        return sq_fail(s, err, "cannot prepare a statement");
    return JX_OK;
}

static enum jx_status sq_begin(struct jx_store *base, struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    enum jx_status st;
    if (s->in_tx)
        return jx_err_set(err, JX_EINTERNAL, "a transaction is already open");
    if ((st = exec(s, "BEGIN IMMEDIATE", err)))
        return st;
    if ((st = exec(s,
                   "CREATE TEMP TABLE IF NOT EXISTS jx_seen(id TEXT PRIMARY KEY, n INTEGER) "
                   "WITHOUT ROWID; DELETE FROM temp.jx_seen;",
                   err))) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return st;
    }
    s->in_tx = true;
    return JX_OK;
}

static enum jx_status sq_commit(struct jx_store *base, struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    if (!s->in_tx)
        return jx_err_set(err, JX_EINTERNAL, "no transaction is open");
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        enum jx_status st = sq_fail(s, err, "cannot commit");
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        s->in_tx = false;
        return st;
    }
    s->in_tx = false;
    return JX_OK;
}

static void sq_rollback(struct jx_store *base)
{
    struct sq_store *s = (struct sq_store *)base;
    if (s->in_tx)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->in_tx = false;
}

static bool is_key(const struct jx_kind_def *k, size_t c)
{
    for (int i = 0; k->key[i] >= 0; i++)
        if ((size_t)k->key[i] == c)
            return true;
    return false;
}

static bool is_text(enum jx_type t)
{
    return t == JX_T_ID || t == JX_T_TEXT || t == JX_T_ENUM || t == JX_T_DATE ||
           t == JX_T_TIME || t == JX_T_PERIOD || t == JX_T_SPLIT;
}

/* Bind value v of column col (key columns store NULL as ''). */
static int bind(sqlite3_stmt *q, int i, const struct jx_column *col, const struct jx_value *v,
                bool key)
{
    if (v->null)
        return key ? sqlite3_bind_text(q, i, "", 0, SQLITE_STATIC) : sqlite3_bind_null(q, i);
    if (is_text(col->type))
        return sqlite3_bind_text(q, i, v->s, (int)v->len, SQLITE_TRANSIENT);
    return sqlite3_bind_int64(q, i, v->i);
}

/* Contract columns that belong to the header (contracts table), in order. */
static bool header_column(const struct jx_column *col)
{
    return col->contract_level;
}

/*
 * Build "INSERT INTO t(a,b) VALUES(?,?) ON CONFLICT(key) DO UPDATE SET
 * b=excluded.b" for a kind; for contracts only the header columns.
 */
static enum jx_status build_upsert(struct sq_store *s, enum jx_kind kind, struct jx_err *err)
{
    const struct jx_kind_def *k = &jx_kinds[kind];
    char sql[2048];
    size_t n = 0;
    bool first = true;
    int w;

#define ADD(...)                                                                                   \
    do {                                                                                           \
        w = snprintf(sql + n, sizeof sql - n, __VA_ARGS__);                                        \
        if (w < 0 || (size_t)w >= sizeof sql - n)                                                  \
            return jx_err_set(err, JX_EINTERNAL, "statement too long");                           \
        n += (size_t)w;                                                                            \
    } while (0)

    ADD("INSERT INTO %s(", k->name);
    for (size_t c = 0; c < k->ncolumns; c++) {
        if (kind == JX_KIND_CONTRACTS && !header_column(&k->columns[c]))
            continue;
        ADD("%s%s", first ? "" : ",", k->columns[c].name);
        first = false;
    }
    ADD(") VALUES(");
    first = true;
    for (size_t c = 0; c < k->ncolumns; c++) {
        if (kind == JX_KIND_CONTRACTS && !header_column(&k->columns[c]))
            continue;
        ADD("%s?", first ? "" : ",");
        first = false;
    }
    ADD(") ON CONFLICT(");
    for (int i = 0; k->key[i] >= 0; i++)
        ADD("%s%s", i ? "," : "", k->columns[k->key[i]].name);
    ADD(") DO ");
    first = true;
    for (size_t c = 0; c < k->ncolumns; c++) {
        if (is_key(k, c) || (kind == JX_KIND_CONTRACTS && !header_column(&k->columns[c])))
            continue;
        ADD("%s%s=excluded.%s", first ? "UPDATE SET " : ",", k->columns[c].name,
            k->columns[c].name);
        first = false;
    }
    if (first)
        ADD("NOTHING");
#undef ADD
    return prepare(s, &s->put[kind], sql, err);
}

static enum jx_status step_done(struct sq_store *s, sqlite3_stmt *q, struct jx_err *err,
                                const char *what)
{
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sq_fail(s, err, what);
    return JX_OK;
}

/* Store the split "P1:60;P2:40" (canonical: shares as percentages) of a contract. */
static enum jx_status put_split(struct sq_store *s, const struct jx_value *cid,
                                const struct jx_value *split, struct jx_err *err)
{
    const char *p = split->s, *end = split->s + split->len;
    enum jx_status st;
    while (p < end) {
        const char *semi = memchr(p, ';', (size_t)(end - p));
        const char *part_end = semi ? semi : end;
        const char *colon = memchr(p, ':', (size_t)(part_end - p));
        int64_t share;
        if (!colon)
            return jx_err_set(err, JX_EINPUT, "bad split \"%.*s\"", (int)split->len, split->s);
        if ((st = jx_dec_parse_percent(colon + 1, (size_t)(part_end - colon - 1), &share, err)))
            return st;
        if ((st = prepare(s, &s->split,
                          "INSERT INTO contract_splits(contract_id,person_id,share) "
                          "VALUES(?,?,?)",
                          err)))
            return st;
        sqlite3_bind_text(s->split, 1, cid->s, (int)cid->len, SQLITE_TRANSIENT);
        sqlite3_bind_text(s->split, 2, p, (int)(colon - p), SQLITE_TRANSIENT);
        sqlite3_bind_int64(s->split, 3, share);
        if ((st = step_done(s, s->split, err, "cannot store a split")))
            return st;
        p = semi ? semi + 1 : end;
    }
    return JX_OK;
}

static enum jx_status put_contract_line(struct sq_store *s, const struct jx_value *values,
                                        struct jx_err *err)
{
    const struct jx_kind_def *k = &jx_kinds[JX_KIND_CONTRACTS];
    const struct jx_value *cid = &values[0];
    enum jx_status st;
    int64_t line_no;

    if ((st = prepare(s, &s->seen,
                      "INSERT INTO temp.jx_seen(id,n) VALUES(?,1) "
                      "ON CONFLICT(id) DO UPDATE SET n=n+1 RETURNING n",
                      err)))
        return st;
    sqlite3_bind_text(s->seen, 1, cid->s, (int)cid->len, SQLITE_TRANSIENT);
    if (sqlite3_step(s->seen) != SQLITE_ROW) {
        sqlite3_reset(s->seen);
        return sq_fail(s, err, "cannot number a contract line");
    }
    line_no = sqlite3_column_int64(s->seen, 0);
    sqlite3_reset(s->seen);

    if (line_no == 1) {
        /* First line of this contract in the transaction: replace the header. */
        if ((st = prepare(s, &s->drop_lines, "DELETE FROM contract_lines WHERE contract_id=?",
                          err)))
            return st;
        sqlite3_bind_text(s->drop_lines, 1, cid->s, (int)cid->len, SQLITE_TRANSIENT);
        if ((st = step_done(s, s->drop_lines, err, "cannot replace a contract")))
            return st;
        if ((st = prepare(s, &s->drop_splits, "DELETE FROM contract_splits WHERE contract_id=?",
                          err)))
            return st;
        sqlite3_bind_text(s->drop_splits, 1, cid->s, (int)cid->len, SQLITE_TRANSIENT);
        if ((st = step_done(s, s->drop_splits, err, "cannot replace a contract")))
            return st;
        if ((st = build_upsert(s, JX_KIND_CONTRACTS, err)))
            return st;
        int i = 1;
        for (size_t c = 0; c < k->ncolumns; c++)
            if (header_column(&k->columns[c]))
                bind(s->put[JX_KIND_CONTRACTS], i++, &k->columns[c], &values[c], false);
        if ((st = step_done(s, s->put[JX_KIND_CONTRACTS], err, "cannot store a contract")))
            return st;
        for (size_t c = 0; c < k->ncolumns; c++)
            if (k->columns[c].type == JX_T_SPLIT && !values[c].null &&
                (st = put_split(s, cid, &values[c], err)))
                return st;
    }

    if ((st = prepare(s, &s->line,
                      "INSERT INTO contract_lines(contract_id,line_no,product,quantity,"
                      "unit_price,base_price,unit_cost) VALUES(?,?,?,?,?,?,?)",
                      err)))
        return st;
    sqlite3_bind_text(s->line, 1, cid->s, (int)cid->len, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s->line, 2, line_no);
    static const char *const line_cols[] = {"product", "quantity", "unit_price", "base_price",
                                            "unit_cost"};
    for (int i = 0; i < 5; i++) {
        int c = jx_kind_column(JX_KIND_CONTRACTS, line_cols[i], strlen(line_cols[i]));
        bind(s->line, 3 + i, &k->columns[c], &values[c], false);
    }
    return step_done(s, s->line, err, "cannot store a contract line");
}

static enum jx_status sq_put(struct jx_store *base, enum jx_kind kind,
                             const struct jx_value *values, struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    const struct jx_kind_def *k = &jx_kinds[kind];
    enum jx_status st;

    if (!s->in_tx)
        return jx_err_set(err, JX_EINTERNAL, "put outside a transaction");
    if (kind == JX_KIND_CONTRACTS)
        return put_contract_line(s, values, err);
    if ((st = build_upsert(s, kind, err)))
        return st;
    for (size_t c = 0; c < k->ncolumns; c++)
        bind(s->put[kind], (int)c + 1, &k->columns[c], &values[c], is_key(k, c));
    return step_done(s, s->put[kind], err, "cannot store a row");
}

static enum jx_status sq_exists(struct jx_store *base, enum jx_kind kind, const char *id,
                                size_t len, bool *exists, struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    const struct jx_kind_def *k = &jx_kinds[kind];
    char sql[256];
    enum jx_status st;
    snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE %s=?", k->name, k->columns[0].name);
    if ((st = prepare(s, &s->exists[kind], sql, err)))
        return st;
    sqlite3_bind_text(s->exists[kind], 1, id, (int)len, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s->exists[kind]);
    sqlite3_reset(s->exists[kind]);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sq_fail(s, err, "cannot look up a row");
    *exists = rc == SQLITE_ROW;
    return JX_OK;
}

/*
 * A period is locked when it, or a period containing it, is locked: a month
 * 2025-08 is locked by a lock of 2025-08, 2025-Q3 or 2025.
 */
static enum jx_status sq_period_locked(struct jx_store *base, const char *period, bool *locked,
                                       struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    struct jx_period p;
    char q[JX_PERIOD_BUFSZ], y[JX_PERIOD_BUFSZ];
    enum jx_status st = jx_period_parse(period, strlen(period), &p, err);
    if (st)
        return st;
    struct jx_period year = {JX_PERIOD_YEAR, p.year, 0};
    struct jx_period quarter = {JX_PERIOD_QUARTER, p.year, (p.index + 2) / 3};
    jx_period_format(&year, y);
    jx_period_format(p.kind == JX_PERIOD_MONTH ? &quarter : &p, q);
    if ((st = prepare(s, &s->locked, "SELECT 1 FROM periods WHERE period IN (?,?,?)", err)))
        return st;
    sqlite3_bind_text(s->locked, 1, period, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s->locked, 2, q, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s->locked, 3, y, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s->locked);
    sqlite3_reset(s->locked);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sq_fail(s, err, "cannot read the periods");
    *locked = rc == SQLITE_ROW;
    return JX_OK;
}

static enum jx_status sq_count(struct jx_store *base, enum jx_kind kind, long *n,
                               struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    char sql[128];
    sqlite3_stmt *q;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s",
             kind == JX_KIND_CONTRACTS ? "contract_lines" : jx_kinds[kind].name);
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
        return sq_fail(s, err, "cannot count rows");
    *n = sqlite3_step(q) == SQLITE_ROW ? (long)sqlite3_column_int64(q, 0) : 0;
    sqlite3_finalize(q);
    return JX_OK;
}

/*
 * Every row of a kind in import order, as the importer gave them to put:
 * SELECT the model's columns (contracts: each line joined to its header).
 */
static enum jx_status sq_rows(struct jx_store *base, enum jx_kind kind, jx_row_fn fn, void *ctx,
                              struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    const struct jx_kind_def *k = &jx_kinds[kind];
    struct jx_value v[32];
    char sql[2048];
    size_t n = 0;
    sqlite3_stmt *q = NULL;
    enum jx_status st = JX_OK;
    int rc;
    if (k->ncolumns > sizeof v / sizeof v[0])
        return jx_err_set(err, JX_EINTERNAL, "%s has too many columns", k->name);
    n += (size_t)snprintf(sql, sizeof sql, "SELECT ");
    for (size_t c = 0; c < k->ncolumns; c++)
        n += (size_t)snprintf(sql + n, sizeof sql - n, "%s%s", c ? "," : "", k->columns[c].name);
    if (kind == JX_KIND_CONTRACTS)
        snprintf(sql + n, sizeof sql - n, " FROM contracts JOIN contract_lines "
                                          "USING(contract_id) ORDER BY contracts.rowid, line_no");
    else
        snprintf(sql + n, sizeof sql - n, " FROM %s ORDER BY rowid", k->name);
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
        return sq_fail(s, err, "cannot read the rows");
    while (!st && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        for (size_t c = 0; c < k->ncolumns; c++) {
            const struct jx_column *col = &k->columns[c];
            int t = sqlite3_column_type(q, (int)c);
            memset(&v[c], 0, sizeof v[c]);
            if (is_text(col->type)) {
                v[c].s = (const char *)sqlite3_column_text(q, (int)c);
                v[c].len = (size_t)sqlite3_column_bytes(q, (int)c);
                v[c].null = t == SQLITE_NULL || (v[c].len == 0 && !col->required);
                if (!v[c].s)
                    v[c].s = "";
            } else {
                v[c].i = sqlite3_column_int64(q, (int)c);
                v[c].null = t == SQLITE_NULL || t == SQLITE_TEXT; /* a key's NULL is '' */
            }
        }
        st = fn(ctx, v, err);
    }
    if (!st && rc != SQLITE_DONE)
        st = sq_fail(s, err, "cannot read the rows");
    sqlite3_finalize(q);
    return st;
}

static enum jx_status sq_audit(struct jx_store *base, const char *who, const char *action,
                               const char *what, const char *before, const char *after,
                               struct jx_err *err)
{
    struct sq_store *s = (struct sq_store *)base;
    enum jx_status st;
    if ((st = prepare(s, &s->audit,
                      "INSERT INTO audit_log(who,action,what,before,after) VALUES(?,?,?,?,?)",
                      err)))
        return st;
    sqlite3_bind_text(s->audit, 1, who ? who : "cli", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s->audit, 2, action, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s->audit, 3, what, -1, SQLITE_TRANSIENT);
    if (before)
        sqlite3_bind_text(s->audit, 4, before, -1, SQLITE_TRANSIENT);
    if (after)
        sqlite3_bind_text(s->audit, 5, after, -1, SQLITE_TRANSIENT);
    return step_done(s, s->audit, err, "cannot write the audit log");
}

static const struct jx_store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .migrate = sq_migrate,
    .check_schema = sq_check_schema,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .put = sq_put,
    .exists = sq_exists,
    .period_locked = sq_period_locked,
    .count = sq_count,
    .audit = sq_audit,
    .load = jx_sqlite_load,
    .save_run = jx_sqlite_save_run,
    .get_run = jx_sqlite_get_run,
    .lock_period = jx_sqlite_lock_period,
    .publish = jx_sqlite_publish,
    .workflow = jx_sqlite_workflow,
    .appeal_period = jx_sqlite_appeal_period,
    .appeal_add = jx_sqlite_appeal_add,
    .appeal_decide = jx_sqlite_appeal_decide,
    .result_versions = jx_sqlite_result_versions,
    .user_put = jx_sqlite_user_put,
    .user_get = jx_sqlite_user_get,
    .user_list = jx_sqlite_user_list,
    .session_put = jx_sqlite_session_put,
    .session_get = jx_sqlite_session_get,
    .session_touch = jx_sqlite_session_touch,
    .session_delete = jx_sqlite_session_delete,
    .login_failure = jx_sqlite_login_failure,
    .login_failures = jx_sqlite_login_failures,
    .org = jx_sqlite_org,
    .audit_list = jx_sqlite_audit_list,
    .runs = jx_sqlite_runs,
    .rows = sq_rows,
    .periods = jx_sqlite_periods,
};

/* Process-wide SQLite settings, once, before any connection: no memory statistics
   (their global mutex is contended when the web server's threads share the library). */
static void sqlite_config_once(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

enum jx_status jx_sqlite_open(const char *path, bool create, struct jx_store **out,
                              struct jx_err *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_config_once);
    struct sq_store *s = calloc(1, sizeof *s);
    enum jx_status st;
    /* A store is used by one thread at a time (the HTTP server will open one per
       worker), so SQLite's per-call mutex is not needed. */
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;

    if (!s)
        return jx_err_set(err, JX_ENOMEM, "out of memory");
    s->base.ops = &sqlite_ops;
    snprintf(s->path, sizeof s->path, "%s", path);
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        st = jx_err_set(err, JX_ESTORE, "cannot open %s: %s%s", path,
                        s->db ? sqlite3_errmsg(s->db) : "out of memory",
                        create ? "" : " (create it with 'jixiao init --db PATH')");
        sqlite3_close(s->db);
        free(s);
        return st;
    }
    sqlite3_busy_timeout(s->db, 5000);
    sqlite3_extended_result_codes(s->db, 1);
    if ((st = exec(s,
                   "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
                   "PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;",
                   err))) {
        sq_close(&s->base);
        return st;
    }
    *out = &s->base;
    return JX_OK;
}
