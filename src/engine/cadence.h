/*
 * cadence.h - contact cadence by customer tier (domain.md §7): a
 * high-potential customer is contacted at least weekly (1-2 times a week),
 * a stable one every two weeks, one being watched monthly.  A pure function
 * of the loaded data and a moment "now".
 */
#ifndef JX_CADENCE_H
#define JX_CADENCE_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "engine/data.h"

struct jx_cadence {
    int32_t customer;     /* index into data->customers */
    int days;             /* the tier's cadence; 0: none (no tier) */
    int64_t last_contact; /* minutes, JX_NO_TIME when never */
    int32_t last_by;      /* person index, -1 */
    int64_t next_due;     /* last contact (or now when never) + cadence; JX_NO_TIME without one */
    int64_t overdue;      /* minutes past next_due as of now, 0 when not overdue */
};

/* Cadence days by tier (enum jx_tier). */
extern const int jx_cadence_days[4];

/*
 * One entry per customer with a tier (agents and distributors included),
 * the most overdue first, then by id.  The caller frees *out with free().
 */
enum jx_status jx_cadence_compute(const struct jx_data *d, int64_t now, struct jx_cadence **out,
                                  size_t *n, struct jx_err *err) JX_MUST_USE;

#endif
