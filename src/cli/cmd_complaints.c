/*
 * cmd_complaints.c - jixiao complaints: the tickets opened in a period with
 * their deadlines, breaches and escalation, and the period's service metrics
 * (domain.md §7).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "core/calendar.h"
#include "core/date.h"
#include "core/rat.h"
#include "engine/sla.h"
#include "store/store.h"

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

/* "2d 3h 10m" for a number of minutes. */
static const char *duration(int64_t min, char *buf, size_t size)
{
    if (min >= 24 * 60)
        snprintf(buf, size, "%lldd %lldh %lldm", (long long)(min / 1440),
                 (long long)(min % 1440 / 60), (long long)(min % 60));
    else if (min >= 60)
        snprintf(buf, size, "%lldh %lldm", (long long)(min / 60), (long long)(min % 60));
    else
        snprintf(buf, size, "%lldm", (long long)min);
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

/* One line of metrics. */
static void print_metrics(json_t *m)
{
    json_t *csat = json_object_get(m, "csat"), *nps = json_object_get(m, "nps");
    printf("complaints %lld, breached %lld; 1-hour response %s, 24-hour resolution %s, care %s, "
           "recovery %s; CSAT %s, NPS %s\n",
           (long long)json_integer_value(json_object_get(m, "complaints")),
           (long long)json_integer_value(json_object_get(m, "breached")),
           json_string_value(json_object_get(m, "response_1h_rate")),
           json_string_value(json_object_get(m, "resolution_24h_rate")),
           json_string_value(json_object_get(m, "care_rate")),
           json_string_value(json_object_get(m, "recovery_rate")),
           json_is_string(csat) ? json_string_value(csat) : "-",
           json_is_string(nps) ? json_string_value(nps) : "-");
}

/* The summary by category and cause, one line a category. */
static void print_causes(json_t *by)
{
    const char *cat, *cause;
    json_t *c, *n;
    json_object_foreach(by, cat, c)
    {
        printf("  %s:", cat);
        json_object_foreach(c, cause, n)
            printf(" %s %lld", cause, (long long)json_integer_value(n));
        putchar('\n');
    }
}

/* The table: one line a ticket, overdue first, then the metrics. */
static void print_table(const struct jx_data *d, const char *period, const char *asof,
                        const struct jx_sla_output *o, json_t *metrics)
{
    const struct jx_complaints *c = &d->complaints;
    printf("%s complaints as of %s\n", period, asof);
    printf("%-10s %-8s %-12s %-16s %-16s %-16s %-8s %-10s %s\n", "id", "severity", "status",
           "opened", "response due", "resolution due", "owner", "escalate", "breach");
    for (size_t k = 0; k < o->n; k++) {
        const struct jx_ticket *t = &o->tickets[k];
        char op[JX_TIME_BUFSZ], rd[JX_TIME_BUFSZ], sd[JX_TIME_BUFSZ], b1[32], b2[32], br[96];
        br[0] = '\0';
        if (t->response_breached)
            snprintf(br, sizeof br, "response +%s", duration(t->response_late, b1, sizeof b1));
        if (t->resolution_breached)
            snprintf(br + strlen(br), sizeof br - strlen(br), "%sresolution +%s",
                     br[0] ? ", " : "", duration(t->resolution_late, b2, sizeof b2));
        uint32_t i = t->row;
        printf("%-10s %-8s %-12s %-16s %-16s %-16s %-8s %-10s %s\n", c->id[i],
               severity_names[c->severity[i] % 3], t->status, jx_time_format(c->opened[i], op),
               jx_time_format(t->response_due, rd), jx_time_format(t->resolution_due, sd),
               c->person[i] >= 0 ? d->people.id[c->person[i]] : "-",
               t->escalate_to >= 0 ? d->people.id[t->escalate_to] : "-", br[0] ? br : "-");
    }
    print_metrics(metrics);
}

/* Milliseconds on the monotonic clock. */
static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int jx_cmd_complaints(int argc, char **argv)
{
    struct jx_opt opts[] = {
        {.name = "db", .arg = "PATH", .help = "the database"},
        {.name = "period", .arg = "P", .help = "the period: 2025-09, 2025-Q3 or 2025"},
        {.name = "format", .arg = "FMT", .help = "table (default) or json"},
        {.name = "now",
         .arg = "TIME",
         .help = "judge open tickets as of this time, YYYY-MM-DD HH:MM (default: now)"},
        {.name = "by", .arg = "WHAT", .help = "also the metrics per person or per unit (team)"},
        {.name = "timing", .help = "print the time of each stage (load, SLA, print) to stderr"},
        {0},
    };
    struct jx_args a = {.cmd = "complaints",
                        .usage = "--db PATH --period P [--format table|json] [--now TIME] [--by person|unit]",
                        .summary = "The complaint tickets opened in the period with their "
                                   "response and resolution deadlines (working days,\n调休 "
                                   "included), breaches and escalation, and the period's "
                                   "service metrics (投诉处理).",
                        .opts = opts};
    struct jx_store *st = NULL;
    struct jx_data data = {0};
    struct jx_sla_output o = {0};
    struct jx_calendar cal;
    struct jx_period period;
    struct jx_err err;
    enum jx_status s;
    int64_t now;
    int rc = jx_args_parse(&a, argc, argv);
    if (rc || a.help)
        return rc;
    const char *db = jx_args_get(&a, "db"), *per = jx_args_get(&a, "period"),
               *f = jx_args_get(&a, "format");
    if (!db || !per)
        return jx_args_usage_error(&a, "--db and --period are required");
    if (f && strcmp(f, "table") && strcmp(f, "json"))
        return jx_args_usage_error(&a, "--format must be table or json");
    const char *by = jx_args_get(&a, "by");
    if (by && strcmp(by, "person") && strcmp(by, "unit"))
        return jx_args_usage_error(&a, "--by must be person or unit");
    jx_err_clear(&err);
    if (jx_args_period(&a, "period", &period))
        return 1;
    if ((s = jx_cli_event_time(jx_args_get(&a, "now"), "now", &now, &err)))
        return jx_cli_fail(s, &err);
    jx_calendar_init(&cal);
    double t0 = now_ms(), t1 = t0, t2 = t0;
    if (!(s = jx_calendar_load_builtin(&cal, &err)) && !(s = jx_store_open(db, false, &st, &err)) &&
        !(s = jx_store_check_schema(st, &err)) && !(s = jx_store_load(st, &data, &err)) &&
        ((t1 = now_ms()), !(s = jx_sla_compute(&data, &cal, &period, now, &o, &err)))) {
        t2 = now_ms();
        char pbuf[JX_PERIOD_BUFSZ], asof[JX_TIME_BUFSZ];
        json_t *metrics = metrics_json(&o.m);
        json_object_set_new(metrics, "by_category_and_cause", causes_json(&data, &o));
        json_t *groups = by ? groups_json(&data, &o, !strcmp(by, "unit")) : NULL;
        jx_period_format(&period, pbuf);
        jx_time_format(now, asof);
        if (f && !strcmp(f, "json")) {
            json_t *root = json_object(), *list = json_array();
            json_object_set_new(root, "period", json_string(pbuf));
            json_object_set_new(root, "as_of", json_string(asof));
            for (size_t k = 0; k < o.n; k++)
                json_array_append_new(list, ticket_json(&data, &o.tickets[k]));
            json_object_set_new(root, "tickets", list);
            json_object_set(root, "metrics", metrics);
            if (groups)
                json_object_set(root, !strcmp(by, "unit") ? "by_unit" : "by_person", groups);
            char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            if (text)
                puts(text);
            free(text);
            json_decref(root);
        } else {
            print_table(&data, pbuf, asof, &o, metrics);
            print_causes(json_object_get(metrics, "by_category_and_cause"));
            const char *key;
            json_t *g;
            json_object_foreach(groups, key, g)
            {
                printf("%s %s: ", !strcmp(by, "unit") ? "unit" : "person", key);
                print_metrics(g);
            }
        }
        json_decref(groups);
        json_decref(metrics);
        if (jx_args_get(&a, "timing"))
            fprintf(stderr, "timing: load %.1f ms (%zu complaints), sla %.1f ms (%zu tickets), "
                            "print %.1f ms\n",
                    t1 - t0, data.complaints.n, t2 - t1, o.n, now_ms() - t2);
    }
    free(o.tickets);
    jx_data_release(&data);
    jx_store_close(st);
    jx_calendar_release(&cal);
    return s ? jx_cli_fail(s, &err) : 0;
}
