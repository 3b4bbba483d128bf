/*
 * statement.h - a person's pay statement for a period, printable (HTML now;
 * PDF later).
 */
#ifndef JX_STATEMENT_H
#define JX_STATEMENT_H

#include <stdio.h>

#include "core/status.h"
#include "store/store.h"

/* Write the statement of the single person of rec (a stored run) as a whole HTML page. */
enum jx_status jx_statement_html(FILE *f, const struct jx_run_record *rec,
                                 struct jx_err *err) JX_MUST_USE;

#endif
