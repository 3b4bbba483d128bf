/*
 * statement.c - a person's pay statement for a period as a printable HTML
 * page: who, the period and run, the pay components, the score and grade,
 * and every line of the calculation (Chinese and English labels).
 */
#include "io/statement.h"

#include <jansson.h>
#include <string.h>

/* Write s with the HTML special characters escaped. */
static void esc(FILE *f, const char *s)
{
    for (; s && *s; s++)
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
        }
}

static const char *str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* One row of a two-column table. */
static void row(FILE *f, const char *zh, const char *en, const char *value, bool strong)
{
    fprintf(f, "<tr><th>%s <small>", zh);
    esc(f, en);
    fputs("</small></th><td class=\"num\">", f);
    if (strong)
        fputs("<strong>", f);
    esc(f, value);
    if (strong)
        fputs("</strong>", f);
    fputs("</td></tr>\n", f);
}

enum jx_status jx_statement_html(FILE *f, const struct jx_run_record *rec, struct jx_err *err)
{
    json_error_t je;
    if (rec->nrows != 1)
        return jx_err_set(err, JX_ENOTFOUND, "no result for that person in the run");
    json_t *o = json_loads(rec->rows[0].result, 0, &je), *t = json_loads(rec->rows[0].trace, 0, &je);
    if (!o || !t) {
        json_decref(o);
        json_decref(t);
        return jx_err_set(err, JX_ESTORE, "stored result is not JSON");
    }
    json_t *pay = json_object_get(o, "pay"), *sc = json_object_get(o, "score");
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n<title>", f);
    esc(f, str(o, "name"));
    fprintf(f, " %s 工资单 / pay statement</title>\n", rec->period);
    fputs("<style>body{font-family:\"Noto Sans CJK SC\",\"PingFang SC\",sans-serif;margin:2em;"
          "color:#222}h1{font-size:1.4em;margin:0}table{border-collapse:collapse;margin:1em 0;"
          "width:100%}th,td{border-bottom:1px solid #ccc;padding:.3em .6em;text-align:left;"
          "vertical-align:top}td.num{text-align:right;white-space:nowrap}small{color:#666}"
          ".meta{color:#555}.trace td{font-size:.85em}@media print{body{margin:1cm}}</style>\n"
          "</head><body>\n<h1>工资单 Pay statement</h1>\n<p class=\"meta\">",
          f);
    esc(f, str(o, "id"));
    fputs(" ", f);
    esc(f, str(o, "name"));
    fputs(" · ", f);
    esc(f, str(o, "unit_id"));
    fprintf(f, " · %s · run %s</p>\n", rec->period, rec->id);
    if (json_is_object(pay)) {
        fputs("<table>\n", f);
        row(f, "基本工资", "base pay", str(pay, "base"), false);
        row(f, "提成", "commission", str(pay, "commission"), false);
        row(f, "奖金", "bonus", str(pay, "bonus"), false);
        row(f, "扣款", "deductions", str(pay, "deductions"), false);
        row(f, "应发合计", "total", str(pay, "total"), true);
        fputs("</table>\n", f);
    }
    if (json_is_object(sc)) {
        char rank[64];
        snprintf(rank, sizeof rank, "%lld (%lld in the unit)",
                 (long long)json_integer_value(json_object_get(sc, "rank")),
                 (long long)json_integer_value(json_object_get(sc, "rank_in_unit")));
        fputs("<table>\n", f);
        row(f, "KPI得分", "KPI score", str(sc, "kpi"), false);
        row(f, "定性得分", "qualitative score", str(sc, "qualitative"), false);
        row(f, "最终得分", "final score", str(sc, "final"), true);
        row(f, "等级", "grade", str(sc, "grade"), true);
        row(f, "校准前等级", "grade before calibration", str(sc, "grade_before_calibration"), false);
        row(f, "排名", "rank", rank, false);
        fputs("</table>\n", f);
    }
    json_t *flags = json_object_get(o, "flags"), *e;
    size_t i;
    if (json_array_size(flags)) {
        fputs("<p>标记 flags: ", f);
        json_array_foreach(flags, i, e)
        {
            if (i)
                fputs(", ", f);
            esc(f, json_string_value(e));
        }
        fputs("</p>\n", f);
    }
    fputs("<h2>计算过程 How it was computed</h2>\n<table class=\"trace\">\n", f);
    json_array_foreach(t, i, e)
    {
        fprintf(f, "<tr><td>%zu</td><td>", i + 1);
        esc(f, str(e, "zh"));
        fputs(" <small>", f);
        esc(f, str(e, "en"));
        fputs("</small><br><small>", f);
        esc(f, str(e, "detail"));
        fputs(" &larr; ", f);
        esc(f, str(e, "source"));
        fputs("</small></td><td class=\"num\">", f);
        esc(f, str(e, "value"));
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n</body></html>\n", f);
    json_decref(o);
    json_decref(t);
    return ferror(f) ? jx_err_set(err, JX_ESTORE, "cannot write the statement") : JX_OK;
}
