/*
 * sla.c - deadlines, breaches, escalation and the period's service metrics
 * of complaint tickets (domain.md §7).  No I/O.
 */
#include "engine/sla.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

/* Deadlines by severity (enum jx_severity: severe, general, minor). */
static const int response_minutes[3] = {30, 120, 24 * 60};
static const int resolution_workdays[3] = {0, 3, 5}; /* 0: elapsed hours instead */
static const int resolution_hours[3] = {24, 0, 0};

/* The director above person p (p itself excluded), or -1. */
static int32_t director_above(const struct jx_people *pp, int32_t p)
{
    int depth = 0;
    for (int32_t q = pp->manager[p]; q >= 0 && depth < 64; q = pp->manager[q], depth++)
        if (pp->role[q] == JX_ROLE_DIRECTOR)
            return q;
    return -1;
}

/* Minutes from due to t, when t is past due; 0 otherwise. */
static int64_t late_by(int64_t t, int64_t due)
{
    return t > due ? t - due : 0;
}

/* Most overdue first (the larger of the two lates), then by id. */
static int ticket_cmp(const void *a, const void *b, void *arg)
{
    const struct jx_ticket *x = a, *y = b;
    const struct jx_complaints *c = arg;
    int64_t lx = x->response_late > x->resolution_late ? x->response_late : x->resolution_late;
    int64_t ly = y->response_late > y->resolution_late ? y->response_late : y->resolution_late;
    if (lx != ly)
        return lx > ly ? -1 : 1;
    return strcmp(c->id[x->row], c->id[y->row]);
}

void jx_sla_count(struct jx_ticket_metrics *m, const struct jx_complaints *c,
                  const struct jx_ticket *t)
{
    uint32_t i = t->row;
    int64_t opened = c->opened[i], responded = c->responded[i], resolved = c->resolved[i];
    if (c->reopened && c->reopened[i] != JX_NO_TIME && resolved != JX_NO_TIME &&
        resolved < c->reopened[i])
        resolved = JX_NO_TIME; /* reopened and not resolved since */
    m->opened++;
    m->by_severity[c->severity[i] % 3]++;
    m->by_category[c->category[i] % 5]++;
    m->responded_1h += responded != JX_NO_TIME && responded - opened <= 60;
    m->resolved_24h += resolved != JX_NO_TIME && resolved - opened <= 24 * 60;
    m->cared += c->followed_up[i] != JX_NO_TIME;
    m->breached += t->response_breached || t->resolution_breached;
    m->reopened += c->reopened && c->reopened[i] != JX_NO_TIME;
    if (c->csat[i]) {
        m->rated++;
        m->csat_sum += c->csat[i];
        m->promoters += c->csat[i] == 5;
        m->detractors += c->csat[i] <= 3;
    }
}

enum jx_status jx_sla_compute(const struct jx_data *d, const struct jx_calendar *cal,
                              const struct jx_period *p, int64_t now, struct jx_sla_output *out,
                              struct jx_err *err)
{
    const struct jx_complaints *c = &d->complaints;
    int32_t first = jx_period_first(p), last = jx_period_last(p);
    enum jx_status st;
    memset(out, 0, sizeof *out);
    out->tickets = jx_calloc(c->n ? c->n : 1, sizeof *out->tickets);
    if (!out->tickets)
        return jx_err_set(err, JX_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->n; i++) {
        int32_t day = c->opened[i] == JX_NO_TIME ? JX_NO_DATE : jx_time_date(c->opened[i]);
        if (day == JX_NO_DATE || day < first || day > last)
            continue;
        struct jx_ticket *t = &out->tickets[out->n++];
        int sev = c->severity[i] % 3;
        int64_t opened = c->opened[i];
        t->row = (uint32_t)i;
        t->response_due = opened + response_minutes[sev];
        int64_t responded = c->responded[i], resolved = c->resolved[i];
        int64_t reopened = c->reopened ? c->reopened[i] : JX_NO_TIME;
        /* reopened: resolved again by the same rule counted from the reopening; a
           resolution before it is the one that did not hold */
        int64_t from = reopened != JX_NO_TIME ? reopened : opened;
        if (resolution_workdays[sev]) {
            if ((st = jx_calendar_add_workdays_time(cal, from, resolution_workdays[sev],
                                                    &t->resolution_due, err))) {
                free(out->tickets);
                memset(out, 0, sizeof *out);
                return jx_err_set(err, st, "complaint %s: %s", c->id[i], err->msg);
            }
        } else {
            t->resolution_due = from + 60 * resolution_hours[sev];
        }
        if (reopened != JX_NO_TIME && resolved != JX_NO_TIME && resolved < reopened)
            resolved = JX_NO_TIME;
        t->response_late =
            late_by(responded != JX_NO_TIME ? responded : now, t->response_due);
        t->resolution_late = late_by(resolved != JX_NO_TIME ? resolved : now, t->resolution_due);
        t->response_breached = t->response_late > 0;
        t->resolution_breached = t->resolution_late > 0;
        int32_t owner = c->person[i];
        t->escalate_to = owner < 0                ? -1
                         : sev == JX_SEV_SEVERE  ? director_above(&d->people, owner)
                         : sev == JX_SEV_GENERAL ? d->people.manager[owner]
                                                 : -1;
        bool closed = c->closed && c->closed[i] != JX_NO_TIME;
        t->status = closed                                 ? "closed"
                    : resolved == JX_NO_TIME && reopened != JX_NO_TIME ? "reopened"
                    : c->followed_up[i] != JX_NO_TIME      ? "followed_up"
                    : resolved != JX_NO_TIME               ? "resolved"
                    : responded != JX_NO_TIME              ? "responded"
                                                           : "open";
        int64_t after = c->followed_up[i] != JX_NO_TIME ? c->followed_up[i] : resolved;
        t->revisit_due = c->csat[i] && c->csat[i] <= 3 && after != JX_NO_TIME ? after + 24 * 60
                                                                              : JX_NO_TIME;

        jx_sla_count(&out->m, c, t);
    }
    if (out->n > 1)
        qsort_r(out->tickets, out->n, sizeof *out->tickets, ticket_cmp, (void *)c);
    return JX_OK;
}
