/*
 * http.h - the web application's server (jixiao serve): a JSON API under
 * /api/ and the embedded UI at /, on libmicrohttpd.
 *
 * Every request is authorised on the server, by role and by record:
 * rep and engineer see themselves; a manager the people below them; a
 * director everyone in their unit's subtree; hr, finance and admin everyone.
 * Sessions are HttpOnly SameSite=Strict cookies holding 256 random bits,
 * with idle and absolute timeouts; every state change needs the session's
 * CSRF token in X-CSRF-Token.  Denied requests and every change go to the
 * audit log.
 */
#ifndef JX_HTTP_H
#define JX_HTTP_H

#include <signal.h>
#include <stdint.h>

#include "core/status.h"

struct jx_http_config {
    const char *db;          /* the database (each worker thread opens its own handle) */
    const char *host;        /* "127.0.0.1" */
    uint16_t port;           /* 8080 */
    unsigned threads;        /* worker threads; 0: one per core */
    int idle_minutes;        /* session idle timeout (default 30) */
    int max_hours;           /* session absolute timeout (default 12) */
    volatile sig_atomic_t *stop; /* set by a signal handler to stop gracefully */
    int quiet;               /* no access log */
    const char *plans_dir;   /* where POST /api/run finds plans by name (default "plans") */
};

/*
 * Serve until *cfg->stop is set.  Fails when the address cannot be bound or
 * the database cannot be opened.
 */
enum jx_status jx_http_serve(const struct jx_http_config *cfg, struct jx_err *err) JX_MUST_USE;

#endif
