/*
 * engine.c - the pay engine (domain.md §5): a pure function of the loaded
 * data, the plans and the period.
 *
 * One pass over the contracts (on every core, each thread a range of them)
 * computes, for the end of the period (E) and the end of the previous one
 * (S), what was collected and returned to date and when each contract became
 * fully collected, and credits each contract's metrics to its people by split
 * share; the credits of the contracts that did anything in the period are
 * kept per person, with what the pay rules read of them.  Scorecards come
 * next; then each person's commission rates are worked out and a second sweep
 * pays the credits' lines in contract order (commission_sweep()).  Then, for
 * each plan and each person it applies to, the plan's steps run in dependency
 * order: named values, the two-tier commission model (the sweep's sum), the
 * above-price share; then the pay components (each rounded once to the fen),
 * the deduction cap and the flags.
 * Every figure leaves a line in the person's trace.
 *
 * Exactness: money is int64 fen, shares and rates 10^9 fixed point; sums
 * over contracts are kept in __int128 units of fen x 10^-9 and become exact
 * rationals (struct jx_rat) for the plan's formulas.  Rounding happens only
 * where domain.md says: once per commission line, once per above-price
 * contract share, once per pay component.
 */
#include "engine/engine.h"

#include <pthread.h>
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <unistd.h>

#include "core/arena.h"
#include "core/dec.h"
#include "core/money.h"
#include "core/rat.h"
#include "core/strmap.h"
#include "plan/expr.h"
#include "plan/plan.h"

#define S9 JX_DEC_SCALE


/*
 * A credit of a contract that moves in the period to a person, with what the
 * pass found of it: written once, in contract order, by the pass, read by the
 * commission sweep in that order and by the pay rules through the person's
 * list of credit numbers (credit_at()).  What the contract itself holds (revenue, retention,
 * excess rate, lines) stays in its columns: half a cache line a credit is
 * half the memory the pass writes and a fresh run faults in.
 */
struct credit {
    int64_t share;               /* 10^9 fixed point */
    int64_t m_e, m_s;            /* collected to date, capped by revenue - returns, >= 0,
                                    at the end of the period and of the previous one */
    int32_t contract;            /* its revenue, retention, excess rate and lines: there */
    uint8_t flags;               /* JX_CF_* */
    uint8_t marks;               /* KM_* */
};

_Static_assert(sizeof(struct credit) == 32, "two credits a cache line");
_Static_assert(JX_CF_CONCESSION < 256 && JX_CF_COMPANY_NEGOTIATED < 256 &&
                   JX_CF_CREDIT_APPROVED < 256,
               "contract flags fit a credit's");

/* What a contract did in the period (credit.marks). */
#define KM_PAID_IN 1u   /* a payment is dated in it */
#define KM_SIGNED_IN 2u /* signed in it */
#define KM_PAYS 4u      /* collected to date changed, or fully collected in it */
#define KM_FULL_IN 8u   /* fully collected in it (credits only) */

/* A person's scorecard in this run. */
struct score {
    const struct jx_plan *plan;        /* NULL: not scored */
    struct jx_rat *items;              /* score of each item of plan->scorecard */
    struct jx_rat *actuals;            /* actual of each ratio item (for the champion) */
    struct jx_rat kpi, qual, final;    /* exact */
    struct jx_rat kpi2, qual2, final2; /* rounded half-up to 2 decimals */
    int grade_before, grade;
    int rank, rank_in_unit;            /* 1-based, in the plan's group and within the unit */
    int unit_size;                     /* people of the group in the person's unit */
    const char *dist;                  /* the group's distribution, as the trace says it */
    bool champion;                     /* the group's champion (quarter runs) */
};

/* Counts over tickets (complaints) opened in the period. */
struct tickets {
    int64_t opened, resolved, rated, csat_sum, unsatisfied;
};

/*
 * The built-in variables that are sums over the period's rows, each with a
 * slot of its own in a subject's row of ctx.m (the others are worked out
 * from them): a row of 26 sums instead of one per variable.
 */
enum m_slot {
    MS_SALES,
    MS_SALES_FULLY_COLLECTED,
    MS_REVENUE_SIGNED,
    MS_RETURNS,
    MS_CONTRACTS_SIGNED,
    MS_COLLECTED,
    MS_RECEIVABLE_START,
    MS_NEW_CUSTOMERS,
    MS_AGENTS_SIGNED,
    MS_TEAM_COLLECTED,
    MS_TEAM_SALES,
    MS_VIOLATIONS,
    MS_MINOR_VIOLATIONS,
    MS_MEDIUM_VIOLATIONS,
    MS_SEVERE_VIOLATIONS,
    MS_VIOLATION_POINTS,
    MS_MEDIUM_VIOLATION_POINTS,
    MS_ABSENCES,
    MS_PERSONAL_LEAVES,
    MS_LATES,
    MS_COMPLAINTS,
    MS_LATE_REPORTS,
    MS_CONTACTS,
    MS_SALES_TRAILING_AVG,
    MS_SALES_PREV,
    MS_SALES_LAST_YEAR,
    M_COUNT
};

/* Each sum's slot + 1 (0: not a sum). */
static const uint8_t m_slot[JX_V_COUNT] = {
    [JX_V_SALES] = MS_SALES + 1,
    [JX_V_SALES_FULLY_COLLECTED] = MS_SALES_FULLY_COLLECTED + 1,
    [JX_V_REVENUE_SIGNED] = MS_REVENUE_SIGNED + 1,
    [JX_V_RETURNS] = MS_RETURNS + 1,
    [JX_V_CONTRACTS_SIGNED] = MS_CONTRACTS_SIGNED + 1,
    [JX_V_COLLECTED] = MS_COLLECTED + 1,
    [JX_V_RECEIVABLE_START] = MS_RECEIVABLE_START + 1,
    [JX_V_NEW_CUSTOMERS] = MS_NEW_CUSTOMERS + 1,
    [JX_V_AGENTS_SIGNED] = MS_AGENTS_SIGNED + 1,
    [JX_V_TEAM_COLLECTED] = MS_TEAM_COLLECTED + 1,
    [JX_V_TEAM_SALES] = MS_TEAM_SALES + 1,
    [JX_V_VIOLATIONS] = MS_VIOLATIONS + 1,
    [JX_V_MINOR_VIOLATIONS] = MS_MINOR_VIOLATIONS + 1,
    [JX_V_MEDIUM_VIOLATIONS] = MS_MEDIUM_VIOLATIONS + 1,
    [JX_V_SEVERE_VIOLATIONS] = MS_SEVERE_VIOLATIONS + 1,
    [JX_V_VIOLATION_POINTS] = MS_VIOLATION_POINTS + 1,
    [JX_V_MEDIUM_VIOLATION_POINTS] = MS_MEDIUM_VIOLATION_POINTS + 1,
    [JX_V_ABSENCES] = MS_ABSENCES + 1,
    [JX_V_PERSONAL_LEAVES] = MS_PERSONAL_LEAVES + 1,
    [JX_V_LATES] = MS_LATES + 1,
    [JX_V_COMPLAINTS] = MS_COMPLAINTS + 1,
    [JX_V_LATE_REPORTS] = MS_LATE_REPORTS + 1,
    [JX_V_CONTACTS] = MS_CONTACTS + 1,
    [JX_V_SALES_TRAILING_AVG] = MS_SALES_TRAILING_AVG + 1,
    [JX_V_SALES_PREV] = MS_SALES_PREV + 1,
    [JX_V_SALES_LAST_YEAR] = MS_SALES_LAST_YEAR + 1,
};

/* Variable v's slot in ctx.m (v must be one of the sums). */
static inline int ms(int v)
{
    assert(m_slot[v] != 0);
    return m_slot[v] - 1;
}

#define JX_SOURCE_CACHE 256 /* trace sources ("plan.yaml:12") made once each */
#define THREADS_MAX 8

struct ctx {
    const struct jx_plan *src_plan[JX_SOURCE_CACHE];
    int src_line[JX_SOURCE_CACHE];
    const char *src_text[JX_SOURCE_CACHE];
    const struct jx_run_input *in;
    const struct jx_data *d;
    bool uses[JX_V_COUNT]; /* the built-in variables the run's plans name: only these are
                              filled in, and what only unnamed ones need is not worked out */
    int used[JX_V_COUNT];  /* ... as a list */
    int nused;
    /*
     * Subjects: rows 0..np-1 are the people, then one row per unit (for team
     * scorecards), then one per agent or distributor when a plan scores them
     * (agents).  Every per-person array below has ns rows.
     */
    size_t np, nu, ns;
    bool agents;         /* a plan scores agents and distributors */
    bool teams;          /* a plan scores teams: the unit rows are summed */
    bool counts_served;  /* a plan names customers served (or the complaint rate over them) */
    int32_t *agent_row;  /* per customer: its row, or -1 (every one without agents) */
    const char **sid, **sname;
    int32_t *sunit;      /* the row's unit: a person's, the team itself, an agent's owner's */
    uint8_t *skind;      /* enum jx_subject */
    struct tickets *unit_sub; /* per unit: the tickets of the unit and below */
    struct jx_arena *arena;
    struct jx_err *err;
    struct jx_rat *vars;          /* one person's variables while they are computed */
    struct slot_text *texts;      /* per slot: its value as a trace last wrote it (this
                                     thread's, as vars) */
    size_t trace_hint;            /* trace lines of the last person finished: what the
                                     next one's first array holds (a plan gives everyone
                                     about as many) */
    int32_t start, end, prev_end; /* the period's first and last day, and the day before */
    char period_text[JX_PERIOD_BUFSZ];

    uint8_t *agent_busy;  /* per subject: an agent that signed or paid in the period */

    /* per person: credits of the contracts that did anything in the period (CSR, in
       contract order), metrics (fen x 10^9 or counts x 10^9) */
    uint32_t *credit0, *ncredits;
    uint32_t *credits;             /* credit numbers (credit_at()) */
    size_t ncredits_all;
    void *credit_mem[THREADS_MAX]; /* what holds them: a block per thread of the pass */
    size_t nparts;                 /* ... that many, each in contract order: */
    const struct credit *part_cr[THREADS_MAX]; /* part t's credits */
    int32_t *part_crp[THREADS_MAX];            /* ... and the person of each (until the
                                                  sweep is done) */
    size_t part_ncr[THREADS_MAX];
    struct swept *swept;           /* per person: commission paid by the sweep, or NULL */
    const struct sweep_plan *sweep_plans; /* what the sweep needs of each plan */
    size_t nsweep_plans;
    int32_t *credit_served;        /* per credit: its customer if signed or paid in P, else -1
                                      (counts_served only) */
    __int128 (*m)[M_COUNT]; /* built-in metrics that are sums, in their slots (ms()) */
    int32_t *first_signed;     /* first contract signed since hire, JX_NO_DATE if none */
    struct tickets *tk, *team_tk; /* tickets opened in P: own, and of the unit subtree */
    int64_t *served;           /* distinct customers served in P */
    uint32_t *ev0, *nev;       /* each person's events: rows ev0[p] .. ev0[p]+nev[p]-1 */
    int64_t (*rec)[4];         /* contacts in P: fields complete, required; follow-ups due, on time */

    /* ratings and targets of the period, per person (indexes into data) */
    uint32_t *rating0, *nratings, *rating_idx;
    uint32_t *target0, *ntargets, *target_idx;
    struct jx_strmap people_ids;

    /* scorecards of this run, per person (struct score below) */
    struct score *sc;
    const struct jx_plan *bands_plan; /* the plan whose grade bands bands_text describes */
    const char *bands_text;
    const struct jx_plan *labels_plan; /* the plan the item keys and labels below are of */
    const char **item_key, **item_label;
    const struct jx_plan *finishing; /* the scorecard finish_scores() is finishing */
    size_t finishing_n;              /* ... and the size of its group */

    /* output */
    struct jx_person_result *out;
    size_t nout;
    int32_t *out_of_person; /* person -> index in out, -1 */
};

/* ---- small helpers ---------------------------------------------------- */

/* A credit's number: its part of the pass in the top bits, its place in the part below. */
#define CREDIT_PLACE_BITS 29
_Static_assert(THREADS_MAX <= 1 << (32 - CREDIT_PLACE_BITS), "a part's number fits");

static inline const struct credit *credit_at(const struct ctx *c, uint32_t x)
{
    return &c->part_cr[x >> CREDIT_PLACE_BITS][x & ((UINT32_C(1) << CREDIT_PLACE_BITS) - 1)];
}

static enum jx_status oom(struct ctx *c)
{
    return jx_err_set(c->err, JX_ENOMEM, "out of memory in the engine");
}

#define NEW(c, ptr, n)                                                                             \
    do {                                                                                           \
        if (!((ptr) = jx_arena_calloc((c)->arena, (n) ? (n) : 1, sizeof *(ptr))))                  \
            return oom(c);                                                                         \
    } while (0)

/* num/den (den > 0) as an exact rational in lowest terms. */
static struct jx_rat jx_rat_make(__int128 num, __int128 den)
{
    return jx_rat_from_i128(num, den);
}

/* fen x 10^9 (or count x 10^9) to an exact rational, in yuan when money. */
static struct jx_rat metric_rat(__int128 v, bool money)
{
    return jx_rat_make(v, money ? (__int128)S9 * 100 : (__int128)S9);
}

static const char *fen_text(struct ctx *c, int64_t fen)
{
    char buf[JX_MONEY_BUFSZ];
    jx_money_format(fen, buf);
    return jx_arena_strndup(c->arena, buf, strlen(buf));
}

/* parts[0..n) one after the other, in the arena (no printf: a few per person). */
static const char *join(struct ctx *c, const char *const *parts, int n)
{
    size_t len[16], total = 0;
    assert(n <= 16);
    for (int i = 0; i < n; i++)
        total += len[i] = strlen(parts[i]);
    char *t = jx_arena_alloc(c->arena, total + 1), *at = t;
    if (!t)
        return NULL;
    for (int i = 0; i < n; i++) {
        memcpy(at, parts[i], len[i]);
        at += len[i];
    }
    *at = '\0';
    return t;
}

/* v in decimal into buf (at least 21 bytes); returns buf. */
static char *count_text(uint64_t v, char *buf)
{
    char tmp[21];
    size_t i = sizeof tmp;
    tmp[--i] = '\0';
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    memcpy(buf, tmp + i, sizeof tmp - i);
    return buf;
}

/* A decimal without trailing zeros ("8", "0.01", "2707.5"); returns its length. */
static size_t trim_zeros(char *num)
{
    size_t n = strlen(num);
    const char *dot = memchr(num, '.', n);
    if (!dot)
        return n;
    size_t at = (size_t)(dot - num);
    while (n > at + 1 && num[n - 1] == '0')
        n--;
    if (n == at + 1)
        n = at;
    num[n] = '\0';
    return n;
}

/* r to `digits` decimals, without trailing zeros. */
static const char *rat_text(struct ctx *c, struct jx_rat r, int digits)
{
    char buf[JX_RAT_BUFSZ];
    jx_rat_format(r, digits, buf);
    return jx_arena_strndup(c->arena, buf, trim_zeros(buf));
}

/* ---- threads for the passes over the data -------------------------------- */

#define PER_THREAD_MIN 2048     /* fewer people than this per core: one thread */
#define PER_THREAD_ROWS 65536   /* fewer contracts than this per core: one thread */

#define PER_THREAD_ASKED 1024 /* with a thread count asked for: at least this many each */

/* Threads for n items when each thread should have at least min of them. */
static size_t threads_for(const struct ctx *c, size_t n, size_t min)
{
    if (c->in->threads > 0 && min > PER_THREAD_ASKED)
        min = PER_THREAD_ASKED;
    long cores = c->in->threads > 0 ? c->in->threads : sysconf(_SC_NPROCESSORS_ONLN);
    size_t nt = cores > 1 ? (size_t)cores : 1;
    if (nt > THREADS_MAX)
        nt = THREADS_MAX;
    if (nt > n / min)
        nt = n / min;
    return nt ? nt : 1;
}

typedef void (*part_fn)(struct ctx *c, size_t lo, size_t hi, size_t t, void *arg);

struct part {
    part_fn fn;
    struct ctx *c;
    void *arg;
    size_t lo, hi, t;
    pthread_t tid;
    bool started;
};

static void *part_work(void *arg)
{
    struct part *w = arg;
    w->fn(w->c, w->lo, w->hi, w->t, w->arg);
    return NULL;
}

/*
 * fn over [0, n) in nt contiguous parts, part t on a thread of its own (part
 * 0 on this one, and any part a thread could not be made for).  fn only
 * reads c and writes what belongs to its part.
 */
static void in_parts(struct ctx *c, size_t n, size_t nt, part_fn fn, void *arg)
{
    struct part w[THREADS_MAX];
    for (size_t i = 0; i < nt; i++)
        w[i] = (struct part){fn, c, arg, n * i / nt, n * (i + 1) / nt, i, 0, false};
    for (size_t i = 1; i < nt; i++)
        w[i].started = pthread_create(&w[i].tid, NULL, part_work, &w[i]) == 0;
    for (size_t i = 0; i < nt; i++)
        if (i == 0 || !w[i].started)
            part_work(&w[i]);
    for (size_t i = 1; i < nt; i++)
        if (w[i].started)
            pthread_join(w[i].tid, NULL);
}

/* ---- pass 1: contracts ------------------------------------------------ */

struct event {
    int32_t date;
    int64_t collected; /* change of collected */
    int64_t returned;  /* change of returns */
};

/* A contract's events, in a buffer that grows and is reused from contract to contract. */
struct events {
    struct event *ev;
    size_t n, cap;
};

static bool push_event(struct events *e, struct event x)
{
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 16;
        struct event *e2 = jx_realloc(e->ev, cap * sizeof *e2);
        if (!e2)
            return false;
        e->ev = e2;
        e->cap = cap;
    }
    e->ev[e->n++] = x;
    return true;
}

/* Sort a contract's few events by date (stable; mostly in order already). */
static void sort_events(struct event *ev, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct event e = ev[i];
        size_t j = i;
        for (; j > 0 && ev[j - 1].date > e.date; j--)
            ev[j] = ev[j - 1];
        ev[j] = e;
    }
}

static bool in_period(const struct ctx *c, int32_t date)
{
    return date != JX_NO_DATE && date >= c->start && date <= c->end;
}

/* First index of sorted a[0..n) at or above v. */
static size_t lower_bound(const int32_t *a, size_t n, int32_t v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Collected to date, capped by revenue net of returns, and never below 0. */
static int64_t capped(int64_t rev, int64_t ret, int64_t col)
{
    int64_t m = rev - ret < col ? rev - ret : col;
    return m < 0 ? 0 : m;
}

/* A contract at the ends of the previous period (S) and of this one (E), fen. */
struct kstate {
    int64_t col_s, col_e, ret_s, ret_e;
    int32_t full;  /* the day it became fully collected, or JX_NO_DATE */
    uint8_t mark;  /* KM_* */
};

/*
 * contract_state() for the usual contract: no returns, and its payments still
 * in date order with deposits moved to the acceptance date, so they are
 * walked where they lie (the same sums, in the same order, as the events
 * sorted).  False, with *np unmoved, for any other contract.
 */
static bool simple_state(const struct ctx *c, size_t i, size_t *np, const size_t *nr,
                         struct kstate *ks)
{
    const struct jx_data *d = c->d;
    const struct jx_payments *pm = &d->payments;
    const struct jx_contracts *k = &d->contracts;
    if (*nr < d->returns.n && d->returns.contract[*nr] == (int32_t)i)
        return false;
    int64_t col = 0, col_e = 0, col_s = 0, rev = k->revenue[i];
    int32_t acc = k->acceptance_date[i], day = JX_NO_DATE;
    int32_t full = k->flags[i] & JX_CF_CREDIT_APPROVED ? k->signed_date[i] : JX_NO_DATE;
    uint8_t mark = in_period(c, k->signed_date[i]) ? KM_SIGNED_IN : 0;
    size_t j = *np;
    for (; j < pm->n && pm->contract[j] == (int32_t)i; j++) {
        int32_t date = pm->date[j];
        int64_t amt = pm->amount[j];
        if (in_period(c, date))
            mark |= KM_PAID_IN;
        if (pm->kind[j] == JX_PAY_DEPOSIT) {
            if (acc == JX_NO_DATE)
                continue;
            if (acc > date)
                date = acc;
        } else if (pm->kind[j] == JX_PAY_REFUND) {
            amt = -amt;
        }
        if (date < day)
            return false; /* a deposit moved past a later payment: sort them */
        if (date != day && full == JX_NO_DATE && day != JX_NO_DATE && rev > 0 && col >= rev)
            full = day; /* the end of the day before this one */
        day = date;
        col += amt;
        if (date <= c->end)
            col_e = col;
        if (date <= c->prev_end)
            col_s = col;
    }
    if (full == JX_NO_DATE && day != JX_NO_DATE && rev > 0 && col >= rev)
        full = day;
    *np = j;
    *ks = (struct kstate){.col_s = col_s, .col_e = col_e, .full = full, .mark = mark};
    if (in_period(c, full) || (rev > 0 && capped(rev, 0, col_e) != capped(rev, 0, col_s)))
        ks->mark |= KM_PAYS;
    return true;
}

/*
 * Contract i: collected and returned to the ends of the period and of the
 * previous period, and the date it became fully collected: the first day
 * at whose end collected >= revenue - returns > 0.  Deposits count from the
 * acceptance date (never without one); refunds count negative.  Its
 * payments start at *np and its returns at *nr (both sorted by contract);
 * both move past them.  False when memory ran out.
 */
static bool contract_state(const struct ctx *c, size_t i, size_t *np, size_t *nr,
                           struct events *eb, struct kstate *ks)
{
    const struct jx_data *d = c->d;
    const struct jx_contracts *k = &d->contracts;
    if (simple_state(c, i, np, nr, ks))
        return true;
    eb->n = 0;
    *ks = (struct kstate){.full = JX_NO_DATE,
                          .mark = in_period(c, k->signed_date[i]) ? KM_SIGNED_IN : 0};
    for (; *np < d->payments.n && d->payments.contract[*np] == (int32_t)i; ++*np) {
        int32_t date = d->payments.date[*np];
        int64_t amt = d->payments.amount[*np];
        if (in_period(c, date))
            ks->mark |= KM_PAID_IN;
        if (d->payments.kind[*np] == JX_PAY_DEPOSIT) {
            if (k->acceptance_date[i] == JX_NO_DATE)
                continue;
            if (k->acceptance_date[i] > date)
                date = k->acceptance_date[i];
        } else if (d->payments.kind[*np] == JX_PAY_REFUND) {
            amt = -amt;
        }
        if (!push_event(eb, (struct event){date, amt, 0}))
            return false;
    }
    for (; *nr < d->returns.n && d->returns.contract[*nr] == (int32_t)i; ++*nr)
        if (!push_event(eb, (struct event){d->returns.date[*nr], 0, d->returns.amount[*nr]}))
            return false;
    struct event *ev = eb->ev;
    size_t n = eb->n;
    sort_events(ev, n);

    int64_t col = 0, ret = 0, rev = k->revenue[i];
    if (k->flags[i] & JX_CF_CREDIT_APPROVED)
        ks->full = k->signed_date[i];
    for (size_t j = 0; j < n; j++) {
        col += ev[j].collected;
        ret += ev[j].returned;
        if (ev[j].date <= c->end) {
            ks->col_e = col;
            ks->ret_e = ret;
        }
        if (ev[j].date <= c->prev_end) {
            ks->col_s = col;
            ks->ret_s = ret;
        }
        bool day_done = j + 1 == n || ev[j + 1].date != ev[j].date;
        if (ks->full == JX_NO_DATE && day_done && rev - ret > 0 && col >= rev - ret)
            ks->full = ev[j].date;
    }
    if (in_period(c, ks->full) ||
        (rev > 0 && capped(rev, ks->ret_e, ks->col_e) != capped(rev, ks->ret_s, ks->col_s)))
        ks->mark |= KM_PAYS;
    return true;
}

/* ---- pass 2: credits and metrics ------------------------------------- */

/* Call fn for each (person, share) a contract is credited to. */
#define FOR_CREDITS(d, k, person_, share_, ...)                                                   \
    do {                                                                                           \
        const struct jx_contracts *kk_ = &(d)->contracts;                                          \
        if (kk_->nsplits[k] == 0) {                                                                \
            int32_t person_ = kk_->person[k];                                                      \
            int64_t share_ = S9;                                                                   \
            __VA_ARGS__                                                                            \
        } else {                                                                                   \
            for (uint32_t s_ = kk_->split0[k]; s_ < kk_->split0[k] + kk_->nsplits[k]; s_++) {      \
                int32_t person_ = (d)->splits.person[s_];                                          \
                int64_t share_ = (d)->splits.share[s_];                                            \
                __VA_ARGS__                                                                        \
            }                                                                                      \
        }                                                                                          \
    } while (0)

/* The subject rows: people, then units, then agents and distributors. */
static enum jx_status setup_subjects(struct ctx *c)
{
    const struct jx_data *d = c->d;
    size_t na = 0;
    c->np = d->people.n;
    c->nu = d->units.n;
    NEW(c, c->agent_row, d->customers.n);
    for (size_t i = 0; i < d->customers.n; i++)
        c->agent_row[i] = c->agents && d->customers.kind[i] != JX_CK_CUSTOMER
                              ? (int32_t)(c->np + c->nu + na++)
                              : -1;
    c->ns = c->np + c->nu + na;
    NEW(c, c->sid, c->ns);
    NEW(c, c->sname, c->ns);
    NEW(c, c->sunit, c->ns);
    NEW(c, c->skind, c->ns);
    for (size_t p = 0; p < c->np; p++) {
        c->sid[p] = d->people.id[p];
        c->sname[p] = d->people.name[p];
        c->sunit[p] = d->people.unit[p];
        c->skind[p] = JX_SUBJECT_PERSON;
    }
    for (size_t u = 0; u < c->nu; u++) {
        c->sid[c->np + u] = d->units.id[u];
        c->sname[c->np + u] = d->units.name[u];
        c->sunit[c->np + u] = (int32_t)u;
        c->skind[c->np + u] = JX_SUBJECT_TEAM;
    }
    for (size_t i = 0; i < d->customers.n; i++) {
        int32_t r = c->agent_row[i];
        if (r < 0)
            continue;
        int32_t owner = d->customers.owner[i];
        c->sid[r] = d->customers.id[i];
        c->sname[r] = d->customers.name[i];
        c->sunit[r] = owner >= 0 ? d->people.unit[owner] : -1;
        c->skind[r] = JX_SUBJECT_AGENT;
    }
    return JX_OK;
}

/*
 * What the contracts credit to a subject, summed by pass 2 per subject and
 * thread, then added to the metrics.  A contract credited whole (no split,
 * or an agent) adds its fen to a row of int64 sums, which holds everything
 * else the pass keeps of the subject too: one cache line per subject, so the
 * pass's random visits to it each miss once.  Split shares (fen x share
 * 10^9), any whole sum that would pass INT64_MAX, and the sales windows (few
 * plans ask for them) go to a row of 128-bit sums.  Sums of integers: the
 * order does not matter.
 */
enum { A_REVENUE_SIGNED, A_RETURNS, A_COLLECTED, A_RECEIVABLE_START, A_SALES_FULLY_COLLECTED,
       A_WINDOW, A_COUNT = A_WINDOW + 3, A_SIGNED = A_COUNT /* the 128-bit rows only */ };

static const int acc_metric[A_WINDOW] = {JX_V_REVENUE_SIGNED, JX_V_RETURNS, JX_V_COLLECTED,
                                         JX_V_RECEIVABLE_START, JX_V_SALES_FULLY_COLLECTED};

struct whole_row {
    _Alignas(64) int64_t v[A_WINDOW];
    uint32_t nsigned; /* contracts signed in the period, whole */
    int32_t first;    /* a person's first contract signed since hire, or JX_NO_DATE */
    int32_t hire;     /* a person's hire date (people.hire_date, at hand) */
    uint32_t at;      /* a person's credits in cr; then where the next goes */
    uint8_t busy;     /* an agent that signed or paid in the period */
};

_Static_assert(sizeof(struct whole_row) == 64, "a row is one cache line");

/* Sales (revenue signed - returns) dated from..to, into metric slot. */
struct window {
    int32_t from, to;
    int slot;
};

struct pass2_part {
    struct whole_row *whole;      /* per subject: whole credits, fen */
    void *whole_mem;              /* what holds them */
    __int128 (*acc)[A_COUNT + 1]; /* per person: split shares, and whole sums beyond int64 */
    __int128 (*acc_more)[A_COUNT + 1]; /* the same for the other subjects (whole sums beyond
                                          int64 only), made when first needed */
    size_t np, ns;
    int32_t *first_date;          /* per customer: its first contract's date, or INT32_MAX */
    int32_t *first_idx;           /* ... and index (half the bytes of a first_key() each) */
    struct credit *cr;            /* credits of the contracts that moved, in contract order */
    void *cr_mem;                 /* what holds them (cr aligned to 64 bytes) */
    int32_t *crp;                 /* the person of each */
    int32_t *crs;                 /* the customer of each signed or paid in P, else -1
                                     (only when customers served are counted) */
    size_t ncr, cap;
    bool failed;
};

struct pass2 {
    const struct window *win;
    int nwin;
    size_t nt;
    struct pass2_part t[THREADS_MAX];
};

/* Contract ki's figures for the period, fen, as a whole credit adds them (v[A_*]). */
static void contract_figures(const struct ctx *c, int32_t ki, const struct kstate *ks,
                             const struct pass2 *p2, int64_t v[A_COUNT])
{
    const struct jx_contracts *k = &c->d->contracts;
    int64_t rev = k->revenue[ki];
    int32_t sd = k->signed_date[ki], f = ks->full;
    v[A_REVENUE_SIGNED] = in_period(c, sd) ? rev : 0;
    v[A_RETURNS] = ks->ret_e - ks->ret_s;
    v[A_COLLECTED] = ks->col_e - ks->col_s;
    v[A_RECEIVABLE_START] = sd <= c->prev_end ? rev - ks->ret_s - ks->col_s : 0;
    v[A_SALES_FULLY_COLLECTED] = in_period(c, f)                       ? rev - ks->ret_e
                                 : f != JX_NO_DATE && f < c->start ? -(ks->ret_e - ks->ret_s)
                                                                   : 0;
    for (int w = 0; w < 3; w++)
        v[A_WINDOW + w] =
            w < p2->nwin && sd >= p2->win[w].from && sd <= p2->win[w].to ? rev : 0;
}

/* Subject r's row of 128-bit sums (made when first needed for one not a person), or NULL. */
static __int128 *wide_row(struct pass2_part *me, int32_t r)
{
    if ((size_t)r < me->np)
        return me->acc[r];
    if (me->acc_more || (me->acc_more = jx_calloc(me->ns - me->np, sizeof *me->acc_more)))
        return me->acc_more[(size_t)r - me->np];
    me->failed = true;
    return NULL;
}

/* add_whole() past the usual case: the sums one by one, those that would overflow int64 to
   the 128-bit rows. */
static __attribute__((noinline)) void add_whole_wide(struct pass2_part *me, int32_t r,
                                                     const int64_t v[A_COUNT])
{
    int64_t *w = me->whole[r].v;
    for (int i = 0; i < A_WINDOW; i++) {
        int64_t t;
        __int128 *a;
        if (!__builtin_add_overflow(w[i], v[i], &t))
            w[i] = t;
        else if ((a = wide_row(me, r)))
            a[i] += (__int128)S9 * v[i];
    }
}

/* The sales windows of a whole credit, to the 128-bit rows. */
static __attribute__((noinline)) void add_windows(struct pass2_part *me, int32_t r,
                                                  const int64_t v[A_COUNT], int nwin)
{
    __int128 *a = wide_row(me, r);
    for (int i = A_WINDOW; a && i < A_WINDOW + nwin; i++)
        a[i] += (__int128)S9 * v[i];
}

/* A whole credit of figures v to subject r (inline: v stays in registers). */
static inline __attribute__((always_inline)) void add_whole(struct pass2_part *me, int32_t r,
                                                            const int64_t v[A_COUNT],
                                                            bool signed_in, int nwin)
{
    int64_t *w = me->whole[r].v;
    /* the usual case, every sum at once without a branch each: a sum overflowed when its
       two terms have one sign and the result the other */
    uint64_t sum[A_WINDOW], over = 0;
    for (int i = 0; i < A_WINDOW; i++) {
        sum[i] = (uint64_t)w[i] + (uint64_t)v[i];
        over |= ((uint64_t)w[i] ^ sum[i]) & ((uint64_t)v[i] ^ sum[i]);
    }
    if (!(over >> 63))
        memcpy(w, sum, sizeof sum);
    else
        add_whole_wide(me, r, v);
    if (nwin)
        add_windows(me, r, v, nwin);
    if (signed_in)
        me->whole[r].nsigned++;
}

/* A credit of figures v with share s (10^9) to subject r. */
static void add_share(struct pass2_part *me, int32_t r, const int64_t v[A_COUNT], bool signed_in,
                      int64_t s)
{
    assert((size_t)r < me->np); /* split shares are people's */
    for (int i = 0; i < A_COUNT; i++)
        me->acc[r][i] += (__int128)s * v[i];
    me->acc[r][A_SIGNED] += signed_in ? s : 0;
}

#define PREFETCH 16 /* contracts ahead */

/*
 * Write credit x to its line at to, past the caches where the machine can: the
 * pay rules read it much later, and a plain store would first read the line.
 */
static inline void put_credit(struct credit *to, const struct credit *x)
{
#if defined(__SSE2__)
    const __m128i *from = (const __m128i *)(const void *)x;
    __m128i *line = (__m128i *)(void *)to;
    for (int i = 0; i < 2; i++)
        _mm_stream_si128(&line[i], _mm_loadu_si128(&from[i]));
#else
    *to = *x;
#endif
}

/* Room in part me for one more credit; blocks aligned to a cache line, doubled as they fill. */
static bool credit_room(struct pass2_part *me, size_t first_cap, bool served)
{
    if (me->ncr < me->cap)
        return true;
    size_t cap = me->cap ? me->cap * 2 : first_cap;
    int32_t *crp = jx_realloc(me->crp, cap * sizeof *crp);
    if (crp)
        me->crp = crp;
    int32_t *crs = served ? jx_realloc(me->crs, cap * sizeof *crs) : NULL;
    if (crs)
        me->crs = crs;
    if (!crp || (served && !crs))
        return false;
    void *mem = jx_malloc(cap * sizeof *me->cr + 64);
    if (!mem)
        return false;
    struct credit *cr = (struct credit *)(((uintptr_t)mem + 63) & ~(uintptr_t)63);
    if (me->ncr)
        memcpy(cr, me->cr, me->ncr * sizeof *cr);
    free(me->cr_mem);
    me->cr_mem = mem;
    me->cr = cr;
    me->cap = cap;
    return true;
}

/* A customer's first contract is the one of least key: earliest signed, then smallest id. */
static int64_t first_key(int32_t signed_date, size_t ki)
{
    return (int64_t)signed_date * ((int64_t)1 << 32) + (int64_t)ki;
}

/* Part me's sums and lists, made by the thread that fills them; false when memory ran out. */
static bool part_open(const struct ctx *c, struct pass2_part *me, bool firsts)
{
    size_t ns = c->ns, np = c->np, ncu = c->d->customers.n;
    me->whole_mem = jx_calloc(ns + 1, sizeof *me->whole);
    me->whole = (struct whole_row *)(((uintptr_t)me->whole_mem + sizeof *me->whole - 1) &
                                     ~(uintptr_t)(sizeof *me->whole - 1));
    me->np = np;
    me->ns = ns;
    me->acc = jx_calloc(np ? np : 1, sizeof *me->acc);
    if (firsts) {
        me->first_date = jx_malloc((ncu ? ncu : 1) * sizeof *me->first_date);
        me->first_idx = jx_malloc((ncu ? ncu : 1) * sizeof *me->first_idx);
    }
    if (!me->whole_mem || !me->acc || (firsts && (!me->first_date || !me->first_idx)))
        return false;
    for (size_t p = 0; p < np; p++) {
        me->whole[p].first = JX_NO_DATE;
        me->whole[p].hire = c->d->people.hire_date[p];
    }
    for (size_t cu = 0; firsts && cu < ncu; cu++)
        me->first_date[cu] = INT32_MAX;
    return true;
}

/*
 * The pass over contracts lo..hi: each one's state (contract_state()), then
 * its credits to people and agents.
 */
static void credit_part(struct ctx *c, size_t lo, size_t hi, size_t t, void *arg)
{
    struct pass2 *p2 = arg;
    const struct jx_data *d = c->d;
    const struct jx_contracts *k = &d->contracts;
    struct pass2_part *me = &p2->t[t];
    bool firsts = c->uses[JX_V_NEW_CUSTOMERS]; /* each customer's first contract, for it */
    if (!part_open(c, me, firsts)) {
        me->failed = true;
        return;
    }
    size_t np = lower_bound(d->payments.contract, d->payments.n, (int32_t)lo);
    size_t nr = lower_bound(d->returns.contract, d->returns.n, (int32_t)lo);
    struct events eb = {0};
    for (size_t ki = lo; ki < hi && !me->failed; ki++) {
        int32_t sd = k->signed_date[ki];
        struct kstate ks;
        if (!contract_state(c, ki, &np, &nr, &eb, &ks)) {
            me->failed = true;
            break;
        }
        /* the rows a contract further on adds to: its agent's row number two
           strides ahead, then the rows themselves one stride ahead */
        if (c->agents && ki + 2 * PREFETCH < hi && k->customer[ki + 2 * PREFETCH] >= 0)
            __builtin_prefetch(&c->agent_row[k->customer[ki + 2 * PREFETCH]], 0);
        if (ki + PREFETCH < hi) {
            int32_t pp = k->person[ki + PREFETCH], cu = k->customer[ki + PREFETCH];
            if (k->nsplits[ki + PREFETCH]) { /* split shares go to the 128-bit rows */
                for (uint32_t s = k->split0[ki + PREFETCH];
                     s < k->split0[ki + PREFETCH] + k->nsplits[ki + PREFETCH]; s++)
                    if (d->splits.person[s] >= 0) {
                        const char *row = (const char *)me->acc[d->splits.person[s]];
                        __builtin_prefetch(row, 1);
                        __builtin_prefetch(row + 64, 1);
                        __builtin_prefetch(row + 128, 1);
                    }
            } else if (pp >= 0) {
                __builtin_prefetch(&me->whole[pp], 1);
            }
            if (firsts && cu >= 0)
                __builtin_prefetch(&me->first_date[cu], 1);
            if (c->agents && cu >= 0 && c->agent_row[cu] >= 0)
                __builtin_prefetch(&me->whole[c->agent_row[cu]], 1);
        }
        int32_t cu = k->customer[ki];
        if (firsts && cu >= 0 && sd < me->first_date[cu]) { /* in order: a tie keeps the first */
            me->first_date[cu] = sd;
            me->first_idx[cu] = (int32_t)ki;
        }
        int64_t v[A_COUNT];
        bool signed_in = in_period(c, sd);
        contract_figures(c, (int32_t)ki, &ks, p2, v);
        FOR_CREDITS(d, ki, p, s, {
            if (p >= 0) {
                struct whole_row *row = &me->whole[p];
                if (s == S9)
                    add_whole(me, p, v, signed_in, p2->nwin);
                else
                    add_share(me, p, v, signed_in, s);
                if (sd >= row->hire && sd <= c->end &&
                    (row->first == JX_NO_DATE || sd < row->first))
                    row->first = sd;
                if (ks.mark) {
                    /* room first for half the contracts (bench/pay: 4 in 10 move), then
                       more: memory set aside and never written still keeps later work out
                       of what the load freed, and new memory costs a page fault a page */
                    if (!credit_room(me, (hi - lo) / 2 + 4096, c->counts_served)) {
                        me->failed = true;
                        break;
                    }
                    int64_t rev = k->revenue[ki];
                    me->crp[me->ncr] = p;
                    if (c->counts_served)
                        me->crs[me->ncr] = ks.mark & (KM_SIGNED_IN | KM_PAID_IN) ? cu : -1;
                    put_credit(&me->cr[me->ncr++], &(struct credit){
                        .share = s,
                        .m_e = capped(rev, ks.ret_e, ks.col_e),
                        .m_s = capped(rev, ks.ret_s, ks.col_s),
                        .contract = (int32_t)ki,
                        .flags = (uint8_t)k->flags[ki],
                        .marks = (uint8_t)(ks.mark | (in_period(c, ks.full) ? KM_FULL_IN : 0))});
                    row->at++;
                }
            }
        });
        int32_t a = c->agents && cu >= 0 ? c->agent_row[cu] : -1;
        if (a >= 0) {
            add_whole(me, a, v, signed_in, p2->nwin);
            if (ks.mark & (KM_SIGNED_IN | KM_PAID_IN))
                me->whole[a].busy = 1;
        }
    }
#if defined(__SSE2__)
    _mm_sfence(); /* the credits' streamed stores done before the part ends */
#endif
    free(eb.ev);
}

/* The returns dated in each window, against the sales of the contract's people and agent. */
static void window_returns(struct ctx *c, const struct window *win, int nwin)
{
    const struct jx_data *d = c->d;
    const struct jx_contracts *k = &d->contracts;
    for (size_t i = 0; i < d->returns.n; i++) {
        int32_t ki = d->returns.contract[i];
        for (int w = 0; w < nwin; w++) {
            if (d->returns.date[i] < win[w].from || d->returns.date[i] > win[w].to)
                continue;
            FOR_CREDITS(d, ki, p, s, {
                if (p >= 0)
                    c->m[p][ms(win[w].slot)] -= (__int128)s * d->returns.amount[i];
            });
            int32_t a = k->customer[ki] >= 0 ? c->agent_row[k->customer[ki]] : -1;
            if (a >= 0)
                c->m[a][ms(win[w].slot)] -= (__int128)S9 * d->returns.amount[i];
        }
    }
}

/*
 * Sales (revenue signed - returns) dated from..to into metric slot of every
 * row: people by credit share, agents as the customer (the dashboard's months).
 */
static void window_sales(struct ctx *c, int32_t from, int32_t to, int slot)
{
    const struct jx_data *d = c->d;
    const struct jx_contracts *k = &d->contracts;
    struct window w = {from, to, slot};
    for (size_t ki = 0; ki < k->n; ki++) {
        if (k->signed_date[ki] < from || k->signed_date[ki] > to)
            continue;
        FOR_CREDITS(d, ki, p, s, {
            if (p >= 0)
                c->m[p][ms(slot)] += (__int128)s * k->revenue[ki];
        });
        int32_t a = k->customer[ki] >= 0 ? c->agent_row[k->customer[ki]] : -1;
        if (a >= 0)
            c->m[a][ms(slot)] += (__int128)S9 * k->revenue[ki];
    }
    window_returns(c, &w, 1);
}

/* Rows lo..hi of the metrics: cleared, then every part's sums of them added. */
static void merge_rows(struct ctx *c, size_t lo, size_t hi, size_t t, void *arg)
{
    const struct pass2 *p2 = arg;
    (void)t;
    for (size_t r = lo; r < hi; r++) {
        __int128 *m = c->m[r];
        memset(m, 0, sizeof *c->m);
        for (size_t i = 0; i < p2->nt; i++) {
            const struct pass2_part *pt = &p2->t[i];
            static const __int128 none[A_COUNT + 1];
            const __int128 *a = r < c->np      ? pt->acc[r]
                                : pt->acc_more ? pt->acc_more[r - c->np]
                                               : none;
            const struct whole_row *w = &pt->whole[r];
            for (int j = 0; j < A_WINDOW; j++)
                m[ms(acc_metric[j])] += (__int128)S9 * w->v[j] + a[j];
            for (int j = 0; j < p2->nwin; j++)
                m[ms(p2->win[j].slot)] += a[A_WINDOW + j];
            m[ms(JX_V_CONTRACTS_SIGNED)] += (__int128)S9 * w->nsigned + a[A_SIGNED];
            c->agent_busy[r] |= w->busy;
        }
    }
}

/* Part t's credits to their places in each person's list. */
static void place_credits(struct ctx *c, size_t lo, size_t hi, size_t t, void *arg)
{
    struct pass2_part *me = &((struct pass2 *)arg)->t[t];
    (void)lo, (void)hi;
    for (size_t j = 0; j < me->ncr; j++) {
        uint32_t at = me->whole[me->crp[j]].at++;
        c->credits[at] = (uint32_t)(t << CREDIT_PLACE_BITS | j);
        if (c->counts_served)
            c->credit_served[at] = me->crs[j];
    }
}

/*
 * Pass 2: every contract credited to its people (by split share) and agent,
 * on every core; the credits of the contracts that did anything in the
 * period kept per person, in contract order, for the pay rules.
 */
static enum jx_status credit_contracts(struct ctx *c, const struct window *win, int nwin,
                                       int64_t *first)
{
    const struct jx_data *d = c->d;
    size_t nk = d->contracts.n, ns = c->ns, np = c->np, total = 0;
    size_t nt = threads_for(c, nk, PER_THREAD_ROWS);
    struct pass2 p2 = {.win = win, .nwin = nwin};
    enum jx_status st = JX_OK;
    NEW(c, c->agent_busy, ns);
    size_t ncu = d->customers.n;
    p2.nt = nt;
    in_parts(c, nk, nt, credit_part, &p2);
    for (size_t t = 0; t < nt; t++)
        if (p2.t[t].failed) {
            st = oom(c);
            goto done;
        }
    in_parts(c, ns, nt, merge_rows, &p2);
    for (size_t t = 0; t < nt; t++) {
        const struct pass2_part *pt = &p2.t[t];
        if (pt->ncr >> CREDIT_PLACE_BITS || total + pt->ncr > UINT32_MAX) {
            st = jx_err_set(c->err, JX_ERANGE, "too many contracts moved in the period");
            goto done;
        }
        total += pt->ncr;
        for (size_t p = 0; p < np; p++) {
            int32_t f = pt->whole[p].first;
            if (f != JX_NO_DATE && (c->first_signed[p] == JX_NO_DATE || f < c->first_signed[p]))
                c->first_signed[p] = f;
        }
        for (size_t cu = 0; pt->first_date && cu < ncu; cu++)
            if (pt->first_date[cu] != INT32_MAX &&
                first_key(pt->first_date[cu], (size_t)pt->first_idx[cu]) < first[cu])
                first[cu] = first_key(pt->first_date[cu], (size_t)pt->first_idx[cu]);
    }
    /* the kept credits, grouped by person: each part's are in contract order, and go
       after those of the parts before it (a part's at[p] becomes where its next goes) */
    /* not cleared: the loop below writes every person's offsets, place_credits() every
       credit's place */
    if (!(c->credit0 = jx_arena_array(c->arena, np ? np : 1, sizeof *c->credit0)) ||
        !(c->ncredits = jx_arena_array(c->arena, np ? np : 1, sizeof *c->ncredits)) ||
        !(c->credits = jx_arena_array(c->arena, total ? total : 1, sizeof *c->credits)) ||
        (c->counts_served && !(c->credit_served = jx_arena_array(c->arena, total ? total : 1,
                                                                  sizeof *c->credit_served)))) {
        st = oom(c);
        goto done;
    }
    c->ncredits_all = total;
    for (size_t p = 0, at = 0; p < np; p++) {
        c->credit0[p] = (uint32_t)at;
        for (size_t t = 0; t < nt; t++) {
            uint32_t n = p2.t[t].whole[p].at;
            p2.t[t].whole[p].at = (uint32_t)at;
            at += n;
        }
        c->ncredits[p] = (uint32_t)(at - c->credit0[p]);
    }
    in_parts(c, nt, nt, place_credits, &p2);
    c->nparts = nt;
    for (size_t t = 0; t < nt; t++) { /* the credits stay for the pay rules */
        c->credit_mem[t] = p2.t[t].cr_mem;
        c->part_cr[t] = p2.t[t].cr;
        c->part_crp[t] = p2.t[t].crp;
        c->part_ncr[t] = p2.t[t].ncr;
        p2.t[t].cr_mem = NULL;
        p2.t[t].crp = NULL;
    }
    window_returns(c, win, nwin);
done:
    for (size_t t = 0; t < nt; t++) {
        free(p2.t[t].whole_mem);
        free(p2.t[t].acc);
        free(p2.t[t].acc_more);
        free(p2.t[t].first_date);
        free(p2.t[t].first_idx);
        free(p2.t[t].cr_mem);
        free(p2.t[t].crp);
        free(p2.t[t].crs);
    }
    return st;
}

static enum jx_status compute_metrics(struct ctx *c, const struct jx_rat *new_customer_min)
{
    const struct jx_data *d = c->d;
    const struct jx_contracts *k = &d->contracts;
    size_t np = d->people.n;
    int64_t *first = NULL; /* per customer: first contract, first_key() (new customers) */
    enum jx_status st;

    /* not cleared here: merge_rows() clears each row before it adds to it, on every core */
    if (!(c->m = jx_arena_array(c->arena, c->ns ? c->ns : 1, sizeof *c->m)))
        return oom(c);
    NEW(c, c->first_signed, c->ns);
    for (size_t p = 0; p < c->ns; p++)
        c->first_signed[p] = JX_NO_DATE;
    if (c->uses[JX_V_NEW_CUSTOMERS]) {
        NEW(c, first, d->customers.n);
        for (size_t cu = 0; cu < d->customers.n; cu++)
            first[cu] = INT64_MAX;
    }

    /* Sales over the 3 months before a monthly period, for the trailing average; sales of
       the previous period and of the same period a year before, for growth. */
    struct window win[3];
    int nwin = 0;
    const bool *u = c->uses; /* the windows only the variables that need them ask for */
    if (c->in->period.kind == JX_PERIOD_MONTH && u[JX_V_SALES_TRAILING_AVG]) {
        struct jx_period w = c->in->period;
        for (int i = 0; i < 3; i++)
            w = jx_period_prev(&w);
        win[nwin++] = (struct window){jx_period_first(&w), c->prev_end, JX_V_SALES_TRAILING_AVG};
    }
    struct jx_period prev = jx_period_prev(&c->in->period), ly = c->in->period;
    ly.year--;
    if (u[JX_V_SALES_PREV] || u[JX_V_GROWTH_QOQ])
        win[nwin++] =
            (struct window){jx_period_first(&prev), jx_period_last(&prev), JX_V_SALES_PREV};
    if (u[JX_V_SALES_LAST_YEAR] || u[JX_V_GROWTH_YOY])
        win[nwin++] =
            (struct window){jx_period_first(&ly), jx_period_last(&ly), JX_V_SALES_LAST_YEAR};
    if ((st = credit_contracts(c, win, nwin, first)))
        return st;
    for (size_t p = 0; p < np; p++)
        c->m[p][ms(JX_V_SALES)] = c->m[p][ms(JX_V_REVENUE_SIGNED)] - c->m[p][ms(JX_V_RETURNS)];
    for (size_t cu = 0; c->agents && cu < d->customers.n; cu++) {
        int32_t a = c->agent_row[cu];
        if (a >= 0)
            c->m[a][ms(JX_V_SALES)] = c->m[a][ms(JX_V_REVENUE_SIGNED)] - c->m[a][ms(JX_V_RETURNS)];
    }
    /* New customers: credited to the person of the customer's first contract. */
    for (size_t cu = 0; first && cu < d->customers.n; cu++) {
        int32_t f = first[cu] == INT64_MAX ? -1 : (int32_t)(first[cu] & 0xffffffff);
        if (f < 0 || !in_period(c, k->signed_date[f]) || k->person[f] < 0)
            continue;
        if (jx_rat_cmp(jx_rat_make(k->revenue[f], 100), *new_customer_min) >= 0)
            c->m[k->person[f]][ms(JX_V_NEW_CUSTOMERS)] += S9;
    }
    for (size_t cu = 0; c->uses[JX_V_AGENTS_SIGNED] && cu < d->customers.n; cu++)
        if (d->customers.kind[cu] != JX_CK_CUSTOMER && in_period(c, d->customers.signed_date[cu]) &&
            d->customers.owner[cu] >= 0)
            c->m[d->customers.owner[cu]][ms(JX_V_AGENTS_SIGNED)] += S9;
    /* Team figures: add each person's collected and sales to every manager above. */
    for (size_t p = 0; p < np; p++) {
        c->m[p][ms(JX_V_TEAM_SALES)] += c->m[p][ms(JX_V_SALES)];
        int depth = 0;
        for (int32_t q = d->people.manager[p]; q >= 0 && depth < 64;
             q = d->people.manager[q], depth++) {
            if ((size_t)q == p)
                break; /* a cycle in the manager chain */
            c->m[q][ms(JX_V_TEAM_COLLECTED)] += c->m[p][ms(JX_V_COLLECTED)];
            c->m[q][ms(JX_V_TEAM_SALES)] += c->m[p][ms(JX_V_SALES)];
        }
    }
    return JX_OK;
}

/*
 * When report i was due (domain.md §8), in minutes, or JX_NO_TIME for a
 * period that cannot be read: a weekly report (period: a date in the week,
 * or an ISO week "2025-W35") by the next Monday 10:00; a monthly one
 * ("2025-08") by the end of the 5th of the next month.
 */
static int64_t report_due(const struct jx_reports *r, size_t i)
{
    const char *s = r->period[i];
    size_t len = strlen(s);
    int32_t d;
    if (r->monthly[i]) {
        struct jx_period p;
        if (jx_period_parse(s, len, &p, NULL) || p.kind != JX_PERIOD_MONTH)
            return JX_NO_TIME;
        return jx_time_make(jx_period_last(&p) + 5, 23 * 60 + 59);
    }
    if (len == 8 && s[4] == '-' && s[5] == 'W') {
        int y = 0, w = 0;
        for (int k = 0; k < 4; k++)
            y = y * 10 + (s[k] - '0');
        w = (s[6] - '0') * 10 + (s[7] - '0');
        if (y < 1970 || y > 9999 || w < 1 || w > 53 || !jx_date_valid(y, 1, 4))
            return JX_NO_TIME;
        int32_t jan4 = jx_date_from_ymd(y, 1, 4);
        d = jan4 - jx_date_weekday(jan4) + 7 * (w - 1);
    } else if (jx_date_parse(s, len, &d, NULL)) {
        return JX_NO_TIME;
    }
    return jx_time_make(d - jx_date_weekday(d) + 7, 10 * 60);
}

static void tickets_add(struct tickets *to, const struct tickets *from)
{
    to->opened += from->opened;
    to->resolved += from->resolved;
    to->rated += from->rated;
    to->csat_sum += from->csat_sum;
    to->unsatisfied += from->unsatisfied;
}

/* Customers served by people lo..hi: the distinct customers of their credits signed or
   paid in the period (a stamp per customer, of the person who last counted it).  arg: an
   _Atomic bool, set when memory ran out. */
static void count_served(struct ctx *c, size_t lo, size_t hi, size_t t, void *arg)
{
    _Atomic bool *failed = arg;
    int32_t *stamp = jx_calloc(c->d->customers.n ? c->d->customers.n : 1, sizeof *stamp);
    (void)t;
    if (!stamp) {
        *failed = true;
        return;
    }
    for (size_t p = lo; p < hi; p++)
        for (uint32_t j = c->credit0[p]; j < c->credit0[p] + c->ncredits[p]; j++) {
            int32_t cu = c->credit_served[j];
            if (cu < 0 || stamp[cu] == (int32_t)p + 1)
                continue;
            stamp[cu] = (int32_t)p + 1;
            c->served[p]++;
        }
    free(stamp);
}

/*
 * Conduct (violations, attendance), tickets and customers served in the
 * period.  A person's team is their unit and every unit below it.
 */
static enum jx_status compute_conduct(struct ctx *c)
{
    const struct jx_data *d = c->d;
    size_t np = d->people.n, nu = d->units.n;
    struct tickets *unit_tk;

    for (size_t i = 0; i < d->violations.n; i++) {
        int32_t p = d->violations.person[i];
        if (p < 0 || !in_period(c, d->violations.date[i]))
            continue;
        static const int by_level[] = {JX_V_MINOR_VIOLATIONS, JX_V_MEDIUM_VIOLATIONS,
                                       JX_V_SEVERE_VIOLATIONS};
        c->m[p][ms(JX_V_VIOLATIONS)] += S9;
        c->m[p][ms(by_level[d->violations.level[i] % 3])] += S9;
        if (d->violations.points[i] > 0)
            c->m[p][ms(JX_V_VIOLATION_POINTS)] += d->violations.points[i];
        if (d->violations.level[i] == JX_LEVEL_MEDIUM)
            c->m[p][ms(JX_V_MEDIUM_VIOLATION_POINTS)] +=
                d->violations.points[i] > 0 ? d->violations.points[i] : 10 * S9;
    }
    for (size_t i = 0; i < d->attendance.n; i++) {
        int32_t p = d->attendance.person[i];
        if (p < 0 || !in_period(c, d->attendance.date[i]))
            continue;
        static const int by_kind[] = {JX_V_ABSENCES, JX_V_PERSONAL_LEAVES, JX_V_LATES, JX_V_LATES};
        c->m[p][ms(by_kind[d->attendance.kind[i] % 4])] += S9;
    }

    /* A late report is a minor violation, dated when it was due (domain.md §8). */
    for (size_t i = 0; i < d->reports.n; i++) {
        int32_t p = d->reports.person[i];
        int64_t due = report_due(&d->reports, i);
        if (p < 0 || due == JX_NO_TIME || d->reports.submitted[i] <= due ||
            !in_period(c, jx_time_date(due)))
            continue;
        c->m[p][ms(JX_V_LATE_REPORTS)] += S9;
        c->m[p][ms(JX_V_VIOLATIONS)] += S9;
        c->m[p][ms(JX_V_MINOR_VIOLATIONS)] += S9;
    }

    /* Record quality from contacts (domain.md §7). */
    NEW(c, c->rec, c->ns);
    const struct jx_contacts *ct = &d->contacts;
    for (size_t i = 0; i < ct->n; i++) {
        int32_t p = ct->person[i];
        if (p < 0)
            continue;
        if (ct->at[i] != JX_NO_TIME && in_period(c, jx_time_date(ct->at[i]))) {
            c->m[p][ms(JX_V_CONTACTS)] += S9;
            c->rec[p][0] += ct->complete[i];
            c->rec[p][1] += ct->required[i];
        }
        if (ct->follow_up_due[i] != JX_NO_TIME && in_period(c, jx_time_date(ct->follow_up_due[i]))) {
            c->rec[p][2]++;
            c->rec[p][3] += ct->follow_up_done[i] != JX_NO_TIME &&
                            ct->follow_up_done[i] <= ct->follow_up_due[i];
        }
    }

    /* Events arrive ordered by person id, so each person's rows are contiguous. */
    NEW(c, c->ev0, c->ns);
    NEW(c, c->nev, c->ns);
    for (size_t i = 0; i < d->events.n; i++) {
        int32_t p = d->events.person[i];
        if (p >= 0 && c->nev[p]++ == 0)
            c->ev0[p] = (uint32_t)i;
    }

    NEW(c, c->tk, c->ns);
    NEW(c, c->team_tk, c->ns);
    NEW(c, unit_tk, nu);
    const struct jx_complaints *t = &d->complaints;
    for (size_t i = 0; i < t->n; i++) {
        int32_t p = t->person[i];
        if (p < 0 || t->opened[i] == JX_NO_TIME || !in_period(c, jx_time_date(t->opened[i])))
            continue;
        struct tickets one = {.opened = 1};
        one.resolved = t->resolved[i] != JX_NO_TIME && jx_time_date(t->resolved[i]) <= c->end &&
                       !(t->reopened && t->reopened[i] != JX_NO_TIME &&
                         t->resolved[i] < t->reopened[i]); /* reopened, not resolved since */
        if (t->csat[i]) {
            one.rated = 1;
            one.csat_sum = t->csat[i];
            one.unsatisfied = t->csat[i] <= 3;
        }
        tickets_add(&c->tk[p], &one);
        int32_t a = t->customer[i] >= 0 ? c->agent_row[t->customer[i]] : -1;
        if (a >= 0)
            tickets_add(&c->tk[a], &one); /* a complaint about an agent's business */
        if (d->people.unit[p] >= 0)
            tickets_add(&unit_tk[d->people.unit[p]], &one);
    }
    /* Each unit's own tickets added to every unit above it: subtree sums. */
    struct tickets *sub;
    NEW(c, sub, nu);
    for (size_t u = 0; u < nu; u++) {
        int depth = 0;
        for (int32_t a = (int32_t)u; a >= 0 && depth < 64; a = d->units.parent[a], depth++)
            tickets_add(&sub[a], &unit_tk[u]);
    }
    for (size_t p = 0; p < np; p++)
        if (d->people.unit[p] >= 0)
            c->team_tk[p] = sub[d->people.unit[p]];
    c->unit_sub = sub;

    /* Customers served: a contract credited signed in P, or a payment in P on one. */
    NEW(c, c->served, c->ns);
    size_t nt = threads_for(c, np, PER_THREAD_MIN);
    _Atomic bool failed = false;
    if (c->counts_served)
        in_parts(c, np, nt, count_served, &failed);
    if (failed)
        return oom(c);
    for (size_t p = 0; p < np; p++)
        c->m[p][ms(JX_V_COMPLAINTS)] = (__int128)c->tk[p].opened * S9;
    /* An agent is itself the customer served when it signed or paid in the period. */
    for (size_t r = c->np + c->nu; r < c->ns; r++) {
        c->served[r] = c->agent_busy[r];
        c->m[r][ms(JX_V_COMPLAINTS)] = (__int128)c->tk[r].opened * S9;
    }
    return JX_OK;
}

/*
 * Team rows: each unit sums the rows of everyone in it and below it (its
 * tickets are the unit's subtree's).  Customers served are summed, so one
 * served by two members counts twice.
 */
static enum jx_status aggregate_units(struct ctx *c)
{
    const struct jx_data *d = c->d;
    for (size_t p = 0; p < c->np; p++) {
        int depth = 0;
        for (int32_t u = d->people.unit[p]; u >= 0 && depth < 64; u = d->units.parent[u], depth++) {
            size_t r = c->np + (size_t)u;
            for (int v = 0; v < M_COUNT; v++)
                c->m[r][v] += c->m[p][v];
            c->served[r] += c->served[p];
            for (int i = 0; i < 4; i++)
                c->rec[r][i] += c->rec[p][i];
        }
    }
    for (size_t u = 0; u < c->nu; u++) {
        size_t r = c->np + u;
        c->tk[r] = c->team_tk[r] = c->unit_sub[u];
        c->m[r][ms(JX_V_TEAM_SALES)] = c->m[r][ms(JX_V_SALES)];
        c->m[r][ms(JX_V_TEAM_COLLECTED)] = c->m[r][ms(JX_V_COLLECTED)];
        c->m[r][ms(JX_V_COMPLAINTS)] = (__int128)c->tk[r].opened * S9;
    }
    return JX_OK;
}

/* n/d as a rate, `none` when d is 0. */
static struct jx_rat ratio_or(int64_t n, int64_t d, int none)
{
    return d > 0 ? jx_rat_make(n, d) : jx_rat_from_int(none);
}

/* Ratings and targets of the period, grouped by person. */
static enum jx_status index_period_rows(struct ctx *c)
{
    const struct jx_data *d = c->d;
    size_t np = d->people.n;
    NEW(c, c->rating0, c->ns);
    NEW(c, c->nratings, c->ns);
    NEW(c, c->rating_idx, d->ratings.n);
    NEW(c, c->target0, c->ns);
    NEW(c, c->ntargets, c->ns);
    NEW(c, c->target_idx, d->targets.n);
    jx_strmap_init(&c->people_ids);
    if (jx_strmap_reserve(&c->people_ids, c->ns) < 0)
        return oom(c);
    for (size_t p = 0; p < np; p++)
        if (jx_strmap_put(&c->people_ids, d->people.id[p], strlen(d->people.id[p]), (int32_t)p,
                          NULL) < 0)
            return oom(c);
    /* Units and agents take ratings and targets too (an id of a person wins). */
    for (size_t r = np; r < c->ns; r++)
        if (jx_strmap_put(&c->people_ids, c->sid[r], strlen(c->sid[r]), (int32_t)r, NULL) < 0)
            return oom(c);
    /* The rows are sorted by subject, so each person's rows are contiguous. */
    size_t nr = 0, nt = 0;
    for (size_t i = 0; i < d->ratings.n; i++) {
        if (strcmp(d->ratings.period[i], c->period_text))
            continue;
        int32_t p = jx_strmap_get(&c->people_ids, d->ratings.subject[i],
                                  strlen(d->ratings.subject[i]));
        if (p < 0)
            continue;
        if (c->nratings[p]++ == 0)
            c->rating0[p] = (uint32_t)nr;
        c->rating_idx[nr++] = (uint32_t)i;
    }
    for (size_t i = 0; i < d->targets.n; i++) {
        if (strcmp(d->targets.period[i], c->period_text))
            continue;
        int32_t p = jx_strmap_get(&c->people_ids, d->targets.subject[i],
                                  strlen(d->targets.subject[i]));
        if (p < 0)
            continue;
        if (c->ntargets[p]++ == 0)
            c->target0[p] = (uint32_t)nt;
        c->target_idx[nt++] = (uint32_t)i;
    }
    return JX_OK;
}

/*
 * Mean rating of item for person p: one score per rater (and rater role),
 * the review-stage score replacing the initial one.  Returns false if none.
 */
static bool rating_mean_role(const struct ctx *c, int32_t p, const char *item, int role,
                             struct jx_rat *out)
{
    const struct jx_ratings *r = &c->d->ratings;
    __int128 sum = 0;
    int64_t n = 0;
    for (uint32_t j = c->rating0[p]; j < c->rating0[p] + c->nratings[p]; j++) {
        uint32_t i = c->rating_idx[j];
        if (strcmp(r->item[i], item) || (role >= 0 && r->rater_role[i] != role))
            continue;
        /* Rows are sorted by item, role, rater, stage: "" (initial) before "review". */
        bool replaced = j + 1 < c->rating0[p] + c->nratings[p] && r->review[c->rating_idx[j + 1]] &&
                        !r->review[i] && !strcmp(r->item[c->rating_idx[j + 1]], item) &&
                        r->rater_role[c->rating_idx[j + 1]] == r->rater_role[i] &&
                        !strcmp(r->rater[c->rating_idx[j + 1]], r->rater[i]);
        if (replaced)
            continue;
        sum += r->score[i];
        n++;
    }
    if (!n)
        return false;
    *out = jx_rat_make(sum, (__int128)n * S9);
    return true;
}

static bool rating_mean(const struct ctx *c, int32_t p, const char *item, struct jx_rat *out)
{
    return rating_mean_role(c, p, item, -1, out);
}

/* A target's value: interfaces.md says rates are percentages, so 90 for a *_rate is 90%. */
static struct jx_rat target_rat(const char *metric, int64_t value)
{
    size_t ml = strlen(metric);
    bool rate = ml > 5 && !strcmp(metric + ml - 5, "_rate");
    return jx_rat_make(value, rate ? (__int128)S9 * 100 : S9);
}

static bool target_value(const struct ctx *c, int32_t p, const char *metric, struct jx_rat *out)
{
    const struct jx_targets *t = &c->d->targets;
    for (uint32_t j = c->target0[p]; j < c->target0[p] + c->ntargets[p]; j++) {
        uint32_t i = c->target_idx[j];
        if (!strcmp(t->metric[i], metric)) {
            *out = target_rat(metric, t->value[i]);
            return true;
        }
    }
    return false;
}

/* ---- per person -------------------------------------------------------- */

struct person_eval {
    struct ctx *c;
    const struct jx_plan *plan;
    int32_t p;
    struct jx_rat *vars;
    struct jx_person_result *res;
    struct jx_trace *trace;
    size_t ntrace, tracecap;
};

static enum jx_status add_trace(struct person_eval *e, const char *key, const char *zh,
                                const char *en, const char *detail, const char *value,
                                const char *source)
{
    if (e->ntrace == e->tracecap) {
        size_t cap = e->tracecap ? e->tracecap * 2 : e->c->trace_hint ? e->c->trace_hint : 16;
        struct jx_trace *t = jx_arena_calloc(e->c->arena, cap, sizeof *t);
        if (!t)
            return oom(e->c);
        if (e->ntrace)
            memcpy(t, e->trace, e->ntrace * sizeof *t);
        e->trace = t;
        e->tracecap = cap;
    }
    if (!detail || !value || !source)
        return oom(e->c);
    e->trace[e->ntrace++] = (struct jx_trace){key, zh, en, detail, NULL, value, source};
    return JX_OK;
}

/* "marketing-center.yaml:27": the plan file's base name, so traces do not
 * depend on where the plans were installed. */
static const char *source_of(struct person_eval *e, int line)
{
    /* every person's trace names the same few clauses: made once each */
    struct ctx *c = e->c;
    unsigned slot = (unsigned)line % JX_SOURCE_CACHE;
    if (c->src_plan[slot] == e->plan && c->src_line[slot] == line)
        return c->src_text[slot];
    const char *f = strrchr(e->plan->file, '/');
    const char *t = jx_arena_printf(c->arena, "%s:%d", f ? f + 1 : e->plan->file, line);
    if (t) {
        c->src_plan[slot] = e->plan;
        c->src_line[slot] = line;
        c->src_text[slot] = t;
    }
    return t;
}

static int months_between(int32_t from, int32_t to)
{
    int y1, m1, d1, y2, m2, d2;
    jx_date_to_ymd(from, &y1, &m1, &d1);
    jx_date_to_ymd(to, &y2, &m2, &d2);
    return (y2 - y1) * 12 + (m2 - m1);
}

/* The person's events of kind dated in the period (rows sorted by person). */
static int64_t count_events(const struct ctx *c, int32_t p, const char *kind)
{
    const struct jx_events *ev = &c->d->events;
    int64_t n = 0;
    for (uint32_t i = c->ev0[p]; i < c->ev0[p] + c->nev[p]; i++)
        n += in_period(c, ev->date[i]) && !strcmp(ev->kind[i], kind);
    return n;
}

static bool unit_under(const struct jx_units *u, int32_t unit, int32_t top);

/* Subject p's scorecard in this run; an unscored one when no plan has a scorecard. */
static const struct score *score_of(const struct ctx *c, int32_t p)
{
    static const struct score none; /* plan NULL: not scored */
    return c->sc ? &c->sc[p] : &none;
}

/* Score of item name of person p's scorecard in this run, 0 if none. */
static struct jx_rat item_score(const struct ctx *c, int32_t p, const char *name)
{
    const struct score *s = score_of(c, p);
    for (size_t i = 0; s->plan && i < s->plan->scorecard->nitems; i++)
        if (!strcmp(s->plan->scorecard->items[i].name, name))
            return s->items[i];
    return jx_rat_from_int(0);
}

/* Fill the built-in and family variables of person p. */
static void fill_inputs(struct person_eval *e)
{
    struct ctx *c = e->c;
    const struct jx_people *pp = &c->d->people;
    int32_t p = e->p;
    struct jx_rat *v = e->vars;
    const bool *u = c->uses;
    for (int i = 0; i < c->nused; i++) /* no formula reads the others */
        v[c->used[i]] = jx_rat_from_int(0);
    if ((size_t)p < c->np) { /* a person (teams and agents have none of this) */
        if (u[JX_V_BASE_SALARY])
            v[JX_V_BASE_SALARY] = jx_rat_make(pp->base_salary[p], 100);
        if (u[JX_V_ALLOWANCE])
            v[JX_V_ALLOWANCE] = jx_rat_make(pp->allowance[p], 100);
        v[JX_V_IS_REP] = jx_rat_from_int(pp->role[p] == JX_ROLE_REP);
        v[JX_V_IS_MANAGER] = jx_rat_from_int(pp->role[p] == JX_ROLE_MANAGER);
        v[JX_V_IS_DIRECTOR] = jx_rat_from_int(pp->role[p] == JX_ROLE_DIRECTOR);
        v[JX_V_IS_ENGINEER] = jx_rat_from_int(pp->role[p] == JX_ROLE_ENGINEER);
        v[JX_V_ON_PROBATION] = jx_rat_from_int(pp->status[p] == JX_PS_PROBATION);
        int mos = pp->hire_date[p] == JX_NO_DATE || pp->hire_date[p] > c->end
                      ? 0
                      : months_between(pp->hire_date[p], c->end) + 1;
        v[JX_V_MONTHS_OF_SERVICE] = jx_rat_from_int(mos);
        v[JX_V_BUSINESS_SINCE_HIRE] = jx_rat_from_int(c->first_signed[p] != JX_NO_DATE);
        if (u[JX_V_CARRY_IN])
            v[JX_V_CARRY_IN] = jx_rat_make(c->in->carry_in ? c->in->carry_in[p] : 0, 100);
    }
    v[JX_V_IS_TEAM] = jx_rat_from_int(c->skind[p] == JX_SUBJECT_TEAM);
    v[JX_V_IS_AGENT] = jx_rat_from_int(c->skind[p] == JX_SUBJECT_AGENT);
    v[JX_V_PERIOD_IS_MONTH] = jx_rat_from_int(c->in->period.kind == JX_PERIOD_MONTH);
    v[JX_V_PERIOD_IS_QUARTER] = jx_rat_from_int(c->in->period.kind == JX_PERIOD_QUARTER);
    v[JX_V_PERIOD_IS_YEAR] = jx_rat_from_int(c->in->period.kind == JX_PERIOD_YEAR);
    static const int money[] = {JX_V_SALES,     JX_V_SALES_FULLY_COLLECTED, JX_V_REVENUE_SIGNED,
                                JX_V_RETURNS,   JX_V_COLLECTED,             JX_V_RECEIVABLE_START,
                                JX_V_TEAM_COLLECTED, JX_V_TEAM_SALES};
    for (size_t i = 0; i < sizeof money / sizeof money[0]; i++)
        if (u[money[i]])
            v[money[i]] = metric_rat(c->m[p][ms(money[i])], true);
    static const int counts[] = {JX_V_CONTRACTS_SIGNED,  JX_V_NEW_CUSTOMERS,     JX_V_AGENTS_SIGNED,
                                 JX_V_VIOLATIONS,        JX_V_MINOR_VIOLATIONS,  JX_V_MEDIUM_VIOLATIONS,
                                 JX_V_SEVERE_VIOLATIONS, JX_V_VIOLATION_POINTS,  JX_V_ABSENCES,
                                 JX_V_PERSONAL_LEAVES,   JX_V_LATES,             JX_V_COMPLAINTS,
                                 JX_V_LATE_REPORTS,      JX_V_CONTACTS};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
        if (u[counts[i]])
            v[counts[i]] = metric_rat(c->m[p][ms(counts[i])], false);
    __int128 den = c->m[p][ms(JX_V_RECEIVABLE_START)] + c->m[p][ms(JX_V_REVENUE_SIGNED)];
    if (u[JX_V_COLLECTION_RATE] && den > 0)
        v[JX_V_COLLECTION_RATE] = jx_rat_make(c->m[p][ms(JX_V_COLLECTED)], den);
    const struct tickets *tk = &c->tk[p], *tt = &c->team_tk[p];
    v[JX_V_CUSTOMERS_SERVED] = jx_rat_from_int(c->served[p]);
    v[JX_V_TICKETS] = jx_rat_from_int(tk->opened);
    v[JX_V_TEAM_TICKETS] = jx_rat_from_int(tt->opened);
    /* the rates each take a division to lowest terms: only those named */
    if (u[JX_V_COMPLAINT_RATE])
        v[JX_V_COMPLAINT_RATE] = tk->opened == 0 ? jx_rat_from_int(0)
                                                 : ratio_or(tk->opened, c->served[p], 1);
    if (u[JX_V_REPAIR_COMPLETION_RATE])
        v[JX_V_REPAIR_COMPLETION_RATE] = ratio_or(tk->resolved, tk->opened, 1);
    if (u[JX_V_CSAT])
        v[JX_V_CSAT] = ratio_or(tk->csat_sum, tk->rated, 0);
    if (u[JX_V_TEAM_REPAIR_COMPLETION_RATE])
        v[JX_V_TEAM_REPAIR_COMPLETION_RATE] = ratio_or(tt->resolved, tt->opened, 1);
    if (u[JX_V_TEAM_CSAT])
        v[JX_V_TEAM_CSAT] = ratio_or(tt->csat_sum, tt->rated, 0);
    if (u[JX_V_TEAM_COMPLAINT_RATE])
        v[JX_V_TEAM_COMPLAINT_RATE] = ratio_or(tt->unsatisfied, tt->rated, 0);
    if (u[JX_V_INFO_COMPLETENESS])
        v[JX_V_INFO_COMPLETENESS] = ratio_or(c->rec[p][0], c->rec[p][1], 1);
    if (u[JX_V_FOLLOW_UP_TIMELINESS])
        v[JX_V_FOLLOW_UP_TIMELINESS] = ratio_or(c->rec[p][3], c->rec[p][2], 1);

    const struct score *sc = score_of(c, p);
    if (sc->plan) {
        v[JX_V_HAS_SCORE] = jx_rat_from_int(1);
        v[JX_V_KPI_SCORE] = sc->kpi;
        v[JX_V_QUALITATIVE_SCORE] = sc->qual;
        v[JX_V_FINAL_SCORE] = sc->final2;
        v[JX_V_GRADE_S + sc->grade] = jx_rat_from_int(1);
    }
    const __int128 *m = c->m[p];
    if (u[JX_V_MEDIUM_VIOLATION_POINTS])
        v[JX_V_MEDIUM_VIOLATION_POINTS] = metric_rat(m[ms(JX_V_MEDIUM_VIOLATION_POINTS)], false);
    if (u[JX_V_SALES_TRAILING_AVG])
        v[JX_V_SALES_TRAILING_AVG] =
            jx_rat_make(m[ms(JX_V_SALES_TRAILING_AVG)], (__int128)S9 * 100 * 3);
    if (u[JX_V_SALES_PREV])
        v[JX_V_SALES_PREV] = metric_rat(m[ms(JX_V_SALES_PREV)], true);
    if (u[JX_V_SALES_LAST_YEAR])
        v[JX_V_SALES_LAST_YEAR] = metric_rat(m[ms(JX_V_SALES_LAST_YEAR)], true);
    __int128 sales = m[ms(JX_V_SALES)], prev = m[ms(JX_V_SALES_PREV)],
             last_year = m[ms(JX_V_SALES_LAST_YEAR)];
    if (u[JX_V_GROWTH_QOQ] && prev > 0)
        v[JX_V_GROWTH_QOQ] = jx_rat_make(sales - prev, prev);
    if (u[JX_V_GROWTH_YOY] && last_year > 0)
        v[JX_V_GROWTH_YOY] = jx_rat_make(sales - last_year, last_year);

    for (size_t i = 0; i < e->plan->nparams; i++)
        v[e->plan->params[i].slot] = e->plan->params[i].value;
    for (size_t i = 0; i < e->plan->nfamily_vars; i++) {
        const struct jx_plan_family_var *f = &e->plan->family_vars[i];
        struct jx_rat r = jx_rat_from_int(0);
        bool has = false;
        if (f->family == JX_VF_RATING || f->family == JX_VF_HAS_RATING)
            has = rating_mean(c, p, f->item, &r);
        else if (f->family == JX_VF_EVENTS)
            r = jx_rat_from_int(count_events(c, p, f->item));
        else if (f->family == JX_VF_ITEM)
            r = item_score(c, p, f->item);
        else
            has = target_value(c, p, f->item, &r);
        v[f->slot] = f->family == JX_VF_HAS_RATING || f->family == JX_VF_HAS_TARGET
                         ? jx_rat_from_int(has)
                         : r;
    }
}

/* Evaluate formula f for the person, its error (if any) in *ee. */
static enum jx_status eval_to(struct person_eval *e, const struct jx_plan_formula *f,
                              struct jx_rat *out, struct jx_err *ee)
{
    struct jx_expr_vm vm = {.vars = e->vars, .steps_left = 100000};
    jx_err_clear(ee);
    return jx_expr_eval(f->expr, &vm, out, ee);
}

/* Evaluate formula f for the person; err names the person and the formula. */
static enum jx_status eval(struct person_eval *e, const struct jx_plan_formula *f,
                           struct jx_rat *out)
{
    struct jx_err ee;
    enum jx_status st = eval_to(e, f, out, &ee);
    if (st) {
        jx_err_set(e->c->err, st, "%s: %s: %s", e->c->sid[e->p], f->name, ee.msg);
        jx_err_at(e->c->err, e->plan->file, f->line, NULL);
    }
    return st;
}

struct used_ctx {
    struct person_eval *e;
    char *buf;
    size_t len, cap;
};

/*
 * A slot's value as a trace last wrote it.  Plan parameters and yes/no flags
 * repeat from person to person: their text is then copied, not made again.
 */
struct slot_text {
    const struct jx_plan *plan;
    struct jx_rat v;
    const char *name;
    size_t nlen, vlen;
    char text[JX_RAT_BUFSZ];
};

/* Append "name=value" of a slot a formula uses to the trace detail. */
static void describe_slot(void *ctx, int slot)
{
    struct used_ctx *u = ctx;
    const struct jx_rat *v = &u->e->vars[slot];
    struct slot_text *t = &u->e->c->texts[slot];
    if (t->plan != u->e->plan || t->v.num != v->num || t->v.den != v->den) {
        t->plan = u->e->plan;
        t->v = *v;
        t->name = jx_plan_slot_name(u->e->plan, slot);
        t->nlen = strlen(t->name);
        jx_rat_format(*v, 6, t->text);
        t->vlen = trim_zeros(t->text);
    }
    size_t nl = t->nlen, vl = t->vlen, sep = u->len ? 2 : 0;
    if (u->len + sep + nl + 1 + vl + 1 > u->cap)
        return; /* the detail is long enough */
    memcpy(u->buf + u->len, ", ", sep);
    memcpy(u->buf + u->len + sep, t->name, nl);
    u->buf[u->len + sep + nl] = '=';
    memcpy(u->buf + u->len + sep + nl + 1, t->text, vl + 1);
    u->len += sep + nl + 1 + vl;
}

/* "a=1, b=2": the variables formula f uses, with their values. */
static const char *formula_used(struct person_eval *e, const struct jx_plan_formula *f)
{
    char used[1024];
    struct used_ctx u = {e, used, 0, sizeof used};
    used[0] = '\0';
    jx_expr_deps(f->expr, describe_slot, &u);
    return jx_arena_strndup(e->c->arena, used, u.len);
}

/*
 * A trace line of formula f: its text, the plan's (not copied for every
 * person), and the values it read.
 */
static enum jx_status add_formula_trace(struct person_eval *e, const char *key, const char *zh,
                                        const char *en, const struct jx_plan_formula *f,
                                        const char *value, const char *source)
{
    const char *inputs = formula_used(e, f);
    enum jx_status st;
    if (!inputs)
        return oom(e->c);
    if ((st = add_trace(e, key, zh, en, f->line_src, value, source)))
        return st;
    e->trace[e->ntrace - 1].inputs = *inputs ? inputs : NULL;
    return JX_OK;
}

/*
 * The two-tier commission of domain.md §5.1 for person p: per credited line,
 * pre = share x (base part x net x base rate + excess part x net x excess
 * rate), to date = pre x min(revenue - returns, collected) / revenue, and
 * payable = round_fen((to date at E - to date at S) x multiplier).
 */
/* x x 10^9 as an integer, when that is exact (a decimal rate such as 15%); else false. */
static bool rat_e9(struct jx_rat x, int64_t *out)
{
    __int128 v;
    if (x.den <= 0 || (__int128)S9 % x.den != 0 ||
        __builtin_mul_overflow(x.num, (__int128)S9 / x.den, &v) || v > INT64_MAX || v < -INT64_MAX)
        return false;
    *out = (int64_t)v;
    return true;
}

#define INT128_MIN_ (-(__int128)(((unsigned __int128)1 << 127) - 1) - 1)

/* x / 10^9 with x >= 0 as *num / *den, the 2s and 5s they share cancelled (no gcd needed). */
static void per_e9(int64_t x, int64_t *num, int64_t *den)
{
    int64_t d = S9;
    if (x == 0) {
        *num = 0;
        *den = 1;
        return;
    }
    int twos = __builtin_ctzll((uint64_t)x);
    twos = twos > 9 ? 9 : twos;
    x >>= twos;
    d >>= twos;
    while (d % 5 == 0 && x % 5 == 0) {
        x /= 5;
        d /= 5;
    }
    *num = x;
    *den = d;
}

/*
 * What credits mostly share, worked out once each: per_e9() of shares and of
 * net-of-retention, and the rates' common divisor (e9_common()) with the
 * rates and 10^9 divided by it.  Small caches, a slot per hash of the key.
 */
#define MEMO_WAYS 8

struct e9_way {
    int64_t x, num, den;
};

struct memo {
    struct e9_way share[MEMO_WAYS], net[MEMO_WAYS];
    struct {
        int64_t br9, er9, br, er, s9g;
    } g[MEMO_WAYS];
};

static void memo_init(struct memo *m)
{
    *m = (struct memo){0};
    for (int i = 0; i < MEMO_WAYS; i++) {
        m->share[i].x = m->net[i].x = -1; /* per_e9() takes x >= 0 */
        m->g[i].br9 = INT64_MIN;          /* rat_e9() never gives it */
    }
}

static unsigned memo_way(uint64_t key)
{
    return (unsigned)((key * UINT64_C(0x9E3779B97F4A7C15)) >> 61); /* 3 bits */
}

_Static_assert(MEMO_WAYS == 8, "memo_way() gives 3 bits");

static void per_e9_memo(struct e9_way *ways, int64_t x, int64_t *num, int64_t *den)
{
    struct e9_way *w = &ways[memo_way((uint64_t)x)];
    if (w->x != x) {
        per_e9(x, &w->num, &w->den);
        w->x = x;
    }
    *num = w->num;
    *den = w->den;
}

/*
 * The factor every line of a credit shares: share x net of retention x
 * (collected to date at E - at S) / revenue x multiplier, as a fraction
 * fnum/fden with only the 2s and 5s of the 10^9s cancelled (no gcd: the
 * lines round fnum/fden, which needs no lowest terms).  False when it needs
 * more than 128 bits.
 */
static bool factor_terms(const struct jx_contracts *k, const struct credit *cr, int64_t delta,
                         struct jx_rat mult, struct memo *memo, __int128 *fnum, __int128 *fden)
{
    int64_t sn = 1, sd = 1, nn = 1, nd = 1, n64, d64;
    int64_t revenue = k->revenue[cr->contract], retention = k->retention[cr->contract];
    if (cr->share != S9)
        per_e9_memo(memo->share, cr->share, &sn, &sd);
    if (retention != 0)
        per_e9_memo(memo->net, S9 - retention, &nn, &nd);
    /* the usual sizes in 64 bits, the multiplier's product without an overflow check */
    if (!__builtin_mul_overflow(delta, sn, &n64) && !__builtin_mul_overflow(n64, nn, &n64) &&
        !__builtin_mul_overflow(revenue, sd, &d64) &&
        !__builtin_mul_overflow(d64, nd, &d64) && mult.num >= INT64_MIN &&
        mult.num <= INT64_MAX && mult.den <= INT64_MAX) {
        *fnum = (__int128)n64 * (int64_t)mult.num;
        *fden = (__int128)d64 * (int64_t)mult.den;
        return *fden > 0;
    }
    __int128 n = (__int128)delta * sn, d = (__int128)revenue * sd; /* < 2^63 x 10^9 */
    if (__builtin_mul_overflow(n, (__int128)nn, &n) || __builtin_mul_overflow(d, (__int128)nd, &d))
        return false;
    if (__builtin_mul_overflow(n, mult.num, fnum) || __builtin_mul_overflow(d, mult.den, fden))
        return false;
    return *fden > 0;
}

/* The same factor in lowest terms (struct jx_rat), for the exact rational path. */
static enum jx_status commission_factor(const struct jx_contracts *k, const struct credit *cr,
                                        int64_t delta, struct jx_rat mult, struct jx_rat *f)
{
    __int128 n, d;
    enum jx_status st;
    struct memo memo;
    memo_init(&memo);
    if (factor_terms(k, cr, delta, mult, &memo, &n, &d) && n != INT128_MIN_) {
        *f = jx_rat_make(n, d); /* lowest terms are unique: the same f as step by step */
        return JX_OK;
    }
    if ((st = jx_rat_mul(jx_rat_make(cr->share, S9),
                         jx_rat_make(S9 - k->retention[cr->contract], S9), f)) ||
        (st = jx_rat_mul(*f, jx_rat_make(delta, k->revenue[cr->contract]), f)))
        return st;
    return jx_rat_mul(*f, mult, f);
}

/*
 * The largest divisor of 10^9 that divides both a and b (rates x 10^9): taken
 * out of a line's rates and of the 10^9 that divides them, it keeps the
 * line's divisor within 64 bits for decimal rates (3% and 15%: 10^7).
 */
static int64_t e9_common(int64_t a, int64_t b)
{
    if ((a | b) == 0)
        return S9;
    int twos = __builtin_ctzll((uint64_t)(a | b));
    int64_t g = (int64_t)1 << (twos < 9 ? twos : 9);
    for (int fives = 0; fives < 9 && a % 5 == 0 && b % 5 == 0; fives++) {
        a /= 5;
        b /= 5;
        g *= 5;
    }
    return g;
}

/* Whether person p's commission lines each get a trace line in this run. */
static bool lines_traced(const struct ctx *c, int32_t p)
{
    return c->in->line_trace == JX_TRACE_ALL || c->in->line_trace == p + 1;
}

/* A person's commission rates, x 10^9 where that is exact (the fast path's terms). */
struct comm_rates {
    struct jx_rat mult;
    int64_t br9, erd9;   /* base rate, the plan's excess rate */
    int64_t emin9, emax9; /* the plan's range for a contract's own excess rate */
    bool br_ok, erd_ok, range_e9;
};

static void rates_make(const struct jx_plan *pl, struct jx_rat base_rate,
                       struct jx_rat excess_default, struct jx_rat mult, struct comm_rates *r)
{
    *r = (struct comm_rates){.mult = mult};
    r->br_ok = rat_e9(base_rate, &r->br9);
    r->erd_ok = rat_e9(excess_default, &r->erd9);
    r->range_e9 = rat_e9(pl->excess_min, &r->emin9) && rat_e9(pl->excess_max, &r->emax9);
}

static bool rates_same(const struct comm_rates *a, const struct comm_rates *b)
{
    return a->mult.num == b->mult.num && a->mult.den == b->mult.den && a->br9 == b->br9 &&
           a->erd9 == b->erd9 && a->emin9 == b->emin9 && a->emax9 == b->emax9 &&
           a->br_ok == b->br_ok && a->erd_ok == b->erd_ok && a->range_e9 == b->range_e9;
}

/*
 * Person p's commission as the sweep (commission_sweep()) paid it: every line
 * of theirs on the fast path, for these rates.  Not ok: run_commission() pays
 * them line by line (and finds whatever stopped the sweep).
 */
struct swept {
    struct comm_rates rates;
    int64_t total;
    uint32_t nlines;
    bool ok;
};

/*
 * What the lines of a credit share on the fast path: the rates over 10^9 / g
 * (g = e9_common()), and F = share x net of retention x (to date at E - at S)
 * / revenue x multiplier as fnum / (den_c / (10^9 / g)).
 */
struct line_terms {
    __int128 fnum, den_c;
    int64_t br, er;
    bool concession;
};

/* False when the credit's lines take the exact rational path instead. */
static bool line_terms_make(const struct jx_contracts *k, const struct credit *cr, int64_t br9,
                            int64_t er9, struct jx_rat mult, struct memo *memo,
                            struct line_terms *lt)
{
    __int128 fden;
    if (!factor_terms(k, cr, cr->m_e - cr->m_s, mult, memo, &lt->fnum, &fden))
        return false;
    unsigned w = memo_way((uint64_t)br9 ^ (uint64_t)er9 * 31);
    if (memo->g[w].br9 != br9 || memo->g[w].er9 != er9) {
        int64_t g = e9_common(br9, er9);
        memo->g[w].br9 = br9;
        memo->g[w].er9 = er9;
        memo->g[w].br = br9 / g;
        memo->g[w].er = er9 / g;
        memo->g[w].s9g = S9 / g;
    }
    lt->br = memo->g[w].br;
    lt->er = memo->g[w].er;
    lt->concession = cr->flags & JX_CF_CONCESSION;
    return !__builtin_mul_overflow(fden, (__int128)memo->g[w].s9g, &lt->den_c);
}

/*
 * A line's payable on the fast path, exact: decimal rates make a unit's value
 * an integer (fen x 10^9 / g), the quantity is qn/qd (qd = 1 when whole), and
 * the payable one division: round(unit x qn x F.num / (F.den x 10^9/g x qd)),
 * num / den.  False for a product beyond 128 bits (the rational path then).
 */
static inline bool line_pay(const struct line_terms *lt, const struct jx_line *ln, int64_t *pay,
                            __int128 *num, __int128 *den)
{
    int64_t up = ln->unit_price, bp = ln->base_price, q = ln->quantity;
    int64_t qn = q % S9 == 0 ? q / S9 : q, qd = q % S9 == 0 ? 1 : S9;
    __int128 v9;
    return !__builtin_mul_overflow(up < bp ? 0 /* below base price: no commission */
                                           : (__int128)(lt->concession ? up : bp) * lt->br +
                                                 (__int128)(lt->concession ? 0 : up - bp) * lt->er,
                                   (__int128)qn, &v9) &&
           !__builtin_mul_overflow(v9, lt->fnum, num) &&
           !__builtin_mul_overflow(lt->den_c, (__int128)qd, den) && jx_round_div(*num, *den, pay);
}

static enum jx_status run_commission(struct person_eval *e)
{
    struct ctx *c = e->c;
    const struct jx_data *d = c->d;
    const struct jx_plan *pl = e->plan;
    struct jx_rat base_rate, excess_default, mult;
    struct comm_rates rt;
    enum jx_status st;
    int64_t total = 0;
    size_t nlines = 0;

    if ((st = eval(e, &pl->commission_base_rate, &base_rate)) ||
        (st = eval(e, &pl->commission_excess_rate, &excess_default)) ||
        (st = eval(e, &pl->commission_multiplier, &mult)))
        return st;
    rates_make(pl, base_rate, excess_default, mult, &rt);
    const char *src = source_of(e, pl->commission_line);
    const struct swept *sw = c->swept && (size_t)e->p < c->np ? &c->swept[e->p] : NULL;
    if (sw && sw->ok && !lines_traced(c, e->p) && rates_same(&sw->rates, &rt)) {
        /* paid by the sweep, for these rates */
        total = sw->total;
        nlines = sw->nlines;
        goto summed;
    }
    struct memo memo;
    memo_init(&memo);
    uint32_t end = c->credit0[e->p] + c->ncredits[e->p];
    for (uint32_t j = c->credit0[e->p]; j < end; j++) {
        const struct credit *cr = credit_at(c, c->credits[j]);
        int32_t k = cr->contract;
        int64_t rev = d->contracts.revenue[k], m_e = cr->m_e, m_s = cr->m_s;
        int64_t excess = d->contracts.excess_rate[k], retention = d->contracts.retention[k];
        uint32_t line0 = d->contracts.line0[k], nl = d->contracts.nlines[k];
        /* the credits further on, then their lines: they are anywhere (past this person's:
           the next person's, read next) */
        if (j + 8 < c->ncredits_all)
            __builtin_prefetch(credit_at(c, c->credits[j + 8]));
        if (j + 4 < c->ncredits_all) {
            uint32_t l4 = d->contracts.line0[credit_at(c, c->credits[j + 4])->contract];
            __builtin_prefetch(&d->lines.row[l4]);
        }
        if (rev <= 0 || m_e == m_s)
            continue; /* nothing collected, refunded or returned in the period */
        struct jx_rat excess_rate = excess_default;
        if (excess >= 0) {
            excess_rate = (struct jx_rat){excess, S9}; /* lowest terms when used */
            if (rt.range_e9 ? excess < rt.emin9 || excess > rt.emax9
                            : jx_rat_cmp(excess_rate, pl->excess_min) < 0 ||
                                  jx_rat_cmp(excess_rate, pl->excess_max) > 0) {
                excess_rate = jx_rat_make(excess, S9);
                char a[64], b[64], x[64];
                jx_err_set(c->err, JX_EINPUT,
                           "contract %s: excess_rate %s is outside the plan's range %s to %s",
                           d->contracts.id[k], jx_rat_format(excess_rate, 4, x),
                           jx_rat_format(pl->excess_min, 4, a), jx_rat_format(pl->excess_max, 4, b));
                jx_err_at(c->err, pl->file, pl->commission_line, NULL);
                return JX_EINPUT;
            }
        }
        int64_t er9 = excess >= 0 ? excess : rt.erd9;
        bool concession = cr->flags & JX_CF_CONCESSION;
        /*
         * Per contract and credit, the factor every line shares: share x net of
         * retention x (to date at E - to date at S) / revenue x multiplier, so
         * that a line's payable is one product, rounded once:
         * round_fen(qty x (base price x base rate + excess x excess rate) x F).
         */
        struct line_terms lt;
        bool fast = rt.br_ok && (excess >= 0 || rt.erd_ok) &&
                    line_terms_make(&d->contracts, cr, rt.br9, er9, mult, &memo, &lt);
        struct jx_rat f = {0, 1}; /* F in lowest terms, made when a line needs it */
        bool f_made = false;
        for (uint32_t l = line0; l < line0 + nl; l++) {
            const struct jx_line *ln = &d->lines.row[l];
            int64_t up = ln->unit_price, bp = ln->base_price;
            int64_t q = ln->quantity;
            struct jx_rat v, bpart, xpart, inc;
            int64_t pay;
            __int128 num, den;
            if (fast && line_pay(&lt, ln, &pay, &num, &den)) {
                if (!jx_money_add(total, pay, &total))
                    goto overflow;
                nlines++;
                if (!lines_traced(c, e->p))
                    continue;
                if ((st = jx_rat_div(jx_rat_make(num, den), jx_rat_from_int(100), &inc)))
                    goto overflow;
                goto traced;
            }
            if (!f_made) {
                if ((st = commission_factor(&d->contracts, cr, m_e - m_s, mult, &f)))
                    goto overflow;
                excess_rate = jx_rat_make(excess_rate.num, excess_rate.den);
                f_made = true;
            }
            v = jx_rat_from_int(0);
            if (up >= bp) {
                struct jx_rat qty = jx_rat_make(q, S9);
                if ((st = jx_rat_mul(jx_rat_make(concession ? up : bp, 100), base_rate, &bpart)))
                    goto overflow;
                if (!concession && up > bp) {
                    if ((st = jx_rat_mul(jx_rat_make(up - bp, 100), excess_rate, &xpart)) ||
                        (st = jx_rat_add(bpart, xpart, &bpart)))
                        goto overflow;
                }
                if ((st = jx_rat_mul(bpart, qty, &v)))
                    goto overflow;
            }
            if ((st = jx_rat_mul(v, f, &inc)) || (st = jx_rat_to_fen(inc, &pay)))
                goto overflow;
            if (!jx_money_add(total, pay, &total))
                goto overflow;
            nlines++;
            if (!lines_traced(c, e->p))
                continue;
        traced:
            excess_rate = jx_rat_make(excess_rate.num, excess_rate.den);
            char qb[JX_DEC_BUFSZ], a[JX_MONEY_BUFSZ], b[JX_MONEY_BUFSZ], r1[64], r2[64], sh[64],
                nt[64], mu[64], me[JX_MONEY_BUFSZ], ms[JX_MONEY_BUFSZ], rv[JX_MONEY_BUFSZ];
            const char *detail = jx_arena_printf(
                c->arena,
                "%s line %u: %s x %s (base price %s)%s%s, net of retention %s, base rate %s, "
                "excess rate %s, share %s; collected to date %s -> %s of revenue %s; "
                "multiplier %s; payable %s",
                d->contracts.id[k], l - line0 + 1,
                jx_dec_format_exact(q, qb), jx_money_format(up, a),
                jx_money_format(bp, b), up < bp ? " below base price: 0" : "",
                concession ? " concession: all at base rate" : "",
                jx_rat_format(jx_rat_make(S9 - retention, S9), 4, nt),
                jx_rat_format(base_rate, 4, r1), jx_rat_format(excess_rate, 4, r2),
                jx_rat_format(jx_rat_make(cr->share, S9), 4, sh),
                jx_money_format(m_s, ms), jx_money_format(m_e, me), jx_money_format(rev, rv),
                jx_rat_format(mult, 4, mu), rat_text(c, inc, 4));
            if ((st = add_trace(e, "commission.line", "提成明细", "commission line", detail,
                                fen_text(c, pay), src)))
                return st;
        }
    }
summed:
    e->vars[JX_V_COMMISSION] = jx_rat_make(total, 100);
    char nl[21];
    const char *sum[] = {"sum of the payables of ", count_text(nlines, nl),
                         nlines == 1 ? " line" : " lines", ", each rounded half-up to the fen",
                         lines_traced(c, e->p) ? "" : " (jixiao explain lists them)"};
    return add_trace(e, "commission", "销售提成", "commission", join(c, sum, 5),
                     fen_text(c, total), src);
overflow:
    jx_err_set(c->err, JX_ERANGE, "%s: commission out of range", c->sid[e->p]);
    return JX_ERANGE;
}

/*
 * The above-price share of domain.md §5.2: per contract that pays in the
 * period (fully collected in it; credit-approved: signed in it), not
 * company-negotiated: share x Σ qty x max(0, unit price - base price)
 * ÷ (1 + VAT) x share rate, rounded once per contract and person.
 */
static enum jx_status run_above_price(struct person_eval *e)
{
    struct ctx *c = e->c;
    const struct jx_data *d = c->d;
    const struct jx_plan *pl = e->plan;
    const char *src = source_of(e, pl->above_price_line);
    struct jx_rat one_vat;
    enum jx_status st;
    int64_t total = 0;
    if ((st = jx_rat_add(jx_rat_from_int(1), pl->vat, &one_vat)))
        return st;
    for (uint32_t j = c->credit0[e->p]; j < c->credit0[e->p] + c->ncredits[e->p]; j++) {
        const struct credit *cr = credit_at(c, c->credits[j]);
        int32_t k = cr->contract;
        if (!(cr->marks & KM_FULL_IN) || (cr->flags & JX_CF_COMPANY_NEGOTIATED))
            continue;
        __int128 excess = 0; /* fen x 10^9 */
        uint32_t line0 = d->contracts.line0[k], nl = d->contracts.nlines[k];
        for (uint32_t l = line0; l < line0 + nl; l++) {
            const struct jx_line *ln = &d->lines.row[l];
            if (ln->unit_price > ln->base_price)
                excess += (__int128)ln->quantity * (ln->unit_price - ln->base_price);
        }
        if (excess == 0)
            continue;
        struct jx_rat x = jx_rat_make(excess, (__int128)S9 * 100), v;
        int64_t pay;
        if ((st = jx_rat_div(x, one_vat, &v)) || (st = jx_rat_mul(v, pl->share, &v)) ||
            (st = jx_rat_mul(v, jx_rat_make(cr->share, S9), &v)) ||
            (st = jx_rat_to_fen(v, &pay)) || !jx_money_add(total, pay, &total)) {
            jx_err_set(c->err, JX_ERANGE, "person %s: above-price share out of range",
                       c->sid[e->p]);
            return JX_ERANGE;
        }
        char a[64], b[64], sh[64];
        const char *detail = jx_arena_printf(
            c->arena, "%s: above base price %s / (1 + VAT %s) x share %s x credit %s",
            d->contracts.id[k], rat_text(c, x, 2), jx_rat_format(pl->vat, 4, a),
            jx_rat_format(pl->share, 4, b), jx_rat_format(jx_rat_make(cr->share, S9), 4, sh));
        if ((st = add_trace(e, "above_price_share.contract", "超价分成明细",
                            "above-price share of a contract", detail, fen_text(c, pay), src)))
            return st;
    }
    e->vars[JX_V_ABOVE_PRICE_SHARE] = jx_rat_make(total, 100);
    return add_trace(e, "above_price_share", "超价分成", "above-price share",
                     "sum over contracts, each rounded half-up to the fen", fen_text(c, total), src);
}

/*
 * ---- the commission sweep ----------------------------------------------------
 *
 * run_commission() reads a person's credits, and their lines, where they lie:
 * all over memory, one cache miss after another.  So before the pay rules
 * run, the sweep pays every line in the order the pass wrote the credits
 * (contract order: credits and lines read straight through), for each
 * person's rates, worked out first by the steps the rates use.  A person the
 * sweep cannot pay on the fast path, whose lines are traced, or whose rates
 * come out otherwise when the pay rules run, is paid line by line as before;
 * the figures are the same either way.
 */

/* What the sweep needs of a plan (sweep_plan_make()). */
struct sweep_plan {
    const struct jx_plan *plan;
    uint8_t *need; /* per step before the commission's: the rates use it */
    size_t ci;     /* the commission's step */
    bool ok;       /* false: the sweep leaves the plan's people alone */
};

static void want_slot(void *ctx, int slot)
{
    ((bool *)ctx)[slot] = true;
}

static enum jx_status sweep_plan_make(struct ctx *c, const struct jx_plan *pl,
                                      struct sweep_plan *sp)
{
    const struct jx_plan_formula *rates[] = {&pl->commission_base_rate,
                                             &pl->commission_excess_rate,
                                             &pl->commission_multiplier};
    size_t ci = 0;
    bool *want;
    *sp = (struct sweep_plan){.plan = pl};
    while (ci < pl->nsteps && pl->steps[ci].kind != JX_STEP_COMMISSION)
        ci++;
    if (!pl->has_commission || ci == pl->nsteps)
        return JX_OK;
    NEW(c, want, (size_t)pl->nslots);
    NEW(c, sp->need, ci);
    for (int i = 0; i < 3; i++) {
        if (!rates[i]->expr)
            return JX_OK;
        jx_expr_deps(rates[i]->expr, want_slot, want);
    }
    for (size_t i = ci; i-- > 0;) { /* steps are in order: what a wanted one uses is before it */
        const struct jx_plan_step *s = &pl->steps[i];
        if (s->kind == JX_STEP_VALUE && want[pl->values[s->value].slot]) {
            sp->need[i] = 1;
            jx_expr_deps(pl->values[s->value].expr, want_slot, want);
        } else if (s->kind == JX_STEP_ABOVE_PRICE && want[JX_V_ABOVE_PRICE_SHARE]) {
            return JX_OK; /* the rates wait for the above-price share */
        }
    }
    sp->ci = ci;
    sp->ok = true;
    return JX_OK;
}

/* Each person's rates in pe[lo..hi) (swept[p].ok when worked out; errors are left for later). */
static enum jx_status rates_people(struct ctx *c, struct person_eval *pe, size_t lo, size_t hi,
                                   const struct jx_plan *const *of)
{
    for (size_t k = lo; k < hi; k++) {
        int32_t p = pe[k].p;
        const struct sweep_plan *sp = NULL;
        if ((size_t)p >= c->np || !of[p] || !c->ncredits[p] || lines_traced(c, p))
            continue;
        for (size_t i = 0; i < c->nsweep_plans; i++)
            if (c->sweep_plans[i].plan == of[p])
                sp = &c->sweep_plans[i];
        if (!sp || !sp->ok)
            continue;
        const struct jx_plan *pl = of[p];
        struct person_eval e = {.c = c, .plan = pl, .p = p, .vars = c->vars};
        struct jx_rat br, erd, mult;
        struct jx_err ee;
        bool ok = true;
        fill_inputs(&e);
        for (size_t i = 0; ok && i < sp->ci; i++) {
            const struct jx_plan_formula *f = &pl->values[pl->steps[i].value];
            ok = !sp->need[i] || eval_to(&e, f, &e.vars[f->slot], &ee) == JX_OK;
        }
        if (ok && !eval_to(&e, &pl->commission_base_rate, &br, &ee) &&
            !eval_to(&e, &pl->commission_excess_rate, &erd, &ee) &&
            !eval_to(&e, &pl->commission_multiplier, &mult, &ee)) {
            rates_make(pl, br, erd, mult, &c->swept[p].rates);
            c->swept[p].ok = true;
        }
    }
    return JX_OK;
}

/*
 * Credit cr's lines paid on the fast path for rates r, into *sum and *nl;
 * false when one needs the rational path, or a partial sum passes SWEEP_MAX.
 * Bounded so, the sums of THREADS_MAX parts never pass JX_MONEY_MAX in any
 * order: run_commission() adding the same payables one by one would not fail.
 */
#define SWEEP_MAX (JX_MONEY_MAX / THREADS_MAX)

static bool credit_pay(const struct jx_data *d, const struct credit *cr,
                       const struct comm_rates *r, struct memo *memo,
                       int64_t *sum, uint32_t *nl)
{
    const struct jx_contracts *k = &d->contracts;
    struct line_terms lt;
    if (cr->m_e == cr->m_s || k->revenue[cr->contract] <= 0)
        return true; /* nothing collected, refunded or returned in the period */
    int64_t excess = k->excess_rate[cr->contract];
    uint32_t line0 = k->line0[cr->contract], nlines = k->nlines[cr->contract];
    if (!r->br_ok ||
        (excess >= 0 ? !r->range_e9 || excess < r->emin9 || excess > r->emax9 : !r->erd_ok) ||
        !line_terms_make(k, cr, r->br9, excess >= 0 ? excess : r->erd9, r->mult, memo, &lt))
        return false;
    for (uint32_t l = line0; l < line0 + nlines; l++) {
        int64_t pay;
        __int128 num, den;
        if (!line_pay(&lt, &d->lines.row[l], &pay, &num, &den) ||
            __builtin_add_overflow(*sum, pay, sum) || *sum > SWEEP_MAX || *sum < -SWEEP_MAX)
            return false;
        ++*nl;
    }
    return true;
}

struct sweep_part {
    struct sweep_sum {  /* per person: one place, one cache line visited a credit */
        int64_t total;
        uint32_t nlines;
        bool bad;       /* the sweep cannot pay the person */
    } *sum;
    bool failed;        /* out of memory */
};

struct sweep {
    struct sweep_part t[THREADS_MAX];
};

/* The credits of part t of the pass, paid. */
static void sweep_part(struct ctx *c, size_t lo, size_t hi, size_t t, void *arg)
{
    struct sweep_part *me = &((struct sweep *)arg)->t[t];
    const struct credit *cr = c->part_cr[t];
    const int32_t *crp = c->part_crp[t];
    struct memo memo;
    size_t np = c->np ? c->np : 1;
    (void)lo, (void)hi;
    memo_init(&memo);
    me->sum = jx_calloc(np, sizeof *me->sum);
    if (!me->sum) {
        me->failed = true;
        return;
    }
    for (size_t j = 0; j < c->part_ncr[t]; j++) {
        int32_t p = crp[j];
        struct sweep_sum *sum = &me->sum[p];
        if (j + 8 < c->part_ncr[t]) { /* a person further on: both lines of theirs */
            const char *ahead = (const char *)&c->swept[crp[j + 8]];
            __builtin_prefetch(ahead);
            __builtin_prefetch(ahead + sizeof(struct swept) - 1);
        }
        if (c->swept[p].ok && !sum->bad &&
            !credit_pay(c->d, &cr[j], &c->swept[p].rates, &memo, &sum->total, &sum->nlines))
            sum->bad = true;
    }
}

static const char *const pay_zh[JX_PAY_PARTS] = {"基本工资", "提成", "奖金", "扣款"};
static const char *const pay_en[JX_PAY_PARTS] = {"base pay", "commission", "bonus", "deductions"};
static const char *const pay_key[JX_PAY_PARTS] = {"pay.base", "pay.commission", "pay.bonus",
                                                  "pay.deductions"};

static enum jx_status add_flag(struct person_eval *e, const char *name)
{
    struct jx_person_result *r = e->res;
    for (int i = 0; i < r->nflags; i++)
        if (!strcmp(r->flags[i], name))
            return JX_OK;
    if (r->nflags >= JX_FLAGS_MAX)
        return jx_err_set(e->c->err, JX_EINPUT, "person %s: more than %d flags",
                          e->c->sid[e->p], JX_FLAGS_MAX);
    if (!r->flags && !(r->flags = jx_arena_calloc(e->c->arena, JX_FLAGS_MAX, sizeof *r->flags)))
        return oom(e->c);
    r->flags[r->nflags++] = name;
    return JX_OK;
}

/*
 * Pay: each component rounded once; then the deduction cap (工资支付暂行规定
 * §16): the month's deductions - carried clawback, the plan's deductions and
 * a negative commission - take at most deduction_cap of the month's pay
 * (base + bonus + positive commission); the rest is carried forward.
 */
static enum jx_status compute_pay(struct person_eval *e)
{
    struct ctx *c = e->c;
    const struct jx_plan *pl = e->plan;
    struct jx_person_result *r = e->res;
    int64_t part[JX_PAY_PARTS];
    enum jx_status st;
    for (int i = 0; i < JX_PAY_PARTS; i++) {
        struct jx_rat v;
        if ((st = eval(e, &pl->pay[i], &v)))
            return st;
        if ((st = jx_rat_to_fen(v, &part[i]))) {
            jx_err_set(c->err, JX_ERANGE, "%s: %s out of range", c->sid[e->p],
                       pl->pay[i].name);
            return st;
        }
        if ((st = add_formula_trace(e, pay_key[i], pay_zh[i], pay_en[i], &pl->pay[i],
                                    fen_text(c, part[i]), source_of(e, pl->pay[i].line))))
            return st;
    }
    int64_t carry_in = c->in->carry_in ? c->in->carry_in[e->p] : 0;
    int64_t neg_comm = part[JX_PAY_COMMISSION] < 0 ? -part[JX_PAY_COMMISSION] : 0;
    int64_t pos = part[JX_PAY_BASE] + part[JX_PAY_BONUS] +
                  (part[JX_PAY_COMMISSION] > 0 ? part[JX_PAY_COMMISSION] : 0);
    int64_t want = carry_in + part[JX_PAY_DEDUCTIONS] + neg_comm, floor_, cap;
    /*
     * domain.md §5.1: the total never falls below (1 - cap) of the base pay
     * (80%); what would go below is carried forward.
     */
    struct jx_rat keep, floorr;
    if ((st = jx_rat_sub(jx_rat_from_int(1), pl->deduction_cap, &keep)) ||
        (st = jx_rat_mul(jx_rat_make(part[JX_PAY_BASE] > 0 ? part[JX_PAY_BASE] : 0, 100), keep,
                         &floorr)) ||
        (st = jx_rat_to_fen(floorr, &floor_)))
        return st;
    cap = pos - floor_ > 0 ? pos - floor_ : 0;
    int64_t taken = want < cap ? want : cap;
    if (taken < 0)
        taken = want; /* negative deductions (a refund to the person) are paid in full */
    int64_t applied_neg = neg_comm < taken ? neg_comm : taken;
    if (taken < 0)
        applied_neg = 0;
    r->base = part[JX_PAY_BASE];
    r->bonus = part[JX_PAY_BONUS];
    r->commission = part[JX_PAY_COMMISSION] >= 0 ? part[JX_PAY_COMMISSION] : -applied_neg;
    r->deductions = taken - applied_neg;
    r->carry_out = want - taken;
    r->total = r->base + r->commission + r->bonus - r->deductions;
    if (r->carry_out > 0 || neg_comm || carry_in) {
        const char *detail = jx_arena_printf(
            c->arena,
            "carried in %s + deductions %s + clawback %s = %s; pay %s, floor %s of base pay "
            "%s = %s, room %s; deducted %s, carried forward %s",
            fen_text(c, carry_in), fen_text(c, part[JX_PAY_DEDUCTIONS]), fen_text(c, neg_comm),
            fen_text(c, want), fen_text(c, pos), rat_text(c, keep, 4),
            fen_text(c, part[JX_PAY_BASE]), fen_text(c, floor_), fen_text(c, cap),
            fen_text(c, taken), fen_text(c, r->carry_out));
        if ((st = add_trace(e, "pay.deduction_cap", "扣款上限", "deduction cap", detail,
                            fen_text(c, r->carry_out), source_of(e, pl->pay[JX_PAY_DEDUCTIONS].line))))
            return st;
    }
    if (r->carry_out > 0 && (st = add_flag(e, "clawback_carried")))
        return st;
    char b[JX_MONEY_BUFSZ], m[JX_MONEY_BUFSZ], o[JX_MONEY_BUFSZ], dd[JX_MONEY_BUFSZ];
    const char *detail[] = {"base ",          jx_money_format(r->base, b),
                            " + commission ", jx_money_format(r->commission, m),
                            " + bonus ",      jx_money_format(r->bonus, o),
                            " - deductions ", jx_money_format(r->deductions, dd)};
    return add_trace(e, "pay.total", "应发合计", "total pay", join(c, detail, 8),
                     fen_text(c, r->total), source_of(e, pl->pay[JX_PAY_BASE].line));
}

static enum jx_status run_person(struct person_eval *e)
{
    const struct jx_plan *pl = e->plan;
    struct ctx *c = e->c;
    enum jx_status st;
    fill_inputs(e);
    const char *title = pl->title ? pl->title : pl->name;
    if ((st = add_trace(e, "plan", "方案", "plan", title, pl->name, source_of(e, 1))))
        return st;
    for (size_t i = 0; i < pl->nsteps; i++) {
        const struct jx_plan_step *s = &pl->steps[i];
        if (s->kind == JX_STEP_COMMISSION) {
            st = run_commission(e);
        } else if (s->kind == JX_STEP_ABOVE_PRICE) {
            st = run_above_price(e);
        } else {
            const struct jx_plan_formula *f = &pl->values[s->value];
            if (!(st = eval(e, f, &e->vars[f->slot])))
                st = add_formula_trace(e, f->trace_key, f->name, f->name, f,
                                       rat_text(c, e->vars[f->slot], 6), source_of(e, f->line));
        }
        if (st)
            return st;
    }
    if ((st = compute_pay(e)))
        return st;
    for (size_t i = 0; i < pl->nflags; i++) {
        struct jx_rat v;
        if ((st = eval(e, &pl->flags[i], &v)))
            return st;
        if (jx_rat_cmp(v, jx_rat_from_int(0)) != 0) {
            if ((st = add_flag(e, pl->flags[i].name)) ||
                (st = add_formula_trace(e, pl->flags[i].trace_key, "标记", "flag", &pl->flags[i],
                                        pl->flags[i].name, source_of(e, pl->flags[i].line))))
                return st;
        }
    }
    e->res->trace = e->trace;
    e->res->ntrace = e->ntrace;
    return JX_OK;
}


/* ---- scorecards (domain.md §6) ------------------------------------------ */


static const char *const grade_letter[JX_GRADES] = {"S", "A", "B", "C", "D"};
static const char *const rater_role_name[JX_RATER_ROLES] = {"self",     "superior",
                                                            "peer",     "customer",
                                                            "cross_dept", "hr"};

static enum jx_status score_range(struct person_eval *e, const char *what)
{
    return jx_err_set(e->c->err, JX_ERANGE, "person %s: %s out of range",
                      e->c->sid[e->p], what);
}

/*
 * Score of an actual/target item: higher is better: actual / target x 100;
 * lower is better: target / actual x 100, 0 actual scoring the cap; both
 * capped.  A target that is missing or not above 0 scores 0 and is flagged.
 */
static enum jx_status ratio_score(struct person_eval *e, const struct jx_sc_item *it,
                                  struct jx_rat a, struct jx_rat t, struct jx_rat cap,
                                  struct jx_rat *out, const char **why)
{
    struct jx_rat q;
    enum jx_status st;
    *why = "";
    if (jx_rat_sign(t) <= 0) {
        *out = jx_rat_from_int(0);
        *why = "no target above 0: scored 0";
        return JX_OK;
    }
    if (it->lower_is_better) {
        if (jx_rat_sign(a) <= 0) {
            *out = cap;
            *why = "actual 0: the cap";
            return JX_OK;
        }
        st = jx_rat_div(t, a, &q);
    } else {
        st = jx_rat_div(a, t, &q);
    }
    if (st || (st = jx_rat_mul(q, jx_rat_from_int(100), &q)))
        return score_range(e, it->name);
    if (jx_rat_cmp(q, cap) > 0) {
        *why = "capped";
        q = cap;
    }
    if (jx_rat_sign(q) < 0)
        q = jx_rat_from_int(0);
    *out = q;
    return JX_OK;
}

/* A rating item: the mean per rater role, weighted by the roles present. */
static enum jx_status rating_score(struct person_eval *e, const struct jx_sc_item *it,
                                   struct jx_rat *out, const char **detail, bool *missing)
{
    struct ctx *c = e->c;
    char buf[512];
    size_t n = 0;
    bool weighted = false;
    for (int r = 0; r < JX_RATER_ROLES; r++)
        weighted |= jx_rat_sign(it->role_weight[r]) > 0;
    *missing = false;
    if (!weighted) {
        if (!rating_mean(c, e->p, it->rating, out)) {
            *out = jx_rat_from_int(0);
            *missing = true;
        }
        *detail = jx_arena_printf(c->arena, "mean of the ratings of %s%s", it->rating,
                                  *missing ? ": none (0)" : "");
        return JX_OK;
    }
    struct jx_rat sum = jx_rat_from_int(0), wsum = jx_rat_from_int(0);
    buf[0] = '\0';
    for (int r = 0; r < JX_RATER_ROLES; r++) {
        struct jx_rat m, x;
        if (jx_rat_sign(it->role_weight[r]) <= 0)
            continue;
        char num[JX_RAT_BUFSZ], w[JX_RAT_BUFSZ];
        jx_rat_format(it->role_weight[r], 4, w);
        trim_zeros(w);
        if (!rating_mean_role(c, e->p, it->rating, r, &m)) {
            n += (size_t)snprintf(buf + n, n < sizeof buf ? sizeof buf - n : 0, "%s%s: none",
                                  n ? ", " : "", rater_role_name[r]);
            continue;
        }
        jx_rat_format(m, 4, num);
        trim_zeros(num);
        n += (size_t)snprintf(buf + n, n < sizeof buf ? sizeof buf - n : 0, "%s%s %s x %s",
                              n ? ", " : "", rater_role_name[r], num, w);
        if (jx_rat_mul(m, it->role_weight[r], &x) || jx_rat_add(sum, x, &sum) ||
            jx_rat_add(wsum, it->role_weight[r], &wsum))
            return score_range(e, it->name);
        if (n >= sizeof buf)
            n = sizeof buf - 1;
    }
    if (jx_rat_sign(wsum) <= 0) {
        *out = jx_rat_from_int(0);
        *missing = true;
    } else if (jx_rat_div(sum, wsum, out)) {
        return score_range(e, it->name);
    }
    *detail = jx_arena_printf(c->arena, "%s: %s%s", it->rating, buf,
                              jx_rat_cmp(wsum, jx_rat_from_int(1)) != 0 && !*missing
                                  ? " (weights of the roles present, rescaled)"
                                  : "");
    return JX_OK;
}

/* The grade of a (rounded) final score by the plan's bands. */
static int grade_of(const struct jx_scorecard *sc, struct jx_rat final2)
{
    for (int g = 0; g < JX_GRADES - 1; g++)
        if (jx_rat_cmp(final2, sc->bands[g]) >= 0)
            return g;
    return JX_GRADE_D;
}

static struct jx_rat round2(struct jx_rat x)
{
    struct jx_rat r;
    return jx_rat_round(x, 2, &r) ? x : r;
}

/* True when a formula is a single name such as sales or target.sales. */
static bool plain_name(const char *src)
{
    if (!*src)
        return false;
    for (; *src; src++)
        if (!((*src >= 'a' && *src <= 'z') || (*src >= '0' && *src <= '9') || *src == '_' ||
              *src == '.'))
            return false;
    return true;
}

/* "bands S >= 90, A >= 80, ..." of a plan, formatted once per run and plan. */
static const char *bands_text(struct ctx *c, const struct jx_plan *pl)
{
    const struct jx_scorecard *sc = pl->scorecard;
    if (c->bands_plan != pl) {
        c->bands_plan = pl;
        c->bands_text = jx_arena_printf(c->arena, "bands S >= %s, A >= %s, B >= %s, C >= %s",
                                        rat_text(c, sc->bands[0], 2), rat_text(c, sc->bands[1], 2),
                                        rat_text(c, sc->bands[2], 2), rat_text(c, sc->bands[3], 2));
    }
    return c->bands_text;
}

/* The trace keys and labels of a scorecard's items, made once per run and plan. */
static enum jx_status item_labels(struct ctx *c, const struct jx_plan *pl)
{
    const struct jx_scorecard *sc = pl->scorecard;
    if (c->labels_plan == pl)
        return JX_OK;
    NEW(c, c->item_key, sc->nitems);
    NEW(c, c->item_label, sc->nitems);
    for (size_t i = 0; i < sc->nitems; i++) {
        const struct jx_sc_item *it = &sc->items[i];
        c->item_key[i] = jx_arena_printf(c->arena, "item.%s", it->name);
        c->item_label[i] = jx_arena_printf(c->arena, "%s item %s (weight %s)",
                                           it->qualitative ? "qualitative" : "KPI", it->name,
                                           rat_text(c, it->weight, 6));
        if (!c->item_key[i] || !c->item_label[i])
            return oom(c);
    }
    c->labels_plan = pl;
    return JX_OK;
}

/* Values, items, KPI, qualitative, deductions, final and grade of one person. */
static enum jx_status run_scorecard(struct person_eval *e)
{
    struct ctx *c = e->c;
    const struct jx_plan *pl = e->plan;
    const struct jx_scorecard *sc = pl->scorecard;
    struct score *out = &c->sc[e->p];
    enum jx_status st;
    struct jx_rat kpi = jx_rat_from_int(0), qual = jx_rat_from_int(0), ded = jx_rat_from_int(0);
    bool missing_rating = false, missing_target = false;

    if ((st = item_labels(c, pl)))
        return st;
    fill_inputs(e);
    const char *title = pl->title ? pl->title : pl->name;
    if ((st = add_trace(e, "scorecard", "考核方案", "scorecard", title, pl->name,
                        source_of(e, 1))))
        return st;
    for (size_t i = 0; i < pl->nsteps; i++) {
        const struct jx_plan_formula *f = &pl->values[pl->steps[i].value];
        if (pl->steps[i].kind != JX_STEP_VALUE)
            continue;
        if ((st = eval(e, f, &e->vars[f->slot])) ||
            (st = add_formula_trace(e, f->trace_key, f->name, f->name, f,
                                    rat_text(c, e->vars[f->slot], 6), source_of(e, f->line))))
            return st;
    }
    out->plan = pl;
    NEW(c, out->items, sc->nitems);
    NEW(c, out->actuals, sc->nitems);
    for (size_t i = 0; i < sc->nitems; i++) {
        const struct jx_sc_item *it = &sc->items[i];
        struct jx_rat v, a, t, w;
        const char *detail = "", *why = "";
        const struct jx_plan_formula *formula = NULL; /* the detail is this one's */
        bool missing = false;
        if (it->kind == JX_SC_RATIO) {
            if ((st = eval(e, &it->actual, &a)) || (st = eval(e, &it->target, &t)) ||
                (st = ratio_score(e, it, a, t, sc->item_cap, &v, &why)))
                return st;
            out->actuals[i] = a;
            missing_target |= jx_rat_sign(t) <= 0;
            /* "sales / target.sales: 115000 / 100000 x 100" when both are plain names;
               otherwise the formulas' inputs follow in brackets */
            const struct jx_plan_formula *fa = it->lower_is_better ? &it->target : &it->actual,
                                         *fb = it->lower_is_better ? &it->actual : &it->target;
            char ra[JX_RAT_BUFSZ], rb[JX_RAT_BUFSZ];
            jx_rat_format(it->lower_is_better ? t : a, 6, ra);
            jx_rat_format(it->lower_is_better ? a : t, 6, rb);
            trim_zeros(ra);
            trim_zeros(rb);
            if (plain_name(fa->line_src) && plain_name(fb->line_src))
                detail = jx_arena_printf(c->arena, "%s / %s: %s / %s x 100%s%s%s", fa->line_src,
                                         fb->line_src, ra, rb, *why ? " (" : "", why,
                                         *why ? ")" : "");
            else {
                const char *ua = formula_used(e, fa), *ub = formula_used(e, fb);
                detail = jx_arena_printf(c->arena, "%s / %s: %s / %s x 100%s%s%s  [%s%s%s]",
                                         it->lower_is_better ? "target" : "actual",
                                         it->lower_is_better ? "actual" : "target", ra, rb,
                                         *why ? " (" : "", why, *why ? ")" : "", ua,
                                         *ua && *ub ? ", " : "", ub);
            }
        } else if (it->kind == JX_SC_SCORE) {
            if ((st = eval(e, &it->score, &v)))
                return st;
            formula = &it->score;
        } else {
            if ((st = rating_score(e, it, &v, &detail, &missing)))
                return st;
            missing_rating |= missing;
        }
        out->items[i] = v;
        if (jx_rat_mul(v, it->weight, &w) ||
            jx_rat_add(it->qualitative ? qual : kpi, w, it->qualitative ? &qual : &kpi))
            return score_range(e, it->name);
        const char *zh = it->qualitative ? "定性指标" : "KPI指标";
        if ((st = formula ? add_formula_trace(e, c->item_key[i], zh, c->item_label[i], formula,
                                              rat_text(c, v, 6), source_of(e, it->line))
                          : add_trace(e, c->item_key[i], zh, c->item_label[i], detail,
                                      rat_text(c, v, 6), source_of(e, it->line))))
            return st;
    }
    if (sc->has_deductions && (st = eval(e, &sc->deductions, &ded)))
        return st;
    struct jx_rat a, b, fin;
    if (jx_rat_mul(kpi, sc->kpi_weight, &a) || jx_rat_mul(qual, sc->qualitative_weight, &b) ||
        jx_rat_add(a, b, &fin) || jx_rat_sub(fin, ded, &fin))
        return score_range(e, "final score");
    out->kpi = kpi;
    out->qual = qual;
    out->final = fin;
    out->kpi2 = round2(kpi);
    out->qual2 = round2(qual);
    out->final2 = round2(fin);
    out->grade_before = out->grade = grade_of(sc, out->final2);
    const char *src = source_of(e, sc->line);
    if ((st = add_trace(e, "score.kpi", "KPI得分", "KPI score",
                        "the KPI items' scores x their weights", rat_text(c, kpi, 6), src)) ||
        (st = add_trace(e, "score.qualitative", "定性得分", "qualitative score",
                        "the qualitative items' scores x their weights", rat_text(c, qual, 6),
                        src)))
        return st;
    if (sc->has_deductions &&
        (st = add_formula_trace(e, "score.deductions", "扣分", "deductions", &sc->deductions,
                                rat_text(c, ded, 6), source_of(e, sc->deductions.line))))
        return st;
    char nk[JX_RAT_BUFSZ], nkw[JX_RAT_BUFSZ], nq[JX_RAT_BUFSZ], nqw[JX_RAT_BUFSZ],
        nd[JX_RAT_BUFSZ], nf[JX_RAT_BUFSZ];
    struct {
        struct jx_rat x;
        int digits;
        char *buf;
    } nums[] = {{kpi, 6, nk}, {sc->kpi_weight, 4, nkw}, {qual, 6, nq},
                {sc->qualitative_weight, 4, nqw}, {ded, 6, nd}, {fin, 6, nf}};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        jx_rat_format(nums[i].x, nums[i].digits, nums[i].buf);
        trim_zeros(nums[i].buf);
    }
    if ((st = add_trace(e, "score.final", "最终得分", "final score",
                        jx_arena_printf(c->arena, "KPI %s x %s + qualitative %s x %s - "
                                                  "deductions %s = %s, rounded",
                                        nk, nkw, nq, nqw, nd, nf),
                        rat_text(c, out->final2, 2), src)) ||
        (st = add_trace(e, "score.grade", "等级(校准前)", "grade before calibration",
                        bands_text(c, pl), grade_letter[out->grade_before], src)))
        return st;
    if (missing_rating && (st = add_flag(e, "missing_rating")))
        return st;
    if (missing_target && (st = add_flag(e, "missing_target")))
        return st;
    /* The plan's own flags see the scores (not yet the calibrated grade). */
    e->vars[JX_V_HAS_SCORE] = jx_rat_from_int(1);
    e->vars[JX_V_KPI_SCORE] = kpi;
    e->vars[JX_V_QUALITATIVE_SCORE] = qual;
    e->vars[JX_V_FINAL_SCORE] = out->final2;
    for (size_t i = 0; i < pl->nflags; i++) {
        struct jx_rat v;
        if ((st = eval(e, &pl->flags[i], &v)))
            return st;
        if (!jx_rat_is_zero(v) &&
            ((st = add_flag(e, pl->flags[i].name)) ||
             (st = add_formula_trace(e, pl->flags[i].trace_key, "标记", "flag", &pl->flags[i],
                                     pl->flags[i].name, source_of(e, pl->flags[i].line)))))
            return st;
    }
    return JX_OK;
}

/*
 * Calibration order (domain.md §6): rounded final, then rounded KPI, then
 * rounded qualitative, highest first; then the smaller person id (byte
 * order).  x and y are indexes into the evaluations array.
 */
static int rank_cmp(const void *x, const void *y, void *arg)
{
    const struct person_eval *pe = arg;
    const struct person_eval *ea = &pe[*(const int32_t *)x], *eb = &pe[*(const int32_t *)y];
    const struct ctx *c = ea->c;
    const struct score *sa = &c->sc[ea->p], *sb = &c->sc[eb->p];
    int k;
    if ((k = jx_rat_cmp(sb->final2, sa->final2)) || (k = jx_rat_cmp(sb->kpi2, sa->kpi2)) ||
        (k = jx_rat_cmp(sb->qual2, sa->qual2)))
        return k;
    return strcmp(c->sid[ea->p], c->sid[eb->p]);
}

/* The grade of person p in the run k+1 periods back ('S'..'D'), or 0. */
static char past_grade(const struct ctx *c, size_t k, int32_t p)
{
    if (k >= c->in->nhistory || !c->in->history[k])
        return 0;
    char g = c->in->history[k][p];
    return g >= 'A' && g <= 'Z' ? g : 0;
}

/* Letter order: S best, then A, B, C, D. */
static int letter_rank(char g)
{
    return g == 'S' ? 0 : g == 'A' ? 1 : g == 'B' ? 2 : g == 'C' ? 3 : g == 'D' ? 4 : 5;
}

/* Flags and dated tasks that follow from the calibrated grade (domain.md §6). */
static enum jx_status consequences(struct ctx *c, struct person_eval *e, const struct score *s,
                                   bool champion)
{
    const struct jx_scorecard *sc = e->plan->scorecard;
    const char *src = source_of(e, sc->line);
    enum jx_status st;
    char due[JX_DATE_BUFSZ];
    if (s->grade == JX_GRADE_C && sc->pip_review_days > 0 &&
        jx_date_format(c->end + sc->pip_review_days, due) &&
        ((st = add_flag(e, "pip")) ||
         (st = add_trace(e, "consequence.pip", "绩效改进计划", "improvement plan",
                         jx_arena_printf(c->arena, "grade C: improvement plan, re-review %d days "
                                                   "after the period",
                                         sc->pip_review_days),
                         jx_arena_strndup(c->arena, due, strlen(due)), src))))
        return st;
    if (s->grade == JX_GRADE_D && sc->elimination_streak > 0) {
        int streak = 1;
        while (streak < sc->elimination_streak && past_grade(c, (size_t)streak - 1, e->p) == 'D')
            streak++;
        if (streak >= sc->elimination_streak &&
            ((st = add_flag(e, "elimination_review")) || (st = add_flag(e, "base_cut_20")) ||
             (st = add_trace(e, "consequence.elimination", "末位淘汰评审", "elimination review",
                             jx_arena_printf(c->arena, "grade D %d periods in a row: "
                                                       "elimination review, base pay cut 20%%",
                                             streak),
                             "elimination_review", src))))
            return st;
    }
    if (sc->promotion_streak > 0 && c->in->period.kind == JX_PERIOD_QUARTER &&
        s->grade <= JX_GRADE_A) {
        int streak = 1;
        while (streak < sc->promotion_streak &&
               letter_rank(past_grade(c, (size_t)streak - 1, e->p)) <= JX_GRADE_A)
            streak++;
        if (streak >= sc->promotion_streak &&
            ((st = add_flag(e, "promotion_eligible")) ||
             (st = add_trace(e, "consequence.promotion", "晋升资格", "promotion eligible",
                             jx_arena_printf(c->arena, "grade A or better %d quarters in a row",
                                             streak),
                             "promotion_eligible", src))))
            return st;
    }
    if (champion &&
        ((st = add_flag(e, "sales_champion")) ||
         (st = add_trace(e, "consequence.champion", "季度销售冠军", "quarterly sales champion",
                         jx_arena_printf(c->arena, "the highest %s of the group",
                                         sc->champion_item),
                         "sales_champion", src))))
        return st;
    return JX_OK;
}

/* The target of subject (a person or unit id) for metric in the period, if any. */
static bool subject_target(const struct ctx *c, const char *subject, const char *metric,
                           struct jx_rat *out)
{
    const struct jx_targets *t = &c->d->targets;
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->subject[i], subject) && !strcmp(t->period[i], c->period_text) &&
            !strcmp(t->metric[i], metric)) {
            *out = target_rat(metric, t->value[i]);
            return true;
        }
    return false;
}

/*
 * Target decomposition (domain.md §4): each member's target of
 * member_metric is at least member_min (flag target_below_min), and a
 * manager's unit target of unit_metric does not exceed the sum of the
 * targets of the people scored in the unit and below it (flag
 * targets_not_decomposed on the manager).
 */
static enum jx_status check_targets(struct ctx *c, const struct jx_plan *pl,
                                    struct person_eval *pe, const int32_t *g, size_t n)
{
    const struct jx_scorecard *sc = pl->scorecard;
    const struct jx_people *pp = &c->d->people;
    enum jx_status st;
    if (!sc->unit_metric)
        return JX_OK;
    for (size_t i = 0; i < n; i++) {
        struct person_eval *e = &pe[g[i]];
        struct jx_rat t;
        const char *src = source_of(e, sc->targets_line);
        if ((size_t)e->p >= c->np)
            continue; /* decomposition is about people's targets */
        if (pp->role[e->p] != JX_ROLE_MANAGER) {
            bool has = target_value(c, e->p, sc->member_metric, &t);
            if ((!has || jx_rat_cmp(t, sc->member_min) < 0) &&
                ((st = add_flag(e, "target_below_min")) ||
                 (st = add_trace(e, "targets.member", "目标分解", "target decomposition",
                                 jx_arena_printf(c->arena, "%s target %s is below the minimum %s",
                                                 sc->member_metric, has ? rat_text(c, t, 2) : "none",
                                                 rat_text(c, sc->member_min, 2)),
                                 "target_below_min", src))))
                return st;
            continue;
        }
        int32_t u = pp->unit[e->p];
        struct jx_rat sum = jx_rat_from_int(0), m;
        if (u < 0 || !subject_target(c, c->d->units.id[u], sc->unit_metric, &t))
            continue;
        for (size_t j = 0; j < n; j++) {
            int32_t q = pe[g[j]].p;
            if (q != e->p && (size_t)q < c->np && unit_under(&c->d->units, pp->unit[q], u) &&
                target_value(c, q, sc->member_metric, &m) && jx_rat_add(sum, m, &sum))
                return jx_err_set(c->err, JX_ERANGE, "targets out of range");
        }
        const char *detail = jx_arena_printf(c->arena, "unit %s %s target %s; members' %s targets "
                                                       "sum to %s",
                                             c->d->units.id[u], sc->unit_metric, rat_text(c, t, 2),
                                             sc->member_metric, rat_text(c, sum, 2));
        bool short_ = jx_rat_cmp(t, sum) > 0;
        if ((short_ && (st = add_flag(e, "targets_not_decomposed"))) ||
            (st = add_trace(e, "targets.unit", "目标分解", "target decomposition", detail,
                            short_ ? "targets_not_decomposed" : "ok", src)))
            return st;
    }
    return JX_OK;
}

/*
 * Forced distribution within the group of one scorecard plan (its
 * evaluations g[0..n)), then the consequences of the calibrated grades.
 * Going down the ranking, a person whose grade is full (its cap is taken by
 * higher-ranked people) moves down one grade, and on, cascading; C and D are
 * never forced.  A cut between two people with the same rounded final is
 * flagged tie_at_cap on both sides.
 */
static enum jx_status calibrate(struct ctx *c, const struct jx_plan *pl, struct person_eval *pe,
                                int32_t *g, size_t n)
{
    const struct jx_scorecard *sc = pl->scorecard;
    int64_t cap[JX_GRADES], count[JX_GRADES] = {0};
    int32_t last_in[JX_GRADES];
    enum jx_status st;
    qsort_r(g, n, sizeof *g, rank_cmp, pe);
    for (int k = 0; k < JX_GRADES; k++) {
        struct jx_rat x;
        cap[k] = -1; /* no cap */
        last_in[k] = -1;
        if (!sc->has_distribution || k > JX_GRADE_B || jx_rat_sign(sc->max_share[k]) <= 0)
            continue;
        if (jx_rat_mul(jx_rat_from_int((int64_t)n), sc->max_share[k], &x) ||
            jx_rat_round(x, 0, &x))
            return jx_err_set(c->err, JX_ERANGE, "%s: distribution out of range", pl->file);
        cap[k] = x.num;
        if ((k == JX_GRADE_S || k == JX_GRADE_A) && cap[k] < 1)
            cap[k] = 1;
    }
    for (size_t i = 0; i < n; i++) {
        struct person_eval *e = &pe[g[i]];
        struct score *s = &c->sc[e->p];
        int k = s->grade_before;
        while (k < JX_GRADE_C && cap[k] >= 0 && count[k] >= cap[k]) {
            int32_t cut = last_in[k];
            if (cut >= 0 && !jx_rat_cmp(c->sc[pe[cut].p].final2, s->final2)) {
                if ((st = add_flag(&pe[cut], "tie_at_cap")) || (st = add_flag(e, "tie_at_cap")))
                    return st;
                if ((st = add_trace(e, "calibration.tie", "同分", "tie at the cap",
                                    jx_arena_printf(c->arena,
                                                    "same final %s as %s, who ranks higher by "
                                                    "KPI, qualitative score or id",
                                                    rat_text(c, s->final2, 2),
                                                    c->sid[pe[cut].p]),
                                    "tie_at_cap", source_of(e, sc->line))))
                    return st;
            }
            k++;
        }
        s->grade = k;
        count[k]++;
        last_in[k] = g[i];
        if (k != s->grade_before &&
            (st = add_trace(e, "calibration.move", "强制分布调整", "forced distribution",
                            jx_arena_printf(c->arena,
                                            "rank %zu of %zu; grade %s is capped at %lld of %zu "
                                            "(share %s), taken by higher-ranked people: moved "
                                            "down to %s",
                                            i + 1, n, grade_letter[s->grade_before],
                                            (long long)cap[s->grade_before], n,
                                            rat_text(c, sc->max_share[s->grade_before], 4),
                                            grade_letter[k]),
                            grade_letter[k], source_of(e, sc->line))))
            return st;
    }
    /* The group's distribution, on everyone's trace; C and D shares only reported. */
    char dist[256];
    size_t dn = 0;
    for (int k = 0; k < JX_GRADES; k++) {
        dn += (size_t)snprintf(dist + dn, sizeof dist - dn, "%s%s %lld", k ? ", " : "",
                               grade_letter[k], (long long)count[k]);
        if (cap[k] >= 0)
            dn += (size_t)snprintf(dist + dn, sizeof dist - dn, " (cap %lld)", (long long)cap[k]);
        else if (jx_rat_sign(sc->watch_share[k]) > 0) {
            struct jx_rat share = jx_rat_from_frac(count[k], n ? (int64_t)n : 1);
            dn += (size_t)snprintf(dist + dn, sizeof dist - dn, " (%s of at most %s%s)",
                                   rat_text(c, share, 4), rat_text(c, sc->watch_share[k], 4),
                                   jx_rat_cmp(share, sc->watch_share[k]) > 0 ? ": over, reported"
                                                                             : "");
        }
        if (dn >= sizeof dist)
            dn = sizeof dist - 1;
    }
    /* The champion: the highest actual of the champion item (quarter runs). */
    int champ_item = -1;
    int32_t champ = -1;
    for (size_t i = 0; sc->champion_item && i < sc->nkpi; i++)
        if (!strcmp(sc->items[i].name, sc->champion_item))
            champ_item = (int)i;
    if (champ_item >= 0 && c->in->period.kind == JX_PERIOD_QUARTER)
        for (size_t i = 0; i < n; i++) {
            int32_t p = pe[g[i]].p;
            if (champ < 0 || jx_rat_cmp(c->sc[p].actuals[champ_item],
                                        c->sc[pe[champ].p].actuals[champ_item]) > 0)
                champ = g[i];
        }
    /* Ranks in the group and within each unit, in one pass down the ranking. */
    size_t nu = c->d->units.n + 1;
    int *seen, *size;
    NEW(c, seen, nu);
    NEW(c, size, nu);
    const char *dist_text = jx_arena_strndup(c->arena, dist, dn);
    if (!dist_text)
        return oom(c);
    for (size_t i = 0; i < n; i++)
        size[c->sunit[pe[g[i]].p] + 1]++;
    for (size_t i = 0; i < n; i++) {
        struct score *s = &c->sc[pe[g[i]].p];
        int32_t unit = c->sunit[pe[g[i]].p] + 1; /* 0: no unit */
        s->rank = (int)i + 1;
        s->rank_in_unit = ++seen[unit];
        s->unit_size = size[unit];
        s->dist = dist_text;
        s->champion = g[i] == champ;
    }
    return JX_OK; /* finish_scores() writes each person's grade line and consequences */
}

/* The grade line and the consequences of pe[lo..hi) scored by c->finishing (of[p]). */
static enum jx_status finish_scores(struct ctx *c, struct person_eval *pe, size_t lo, size_t hi,
                                    const struct jx_plan *const *of)
{
    enum jx_status st;
    for (size_t k = lo; k < hi; k++) {
        struct person_eval *e = &pe[k];
        struct score *s = &c->sc[e->p];
        if (of[e->p] != c->finishing || !c->finishing)
            continue;
        e->c = c;
        e->vars = c->vars;
        e->plan = c->finishing;
        if ((st = add_trace(e, "score.grade_final", "等级", "grade",
                            jx_arena_printf(c->arena, "rank %d of %zu in the group, %d of %d in "
                                                      "the unit; %s",
                                            s->rank, c->finishing_n, s->rank_in_unit,
                                            s->unit_size, s->dist),
                            grade_letter[s->grade], source_of(e, e->plan->scorecard->line))) ||
            (st = consequences(c, e, s, s->champion)))
            return st;
    }
    return JX_OK;
}

/* ---- selection and the run ------------------------------------------- */

/* True if unit u is the unit id or below it. */
static bool unit_under(const struct jx_units *u, int32_t unit, int32_t top)
{
    for (int depth = 0; unit >= 0 && depth < 64; unit = u->parent[unit], depth++)
        if (unit == top)
            return true;
    return false;
}

static enum jx_status plan_units(struct ctx *c, const struct jx_plan *pl, int32_t *units)
{
    for (size_t i = 0; i < pl->nunits; i++) {
        units[i] = -1;
        for (size_t u = 0; u < c->d->units.n; u++)
            if (!strcmp(c->d->units.id[u], pl->units[i]))
                units[i] = (int32_t)u;
        if (units[i] < 0) {
            jx_err_set(c->err, JX_EINPUT, "applies_to.units: no unit \"%s\" in the database",
                       pl->units[i]);
            jx_err_at(c->err, pl->file, 0, NULL);
            return JX_EINPUT;
        }
    }
    return JX_OK;
}

static bool applies(const struct ctx *c, const struct jx_plan *pl, const int32_t *units,
                    int32_t p)
{
    const struct jx_people *pp = &c->d->people;
    enum jx_subject want = pl->scorecard ? pl->scorecard->subject : JX_SUBJECT_PERSON;
    if (c->skind[p] != want)
        return false;
    if (want == JX_SUBJECT_PERSON) {
        if (pp->status[p] == JX_PS_LEFT)
            return false;
        if (pp->hire_date[p] != JX_NO_DATE && pp->hire_date[p] > c->end)
            return false;
        if (pl->roles && !(pl->roles & (1u << pp->role[p])))
            return false;
    }
    /* a team subject is a unit of kind team (units.kind: company center division
       department team) */
    if (want == JX_SUBJECT_TEAM && c->d->units.kind[p - (int32_t)c->np] != 4)
        return false;
    if (!pl->nunits)
        return true;
    for (size_t i = 0; i < pl->nunits; i++)
        if (unit_under(&c->d->units, c->sunit[p], units[i]))
            return true;
    return false;
}

static bool period_fits(enum jx_plan_period pp, enum jx_period_kind k)
{
    return pp == JX_PP_ANY || (pp == JX_PP_MONTH && k == JX_PERIOD_MONTH) ||
           (pp == JX_PP_QUARTER && k == JX_PERIOD_QUARTER) ||
           (pp == JX_PP_YEAR && k == JX_PERIOD_YEAR);
}

/* ---- per person, on several cores ------------------------------------- */

/* Score pe[lo..hi) with their scorecards (of[p]; none: skipped). */
static enum jx_status score_people(struct ctx *c, struct person_eval *pe, size_t lo, size_t hi,
                                   const struct jx_plan *const *of)
{
    enum jx_status st;
    for (size_t k = lo; k < hi; k++) {
        pe[k].c = c;
        pe[k].vars = c->vars;
        if ((pe[k].plan = of[pe[k].p]) && (st = run_scorecard(&pe[k])))
            return st;
        c->trace_hint = pe[k].ntrace ? pe[k].ntrace : c->trace_hint;
    }
    return JX_OK;
}

/* Put the calibrated scores into pe[lo..hi)'s results, then pay them (of[p]). */
static enum jx_status pay_people(struct ctx *c, struct person_eval *pe, size_t lo, size_t hi,
                                 const struct jx_plan *const *of)
{
    enum jx_status st;
    for (size_t k = lo; k < hi; k++) {
        struct jx_person_result *r = pe[k].res;
        const struct score *s = score_of(c, pe[k].p);
        pe[k].c = c;
        pe[k].vars = c->vars;
        if (s->plan) {
            r->has_score = true;
            if (jx_rat_to_dec(s->kpi2, &r->kpi) || jx_rat_to_dec(s->qual2, &r->qualitative) ||
                jx_rat_to_dec(s->final2, &r->final))
                return jx_err_set(c->err, JX_ERANGE, "%s: score out of range", c->sid[pe[k].p]);
            r->grade[0] = grade_letter[s->grade][0];
            r->rank = s->rank;
            r->rank_in_unit = s->rank_in_unit;
            r->grade_before[0] = grade_letter[s->grade_before][0];
        }
        if ((pe[k].plan = of[pe[k].p])) {
            r->has_pay = true;
            if ((st = run_person(&pe[k])))
                return st;
        }
        r->trace = pe[k].trace;
        r->ntrace = pe[k].ntrace;
        c->trace_hint = pe[k].ntrace ? pe[k].ntrace : c->trace_hint;
    }
    return JX_OK;
}

typedef enum jx_status (*range_fn)(struct ctx *c, struct person_eval *pe, size_t lo, size_t hi,
                                   const struct jx_plan *const *of);

/*
 * A worker: a copy of the context with its own arena (its strings join the
 * run's arena afterwards), error and variables; the data it reads is shared
 * and never written, and each person's results are theirs alone.
 */
struct worker {
    struct ctx c;
    struct jx_arena arena;
    struct jx_err err;
    range_fn fn;
    struct person_eval *pe;
    size_t lo, hi;
    const struct jx_plan *const *of;
    enum jx_status st;
    pthread_t tid;
    bool started;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    w->st = w->fn(&w->c, w->pe, w->lo, w->hi, w->of);
    return NULL;
}

/*
 * fn over pe[0..n): split in contiguous ranges over the machine's cores.
 * The outcome does not depend on the split: a person's figures are theirs,
 * and of several failures the first person's is reported.
 */
static enum jx_status per_person(struct ctx *c, range_fn fn, struct person_eval *pe, size_t n,
                                 const struct jx_plan *const *of, int nslots)
{
    size_t nt = threads_for(c, n, PER_THREAD_MIN);
    if (nt <= 1)
        return fn(c, pe, 0, n, of);
    struct worker *w = jx_calloc(nt, sizeof *w);
    if (!w)
        return oom(c);
    enum jx_status st = JX_OK;
    for (size_t i = 0; i < nt; i++) {
        w[i].c = *c;
        w[i].c.arena = &w[i].arena;
        w[i].c.err = &w[i].err;
        jx_err_clear(&w[i].err);
        w[i].c.vars = jx_arena_calloc(&w[i].arena, (size_t)(nslots ? nslots : 1), sizeof *c->vars);
        w[i].c.texts =
            jx_arena_calloc(&w[i].arena, (size_t)(nslots ? nslots : 1), sizeof *c->texts);
        w[i].fn = fn;
        w[i].pe = pe;
        w[i].lo = n * i / nt;
        w[i].hi = n * (i + 1) / nt;
        w[i].of = of;
        if (!w[i].c.vars || !w[i].c.texts)
            st = oom(c);
    }
    for (size_t i = 1; !st && i < nt; i++)
        w[i].started = pthread_create(&w[i].tid, NULL, work, &w[i]) == 0;
    for (size_t i = 0; !st && i < nt; i++)
        if (i == 0 || !w[i].started)
            work(&w[i]); /* this thread's share, and any a thread could not take */
    for (size_t i = 1; i < nt; i++)
        if (w[i].started)
            pthread_join(w[i].tid, NULL);
    for (size_t i = 0; i < nt; i++) {
        if (!st && w[i].st) {
            st = w[i].st;
            *c->err = w[i].err;
        }
        jx_arena_adopt(c->arena, &w[i].arena);
    }
    for (size_t k = 0; k < n; k++) { /* calibration goes on with the run's context */
        pe[k].c = c;
        pe[k].vars = c->vars;
    }
    free(w);
    return st;
}

/* The sweep: c->swept set for the people of pe[0..n) (paid by of[]). */
static enum jx_status commission_sweep(struct ctx *c, struct person_eval *pe, size_t n,
                                       const struct jx_plan *const *of, int nslots)
{
    const struct jx_run_input *in = c->in;
    struct sweep_plan *sps;
    struct sweep sw = {0};
    enum jx_status st = JX_OK;
    bool any = false;
    if (!c->nparts || in->line_trace == JX_TRACE_ALL)
        return JX_OK;
    NEW(c, sps, in->nplans);
    for (size_t i = 0; i < in->nplans; i++) {
        if ((st = sweep_plan_make(c, in->plans[i], &sps[i])))
            return st;
        any |= sps[i].ok;
    }
    if (!any)
        return JX_OK;
    c->sweep_plans = sps;
    c->nsweep_plans = in->nplans;
    NEW(c, c->swept, c->np);
    if ((st = per_person(c, rates_people, pe, n, of, nslots)))
        return st;
    in_parts(c, c->nparts, c->nparts, sweep_part, &sw);
    for (size_t t = 0; t < c->nparts; t++)
        if (sw.t[t].failed)
            st = oom(c);
    for (size_t p = 0; !st && p < c->np; p++) {
        struct swept *s = &c->swept[p];
        for (size_t t = 0; s->ok && t < c->nparts; t++) {
            const struct sweep_sum *sum = &sw.t[t].sum[p];
            s->ok = !sum->bad;
            s->total += sum->total; /* |each| <= SWEEP_MAX: no overflow */
            s->nlines += sum->nlines;
        }
    }
    for (size_t t = 0; t < c->nparts; t++) {
        free(sw.t[t].sum);
        free(c->part_crp[t]); /* the sweep's alone: the pay rules that follow reuse it */
        c->part_crp[t] = NULL;
    }
    return st;
}

/*
 * Set c up for its input (c->in, c->d, c->err) and measure the period: the
 * subjects, the contracts and their credits, every metric, the units' sums
 * and the period's rows.  The caller calls release() and frees c->arena
 * (which may be NULL) whatever this returns.
 */
static enum jx_status measure(struct ctx *c)
{
    const struct jx_run_input *in = c->in;
    enum jx_status st;
    jx_strmap_init(&c->people_ids);
    if (!(c->arena = jx_calloc(1, sizeof *c->arena)))
        return jx_err_set(c->err, JX_ENOMEM, "out of memory");
    c->start = jx_period_first(&in->period);
    c->end = jx_period_last(&in->period);
    c->prev_end = c->start - 1;
    jx_period_format(&in->period, c->period_text);
    struct jx_rat threshold = jx_rat_from_int(10000);
    if (in->nplans)
        threshold = in->plans[0]->new_customer_threshold;
    if ((st = setup_subjects(c)) || (st = compute_metrics(c, &threshold)) ||
        (st = compute_conduct(c)) || (c->teams && (st = aggregate_units(c))) ||
        (st = index_period_rows(c)))
        return st;
    return JX_OK;
}

static void list_used(struct ctx *c)
{
    c->nused = 0;
    for (int v = 0; v < JX_V_COUNT; v++)
        if (c->uses[v])
            c->used[c->nused++] = v;
}

/* What c holds outside its arena (which goes to the output, or is freed by the caller). */
static void release(struct ctx *c)
{
    jx_strmap_release(&c->people_ids);
    for (size_t t = 0; t < THREADS_MAX; t++) {
        free(c->credit_mem[t]);
        free(c->part_crp[t]);
        c->credit_mem[t] = NULL;
        c->part_crp[t] = NULL;
    }
}

/* fen x 10^9 to fen, half away from zero. */
static int64_t fen_of(__int128 v)
{
    return (int64_t)((v + (v < 0 ? -(__int128)S9 / 2 : (__int128)S9 / 2)) / S9);
}

enum jx_status jx_engine_figures(const struct jx_run_input *in, struct jx_figures *out,
                                 struct jx_err *err)
{
    struct ctx c = {.in = in, .d = in->data, .err = err};
    for (int v = 0; v < JX_V_COUNT; v++)
        c.uses[v] = true; /* figures for the dashboard, not for plans */
    list_used(&c);
    enum jx_status st = measure(&c);
    if (!st) {
        for (size_t p = 0; p < in->data->people.n; p++) {
            struct jx_rat t;
            struct jx_figures *f = &out[p];
            f->sales = fen_of(c.m[p][ms(JX_V_SALES)]);
            f->collected = fen_of(c.m[p][ms(JX_V_COLLECTED)]);
            f->late_reports = (int)(c.m[p][ms(JX_V_LATE_REPORTS)] / S9);
            f->has_target = target_value(&c, (int32_t)p, "sales", &t);
            f->target = 0;
            if (f->has_target && jx_rat_to_fen(t, &f->target))
                f->has_target = false;
        }
        /* each month of the year, in a slot the figures above no longer need */
        for (int m = 1; m <= 12; m++) {
            struct jx_period month = {JX_PERIOD_MONTH, in->period.year, m};
            for (size_t p = 0; p < c.ns; p++)
                c.m[p][ms(JX_V_SALES_PREV)] = 0;
            window_sales(&c, jx_period_first(&month), jx_period_last(&month), JX_V_SALES_PREV);
            for (size_t p = 0; p < in->data->people.n; p++)
                out[p].month_sales[m - 1] = fen_of(c.m[p][ms(JX_V_SALES_PREV)]);
        }
    }
    release(&c);
    if (c.arena)
        jx_arena_free(c.arena);
    free(c.arena);
    return st;
}

enum jx_status jx_engine_run(const struct jx_run_input *in, struct jx_run_output *out,
                             struct jx_err *err)
{
    struct ctx c = {.in = in, .d = in->data, .err = err};
    enum jx_status st;
    size_t np = in->data->people.n;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < in->nplans; i++) {
        for (int v = 0; v < JX_V_COUNT; v++)
            c.uses[v] |= in->plans[i]->uses[v];
        /* agents' rows only for a plan that scores them (no plan pays them), and the
           same for the sums of the teams' rows */
        const struct jx_scorecard *sc = in->plans[i]->scorecard;
        c.agents |= sc && sc->subject == JX_SUBJECT_AGENT;
        c.teams |= sc && sc->subject == JX_SUBJECT_TEAM;
    }
    c.counts_served = c.uses[JX_V_CUSTOMERS_SERVED] || c.uses[JX_V_COMPLAINT_RATE];
    list_used(&c);
    if ((st = measure(&c)))
        goto fail;
    size_t ns = c.ns;

    /* Who is paid by which plan, and scored by which scorecard: one of each at most. */
    const struct jx_plan **pay_of = jx_arena_calloc(c.arena, ns ? ns : 1, sizeof *pay_of);
    const struct jx_plan **sc_of = jx_arena_calloc(c.arena, ns ? ns : 1, sizeof *sc_of);
    bool scorecards = false; /* the scorecards' rows only when a plan has one */
    for (size_t i = 0; i < in->nplans; i++)
        scorecards |= in->plans[i]->scorecard != NULL;
    if (!pay_of || !sc_of ||
        (scorecards && !(c.sc = jx_arena_calloc(c.arena, ns ? ns : 1, sizeof *c.sc)))) {
        st = oom(&c);
        goto fail;
    }
    for (size_t i = 0; i < in->nplans; i++) {
        const struct jx_plan *pl = in->plans[i];
        int32_t units[64];
        char pbuf[JX_PERIOD_BUFSZ];
        if (!period_fits(pl->period, in->period.kind)) {
            st = jx_err_set(err, JX_EUSAGE, "plan %s runs by %s; %s is not one", pl->name,
                            pl->period == JX_PP_MONTH     ? "month"
                            : pl->period == JX_PP_QUARTER ? "quarter"
                                                          : "year",
                            jx_period_format(&in->period, pbuf));
            jx_err_at(err, pl->file, 0, NULL);
            goto fail;
        }
        if (pl->nunits > 64) {
            st = jx_err_set(err, JX_EINPUT, "%s: at most 64 units in applies_to", pl->file);
            goto fail;
        }
        if ((st = plan_units(&c, pl, units)))
            goto fail;
        const struct jx_plan **slot = pl->scorecard ? sc_of : pay_of;
        for (size_t p = 0; p < ns; p++) {
            if (!applies(&c, pl, units, (int32_t)p))
                continue;
            if (slot[p]) {
                st = jx_err_set(err, JX_EINPUT, "%s is %s by two plans, %s and %s: narrow "
                                                "applies_to",
                                c.sid[p], pl->scorecard ? "scored" : "paid", slot[p]->file,
                                pl->file);
                goto fail;
            }
            slot[p] = pl;
        }
    }
    for (size_t p = 0; p < ns; p++)
        c.nout += pay_of[p] || sc_of[p];
    out->people = jx_arena_calloc(c.arena, c.nout ? c.nout : 1, sizeof *out->people);
    struct person_eval *pe = jx_arena_calloc(c.arena, c.nout ? c.nout : 1, sizeof *pe);
    int32_t *group = jx_arena_calloc(c.arena, c.nout ? c.nout : 1, sizeof *group);
    struct jx_rat *vars = NULL;
    int maxslots = 0;
    for (size_t i = 0; i < in->nplans; i++)
        if (in->plans[i]->nslots > maxslots)
            maxslots = in->plans[i]->nslots;
    vars = jx_arena_calloc(c.arena, (size_t)(maxslots ? maxslots : 1), sizeof *vars);
    c.texts = jx_arena_calloc(c.arena, (size_t)(maxslots ? maxslots : 1), sizeof *c.texts);
    if (!out->people || !pe || !group || !vars || !c.texts) {
        st = oom(&c);
        goto fail;
    }
    static const char *const subject_names[] = {"person", "team", "agent"};
    for (size_t p = 0; p < ns; p++) {
        if (!pay_of[p] && !sc_of[p])
            continue;
        struct jx_person_result *r = &out->people[out->n];
        pe[out->n] = (struct person_eval){.c = &c, .p = (int32_t)p, .vars = vars, .res = r};
        r->person = p < np ? (int32_t)p : -1;
        r->subject = subject_names[c.skind[p]];
        r->id = c.sid[p];
        r->name = c.sname[p];
        r->unit_id = c.sunit[p] >= 0 ? in->data->units.id[c.sunit[p]] : NULL;
        r->key = p < np ? c.sid[p] : jx_arena_printf(c.arena, "%s:%s", r->subject, c.sid[p]);
        if (!r->key) {
            st = oom(&c);
            goto fail;
        }
        r->plan = pay_of[p] ? pay_of[p]->name : NULL;
        r->scorecard = sc_of[p] ? sc_of[p]->name : NULL;
        out->n++;
    }
    /* 1. Scorecards, 2. calibration per scorecard plan, 3. pay (which may use the grades).
       1 and 3 are one person at a time: on several cores when there are many people. */
    c.vars = vars;
    if ((st = per_person(&c, score_people, pe, out->n, sc_of, maxslots)))
        goto fail;
    for (size_t i = 0; i < in->nplans; i++) {
        size_t ng = 0;
        if (!in->plans[i]->scorecard)
            continue;
        for (size_t k = 0; k < out->n; k++)
            if (sc_of[pe[k].p] == in->plans[i])
                group[ng++] = (int32_t)k;
        for (size_t k = 0; k < ng; k++)
            pe[group[k]].plan = in->plans[i];
        c.finishing = in->plans[i];
        c.finishing_n = ng;
        if ((st = calibrate(&c, in->plans[i], pe, group, ng)) ||
            (st = per_person(&c, finish_scores, pe, out->n, sc_of, maxslots)) ||
            (st = check_targets(&c, in->plans[i], pe, group, ng)))
            goto fail;
    }
    if ((st = commission_sweep(&c, pe, out->n, pay_of, maxslots)) ||
        (st = per_person(&c, pay_people, pe, out->n, pay_of, maxslots)))
        goto fail;
    release(&c);
    out->arena = c.arena;
    return JX_OK;
fail:
    release(&c);
    if (c.arena)
        jx_arena_free(c.arena);
    free(c.arena);
    memset(out, 0, sizeof *out);
    return st;
}

void jx_run_output_release(struct jx_run_output *out)
{
    if (out->arena) {
        jx_arena_free(out->arena);
        free(out->arena);
    }
    memset(out, 0, sizeof *out);
}
