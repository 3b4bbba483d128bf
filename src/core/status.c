/*
 * status.c - error records, and the one table that maps a status to an exit
 * code, an HTTP status and a name.
 */
#include "status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
    enum jx_status status;
    int exit_code;
    int http_code;
    const char *name;
} status_table[] = {
    {JX_OK, 0, 200, "ok"},
    {JX_EUSAGE, 1, 400, "usage"},
    {JX_EINPUT, 2, 400, "invalid input"},
    {JX_ENOMEM, 3, 500, "out of memory"},
    {JX_ERANGE, 2, 400, "out of range"},
    {JX_ESTORE, 3, 500, "storage error"},
    {JX_ENOTFOUND, 2, 404, "not found"},
    {JX_ELOCKED, 2, 409, "period locked"},
    {JX_EINTERNAL, 3, 500, "internal error"},
};

static size_t status_index(enum jx_status s)
{
    for (size_t i = 0; i < sizeof status_table / sizeof status_table[0]; i++)
        if (status_table[i].status == s)
            return i;
    return sizeof status_table / sizeof status_table[0] - 1; /* internal */
}

int jx_status_exit_code(enum jx_status s)
{
    return status_table[status_index(s)].exit_code;
}

int jx_status_http_code(enum jx_status s)
{
    return status_table[status_index(s)].http_code;
}

const char *jx_status_name(enum jx_status s)
{
    return status_table[status_index(s)].name;
}

void jx_err_clear(struct jx_err *err)
{
    if (err) { /* the strings emptied, not all 840 bytes: formulas clear one per evaluation */
        err->msg[0] = err->file[0] = err->field[0] = '\0';
        err->line = 0;
    }
}

enum jx_status jx_err_set(struct jx_err *err, enum jx_status status, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return status;
}

void jx_err_at(struct jx_err *err, const char *file, long line, const char *field)
{
    if (!err)
        return;
    if (file)
        snprintf(err->file, sizeof err->file, "%s", file);
    err->line = line;
    if (field)
        snprintf(err->field, sizeof err->field, "%s", field);
}

const char *jx_err_format(const struct jx_err *err, char *buf, size_t n)
{
    char place[320] = "";

    if (err->file[0] && err->line > 0)
        snprintf(place, sizeof place, "%.255s:%ld: ", err->file, err->line);
    else if (err->file[0])
        snprintf(place, sizeof place, "%.255s: ", err->file);
    snprintf(buf, n, "%s%s%s%s%s", place, err->field[0] ? "column " : "", err->field,
             err->field[0] ? ": " : "", err->msg[0] ? err->msg : "error");
    return buf;
}
