/*
 * run.c - computing a period end to end (run.h): what a run needs from the
 * runs stored before it (the clawback carried in, the grades of earlier
 * periods for the consequences that need a streak), then the engine and the
 * stored record.  Shared by jixiao run, explain, demo and the web
 * application, so they all compute a period the same way.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "io/run.h"

#include "core/calendar.h"
#include "core/date.h"
#include "core/strmap.h"
#include "io/results.h"
#include "store/store.h"

/* Carry-in of each person: the clawback left over by the previous period's run. */
static enum jx_status carry_in(struct jx_store *st, const struct jx_data *d,
                               const struct jx_period *p, int64_t **out, struct jx_err *err)
{
    struct jx_period prev = jx_period_prev(p);
    char pbuf[JX_PERIOD_BUFSZ];
    struct jx_run_record rec;
    struct jx_strmap ids;
    enum jx_status s = jx_store_get_run(st, jx_period_format(&prev, pbuf), NULL, &rec, err);
    *out = NULL;
    if (s == JX_ENOTFOUND) {
        jx_err_clear(err);
        return JX_OK;
    }
    if (s)
        return s;
    *out = calloc(d->people.n ? d->people.n : 1, sizeof **out);
    jx_strmap_init(&ids);
    bool ok = *out != NULL;
    for (size_t i = 0; ok && i < d->people.n; i++)
        ok = jx_strmap_put(&ids, d->people.id[i], strlen(d->people.id[i]), (int32_t)i, NULL) >= 0;
    if (!ok) {
        free(*out);
        *out = NULL;
        jx_strmap_release(&ids);
        jx_run_record_release(&rec);
        return jx_err_set(err, JX_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < rec.nrows; i++) {
        int32_t p_ = jx_strmap_get(&ids, rec.rows[i].person_id, strlen(rec.rows[i].person_id));
        if (p_ >= 0)
            (*out)[p_] = rec.rows[i].carry_out;
    }
    jx_strmap_release(&ids);
    jx_run_record_release(&rec);
    return JX_OK;
}

/*
 * Grades of the runs of the JX_RUN_HISTORY periods before p (same kind), newest
 * first, for the consequences that need a streak.  hist[k] is NULL when
 * that period has no run.
 */
static enum jx_status grade_history(struct jx_store *st, const struct jx_data *d,
                                    const struct jx_period *p, char *hist[JX_RUN_HISTORY],
                                    struct jx_err *err)
{
    struct jx_period at = *p;
    for (int k = 0; k < JX_RUN_HISTORY; k++) {
        char pbuf[JX_PERIOD_BUFSZ];
        struct jx_run_record rec;
        enum jx_status s;
        at = jx_period_prev(&at);
        hist[k] = NULL;
        s = jx_store_get_run(st, jx_period_format(&at, pbuf), NULL, &rec, err);
        if (s == JX_ENOTFOUND) {
            jx_err_clear(err);
            continue;
        }
        if (s)
            return s;
        if (!(hist[k] = malloc(d->people.n ? d->people.n : 1))) {
            jx_run_record_release(&rec);
            return jx_err_set(err, JX_ENOMEM, "out of memory");
        }
        s = jx_results_grades(&rec, d, hist[k], err);
        jx_run_record_release(&rec);
        if (s)
            return s;
    }
    return JX_OK;
}

enum jx_status jx_runctx_load(struct jx_store *st, const struct jx_data *d,
                              const struct jx_period *p, struct jx_runctx *rc,
                                  struct jx_err *err)
{
    enum jx_status s;
    memset(rc, 0, sizeof *rc);
    if ((s = carry_in(st, d, p, &rc->carry, err)) || (s = grade_history(st, d, p, rc->hist, err)))
        jx_runctx_release(rc);
    return s;
}

void jx_runctx_release(struct jx_runctx *rc)
{
    free(rc->carry);
    for (int k = 0; k < JX_RUN_HISTORY; k++)
        free(rc->hist[k]);
    memset(rc, 0, sizeof *rc);
}

enum jx_status jx_run_period(struct jx_store *st, const struct jx_plan *const *plans,
                             size_t nplans, const struct jx_period *p, const char *who,
                             struct jx_run_timing *timing, struct jx_err *err)
{
    struct jx_data data = {0};
    struct jx_run_output out = {0};
    struct jx_run_record rec = {0};
    struct jx_runctx ctx = {0};
    struct jx_calendar cal;
    char pbuf[JX_PERIOD_BUFSZ];
    enum jx_status s;
    bool locked;
    jx_period_format(p, pbuf);
    jx_calendar_init(&cal);
    if ((s = jx_calendar_load_builtin(&cal, err)) ||
        (s = jx_store_period_locked(st, pbuf, &locked, err)))
        goto done;
    if (locked) {
        s = jx_err_set(err, JX_ELOCKED,
                       "period %s is locked and is never recomputed; corrections go into the "
                       "next open period",
                       pbuf);
        goto done;
    }
    double t0 = jx_clock_ms(), t1, t2;
    if ((s = jx_store_load(st, &data, err)) || (s = jx_runctx_load(st, &data, p, &ctx, err)))
        goto done;
    t1 = jx_clock_ms();
    struct jx_run_input in = {.data = &data,
                              .plans = plans,
                              .nplans = nplans,
                              .period = *p,
                              .cal = &cal,
                              .carry_in = ctx.carry,
                              .history = (const char *const *)ctx.hist,
                              .nhistory = JX_RUN_HISTORY};
    if ((s = jx_engine_run(&in, &out, err)))
        goto done;
    t2 = jx_clock_ms();
    if ((s = jx_results_record(&data, plans, nplans, &out, pbuf, who, &rec, err)) ||
        (s = jx_store_save_run(st, &rec, err)))
        goto done;
    if (timing)
        *timing = (struct jx_run_timing){t1 - t0,       t2 - t1,          jx_clock_ms() - t2,
                                         data.people.n, data.lines.n,     data.payments.n,
                                         out.n};
done:
    jx_runctx_release(&ctx);
    jx_run_record_release(&rec);
    jx_run_output_release(&out);
    jx_data_release(&data);
    jx_calendar_release(&cal);
    return s;
}

#define RUN_PLANS_MAX 16

enum jx_status jx_run_with_lines(struct jx_store *st, const struct jx_run_record *stored,
                                 struct jx_run_record *out, bool *ok, struct jx_err *err)
{
    struct jx_data data = {0};
    struct jx_plan *plans[RUN_PLANS_MAX] = {0};
    struct jx_run_output ro = {0};
    struct jx_calendar cal;
    struct jx_runctx ctx = {0};
    struct jx_period period;
    size_t np = 0;
    char hex[65];
    enum jx_status s;
    *ok = false;
    memset(out, 0, sizeof *out);
    jx_calendar_init(&cal);
    if (!stored->nrows)
        return JX_OK;
    if ((s = jx_period_parse(stored->period, strlen(stored->period), &period, err)) ||
        (s = jx_calendar_load_builtin(&cal, err)) || (s = jx_store_load(st, &data, err)))
        goto done;
    for (size_t i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", data.input_hash[i]);
    if (strcmp(hex, stored->input_hash) || !stored->nplan_texts ||
        stored->nplan_texts > RUN_PLANS_MAX)
        goto done; /* the data changed since the run: the stored figures stand */
    for (; np < stored->nplan_texts; np++)
        if ((s = jx_plan_load_text(stored->plan_files[np], stored->plan_texts[np],
                                   stored->plan_lens[np], &plans[np], err)))
            goto done;
    /* one person: only their lines; several: everyone's */
    int32_t line_trace = JX_TRACE_ALL;
    if (stored->nrows == 1) {
        line_trace = 0;
        for (size_t i = 0; i < data.people.n; i++)
            if (!strcmp(data.people.id[i], stored->rows[0].person_id))
                line_trace = (int32_t)i + 1;
        if (!line_trace)
            goto done; /* a team or an agent: no lines */
    }
    if ((s = jx_runctx_load(st, &data, &period, &ctx, err)))
        goto done;
    struct jx_run_input in = {.data = &data,
                              .plans = (const struct jx_plan *const *)plans,
                              .nplans = np,
                              .period = period,
                              .cal = &cal,
                              .carry_in = ctx.carry,
                              .history = (const char *const *)ctx.hist,
                              .nhistory = JX_RUN_HISTORY,
                              .line_trace = line_trace};
    if ((s = jx_engine_run(&in, &ro, err)) ||
        (s = jx_results_record(&data, in.plans, np, &ro, stored->period, stored->created_by,
                               out, err)))
        goto done;
    /* keep the stored rows, in their order, if every figure is the stored one (it is unless
       an earlier period was recomputed since); both lists are sorted by id */
    size_t k = 0, j = 0;
    bool same = strcmp(out->id, stored->id) == 0;
    for (size_t i = 0; same && i < stored->nrows; i++) {
        while (j < out->nrows && strcmp(out->rows[j].person_id, stored->rows[i].person_id) < 0)
            j++;
        same = j < out->nrows && !strcmp(out->rows[j].person_id, stored->rows[i].person_id) &&
               !strcmp(out->rows[j].result, stored->rows[i].result);
        if (same)
            out->rows[k++] = out->rows[j++];
    }
    if (same) {
        out->nrows = k;
        *ok = true;
    } else {
        jx_run_record_release(out);
    }
done:
    jx_runctx_release(&ctx);
    jx_run_output_release(&ro);
    for (size_t i = 0; i < np; i++)
        jx_plan_free(plans[i]);
    jx_data_release(&data);
    jx_calendar_release(&cal);
    return s;
}
