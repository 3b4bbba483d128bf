/*
 * customers.h - the contact cadence of customers as text and JSON (shared by
 * jixiao customers and the API).
 */
#ifndef JX_CUSTOMERS_H
#define JX_CUSTOMERS_H

#include <jansson.h>
#include <stddef.h>

#include "engine/cadence.h"
#include "engine/data.h"

/* The name of a customer tier (enum jx_tier): "high_potential", "stable", "watching", "". */
const char *jx_tier_name(int tier);

/* "never contacted", "overdue 2d 3h" or "ok" into buf (n bytes); returns buf. */
const char *jx_cadence_status(const struct jx_cadence *e, char *buf, size_t n);

/*
 * One customer's cadence as {id, name, class, tier, owner_id, cadence_days,
 * last_contact, last_by, next_due, overdue_minutes, status}.
 */
json_t *jx_cadence_json(const struct jx_data *d, const struct jx_cadence *e);

#endif
