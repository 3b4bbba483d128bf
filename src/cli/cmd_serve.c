/*
 * cmd_serve.c - jixiao serve: the web application on a database.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "http/http.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

int jx_cmd_serve(int argc, char **argv)
{
    struct jx_opt opts[] = {
        {.name = "db", .arg = "PATH", .help = "the database"},
        {.name = "listen", .arg = "HOST:PORT", .help = "where to listen (default 127.0.0.1:8080)"},
        {.name = "threads", .arg = "N", .help = "worker threads (default: one per core)"},
        {.name = "quiet", .help = "no access log on stderr"},
        {.name = "plans", .arg = "DIR", .help = "where POST /api/run finds plans (default plans)"},
        {0},
    };
    struct jx_args a = {.cmd = "serve",
                        .usage = "--db PATH [--listen 127.0.0.1:8080]",
                        .summary = "Serve the web application (网页版): the UI at / and the JSON API "
                                   "under /api/.\nCtrl-C (SIGINT) or SIGTERM stops it after the "
                                   "requests in progress.",
                        .opts = opts};
    struct jx_http_config cfg = {.host = "127.0.0.1",
                                 .port = 8080,
                                 .idle_minutes = 30,
                                 .max_hours = 12,
                                 .stop = &stop};
    char host[64];
    struct jx_err err;
    int rc = jx_args_parse(&a, argc, argv);
    if (rc || a.help)
        return rc;
    if (!(cfg.db = jx_args_get(&a, "db")))
        return jx_args_usage_error(&a, "--db is required");
    const char *listen = jx_args_get(&a, "listen"), *threads = jx_args_get(&a, "threads");
    if (listen) {
        const char *colon = strrchr(listen, ':');
        char *end;
        long port = colon ? strtol(colon + 1, &end, 10) : -1;
        if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof host || *end ||
            port < 1 || port > 65535)
            return jx_args_usage_error(&a, "--listen must be HOST:PORT, such as 127.0.0.1:8080");
        memcpy(host, listen, (size_t)(colon - listen));
        host[colon - listen] = '\0';
        cfg.host = host;
        cfg.port = (uint16_t)port;
    }
    if (threads) {
        char *end;
        long n = strtol(threads, &end, 10);
        if (*end || n < 1 || n > 64)
            return jx_args_usage_error(&a, "--threads must be 1 to 64");
        cfg.threads = (unsigned)n;
    }
    cfg.quiet = jx_args_get(&a, "quiet") != NULL;
    cfg.plans_dir = jx_args_get(&a, "plans") ? jx_args_get(&a, "plans") : "plans";
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    printf("jixiao: serving http://%s:%u/ (Ctrl-C stops)\n", cfg.host, (unsigned)cfg.port);
    fflush(stdout);
    jx_err_clear(&err);
    enum jx_status s = jx_http_serve(&cfg, &err);
    if (s)
        return jx_cli_fail(s, &err);
    printf("jixiao: stopped\n");
    return 0;
}
