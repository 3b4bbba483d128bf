/*
 * runctx.c - what a run needs from the runs stored before it: the clawback
 * carried in from the previous period and the grades of earlier periods
 * (for the consequences that need a streak).  Shared by run, explain and
 * demo, so the three compute a period the same way.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
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
 * Grades of the runs of the JX_CLI_HISTORY periods before p (same kind), newest
 * first, for the consequences that need a streak.  hist[k] is NULL when
 * that period has no run.
 */
static enum jx_status grade_history(struct jx_store *st, const struct jx_data *d,
                                    const struct jx_period *p, char *hist[JX_CLI_HISTORY],
                                    struct jx_err *err)
{
    struct jx_period at = *p;
    for (int k = 0; k < JX_CLI_HISTORY; k++) {
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

enum jx_status jx_cli_runctx_load(struct jx_store *st, const struct jx_data *d,
                                  const struct jx_period *p, struct jx_cli_runctx *rc,
                                  struct jx_err *err)
{
    enum jx_status s;
    memset(rc, 0, sizeof *rc);
    if ((s = carry_in(st, d, p, &rc->carry, err)) || (s = grade_history(st, d, p, rc->hist, err)))
        jx_cli_runctx_release(rc);
    return s;
}

void jx_cli_runctx_release(struct jx_cli_runctx *rc)
{
    free(rc->carry);
    for (int k = 0; k < JX_CLI_HISTORY; k++)
        free(rc->hist[k]);
    memset(rc, 0, sizeof *rc);
}
