/*
 * cmd_explain.c - jixiao explain: the calculation trace of one person, line by line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "core/calendar.h"
#include "core/date.h"
#include "engine/engine.h"
#include "io/results.h"
#include "io/run.h"
#include "plan/plan.h"
#include "store/store.h"

int jx_cmd_explain(int argc, char **argv)
{
    struct jx_opt opts[] = {
        {.name = "db", .arg = "PATH", .help = "the database"},
        {.name = "period", .arg = "P", .help = "the period"},
        {.name = "person", .arg = "ID", .help = "the person's id"},
        {0},
    };
    struct jx_args a = {.cmd = "explain",
                        .usage = "--db PATH --period P --person ID",
                        .summary = "Print how each figure of a person's result was computed, "
                                   "line by line (计算过程说明).",
                        .opts = opts};
    struct jx_store *st = NULL;
    struct jx_run_record rec = {0}, full = {0};
    struct jx_err err;
    bool recomputed = false;
    enum jx_status s;
    int rc = jx_args_parse(&a, argc, argv);
    if (rc || a.help)
        return rc;
    const char *db = jx_args_get(&a, "db"), *per = jx_args_get(&a, "period"),
               *person = jx_args_get(&a, "person");
    if (!db || !per || !person)
        return jx_args_usage_error(&a, "--db, --period and --person are required");
    jx_err_clear(&err);
    if (!(s = jx_store_open(db, false, &st, &err)) && !(s = jx_store_check_schema(st, &err)) &&
        !(s = jx_store_get_run(st, per, person, &rec, &err))) {
        if (rec.nrows == 0)
            s = jx_err_set(&err, JX_ENOTFOUND, "%s has no result in the %s run", person, per);
        else if (!(s = jx_run_with_lines(st, &rec, &full, &recomputed, &err)) &&
                 !(s = jx_results_show_versions(st, per, person, recomputed ? &full : &rec, &err))) {
            /* teams and agents ("team:ID", "agent:ID") have no lines to recompute */
            if (!recomputed && !strchr(person, ':'))
                printf("(the data or an earlier period changed since this run: the stored "
                       "figures are shown, without the commission lines)\n");
            s = jx_results_explain(stdout, recomputed ? &full : &rec, &err);
        }
    }
    jx_run_record_release(&full);
    jx_run_record_release(&rec);
    jx_store_close(st);
    return s ? jx_cli_fail(s, &err) : 0;
}
