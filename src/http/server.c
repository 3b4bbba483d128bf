/*
 * server.c - the HTTP server: libmicrohttpd with a pool of worker threads,
 * each with its own store handle; request bodies gathered up to a limit;
 * security headers on every response; the embedded UI; an access log line
 * (JSON) per request on stderr; graceful shutdown.
 */
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/embed.h"
#include "http/httpInt.h"

extern const struct jx_embedded jx_ui_files[];

static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
                          "base-uri 'none'; form-action 'self'";

long long jx_http_now(void)
{
    return (long long)time(NULL);
}

/* ---- the store of each worker thread ---------------------------------- */

static pthread_key_t store_key;
static pthread_once_t store_once = PTHREAD_ONCE_INIT;

static void store_close(void *p)
{
    jx_store_close(p);
}

static void store_key_make(void)
{
    pthread_key_create(&store_key, store_close);
}

/* This thread's store, opened on first use; NULL (err set) when it cannot be opened. */
static struct jx_store *thread_store(const char *db, struct jx_err *err)
{
    pthread_once(&store_once, store_key_make);
    struct jx_store *st = pthread_getspecific(store_key);
    if (st)
        return st;
    if (jx_store_open(db, false, &st, err) || jx_store_check_schema(st, err)) {
        jx_store_close(st);
        return NULL;
    }
    pthread_setspecific(store_key, st);
    return st;
}

/* ---- responses -------------------------------------------------------- */

/* Add the headers every response carries. */
static void security_headers(struct MHD_Response *resp, const char *policy)
{
    MHD_add_response_header(resp, "Content-Security-Policy", policy ? policy : csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
}

/* Queue a response of len bytes (copied) with a content type. */
static enum MHD_Result respond(struct jx_req *r, unsigned status, const char *type, const void *data,
                            size_t len, bool cache, const char *cookie)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    security_headers(resp, NULL);
    MHD_add_response_header(resp, "Content-Type", type);
    MHD_add_response_header(resp, "Cache-Control", cache ? "public, max-age=3600" : "no-store");
    if (cookie)
        MHD_add_response_header(resp, "Set-Cookie", cookie);
    r->status = status;
    enum MHD_Result ret = MHD_queue_response(r->con, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

enum MHD_Result jx_http_send(struct jx_req *r, const char *type, const void *data, size_t len,
                             const char *filename, const char *policy)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
    char disp[160];
    if (!resp)
        return MHD_NO;
    security_headers(resp, policy);
    MHD_add_response_header(resp, "Content-Type", type);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (filename) {
        snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", filename);
        MHD_add_response_header(resp, "Content-Disposition", disp);
    }
    r->status = 200;
    enum MHD_Result ret = MHD_queue_response(r->con, 200, resp);
    MHD_destroy_response(resp);
    return ret;
}

enum MHD_Result jx_http_reply(struct jx_req *r, unsigned status, const char *json,
                              const char *cookie)
{
    return respond(r, status, "application/json; charset=utf-8", json, strlen(json), false, cookie);
}

enum MHD_Result jx_http_json_cookie(struct jx_req *r, unsigned status, json_t *o,
                                    const char *cookie)
{
    char *text = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    enum MHD_Result ret = text ? jx_http_reply(r, status, text, cookie)
                               : jx_http_reply(r, 500, "{\"error\":\"out of memory\"}", NULL);
    free(text);
    json_decref(o);
    return ret;
}

enum MHD_Result jx_http_json(struct jx_req *r, unsigned status, json_t *o)
{
    return jx_http_json_cookie(r, status, o, NULL);
}

enum MHD_Result jx_http_error(struct jx_req *r, unsigned status, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *o = json_pack("{s:s}", "error", msg);
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    enum MHD_Result ret = jx_http_reply(r, status, text ? text : "{\"error\":\"?\"}", NULL);
    free(text);
    json_decref(o);
    return ret;
}

enum MHD_Result jx_http_fail(struct jx_req *r, const struct jx_err *err)
{
    char buf[1024];
    fprintf(stderr, "jixiao serve: %s %s: %s\n", r->method, r->url,
            jx_err_format(err, buf, sizeof buf));
    return jx_http_error(r, 500, "internal error");
}

const char *jx_http_arg(struct jx_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->con, MHD_GET_ARGUMENT_KIND, name);
}

/* The content type of an embedded file by its extension. */
static const char *content_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    static const struct {
        const char *ext, *type;
    } types[] = {{".html", "text/html; charset=utf-8"},
                 {".js", "text/javascript; charset=utf-8"},
                 {".css", "text/css; charset=utf-8"},
                 {".svg", "image/svg+xml"},
                 {".png", "image/png"},
                 {".json", "application/json; charset=utf-8"}};
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(dot, types[i].ext))
            return types[i].type;
    return "application/octet-stream";
}

/* GET of the UI: / is index.html, /NAME an embedded file. */
static enum MHD_Result serve_file(struct jx_req *r)
{
    const char *name = !strcmp(r->url, "/") ? "index.html" : r->url + 1;
    for (const struct jx_embedded *f = jx_ui_files; f->name; f++)
        if (!strcmp(f->name, name))
            return respond(r, 200, content_type(f->name), f->data, f->size,
                        strcmp(f->name, "index.html") != 0, NULL);
    return jx_http_error(r, 404, "not found: %s", r->url);
}

/* ---- the request cycle ------------------------------------------------ */

/* One JSON line per request: time, method, path, status, milliseconds, user. */
static void access_log(const struct jx_req *r)
{
    char when[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    double ms = (double)(long long)((jx_clock_ms() - r->start_ms) * 1000.0 + 0.5) / 1000.0;
    json_t *o = json_pack("{s:s,s:s,s:s,s:i,s:f,s:s?}", "t", when, "method", r->method, "path",
                          r->url, "status", (int)r->status, "ms", ms, "user",
                          r->authed ? r->user.name : NULL);
    char *text = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(9)) : NULL; /* 2.415 */
    if (text)
        fprintf(stderr, "%s\n", text);
    free(text);
    json_decref(o);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    const struct jx_http_config *cfg = cls;
    struct jx_req *r = *con_cls;
    (void)version;
    if (!r) { /* first call: headers only */
        if (!(r = jx_calloc(1, sizeof *r)))
            return MHD_NO;
        r->con = con;
        r->cfg = cfg;
        r->method = method;
        r->url = url;
        r->start_ms = jx_clock_ms();
        *con_cls = r;
        return MHD_YES;
    }
    if (*upload_size) { /* a piece of the body */
        size_t max = strncmp(url, "/api/import", 11) ? JX_HTTP_BODY_MAX : JX_HTTP_UPLOAD_MAX;
        if (r->too_big || r->len + *upload_size > max) {
            r->too_big = true;
        } else {
            if (r->len + *upload_size + 1 > r->cap) {
                size_t cap = (r->len + *upload_size + 1) * 2;
                char *b = jx_realloc(r->body, cap);
                if (!b)
                    return MHD_NO;
                r->body = b;
                r->cap = cap;
            }
            memcpy(r->body + r->len, upload_data, *upload_size);
            r->len += *upload_size;
            r->body[r->len] = '\0';
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->too_big)
        return jx_http_error(r, 413, "the request body is too large");
    if (strncmp(url, "/api/", 5)) {
        if (strcmp(method, "GET") && strcmp(method, "HEAD"))
            return jx_http_error(r, 405, "method not allowed");
        return serve_file(r);
    }
    struct jx_err err;
    jx_err_clear(&err);
    if (!(r->st = thread_store(cfg->db, &err)))
        return jx_http_fail(r, &err);
    enum MHD_Result ret;
    if (!jx_http_api(r, &ret))
        return jx_http_error(r, 404, "no such API: %s %s", method, url);
    return ret;
}

/* After the response: the access log, then free the request. */
static void on_completed(void *cls, struct MHD_Connection *con, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    const struct jx_http_config *cfg = cls;
    struct jx_req *r = *con_cls;
    (void)con;
    (void)toe;
    if (!r)
        return;
    if (!cfg->quiet && r->status)
        access_log(r);
    free(r->body);
    free(r);
    *con_cls = NULL;
}

enum jx_status jx_http_serve(const struct jx_http_config *cfg, struct jx_err *err)
{
    struct sockaddr_in addr = {0};
    struct jx_store *st = NULL;
    enum jx_status s;
    /* open once here to report a bad database before listening */
    if ((s = jx_store_open(cfg->db, false, &st, err)) || (s = jx_store_check_schema(st, err))) {
        jx_store_close(st);
        return s;
    }
    jx_store_close(st);
    if (sodium_init() < 0)
        return jx_err_set(err, JX_EINTERNAL, "libsodium failed to start");
    addr.sin_family = AF_INET;
    addr.sin_port = htons(cfg->port);
    if (inet_pton(AF_INET, cfg->host, &addr.sin_addr) != 1)
        return jx_err_set(err, JX_EUSAGE, "%s is not an IPv4 address", cfg->host);
    unsigned threads = cfg->threads;
    if (!threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 && n < 64 ? (unsigned)n : 2;
    }
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, cfg->port, NULL,
        NULL, on_request, (void *)cfg, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)1000, MHD_OPTION_NOTIFY_COMPLETED, on_completed, (void *)cfg, MHD_OPTION_END);
    if (!d)
        return jx_err_set(err, JX_ESTORE, "cannot listen on %s:%u (in use?)", cfg->host,
                          (unsigned)cfg->port);
    while (!*cfg->stop)
        usleep(100 * 1000);
    MHD_stop_daemon(d); /* finishes the requests in progress */
    return JX_OK;
}
