/*
 * workflow.c - the state of a period's appraisal workflow, worked out from
 * what the store holds (any backend): draft, published or final, and which
 * appeals are late.  Times compare as text ("YYYY-MM-DD HH:MM").
 */
#include <string.h>

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
