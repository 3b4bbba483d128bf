/*
 * cmd_publish.c - jixiao publish: publish a period's appraisal results (公示),
 * with the appeal window and the interview deadline in working days; and
 * --status: where the period stands (draft, published, final).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "core/calendar.h"
#include "core/date.h"
#include "store/store.h"

/* --at/--now, or the clock read as Asia/Shanghai time (cli.h). */
enum jx_status jx_cli_event_time(const char *at, const char *option, int64_t *t, struct jx_err *err)
{
    if (at) {
        if (jx_time_parse(at, strlen(at), t, NULL) != JX_OK)
            return jx_err_set(err, JX_EINPUT,
                              "--%s: \"%.40s\" is not a time (expected \"YYYY-MM-DD HH:MM\", "
                              "Asia/Shanghai)",
                              option, at);
        return JX_OK;
    }
    time_t now = time(NULL);
    if (now == (time_t)-1)
        return jx_err_set(err, JX_EINTERNAL, "cannot read the clock");
    *t = ((int64_t)now + 8 * 3600) / 60; /* Asia/Shanghai is UTC+8 all year */
    return JX_OK;
}

/* Parse a number of working days (1-60) given with --name; -1 when it is not one. */
static int parse_days(const char *s)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 1 || v > 60)
        return -1;
    return (int)v;
}


/* Print the current publication of wf: run, time, deadlines. */
static void print_publication(const struct jx_publication *p, const char *now)
{
    printf("publication %d: run %s, %ld result%s, published %s by %s\n", p->number, p->run_id,
           p->npeople, p->npeople == 1 ? "" : "s", p->published_at, p->published_by);
    printf("  appeal window (申诉期): until the end of %s (%d working days after %.10s)%s\n",
           p->window_closes, p->appeal_days, p->published_at,
           now ? (strncmp(now, p->window_closes, 10) <= 0 ? ", open" : ", closed") : "");
    printf("  interview due (绩效面谈): %s (%d working days after publishing)\n", p->interview_due,
           p->interview_days);
    printf("  HR answers an appeal within %d working days of its filing\n", p->answer_days);
}

/* Print one appeal on a line, for --status. */
static void print_appeal(const struct jx_appeal *a, const char *now)
{
    printf("  appeal %lld %s: %s, filed %s, answer due %s", a->id, a->person_id,
           jx_appeal_status_name(a->status), a->filed_at, a->due);
    if (a->decided_at)
        printf(", decided %s", a->decided_at);
    puts(jx_appeal_late(a, now) ? " (late)" : "");
}

/* jixiao publish --status: the period's state as of now. */
static int print_status(const struct jx_workflow *wf, const char *now)
{
    enum jx_workflow_state state = jx_workflow_state(wf, now);
    size_t nopen = 0, nlate = 0;
    for (size_t i = 0; i < wf->nappeals; i++) {
        nopen += wf->appeals[i].status == JX_APPEAL_OPEN;
        nlate += jx_appeal_late(&wf->appeals[i], now);
    }
    printf("period %s: %s (as of %s)\n", wf->period, jx_workflow_state_name(state), now);
    if (state == JX_WF_DRAFT) {
        if (wf->newest_run)
            printf("not published; newest run %s ('jixiao publish' publishes it)\n",
                   wf->newest_run);
        else
            puts("not published; no run yet ('jixiao run' computes the period)");
        return 0;
    }
    const struct jx_publication *cur = &wf->pubs[wf->npubs - 1];
    for (size_t i = 0; i + 1 < wf->npubs; i++)
        printf("publication %d: run %s, published %s by %s (replaced)\n", wf->pubs[i].number,
               wf->pubs[i].run_id, wf->pubs[i].published_at, wf->pubs[i].published_by);
    print_publication(cur, now);
    if (wf->newest_run && strcmp(wf->newest_run, cur->run_id))
        printf("newest run %s is not published ('jixiao publish' publishes it)\n", wf->newest_run);
    printf("appeals: %zu filed, %zu open, %zu decided, %zu late\n", wf->nappeals, nopen,
           wf->nappeals - nopen, nlate);
    if (nopen) {
        puts("open appeals:");
        for (size_t i = 0; i < wf->nappeals; i++)
            if (wf->appeals[i].status == JX_APPEAL_OPEN)
                print_appeal(&wf->appeals[i], now);
    }
    if (nlate) {
        puts("late items:");
        for (size_t i = 0; i < wf->nappeals; i++)
            if (jx_appeal_late(&wf->appeals[i], now))
                print_appeal(&wf->appeals[i], now);
    }
    if (state == JX_WF_FINAL)
        printf("final: the appeal window closed at the end of %s and every appeal is decided\n",
               cur->window_closes);
    return 0;
}

/*
 * After a new publication: name the accepted appeals whose grade change was
 * made on an earlier publication, which the new run's results replace.
 */
static void print_replaced_grades(const struct jx_workflow *wf)
{
    int number = wf->pubs[wf->npubs - 1].number;
    for (size_t i = 0; i < wf->nappeals; i++) {
        const struct jx_appeal *a = &wf->appeals[i];
        if (a->version && a->publication < number)
            printf("note: appeal %lld set %s's grade to %s on publication %d; the results of "
                   "publication %d replace it (file a new appeal if it still applies)\n",
                   a->id, a->person_id, a->grade, a->publication, number);
    }
}

/* jixiao publish: publish the newest run of a period, or print its state (--status). */
int jx_cmd_publish(int argc, char **argv)
{
    struct jx_opt opts[] = {
        {.name = "db", .arg = "PATH", .help = "the database"},
        {.name = "period", .arg = "P", .help = "the period: 2025-09, 2025-Q3 or 2025"},
        {.name = "user", .arg = "NAME", .help = "who publishes, for the audit log"},
        {.name = "at",
         .arg = "TIME",
         .help = "publication time \"YYYY-MM-DD HH:MM\" (default now)"},
        {.name = "appeal-days", .arg = "N", .help = "working days of the appeal window (5)"},
        {.name = "answer-days", .arg = "N", .help = "working days HR has to answer an appeal (10)"},
        {.name = "interview-days", .arg = "N", .help = "working days to the interview (3)"},
        {.name = "status", .help = "print the period's state instead of publishing"},
        {.name = "now", .arg = "TIME", .help = "with --status: as of this time (default now)"},
        {0},
    };
    struct jx_args a = {
        .cmd = "publish",
        .usage = "--db PATH --period P [--user NAME] [--at TIME] | --db PATH --period P --status "
                 "[--now TIME]",
        .summary =
            "Publish the results of the period's newest run (考核结果公示): draft -> published.\n"
            "Records the run and the time, and works out with the working-day calendar (2025, "
            "2026)\nthe appeal window (until the end of the 5th working day after the "
            "publication date)\nand the interview's due time (3 working days after "
            "publishing).  Publishing again\nneeds a newer run; every publication is kept.  "
            "A locked period can be published.\n--status prints draft, published or final "
            "(window closed and every appeal decided),\nthe deadlines, the open appeals and "
            "the late ones.\nTimes are Asia/Shanghai.",
        .opts = opts};
    struct jx_store *st = NULL;
    struct jx_workflow wf = {0};
    struct jx_publication pub = {.appeal_days = JX_APPEAL_WINDOW_DAYS,
                                 .answer_days = JX_APPEAL_ANSWER_DAYS,
                                 .interview_days = JX_INTERVIEW_DAYS};
    struct jx_period period;
    struct jx_err err;
    enum jx_status s;
    char at[JX_TIME_BUFSZ], closes[JX_DATE_BUFSZ], due[JX_TIME_BUFSZ];
    int64_t t;
    bool published = false;
    int rc = jx_args_parse(&a, argc, argv);
    if (rc || a.help)
        return rc;
    const char *db = jx_args_get(&a, "db"), *per = jx_args_get(&a, "period");
    bool status = jx_args_get(&a, "status") != NULL;
    if (!db || !per)
        return jx_args_usage_error(&a, "--db and --period are required");
    jx_err_clear(&err);
    if (jx_args_period(&a, "period", &period))
        return 1;
    static const char *const publish_only[] = {"user", "at", "appeal-days", "answer-days",
                                               "interview-days"};
    for (size_t i = 0; i < sizeof publish_only / sizeof publish_only[0]; i++)
        if (status && jx_args_get(&a, publish_only[i]))
            return jx_args_usage_error(&a, "--%s does not go with --status", publish_only[i]);
    if (!status && jx_args_get(&a, "now"))
        return jx_args_usage_error(&a, "--now goes with --status (to publish at a time: --at)");
    int *days[] = {&pub.appeal_days, &pub.answer_days, &pub.interview_days};
    static const char *const day_opts[] = {"appeal-days", "answer-days", "interview-days"};
    for (int i = 0; i < 3; i++) {
        const char *v = jx_args_get(&a, day_opts[i]);
        if (v && (*days[i] = parse_days(v)) < 0)
            return jx_args_usage_error(&a, "--%s must be a number of working days, 1 to 60",
                                       day_opts[i]);
    }

    if ((s = jx_cli_event_time(jx_args_get(&a, status ? "now" : "at"), status ? "now" : "at", &t,
                               &err)))
        return jx_cli_fail(s, &err);
    jx_time_format(t, at);
    if (!status) {
        if (jx_time_date(t) < jx_period_first(&period))
            return jx_cli_fail(jx_err_set(&err, JX_EINPUT,
                                          "cannot publish %s at %s, before the period begins", per,
                                          at),
                               &err);
        if ((s = jx_workflow_deadlines(t, &pub, closes, due, &err)))
            return jx_cli_fail(s, &err);
        pub.period = per;
        pub.published_at = at;
        pub.published_by = jx_args_get(&a, "user");
    }
    if (!(s = jx_store_open(db, false, &st, &err)) && !(s = jx_store_check_schema(st, &err)) &&
        (status || !(s = jx_store_publish(st, &pub, &published, &err))))
        s = jx_store_workflow(st, per, &wf, &err);
    jx_store_close(st);
    if (s) {
        jx_workflow_release(&wf);
        return jx_cli_fail(s, &err);
    }
    if (status) {
        rc = print_status(&wf, at);
    } else if (!published) {
        const struct jx_publication *cur = &wf.pubs[wf.npubs - 1];
        printf("%s is already published with its newest run %s (publication %d, %s): nothing "
               "to do\n",
               per, cur->run_id, cur->number, cur->published_at);
    } else {
        printf("published %s, ", per);
        print_publication(&wf.pubs[wf.npubs - 1], NULL);
        print_replaced_grades(&wf);
    }
    jx_workflow_release(&wf);
    return rc;
}
