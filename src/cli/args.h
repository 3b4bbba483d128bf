/*
 * args.h - the small option parser every subcommand uses.
 *
 * A subcommand declares its options in a table; jx_args_parse() fills each
 * option's value (the "--name VALUE" or "--name=VALUE" forms; flags take no
 * value) and collects the positional arguments.  Options that may repeat
 * (--plan) collect every value.  Errors are printed by the caller.
 */
#ifndef JX_ARGS_H
#define JX_ARGS_H

#include <stdbool.h>
#include <stdio.h>

#define JX_ARGS_MAX_REPEAT 16
#define JX_ARGS_MAX_POS 8

struct jx_opt {
    const char *name;   /* without the leading "--" */
    const char *arg;    /* name of its value in --help ("PATH"), NULL for a flag */
    const char *help;   /* one line */
    bool repeat;        /* may be given more than once */
    /* filled by jx_args_parse(): */
    const char *values[JX_ARGS_MAX_REPEAT];
    int count;
};

struct jx_args {
    const char *cmd;                 /* subcommand name, for messages */
    const char *usage;               /* "--db PATH KIND FILE" */
    const char *summary;             /* what the subcommand does */
    struct jx_opt *opts;             /* terminated by an entry whose name is NULL */
    bool positional;                 /* takes positional arguments (else they are refused) */
    const char *pos[JX_ARGS_MAX_POS];
    int npos;
    bool help;                       /* --help or -h was given */
};

/*
 * Parse argv[1..argc) (argv[0] is the subcommand).  Returns 0, or 1 after
 * printing a usage error to stderr.  When --help was given, prints the help
 * to stdout and sets a->help (the caller then returns 0).
 */
int jx_args_parse(struct jx_args *a, int argc, char **argv);

/* Value of option name (the last one given), or NULL. */
const char *jx_args_get(const struct jx_args *a, const char *name);

struct jx_period;

/*
 * Parse the value of option name as a period into *p.  Returns 0, or 1
 * after printing a usage error (a missing value is not an error: *p is left
 * alone and the caller checks for required options).
 */
int jx_args_period(const struct jx_args *a, const char *name, struct jx_period *p);

/* Print the help text of a subcommand to out. */
void jx_args_help(const struct jx_args *a, FILE *out);

/* Print "jixiao CMD: message" and the usage line to stderr; returns 1 (usage exit code). */
int jx_args_usage_error(const struct jx_args *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
