/*
 * cadence.c - when each customer is next due a contact, and who is overdue.
 */
#include "engine/cadence.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

const int jx_cadence_days[4] = {[JX_TIER_NONE] = 0,
                                [JX_TIER_HIGH_POTENTIAL] = 7,
                                [JX_TIER_STABLE] = 14,
                                [JX_TIER_WATCHING] = 30};

/* Most overdue first, then by customer id. */
static int cadence_cmp(const void *a, const void *b, void *arg)
{
    const struct jx_cadence *x = a, *y = b;
    const struct jx_customers *c = arg;
    if (x->overdue != y->overdue)
        return x->overdue > y->overdue ? -1 : 1;
    return strcmp(c->id[x->customer], c->id[y->customer]);
}

enum jx_status jx_cadence_compute(const struct jx_data *d, int64_t now, struct jx_cadence **out,
                                  size_t *n, struct jx_err *err)
{
    const struct jx_customers *cu = &d->customers;
    const struct jx_contacts *ct = &d->contacts;
    struct jx_cadence *v = jx_calloc(cu->n ? cu->n : 1, sizeof *v);
    if (!v)
        return jx_err_set(err, JX_ENOMEM, "out of memory");
    *n = 0;
    /* Contacts are sorted by customer then time: the last of each run is the latest. */
    int64_t *last = jx_calloc(cu->n ? cu->n : 1, sizeof *last);
    int32_t *by = jx_calloc(cu->n ? cu->n : 1, sizeof *by);
    if (!last || !by) {
        free(v);
        free(last);
        free(by);
        return jx_err_set(err, JX_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < cu->n; i++) {
        last[i] = JX_NO_TIME;
        by[i] = -1;
    }
    for (size_t i = 0; i < ct->n; i++) {
        int32_t c = ct->customer[i];
        if (c >= 0 && ct->at[i] != JX_NO_TIME && ct->at[i] <= now &&
            (last[c] == JX_NO_TIME || ct->at[i] >= last[c])) {
            last[c] = ct->at[i];
            by[c] = ct->person[i];
        }
    }
    for (size_t i = 0; i < cu->n; i++) {
        int days = jx_cadence_days[cu->tier[i] & 3];
        if (!days)
            continue;
        struct jx_cadence *e = &v[(*n)++];
        e->customer = (int32_t)i;
        e->days = days;
        e->last_contact = last[i];
        e->last_by = by[i];
        /* never contacted: due now (listed as such, not as late) */
        e->next_due = last[i] == JX_NO_TIME ? now : last[i] + (int64_t)days * 24 * 60;
        e->overdue = now > e->next_due ? now - e->next_due : 0;
    }
    free(last);
    free(by);
    if (*n > 1)
        qsort_r(v, *n, sizeof *v, cadence_cmp, (void *)cu);
    *out = v;
    return JX_OK;
}
