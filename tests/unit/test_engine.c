/*
 * test_engine.c - properties of the pay engine on random data (seeded):
 *   - split shares credit the whole: Σ people's sales == Σ revenue, exactly;
 *   - a full refund brings total commission back to 0 (clawback mirrors pay);
 *   - every total is base + commission + bonus - deductions, and commission
 *     is the sum of its rounded lines (no fen lost or gained);
 *   - each commission equals the one computed here in exact rationals;
 *   - results do not depend on the order of the input rows;
 *   - sums beyond 64 bits stay exact;
 *   - the commission sweep pays what the line-by-line path pays.
 * And the worked example M1 at the engine level.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/calendar.h"
#include "core/money.h"
#include "engine/engine.h"
#include "plan/plan.h"

#define S9 INT64_C(1000000000)

static const char plan_text[] =
    "plan: t\n"
    "period: month\n"
    "applies_to: {roles: [rep, manager]}\n"
    "parameters:\n"
    "  base_rate: 3%\n"
    "  excess_rate: {value: 15%, min: 10%, max: 20%}\n"
    "commission: {model: two_tier, base_rate: base_rate, excess_rate: excess_rate,\n"
    "             multiplier: composite / 10}\n"
    "values:\n"
    "  composite: if(has_rating.composite, rating.composite, 10)\n"
    "pay:\n"
    "  base: base_salary\n"
    "  commission: commission\n"
    "  bonus: team_collected * 1%\n"
    "  deductions: 0\n";

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static int64_t pick(int64_t lo, int64_t hi)
{
    return lo + (int64_t)(next() % (uint64_t)(hi - lo + 1));
}

/* A random company: np people (person 0 manages the rest), nc contracts. */
struct world {
    struct jx_data d;
    struct jx_arena arena;
};

#define A(x, n) ((x) = jx_arena_calloc(&w->arena, (n), sizeof *(x)))

static void build(struct world *w, size_t np, size_t nc, bool refund_all)
{
    struct jx_data *d = &w->d;
    memset(w, 0, sizeof *w);
    static const char *const ids[] = {"P0", "P1", "P2", "P3", "P4", "P5", "P6", "P7"};
    d->units.n = 1;
    A(d->units.id, 1);
    A(d->units.name, 1);
    A(d->units.parent, 1);
    A(d->units.kind, 1);
    d->units.id[0] = d->units.name[0] = "U";
    d->units.parent[0] = -1;
    d->people.n = np;
    A(d->people.id, np);
    A(d->people.name, np);
    A(d->people.unit, np);
    A(d->people.manager, np);
    A(d->people.role, np);
    A(d->people.status, np);
    A(d->people.hire_date, np);
    A(d->people.base_salary, np);
    A(d->people.allowance, np);
    for (size_t p = 0; p < np; p++) {
        d->people.id[p] = d->people.name[p] =
            np <= 8 ? ids[p] : jx_arena_printf(&w->arena, "P%05zu", p); /* sorted by id */
        d->people.manager[p] = p ? 0 : -1;
        d->people.role[p] = p ? JX_ROLE_REP : JX_ROLE_MANAGER;
        d->people.status[p] = JX_PS_REGULAR;
        d->people.hire_date[p] = jx_date_from_ymd(2020, 1, 1);
        d->people.base_salary[p] = 500000;
    }
    struct jx_contracts *k = &d->contracts;
    k->n = nc;
    A(k->id, nc);
    A(k->signed_date, nc);
    A(k->acceptance_date, nc);
    A(k->customer, nc);
    A(k->person, nc);
    A(k->retention, nc);
    A(k->excess_rate, nc);
    A(k->flags, nc);
    A(k->revenue, nc);
    A(k->line0, nc);
    A(k->nlines, nc);
    A(k->split0, nc);
    A(k->nsplits, nc);
    A(d->lines.contract, nc * 3);
    A(d->lines.row, nc * 3);
    A(d->splits.person, nc * 3);
    A(d->splits.share, nc * 3);
    A(d->payments.contract, nc * 2);
    A(d->payments.date, nc * 2);
    A(d->payments.amount, nc * 2);
    A(d->payments.kind, nc * 2);
    for (size_t j = 0; j < nc; j++) {
        char *id = jx_arena_printf(&w->arena, "K%03zu", j);
        k->id[j] = id;
        k->signed_date[j] = jx_date_from_ymd(2025, 7, (int)pick(1, 28));
        k->acceptance_date[j] = JX_NO_DATE;
        k->customer[j] = -1;
        k->person[j] = (int32_t)pick(1, (int64_t)np - 1);
        k->retention[j] = pick(0, 10) * S9 / 100;
        k->excess_rate[j] = -1;
        k->flags[j] = pick(0, 9) == 0 ? JX_CF_CONCESSION : 0;
        k->line0[j] = (uint32_t)d->lines.n;
        k->nlines[j] = (uint32_t)pick(1, 3);
        __int128 rev = 0;
        for (uint32_t l = 0; l < k->nlines[j]; l++) {
            size_t x = d->lines.n++;
            d->lines.contract[x] = (int32_t)j;
            d->lines.row[x].quantity = pick(1, 20) * S9;
            d->lines.row[x].base_price = pick(100, 5000) * 100;
            d->lines.row[x].unit_price =
                d->lines.row[x].base_price + pick(-500, 2000) * 100 + pick(0, 99);
            rev += (__int128)d->lines.row[x].quantity * d->lines.row[x].unit_price;
        }
        k->revenue[j] = (int64_t)(rev / S9);
        if (pick(0, 3) == 0) { /* a three-way split: 1/3 each is not a decimal */
            k->split0[j] = (uint32_t)d->splits.n;
            k->nsplits[j] = 3;
            int64_t shares[3] = {333333333, 333333333, 333333334};
            for (int s = 0; s < 3; s++) {
                d->splits.person[d->splits.n] = (int32_t)(1 + s % ((int)np - 1));
                d->splits.share[d->splits.n++] = shares[s];
            }
            if (np - 1 < 3)
                k->nsplits[j] = 0;
            if (np - 1 < 3)
                d->splits.n -= 3;
        }
        int64_t paid = k->revenue[j] * pick(30, 100) / 100;
        size_t x = d->payments.n++;
        d->payments.contract[x] = (int32_t)j;
        d->payments.date[x] = jx_date_from_ymd(2025, 8, (int)pick(1, 31));
        d->payments.amount[x] = paid;
        d->payments.kind[x] = JX_PAY_PAYMENT;
        if (refund_all) {
            x = d->payments.n++;
            d->payments.contract[x] = (int32_t)j;
            d->payments.date[x] = jx_date_from_ymd(2025, 9, 15);
            d->payments.amount[x] = paid;
            d->payments.kind[x] = JX_PAY_REFUND;
        }
    }
}

static struct jx_plan *plan_from(const char *file, const char *text)
{
    struct jx_plan *p = NULL;
    struct jx_err err;
    enum jx_status st = jx_plan_load_text(file, text, strlen(text), &p, &err);
    if (st)
        fail_msg("plan: %s:%ld: %s", err.file, err.line, err.msg);
    return p;
}

static struct jx_plan *plan(void)
{
    return plan_from("t.yaml", plan_text);
}

/* n customers of kind in w, named PREFIX0001... and owned by nobody. */
static void add_customers(struct world *w, size_t n, enum jx_ckind kind, const char *prefix)
{
    struct jx_customers *cu = &w->d.customers;
    cu->n = n;
    A(cu->id, n);
    A(cu->name, n);
    A(cu->kind, n);
    A(cu->klass, n);
    A(cu->tier, n);
    A(cu->owner, n);
    A(cu->signed_date, n);
    for (size_t i = 0; i < n; i++) {
        cu->id[i] = cu->name[i] = jx_arena_printf(&w->arena, "%s%04zu", prefix, i + 1);
        cu->kind[i] = (uint8_t)kind;
        cu->klass[i] = 'B';
        cu->owner[i] = -1;
        cu->signed_date[i] = JX_NO_DATE;
    }
}

static int threads = 1;
static int32_t line_trace = JX_TRACE_ALL; /* every line traced: the line-by-line path */

/* Run plans[0..n) over w for month of 2025; the status, the error in *err. */
static enum jx_status try_run_plans(struct world *w, const struct jx_plan *const *plans, size_t n,
                                    int month, struct jx_run_output *out, struct jx_err *err)
{
    struct jx_calendar cal;
    jx_calendar_init(&cal);
    assert_int_equal(jx_calendar_load_builtin(&cal, err), JX_OK);
    struct jx_run_input in = {.data = &w->d, .plans = plans, .nplans = n,
                              .period = {JX_PERIOD_MONTH, 2025, month}, .cal = &cal,
                              .line_trace = line_trace, .threads = threads};
    enum jx_status st = jx_engine_run(&in, out, err);
    jx_calendar_release(&cal);
    return st;
}

static enum jx_status try_run(struct world *w, const struct jx_plan *p, int month,
                              struct jx_run_output *out, struct jx_err *err)
{
    return try_run_plans(w, &p, 1, month, out, err);
}

static void run_plans(struct world *w, const struct jx_plan *const *plans, size_t n, int month,
                      struct jx_run_output *out)
{
    struct jx_err err;
    if (try_run_plans(w, plans, n, month, out, &err))
        fail_msg("engine: %s", err.msg);
}

static void run(struct world *w, const struct jx_plan *p, int month, struct jx_run_output *out)
{
    run_plans(w, &p, 1, month, out);
}

/* A plan that pays reps and managers a bonus alone (its formula), after more YAML lines. */
static struct jx_plan *bonus_plan(const char *file, const char *more, const char *bonus)
{
    char text[512];
    snprintf(text, sizeof text,
             "plan: bonus\n"
             "period: month\n"
             "applies_to: {roles: [rep, manager]}\n"
             "%s"
             "pay: {base: 0, commission: 0, bonus: %s, deductions: 0}\n",
             more, bonus);
    return plan_from(file, text);
}

/* A scorecard of agents and distributors with one KPI item (its YAML line). */
static struct jx_plan *agent_scorecard(const char *file, const char *item)
{
    char text[512];
    snprintf(text, sizeof text,
             "plan: ag\n"
             "period: month\n"
             "applies_to: {}\n"
             "scorecard:\n"
             "  subject: agent\n"
             "  kpi_weight: 100%%\n"
             "  qualitative_weight: 0%%\n"
             "  kpi:\n"
             "    %s\n"
             "  grades: {S: 90, A: 80, B: 70, C: 60}\n",
             item);
    return plan_from(file, text);
}

/* w's contracts all of 4 x 10^18 fen, without lines, splits or payments. */
static void huge_contracts(struct world *w)
{
    for (size_t j = 0; j < w->d.contracts.n; j++) {
        w->d.contracts.nsplits[j] = 0;
        w->d.contracts.nlines[j] = 0;
        w->d.contracts.revenue[j] = INT64_C(4000000000000000000);
    }
    w->d.payments.n = 0;
}

static void split_credits_the_whole(void **state)
{
    (void)state;
    struct jx_plan *p = plan();
    for (int round = 0; round < 20; round++) {
        struct world w;
        struct jx_run_output out;
        build(&w, 5, 40, false);
        /* sales are share-weighted: check through the team figure of the manager */
        run(&w, p, 7, &out);
        __int128 rev = 0;
        for (size_t k = 0; k < w.d.contracts.n; k++)
            rev += w.d.contracts.revenue[k];
        /* P0 manages everyone: team_collected in July is 0 (payments are in August),
         * so check the bonus of August instead: 1% of all collections, rounded once. */
        jx_run_output_release(&out);
        run(&w, p, 8, &out);
        __int128 paid = 0;
        for (size_t i = 0; i < w.d.payments.n; i++)
            paid += w.d.payments.amount[i];
        int64_t expect;
        assert_true(jx_round_div(paid, 100, &expect));
        assert_int_equal(out.people[0].bonus, expect);
        (void)rev;
        jx_run_output_release(&out);
        jx_arena_free(&w.arena);
    }
    jx_plan_free(p);
}

static void full_refund_claws_back_to_zero(void **state)
{
    (void)state;
    struct jx_plan *p = plan();
    for (int round = 0; round < 20; round++) {
        struct world w;
        struct jx_run_output aug, sep;
        build(&w, 5, 30, true);
        run(&w, p, 8, &aug);
        run(&w, p, 9, &sep);
        assert_int_equal(aug.n, sep.n);
        int64_t sum = 0;
        for (size_t i = 0; i < aug.n; i++) {
            int64_t c = aug.people[i].commission;
            /* The clawback may be capped and carried; what is owed is the same. */
            int64_t s = sep.people[i].commission - sep.people[i].carry_out;
            assert_int_equal(c + s, 0);
            sum += c + s;
        }
        assert_int_equal(sum, 0);
        jx_run_output_release(&aug);
        jx_run_output_release(&sep);
        jx_arena_free(&w.arena);
    }
    jx_plan_free(p);
}

/* Parse the value of the trace line with key, as fen. */
static int64_t sum_lines(const struct jx_person_result *r)
{
    int64_t sum = 0;
    for (size_t i = 0; i < r->ntrace; i++)
        if (!strcmp(r->trace[i].key, "commission.line")) {
            int64_t v;
            assert_int_equal(jx_money_parse(r->trace[i].value, strlen(r->trace[i].value), &v,
                                            NULL),
                             JX_OK);
            sum += v;
        }
    return sum;
}

static void no_fen_lost(void **state)
{
    (void)state;
    struct jx_plan *p = plan();
    for (int round = 0; round < 20; round++) {
        struct world w;
        struct jx_run_output out;
        build(&w, 6, 50, false);
        run(&w, p, 8, &out);
        for (size_t i = 0; i < out.n; i++) {
            const struct jx_person_result *r = &out.people[i];
            assert_int_equal(r->total, r->base + r->commission + r->bonus - r->deductions);
            assert_int_equal(r->commission, sum_lines(r));
        }
        jx_run_output_release(&out);
        jx_arena_free(&w.arena);
    }
    jx_plan_free(p);
}

/* A rational the test computes with; any overflow fails the test. */
static struct jx_rat rmul(struct jx_rat a, struct jx_rat b)
{
    struct jx_rat r;
    assert_int_equal(jx_rat_mul(a, b, &r), JX_OK);
    return r;
}

/*
 * Each person's commission of domain.md §5.1, computed here line by line in
 * exact rationals, equals the engine's (which takes integer shortcuts where
 * they are exact): on quantities with decimals, per-contract excess rates,
 * three-way splits, retention, concessions and lines below base price.
 */
static void commission_is_exact(void **state)
{
    (void)state;
    struct jx_plan *p = plan();
    for (int round = 0; round < 20; round++) {
        struct world w;
        struct jx_run_output out;
        build(&w, 6, 60, false);
        struct jx_data *d = &w.d;
        struct jx_contracts *k = &d->contracts;
        for (size_t j = 0; j < k->n; j++) { /* decimals in quantities; the contract's rate */
            __int128 rev = 0;
            for (uint32_t l = k->line0[j]; l < k->line0[j] + k->nlines[j]; l++) {
                d->lines.row[l].quantity = pick(1, 20000) * (S9 / 1000);
                rev += (__int128)d->lines.row[l].quantity * d->lines.row[l].unit_price;
            }
            k->revenue[j] = (int64_t)(rev / S9);
            d->payments.amount[j] = k->revenue[j] * pick(30, 100) / 100;
            k->excess_rate[j] = pick(0, 1) ? pick(100, 200) * (S9 / 1000) : -1;
        }
        run(&w, p, 8, &out);
        int64_t want[6] = {0};
        for (size_t j = 0; j < k->n; j++) {
            /* August: collected to date went from 0 to the one payment (all within revenue) */
            struct jx_rat f = jx_rat_from_frac(d->payments.amount[j], k->revenue[j]);
            f = rmul(f, jx_rat_from_frac(S9 - k->retention[j], S9));
            struct jx_rat br = jx_rat_from_frac(3, 100),
                          er = k->excess_rate[j] >= 0 ? jx_rat_from_frac(k->excess_rate[j], S9)
                                                      : jx_rat_from_frac(15, 100);
            size_t nsh = k->nsplits[j] ? k->nsplits[j] : 1;
            for (size_t s = 0; s < nsh; s++) {
                int32_t who = k->nsplits[j] ? d->splits.person[k->split0[j] + s] : k->person[j];
                int64_t share = k->nsplits[j] ? d->splits.share[k->split0[j] + s] : S9;
                for (uint32_t l = k->line0[j]; l < k->line0[j] + k->nlines[j]; l++) {
                    int64_t up = d->lines.row[l].unit_price, bp = d->lines.row[l].base_price, fen;
                    struct jx_rat v = jx_rat_from_int(0);
                    if (up >= bp && (k->flags[j] & JX_CF_CONCESSION))
                        v = rmul(jx_rat_from_int(up), br);
                    else if (up >= bp)
                        assert_int_equal(jx_rat_add(rmul(jx_rat_from_int(bp), br),
                                                    rmul(jx_rat_from_int(up - bp), er), &v),
                                         JX_OK);
                    v = rmul(v, jx_rat_from_frac(d->lines.row[l].quantity, S9));
                    v = rmul(rmul(v, f), jx_rat_from_frac(share, S9));
                    assert_int_equal(jx_rat_to_fen(rmul(v, jx_rat_from_frac(1, 100)), &fen),
                                     JX_OK);
                    want[who] += fen;
                }
            }
        }
        assert_int_equal(out.n, 6);
        for (size_t i = 0; i < out.n; i++)
            assert_int_equal(out.people[i].commission, want[out.people[i].person]);
        jx_run_output_release(&out);
        jx_arena_free(&w.arena);
    }
    jx_plan_free(p);
}

/* b = a with its contracts (and their lines, splits and payments) in the order perm. */
static void permute(struct world *b, const struct world *a, const uint32_t *perm)
{
    const struct jx_data *x = &a->d;
    struct jx_data *d = &b->d;
    struct world *w = b;
    size_t nc = x->contracts.n;
    memset(b, 0, sizeof *b);
    d->units = x->units;
    d->people = x->people;
    struct jx_contracts *k = &d->contracts;
    k->n = nc;
    A(k->id, nc);
    A(k->signed_date, nc);
    A(k->acceptance_date, nc);
    A(k->customer, nc);
    A(k->person, nc);
    A(k->retention, nc);
    A(k->excess_rate, nc);
    A(k->flags, nc);
    A(k->revenue, nc);
    A(k->line0, nc);
    A(k->nlines, nc);
    A(k->split0, nc);
    A(k->nsplits, nc);
    A(d->lines.contract, x->lines.n);
    A(d->lines.row, x->lines.n);
    A(d->splits.person, x->splits.n + 1);
    A(d->splits.share, x->splits.n + 1);
    A(d->payments.contract, x->payments.n);
    A(d->payments.date, x->payments.n);
    A(d->payments.amount, x->payments.n);
    A(d->payments.kind, x->payments.n);
    for (size_t j = 0; j < nc; j++) {
        uint32_t i = perm[j];
        k->id[j] = x->contracts.id[i];
        k->signed_date[j] = x->contracts.signed_date[i];
        k->acceptance_date[j] = x->contracts.acceptance_date[i];
        k->customer[j] = x->contracts.customer[i];
        k->person[j] = x->contracts.person[i];
        k->retention[j] = x->contracts.retention[i];
        k->excess_rate[j] = x->contracts.excess_rate[i];
        k->flags[j] = x->contracts.flags[i];
        k->revenue[j] = x->contracts.revenue[i];
        k->line0[j] = (uint32_t)d->lines.n;
        k->nlines[j] = x->contracts.nlines[i];
        for (uint32_t l = 0; l < x->contracts.nlines[i]; l++) {
            uint32_t from = x->contracts.line0[i] + l;
            size_t to = d->lines.n++;
            d->lines.contract[to] = (int32_t)j;
            d->lines.row[to] = x->lines.row[from];
        }
        k->split0[j] = (uint32_t)d->splits.n;
        k->nsplits[j] = x->contracts.nsplits[i];
        for (uint32_t s = 0; s < x->contracts.nsplits[i]; s++) {
            d->splits.person[d->splits.n] = x->splits.person[x->contracts.split0[i] + s];
            d->splits.share[d->splits.n++] = x->splits.share[x->contracts.split0[i] + s];
        }
        for (size_t q = 0; q < x->payments.n; q++)
            if (x->payments.contract[q] == (int32_t)i) {
                size_t to = d->payments.n++;
                d->payments.contract[to] = (int32_t)j;
                d->payments.date[to] = x->payments.date[q];
                d->payments.amount[to] = x->payments.amount[q];
                d->payments.kind[to] = x->payments.kind[q];
            }
    }
}

static void order_does_not_matter(void **state)
{
    (void)state;
    struct jx_plan *p = plan();
    enum { NC = 40 };
    uint32_t perm[NC];
    for (int round = 0; round < 10; round++) {
        struct world a, b;
        struct jx_run_output ra, rb;
        build(&a, 5, NC, round % 2 == 1);
        for (uint32_t i = 0; i < NC; i++)
            perm[i] = i;
        for (uint32_t i = NC - 1; i > 0; i--) {
            uint32_t j = (uint32_t)(next() % (i + 1));
            uint32_t t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        permute(&b, &a, perm);
        for (int month = 8; month <= 9; month++) {
            run(&a, p, month, &ra);
            run(&b, p, month, &rb);
            assert_int_equal(ra.n, rb.n);
            for (size_t i = 0; i < ra.n; i++) {
                assert_int_equal(ra.people[i].person, rb.people[i].person);
                assert_int_equal(ra.people[i].commission, rb.people[i].commission);
                assert_int_equal(ra.people[i].bonus, rb.people[i].bonus);
                assert_int_equal(ra.people[i].total, rb.people[i].total);
            }
            jx_run_output_release(&ra);
            jx_run_output_release(&rb);
        }
        jx_arena_free(&a.arena);
        jx_arena_free(&b.arena);
    }
    jx_plan_free(p);
}

/*
 * Sums beyond 64 bits stay exact: eight contracts of 4 x 10^18 fen for one
 * person, four signed in the period and four before it, so that revenue
 * signed and the receivable at the start each pass INT64_MAX on the way
 * (1.6 x 10^19 fen); a bonus of their sum / 10^6 shows both whole.
 */
static void big_sums_stay_exact(void **state)
{
    (void)state;
    struct jx_plan *p =
        bonus_plan("big.yaml", "", "revenue_signed / 1000000 + receivable_start / 1000000");
    struct world w;
    struct jx_run_output out;
    build(&w, 3, 8, false);
    huge_contracts(&w);
    for (size_t j = 0; j < w.d.contracts.n; j++) {
        w.d.contracts.person[j] = 1;
        /* half signed in July (revenue signed), half before (receivable at the start) */
        w.d.contracts.signed_date[j] = jx_date_from_ymd(2025, j % 2 ? 7 : 6, 1);
    }
    run(&w, p, 7, &out);
    assert_int_equal(out.n, 3);
    assert_string_equal(out.people[1].id, "P1");
    /* (4 x 4 x 10^18 + 4 x 4 x 10^18) fen / 10^6 */
    assert_int_equal(out.people[1].bonus, INT64_C(32000000000000));
    assert_int_equal(out.people[2].bonus, 0);
    jx_run_output_release(&out);
    jx_arena_free(&w.arena);
    jx_plan_free(p);
}

/* The same for an agent (its row of 128-bit sums made only when a sum needs it). */
static void big_sums_for_agents(void **state)
{
    (void)state;
    struct jx_plan *p = agent_scorecard(
        "agbig.yaml", "big: {weight: 100, score: revenue_signed / 100000000000000000}");
    struct world w;
    struct jx_run_output out;
    build(&w, 3, 8, false);
    huge_contracts(&w);
    add_customers(&w, 1, JX_CK_AGENT, "A");
    for (size_t j = 0; j < w.d.contracts.n; j++) {
        w.d.contracts.customer[j] = 0;
        w.d.contracts.signed_date[j] = jx_date_from_ymd(2025, 7, 1);
    }
    run(&w, p, 7, &out);
    assert_int_equal(out.n, 1);
    assert_string_equal(out.people[0].subject, "agent");
    /* 8 x 4 x 10^18 fen = 3.2 x 10^17 yuan, / 10^17 = a score of 3.2 */
    assert_int_equal(out.people[0].kpi, INT64_C(3200000000));
    jx_run_output_release(&out);
    jx_arena_free(&w.arena);
    jx_plan_free(p);
}

/*
 * An agent is itself the customer it serves when it signed or paid in the
 * period: of two agents with a contract each, only the one paid in August
 * serves a customer in August, and none does in October.
 */
static void agents_serve_themselves(void **state)
{
    (void)state;
    struct jx_plan *p =
        agent_scorecard("ag.yaml", "served: {weight: 100, score: customers_served * 50}");
    struct world w;
    struct jx_run_output out;
    build(&w, 3, 2, false); /* contract j paid in August (build's one payment each) */
    add_customers(&w, 2, JX_CK_AGENT, "A");
    for (int i = 0; i < 2; i++) {
        w.d.customers.owner[i] = 1;
        w.d.contracts.customer[i] = i;
    }
    w.d.payments.n = 1; /* only A1's contract is paid */
    run(&w, p, 8, &out);
    assert_int_equal(out.n, 2);
    assert_string_equal(out.people[0].id, "A0001");
    assert_string_equal(out.people[0].subject, "agent");
    assert_int_equal(out.people[0].kpi, 50 * S9);
    assert_int_equal(out.people[1].kpi, 0);
    jx_run_output_release(&out);
    run(&w, p, 10, &out);
    assert_int_equal(out.people[0].kpi, 0);
    jx_run_output_release(&out);
    jx_arena_free(&w.arena);
    jx_plan_free(p);
}

/* A contract's own excess rate must lie in the plan's range (10% to 20%, ends included). */
static void excess_rate_in_range(void **state)
{
    (void)state;
    struct jx_plan *p = plan();
    static const int64_t rate[] = {100000000, 200000000, 200000001, 99999999};
    for (int i = 0; i < 8; i++) { /* lines traced, then not (the sweep leaves the error) */
        struct world w;
        struct jx_run_output out;
        struct jx_err err;
        build(&w, 3, 4, false);
        w.d.contracts.excess_rate[2] = rate[i % 4];
        line_trace = i < 4 ? JX_TRACE_ALL : 0;
        enum jx_status st = try_run(&w, p, 8, &out, &err);
        line_trace = JX_TRACE_ALL;
        if (i % 4 < 2) {
            assert_int_equal(st, JX_OK);
            jx_run_output_release(&out);
        } else {
            assert_int_equal(st, JX_EINPUT);
            assert_non_null(strstr(err.msg, "contract K002: excess_rate"));
            assert_non_null(strstr(err.msg, "outside the plan's range 0.1000 to 0.2000"));
        }
        jx_arena_free(&w.arena);
    }
    jx_plan_free(p);
}

/*
 * Agents signed: the agents and distributors a person owns whose own
 * signing date falls in the period (an end customer does not count, nor one
 * signed before).
 */
static void agents_signed_in_the_period(void **state)
{
    (void)state;
    struct jx_plan *p = bonus_plan("as.yaml", "", "agents_signed * 100");
    struct world w;
    struct jx_run_output out;
    build(&w, 3, 2, false);
    add_customers(&w, 5, JX_CK_AGENT, "A");
    struct jx_customers *cu = &w.d.customers;
    static const int owner[] = {1, 1, 1, 2, -1};
    static const int day[] = {5, 20, 0, 31, 10}; /* of August; 0: in July */
    for (int i = 0; i < 5; i++) {
        cu->owner[i] = owner[i];
        cu->signed_date[i] = day[i] ? jx_date_from_ymd(2025, 8, day[i])
                                    : jx_date_from_ymd(2025, 7, 31);
    }
    cu->kind[1] = JX_CK_DISTRIBUTOR;
    cu->kind[3] = JX_CK_CUSTOMER;
    run(&w, p, 8, &out);
    assert_int_equal(out.n, 3);
    assert_int_equal(out.people[0].bonus, 0);
    assert_int_equal(out.people[1].bonus, 2 * 10000); /* A0001, A0002 (a distributor) */
    assert_int_equal(out.people[2].bonus, 0);         /* A0004 is an end customer */
    jx_run_output_release(&out);
    jx_arena_free(&w.arena);
    jx_plan_free(p);
}

/*
 * New customers: each customer's first contract (earliest signed, then the
 * smallest id) counts for its person when signed in the period with revenue
 * of at least the threshold, worked here directly, and so do the customers
 * each person serves; the same on one thread and on four (first contracts
 * found in each thread's range, then joined; people counted in ranges).
 */
static void new_customers_first_contract(void **state)
{
    (void)state;
    struct jx_plan *p = bonus_plan("nc.yaml", "new_customer_threshold: 10000\n",
                                   "new_customers + customers_served * 1000");
    enum { NP = 4200, NK = 6000, NCU = 700 }; /* 4 threads take 1,024 people each at least */
    struct world w;
    build(&w, NP, NK, false);
    add_customers(&w, NCU, JX_CK_CUSTOMER, "C");
    struct jx_contracts *k = &w.d.contracts;
    for (size_t j = 0; j < NK; j++) { /* few dates: many ties; July and August */
        k->customer[j] = (int32_t)pick(0, NCU - 1);
        k->signed_date[j] = jx_date_from_ymd(2025, pick(7, 8), (int)pick(1, 3));
    }
    static int64_t want[NP];
    static bool serves[NP][NCU];
    memset(want, 0, sizeof want);
    memset(serves, 0, sizeof serves);
    for (int c = 0; c < NCU; c++) {
        int32_t f = -1;
        for (size_t j = 0; j < NK; j++)
            if (k->customer[j] == c && (f < 0 || k->signed_date[j] < k->signed_date[f]))
                f = (int32_t)j;
        if (f >= 0 && k->signed_date[f] >= jx_date_from_ymd(2025, 8, 1) &&
            k->revenue[f] >= 1000000 && k->person[f] >= 0)
            want[k->person[f]] += 100; /* one yuan each */
    }
    /* every contract is paid in August (build's payment): each person it is credited to
       serves its customer, counted once per person (1,000 yuan each) */
    for (size_t j = 0; j < NK; j++) {
        if (k->nsplits[j] == 0)
            serves[k->person[j]][k->customer[j]] = true;
        for (uint32_t x = k->split0[j]; x < k->split0[j] + k->nsplits[j]; x++)
            serves[w.d.splits.person[x]][k->customer[j]] = true;
    }
    for (int pp = 0; pp < NP; pp++)
        for (int c = 0; c < NCU; c++)
            want[pp] += serves[pp][c] ? 100000 : 0;
    int64_t total = 0;
    for (int t = 1; t <= 4; t += 3) {
        struct jx_run_output out;
        threads = t;
        run(&w, p, 8, &out);
        threads = 1;
        assert_int_equal(out.n, NP);
        for (int i = 0; i < NP; i++) {
            assert_int_equal(out.people[i].bonus, want[i]);
            total += want[i];
        }
        jx_run_output_release(&out);
    }
    assert_true(total > 0);
    jx_arena_free(&w.arena);
    jx_plan_free(p);
}

/* a's trace line key. */
static const struct jx_trace *trace_line(const struct jx_person_result *a, const char *key)
{
    for (size_t t = 0; t < a->ntrace; t++)
        if (!strcmp(a->trace[t].key, key))
            return &a->trace[t];
    fail_msg("%s has no %s", a->key, key);
    return NULL;
}

static const char *trace_value(const struct jx_person_result *a, const char *key)
{
    return trace_line(a, key)->value;
}

/* How many commission lines a's trace lists. */
static size_t lines_listed(const struct jx_person_result *a)
{
    size_t n = 0;
    for (size_t t = 0; t < a->ntrace; t++)
        n += !strcmp(a->trace[t].key, "commission.line");
    return n;
}

/* a and b pay everyone the same. */
static void same_pay(const struct jx_run_output *a, const struct jx_run_output *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        const struct jx_person_result *x = &a->people[i], *y = &b->people[i];
        assert_int_equal(x->person, y->person);
        assert_int_equal(x->commission, y->commission);
        assert_int_equal(x->base, y->base);
        assert_int_equal(x->bonus, y->bonus);
        assert_int_equal(x->deductions, y->deductions);
        assert_int_equal(x->carry_out, y->carry_out);
        assert_int_equal(x->total, y->total);
        assert_string_equal(trace_value(x, "commission"), trace_value(y, "commission"));
        assert_string_equal(trace_value(x, "pay.base"), trace_value(y, "pay.base"));
    }
}

/* Trace line t's whole detail, as results store it: a formula's with its inputs. */
static const char *detail_text(const struct jx_trace *t)
{
    static char buf[2048];
    if (!t->inputs)
        return t->detail;
    snprintf(buf, sizeof buf, "%s  [%s]", t->detail, t->inputs);
    return buf;
}

/* The first n results of a and b have the same traces, byte for byte. */
static void same_traces(const struct jx_run_output *a, const struct jx_run_output *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct jx_person_result *x = &a->people[i], *y = &b->people[i];
        assert_string_equal(x->key, y->key);
        assert_int_equal(x->ntrace, y->ntrace);
        for (size_t t = 0; t < x->ntrace; t++) {
            assert_string_equal(x->trace[t].key, y->trace[t].key);
            assert_string_equal(x->trace[t].detail, y->trace[t].detail);
            assert_true((x->trace[t].inputs == NULL) == (y->trace[t].inputs == NULL));
            if (x->trace[t].inputs)
                assert_string_equal(x->trace[t].inputs, y->trace[t].inputs);
            assert_string_equal(x->trace[t].value, y->trace[t].value);
            assert_string_equal(x->trace[t].source, y->trace[t].source);
        }
    }
}

/* 6,000 people on one thread and on four give the same results and traces, byte for byte. */
static void threads_do_not_matter(void **state)
{
    (void)state;
    struct jx_plan *p = plan();
    struct world w;
    struct jx_run_output one, four;
    build(&w, 6000, 9000, false);
    threads = 1;
    run(&w, p, 8, &one);
    threads = 4;
    run(&w, p, 8, &four);
    threads = 1;
    assert_int_equal(one.n, 6000);
    same_pay(&one, &four);
    same_traces(&one, &four, one.n);
    jx_run_output_release(&one);
    jx_run_output_release(&four);
    jx_arena_free(&w.arena);
    jx_plan_free(p);
}

/*
 * Agents and distributors get rows of figures only when a plan scores them:
 * people are paid the same, trace for trace, with an agents' scorecard in the
 * run or without, and the agents scored have their figures.
 */
static void agent_rows_when_scored(void **state)
{
    (void)state;
    const struct jx_plan *plans[2] = {
        plan(), agent_scorecard("ag.yaml", "collected: {weight: 100, score: collected / 100}")};
    struct world w;
    struct jx_run_output alone, both;
    build(&w, 5, 60, false);
    add_customers(&w, 4, JX_CK_AGENT, "A");
    w.d.customers.kind[3] = JX_CK_CUSTOMER; /* an end customer: no row, scored or not */
    for (size_t j = 0; j < w.d.contracts.n; j++)
        w.d.contracts.customer[j] = (int32_t)(j % 5) - 1; /* every fifth: no customer */
    run_plans(&w, plans, 1, 8, &alone);
    run_plans(&w, plans, 2, 8, &both);
    assert_int_equal(alone.n, 5);
    assert_int_equal(both.n, 5 + 3);
    struct jx_run_output people = both;
    people.n = alone.n;
    same_pay(&alone, &people);
    same_traces(&alone, &people, alone.n);
    for (int a = 0; a < 3; a++) { /* each agent's collected: its contracts' August payments */
        int64_t fen = 0;
        for (size_t x = 0; x < w.d.payments.n; x++)
            if (w.d.contracts.customer[w.d.payments.contract[x]] == a)
                fen += w.d.payments.amount[x];
        const struct jx_person_result *r = &both.people[5 + a];
        assert_string_equal(r->subject, "agent");
        assert_string_equal(r->id, w.d.customers.id[a]);
        assert_true(fen > 0);
        /* fen / 10^4 yuan-hundreds, rounded half-up to 2 decimals, x 10^9 */
        assert_int_equal(r->kpi, (fen + 50) / 100 * 10000000);
    }
    jx_run_output_release(&alone);
    jx_run_output_release(&both);
    jx_arena_free(&w.arena);
    jx_plan_free((struct jx_plan *)plans[0]);
    jx_plan_free((struct jx_plan *)plans[1]);
}

/*
 * Two plans in one run, their parameters in the same slot with the same
 * value: each person's trace names their own plan's (the text of a value is
 * kept from person to person, per plan).
 */
static void traces_name_their_plans_slots(void **state)
{
    (void)state;
    static const char a[] = "plan: a\n"
                            "period: month\n"
                            "applies_to: {roles: [manager]}\n"
                            "parameters:\n"
                            "  alpha: 2\n"
                            "values:\n"
                            "  x: alpha * base_salary\n"
                            "pay: {base: x, commission: 0, bonus: 0, deductions: 0}\n";
    static const char b[] = "plan: b\n"
                            "period: month\n"
                            "applies_to: {roles: [rep]}\n"
                            "parameters:\n"
                            "  beta: 2\n"
                            "values:\n"
                            "  y: beta * base_salary\n"
                            "pay: {base: y, commission: 0, bonus: 0, deductions: 0}\n";
    const struct jx_plan *plans[2] = {plan_from("a.yaml", a), plan_from("b.yaml", b)};
    struct world w;
    struct jx_run_output out;
    build(&w, 3, 4, false);
    run_plans(&w, plans, 2, 8, &out);
    assert_int_equal(out.n, 3);
    assert_string_equal(detail_text(trace_line(&out.people[0], "value.x")),
                        "alpha * base_salary  [alpha=2, base_salary=5000]");
    for (size_t i = 1; i < 3; i++)
        assert_string_equal(detail_text(trace_line(&out.people[i], "value.y")),
                            "beta * base_salary  [beta=2, base_salary=5000]");
    assert_int_equal(out.people[2].base, 1000000);
    jx_run_output_release(&out);
    jx_arena_free(&w.arena);
    jx_plan_free((struct jx_plan *)plans[0]);
    jx_plan_free((struct jx_plan *)plans[1]);
}

/* Run p over w with no line traced, with person 4's only, and with all (the reference). */
static void sweep_against_lines(struct world *w, const struct jx_plan *p, int month)
{
    struct jx_run_output none, one, all;
    line_trace = 0;
    run(w, p, month, &none);
    line_trace = 4 + 1;
    run(w, p, month, &one);
    line_trace = JX_TRACE_ALL;
    run(w, p, month, &all);
    same_pay(&none, &all);
    same_pay(&one, &all);
    for (size_t i = 0; i < all.n; i++) { /* person 4's lines are listed, and only theirs */
        bool four = one.people[i].person == 4;
        char want[200];
        assert_int_equal(lines_listed(&one.people[i]), four ? lines_listed(&all.people[i]) : 0);
        /* "sum of the payables of N lines, ..." counts the same lines */
        snprintf(want, sizeof want, "%s (jixiao explain lists them)",
                 trace_line(&all.people[i], "commission")->detail);
        assert_string_equal(trace_line(&none.people[i], "commission")->detail, want);
        assert_string_equal(trace_line(&one.people[i], "commission")->detail,
                            four ? trace_line(&all.people[i], "commission")->detail : want);
    }
    assert_int_equal(lines_listed(&none.people[4]), 0);
    assert_true(lines_listed(&all.people[4]) > 0);
    jx_run_output_release(&none);
    jx_run_output_release(&one);
    jx_run_output_release(&all);
}

/*
 * The commission sweep (each person's lines paid in contract order when no
 * line is traced) pays what the line-by-line path pays: with rates that
 * differ by person, a third of them not decimals (those people are paid
 * line by line), a multiplier of sevenths, quantities with decimals,
 * per-contract excess rates, retention, three-way splits, refunds, and one
 * person's lines traced; on one thread and on four.
 */
static void sweep_pays_the_same(void **state)
{
    (void)state;
    struct jx_plan *p = plan_from("s.yaml",
        "plan: s\n"
        "period: month\n"
        "applies_to: {roles: [rep, manager]}\n"
        "parameters:\n"
        "  excess_rate: {value: 15%, min: 10%, max: 20%}\n"
        "commission: {model: two_tier, base_rate: rate, excess_rate: excess_rate,\n"
        "             multiplier: composite / 10 * (1 + (base_salary - 5000) / 7000)}\n"
        "values:\n"
        "  rate: if(base_salary > 5500, 1 / 30, 3%)\n"
        "  composite: if(has_rating.composite, rating.composite, 10)\n"
        "pay:\n"
        "  base: base_salary\n"
        "  commission: commission\n"
        "  bonus: 0\n"
        "  deductions: 0\n");
    for (int round = 0; round < 4; round++) {
        struct world w;
        build(&w, 40, 6000, round & 1);
        struct jx_data *d = &w.d;
        struct jx_contracts *k = &d->contracts;
        for (size_t i = 0; i < d->people.n; i++)
            d->people.base_salary[i] = 500000 + (int64_t)(i % 3) * 50000;
        for (size_t j = 0; j < k->n; j++) {
            for (uint32_t l = k->line0[j]; l < k->line0[j] + k->nlines[j]; l++)
                if (pick(0, 1))
                    d->lines.row[l].quantity = pick(1, 20000) * (S9 / 1000);
            k->excess_rate[j] = pick(0, 1) ? pick(100, 200) * (S9 / 1000) : -1;
        }
        threads = round < 2 ? 1 : 4;
        sweep_against_lines(&w, p, round & 1 ? 9 : 8);
        jx_arena_free(&w.arena);
    }
    threads = 1;
    jx_plan_free(p);
}

/*
 * Sums the sweep leaves to the line-by-line path: a commission past
 * JX_MONEY_MAX / 8 (what a part of the sweep adds up) is paid the same, and
 * one past JX_MONEY_MAX refused the same.
 */
static void sweep_bounds(void **state)
{
    (void)state;
    struct jx_plan *p = plan();
    static const int64_t price[] = {INT64_C(4000000000000000), INT64_C(20000000000000000)};
    for (int i = 0; i < 2; i++) {
        struct world w;
        build(&w, 3, 2, false);
        struct jx_contracts *k = &w.d.contracts;
        for (size_t j = 0; j < 2; j++) { /* person 1's: 3% of the price each */
            k->person[j] = 1;
            k->nsplits[j] = 0;
            k->retention[j] = 0;
            k->flags[j] = 0;
            k->nlines[j] = 1;
            w.d.lines.row[k->line0[j]] = (struct jx_line){S9, price[i], price[i]};
            k->revenue[j] = w.d.payments.amount[j] = price[i];
        }
        for (int traced = 0; traced < 2; traced++) {
            struct jx_run_output out;
            struct jx_err err;
            line_trace = traced ? JX_TRACE_ALL : 0;
            enum jx_status st = try_run(&w, p, 8, &out, &err);
            if (i == 0) {
                assert_int_equal(st, JX_OK);
                assert_int_equal(out.people[1].commission, 2 * price[i] * 3 / 100);
                jx_run_output_release(&out);
            } else {
                assert_int_equal(st, JX_ERANGE);
                assert_string_equal(err.msg, "P1: commission out of range");
            }
        }
        line_trace = JX_TRACE_ALL;
        jx_arena_free(&w.arena);
    }
    jx_plan_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(split_credits_the_whole),
        cmocka_unit_test(full_refund_claws_back_to_zero),
        cmocka_unit_test(no_fen_lost),
        cmocka_unit_test(commission_is_exact),
        cmocka_unit_test(order_does_not_matter),
        cmocka_unit_test(threads_do_not_matter),
        cmocka_unit_test(big_sums_stay_exact),
        cmocka_unit_test(big_sums_for_agents),
        cmocka_unit_test(agents_serve_themselves),
        cmocka_unit_test(agent_rows_when_scored),
        cmocka_unit_test(traces_name_their_plans_slots),
        cmocka_unit_test(agents_signed_in_the_period),
        cmocka_unit_test(excess_rate_in_range),
        cmocka_unit_test(new_customers_first_contract),
        cmocka_unit_test(sweep_pays_the_same),
        cmocka_unit_test(sweep_bounds),
    };
    return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
