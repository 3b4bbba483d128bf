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
#include "io/complaints.h"
#include "store/store.h"

static const char *const severity_names[3] = {"severe", "general", "minor"};

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
    double t0 = jx_clock_ms(), t1 = t0, t2 = t0;
    if (!(s = jx_calendar_load_builtin(&cal, &err)) && !(s = jx_store_open(db, false, &st, &err)) &&
        !(s = jx_store_check_schema(st, &err)) && !(s = jx_store_load(st, &data, &err)) &&
        ((t1 = jx_clock_ms()), !(s = jx_sla_compute(&data, &cal, &period, now, &o, &err)))) {
        t2 = jx_clock_ms();
        char pbuf[JX_PERIOD_BUFSZ], asof[JX_TIME_BUFSZ];
        jx_period_format(&period, pbuf);
        jx_time_format(now, asof);
        json_t *root = jx_complaints_doc(&data, pbuf, asof, &o, by);
        json_t *metrics = json_object_get(root, "metrics");
        json_t *groups = by ? json_object_get(root, !strcmp(by, "unit") ? "by_unit" : "by_person")
                            : NULL;
        if (f && !strcmp(f, "json")) {
            char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            if (text)
                puts(text);
            free(text);
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
        json_decref(root);
        if (jx_args_get(&a, "timing"))
            fprintf(stderr, "timing: load %.1f ms (%zu complaints), sla %.1f ms (%zu tickets), "
                            "print %.1f ms\n",
                    t1 - t0, data.complaints.n, t2 - t1, o.n, jx_clock_ms() - t2);
    }
    free(o.tickets);
    jx_data_release(&data);
    jx_store_close(st);
    jx_calendar_release(&cal);
    return s ? jx_cli_fail(s, &err) : 0;
}
