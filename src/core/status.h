/*
 * status.h - the one status enum, and the error detail that travels with it.
 *
 * Every fallible function returns enum jx_status (JX_OK == 0) and, when the
 * caller passes a non-NULL struct jx_err *, fills it with a message and the
 * place the problem was found: file, line (1-based, 0 = unknown) and column
 * name.  Library code never prints and never exits; only main() does.
 */
#ifndef JX_STATUS_H
#define JX_STATUS_H

#include <stddef.h>

#define JX_MUST_USE __attribute__((warn_unused_result))

enum jx_status {
    JX_OK = 0,
    JX_EUSAGE,   /* bad command line */
    JX_EINPUT,   /* invalid input data: nothing was written */
    JX_ENOMEM,   /* allocation failed */
    JX_ERANGE,   /* arithmetic overflow or value out of range */
    JX_ESTORE,   /* storage error */
    JX_ENOTFOUND,/* no such record */
    JX_ELOCKED,  /* the period is locked */
    JX_EINTERNAL /* a bug, or an I/O error outside the store */
};

struct jx_err {
    char msg[512];   /* the problem, stated first */
    char file[256];  /* file the problem is in, "" when none */
    long line;       /* 1-based line, 0 when unknown */
    char field[64];  /* column or field name, "" when none */
};

/* Clear an error record (err may be NULL). */
void jx_err_clear(struct jx_err *err);

/*
 * Fill err (may be NULL) with a printf-style message and return status.
 * The place fields are left as they are, so a caller that knows the file and
 * line can set them before or after.
 */
enum jx_status jx_err_set(struct jx_err *err, enum jx_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Set the place of an error: file (may be NULL), line, field (may be NULL). */
void jx_err_at(struct jx_err *err, const char *file, long line, const char *field);

/*
 * Format err as "FILE:LINE: column NAME: message" (parts that are unknown are
 * left out) into buf of size n.  Returns buf.
 */
const char *jx_err_format(const struct jx_err *err, char *buf, size_t n);

/* Process exit code for a status: 0 ok, 1 usage, 2 invalid input, 3 other. */
int jx_status_exit_code(enum jx_status s);

/* HTTP status for a status (200, 400, 404, 409, 500...). */
int jx_status_http_code(enum jx_status s);

/* Short English name of a status, for logs. */
const char *jx_status_name(enum jx_status s);

#endif
