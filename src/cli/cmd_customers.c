/*
 * cmd_customers.c - jixiao customers: each customer's class, tier and
 * contact cadence, the last contact and when the next one is due; overdue
 * first (domain.md §7).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "core/date.h"
#include "engine/cadence.h"
#include "io/customers.h"
#include "store/store.h"

/* A time as text into buf, "-" for none. */
static const char *when(int64_t t, char *buf)
{
    return t == JX_NO_TIME ? "-" : jx_time_format(t, buf);
}

int jx_cmd_customers(int argc, char **argv)
{
    struct jx_opt opts[] = {
        {.name = "db", .arg = "PATH", .help = "the database"},
        {.name = "now", .arg = "TIME", .help = "as of this time, YYYY-MM-DD HH:MM (default: now)"},
        {.name = "overdue", .help = "only the customers whose contact is overdue or never made"},
        {.name = "format", .arg = "FMT", .help = "table (default) or json"},
        {0},
    };
    struct jx_args a = {.cmd = "customers",
                        .usage = "--db PATH [--now TIME] [--overdue] [--format table|json]",
                        .summary = "Customers with their class, tier and contact cadence "
                                   "(high_potential weekly, stable every two weeks,\nwatching "
                                   "monthly): the last contact and the next one due, overdue "
                                   "first (客户联系).",
                        .opts = opts};
    struct jx_store *st = NULL;
    struct jx_data data = {0};
    struct jx_cadence *v = NULL;
    struct jx_err err;
    size_t n = 0;
    int64_t now;
    enum jx_status s;
    int rc = jx_args_parse(&a, argc, argv);
    if (rc || a.help)
        return rc;
    const char *db = jx_args_get(&a, "db"), *f = jx_args_get(&a, "format");
    bool only_overdue = jx_args_get(&a, "overdue") != NULL;
    if (!db)
        return jx_args_usage_error(&a, "--db is required");
    if (f && strcmp(f, "table") && strcmp(f, "json"))
        return jx_args_usage_error(&a, "--format must be table or json");
    jx_err_clear(&err);
    if ((s = jx_cli_event_time(jx_args_get(&a, "now"), "now", &now, &err)))
        return jx_cli_fail(s, &err);
    if (!(s = jx_store_open(db, false, &st, &err)) && !(s = jx_store_check_schema(st, &err)) &&
        !(s = jx_store_load(st, &data, &err)) && !(s = jx_cadence_compute(&data, now, &v, &n, &err))) {
        const struct jx_customers *cu = &data.customers;
        json_t *list = json_array();
        char asof[JX_TIME_BUFSZ];
        if (!f || strcmp(f, "json"))
            printf("customers as of %s\n%-10s %-5s %-14s %-8s %-16s %-8s %-16s %s\n",
                   jx_time_format(now, asof), "id", "class", "tier", "cadence", "last contact",
                   "by", "next due", "status");
        for (size_t i = 0; i < n; i++) {
            const struct jx_cadence *e = &v[i];
            bool never = e->last_contact == JX_NO_TIME;
            if (only_overdue && !never && !e->overdue)
                continue;
            int32_t c = e->customer;
            char lc[JX_TIME_BUFSZ], nd[JX_TIME_BUFSZ], status[64];
            if (f && !strcmp(f, "json")) {
                json_array_append_new(list, jx_cadence_json(&data, e));
            } else {
                char cad[16];
                snprintf(cad, sizeof cad, "%dd", e->days);
                printf("%-10s %-5c %-14s %-8s %-16s %-8s %-16s %s\n", cu->id[c], cu->klass[c],
                       jx_tier_name(cu->tier[c]), cad, when(e->last_contact, lc),
                       e->last_by >= 0 ? data.people.id[e->last_by] : "-", when(e->next_due, nd),
                       jx_cadence_status(e, status, sizeof status));
            }
        }
        if (f && !strcmp(f, "json")) {
            char *text = json_dumps(list, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            if (text)
                puts(text);
            free(text);
        }
        json_decref(list);
    }
    free(v);
    jx_data_release(&data);
    jx_store_close(st);
    return s ? jx_cli_fail(s, &err) : 0;
}
