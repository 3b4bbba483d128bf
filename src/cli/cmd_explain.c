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

/*
 * Recompute the stored run for one person with each commission line traced
 * (a run keeps only the per-person figures).  The data must be exactly what
 * the run read and the plans are the run's own stored text, so the result is
 * the stored one: the recomputed run id must match.  *ok is false, and
 * nothing is recomputed, when the data changed since the run.
 */
static enum jx_status recompute(struct jx_store *st, const char *per, const char *person,
                                const struct jx_run_record *stored, struct jx_run_record *out,
                                bool *ok, struct jx_err *err)
{
    struct jx_data data = {0};
    struct jx_plan *plans[JX_ARGS_MAX_REPEAT] = {0};
    struct jx_run_output ro = {0};
    struct jx_calendar cal;
    struct jx_runctx ctx = {0};
    struct jx_period period;
    size_t np = 0;
    char hex[65];
    enum jx_status s;
    *ok = false;
    jx_calendar_init(&cal);
    if ((s = jx_period_parse(per, strlen(per), &period, err)) ||
        (s = jx_calendar_load_builtin(&cal, err)) || (s = jx_store_load(st, &data, err)))
        goto done;
    for (size_t i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", data.input_hash[i]);
    if (strcmp(hex, stored->input_hash) || !stored->nplan_texts ||
        stored->nplan_texts > JX_ARGS_MAX_REPEAT)
        goto done; /* the data changed since the run: show the stored trace */
    for (; np < stored->nplan_texts; np++)
        if ((s = jx_plan_load_text(stored->plan_files[np], stored->plan_texts[np],
                                   stored->plan_lens[np], &plans[np], err)))
            goto done;
    int32_t p = -1;
    for (size_t i = 0; i < data.people.n; i++)
        if (!strcmp(data.people.id[i], person))
            p = (int32_t)i;
    if (p < 0 || (s = jx_runctx_load(st, &data, &period, &ctx, err)))
        goto done;
    struct jx_run_input in = {.data = &data,
                              .plans = (const struct jx_plan *const *)plans,
                              .nplans = np,
                              .period = period,
                              .cal = &cal,
                              .carry_in = ctx.carry,
                              .history = (const char *const *)ctx.hist,
                              .nhistory = JX_RUN_HISTORY,
                              .line_trace = p + 1};
    if ((s = jx_engine_run(&in, &ro, err)) ||
        (s = jx_results_record(&data, in.plans, np, &ro, per, stored->created_by, out, err)))
        goto done;
    if (strcmp(out->id, stored->id)) {
        jx_run_record_release(out);
        goto done;
    }
    /* keep the one person */
    /* keep the one person, if the figures are the stored ones (they are unless an
       earlier period was recomputed since) */
    for (size_t i = 0; i < out->nrows; i++)
        if (!strcmp(out->rows[i].person_id, person) && stored->nrows == 1 &&
            !strcmp(out->rows[i].result, stored->rows[0].result)) {
            out->rows[0] = out->rows[i];
            out->nrows = 1;
            *ok = true;
        }
    if (!*ok)
        jx_run_record_release(out);
done:
    jx_runctx_release(&ctx);
    jx_run_output_release(&ro);
    for (size_t i = 0; i < np; i++)
        jx_plan_free(plans[i]);
    jx_data_release(&data);
    jx_calendar_release(&cal);
    return s;
}

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
        else if (!(s = recompute(st, per, person, &rec, &full, &recomputed, &err)) &&
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
