/*
 * data.h - a period's input data as columns (one array per field), loaded
 * once per run by the store (jx_store_load()) and read by the engine.
 *
 * References between tables are array indexes (-1 for none), resolved at
 * load time, so the engine never looks anything up by string.  Strings are
 * owned by the struct jx_data (one arena); everything is freed by
 * jx_data_release().  Dates are days since 1970-01-01 (JX_NO_DATE for none);
 * money is fen; rates, shares and quantities are 10^9 fixed point.
 */
#ifndef JX_DATA_H
#define JX_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JX_NO_DATE INT32_MIN

enum jx_role { JX_ROLE_REP, JX_ROLE_MANAGER, JX_ROLE_DIRECTOR, JX_ROLE_HR, JX_ROLE_FINANCE,
               JX_ROLE_ENGINEER, JX_ROLE_ADMIN, JX_ROLE_COUNT };
enum jx_pstatus { JX_PS_PROBATION, JX_PS_REGULAR, JX_PS_LEFT };
enum jx_ckind { JX_CK_CUSTOMER, JX_CK_AGENT, JX_CK_DISTRIBUTOR };
enum jx_tier { JX_TIER_NONE, JX_TIER_HIGH_POTENTIAL, JX_TIER_STABLE, JX_TIER_WATCHING };
enum jx_paykind { JX_PAY_PAYMENT, JX_PAY_DEPOSIT, JX_PAY_REFUND };
enum jx_category { JX_CAT_PRODUCT, JX_CAT_SERVICE, JX_CAT_DELIVERY, JX_CAT_AFTER_SALES,
                   JX_CAT_OTHER };
enum jx_severity { JX_SEV_SEVERE, JX_SEV_GENERAL, JX_SEV_MINOR };
enum jx_level { JX_LEVEL_MINOR, JX_LEVEL_MEDIUM, JX_LEVEL_SEVERE };
enum jx_attkind { JX_ATT_ABSENT, JX_ATT_PERSONAL_LEAVE, JX_ATT_LATE, JX_ATT_EARLY_LEAVE };

#define JX_NO_TIME INT64_MIN

/* Contract flags (bits of jx_contracts.flags). */
#define JX_CF_CONCESSION 1u
#define JX_CF_COMPANY_NEGOTIATED 2u
#define JX_CF_CREDIT_APPROVED 4u

struct jx_units {
    size_t n;
    const char **id, **name;
    int32_t *parent;          /* unit index or -1 */
    uint8_t *kind;            /* index into the units kind enumeration of model.c */
};

struct jx_people {
    size_t n;
    const char **id, **name;
    int32_t *unit;            /* unit index */
    int32_t *manager;         /* person index or -1 */
    uint8_t *role;            /* enum jx_role */
    uint8_t *status;          /* enum jx_pstatus */
    int32_t *hire_date;
    int64_t *base_salary, *allowance; /* fen */
};

struct jx_customers {
    size_t n;
    const char **id, **name;
    uint8_t *kind;            /* enum jx_ckind */
    uint8_t *klass;           /* 'A', 'B', 'C' */
    uint8_t *tier;            /* enum jx_tier */
    int32_t *owner;           /* person index */
    int32_t *signed_date;     /* JX_NO_DATE when none */
};

struct jx_contracts {
    size_t n;
    const char **id;
    int32_t *signed_date, *acceptance_date;
    int32_t *customer, *person;
    int64_t *retention;       /* fraction * 10^9, 0 when none */
    int64_t *excess_rate;     /* fraction * 10^9, -1 when the plan's default applies */
    uint32_t *flags;          /* JX_CF_* */
    int64_t *revenue;         /* fen: sum of lines' quantity x unit price, rounded */
    uint32_t *line0, *nlines; /* lines of contract c: line0[c] .. line0[c]+nlines[c]-1 */
    uint32_t *split0, *nsplits; /* credit splits; nsplits 0 = all to person[c] */
};

/*
 * A line's figures sit together (one row, not a column each): the pay rules
 * read a person's lines, which lie anywhere, and a row is one cache miss
 * where three columns were three.  (unit_cost is in the input digest but not
 * here: no rule reads it.)
 */
struct jx_line {
    int64_t quantity;                /* 10^9 fixed point */
    int64_t unit_price, base_price;  /* fen */
};

struct jx_lines {
    size_t n;
    int32_t *contract;
    struct jx_line *row;
};

struct jx_splits {
    size_t n;
    int32_t *person;
    int64_t *share;           /* fraction * 10^9; a contract's shares sum to 10^9 */
};

struct jx_payments {          /* sorted by contract, then date */
    size_t n;
    int32_t *contract, *date;
    int64_t *amount;          /* fen, positive; kind says refund */
    uint8_t *kind;            /* enum jx_paykind */
};

struct jx_returns {           /* sorted by contract, then date */
    size_t n;
    int32_t *contract, *date;
    int64_t *amount;
};

struct jx_ratings {
    size_t n;
    const char **subject, **period, **rater, **item;
    uint8_t *rater_role;      /* index into the rater-role enumeration of model.c */
    uint8_t *review;          /* 1 for stage review, 0 for initial */
    int64_t *score;           /* 10^9 fixed point */
};

struct jx_targets {
    size_t n;
    const char **subject, **period, **metric;
    int64_t *value;           /* 10^9 fixed point (money targets in yuan) */
};

struct jx_complaints {       /* sorted by id */
    size_t n;
    const char **id;
    int32_t *customer, *person; /* indexes, -1 when unknown */
    uint8_t *category;        /* enum jx_category */
    uint8_t *severity;        /* enum jx_severity */
    int64_t *opened, *responded, *resolved, *followed_up; /* minutes (core/date.h), JX_NO_TIME */
    uint8_t *csat;            /* 1..5, 0 when none */
    const char **cause;       /* "" when none */
    int64_t *reopened, *closed; /* minutes, JX_NO_TIME: the last reopening, the closing */
};

struct jx_violations {
    size_t n;
    int32_t *person, *date;
    uint8_t *level;           /* enum jx_level */
    int64_t *points;          /* 10^9 fixed point, -1 when none given */
};

struct jx_attendance {
    size_t n;
    int32_t *person, *date;
    uint8_t *kind;            /* enum jx_attkind */
};

struct jx_events {            /* kinds are free words: mistake, commendation, ... */
    size_t n;
    int32_t *person, *date;
    const char **kind;
};

struct jx_reports {           /* weekly and monthly reports (domain.md §8) */
    size_t n;
    int32_t *person;
    uint8_t *monthly;         /* 0 weekly, 1 monthly */
    const char **period;      /* weekly: the week's Monday "YYYY-MM-DD" or "YYYY-Www"; monthly: "YYYY-MM" */
    int64_t *submitted;       /* minutes (core/date.h) */
};

struct jx_contacts {          /* sorted by customer, then time */
    size_t n;
    int32_t *person, *customer;
    int64_t *at, *follow_up_due, *follow_up_done; /* minutes; done JX_NO_TIME when not yet */
    int32_t *complete, *required;
};

struct jx_data {
    struct jx_units units;
    struct jx_people people;
    struct jx_customers customers;
    struct jx_contracts contracts;
    struct jx_lines lines;
    struct jx_splits splits;
    struct jx_payments payments;
    struct jx_returns returns;
    struct jx_ratings ratings;
    struct jx_targets targets;
    struct jx_complaints complaints;
    struct jx_violations violations;
    struct jx_attendance attendance;
    struct jx_events events;
    struct jx_reports reports;
    struct jx_contacts contacts;
    void *arena;              /* owner of every array and string above */
    unsigned char input_hash[32]; /* digest of everything loaded, for the run record */
};

/* Free everything a struct jx_data holds; it is zeroed afterwards. */
void jx_data_release(struct jx_data *d);

#endif
