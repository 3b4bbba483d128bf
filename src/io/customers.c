/*
 * customers.c - the contact cadence of customers as text and JSON.
 */
#include "io/customers.h"

#include <stdio.h>

#include "core/date.h"

const char *jx_tier_name(int tier)
{
    static const char *const names[4] = {"", "high_potential", "stable", "watching"};
    return names[tier & 3];
}

const char *jx_cadence_status(const struct jx_cadence *e, char *buf, size_t n)
{
    if (e->last_contact == JX_NO_TIME)
        snprintf(buf, n, "never contacted");
    else if (e->overdue)
        snprintf(buf, n, "overdue %lldd %lldh", (long long)(e->overdue / 1440),
                 (long long)(e->overdue % 1440 / 60));
    else
        snprintf(buf, n, "ok");
    return buf;
}

static json_t *time_json(int64_t t)
{
    char buf[JX_TIME_BUFSZ];
    return t == JX_NO_TIME ? json_null() : json_string(jx_time_format(t, buf));
}

json_t *jx_cadence_json(const struct jx_data *d, const struct jx_cadence *e)
{
    const struct jx_customers *cu = &d->customers;
    int32_t c = e->customer;
    char status[64];
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(cu->id[c]));
    json_object_set_new(o, "name", json_string(cu->name[c]));
    json_object_set_new(o, "class", json_stringn((const char *)&cu->klass[c], 1));
    json_object_set_new(o, "tier", json_string(jx_tier_name(cu->tier[c])));
    json_object_set_new(o, "owner_id",
                        cu->owner[c] >= 0 ? json_string(d->people.id[cu->owner[c]]) : json_null());
    json_object_set_new(o, "cadence_days", json_integer(e->days));
    json_object_set_new(o, "last_contact", time_json(e->last_contact));
    json_object_set_new(o, "last_by",
                        e->last_by >= 0 ? json_string(d->people.id[e->last_by]) : json_null());
    json_object_set_new(o, "next_due", time_json(e->next_due));
    json_object_set_new(o, "overdue_minutes", json_integer(e->overdue));
    json_object_set_new(o, "status", json_string(jx_cadence_status(e, status, sizeof status)));
    return o;
}
