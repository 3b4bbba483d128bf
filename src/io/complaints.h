/*
 * complaints.h - the complaints report as JSON (shared by the CLI and the API).
 */
#ifndef JX_COMPLAINTS_H
#define JX_COMPLAINTS_H

#include <jansson.h>

#include "engine/data.h"
#include "engine/sla.h"

/*
 * {"period", "as_of", "tickets": [...], "metrics": {...}} and, when by is
 * "person" or "unit", "by_person" / "by_unit" metrics.  The caller owns the
 * result (json_decref).
 */
json_t *jx_complaints_doc(const struct jx_data *d, const char *period, const char *asof,
                          const struct jx_sla_output *o, const char *by);

#endif
