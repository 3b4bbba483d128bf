/*
 * run.h - computing a period end to end: the data from the store, the
 * context the stored earlier runs give (the clawback carried in, the grades
 * for streaks), the engine, the run record, storing it.  Shared by jixiao
 * run, explain, demo and the web application.
 */
#ifndef JX_RUN_H
#define JX_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/status.h"
#include "engine/data.h"
#include "engine/engine.h"
#include "plan/plan.h"
#include "store/store.h"

#define JX_RUN_HISTORY 4

/*
 * What a run of a period takes from the stored runs before it: carry[person]
 * the clawback carried in (fen; NULL when the previous period has no run),
 * hist[k] the grades of the run k+1 periods back (see jx_run_input.history).
 */
struct jx_runctx {
    int64_t *carry;
    char *hist[JX_RUN_HISTORY];
};
enum jx_status jx_runctx_load(struct jx_store *st, const struct jx_data *d,
                              const struct jx_period *p, struct jx_runctx *rc,
                              struct jx_err *err) JX_MUST_USE;
void jx_runctx_release(struct jx_runctx *rc);

/* Milliseconds of each stage of a run. */
struct jx_run_timing {
    double load, engine, store;
    size_t people, lines, payments; /* rows read */
    size_t results;                 /* people (and teams, agents) computed */
};

/*
 * Compute period p with the plans and store the run (who: for the audit
 * log).  A locked period is refused (JX_ELOCKED).  timing may be NULL.
 */
enum jx_status jx_run_period(struct jx_store *st, const struct jx_plan *const *plans,
                             size_t nplans, const struct jx_period *p, const char *who,
                             struct jx_run_timing *timing, struct jx_err *err) JX_MUST_USE;

/*
 * The rows of stored (a stored run, or some of its rows) recomputed with
 * each commission line in the trace (a run keeps only the per-person
 * figures): from the data, which must be what the run read, and the run's
 * own plan texts, so the figures are the stored ones.  *ok is false and out
 * empty when that cannot be (the data or an earlier period changed since,
 * or the rows are a team's or an agent's); the caller then shows stored.
 */
enum jx_status jx_run_with_lines(struct jx_store *st, const struct jx_run_record *stored,
                                 struct jx_run_record *out, bool *ok,
                                 struct jx_err *err) JX_MUST_USE;

#endif
