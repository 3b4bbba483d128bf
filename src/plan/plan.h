/*
 * plan.h - a company's policy as data: a plan file (YAML) loaded, checked
 * and compiled, ready for the engine.  The language is described in
 * docs/plans.md; the files in plans/ are the shipped examples.
 *
 * Every formula is compiled once at load; names are resolved to slots of a
 * per-person array of exact numbers (struct jx_rat):
 *   [0, JX_V_COUNT)              built-in variables (plan/vars.h)
 *   then the family names the plan uses (rating.ITEM, target.METRIC, ...)
 *   then the parameters, then the named values.
 * A plan that names an unknown variable, has a formula that does not parse,
 * a parameter outside its range, or values that depend on each other in a
 * cycle is refused with the file, line and reason.
 */
#ifndef JX_PLAN_H
#define JX_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rat.h"
#include "core/status.h"
#include "plan/vars.h"

struct jx_expr;

enum jx_plan_period { JX_PP_MONTH, JX_PP_QUARTER, JX_PP_YEAR, JX_PP_ANY };

/* A named formula of the plan, with the line it was written on. */
struct jx_plan_formula {
    const char *name;
    const char *src;
    const char *line_src; /* src on one line (runs of white space as one space), for traces */
    const char *trace_key; /* "value.NAME", "flag.NAME" (values and flags), else NULL */
    struct jx_expr *expr;
    int line;
    int slot; /* where its value goes, -1 for pay components and flags */
};

struct jx_plan_param {
    const char *name;
    struct jx_rat value, min, max;
    int line;
    int slot;
};

/* A family name used by the plan: rating.ITEM and the like. */
struct jx_plan_family_var {
    int family;        /* enum jx_var_family */
    const char *item;  /* "composite" */
    int slot;
};

/* One step of a person's evaluation, in dependency order. */
enum jx_plan_step_kind { JX_STEP_VALUE, JX_STEP_COMMISSION, JX_STEP_ABOVE_PRICE };
struct jx_plan_step {
    enum jx_plan_step_kind kind;
    int value; /* JX_STEP_VALUE: index into values */
};

/*
 * A scorecard (domain.md §6): KPI items computed from data and qualitative
 * items from ratings, each scored 0..cap, weighted within its section
 * (weights are relative: each item's share is its weight over the section's
 * total), then final = KPI x kpi_weight + qualitative x qualitative_weight
 * - deductions.  kpi_weight must be at least 70%.
 */
#define JX_RATER_ROLES 6 /* self superior peer customer cross_dept hr (store/model.c) */

enum jx_sc_kind { JX_SC_RATIO, JX_SC_SCORE, JX_SC_RATING };

struct jx_sc_item {
    const char *name;
    int line;
    bool qualitative;
    enum jx_sc_kind kind;
    struct jx_rat weight;                 /* normalized: the section's weights sum to 1 */
    bool lower_is_better;                 /* JX_SC_RATIO */
    struct jx_plan_formula actual, target; /* JX_SC_RATIO */
    struct jx_plan_formula score;         /* JX_SC_SCORE */
    const char *rating;                   /* JX_SC_RATING: the rating item */
    struct jx_rat role_weight[JX_RATER_ROLES]; /* JX_SC_RATING; all 0 = plain mean */
};

enum jx_grade { JX_GRADE_S, JX_GRADE_A, JX_GRADE_B, JX_GRADE_C, JX_GRADE_D, JX_GRADES };

/* Who a scorecard scores: people, teams (units of kind team) or agent companies. */
enum jx_subject { JX_SUBJECT_PERSON, JX_SUBJECT_TEAM, JX_SUBJECT_AGENT };

struct jx_scorecard {
    enum jx_subject subject;
    struct jx_sc_item *items; /* KPI items first, then qualitative ones */
    size_t nitems, nkpi;
    struct jx_rat kpi_weight, qualitative_weight, item_cap;
    bool has_deductions;
    struct jx_plan_formula deductions;
    struct jx_rat bands[JX_GRADES - 1]; /* lowest final of S, A, B, C */
    bool has_distribution;
    struct jx_rat max_share[JX_GRADES]; /* forced caps for S, A, B (0 = none for C, D) */
    struct jx_rat watch_share[JX_GRADES]; /* reported shares for C, D (never forced) */
    /* consequences (domain.md §6) */
    int pip_review_days;                  /* 0 = no PIP */
    int elimination_streak;               /* D this many periods in a row; 0 = off */
    const char *champion_item;            /* quarterly sales champion by this KPI item, or NULL */
    int promotion_streak;                 /* >= A this many quarters in a row; 0 = off */
    /* target decomposition (domain.md §4): a unit's target of unit_metric must not exceed
       the sum of its members' targets of member_metric, each at least member_min */
    const char *unit_metric, *member_metric;
    struct jx_rat member_min;
    int targets_line;
    int line;
};

enum jx_pay_part { JX_PAY_BASE, JX_PAY_COMMISSION, JX_PAY_BONUS, JX_PAY_DEDUCTIONS,
                   JX_PAY_PARTS };

struct jx_plan {
    const char *file;   /* as given on the command line */
    const char *name;   /* plan: */
    const char *title;
    enum jx_plan_period period;
    uint32_t roles;     /* bit (1 << enum jx_role) for each role it applies to; 0 = all */
    const char **units; /* unit ids whose subtrees it applies to; none = all */
    size_t nunits;
    int nslots;
    bool uses[JX_V_COUNT]; /* the built-in variables its formulas name */

    struct jx_plan_family_var *family_vars;
    size_t nfamily_vars;
    struct jx_plan_param *params;
    size_t nparams;
    struct jx_plan_formula *values;
    size_t nvalues;
    struct jx_plan_step *steps;
    size_t nsteps;

    bool has_commission; /* commission: model two_tier */
    struct jx_plan_formula commission_base_rate, commission_excess_rate, commission_multiplier;
    struct jx_rat excess_min, excess_max; /* allowed range of a contract's excess_rate */
    int commission_line;

    bool has_above_price; /* above_price_share: */
    struct jx_rat vat, share;
    int above_price_line;

    bool has_pay;
    struct jx_plan_formula pay[JX_PAY_PARTS];
    struct jx_scorecard *scorecard; /* scorecard: (a plan has pay or a scorecard) */
    struct jx_rat deduction_cap; /* fraction of the month's pay; default 20% */

    struct jx_plan_formula *flags;
    size_t nflags;

    struct jx_rat new_customer_threshold; /* yuan, default 10000 */
    unsigned char hash[32];               /* BLAKE2b of the file's bytes */
    const char **slot_names;              /* name of each slot ("rating.composite"...) */
    const char *text;                     /* the file's bytes (stored with a run) */
    size_t text_len;
    void *arena;                          /* owns everything above */
};

/*
 * Load and compile a plan from text (name is used in messages and kept as
 * plan->file).  On success *out is the caller's, to jx_plan_free().  On
 * failure err names the file, the line and the problem.
 */
enum jx_status jx_plan_load_text(const char *name, const char *text, size_t len,
                                 struct jx_plan **out, struct jx_err *err) JX_MUST_USE;

/* The same for a file on disk. */
enum jx_status jx_plan_load_file(const char *path, struct jx_plan **out,
                                 struct jx_err *err) JX_MUST_USE;

void jx_plan_free(struct jx_plan *p);

/* Name of slot s of plan p (a built-in, family, parameter or value name). */
const char *jx_plan_slot_name(const struct jx_plan *p, int slot);

#endif
