/*
 * xlsx_out.c - a stored run as an Excel workbook (libxlsxwriter): one sheet
 * of pay, one of scores and grades, one of the trace.  Money is written as
 * numbers with a yuan format (the text of the results, two decimals, read
 * back exactly), headers frozen, columns sized, a totals row of formulas.
 */
#include "io/xlsx_out.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "core/money.h"

static const char *str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

#define XLSX_EXACT_FEN INT64_C(1000000000000000) /* 10^15: 15 significant digits */

bool jx_xlsx_yuan(int64_t fen, double *yuan)
{
    if (fen <= -XLSX_EXACT_FEN || fen >= XLSX_EXACT_FEN)
        return false;
    *yuan = (double)fen / 100.0;
    return true;
}

/* A money text of the results ("5386.50") into a cell: a number in yuan, or the text. */
static void write_money(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
                        lxw_format *yuan)
{
    int64_t fen;
    double y;
    if (jx_money_parse(s, strlen(s), &fen, NULL) == JX_OK && jx_xlsx_yuan(fen, &y))
        worksheet_write_number(ws, row, col, y, yuan);
    else
        worksheet_write_string(ws, row, col, s, NULL);
}

/* Write a header row in bold, freeze it, size the columns. */
static void header(lxw_worksheet *ws, lxw_format *bold, const char *const *names,
                   const double *widths, int n)
{
    for (int c = 0; c < n; c++) {
        worksheet_write_string(ws, 0, (lxw_col_t)c, names[c], bold);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
    }
    worksheet_freeze_panes(ws, 1, 0);
}

enum jx_status jx_results_xlsx(const char *path, const struct jx_run_record *rec,
                               struct jx_err *err)
{
    /* rows go out in order, sheet by sheet: constant memory, inline strings (3x faster) */
    lxw_workbook_options wo = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &wo);
    if (!wb)
        return jx_err_set(err, JX_ESTORE, "cannot create %s", path);
    lxw_format *bold = workbook_add_format(wb), *yuan = workbook_add_format(wb),
               *total = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_num_format(yuan, "¥#,##0.00");
    format_set_num_format(total, "¥#,##0.00");
    format_set_bold(total);

    lxw_worksheet *pay = workbook_add_worksheet(wb, "工资 Pay");
    lxw_worksheet *score = workbook_add_worksheet(wb, "考核 Scores");
    lxw_worksheet *trace = workbook_add_worksheet(wb, "计算过程 Trace");
    static const char *const pay_head[] = {"工号 id",        "姓名 name",   "部门 unit",
                                           "方案 plan",      "基本 base",   "提成 commission",
                                           "奖金 bonus",     "扣款 deductions", "合计 total",
                                           "标记 flags"};
    static const double pay_w[] = {10, 12, 12, 18, 14, 14, 14, 14, 14, 30};
    static const char *const score_head[] = {"工号 id",       "姓名 name",     "部门 unit",
                                             "考核方案 scorecard", "KPI",      "定性 qualitative",
                                             "最终 final",    "等级 grade",    "校准前 before",
                                             "排名 rank"};
    static const double score_w[] = {10, 12, 12, 20, 10, 12, 10, 10, 10, 10};
    static const char *const trace_head[] = {"工号 id", "#", "项目 item", "item", "值 value",
                                             "说明 detail", "来源 source"};
    static const double trace_w[] = {10, 5, 16, 24, 14, 90, 24};
    header(pay, bold, pay_head, pay_w, 10);
    header(score, bold, score_head, score_w, 10);
    header(trace, bold, trace_head, trace_w, 7);

    lxw_row_t prow = 1, srow = 1, trow = 1;
    for (size_t i = 0; i < rec->nrows; i++) {
        json_error_t je;
        json_t *o = json_loads(rec->rows[i].result, 0, &je);
        json_t *t = rec->rows[i].trace[0] ? json_loads(rec->rows[i].trace, 0, &je) : NULL;
        if (!o) {
            json_decref(t);
            workbook_close(wb);
            return jx_err_set(err, JX_ESTORE, "stored result is not JSON");
        }
        json_t *p = json_object_get(o, "pay"), *sc = json_object_get(o, "score");
        if (json_is_object(p)) {
            char flags[512] = "";
            size_t k, n = 0;
            json_t *f;
            json_array_foreach(json_object_get(o, "flags"), k, f)
                n += (size_t)snprintf(flags + n, n < sizeof flags ? sizeof flags - n : 0, "%s%s",
                                      k ? "; " : "", json_string_value(f));
            worksheet_write_string(pay, prow, 0, str(o, "id"), NULL);
            worksheet_write_string(pay, prow, 1, str(o, "name"), NULL);
            worksheet_write_string(pay, prow, 2, str(o, "unit_id"), NULL);
            worksheet_write_string(pay, prow, 3, str(o, "plan"), NULL);
            static const char *const parts[] = {"base", "commission", "bonus", "deductions",
                                                "total"};
            for (int c = 0; c < 5; c++)
                write_money(pay, prow, (lxw_col_t)(4 + c), str(p, parts[c]), yuan);
            worksheet_write_string(pay, prow, 9, flags, NULL);
            prow++;
        }
        if (json_is_object(sc)) {
            worksheet_write_string(score, srow, 0, str(o, "id"), NULL);
            worksheet_write_string(score, srow, 1, str(o, "name"), NULL);
            worksheet_write_string(score, srow, 2, str(o, "unit_id"), NULL);
            worksheet_write_string(score, srow, 3, str(o, "scorecard"), NULL);
            worksheet_write_number(score, srow, 4, strtod(str(sc, "kpi"), NULL), NULL);
            worksheet_write_number(score, srow, 5, strtod(str(sc, "qualitative"), NULL), NULL);
            worksheet_write_number(score, srow, 6, strtod(str(sc, "final"), NULL), NULL);
            worksheet_write_string(score, srow, 7, str(sc, "grade"), NULL);
            worksheet_write_string(score, srow, 8, str(sc, "grade_before_calibration"), NULL);
            worksheet_write_number(score, srow, 9,
                                   (double)json_integer_value(json_object_get(sc, "rank")), NULL);
            srow++;
        }
        size_t k;
        json_t *e;
        json_array_foreach(t, k, e)
        {
            worksheet_write_string(trace, trow, 0, str(o, "id"), NULL);
            worksheet_write_number(trace, trow, 1, (double)(k + 1), NULL);
            worksheet_write_string(trace, trow, 2, str(e, "zh"), NULL);
            worksheet_write_string(trace, trow, 3, str(e, "en"), NULL);
            worksheet_write_string(trace, trow, 4, str(e, "value"), NULL);
            worksheet_write_string(trace, trow, 5, str(e, "detail"), NULL);
            worksheet_write_string(trace, trow, 6, str(e, "source"), NULL);
            trow++;
        }
        json_decref(o);
        json_decref(t);
    }
    /* the totals row: formulas over the money columns */
    if (prow > 1) {
        worksheet_write_string(pay, prow, 0, "合计 total", bold);
        for (int c = 0; c < 5; c++) {
            char formula[64], col = (char)('E' + c);
            snprintf(formula, sizeof formula, "=SUM(%c2:%c%u)", col, col, (unsigned)prow);
            worksheet_write_formula(pay, prow, (lxw_col_t)(4 + c), formula, total);
        }
    }
    worksheet_autofilter(pay, 0, 0, prow > 1 ? prow - 1 : 0, 9);
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR)
        return jx_err_set(err, JX_ESTORE, "cannot write %s: %s", path, lxw_strerror(e));
    return JX_OK;
}
