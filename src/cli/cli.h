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

#include "core/status.h"

int jx_cmd_version(int argc, char **argv);
int jx_cmd_init(int argc, char **argv);
int jx_cmd_import(int argc, char **argv);
int jx_cmd_run(int argc, char **argv);
int jx_cmd_results(int argc, char **argv);
int jx_cmd_explain(int argc, char **argv);
int jx_cmd_lock(int argc, char **argv);
int jx_cmd_plan(int argc, char **argv);

/*
 * Print err to stderr as "jixiao: FILE:LINE: column NAME: message" and return
 * the exit code of status s.
 */
int jx_cli_fail(enum jx_status s, const struct jx_err *err);

#endif
