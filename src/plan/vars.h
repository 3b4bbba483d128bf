/*
 * vars.h - the names the plan language provides: what each means, its unit,
 * its labels.  The engine computes them (engine/metrics.c) for each person
 * and period; the plan loader resolves formula names against this table.
 * docs/plans.md lists them, generated from the same table (jixiao plan vars).
 */
#ifndef JX_VARS_H
#define JX_VARS_H

enum jx_var {
    /* person */
    JX_V_BASE_SALARY,
    JX_V_ALLOWANCE,
    JX_V_IS_REP,
    JX_V_IS_MANAGER,
    JX_V_IS_DIRECTOR,
    JX_V_IS_ENGINEER,
    JX_V_ON_PROBATION,
    JX_V_MONTHS_OF_SERVICE,
    JX_V_BUSINESS_SINCE_HIRE,
    JX_V_CARRY_IN,
    /* period */
    JX_V_PERIOD_IS_MONTH,
    JX_V_PERIOD_IS_QUARTER,
    JX_V_PERIOD_IS_YEAR,
    /* sales metrics, credited by split share */
    JX_V_SALES,
    JX_V_SALES_FULLY_COLLECTED,
    JX_V_REVENUE_SIGNED,
    JX_V_RETURNS,
    JX_V_CONTRACTS_SIGNED,
    JX_V_COLLECTED,
    JX_V_COLLECTION_RATE,
    JX_V_RECEIVABLE_START,
    JX_V_NEW_CUSTOMERS,
    JX_V_AGENTS_SIGNED,
    JX_V_TEAM_COLLECTED,
    JX_V_TEAM_SALES,
    /* conduct: violations, attendance (dated in P) */
    JX_V_VIOLATIONS,
    JX_V_MINOR_VIOLATIONS,
    JX_V_MEDIUM_VIOLATIONS,
    JX_V_SEVERE_VIOLATIONS,
    JX_V_VIOLATION_POINTS,
    JX_V_ABSENCES,
    JX_V_PERSONAL_LEAVES,
    JX_V_LATES,
    /* customers and tickets (complaints opened in P) */
    JX_V_COMPLAINTS,
    JX_V_CUSTOMERS_SERVED,
    JX_V_COMPLAINT_RATE,
    JX_V_TICKETS,
    JX_V_REPAIR_COMPLETION_RATE,
    JX_V_CSAT,
    JX_V_TEAM_TICKETS,
    JX_V_TEAM_REPAIR_COMPLETION_RATE,
    JX_V_TEAM_CSAT,
    JX_V_TEAM_COMPLAINT_RATE,
    /* the person's scorecard in the same run (0 when none), for pay plans */
    JX_V_HAS_SCORE,
    JX_V_KPI_SCORE,
    JX_V_QUALITATIVE_SCORE,
    JX_V_FINAL_SCORE,
    JX_V_GRADE_S,
    JX_V_GRADE_A,
    JX_V_GRADE_B,
    JX_V_GRADE_C,
    JX_V_GRADE_D,
    JX_V_MEDIUM_VIOLATION_POINTS,
    JX_V_LATE_REPORTS,
    JX_V_CONTACTS,
    JX_V_INFO_COMPLETENESS,
    JX_V_FOLLOW_UP_TIMELINESS,
    JX_V_SALES_TRAILING_AVG,
    JX_V_SALES_PREV,
    JX_V_SALES_LAST_YEAR,
    JX_V_GROWTH_QOQ,
    JX_V_GROWTH_YOY,
    JX_V_IS_TEAM,
    JX_V_IS_AGENT,
    /* line models (present when the plan has the block) */
    JX_V_COMMISSION,
    JX_V_ABOVE_PRICE_SHARE,
    JX_V_COUNT
};

enum jx_var_unit { JX_VU_MONEY, JX_VU_COUNT, JX_VU_RATE, JX_VU_BOOL, JX_VU_NUMBER };

struct jx_var_def {
    const char *name;
    enum jx_var_unit unit;
    const char *label_zh;
    const char *label_en;
    const char *doc; /* one line: what it is, exactly */
};

extern const struct jx_var_def jx_vars[JX_V_COUNT];

/*
 * Families of names with an item: rating.ITEM (the mean score of the
 * ratings of ITEM for the person in the period; a review-stage rating
 * replaces the same rater's initial one), has_rating.ITEM (1 when there is
 * one), target.METRIC (the person's target for the period, 0 if none),
 * has_target.METRIC, and events.KIND (the number of the person's events of
 * KIND dated in the period: events.mistake, events.commendation, ...) and
 * item.NAME (the score of item NAME of the person's scorecard in the same
 * run, 0 if none; for pay plans).
 */
enum jx_var_family { JX_VF_RATING, JX_VF_HAS_RATING, JX_VF_TARGET, JX_VF_HAS_TARGET,
                     JX_VF_EVENTS, JX_VF_ITEM, JX_VF_COUNT };
extern const char *const jx_var_families[JX_VF_COUNT]; /* "rating.", ... */

/* The built-in variable called name[0..len), or -1. */
int jx_var_lookup(const char *name, unsigned long len);

#endif
