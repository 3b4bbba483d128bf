/*
 * sla.h - complaint tickets against their service levels (domain.md §7): a
 * pure function of the loaded data, the calendar and a moment "now".
 *
 * Severity sets the deadlines: severe answers in 30 minutes and resolves in
 * 24 elapsed hours (escalated to the director); general answers in 2 hours
 * and resolves in 3 working days (escalated to the owner's manager); minor
 * answers in 24 hours and resolves in 5 working days (the owner, 首问负责制).
 * Working days follow the calendar, 调休 included.
 */
#ifndef JX_SLA_H
#define JX_SLA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"
#include "core/date.h"
#include "core/status.h"
#include "engine/data.h"

/* One ticket opened in the period. */
struct jx_ticket {
    uint32_t row;               /* index into data->complaints */
    int64_t response_due, resolution_due; /* minutes */
    int64_t response_late, resolution_late; /* minutes late (as of now when still open), 0 if none */
    bool response_breached, resolution_breached;
    int32_t escalate_to;        /* person index: manager or director by severity, -1 for none */
    int64_t revisit_due;        /* CSAT <= 3: 24 h after the follow-up (or the resolution), else JX_NO_TIME */
    const char *status;         /* open, responded, resolved, followed_up */
};

/* The period's metrics over the tickets opened in it. */
struct jx_ticket_metrics {
    int64_t opened, by_severity[3], by_category[5];
    int64_t responded_1h, resolved_24h, cared, breached, reopened;
    int64_t rated, csat_sum, promoters, detractors;
    /* exact rates as numerator / denominator (opened, or rated for NPS) */
};

struct jx_sla_output {
    struct jx_ticket *tickets;  /* opened in the period, most overdue first, then by id */
    size_t n;
    struct jx_ticket_metrics m;
};

/* Add ticket t (of data's complaints c) to the metrics m. */
void jx_sla_count(struct jx_ticket_metrics *m, const struct jx_complaints *c,
                  const struct jx_ticket *t);

/*
 * Check every ticket opened in period p as of time now.  The caller frees
 * out->tickets with free().  Fails when a deadline falls outside the years
 * the calendar covers.
 */
enum jx_status jx_sla_compute(const struct jx_data *d, const struct jx_calendar *cal,
                              const struct jx_period *p, int64_t now, struct jx_sla_output *out,
                              struct jx_err *err) JX_MUST_USE;

#endif
