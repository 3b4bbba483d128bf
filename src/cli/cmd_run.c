/*
 * cmd_run.c - jixiao run: compute a period with one or more plans, store the
 * run, print its results.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "core/calendar.h"
#include "core/date.h"
#include "core/strmap.h"
#include "engine/engine.h"
#include "io/results.h"
#include "io/run.h"
#include "plan/plan.h"
#include "store/store.h"

#define MAX_PLANS JX_ARGS_MAX_REPEAT

int jx_cmd_run(int argc, char **argv)
{
    struct jx_opt opts[] = {
        {.name = "db", .arg = "PATH", .help = "the database"},
        {.name = "plan", .arg = "FILE", .help = "a plan file (give several for several plans)",
         .repeat = true},
        {.name = "period", .arg = "P", .help = "the period: 2025-08, 2025-Q3 or 2025"},
        {.name = "format", .arg = "FMT", .help = "table (default), json or csv"},
        {.name = "user", .arg = "NAME", .help = "who runs it, for the audit log (default cli)"},
        {.name = "timing", .help = "print the time of each stage (load, engine, store) to stderr"},
        {0},
    };
    struct jx_args a = {.cmd = "run",
                        .usage = "--db PATH --plan FILE [--plan FILE...] --period P "
                                 "[--format table|json|csv]",
                        .summary = "Compute the period's pay with the plans, store the run and "
                                   "print its results (计算并保存一次核算).\n"
                                   "A locked period is refused; the same inputs and plans give "
                                   "the same run id and byte-identical results.",
                        .opts = opts};
    struct jx_plan *plans[MAX_PLANS] = {0};
    struct jx_store *st = NULL;
    struct jx_run_record stored = {0};
    struct jx_period period;
    struct jx_err err;
    enum jx_format fmt = JX_FMT_TABLE;
    enum jx_status s;
    int nplans = 0, rc = jx_args_parse(&a, argc, argv);
    if (rc || a.help)
        return rc;
    const char *db = jx_args_get(&a, "db"), *per = jx_args_get(&a, "period"),
               *f = jx_args_get(&a, "format"), *user = jx_args_get(&a, "user");
    if (!db || !per || !opts[1].count)
        return jx_args_usage_error(&a, "--db, --plan and --period are required");
    if (f && !jx_format_parse(f, &fmt))
        return jx_args_usage_error(&a, "--format must be table, json or csv");
    jx_err_clear(&err);
    if (jx_args_period(&a, "period", &period))
        return 1;
    for (int i = 0; i < opts[1].count; i++) {
        if ((s = jx_plan_load_file(opts[1].values[i], &plans[nplans], &err)))
            goto done;
        nplans++;
    }
    if ((s = jx_store_open(db, false, &st, &err)) || (s = jx_store_check_schema(st, &err)))
        goto done;
    struct jx_run_timing tm;
    double t3;
    if ((s = jx_run_period(st, (const struct jx_plan *const *)plans, (size_t)nplans, &period,
                           user, &tm, &err)))
        goto done;
    t3 = jx_clock_ms();
    if ((s = jx_store_get_results(st, per, &stored, &err)) || /* no traces: not printed */
        (s = jx_results_print(stdout, &stored, fmt, &err)))
        goto done;
    if (jx_args_get(&a, "timing"))
        fprintf(stderr,
                "timing: load %.1f ms (%zu people, %zu lines, %zu payments), engine %.1f ms, "
                "store %.1f ms, print %.1f ms\n",
                tm.load, tm.people, tm.lines, tm.payments, tm.engine, tm.store, jx_clock_ms() - t3);
done:
    jx_run_record_release(&stored);
    jx_store_close(st);
    for (int i = 0; i < nplans; i++)
        jx_plan_free(plans[i]);
    return s ? jx_cli_fail(s, &err) : 0;
}
