/*
 * api.c - the JSON API: login and sessions, and the routes, each authorised
 * by role and by record.
 *
 *   POST /api/login                 {"user","password"} -> session cookie + csrf
 *   POST /api/logout
 *   GET  /api/me
 *   GET  /api/periods               periods with a run, newest first
 *   GET  /api/results?period=P      the results the caller may see (&run=ID: that run;
 *                                   &format=csv|xlsx: a download)
 *   GET  /api/people                the people the caller may see
 *   GET  /api/people/ID/statement?period=P   one result with its trace
 *                                   (&format=html|pdf: the printable statement)
 *   GET  /api/runs?period=P, /api/dashboard?period=P   see api_view.c
 *   GET  /api/audit                 admin: the newest audit entries
 *   GET  /api/units                 the organisation's units
 *   POST /api/import?kind=K         hr, finance, admin: a CSV file (body), all or nothing
 *   POST /api/run                   hr, finance, admin: {"period", "plans": [names]}
 *   POST /api/lock                  finance: {"period"}; not who ran it (segregation)
 *   GET|POST /api/users             admin: list; {"name","role","person_id","password"}
 *   POST /api/publish               hr: {"period"}; appeal window and interview deadlines
 *   GET  /api/appeals?period=P      the appeals of the people the caller may see
 *   POST /api/appeals               {"period","person","reason"}: one's own (or hr)
 *   POST /api/appeals/ID/decide     hr: {"accept", "reason", "grade"?}
 *   GET  /api/complaints?period=P   tickets of visible owners with SLA fields, metrics
 *                                   (&by=person|unit: per owner or team)
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/strmap.h"
#include "http/httpInt.h"
#include "io/results.h"
#include "io/run.h"

#define FAIL_WINDOW (15 * 60) /* failed logins are counted over 15 minutes */
#define FAIL_MAX 10           /* ... and at most 10 are allowed */

/* ---- sessions --------------------------------------------------------- */

/* A write the answer does not depend on (audit of a denial, a session touch): log a failure. */
static void best_effort(const struct jx_req *r, enum jx_status s, const struct jx_err *err)
{
    char buf[1024];
    if (s)
        fprintf(stderr, "jixiao serve: %s %s: %s\n", r->method, r->url,
                jx_err_format(err, buf, sizeof buf));
}

/* Hex BLAKE2b-256 of a session token: what the store keeps. */
static void token_hash(const char *token, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

/* 32 random bytes as 64 hex characters. */
static void random_hex(char out[65])
{
    unsigned char b[32];
    randombytes_buf(b, sizeof b);
    sodium_bin2hex(out, 65, b, sizeof b);
}

bool jx_http_auth(struct jx_req *r)
{
    struct jx_err err;
    const char *token = MHD_lookup_connection_value(r->con, MHD_COOKIE_KIND, "jx_session");
    long long now = jx_http_now();
    if (!token || strlen(token) != 64)
        return false;
    token_hash(token, r->token_hash);
    jx_err_clear(&err);
    if (jx_store_session_get(r->st, r->token_hash, &r->sess, &err))
        return false;
    if (now - r->sess.last_seen > (long long)r->cfg->idle_minutes * 60 ||
        now - r->sess.created > (long long)r->cfg->max_hours * 3600) {
        best_effort(r, jx_store_session_delete(r->st, r->token_hash, &err), &err); /* expired */
        return false;
    }
    if (jx_store_user_get(r->st, r->sess.user, &r->user, &err) || r->user.disabled)
        return false;
    /* a write only once a minute, so reads stay reads */
    if (now - r->sess.last_seen >= 60)
        best_effort(r, jx_store_session_touch(r->st, r->token_hash, now, &err), &err);
    r->authed = true;
    return true;
}

/* The CSRF token of the request matches the session's. */
static bool csrf_ok(struct jx_req *r)
{
    const char *h = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "X-CSRF-Token");
    return h && strlen(h) == 64 && sodium_memcmp(h, r->sess.csrf, 64) == 0;
}

/* Record a denied request in the audit log, then answer status. */
enum MHD_Result jx_http_deny(struct jx_req *r, unsigned status, const char *why)
{
    struct jx_err err;
    char what[600];
    snprintf(what, sizeof what, "%s %s: %s", r->method, r->url, why);
    jx_err_clear(&err);
    best_effort(r, jx_store_audit(r->st, r->authed ? r->user.name : "anonymous", "denied", what, NULL, NULL,
                         &err), &err);
    return jx_http_error(r, status, "%s", why);
}

bool jx_http_role(const struct jx_req *r, const char *roles)
{
    size_t n = strlen(r->user.role);
    for (const char *p = roles; (p = strstr(p, r->user.role)); p += n)
        if ((p == roles || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

/* JSON of the user: {"user","role","person_id"} plus extra (may be NULL). */
static enum MHD_Result user_reply(struct jx_req *r, const char *csrf, const char *cookie)
{
    json_t *o = json_pack("{s:s,s:s,s:s?}", "user", r->user.name, "role", r->user.role,
                          "person_id", r->user.person_id[0] ? r->user.person_id : NULL);
    if (csrf)
        json_object_set_new(o, "csrf", json_string(csrf));
    return jx_http_json_cookie(r, 200, o, cookie);
}

static enum MHD_Result login(struct jx_req *r)
{
    struct jx_err err;
    json_error_t je;
    json_t *in = r->body ? json_loads(r->body, 0, &je) : NULL;
    const char *name = json_string_value(json_object_get(in, "user")),
               *pw = json_string_value(json_object_get(in, "password"));
    long long now = jx_http_now();
    long fails = 0;
    enum MHD_Result ret;
    jx_err_clear(&err);
    if (!name || !pw) {
        json_decref(in);
        return jx_http_error(r, 400, "expected {\"user\": ..., \"password\": ...}");
    }
    if (jx_store_login_failures(r->st, name, now - FAIL_WINDOW, &fails, &err)) {
        json_decref(in);
        return jx_http_fail(r, &err);
    }
    if (fails >= FAIL_MAX) {
        json_decref(in);
        return jx_http_deny(r, 429, "too many failed logins for this account: try again in 15 minutes");
    }
    bool ok = !jx_store_user_get(r->st, name, &r->user, &err) && !r->user.disabled &&
              crypto_pwhash_str_verify(r->user.pw_hash, pw, strlen(pw)) == 0;
    if (!ok) {
        jx_err_clear(&err);
        best_effort(r, jx_store_login_failure(r->st, name, now, &err), &err);
        char what[200];
        snprintf(what, sizeof what, "login of %.64s", name);
        best_effort(r, jx_store_audit(r->st, name, "login.denied", what, NULL, NULL, &err), &err);
        json_decref(in);
        return jx_http_error(r, 401, "wrong user name or password");
    }
    json_decref(in);
    char token[65], cookie[160];
    random_hex(token);
    token_hash(token, r->token_hash);
    memset(&r->sess, 0, sizeof r->sess);
    snprintf(r->sess.user, sizeof r->sess.user, "%s", r->user.name);
    random_hex(r->sess.csrf);
    r->sess.created = r->sess.last_seen = now;
    if (jx_store_session_put(r->st, r->token_hash, &r->sess, &err) ||
        jx_store_audit(r->st, r->user.name, "login", r->user.name, NULL, NULL, &err))
        return jx_http_fail(r, &err);
    r->authed = true;
    snprintf(cookie, sizeof cookie, "jx_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d",
             token, r->cfg->max_hours * 3600);
    ret = user_reply(r, r->sess.csrf, cookie);
    sodium_memzero(token, sizeof token);
    return ret;
}

static enum MHD_Result logout(struct jx_req *r)
{
    struct jx_err err;
    jx_err_clear(&err);
    if (jx_store_session_delete(r->st, r->token_hash, &err) ||
        jx_store_audit(r->st, r->user.name, "logout", r->user.name, NULL, NULL, &err))
        return jx_http_fail(r, &err);
    return jx_http_reply(r, 200, "{\"ok\":true}",
                         "jx_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
}

/* ---- who may see whom ------------------------------------------------- */

struct view {
    struct jx_org org;
    struct jx_strmap people, units;
    int32_t self;       /* the caller's person index, -1 */
    bool all;           /* hr, finance, admin */
};

static void view_release(struct view *v)
{
    jx_strmap_release(&v->people);
    jx_strmap_release(&v->units);
    jx_org_release(&v->org);
}

/* Load the organisation and index it for the caller. */
static enum jx_status view_load(struct jx_req *r, struct view *v, struct jx_err *err)
{
    enum jx_status s;
    memset(v, 0, sizeof *v);
    jx_strmap_init(&v->people);
    jx_strmap_init(&v->units);
    if ((s = jx_store_org(r->st, &v->org, err)))
        return s;
    for (size_t i = 0; i < v->org.npeople; i++)
        if (jx_strmap_put(&v->people, v->org.pid[i], strlen(v->org.pid[i]), (int32_t)i, NULL) < 0)
            return jx_err_set(err, JX_ENOMEM, "out of memory");
    for (size_t i = 0; i < v->org.nunits; i++)
        if (jx_strmap_put(&v->units, v->org.uid[i], strlen(v->org.uid[i]), (int32_t)i, NULL) < 0)
            return jx_err_set(err, JX_ENOMEM, "out of memory");
    const char *role = r->user.role;
    v->all = !strcmp(role, "hr") || !strcmp(role, "finance") || !strcmp(role, "admin");
    v->self = r->user.person_id[0]
                  ? jx_strmap_get(&v->people, r->user.person_id, strlen(r->user.person_id))
                  : -1;
    return JX_OK;
}

/* Whether unit u is top or below it. */
static bool unit_below(const struct view *v, const char *u, const char *top)
{
    for (int depth = 0; u && *u && depth < 64; depth++) {
        if (!strcmp(u, top))
            return true;
        int32_t i = jx_strmap_get(&v->units, u, strlen(u));
        u = i >= 0 ? v->org.uparent[i] : NULL;
    }
    return false;
}

/*
 * Whether the caller may see person p: themselves always; a manager the
 * people below them (by manager); a director also everyone in their unit's
 * subtree; hr, finance and admin everyone.
 */
static bool may_see(const struct jx_req *r, const struct view *v, int32_t p)
{
    if (v->all)
        return true;
    if (p < 0 || v->self < 0)
        return false;
    if (p == v->self)
        return true;
    const char *role = r->user.role;
    if (strcmp(role, "manager") && strcmp(role, "director"))
        return false;
    int depth = 0;
    for (const char *m = v->org.pmanager[p]; *m && depth < 64; depth++) {
        int32_t q = jx_strmap_get(&v->people, m, strlen(m));
        if (q == v->self)
            return true;
        if (q < 0)
            break;
        m = v->org.pmanager[q];
    }
    return !strcmp(role, "director") && unit_below(v, v->org.punit[p], v->org.punit[v->self]);
}

enum jx_status jx_http_visible(struct jx_req *r, const struct jx_data *d, bool *vis,
                               struct jx_err *err)
{
    struct view v;
    enum jx_status s = view_load(r, &v, err);
    for (size_t i = 0; !s && i < d->people.n; i++)
        vis[i] = may_see(r, &v, jx_strmap_get(&v.people, d->people.id[i],
                                              strlen(d->people.id[i])));
    view_release(&v);
    return s;
}

/* A result row's person (its "id", or the key before a subject prefix), -1 if not a person. */
static int32_t row_person(const struct view *v, const char *key)
{
    if (strchr(key, ':'))
        return -1; /* a team or agent row: only for those who see everyone */
    return jx_strmap_get(&v->people, key, strlen(key));
}

/* ---- routes ----------------------------------------------------------- */

/* The period argument, checked; NULL after answering 400. */
static const char *period_arg(struct jx_req *r, enum MHD_Result *ret)
{
    const char *p = jx_http_arg(r, "period");
    struct jx_period per;
    if (!p || jx_period_parse(p, strlen(p), &per, NULL)) {
        *ret = jx_http_error(r, 400, "give ?period= as 2025-08, 2025-Q3 or 2025");
        return NULL;
    }
    return p;
}

static enum MHD_Result results(struct jx_req *r)
{
    enum MHD_Result ret;
    struct jx_err err;
    struct view v;
    struct jx_run_record rec = {0};
    const char *per = period_arg(r, &ret), *run = jx_http_arg(r, "run"),
               *format = jx_http_arg(r, "format");
    enum jx_status s;
    if (!per)
        return ret;
    if (format && strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "xlsx"))
        return jx_http_error(r, 400, "format is json, csv or xlsx");
    jx_err_clear(&err);
    if ((s = view_load(r, &v, &err))) {
        view_release(&v);
        return jx_http_fail(r, &err);
    }
    /* a given run as it was computed; else the newest, with its published versions */
    s = run ? jx_store_get_results_of(r->st, per, run, &rec, &err)
            : jx_store_get_results(r->st, per, &rec, &err);
    if (s == JX_ENOTFOUND) {
        view_release(&v);
        return run ? jx_http_error(r, 404, "%s has no run %s", per, run)
                   : jx_http_error(r, 404, "%s has no run yet", per);
    }
    if (!s && !run)
        s = jx_results_show_versions(r->st, per, NULL, &rec, &err);
    if (s) {
        view_release(&v);
        return jx_http_fail(r, &err);
    }
    if (format && strcmp(format, "json")) {
        size_t k = 0;
        for (size_t i = 0; i < rec.nrows; i++) {
            int32_t p = row_person(&v, rec.rows[i].person_id);
            if (v.all || (p >= 0 && may_see(r, &v, p)))
                rec.rows[k++] = rec.rows[i];
        }
        rec.nrows = k;
        view_release(&v);
        ret = jx_http_export(r, &rec, format);
        jx_run_record_release(&rec);
        return ret;
    }
    /* the stored rows are JSON objects: join the visible ones */
    size_t cap = 128, len = 0;
    for (size_t i = 0; i < rec.nrows; i++)
        cap += strlen(rec.rows[i].result) + 4;
    char *out = malloc(cap);
    if (!out) {
        jx_run_record_release(&rec);
        view_release(&v);
        return jx_http_error(r, 500, "out of memory");
    }
    len = (size_t)snprintf(out, cap, "{\"period\":\"%s\",\"run\":\"%s\",\"people\":[", rec.period,
                           rec.id);
    bool first = true;
    for (size_t i = 0; i < rec.nrows; i++) {
        int32_t p = row_person(&v, rec.rows[i].person_id);
        if (!(v.all || (p >= 0 && may_see(r, &v, p))))
            continue;
        len += (size_t)snprintf(out + len, cap - len, "%s%s", first ? "" : ",",
                                rec.rows[i].result);
        first = false;
    }
    snprintf(out + len, cap - len, "]}");
    ret = jx_http_reply(r, 200, out, NULL);
    free(out);
    jx_run_record_release(&rec);
    view_release(&v);
    return ret;
}

static enum MHD_Result people(struct jx_req *r)
{
    struct jx_err err;
    struct view v;
    jx_err_clear(&err);
    if (view_load(r, &v, &err)) {
        view_release(&v);
        return jx_http_fail(r, &err);
    }
    json_t *list = json_array();
    for (size_t i = 0; i < v.org.npeople; i++) {
        if (!may_see(r, &v, (int32_t)i))
            continue;
        json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:s,s:s?}", "id", v.org.pid[i], "name",
                                              v.org.pname[i], "unit_id", v.org.punit[i], "role",
                                              v.org.prole[i], "manager_id",
                                              v.org.pmanager[i][0] ? v.org.pmanager[i] : NULL));
    }
    json_t *o = json_pack("{s:o}", "people", list);
    enum MHD_Result ret = jx_http_json(r, 200, o);
    view_release(&v);
    return ret;
}

/* GET /api/people/ID/statement?period=P */
static enum MHD_Result statement(struct jx_req *r, const char *id)
{
    enum MHD_Result ret;
    struct jx_err err;
    struct view v;
    struct jx_run_record rec = {0};
    const char *per = period_arg(r, &ret), *format = jx_http_arg(r, "format");
    if (!per)
        return ret;
    if (format && strcmp(format, "json") && strcmp(format, "html") && strcmp(format, "pdf"))
        return jx_http_error(r, 400, "format is json, html or pdf");
    jx_err_clear(&err);
    if (view_load(r, &v, &err)) {
        view_release(&v);
        return jx_http_fail(r, &err);
    }
    int32_t p = jx_strmap_get(&v.people, id, strlen(id));
    if (p < 0) {
        view_release(&v);
        return jx_http_error(r, 404, "no person %s", id);
    }
    if (!may_see(r, &v, p)) {
        view_release(&v);
        return jx_http_deny(r, 403, "you may not see this person's results");
    }
    view_release(&v);
    /* the stored row, recomputed with its commission lines when the data is the run's */
    struct jx_run_record full = {0};
    bool lines = false;
    enum jx_status s = jx_store_get_run(r->st, per, id, &rec, &err);
    if (!s && rec.nrows && !(s = jx_run_with_lines(r->st, &rec, &full, &lines, &err)) && lines) {
        jx_run_record_release(&rec);
        rec = full;
    }
    if (!s)
        s = jx_results_show_versions(r->st, per, id, &rec, &err);
    if (s == JX_ENOTFOUND || (!s && rec.nrows == 0)) {
        jx_run_record_release(&rec);
        return jx_http_error(r, 404, "%s has no result in %s", id, per);
    }
    if (s) {
        jx_run_record_release(&rec);
        return jx_http_fail(r, &err);
    }
    if (format && strcmp(format, "json")) {
        ret = jx_http_statement_doc(r, &rec, format);
        jx_run_record_release(&rec);
        return ret;
    }
    size_t cap = strlen(rec.rows[0].result) + strlen(rec.rows[0].trace) + 128;
    char *out = malloc(cap);
    if (!out) {
        jx_run_record_release(&rec);
        return jx_http_error(r, 500, "out of memory");
    }
    snprintf(out, cap, "{\"period\":\"%s\",\"run\":\"%s\",\"result\":%s,\"trace\":%s}", rec.period,
             rec.id, rec.rows[0].result, rec.rows[0].trace);
    ret = jx_http_reply(r, 200, out, NULL);
    free(out);
    jx_run_record_release(&rec);
    return ret;
}

static enum MHD_Result periods(struct jx_req *r)
{
    struct jx_err err;
    struct jx_period_info *v = NULL;
    size_t n = 0;
    jx_err_clear(&err);
    if (jx_store_periods(r->st, &v, &n, &err))
        return jx_http_fail(r, &err);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:s,s:s,s:b,s:b}", "period", v[i].period, "run",
                                              v[i].run, "published", v[i].published, "locked",
                                              v[i].locked));
    free(v);
    json_t *o = json_pack("{s:o}", "periods", list);
    return jx_http_json(r, 200, o);
}

/* GET /api/audit (admin): {"audit": [the newest 500 entries]}. */
static enum MHD_Result audit(struct jx_req *r)
{
    struct jx_err err;
    char *list = NULL;
    jx_err_clear(&err);
    if (jx_store_audit_list(r->st, 500, &list, &err))
        return jx_http_fail(r, &err);
    size_t n = strlen(list) + 16;
    char *out = malloc(n);
    enum MHD_Result ret;
    if (!out) {
        free(list);
        return jx_http_error(r, 500, "out of memory");
    }
    snprintf(out, n, "{\"audit\":%s}", list);
    ret = jx_http_reply(r, 200, out, NULL);
    free(out);
    free(list);
    return ret;
}

/* Whether the caller may see person id (for lists filtered by person). */
static bool person_visible(struct jx_req *r, const char *id)
{
    struct view v;
    struct jx_err err;
    bool ok = false;
    jx_err_clear(&err);
    if (!view_load(r, &v, &err))
        ok = may_see(r, &v, jx_strmap_get(&v.people, id, strlen(id)));
    view_release(&v);
    return ok;
}

bool jx_http_api(struct jx_req *r, enum MHD_Result *ret)
{
    const char *path = r->url + 4; /* after "/api" */
    bool get = !strcmp(r->method, "GET"), post = !strcmp(r->method, "POST");
    if (!strcmp(path, "/login")) {
        *ret = post ? login(r) : jx_http_error(r, 405, "use POST");
        return true;
    }
    static const char *const known[] = {"/logout", "/me",   "/periods", "/results", "/people",
                                        "/audit",  "/import", "/run",   "/lock",    "/users",
                                        "/units",  "/publish", "/appeals", "/complaints", "/runs",
                                        "/dashboard", "/export", "/customers", NULL};
    bool found = !strncmp(path, "/people/", 8) || !strncmp(path, "/appeals/", 9);
    for (int i = 0; known[i]; i++)
        found |= !strcmp(path, known[i]);
    if (!found)
        return false;
    if (!jx_http_auth(r)) {
        *ret = jx_http_error(r, 401, "log in first");
        return true;
    }
    if (post && !csrf_ok(r)) {
        *ret = jx_http_deny(r, 403, "missing or wrong X-CSRF-Token");
        return true;
    }
    if (!strcmp(path, "/logout"))
        *ret = post ? logout(r) : jx_http_error(r, 405, "use POST");
    else if (!strcmp(path, "/import"))
        *ret = post ? jx_http_import(r) : jx_http_error(r, 405, "use POST");
    else if (!strcmp(path, "/run"))
        *ret = post ? jx_http_run(r) : jx_http_error(r, 405, "use POST");
    else if (!strcmp(path, "/lock"))
        *ret = post ? jx_http_lock(r) : jx_http_error(r, 405, "use POST");
    else if (!strcmp(path, "/publish"))
        *ret = post ? jx_http_publish(r) : jx_http_error(r, 405, "use POST");
    else if (!strcmp(path, "/appeals"))
        *ret = post ? jx_http_appeal_add(r) : get ? jx_http_appeals(r, person_visible)
                                                  : jx_http_error(r, 405, "use GET or POST");
    else if (!strncmp(path, "/appeals/", 9)) {
        char *end;
        long long id = strtoll(path + 9, &end, 10);
        if (id <= 0 || strcmp(end, "/decide"))
            *ret = jx_http_error(r, 404, "no such API: %s", r->url);
        else
            *ret = post ? jx_http_appeal_decide(r, id) : jx_http_error(r, 405, "use POST");
    } else if (!strcmp(path, "/users"))
        *ret = get || post ? jx_http_users(r, post) : jx_http_error(r, 405, "use GET or POST");
    else if (!get)
        *ret = jx_http_error(r, 405, "use GET");
    else if (!strcmp(path, "/me"))
        *ret = user_reply(r, NULL, NULL);
    else if (!strcmp(path, "/periods"))
        *ret = periods(r);
    else if (!strcmp(path, "/results"))
        *ret = results(r);
    else if (!strcmp(path, "/people"))
        *ret = people(r);
    else if (!strcmp(path, "/units"))
        *ret = jx_http_units(r);
    else if (!strcmp(path, "/runs"))
        *ret = jx_http_runs(r);
    else if (!strcmp(path, "/dashboard"))
        *ret = jx_http_dashboard(r);
    else if (!strcmp(path, "/export"))
        *ret = jx_http_data_export(r);
    else if (!strcmp(path, "/customers"))
        *ret = jx_http_customers(r);
    else if (!strcmp(path, "/complaints"))
        *ret = jx_http_complaints(r, person_visible);
    else if (!strcmp(path, "/audit"))
        *ret = strcmp(r->user.role, "admin") ? jx_http_deny(r, 403, "the audit log is for admin")
                                              : audit(r);
    else {
        /* /people/ID/statement */
        char id[JX_USER_NAME_MAX + 1];
        const char *rest = path + 8, *slash = strchr(rest, '/');
        if (!slash || strcmp(slash, "/statement") || (size_t)(slash - rest) > JX_USER_NAME_MAX ||
            slash == rest) {
            *ret = jx_http_error(r, 404, "no such API: %s", r->url);
            return true;
        }
        memcpy(id, rest, (size_t)(slash - rest));
        id[slash - rest] = '\0';
        *ret = statement(r, id);
    }
    return true;
}
