/*
 * engine.h - the pay and appraisal engine: a pure function from (plans,
 * period data) to (results, trace).  No I/O: the caller loads the data
 * (jx_store_load), the plans (jx_plan_load) and stores or prints the output.
 */
#ifndef JX_ENGINE_H
#define JX_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"
#include "core/date.h"
#include "core/status.h"
#include "engine/data.h"

struct jx_plan;

/* One line of a person's calculation trace. */
struct jx_trace {
    const char *key;       /* machine name: "commission.line", "pay.base" ... */
    const char *label_zh;  /* 中文 label */
    const char *label_en;  /* English label */
    const char *detail;    /* the rule and its inputs, with their values; or, when inputs
                              is not NULL, the formula alone: the whole text is then
                              detail + "  [" + inputs + "]" */
    const char *inputs;    /* the values a formula read ("a=1, b=2"), or NULL */
    const char *value;     /* the result as text ("5386.50", "9.0", "S") */
    const char *source;    /* where the rule comes from: "plans/x.yaml:12" */
};

#define JX_FLAGS_MAX 16

/* What the engine computed for one person. */
struct jx_person_result {
    int32_t person;          /* index into data->people; for a team or an agent, -1 */
    const char *subject;     /* "person", "team" or "agent" */
    const char *id, *name, *unit_id; /* the subject's (unit_id: a team's own id, an agent's
                                        owner's unit; NULL when none) */
    const char *key;         /* the stored key: the id, or "team:ID" / "agent:ID" */
    const char *plan;        /* name of the pay plan that applied, NULL if none */
    const char *scorecard;   /* name of the scorecard plan that scored the person, or NULL */
    bool has_pay;            /* a pay plan applied: the money fields below are meaningful */
    int64_t base, commission, bonus, deductions, total; /* fen */
    int64_t carry_out;       /* clawback still to deduct in later periods, fen */
    bool has_score;
    int64_t kpi, qualitative, final; /* 10^9 fixed point, rounded half-up to 2 decimals */
    char grade[2], grade_before[2];
    int rank, rank_in_unit;  /* by final score in the scorecard's group, and within the unit */
    const char **flags;      /* nflags of them (at most JX_FLAGS_MAX), or NULL for none */
    int nflags;
    struct jx_trace *trace;
    size_t ntrace;
};

struct jx_run_input {
    const struct jx_data *data;
    const struct jx_plan *const *plans;
    size_t nplans;
    struct jx_period period;
    const struct jx_calendar *cal;
    const int64_t *carry_in; /* per person: clawback carried from the previous period (fen), or NULL */
    /*
     * Calibrated grades of earlier runs of the same kind of period, newest
     * first: history[k][p] is person p's grade letter k+1 periods back, or
     * ' ' when none (NULL entries: no run).  For the consequences that need
     * a streak (two Ds in a row, three quarters at A or better).
     */
    const char *const *history;
    size_t nhistory;
    /*
     * Whose commission lines get a trace line each: 0 for no one (a run
     * stays small and fast: the pay trace says how many lines there were,
     * and jixiao explain recomputes one person with their lines), person
     * index + 1 for one person, JX_TRACE_ALL for everyone.
     */
    int32_t line_trace;
    /*
     * Threads for the pass over the contracts and the per-person work: 0 for
     * one per core (at most 8, and only with thousands of people or tens of
     * thousands of contracts per thread), N for N (at most 8, each with at
     * least a thousand), 1 for this thread alone.  Results do not depend on it.
     */
    int threads;
};

#define JX_TRACE_ALL (-1)

struct jx_run_output {
    size_t n;
    struct jx_person_result *people; /* sorted by person id (byte order) */
    void *arena;                     /* owner of all the above */
};

/*
 * Compute every person any plan applies to.  On error nothing is left in out
 * and err says which person and which rule failed.
 */
enum jx_status jx_engine_run(const struct jx_run_input *in, struct jx_run_output *out,
                             struct jx_err *err) JX_MUST_USE;

/* A person's sales figures for a period, as the engine measures them (fen). */
struct jx_figures {
    int64_t sales;     /* signed revenue credited to the person, net of returns */
    int64_t collected; /* payments credited to the person */
    int64_t target;    /* the person's sales target for the period, when has_target */
    bool has_target;
    int late_reports;  /* reports handed in late in the period */
    int64_t month_sales[12]; /* sales in each month of the period's year */
};

/*
 * The figures of every person of in->data (out has data->people.n entries),
 * without any plan: what a dashboard shows.  in->plans may be empty.
 */
enum jx_status jx_engine_figures(const struct jx_run_input *in, struct jx_figures *out,
                                 struct jx_err *err) JX_MUST_USE;

/* Free what a run output holds. */
void jx_run_output_release(struct jx_run_output *out);

#endif
