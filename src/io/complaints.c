/*
 * complaints.c - the complaint tickets of a period and their service metrics
 * as a JSON document (jixiao complaints --format json, GET /api/complaints).
 */
#include "io/complaints.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/rat.h"

static const char *const severity_names[3] = {"severe", "general", "minor"};
static const char *const category_names[5] = {"product", "service", "delivery", "after_sales",
                                              "other"};

/* A time as text, or NULL for none (json null). */
static json_t *time_json(int64_t t)
{
    char buf[JX_TIME_BUFSZ];
    return t == JX_NO_TIME ? json_null() : json_string(jx_time_format(t, buf));
}

/* n / d as a percentage with 2 decimals, rounded half-up ("72.00%"); "-" when d is 0. */
static const char *percent(struct jx_rat r, bool defined, char *buf, size_t size)
{
    struct jx_rat x;
    char num[JX_RAT_BUFSZ];
    if (!defined || jx_rat_mul(r, jx_rat_from_int(100), &x) || jx_rat_round(x, 2, &x))
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%s%%", jx_rat_format(x, 2, num));
    return buf;
}


/* The metrics object: counts and the rates of domain.md §7. */
static json_t *metrics_json(const struct jx_ticket_metrics *m)
{
    json_t *o = json_object(), *sev = json_object(), *cat = json_object();
    char b[4][JX_RAT_BUFSZ + 2];
    struct jx_rat r1 = jx_rat_from_frac(m->responded_1h, m->opened ? m->opened : 1),
                  r24 = jx_rat_from_frac(m->resolved_24h, m->opened ? m->opened : 1),
                  care = jx_rat_from_frac(m->cared, m->opened ? m->opened : 1), rec, t;
    /* recovery = 30% x 1-hour response + 50% x 24-hour resolution + 20% x care */
    bool ok = !jx_rat_mul(r1, jx_rat_from_frac(3, 10), &rec) &&
              !jx_rat_mul(r24, jx_rat_from_frac(5, 10), &t) && !jx_rat_add(rec, t, &rec) &&
              !jx_rat_mul(care, jx_rat_from_frac(2, 10), &t) && !jx_rat_add(rec, t, &rec);
    json_object_set_new(o, "complaints", json_integer(m->opened));
    for (int i = 0; i < 3; i++)
        json_object_set_new(sev, severity_names[i], json_integer(m->by_severity[i]));
    for (int i = 0; i < 5; i++)
        json_object_set_new(cat, category_names[i], json_integer(m->by_category[i]));
    json_object_set_new(o, "by_severity", sev);
    json_object_set_new(o, "by_category", cat);
    json_object_set_new(o, "response_1h_rate", json_string(percent(r1, m->opened, b[0], sizeof b[0])));
    json_object_set_new(o, "resolution_24h_rate", json_string(percent(r24, m->opened, b[1], sizeof b[1])));
    json_object_set_new(o, "care_rate", json_string(percent(care, m->opened, b[2], sizeof b[2])));
    json_object_set_new(o, "recovery_rate", json_string(percent(rec, m->opened && ok, b[3], sizeof b[3])));
    json_object_set_new(o, "breached", json_integer(m->breached));
    json_object_set_new(o, "reopened", json_integer(m->reopened));
    json_object_set_new(o, "rated", json_integer(m->rated));
    if (m->rated) {
        char cs[JX_RAT_BUFSZ], nps[JX_RAT_BUFSZ];
        struct jx_rat mean = jx_rat_from_frac(m->csat_sum, m->rated), x;
        if (jx_rat_round(mean, 2, &x))
            x = mean;
        json_object_set_new(o, "csat", json_string(jx_rat_format(x, 2, cs)));
        struct jx_rat np = jx_rat_from_frac((m->promoters - m->detractors) * 100, m->rated);
        if (jx_rat_round(np, 2, &x))
            x = np;
        json_object_set_new(o, "nps", json_string(jx_rat_format(x, 2, nps)));
    } else {
        json_object_set_new(o, "csat", json_null());
        json_object_set_new(o, "nps", json_null());
    }
    return o;
}

/* The summary by category and cause: {"service": {"attitude": 2, "": 1}, ...}. */
static json_t *causes_json(const struct jx_data *d, const struct jx_sla_output *o)
{
    json_t *by = json_object();
    for (size_t k = 0; k < o->n; k++) {
        uint32_t i = o->tickets[k].row;
        const char *cat = category_names[d->complaints.category[i] % 5];
        const char *cause = d->complaints.cause[i][0] ? d->complaints.cause[i] : "unknown";
        json_t *c = json_object_get(by, cat);
        if (!c) {
            c = json_object();
            json_object_set_new(by, cat, c);
        }
        json_object_set_new(c, cause,
                            json_integer(json_integer_value(json_object_get(c, cause)) + 1));
    }
    return by;
}

/*
 * Metrics per owner (person) or per team (the owner's unit): an object
 * keyed by id, in id order.
 */
static json_t *groups_json(const struct jx_data *d, const struct jx_sla_output *o, bool by_unit)
{
    size_t ng = by_unit ? d->units.n : d->people.n;
    struct jx_ticket_metrics *m = calloc(ng ? ng : 1, sizeof *m);
    json_t *out = json_object();
    if (!m)
        return out;
    for (size_t k = 0; k < o->n; k++) {
        int32_t p = d->complaints.person[o->tickets[k].row];
        int32_t g = p < 0 ? -1 : by_unit ? d->people.unit[p] : p;
        if (g >= 0)
            jx_sla_count(&m[g], &d->complaints, &o->tickets[k]);
    }
    for (size_t g = 0; g < ng; g++)
        if (m[g].opened)
            json_object_set_new(out, by_unit ? d->units.id[g] : d->people.id[g],
                                metrics_json(&m[g]));
    free(m);
    return out;
}

/* One ticket as JSON. */
static json_t *ticket_json(const struct jx_data *d, const struct jx_ticket *t)
{
    const struct jx_complaints *c = &d->complaints;
    uint32_t i = t->row;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(c->id[i]));
    json_object_set_new(o, "customer_id",
                        c->customer[i] >= 0 ? json_string(d->customers.id[c->customer[i]])
                                            : json_null());
    json_object_set_new(o, "person_id",
                        c->person[i] >= 0 ? json_string(d->people.id[c->person[i]]) : json_null());
    json_object_set_new(o, "category", json_string(category_names[c->category[i] % 5]));
    json_object_set_new(o, "severity", json_string(severity_names[c->severity[i] % 3]));
    json_object_set_new(o, "status", json_string(t->status));
    json_object_set_new(o, "opened_at", time_json(c->opened[i]));
    json_object_set_new(o, "responded_at", time_json(c->responded[i]));
    json_object_set_new(o, "resolved_at", time_json(c->resolved[i]));
    json_object_set_new(o, "followed_up_at", time_json(c->followed_up[i]));
    json_object_set_new(o, "reopened_at", time_json(c->reopened ? c->reopened[i] : JX_NO_TIME));
    json_object_set_new(o, "closed_at", time_json(c->closed ? c->closed[i] : JX_NO_TIME));
    json_object_set_new(o, "csat", c->csat[i] ? json_integer(c->csat[i]) : json_null());
    json_object_set_new(o, "response_due", time_json(t->response_due));
    json_object_set_new(o, "resolution_due", time_json(t->resolution_due));
    json_object_set_new(o, "breached", json_boolean(t->response_breached || t->resolution_breached));
    json_object_set_new(o, "response_late_minutes", json_integer(t->response_late));
    json_object_set_new(o, "resolution_late_minutes", json_integer(t->resolution_late));
    json_object_set_new(o, "escalate_to",
                        t->escalate_to >= 0 ? json_string(d->people.id[t->escalate_to])
                                            : json_null());
    json_object_set_new(o, "revisit_due", time_json(t->revisit_due));
    return o;
}


json_t *jx_complaints_doc(const struct jx_data *d, const char *period, const char *asof,
                          const struct jx_sla_output *o, const char *by)
{
    json_t *root = json_object(), *list = json_array();
    json_t *metrics = metrics_json(&o->m);
    json_object_set_new(metrics, "by_category_and_cause", causes_json(d, o));
    json_object_set_new(root, "period", json_string(period));
    json_object_set_new(root, "as_of", json_string(asof));
    for (size_t k = 0; k < o->n; k++)
        json_array_append_new(list, ticket_json(d, &o->tickets[k]));
    json_object_set_new(root, "tickets", list);
    json_object_set_new(root, "metrics", metrics);
    if (by && (!strcmp(by, "unit") || !strcmp(by, "person")))
        json_object_set_new(root, !strcmp(by, "unit") ? "by_unit" : "by_person",
                            groups_json(d, o, !strcmp(by, "unit")));
    return root;
}
