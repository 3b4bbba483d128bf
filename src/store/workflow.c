/*
 * workflow.c - the state of a period's appraisal workflow, worked out from
 * what the store holds (any backend): draft, published or final, and which
 * appeals are late, and the deadlines of the working-day calendar.  Times
 * compare as text ("YYYY-MM-DD HH:MM").
 */
#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "core/date.h"
#include "store/store.h"

/* The current publication's window is open at now: now's date is not after its closing day. */
bool jx_workflow_window_open(const struct jx_workflow *wf, const char *now)
{
    if (!wf->npubs)
        return false;
    return strncmp(now, wf->pubs[wf->npubs - 1].window_closes, 10) <= 0;
}

/* Draft without a publication; final once the window is closed and no appeal is open. */
enum jx_workflow_state jx_workflow_state(const struct jx_workflow *wf, const char *now)
{
    if (!wf->npubs)
        return JX_WF_DRAFT;
    if (jx_workflow_window_open(wf, now))
        return JX_WF_PUBLISHED;
    for (size_t i = 0; i < wf->nappeals; i++)
        if (wf->appeals[i].status == JX_APPEAL_OPEN)
            return JX_WF_PUBLISHED;
    return JX_WF_FINAL;
}

/* "draft", "published" or "final". */
const char *jx_workflow_state_name(enum jx_workflow_state s)
{
    static const char *const names[] = {"draft", "published", "final"};
    return names[s];
}

/* "open", "accepted" or "rejected". */
const char *jx_appeal_status_name(enum jx_appeal_status s)
{
    static const char *const names[] = {"open", "accepted", "rejected"};
    return names[s];
}

/* Open past its due time, or decided after it. */
bool jx_appeal_late(const struct jx_appeal *a, const char *now)
{
    if (a->status == JX_APPEAL_OPEN)
        return strcmp(now, a->due) > 0;
    return a->decided_at && strcmp(a->decided_at, a->due) > 0;
}

/*
 * Work out the deadlines of a publication at time t with the working-day
 * calendar: the last day of the appeal window and the interview's due time.
 */
enum jx_status jx_workflow_deadlines(int64_t t, struct jx_publication *p, char *closes, char *due,
                                struct jx_err *err)
{
    struct jx_calendar cal;
    int32_t d;
    int64_t i;
    char when[JX_TIME_BUFSZ];
    enum jx_status st;
    jx_calendar_init(&cal);
    if (!(st = jx_calendar_load_builtin(&cal, err)) &&
        !(st = jx_calendar_add_workdays(&cal, jx_time_date(t), p->appeal_days, &d, err)) &&
        !(st = jx_calendar_add_workdays_time(&cal, t, p->interview_days, &i, err))) {
        p->window_closes = jx_date_format(d, closes);
        p->interview_due = jx_time_format(i, due);
    }
    jx_calendar_release(&cal);
    if (st) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        st = jx_err_set(err, st, "cannot work out the deadlines of a publication at %s: %s",
                        jx_time_format(t, when), msg);
    }
    return st;
}

/* HR's answer is due answer_days working days after filing, same clock time. */
enum jx_status jx_workflow_answer_due(int64_t filed, int days, char *due, struct jx_err *err)
{
    struct jx_calendar cal;
    int64_t t;
    enum jx_status st;
    jx_calendar_init(&cal);
    if (!(st = jx_calendar_load_builtin(&cal, err)) &&
        !(st = jx_calendar_add_workdays_time(&cal, filed, days, &t, err)))
        jx_time_format(t, due);
    jx_calendar_release(&cal);
    if (st) {
        char msg[sizeof err->msg], when[JX_TIME_BUFSZ];
        snprintf(msg, sizeof msg, "%s", err->msg);
        st = jx_err_set(err, st,
                        "cannot work out when HR's answer to an appeal filed at %s is "
                        "due: %s",
                        jx_time_format(filed, when), msg);
    }
    return st;
}
