/*
 * api_write.c - the routes that change data: import a CSV file, run a
 * period with plans, lock a period, add users; and the units list.  Each
 * checks the caller's role first; api.c has checked the session and the
 * CSRF token.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "http/httpInt.h"
#include "core/calendar.h"
#include "engine/sla.h"
#include "io/complaints.h"
#include "io/import.h"
#include "io/run.h"
#include "io/xlsx_in.h"
#include "plan/plan.h"

/* The request body as a JSON object, or NULL after answering 400. */
static json_t *body_json(struct jx_req *r, enum MHD_Result *ret)
{
    json_error_t je;
    json_t *o = r->body ? json_loads(r->body, 0, &je) : NULL;
    if (!json_is_object(o)) {
        json_decref(o);
        *ret = jx_http_error(r, 400, "expected a JSON object");
        return NULL;
    }
    return o;
}

/* A period from a JSON member, or NULL after answering 400. */
static const char *body_period(struct jx_req *r, json_t *o, struct jx_period *p,
                               enum MHD_Result *ret)
{
    const char *s = json_string_value(json_object_get(o, "period"));
    if (!s || jx_period_parse(s, strlen(s), p, NULL)) {
        *ret = jx_http_error(r, 400, "give \"period\" as 2025-08, 2025-Q3 or 2025");
        return NULL;
    }
    return s;
}

enum MHD_Result jx_http_import(struct jx_req *r)
{
    const char *kind_name = jx_http_arg(r, "kind");
    enum jx_kind kind = kind_name ? jx_kind_by_name(kind_name) : JX_KIND_NONE;
    struct jx_import_report *rep;
    char name[256];
    enum jx_status s;
    if (!jx_http_role(r, "hr finance admin"))
        return jx_http_deny(r, 403, "imports are for hr, finance and admin");
    if (kind == JX_KIND_NONE)
        return jx_http_error(r, 400, "give ?kind= (units, people, customers, contracts, ...)");
    if (!(rep = calloc(1, sizeof *rep)))
        return jx_http_error(r, 500, "out of memory");
    struct jx_import_opts opts = {.who = r->user.name};
    if (r->len >= 4 && !memcmp(r->body, "PK\3\4", 4)) {
        /* an .xlsx workbook (a zip): its sheet (?sheet=, or the first) as CSV */
        char *csv = NULL, sheet[128];
        size_t len = 0;
        snprintf(name, sizeof name, "%s.xlsx", kind_name);
        s = jx_xlsx_sheet_csv_mem(r->body, r->len, name, jx_http_arg(r, "sheet"), &csv, &len,
                                  sheet, sizeof sheet, &rep->errs[0]);
        if (s) {
            rep->nerrors = 1;
        } else {
            snprintf(name, sizeof name, "%s.xlsx:%s", kind_name, sheet);
            s = jx_import_buffer(r->st, kind, name, csv, len, &opts, rep);
        }
        free(csv);
    } else {
        snprintf(name, sizeof name, "%s.csv", kind_name);
        s = jx_import_buffer(r->st, kind, name, r->body ? r->body : "", r->len, &opts, rep);
    }
    json_t *o = json_pack("{s:s,s:I,s:I}", "kind", kind_name, "rows", (json_int_t)rep->rows,
                          "written", (json_int_t)rep->written);
    unsigned status = 200;
    if (s == JX_EINPUT) {
        json_t *errs = json_array();
        for (int i = 0; i < rep->nerrors; i++) {
            const struct jx_err *e = &rep->errs[i];
            json_array_append_new(errs, json_pack("{s:I,s:s,s:s}", "line", (json_int_t)e->line,
                                                  "column", e->field, "message", e->msg));
        }
        json_object_set_new(o, "errors", errs);
        json_object_set_new(o, "more_errors", json_integer(rep->more_errors));
        json_object_set_new(o, "error",
                            json_string("the file has errors: nothing was imported"));
        status = 422;
    } else if (s) {
        json_decref(o);
        enum MHD_Result ret = jx_http_fail(r, &rep->errs[0]);
        free(rep);
        return ret;
    }
    free(rep);
    return jx_http_json(r, status, o);
}

/* A plan name: lower case letters, digits and '-' (it names a file in the plans directory). */
static bool plan_name_ok(const char *s)
{
    if (!s || !*s || strlen(s) > 64)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return false;
    return true;
}

enum MHD_Result jx_http_run(struct jx_req *r)
{
    enum MHD_Result ret;
    struct jx_period p;
    struct jx_plan *plans[16] = {0};
    size_t np = 0;
    struct jx_err err;
    enum jx_status s = JX_OK;
    if (!jx_http_role(r, "hr finance admin"))
        return jx_http_deny(r, 403, "runs are for hr, finance and admin");
    json_t *in = body_json(r, &ret), *names;
    if (!in)
        return ret;
    const char *per = body_period(r, in, &p, &ret);
    if (!per) {
        json_decref(in);
        return ret;
    }
    names = json_object_get(in, "plans");
    if (!json_is_array(names) || !json_array_size(names) || json_array_size(names) > 16) {
        json_decref(in);
        return jx_http_error(r, 400, "give \"plans\": [\"marketing-center\", ...] (1 to 16)");
    }
    jx_err_clear(&err);
    for (size_t i = 0; i < json_array_size(names); i++) {
        const char *n = json_string_value(json_array_get(names, i));
        char path[600];
        if (!plan_name_ok(n)) {
            json_decref(in);
            for (size_t k = 0; k < np; k++)
                jx_plan_free(plans[k]);
            return jx_http_error(r, 400, "a plan is named by lower case letters, digits and -");
        }
        snprintf(path, sizeof path, "%s/%s.yaml", r->cfg->plans_dir ? r->cfg->plans_dir : "plans",
                 n);
        if ((s = jx_plan_load_file(path, &plans[np], &err)))
            break;
        np++;
    }
    json_decref(in);
    struct jx_run_timing tm;
    if (!s)
        s = jx_run_period(r->st, (const struct jx_plan *const *)plans, np, &p, r->user.name, &tm,
                          &err);
    for (size_t k = 0; k < np; k++)
        jx_plan_free(plans[k]);
    if (s == JX_ELOCKED)
        return jx_http_error(r, 409, "%s", err.msg);
    if (s == JX_EINPUT || s == JX_EUSAGE || s == JX_ENOTFOUND) {
        char buf[1024];
        return jx_http_error(r, 400, "%s", jx_err_format(&err, buf, sizeof buf));
    }
    if (s)
        return jx_http_fail(r, &err);
    struct jx_run_record rec = {0};
    char pbuf[JX_PERIOD_BUFSZ];
    if ((s = jx_store_get_run(r->st, jx_period_format(&p, pbuf), NULL, &rec, &err)))
        return jx_http_fail(r, &err);
    json_t *o = json_pack("{s:s,s:s,s:I}", "period", rec.period, "run", rec.id, "results",
                          (json_int_t)rec.nrows);
    jx_run_record_release(&rec);
    return jx_http_json(r, 200, o);
}

enum MHD_Result jx_http_lock(struct jx_req *r)
{
    enum MHD_Result ret;
    struct jx_period p;
    struct jx_err err;
    struct jx_run_record rec = {0};
    enum jx_status s;
    if (!jx_http_role(r, "finance"))
        return jx_http_deny(r, 403, "finance locks periods");
    json_t *in = body_json(r, &ret);
    if (!in)
        return ret;
    char per[JX_PERIOD_BUFSZ];
    if (!body_period(r, in, &p, &ret)) {
        json_decref(in);
        return ret;
    }
    json_decref(in);
    jx_period_format(&p, per);
    jx_err_clear(&err);
    s = jx_store_get_run(r->st, per, NULL, &rec, &err);
    if (s == JX_ENOTFOUND)
        return jx_http_error(r, 404, "%s has no run to lock", per);
    if (s)
        return jx_http_fail(r, &err);
    /* domain.md §1: whoever put the plans into effect (ran the period) may not lock it */
    bool same = !strcmp(rec.created_by, r->user.name);
    jx_run_record_release(&rec);
    if (same)
        return jx_http_deny(r, 403, "you ran this period's plans: someone else must lock it");
    s = jx_store_lock_period(r->st, per, r->user.name, &err);
    if (s == JX_ELOCKED)
        return jx_http_error(r, 409, "%s", err.msg);
    if (s)
        return jx_http_fail(r, &err);
    return jx_http_json(r, 200, json_pack("{s:s,s:b}", "period", per, "locked", 1));
}

enum MHD_Result jx_http_users(struct jx_req *r, bool post)
{
    struct jx_err err;
    enum jx_status s;
    if (!jx_http_role(r, "admin"))
        return jx_http_deny(r, 403, "users are managed by admin");
    jx_err_clear(&err);
    if (!post) {
        struct jx_user *v = NULL;
        size_t n = 0;
        if ((s = jx_store_user_list(r->st, &v, &n, &err)))
            return jx_http_fail(r, &err);
        json_t *list = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(list, json_pack("{s:s,s:s,s:s?,s:b}", "name", v[i].name, "role",
                                                  v[i].role, "person_id",
                                                  v[i].person_id[0] ? v[i].person_id : NULL,
                                                  "disabled", v[i].disabled));
        free(v);
        return jx_http_json(r, 200, json_pack("{s:o}", "users", list));
    }
    enum MHD_Result ret;
    json_t *in = body_json(r, &ret);
    if (!in)
        return ret;
    static const char *const roles = " rep manager director hr finance engineer admin ";
    const char *name = json_string_value(json_object_get(in, "name")),
               *role = json_string_value(json_object_get(in, "role")),
               *person = json_string_value(json_object_get(in, "person_id")),
               *pw = json_string_value(json_object_get(in, "password"));
    char padded[40];
    struct jx_user u = {0};
    snprintf(padded, sizeof padded, " %s ", role ? role : "");
    if (!name || !*name || strlen(name) > JX_USER_NAME_MAX || strpbrk(name, " \t,:;\"'") ||
        !role || !*role || !strstr(roles, padded) || !pw || strlen(pw) < 8) {
        json_decref(in);
        return jx_http_error(r, 400, "give name (no spaces), role (rep manager director hr "
                                     "finance engineer admin) and a password of 8 or more");
    }
    snprintf(u.name, sizeof u.name, "%s", name);
    snprintf(u.role, sizeof u.role, "%s", role);
    if (person)
        snprintf(u.person_id, sizeof u.person_id, "%s", person);
    if (crypto_pwhash_str(u.pw_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        json_decref(in);
        return jx_http_error(r, 500, "out of memory");
    }
    json_decref(in);
    if (u.person_id[0]) {
        bool exists = false;
        if ((s = jx_store_exists(r->st, JX_KIND_PEOPLE, u.person_id, strlen(u.person_id),
                                 &exists, &err)))
            return jx_http_fail(r, &err);
        if (!exists)
            return jx_http_error(r, 400, "no person %s", u.person_id);
    }
    s = jx_store_user_put(r->st, &u, true, r->user.name, &err);
    if (s == JX_EINPUT)
        return jx_http_error(r, 409, "%s", err.msg);
    if (s)
        return jx_http_fail(r, &err);
    return jx_http_json(r, 201, json_pack("{s:s,s:s}", "name", u.name, "role", u.role));
}

enum MHD_Result jx_http_units(struct jx_req *r)
{
    struct jx_err err;
    struct jx_org org;
    jx_err_clear(&err);
    if (jx_store_org(r->st, &org, &err))
        return jx_http_fail(r, &err);
    json_t *list = json_array();
    for (size_t i = 0; i < org.nunits; i++)
        json_array_append_new(list, json_pack("{s:s,s:s?}", "id", org.uid[i], "parent_id",
                                              org.uparent[i][0] ? org.uparent[i] : NULL));
    jx_org_release(&org);
    return jx_http_json(r, 200, json_pack("{s:o}", "units", list));
}

/* Now in Asia/Shanghai as "YYYY-MM-DD HH:MM" into buf (JX_TIME_BUFSZ), and as minutes. */
static int64_t shanghai_now(char *buf)
{
    int64_t t = (jx_http_now() + 8 * 3600) / 60;
    jx_time_format(t, buf);
    return t;
}

enum MHD_Result jx_http_publish(struct jx_req *r)
{
    enum MHD_Result ret;
    struct jx_period p;
    struct jx_err err;
    char per[JX_PERIOD_BUFSZ], now[JX_TIME_BUFSZ], closes[JX_DATE_BUFSZ], due[JX_TIME_BUFSZ];
    bool published = false;
    enum jx_status s;
    if (!jx_http_role(r, "hr"))
        return jx_http_deny(r, 403, "hr publishes the appraisal");
    json_t *in = body_json(r, &ret);
    if (!in)
        return ret;
    if (!body_period(r, in, &p, &ret)) {
        json_decref(in);
        return ret;
    }
    json_decref(in);
    jx_period_format(&p, per);
    int64_t t = shanghai_now(now);
    struct jx_publication pub = {.period = per,
                                 .published_at = now,
                                 .published_by = r->user.name,
                                 .appeal_days = 5,
                                 .answer_days = 10,
                                 .interview_days = 3};
    jx_err_clear(&err);
    if ((s = jx_workflow_deadlines(t, &pub, closes, due, &err)) ||
        (s = jx_store_publish(r->st, &pub, &published, &err))) {
        if (s == JX_ENOTFOUND)
            return jx_http_error(r, 404, "%s has no run to publish", per);
        if (s == JX_EINPUT)
            return jx_http_error(r, 400, "%s", err.msg);
        return jx_http_fail(r, &err);
    }
    return jx_http_json(r, 200, json_pack("{s:s,s:b,s:s,s:s}", "period", per, "published",
                                        published, "window_closes", closes, "interview_due", due));
}

/* GET /api/appeals?period=P: the appeals of the people the caller may see (visible). */
enum MHD_Result jx_http_appeals(struct jx_req *r, bool (*visible)(struct jx_req *, const char *))
{
    const char *per = jx_http_arg(r, "period");
    struct jx_period p;
    struct jx_workflow wf = {0};
    struct jx_err err;
    char now[JX_TIME_BUFSZ];
    if (!per || jx_period_parse(per, strlen(per), &p, NULL))
        return jx_http_error(r, 400, "give ?period= as 2025-08, 2025-Q3 or 2025");
    jx_err_clear(&err);
    if (jx_store_workflow(r->st, per, &wf, &err))
        return jx_http_fail(r, &err);
    shanghai_now(now);
    json_t *list = json_array();
    static const char *const status[] = {"open", "accepted", "rejected"};
    for (size_t i = 0; i < wf.nappeals; i++) {
        const struct jx_appeal *a = &wf.appeals[i];
        if (!visible(r, a->person_id))
            continue;
        json_array_append_new(
            list, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s?,s:s?,s:b}", "id", (json_int_t)a->id,
                            "person_id", a->person_id, "reason", a->reason, "filed_at",
                            a->filed_at, "due", a->due, "status", status[a->status % 3],
                            "decided_at", a->decided_at, "grade", a->grade, "late",
                            jx_appeal_late(a, now)));
    }
    json_t *o = json_pack("{s:s,s:s,s:o}", "period", per, "state",
                          jx_workflow_state_name(jx_workflow_state(&wf, now)), "appeals", list);
    if (wf.npubs)
        json_object_set_new(o, "window_closes",
                            json_string(wf.pubs[wf.npubs - 1].window_closes));
    jx_workflow_release(&wf);
    return jx_http_json(r, 200, o);
}

/* POST /api/appeals {"period","person","reason"}: a person appeals their own result (or hr). */
enum MHD_Result jx_http_appeal_add(struct jx_req *r)
{
    enum MHD_Result ret;
    struct jx_period p;
    struct jx_workflow wf = {0};
    struct jx_err err;
    char per[JX_PERIOD_BUFSZ], now[JX_TIME_BUFSZ], due[JX_TIME_BUFSZ];
    long long id = 0;
    enum jx_status s;
    json_t *in = body_json(r, &ret);
    if (!in)
        return ret;
    const char *person = json_string_value(json_object_get(in, "person")),
               *reason = json_string_value(json_object_get(in, "reason"));
    if (!body_period(r, in, &p, &ret)) {
        json_decref(in);
        return ret;
    }
    jx_period_format(&p, per);
    if (!person || !reason || !*reason || strlen(reason) > 1000) {
        json_decref(in);
        return jx_http_error(r, 400, "give \"person\" and a \"reason\" (up to 1000 bytes)");
    }
    if (strcmp(person, r->user.person_id) && !jx_http_role(r, "hr")) {
        json_decref(in);
        return jx_http_deny(r, 403, "you may appeal only your own result");
    }
    jx_err_clear(&err);
    int64_t t = shanghai_now(now);
    if ((s = jx_store_workflow(r->st, per, &wf, &err))) {
        json_decref(in);
        return jx_http_fail(r, &err);
    }
    if (!wf.npubs) {
        jx_workflow_release(&wf);
        json_decref(in);
        return jx_http_error(r, 409, "%s is not published", per);
    }
    struct jx_appeal ap = {.period = per,
                           .publication = wf.pubs[wf.npubs - 1].number,
                           .person_id = person,
                           .reason = reason,
                           .filed_at = now,
                           .filed_by = r->user.name,
                           .due = due};
    int days = wf.pubs[wf.npubs - 1].answer_days;
    s = jx_workflow_answer_due(t, days ? days : 10, due, &err);
    jx_workflow_release(&wf);
    if (!s)
        s = jx_store_appeal_add(r->st, &ap, &id, &err);
    json_decref(in);
    if (s == JX_EINPUT || s == JX_ENOTFOUND)
        return jx_http_error(r, 409, "%s", err.msg);
    if (s)
        return jx_http_fail(r, &err);
    return jx_http_json(r, 201, json_pack("{s:I,s:s}", "id", (json_int_t)id, "due", due));
}

/* POST /api/appeals/ID/decide {"accept", "reason", "grade"?}: hr answers. */
enum MHD_Result jx_http_appeal_decide(struct jx_req *r, long long id)
{
    enum MHD_Result ret;
    struct jx_err err;
    char now[JX_TIME_BUFSZ];
    int version = 0;
    if (!jx_http_role(r, "hr"))
        return jx_http_deny(r, 403, "hr decides appeals");
    json_t *in = body_json(r, &ret);
    if (!in)
        return ret;
    json_t *acc = json_object_get(in, "accept");
    const char *reason = json_string_value(json_object_get(in, "reason")),
               *grade = json_string_value(json_object_get(in, "grade"));
    if (!json_is_boolean(acc) || !reason || !*reason) {
        json_decref(in);
        return jx_http_error(r, 400, "give \"accept\": true|false and a \"reason\"");
    }
    shanghai_now(now);
    struct jx_appeal_decision dd = {.id = id,
                                    .accept = json_is_true(acc),
                                    .reason = reason,
                                    .grade = grade,
                                    .decided_at = now,
                                    .decided_by = r->user.name};
    jx_err_clear(&err);
    enum jx_status s = jx_store_appeal_decide(r->st, &dd, &version, &err);
    json_decref(in);
    if (s == JX_ENOTFOUND)
        return jx_http_error(r, 404, "no appeal %lld", id);
    if (s == JX_EINPUT)
        return jx_http_error(r, 409, "%s", err.msg);
    if (s)
        return jx_http_fail(r, &err);
    return jx_http_json(r, 200, json_pack("{s:I,s:b,s:i}", "id", (json_int_t)id, "accepted",
                                        dd.accept, "version", version));
}

/* GET /api/complaints?period=P: the tickets whose owner the caller may see, and their metrics. */
enum MHD_Result jx_http_complaints(struct jx_req *r, bool (*visible)(struct jx_req *, const char *))
{
    const char *per = jx_http_arg(r, "period");
    struct jx_period p;
    struct jx_data data = {0};
    struct jx_calendar cal;
    struct jx_sla_output o = {0};
    struct jx_err err;
    char now[JX_TIME_BUFSZ];
    enum MHD_Result ret;
    if (!per || jx_period_parse(per, strlen(per), &p, NULL))
        return jx_http_error(r, 400, "give ?period= as 2025-08, 2025-Q3 or 2025");
    jx_err_clear(&err);
    jx_calendar_init(&cal);
    int64_t t = shanghai_now(now);
    if (jx_calendar_load_builtin(&cal, &err) || jx_store_load(r->st, &data, &err) ||
        jx_sla_compute(&data, &cal, &p, t, &o, &err)) {
        jx_data_release(&data);
        jx_calendar_release(&cal);
        return jx_http_fail(r, &err);
    }
    /* keep the visible owners' tickets, and count the metrics over them */
    size_t k = 0;
    memset(&o.m, 0, sizeof o.m);
    for (size_t i = 0; i < o.n; i++) {
        int32_t owner = data.complaints.person[o.tickets[i].row];
        if (owner >= 0 && visible(r, data.people.id[owner])) {
            o.tickets[k] = o.tickets[i];
            jx_sla_count(&o.m, &data.complaints, &o.tickets[k]);
            k++;
        }
    }
    o.n = k;
    json_t *doc = jx_complaints_doc(&data, per, now, &o, jx_http_arg(r, "by"));
    ret = jx_http_json(r, 200, doc);
    free(o.tickets);
    jx_data_release(&data);
    jx_calendar_release(&cal);
    return ret;
}
