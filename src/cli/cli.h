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

int jx_cmd_version(int argc, char **argv);

#endif
