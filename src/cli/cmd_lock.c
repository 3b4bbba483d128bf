/*
 * cmd_lock.c - jixiao lock: close a pay period for good.
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "core/date.h"
#include "store/store.h"

int jx_cmd_lock(int argc, char **argv)
{
    struct jx_opt opts[] = {
        {.name = "db", .arg = "PATH", .help = "the database"},
        {.name = "period", .arg = "P", .help = "the period to close"},
        {.name = "user", .arg = "NAME", .help = "who locks it, for the audit log"},
        {0},
    };
    struct jx_args a = {.cmd = "lock",
                        .usage = "--db PATH --period P",
                        .summary = "Close a pay period for good (结账): its newest run becomes "
                                   "final; it is never recomputed and its data never changes.",
                        .opts = opts};
    struct jx_store *st = NULL;
    struct jx_err err;
    enum jx_status s;
    struct jx_period period;
    int rc = jx_args_parse(&a, argc, argv);
    if (rc || a.help)
        return rc;
    const char *db = jx_args_get(&a, "db"), *per = jx_args_get(&a, "period");
    if (!db || !per)
        return jx_args_usage_error(&a, "--db and --period are required");
    jx_err_clear(&err);
    if (jx_args_period(&a, "period", &period))
        return 1;
    if (!(s = jx_store_open(db, false, &st, &err)) && !(s = jx_store_check_schema(st, &err)))
        s = jx_store_lock_period(st, per, jx_args_get(&a, "user"), &err);
    jx_store_close(st);
    if (s)
        return jx_cli_fail(s, &err);
    printf("period %s locked\n", per);
    return 0;
}
