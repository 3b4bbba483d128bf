/*
 * import.h - validated, all-or-nothing import of CSV files (interfaces.md).
 *
 * The importer reads a whole file with libcsv, checks every row against the
 * kind's column table (store/model.h): types, enumerations, required columns,
 * references to rows in the database or earlier in the same file, duplicate
 * keys, contract rows that disagree on contract-level fields, split shares
 * summing to 100.  Only if the whole file is valid does it write it, in one
 * transaction.  Errors are collected, up to JX_IMPORT_MAX_ERRORS.
 */
#ifndef JX_IMPORT_H
#define JX_IMPORT_H

#include <stddef.h>
#include <stdio.h>

#include "core/status.h"
#include "store/model.h"
#include "store/store.h"

#define JX_IMPORT_MAX_ERRORS 50

struct jx_import_report {
    long rows;                               /* data rows read */
    long written;                            /* rows written (0 when any error) */
    int nerrors;                             /* errors kept in errs */
    long more_errors;                        /* errors found beyond JX_IMPORT_MAX_ERRORS */
    struct jx_err errs[JX_IMPORT_MAX_ERRORS];
};

struct jx_import_opts {
    const char *who;      /* for the audit log; "cli" when NULL */
    FILE *progress;       /* progress lines for large inputs, or NULL */
};

/*
 * Import data[0..len) (CSV text of kind) into st.  name is the file name used
 * in messages.  Returns JX_OK when everything was written, JX_EINPUT when the
 * data had errors (see rep->errs; nothing written), another status for a
 * storage failure (also in rep->errs[0]).
 */
enum jx_status jx_import_buffer(struct jx_store *st, enum jx_kind kind, const char *name,
                                const char *data, size_t len, const struct jx_import_opts *opts,
                                struct jx_import_report *rep) JX_MUST_USE;

/* The same for a file on disk (mapped or read whole). */
enum jx_status jx_import_file(struct jx_store *st, enum jx_kind kind, const char *path,
                              const struct jx_import_opts *opts,
                              struct jx_import_report *rep) JX_MUST_USE;

#endif
