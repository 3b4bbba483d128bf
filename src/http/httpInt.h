/*
 * httpInt.h - what the server's files share: a request and the helpers that
 * answer it.  Private to src/http.
 */
#ifndef JX_HTTP_INT_H
#define JX_HTTP_INT_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>

#include "http/http.h"
#include "store/store.h"

#define JX_HTTP_BODY_MAX (1u << 20)     /* request bodies: 1 MiB */
#define JX_HTTP_UPLOAD_MAX (32u << 20)  /* ... but a CSV import: 32 MiB */

struct jx_req {
    struct MHD_Connection *con;
    const struct jx_http_config *cfg;
    const char *method, *url;
    char *body;
    size_t len, cap;
    bool too_big;
    struct jx_store *st;      /* this worker thread's store */
    /* set by jx_http_auth() */
    bool authed;
    struct jx_user user;
    struct jx_session sess;
    char token_hash[65];
    /* for the access log */
    unsigned status;
    double start_ms;
};

/* Answer with a JSON text (copied) and status; cookie, when not NULL, is a Set-Cookie value. */
enum MHD_Result jx_http_reply(struct jx_req *r, unsigned status, const char *json,
                              const char *cookie);

/*
 * Answer 200 with len bytes (copied) of a content type; filename, when not
 * NULL, makes it a download of that name; policy, when not NULL, replaces
 * the Content-Security-Policy.
 */
enum MHD_Result jx_http_send(struct jx_req *r, const char *type, const void *data, size_t len,
                             const char *filename, const char *policy);

/* Answer with a JSON object (freed here); cookie, when not NULL, is a Set-Cookie value. */
enum MHD_Result jx_http_json(struct jx_req *r, unsigned status, json_t *o);
enum MHD_Result jx_http_json_cookie(struct jx_req *r, unsigned status, json_t *o,
                                    const char *cookie);

/* Answer {"error": message} with status. */
enum MHD_Result jx_http_error(struct jx_req *r, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Answer a storage failure (500) and log it. */
enum MHD_Result jx_http_fail(struct jx_req *r, const struct jx_err *err);

/* Query argument name, or NULL. */
const char *jx_http_arg(struct jx_req *r, const char *name);

/*
 * Find the caller's session (cookie jx_session) and user into r; false when
 * there is none or it expired (the caller answers 401).
 */
bool jx_http_auth(struct jx_req *r);

/* The API routes (api.c): answer r; false when no route matches the path. */
bool jx_http_api(struct jx_req *r, enum MHD_Result *ret);

/* The state-changing routes (api_write.c), after the session and CSRF checks. */
enum MHD_Result jx_http_import(struct jx_req *r);
enum MHD_Result jx_http_run(struct jx_req *r);
enum MHD_Result jx_http_lock(struct jx_req *r);
enum MHD_Result jx_http_users(struct jx_req *r, bool post);
enum MHD_Result jx_http_units(struct jx_req *r);
enum MHD_Result jx_http_publish(struct jx_req *r);
enum MHD_Result jx_http_appeals(struct jx_req *r, bool (*visible)(struct jx_req *, const char *));
enum MHD_Result jx_http_appeal_add(struct jx_req *r);
enum MHD_Result jx_http_complaints(struct jx_req *r,
                                   bool (*visible)(struct jx_req *, const char *));
enum MHD_Result jx_http_appeal_decide(struct jx_req *r, long long id);

/* The read-only views of api_view.c. */
enum MHD_Result jx_http_runs(struct jx_req *r);
enum MHD_Result jx_http_dashboard(struct jx_req *r);
enum MHD_Result jx_http_data_export(struct jx_req *r);
enum MHD_Result jx_http_customers(struct jx_req *r);
/* rec (already filtered to what the caller may see) as a csv or xlsx download. */
enum MHD_Result jx_http_export(struct jx_req *r, const struct jx_run_record *rec,
                               const char *format);
/* rec's single person's statement as a printable HTML page or a PDF. */
enum MHD_Result jx_http_statement_doc(struct jx_req *r, const struct jx_run_record *rec,
                                      const char *format);

struct jx_data;
/* vis[p] for each person p of d: whether the caller may see them. */
enum jx_status jx_http_visible(struct jx_req *r, const struct jx_data *d, bool *vis,
                               struct jx_err *err);

/* Whether the caller has one of the roles ("hr finance admin"). */
bool jx_http_role(const struct jx_req *r, const char *roles);

/* Record a denied request in the audit log, then answer status. */
enum MHD_Result jx_http_deny(struct jx_req *r, unsigned status, const char *why);

/* Unix seconds now. */
long long jx_http_now(void);

#endif
