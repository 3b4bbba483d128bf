/*
 * cli.h - the subcommands.  Each takes argc/argv starting at its own name and
 * returns the process exit code (see jx_status_exit_code()).
 */
#ifndef JX_CLI_H
#define JX_CLI_H

struct jx_cmd {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

#include <stdint.h>

#include "core/status.h"

int jx_cmd_version(int argc, char **argv);
int jx_cmd_init(int argc, char **argv);
int jx_cmd_import(int argc, char **argv);
int jx_cmd_run(int argc, char **argv);
int jx_cmd_results(int argc, char **argv);
int jx_cmd_explain(int argc, char **argv);
int jx_cmd_lock(int argc, char **argv);
int jx_cmd_plan(int argc, char **argv);
int jx_cmd_publish(int argc, char **argv);
int jx_cmd_appeal(int argc, char **argv);
int jx_cmd_demo(int argc, char **argv);
int jx_cmd_complaints(int argc, char **argv);
int jx_cmd_customers(int argc, char **argv);
int jx_cmd_user(int argc, char **argv);
int jx_cmd_serve(int argc, char **argv);
int jx_cmd_statement(int argc, char **argv);
int jx_cmd_export(int argc, char **argv);

/* The import kinds' names, comma-separated, into buf (n bytes); returns buf. */
const char *jx_cli_kind_names(char *buf, size_t n);

/*
 * Print err to stderr as "jixiao: FILE:LINE: column NAME: message" and return
 * the exit code of status s.
 */
int jx_cli_fail(enum jx_status s, const struct jx_err *err);

struct jx_store;
struct jx_run_record;

/*
 * Hash a password with argon2id (libsodium, 64 MiB, 2 passes) into out
 * (crypto_pwhash_STRBYTES = 128 bytes).  Returns 0, or 1 after a message.
 */
int jx_cli_hash_password(const char *pw, char *out);
struct jx_data;
struct jx_period;



/*
 * The time of a workflow event (cmd_publish.c): at ("YYYY-MM-DD HH:MM", as
 * given with --at or --now) or, when at is NULL, the current time in
 * Asia/Shanghai.  A bad time is JX_EINPUT, with the option's name in the message.
 */
enum jx_status jx_cli_event_time(const char *at, const char *option, int64_t *t,
                                 struct jx_err *err) JX_MUST_USE;

#endif
