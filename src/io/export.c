/*
 * export.c - the stored rows of a kind written back out in its import
 * format, as CSV or as an Excel workbook: what was imported can be taken
 * out, edited in Excel and imported again to the same rows.
 *
 * Each value is written as the importer reads it back: money and decimals
 * exactly ("12800.00", "0.15"), percentages with their sign ("95%"), dates
 * and times as text in CSV and as Excel dates (a yyyy-mm-dd or yyyy-mm-dd
 * hh:mm number format) in a workbook, where money, decimals and whole
 * numbers are numbers too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "core/date.h"
#include "core/dec.h"
#include "core/money.h"
#include "io/export.h"
#include "io/xlsx_out.h"

#define TEXT_MAX 1100 /* a value as text: the longest is free text (1000 bytes) */

/* Value v of column col as the importer reads it; "" for none.  Returns out. */
static const char *value_text(const struct jx_column *col, const struct jx_value *v, char *out,
                              size_t n)
{
    char buf[64];
    if (v->null) {
        out[0] = '\0';
        return out;
    }
    switch (col->type) {
    case JX_T_MONEY:
        return jx_money_format(v->i, out);
    case JX_T_DEC:
        return jx_dec_format_exact(v->i, out);
    case JX_T_PERCENT:
        snprintf(out, n, "%s%%", jx_dec_format_exact(v->i * 100, buf));
        return out;
    case JX_T_INT:
    case JX_T_BOOL:
        snprintf(out, n, "%lld", (long long)v->i);
        return out;
    default:
        snprintf(out, n, "%.*s", (int)v->len, v->s);
        return out;
    }
}

/* ---- CSV -------------------------------------------------------------- */

struct csv_out {
    FILE *f;
    const struct jx_kind_def *k;
    size_t rows;
};

/* One CSV field, quoted when it must be (RFC 4180). */
static void csv_field(FILE *f, const char *s, bool last)
{
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
    fputc(last ? '\n' : ',', f);
}

static enum jx_status csv_row(void *ctx, const struct jx_value *v, struct jx_err *err)
{
    struct csv_out *o = ctx;
    char text[TEXT_MAX];
    (void)err;
    for (size_t c = 0; c < o->k->ncolumns; c++)
        csv_field(o->f, value_text(&o->k->columns[c], &v[c], text, sizeof text),
                  c + 1 == o->k->ncolumns);
    o->rows++;
    return JX_OK;
}

/* ---- XLSX ------------------------------------------------------------- */

struct xlsx_out {
    lxw_worksheet *ws;
    lxw_format *date, *time, *money;
    const struct jx_kind_def *k;
    lxw_row_t row;
};

/* Excel's serial of a day (days since 1970-01-01) and minutes into it. */
static double serial(int32_t day, int minutes)
{
    return (double)day + 25569.0 + minutes / 1440.0;
}

static enum jx_status xlsx_row(void *ctx, const struct jx_value *v, struct jx_err *err)
{
    struct xlsx_out *o = ctx;
    char text[TEXT_MAX];
    if (o->row >= LXW_ROW_MAX - 1)
        return jx_err_set(err, JX_EINPUT, "more rows than a worksheet holds (%u)", LXW_ROW_MAX);
    o->row++;
    for (size_t c = 0; c < o->k->ncolumns; c++) {
        const struct jx_column *col = &o->k->columns[c];
        lxw_col_t x = (lxw_col_t)c;
        int32_t day;
        double yuan;
        if (v[c].null)
            continue;
        switch (col->type) {
        case JX_T_MONEY:
            if (jx_xlsx_yuan(v[c].i, &yuan))
                worksheet_write_number(o->ws, o->row, x, yuan, o->money);
            else /* beyond what a cell keeps exactly: the amount as text */
                worksheet_write_string(o->ws, o->row, x,
                                       value_text(col, &v[c], text, sizeof text), NULL);
            break;
        case JX_T_INT:
        case JX_T_BOOL:
            worksheet_write_number(o->ws, o->row, x, (double)v[c].i, NULL);
            break;
        case JX_T_DATE:
            if (jx_date_parse(v[c].s, v[c].len, &day, NULL))
                worksheet_write_string(o->ws, o->row, x, value_text(col, &v[c], text,
                                                                    sizeof text), NULL);
            else
                worksheet_write_number(o->ws, o->row, x, serial(day, 0), o->date);
            break;
        case JX_T_TIME:
            if (v[c].len != 16 || jx_date_parse(v[c].s, 10, &day, NULL))
                worksheet_write_string(o->ws, o->row, x, value_text(col, &v[c], text,
                                                                    sizeof text), NULL);
            else
                worksheet_write_number(o->ws, o->row, x,
                                       serial(day, atoi(v[c].s + 11) * 60 + atoi(v[c].s + 14)),
                                       o->time);
            break;
        default: /* text, and exact decimals and percentages as the text read back */
            worksheet_write_string(o->ws, o->row, x, value_text(col, &v[c], text, sizeof text),
                                   NULL);
        }
    }
    return JX_OK;
}

enum jx_status jx_export(struct jx_store *st, enum jx_kind kind, const char *path, bool xlsx,
                         size_t *rows, struct jx_err *err)
{
    const struct jx_kind_def *k = &jx_kinds[kind];
    enum jx_status s;
    *rows = 0;
    if (!xlsx) {
        struct csv_out o = {.k = k};
        if (!(o.f = fopen(path, "w")))
            return jx_err_set(err, JX_EINTERNAL, "cannot write %s", path);
        for (size_t c = 0; c < k->ncolumns; c++)
            csv_field(o.f, k->columns[c].name, c + 1 == k->ncolumns);
        s = jx_store_rows(st, kind, csv_row, &o, err);
        if (fclose(o.f) && !s)
            s = jx_err_set(err, JX_EINTERNAL, "cannot write %s", path);
        *rows = o.rows;
        return s;
    }
    /* rows go out in order, sheet by sheet: constant memory, inline strings (3x faster) */
    lxw_workbook_options wo = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &wo);
    if (!wb)
        return jx_err_set(err, JX_EINTERNAL, "cannot create %s", path);
    struct xlsx_out o = {.k = k, .ws = workbook_add_worksheet(wb, k->name)};
    lxw_format *bold = workbook_add_format(wb);
    o.date = workbook_add_format(wb);
    o.time = workbook_add_format(wb);
    o.money = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_num_format(o.date, "yyyy-mm-dd");
    format_set_num_format(o.time, "yyyy-mm-dd hh:mm");
    format_set_num_format(o.money, "0.00");
    for (size_t c = 0; c < k->ncolumns; c++) {
        const struct jx_column *col = &k->columns[c];
        worksheet_write_string(o.ws, 0, (lxw_col_t)c, col->name, bold);
        worksheet_set_column(o.ws, (lxw_col_t)c, (lxw_col_t)c,
                             col->type == JX_T_TIME ? 17 : col->type == JX_T_TEXT ? 24 : 13,
                             NULL);
    }
    worksheet_freeze_panes(o.ws, 1, 0);
    s = jx_store_rows(st, kind, xlsx_row, &o, err);
    lxw_error e = workbook_close(wb);
    if (!s && e != LXW_NO_ERROR)
        s = jx_err_set(err, JX_EINTERNAL, "cannot write %s: %s", path, lxw_strerror(e));
    *rows = o.row;
    return s;
}
