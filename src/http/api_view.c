/*
 * api_view.c - the read-only routes the web pages are built from, beyond
 * the plain results: the runs of a period, downloads (CSV, Excel, printable
 * and PDF statements) and the dashboard's figures.
 *
 *   GET /api/runs?period=P          hr, finance, admin, director, manager
 *   GET /api/results?period=P&format=csv|xlsx   (api.c filters, this writes)
 *   GET /api/people/ID/statement?period=P&format=html|pdf
 *   GET /api/export?kind=K&format=csv|xlsx   hr, finance, admin: the stored rows
 *   GET /api/customers[?overdue=1]  contact cadence of the visible owners' customers
 *   GET /api/dashboard?period=P     sales, collections and targets of the
 *                                   visible people, the year's monthly
 *                                   trend, grades and alerts
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/calendar.h"
#include "core/date.h"
#include "core/money.h"
#include "engine/engine.h"
#include "engine/sla.h"
#include "http/httpInt.h"
#include "engine/cadence.h"
#include "io/customers.h"
#include "io/export.h"
#include "io/results.h"
#include "io/statement.h"
#include "io/xlsx_out.h"

/* ---- downloads -------------------------------------------------------- */

/* What a writer of a file format does: write what arg says to path. */
typedef enum jx_status (*file_writer)(const char *path, const void *arg, struct jx_err *err);

static enum jx_status write_xlsx(const char *path, const void *rec, struct jx_err *err)
{
    return jx_results_xlsx(path, rec, err);
}

static enum jx_status write_pdf(const char *path, const void *rec, struct jx_err *err)
{
    return jx_statement_pdf(path, rec, err);
}

/*
 * Answer with what write() puts in a temporary file (libxlsxwriter and
 * libharu write files), removed afterwards.
 */
static enum MHD_Result send_file(struct jx_req *r, file_writer write, const void *arg,
                                 const char *type, const char *filename)
{
    char path[] = "/tmp/jixiao-XXXXXX";
    struct jx_err err;
    int fd = mkstemp(path);
    jx_err_clear(&err);
    if (fd < 0)
        return jx_http_error(r, 500, "cannot create a temporary file");
    close(fd);
    enum MHD_Result ret;
    char *data = NULL;
    long len = 0;
    FILE *f = NULL;
    if (write(path, arg, &err)) {
        ret = jx_http_fail(r, &err);
    } else if (!(f = fopen(path, "rb")) || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 ||
               fseek(f, 0, SEEK_SET) || !(data = malloc((size_t)len + 1)) ||
               fread(data, 1, (size_t)len, f) != (size_t)len) {
        ret = jx_http_error(r, 500, "cannot read the temporary file back");
    } else {
        ret = jx_http_send(r, type, data, (size_t)len, filename, NULL);
    }
    if (f)
        fclose(f);
    free(data);
    unlink(path);
    return ret;
}

/* What a printer to a stream does: print rec to f. */
typedef enum jx_status (*stream_writer)(FILE *f, const struct jx_run_record *rec,
                                        struct jx_err *err);

static enum jx_status print_csv(FILE *f, const struct jx_run_record *rec, struct jx_err *err)
{
    return jx_results_print(f, rec, JX_FMT_CSV, err);
}

/* Answer with what print() writes (into memory). */
static enum MHD_Result send_stream(struct jx_req *r, stream_writer print,
                                   const struct jx_run_record *rec, const char *type,
                                   const char *filename, const char *policy)
{
    char *data = NULL;
    size_t len = 0;
    struct jx_err err;
    jx_err_clear(&err);
    FILE *f = open_memstream(&data, &len);
    if (!f)
        return jx_http_error(r, 500, "out of memory");
    enum jx_status s = print(f, rec, &err);
    if (fclose(f) && !s)
        s = jx_err_set(&err, JX_ENOMEM, "out of memory");
    enum MHD_Result ret = s ? jx_http_fail(r, &err) : jx_http_send(r, type, data, len, filename, policy);
    free(data);
    return ret;
}

enum MHD_Result jx_http_export(struct jx_req *r, const struct jx_run_record *rec,
                               const char *format)
{
    char name[64];
    if (!strcmp(format, "csv")) {
        snprintf(name, sizeof name, "jixiao-%s.csv", rec->period);
        return send_stream(r, print_csv, rec, "text/csv; charset=utf-8", name, NULL);
    }
    if (!strcmp(format, "xlsx")) {
        snprintf(name, sizeof name, "jixiao-%s.xlsx", rec->period);
        return send_file(r, write_xlsx, rec,
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
    }
    return jx_http_error(r, 400, "format is json, csv or xlsx");
}

enum MHD_Result jx_http_statement_doc(struct jx_req *r, const struct jx_run_record *rec,
                                      const char *format)
{
    char name[96];
    if (!strcmp(format, "html"))
        /* a standalone page with its own style sheet and no script at all */
        return send_stream(r, jx_statement_html, rec, "text/html; charset=utf-8", NULL,
                           "default-src 'none'; style-src 'unsafe-inline'; "
                           "frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    if (!strcmp(format, "pdf")) {
        snprintf(name, sizeof name, "statement-%s-%s.pdf", rec->rows[0].person_id, rec->period);
        return send_file(r, write_pdf, rec, "application/pdf", name);
    }
    return jx_http_error(r, 400, "format is json, html or pdf");
}

/* ---- the data, as imported ------------------------------------------- */

struct export_job {
    struct jx_store *st;
    enum jx_kind kind;
    bool xlsx;
};

static enum jx_status write_export(const char *path, const void *arg, struct jx_err *err)
{
    const struct export_job *j = arg;
    size_t rows;
    return jx_export(j->st, j->kind, path, j->xlsx, &rows, err);
}

enum MHD_Result jx_http_data_export(struct jx_req *r)
{
    const char *k = jx_http_arg(r, "kind"), *f = jx_http_arg(r, "format");
    struct export_job j = {.st = r->st, .kind = k ? jx_kind_by_name(k) : JX_KIND_NONE};
    char name[64];
    if (!jx_http_role(r, "hr finance admin"))
        return jx_http_deny(r, 403, "exports of the data are for hr, finance and admin");
    if (j.kind == JX_KIND_NONE)
        return jx_http_error(r, 400, "give ?kind= (units, people, customers, contracts, ...)");
    if (f && strcmp(f, "csv") && strcmp(f, "xlsx"))
        return jx_http_error(r, 400, "format is csv or xlsx");
    j.xlsx = f && !strcmp(f, "xlsx");
    snprintf(name, sizeof name, "%s.%s", jx_kinds[j.kind].name, j.xlsx ? "xlsx" : "csv");
    return send_file(r, write_export, &j,
                     j.xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                            : "text/csv; charset=utf-8",
                     name);
}

/* GET /api/customers[?overdue=1]: the cadence of the customers whose owner the caller sees. */
enum MHD_Result jx_http_customers(struct jx_req *r)
{
    struct jx_data d = {0};
    struct jx_cadence *v = NULL;
    struct jx_err err;
    size_t n = 0;
    bool *vis = NULL;
    bool only_overdue = jx_http_arg(r, "overdue") != NULL;
    bool all = jx_http_role(r, "hr finance admin");
    int64_t now = (jx_http_now() + 8 * 3600) / 60;
    enum jx_status s;
    jx_err_clear(&err);
    if (!(s = jx_store_load(r->st, &d, &err)) &&
        !(vis = calloc(d.people.n ? d.people.n : 1, sizeof *vis)))
        s = jx_err_set(&err, JX_ENOMEM, "out of memory");
    if (!s && !(s = jx_http_visible(r, &d, vis, &err)))
        s = jx_cadence_compute(&d, now, &v, &n, &err);
    enum MHD_Result ret;
    if (s) {
        ret = jx_http_fail(r, &err);
    } else {
        char asof[JX_TIME_BUFSZ];
        json_t *list = json_array();
        for (size_t i = 0; i < n; i++) {
            int32_t owner = d.customers.owner[v[i].customer];
            if (!(all || (owner >= 0 && vis[owner])))
                continue;
            if (only_overdue && v[i].last_contact != JX_NO_TIME && !v[i].overdue)
                continue;
            json_array_append_new(list, jx_cadence_json(&d, &v[i]));
        }
        json_t *o = json_pack("{s:s,s:o}", "as_of", jx_time_format(now, asof), "customers", list);
        ret = jx_http_json(r, 200, o);
    }
    free(v);
    free(vis);
    jx_data_release(&d);
    return ret;
}

/* ---- runs ------------------------------------------------------------- */

enum MHD_Result jx_http_runs(struct jx_req *r)
{
    const char *per = jx_http_arg(r, "period");
    struct jx_period p;
    struct jx_err err;
    char *list = NULL;
    if (!jx_http_role(r, "hr finance admin director manager"))
        return jx_http_deny(r, 403, "the runs are for hr, finance, admin, directors and managers");
    if (!per || jx_period_parse(per, strlen(per), &p, NULL))
        return jx_http_error(r, 400, "give ?period= as 2025-08, 2025-Q3 or 2025");
    jx_err_clear(&err);
    if (jx_store_runs(r->st, per, &list, &err))
        return jx_http_fail(r, &err);
    json_error_t je;
    json_t *runs = json_loads(list, 0, &je);
    free(list);
    json_t *o = json_pack("{s:s,s:o}", "period", per, "runs", runs ? runs : json_array());
    return jx_http_json(r, 200, o);
}

/* ---- the dashboard ---------------------------------------------------- */

static json_t *money_json(int64_t fen)
{
    char buf[JX_MONEY_BUFSZ];
    return json_string(jx_money_format(fen, buf));
}

/* An alert: {"kind", "person_id", "zh", "en"}. */
static void alert(json_t *list, const char *kind, const char *person, const char *zh,
                  const char *en)
{
    json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:s}", "kind", kind, "person_id", person,
                                          "zh", zh, "en", en));
}

/* The grades and the sales-drop flags of the period's stored results, for the visible. */
static enum jx_status stored_results(struct jx_req *r, const char *per, const struct jx_data *d,
                                     const bool *vis, json_t *grades, json_t *alerts,
                                     struct jx_err *err)
{
    struct jx_run_record rec = {0};
    enum jx_status s = jx_store_get_results(r->st, per, &rec, err);
    if (s == JX_ENOTFOUND)
        return JX_OK; /* no run yet: no grades */
    if (!s)
        s = jx_results_show_versions(r->st, per, NULL, &rec, err);
    for (size_t i = 0; !s && i < rec.nrows; i++) {
        const char *id = rec.rows[i].person_id;
        int32_t p = -1;
        for (size_t k = 0; k < d->people.n && p < 0; k++)
            if (!strcmp(d->people.id[k], id))
                p = (int32_t)k;
        if (p < 0 || !vis[p])
            continue;
        json_error_t je;
        json_t *o = json_loads(rec.rows[i].result, 0, &je);
        const char *g = json_string_value(json_object_get(json_object_get(o, "score"), "grade"));
        if (g && *g) {
            json_int_t n = json_integer_value(json_object_get(grades, g));
            json_object_set_new(grades, g, json_integer(n + 1));
        }
        size_t k;
        json_t *flag;
        json_array_foreach(json_object_get(o, "flags"), k, flag)
        {
            if (json_is_string(flag) && !strcmp(json_string_value(flag), "sales_alert")) {
                char zh[160], en[160];
                snprintf(zh, sizeof zh, "%s %s 本月销售额低于前三月平均的50%%", id,
                         d->people.name[p]);
                snprintf(en, sizeof en, "%s %s: sales below 50%% of the trailing 3-month average",
                         id, d->people.name[p]);
                alert(alerts, "sales_drop", id, zh, en);
            }
        }
        json_decref(o);
    }
    jx_run_record_release(&rec);
    return s;
}

/* Breached tickets of visible owners, and open appeals of visible people. */
static enum jx_status open_items(struct jx_req *r, const char *per, const struct jx_period *p,
                                 const struct jx_data *d, const struct jx_calendar *cal,
                                 const bool *vis, json_t *alerts, struct jx_err *err)
{
    struct jx_sla_output o = {0};
    struct jx_workflow wf = {0};
    int64_t now = (jx_http_now() + 8 * 3600) / 60;
    enum jx_status s = jx_sla_compute(d, cal, p, now, &o, err);
    for (size_t i = 0; !s && i < o.n; i++) {
        const struct jx_ticket *t = &o.tickets[i];
        int32_t owner = d->complaints.person[t->row];
        if (owner < 0 || !vis[owner] || !(t->response_breached || t->resolution_breached))
            continue;
        char zh[200], en[200];
        int64_t late = t->resolution_late > t->response_late ? t->resolution_late
                                                              : t->response_late;
        snprintf(zh, sizeof zh, "投诉 %s 超时 %lld 小时 %lld 分 (%s)", d->complaints.id[t->row],
                 (long long)(late / 60), (long long)(late % 60), d->people.name[owner]);
        snprintf(en, sizeof en, "complaint %s is %lld h %lld min late (%s)",
                 d->complaints.id[t->row], (long long)(late / 60), (long long)(late % 60),
                 d->people.id[owner]);
        alert(alerts, "sla_breach", d->people.id[owner], zh, en);
    }
    free(o.tickets);
    if (!s)
        s = jx_store_workflow(r->st, per, &wf, err);
    for (size_t i = 0; !s && i < wf.nappeals; i++) {
        const struct jx_appeal *a = &wf.appeals[i];
        int32_t q = -1;
        for (size_t k = 0; k < d->people.n && q < 0; k++)
            if (!strcmp(d->people.id[k], a->person_id))
                q = (int32_t)k;
        if (a->status != JX_APPEAL_OPEN || q < 0 || !vis[q])
            continue;
        char zh[200], en[200];
        snprintf(zh, sizeof zh, "%s %s 的申诉待处理，答复期限 %s", a->person_id,
                 d->people.name[q], a->due);
        snprintf(en, sizeof en, "appeal by %s waits for an answer (due %s)", a->person_id,
                 a->due);
        alert(alerts, "appeal_pending", a->person_id, zh, en);
    }
    jx_workflow_release(&wf);
    return s;
}

enum MHD_Result jx_http_dashboard(struct jx_req *r)
{
    const char *per = jx_http_arg(r, "period");
    struct jx_period p;
    struct jx_data d = {0};
    struct jx_calendar cal;
    struct jx_err err;
    struct jx_figures *fig = NULL;
    bool *vis = NULL;
    enum jx_status s;
    enum MHD_Result ret;
    if (!per || jx_period_parse(per, strlen(per), &p, NULL))
        return jx_http_error(r, 400, "give ?period= as 2025-08, 2025-Q3 or 2025");
    jx_err_clear(&err);
    jx_calendar_init(&cal);
    json_t *people = json_array(), *trend = json_array(), *grades = json_object(),
           *alerts = json_array();
    if ((s = jx_calendar_load_builtin(&cal, &err)) || (s = jx_store_load(r->st, &d, &err)))
        goto out;
    size_t np = d.people.n;
    if (!(fig = calloc(np ? np : 1, sizeof *fig)) || !(vis = calloc(np ? np : 1, sizeof *vis))) {
        s = jx_err_set(&err, JX_ENOMEM, "out of memory");
        goto out;
    }
    if ((s = jx_http_visible(r, &d, vis, &err)))
        goto out;
    struct jx_run_input in = {.data = &d, .period = p, .cal = &cal};
    if ((s = jx_engine_figures(&in, fig, &err)))
        goto out;
    /* the trend: each month of the period's year up to its last month */
    int last = p.kind == JX_PERIOD_MONTH ? p.index : p.kind == JX_PERIOD_QUARTER ? 3 * p.index : 12;
    for (int m = 1; m <= last; m++) {
        struct jx_period month = {.kind = JX_PERIOD_MONTH, .year = p.year, .index = m};
        char mbuf[JX_PERIOD_BUFSZ];
        int64_t sum = 0;
        for (size_t i = 0; i < np; i++)
            sum += vis[i] ? fig[i].month_sales[m - 1] : 0;
        json_array_append_new(trend, json_pack("{s:s,s:o}", "period",
                                               jx_period_format(&month, mbuf), "sales",
                                               money_json(sum)));
    }
    for (size_t i = 0; i < np; i++) {
        if (!vis[i])
            continue;
        json_array_append_new(
            people, json_pack("{s:s,s:s,s:s?,s:o,s:o,s:o,s:i}", "id", d.people.id[i], "name",
                              d.people.name[i], "unit_id",
                              d.people.unit[i] >= 0 ? d.units.id[d.people.unit[i]] : NULL,
                              "sales", money_json(fig[i].sales),
                              "collected", money_json(fig[i].collected), "target",
                              fig[i].has_target ? money_json(fig[i].target) : json_null(),
                              "late_reports", fig[i].late_reports));
        if (fig[i].late_reports > 0) {
            char zh[160], en[160];
            snprintf(zh, sizeof zh, "%s %s 本期迟交报告 %d 份", d.people.id[i],
                     d.people.name[i], fig[i].late_reports);
            snprintf(en, sizeof en, "%s %s: %d report(s) handed in late", d.people.id[i],
                     d.people.name[i], fig[i].late_reports);
            alert(alerts, "report_overdue", d.people.id[i], zh, en);
        }
    }
    if ((s = stored_results(r, per, &d, vis, grades, alerts, &err)) ||
        (s = open_items(r, per, &p, &d, &cal, vis, alerts, &err)))
        goto out;
out:
    if (s) {
        ret = jx_http_fail(r, &err);
        json_decref(people);
        json_decref(trend);
        json_decref(grades);
        json_decref(alerts);
    } else {
        json_t *o = json_pack("{s:s,s:o,s:o,s:o,s:o}", "period", per, "people", people, "trend",
                              trend, "grades", grades, "alerts", alerts);
        ret = jx_http_json(r, 200, o);
    }
    free(fig);
    free(vis);
    jx_data_release(&d);
    jx_calendar_release(&cal);
    return ret;
}
