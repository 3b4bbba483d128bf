/*
 * cmd_appeal.c - jixiao appeal add|decide|list: appeals (申诉) against a
 * published result, with working-day deadlines (domain.md §6 Workflow).
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "core/calendar.h"
#include "core/date.h"
#include "store/store.h"

/* Options each action takes, besides --db. */
static const struct {
    const char *action;
    const char *const opts[8];
} allowed[] = {
    {"add", {"period", "person", "reason", "at", "user"}},
    {"decide", {"accept", "reject", "reason", "grade", "at", "user"}},
    {"list", {"period", "late", "now", "format"}},
};

/* Refuse options that do not belong to the action (index into allowed). */
static int check_options(struct jx_args *a, size_t action)
{
    for (const struct jx_opt *o = a->opts; o->name; o++) {
        bool ok = !strcmp(o->name, "db") || !o->count;
        for (int i = 0; !ok && allowed[action].opts[i]; i++)
            ok = !strcmp(o->name, allowed[action].opts[i]);
        if (!ok)
            return jx_args_usage_error(a, "--%s does not go with %s", o->name,
                                       allowed[action].action);
    }
    return 0;
}


/* jixiao appeal add: file an appeal while the period's window is open. */
static int do_add(struct jx_args *a, struct jx_store *st)
{
    const char *per = jx_args_get(a, "period"), *person = jx_args_get(a, "person"),
               *reason = jx_args_get(a, "reason");
    struct jx_workflow wf = {0};
    struct jx_period period;
    struct jx_err err;
    struct jx_appeal ap = {
        .period = per, .person_id = person, .reason = reason, .filed_by = jx_args_get(a, "user")};
    char at[JX_TIME_BUFSZ], due[JX_TIME_BUFSZ] = "";
    int64_t t;
    long long id = 0;
    enum jx_status s;

    if (!per || !person || !reason)
        return jx_args_usage_error(a, "add needs --period, --person and --reason");
    if (!reason[0])
        return jx_args_usage_error(a, "--reason must not be empty");
    jx_err_clear(&err);
    if (jx_period_parse(per, strlen(per), &period, &err))
        return jx_args_usage_error(a, "%s", err.msg);
    if ((s = jx_cli_event_time(jx_args_get(a, "at"), "at", &t, &err)))
        return jx_cli_fail(s, &err);
    ap.filed_at = jx_time_format(t, at);
    if ((s = jx_store_workflow(st, per, &wf, &err)))
        return jx_cli_fail(s, &err);
    /*
     * The deadline comes from the current publication.  Without one, or for a
     * late appeal, the store refuses the appeal and no deadline is needed.
     */
    int days = 0;
    if (wf.npubs) {
        const struct jx_publication *cur = &wf.pubs[wf.npubs - 1];
        ap.publication = cur->number;
        days = cur->answer_days;
        if (strncmp(at, cur->window_closes, 10) <= 0)
            s = jx_workflow_answer_due(t, days, due, &err);
    }
    jx_workflow_release(&wf);
    ap.due = due;
    if (s || (s = jx_store_appeal_add(st, &ap, &id, &err)))
        return jx_cli_fail(s, &err);
    printf("appeal %lld filed: %s %s at %s\n", id, per, person, at);
    printf("HR answer due (答复期限): %s (%d working days after filing)\n", due, days);
    return 0;
}

/* Parse an appeal id: a positive decimal number; -1 when it is not one. */
static long long parse_id(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < 1)
        return -1;
    return v;
}

/* score.KEY of a stored result JSON text into buf ("-" when it has none). */
static const char *score_of(const char *result, const char *key, char *buf, size_t n)
{
    json_t *o = json_loads(result, 0, NULL);
    const char *g = json_string_value(json_object_get(json_object_get(o, "score"), key));
    snprintf(buf, n, "%s", g ? g : "-");
    json_decref(o);
    return buf;
}

/* Print version v of a person's result, and how its grade differs from the one before. */
static void print_version(const struct jx_result_versions *vs, int v)
{
    for (size_t i = 0; i < vs->n; i++) {
        const struct jx_result_version *r = &vs->v[i];
        if (r->version != v)
            continue;
        char before[8] = "-", after[8], uncal[8];
        for (size_t j = 0; j < vs->n; j++)
            if (vs->v[j].version == v - 1)
                score_of(vs->v[j].result, "grade", before, sizeof before);
        printf("%s result version %d (publication %d, run %s): grade %s -> %s (before "
               "calibration %s); reason: %s\n",
               r->person_id, r->version, r->publication, r->run_id, before,
               score_of(r->result, "grade", after, sizeof after),
               score_of(r->result, "grade_before_calibration", uncal, sizeof uncal), r->reason);
        printf("%s\n", r->result);
    }
}

/* jixiao appeal decide ID: HR's answer; an accepted appeal may set a new grade. */
static int do_decide(struct jx_args *a, struct jx_store *st)
{
    const char *reason = jx_args_get(a, "reason"), *grade = jx_args_get(a, "grade");
    bool accept = jx_args_get(a, "accept") != NULL, reject = jx_args_get(a, "reject") != NULL;
    struct jx_workflow wf = {0};
    struct jx_result_versions vs = {0};
    struct jx_err err;
    char at[JX_TIME_BUFSZ], per[JX_PERIOD_BUFSZ];
    int64_t t;
    int version = 0;
    enum jx_status s;

    if (a->npos != 2)
        return jx_args_usage_error(a, "decide needs one appeal ID (see 'jixiao appeal list')");
    long long id = parse_id(a->pos[1]);
    if (id < 0)
        return jx_args_usage_error(a, "\"%s\" is not an appeal id (a number)", a->pos[1]);
    if (accept == reject)
        return jx_args_usage_error(a, "decide needs one of --accept and --reject");
    if (!reason || !reason[0])
        return jx_args_usage_error(a, "decide needs --reason (the answer to the appeal)");
    if (grade && !accept)
        return jx_args_usage_error(a, "--grade goes with --accept");
    jx_err_clear(&err);
    if ((s = jx_cli_event_time(jx_args_get(a, "at"), "at", &t, &err)))
        return jx_cli_fail(s, &err);
    struct jx_appeal_decision d = {.id = id,
                                   .accept = accept,
                                   .reason = reason,
                                   .grade = grade,
                                   .decided_at = jx_time_format(t, at),
                                   .decided_by = jx_args_get(a, "user")};
    if ((s = jx_store_appeal_period(st, id, per, &err)) ||
        (s = jx_store_appeal_decide(st, &d, &version, &err)) ||
        (s = jx_store_workflow(st, per, &wf, &err)))
        return jx_cli_fail(s, &err);
    for (size_t i = 0; i < wf.nappeals; i++) {
        const struct jx_appeal *ap = &wf.appeals[i];
        if (ap->id != id)
            continue;
        printf("appeal %lld (%s, %s) %s at %s by %s: %s (answer due %s)\n", id, per, ap->person_id,
               jx_appeal_status_name(ap->status), at, ap->decided_by,
               jx_appeal_late(ap, at) ? "late" : "in time", ap->due);
        if (version && !(s = jx_store_result_versions(st, per, ap->person_id, &vs, &err)))
            print_version(&vs, version);
    }
    jx_result_versions_release(&vs);
    jx_workflow_release(&wf);
    return s ? jx_cli_fail(s, &err) : 0;
}

/* An optional text as JSON: the string, or null. */
static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* jixiao appeal list: the period's appeals with their deadlines, as a table or JSON. */
static int do_list(struct jx_args *a, struct jx_store *st)
{
    const char *per = jx_args_get(a, "period"), *f = jx_args_get(a, "format");
    bool only_late = jx_args_get(a, "late") != NULL, json = false;
    struct jx_workflow wf = {0};
    struct jx_period period;
    struct jx_err err;
    char now[JX_TIME_BUFSZ];
    int64_t t;
    size_t shown = 0;
    enum jx_status s;

    if (!per)
        return jx_args_usage_error(a, "list needs --period");
    if (f && strcmp(f, "table") && !(json = !strcmp(f, "json")))
        return jx_args_usage_error(a, "--format must be table or json");
    jx_err_clear(&err);
    if (jx_period_parse(per, strlen(per), &period, &err))
        return jx_args_usage_error(a, "%s", err.msg);
    if ((s = jx_cli_event_time(jx_args_get(a, "now"), "now", &t, &err)))
        return jx_cli_fail(s, &err);
    jx_time_format(t, now);
    if ((s = jx_store_workflow(st, per, &wf, &err)))
        return jx_cli_fail(s, &err);
    if (json)
        printf("{\"period\": \"%s\", \"now\": \"%s\", \"appeals\": [", per, now);
    else
        printf("%s appeals (申诉)%s as of %s\n%-4s %-10s %-16s  %-16s  %-16s  %-8s  %-4s  %-5s  "
               "%s\n",
               per, only_late ? ", late only," : "", now, "id", "person", "filed_at", "due",
               "decided_at", "status", "late", "grade", "reason");
    for (size_t i = 0; i < wf.nappeals; i++) {
        const struct jx_appeal *ap = &wf.appeals[i];
        bool late = jx_appeal_late(ap, now);
        if (only_late && !late)
            continue;
        if (json) {
            json_t *o = json_object();
            json_object_set_new(o, "id", json_integer(ap->id));
            json_object_set_new(o, "person_id", json_string(ap->person_id));
            json_object_set_new(o, "publication", json_integer(ap->publication));
            json_object_set_new(o, "reason", json_string(ap->reason));
            json_object_set_new(o, "filed_at", json_string(ap->filed_at));
            json_object_set_new(o, "filed_by", json_string(ap->filed_by));
            json_object_set_new(o, "due", json_string(ap->due));
            json_object_set_new(o, "status", json_string(jx_appeal_status_name(ap->status)));
            json_object_set_new(o, "decided_at", str_or_null(ap->decided_at));
            json_object_set_new(o, "decided_by", str_or_null(ap->decided_by));
            json_object_set_new(o, "decision_reason", str_or_null(ap->decision_reason));
            json_object_set_new(o, "grade", str_or_null(ap->grade));
            json_object_set_new(o, "version",
                                ap->version ? json_integer(ap->version) : json_null());
            json_object_set_new(o, "late", json_boolean(late));
            char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
            json_decref(o);
            if (!text) {
                jx_workflow_release(&wf);
                return jx_cli_fail(jx_err_set(&err, JX_ENOMEM, "out of memory"), &err);
            }
            printf("%s\n  %s", shown ? "," : "", text);
            free(text);
        } else {
            printf("%-4lld %-10s %-16s  %-16s  %-16s  %-8s  %-4s  %-5s  %s\n", ap->id,
                   ap->person_id, ap->filed_at, ap->due, ap->decided_at ? ap->decided_at : "-",
                   jx_appeal_status_name(ap->status), late ? "yes" : "no",
                   ap->grade ? ap->grade : "-", ap->reason);
        }
        shown++;
    }
    if (json)
        fputs(shown ? "\n]}\n" : "]}\n", stdout);
    else
        printf("%zu appeal%s\n", shown, shown == 1 ? "" : "s");
    jx_workflow_release(&wf);
    return 0;
}

/* jixiao appeal: dispatch add, decide and list after checking each one's options. */
int jx_cmd_appeal(int argc, char **argv)
{
    struct jx_opt opts[] = {
        {.name = "db", .arg = "PATH", .help = "the database"},
        {.name = "period", .arg = "P", .help = "add, list: the period"},
        {.name = "person", .arg = "ID", .help = "add: who appeals"},
        {.name = "reason", .arg = "TEXT", .help = "add: the appeal; decide: the answer"},
        {.name = "accept", .help = "decide: accept the appeal"},
        {.name = "reject", .help = "decide: reject the appeal"},
        {.name = "grade", .arg = "G", .help = "decide --accept: the new grade (S A B C D)"},
        {.name = "at",
         .arg = "TIME",
         .help = "add, decide: when (\"YYYY-MM-DD HH:MM\"; default now)"},
        {.name = "user", .arg = "NAME", .help = "add, decide: who, for the audit log"},
        {.name = "late", .help = "list: only the late appeals"},
        {.name = "now", .arg = "TIME", .help = "list: lateness as of this time (default now)"},
        {.name = "format", .arg = "FMT", .help = "list: table (default) or json"},
        {0},
    };
    struct jx_args a = {
        .cmd = "appeal",
        .usage = "--db PATH add --period P --person ID --reason TEXT [--at TIME] [--user NAME]\n"
                 "       jixiao appeal --db PATH decide ID --accept|--reject --reason TEXT "
                 "[--grade G] [--at TIME] [--user NAME]\n"
                 "       jixiao appeal --db PATH list --period P [--late] [--now TIME] "
                 "[--format table|json]",
        .summary =
            "Appeals (申诉) against a period's published results.\n"
            "add: file an appeal; only while the period is published and its appeal window is "
            "open\n  (until the end of the 5th working day after publication; a late one is "
            "refused).\n  HR's answer is due 10 working days after filing, same clock time.\n"
            "decide: record HR's answer.  An accepted appeal with --grade makes a new version "
            "of the\n  person's published result: the grade replaced, grade_before_calibration "
            "kept, the\n  reason recorded; the new version is printed.\n"
            "list: the appeals with filed_at, due, decided_at, status and late (open past "
            "due,\n  or decided after it).\n"
            "Times are Asia/Shanghai.  Everything written goes to the audit log.",
        .opts = opts,
                        .positional = true};
    struct jx_store *st = NULL;
    struct jx_err err;
    enum jx_status s;
    size_t action = sizeof allowed / sizeof allowed[0];
    int rc = jx_args_parse(&a, argc, argv);
    if (rc || a.help)
        return rc;
    const char *db = jx_args_get(&a, "db");
    if (!db)
        return jx_args_usage_error(&a, "--db is required");
    for (size_t i = 0; a.npos && i < sizeof allowed / sizeof allowed[0]; i++)
        if (!strcmp(a.pos[0], allowed[i].action))
            action = i;
    if (action == sizeof allowed / sizeof allowed[0])
        return jx_args_usage_error(&a, "expected add, decide or list");
    if (action != 1 && a.npos > 1)
        return jx_args_usage_error(&a, "unexpected argument \"%s\"", a.pos[1]);
    if ((rc = check_options(&a, action)))
        return rc;
    jx_err_clear(&err);
    if ((s = jx_store_open(db, false, &st, &err)) || (s = jx_store_check_schema(st, &err))) {
        jx_store_close(st);
        return jx_cli_fail(s, &err);
    }
    rc = action == 0 ? do_add(&a, st) : action == 1 ? do_decide(&a, st) : do_list(&a, st);
    jx_store_close(st);
    return rc;
}
