/*
 * statement.h - a person's pay statement for a period, printable (HTML now;
 * PDF).
 */
#ifndef JX_STATEMENT_H
#define JX_STATEMENT_H

#include <stdio.h>

#include "core/status.h"
#include "store/store.h"

/* Write the statement of the single person of rec (a stored run) as a whole HTML page. */
enum jx_status jx_statement_html(FILE *f, const struct jx_run_record *rec,
                                 struct jx_err *err) JX_MUST_USE;

/*
 * Write the statements of every row of rec (one page each) to path as PDF
 * (libharu; Chinese in the built-in SimSun font).
 */
enum jx_status jx_statement_pdf(const char *path, const struct jx_run_record *rec,
                                struct jx_err *err) JX_MUST_USE;

#endif
