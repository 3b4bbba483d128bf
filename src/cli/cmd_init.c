/*
 * cmd_init.c - jixiao init --db PATH: create a database, or migrate an
 * existing one to the newest schema.
 */
#include <stdio.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "store/store.h"

int jx_cmd_init(int argc, char **argv)
{
    struct jx_opt opts[] = {
        {.name = "db", .arg = "PATH", .help = "database file to create or migrate"},
        {0},
    };
    struct jx_args a = {.cmd = "init",
                        .usage = "--db PATH",
                        .summary = "Create a database, or bring an existing one to the newest "
                                   "schema (创建或升级数据库).",
                        .opts = opts};
    struct jx_store *st = NULL;
    struct jx_err err;
    int from = 0, to = 0;
    int rc = jx_args_parse(&a, argc, argv);
    if (rc || a.help)
        return rc;
    const char *db = jx_args_get(&a, "db");
    if (!db)
        return jx_args_usage_error(&a, "--db is required");

    jx_err_clear(&err);
    enum jx_status s = jx_store_open(db, true, &st, &err);
    if (!s)
        s = jx_store_migrate(st, &from, &to, &err);
    jx_store_close(st);
    if (s)
        return jx_cli_fail(s, &err);
    if (from == to)
        printf("%s: schema version %d, up to date\n", db, to);
    else
        printf("%s: schema version %d -> %d\n", db, from, to);
    return 0;
}
