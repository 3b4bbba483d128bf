/*
 * fuzz_plan.c - libFuzzer target for the plan loader (src/plan/plan.c): the
 * whole input is a plan file, given to jx_plan_load_text() as "fuzz.yaml".
 *
 * Besides "never crashes, hangs or leaks" (libyaml's document, the arena,
 * every compiled formula must be freed on every path):
 *
 *   - a refused plan gives JX_EINPUT with a message naming fuzz.yaml and a
 *     line no further than the file's last line;
 *   - a loaded plan is consistent: a name, a pay section or a scorecard
 *     but not both, every formula (pay, values, flags, commission, scorecard
 *     items and deductions) compiled with its source and line; parameters within their own
 *     ranges; deduction_cap, vat and share between 0 and 1; excess_min <=
 *     excess_max; a scorecard's items uniquely named, KPI items first, the
 *     weights of each section normalized to sum to exactly 1, kpi_weight at
 *     least 70% and with qualitative_weight exactly 1, grade bands
 *     decreasing from S to C, shares between 0 and 1, champion_item a KPI
 *     item; slots numbered 0..nslots-1 with each slot owned by exactly
 *     one built-in, family name, parameter or value (jx_plan_slot_name
 *     knows them all); every formula reads only slots below nslots; the hash
 *     is the BLAKE2b of the input;
 *   - the steps are a dependency order: each value once, the commission and
 *     above-price steps exactly when the plan has those blocks, and no
 *     formula reads a value (or the commission, the above-price share)
 *     before its step;
 *   - evaluated as the engine would, with two sets of made-up variables
 *     (ordinary amounts; values at the edge of __int128), each step, pay
 *     component, scorecard formula and flag gives a valid rational or an error with a message,
 *     and never runs out of its jx_expr_cost() budget;
 *   - loading again with the n-th allocation failing (n from the input's
 *     hash, 1..200) gives JX_ENOMEM, or JX_EINPUT, or the same plan, and
 *     leaks nothing.  (JX_EINPUT is accepted there because the loader
 *     reports some allocation failures as formula errors; with
 *     JX_FUZZ_STRICT_OOM set in the environment, a plan that loads without
 *     the failure must give JX_ENOMEM.)
 *
 * A broken property aborts, which libFuzzer reports as a crash with the
 * input.  With JX_FUZZ_VERBOSE set, each input's outcome is printed.
 */
#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/rat.h"
#include "plan/expr.h"
#include "plan/plan.h"
#include "plan/vars.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FILE_NAME "fuzz.yaml"
#define I128_MAX ((__int128)(((unsigned __int128)1 << 127) - 1))
#define I128_MIN (-I128_MAX - 1)

static const uint8_t *cur_data;
static size_t cur_size;
static bool verbose, strict_oom;

#define CHECK(cond)                                                                          \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fprintf(stderr, "fuzz_plan: %s:%d: check failed: %s\n", __FILE__, __LINE__,     \
                    #cond);                                                                  \
            fprintf(stderr, "fuzz_plan: input (%zu bytes):\n%.*s\n", cur_size,              \
                    (int)(cur_size > 2000 ? 2000 : cur_size), (const char *)cur_data);       \
            abort();                                                                         \
        }                                                                                    \
    } while (0)

/* ---- values ------------------------------------------------------------- */

static __int128 gcd128(__int128 a, __int128 b)
{
    if (a < 0)
        a = -a;
    while (b) {
        __int128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static bool valid_rat(struct jx_rat r)
{
    return r.den > 0 && r.num != I128_MIN && gcd128(r.num, r.den) == 1;
}

static bool rat_eq(struct jx_rat a, struct jx_rat b)
{
    return a.num == b.num && a.den == b.den;
}

static bool in_unit_range(struct jx_rat r)
{
    return valid_rat(r) && jx_rat_cmp(r, jx_rat_from_int(0)) >= 0 &&
           jx_rat_cmp(r, jx_rat_from_int(1)) <= 0;
}

/* Made-up values for the built-in and family variables: set 0 ordinary, set 1 edge. */
enum { NSETS = 2 };
static struct jx_rat value_of(int set, int k)
{
    static const int64_t ordinary[][2] = {
        {8000, 1},  {500, 1},  {1, 1},     {0, 1},     {3, 1},       {90001, 2}, {17, 20},
        {1, 3},     {-120075, 100}, {10, 1}, {30000, 1}, {3, 20},    {2, 1},     {95, 1},
        {400000, 1}, {1, 100}, {9, 2},     {7, 100},   {100000000, 1},
    };
    const struct jx_rat edge[] = {
        {I128_MAX, 1},
        {-I128_MAX, 1},
        jx_rat_from_i128(1, (__int128)1000000000000000LL * 1000000000000000LL),
        jx_rat_from_i128(I128_MAX, 3),
        {0, 1},
        {1, 1},
        {-1, 1},
        {(__int128)1 << 100, 1},
    };
    if (set == 0) {
        size_t i = (size_t)k % (sizeof ordinary / sizeof ordinary[0]);
        return jx_rat_from_frac(ordinary[i][0], ordinary[i][1]);
    }
    return edge[(size_t)k % (sizeof edge / sizeof edge[0])];
}

/* ---- checks of a loaded plan ---------------------------------------- */

/*
 * The largest line number a message may give: the breaks libyaml may count,
 * plus one for the last line, plus one because at the end of an input
 * without a final newline libyaml places the end of the stream on the next
 * line (so "a: {b" without "\n" is refused at line 2).
 */
static long max_line(const uint8_t *d, size_t n)
{
    long lines = 2;
    for (size_t i = 0; i < n; i++)
        lines += d[i] == '\n' || d[i] == '\r' || d[i] == 0x85 || d[i] == 0xE2;
    return lines;
}

struct slot_walk {
    const struct jx_plan *p;
    int bad;
    const bool *ready; /* per slot: its value is computed (NULL: do not check) */
};

static void walk_slot(void *ctx, int slot)
{
    struct slot_walk *w = ctx;
    if (slot < 0 || slot >= w->p->nslots)
        w->bad++;
    else if (w->ready && !w->ready[slot])
        w->bad++;
}

static void check_formula(const struct jx_plan *p, const struct jx_plan_formula *f, long lines)
{
    CHECK(f->expr != NULL && f->src != NULL && f->name != NULL);
    CHECK(f->line >= 1 && f->line < lines);
    CHECK(jx_expr_max_slot(f->expr) < p->nslots);
    CHECK(jx_expr_cost(f->expr) >= 1);
    struct slot_walk w = {p, 0, NULL};
    jx_expr_deps(f->expr, walk_slot, &w);
    CHECK(w.bad == 0);
}

/* Owner of each slot: 1 built-in, 2 family, 3 parameter, 4 value. */
static void check_slots(const struct jx_plan *p)
{
    CHECK(p->nslots == JX_V_COUNT + (int)(p->nfamily_vars + p->nparams + p->nvalues));
    unsigned char *owner = calloc((size_t)p->nslots, 1);
    CHECK(owner != NULL);
    for (int s = 0; s < JX_V_COUNT; s++)
        owner[s] = 1;
    for (size_t i = 0; i < p->nfamily_vars; i++) {
        const struct jx_plan_family_var *f = &p->family_vars[i];
        CHECK(f->family >= 0 && f->family < JX_VF_COUNT);
        CHECK(f->item != NULL && f->item[0] != '\0');
        CHECK(f->slot >= JX_V_COUNT && f->slot < p->nslots && !owner[f->slot]);
        owner[f->slot] = 2;
        for (size_t j = 0; j < i; j++)
            CHECK(p->family_vars[j].family != f->family || strcmp(p->family_vars[j].item, f->item));
    }
    for (size_t i = 0; i < p->nparams; i++) {
        const struct jx_plan_param *pm = &p->params[i];
        CHECK(pm->name != NULL && pm->name[0] != '\0');
        CHECK(pm->slot >= JX_V_COUNT && pm->slot < p->nslots && !owner[pm->slot]);
        owner[pm->slot] = 3;
        CHECK(valid_rat(pm->value) && valid_rat(pm->min) && valid_rat(pm->max));
        CHECK(jx_rat_cmp(pm->min, pm->value) <= 0 && jx_rat_cmp(pm->value, pm->max) <= 0);
        CHECK(jx_var_lookup(pm->name, strlen(pm->name)) < 0);
    }
    for (size_t i = 0; i < p->nvalues; i++) {
        const struct jx_plan_formula *v = &p->values[i];
        CHECK(v->slot >= JX_V_COUNT && v->slot < p->nslots && !owner[v->slot]);
        owner[v->slot] = 4;
    }
    for (int s = 0; s < p->nslots; s++) {
        CHECK(owner[s] != 0);
        const char *name = jx_plan_slot_name(p, s);
        CHECK(name != NULL && strcmp(name, "?") != 0);
    }
    free(owner);
}

static bool section_sums_to_one(const struct jx_scorecard *sc, size_t from, size_t to)
{
    struct jx_rat sum = jx_rat_from_int(0);
    for (size_t i = from; i < to; i++)
        if (jx_rat_add(sum, sc->items[i].weight, &sum))
            return false;
    return rat_eq(sum, jx_rat_from_int(1));
}

/*
 * A share or weight the file did not give: the loader leaves these zeroed,
 * {0, 0}, not the rational 0/1 (the engine only looks at their sign).
 */
static bool unset_or_unit(struct jx_rat r)
{
    return (r.num == 0 && r.den == 0) || in_unit_range(r);
}

static void check_scorecard(const struct jx_plan *p, long lines)
{
    const struct jx_scorecard *sc = p->scorecard;
    struct jx_rat sum;

    CHECK(sc->line >= 1 && sc->line < lines);
    CHECK(sc->nkpi >= 1 && sc->nkpi <= sc->nitems && sc->items != NULL);
    for (size_t i = 0; i < sc->nitems; i++) {
        const struct jx_sc_item *it = &sc->items[i];
        CHECK(it->name != NULL && it->name[0] != '\0');
        CHECK(it->line >= 1 && it->line < lines);
        CHECK(it->qualitative == (i >= sc->nkpi));
        CHECK(in_unit_range(it->weight));
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(sc->items[j].name, it->name) != 0);
        switch (it->kind) {
        case JX_SC_RATIO:
            check_formula(p, &it->actual, lines);
            check_formula(p, &it->target, lines);
            break;
        case JX_SC_SCORE:
            check_formula(p, &it->score, lines);
            break;
        case JX_SC_RATING:
            CHECK(it->rating != NULL && it->rating[0] != '\0');
            for (int r = 0; r < JX_RATER_ROLES; r++)
                CHECK(unset_or_unit(it->role_weight[r]));
            break;
        default:
            CHECK(!"a scorecard item of a known kind");
        }
    }
    /* Weights are normalized within each section. */
    CHECK(section_sums_to_one(sc, 0, sc->nkpi));
    CHECK(sc->nitems == sc->nkpi || section_sums_to_one(sc, sc->nkpi, sc->nitems));
    CHECK(in_unit_range(sc->kpi_weight) && in_unit_range(sc->qualitative_weight));
    CHECK(jx_rat_cmp(sc->kpi_weight, jx_rat_from_frac(7, 10)) >= 0);
    CHECK(!jx_rat_add(sc->kpi_weight, sc->qualitative_weight, &sum) &&
          rat_eq(sum, jx_rat_from_int(1)));
    CHECK(valid_rat(sc->item_cap));
    for (int g = 0; g < JX_GRADES - 1; g++) {
        CHECK(valid_rat(sc->bands[g]));
        if (g > 0)
            CHECK(jx_rat_cmp(sc->bands[g], sc->bands[g - 1]) < 0);
    }
    for (int g = 0; g < JX_GRADES; g++)
        CHECK(unset_or_unit(sc->max_share[g]) && unset_or_unit(sc->watch_share[g]));
    if (sc->has_deductions)
        check_formula(p, &sc->deductions, lines);
    if (sc->champion_item) {
        bool found = false;
        for (size_t i = 0; i < sc->nkpi; i++)
            found |= !strcmp(sc->items[i].name, sc->champion_item);
        CHECK(found);
    }
}

static void check_plan(const struct jx_plan *p, const uint8_t *data, size_t size)
{
    long lines = max_line(data, size);
    unsigned char hash[sizeof p->hash];

    CHECK(p->file != NULL && !strcmp(p->file, FILE_NAME));
    CHECK(p->name != NULL && p->name[0] != '\0');
    CHECK(p->period >= JX_PP_MONTH && p->period <= JX_PP_ANY);
    CHECK(p->nunits == 0 || p->units != NULL);
    for (size_t i = 0; i < p->nunits; i++)
        CHECK(p->units[i] != NULL && p->units[i][0] != '\0');
    CHECK(p->has_pay != (p->scorecard != NULL)); /* pay or a scorecard, not both */
    for (int i = 0; p->has_pay && i < JX_PAY_PARTS; i++)
        check_formula(p, &p->pay[i], lines);
    if (p->scorecard)
        check_scorecard(p, lines);
    for (size_t i = 0; i < p->nvalues; i++)
        check_formula(p, &p->values[i], lines);
    for (size_t i = 0; i < p->nflags; i++)
        check_formula(p, &p->flags[i], lines);
    if (p->has_commission) {
        check_formula(p, &p->commission_base_rate, lines);
        check_formula(p, &p->commission_excess_rate, lines);
        check_formula(p, &p->commission_multiplier, lines);
        CHECK(valid_rat(p->excess_min) && valid_rat(p->excess_max));
        CHECK(jx_rat_cmp(p->excess_min, p->excess_max) <= 0);
    }
    if (p->has_above_price)
        CHECK(in_unit_range(p->vat) && in_unit_range(p->share));
    CHECK(in_unit_range(p->deduction_cap));
    CHECK(valid_rat(p->new_customer_threshold));
    check_slots(p);

    crypto_generichash(hash, sizeof hash, data, size, NULL, 0);
    CHECK(!memcmp(hash, p->hash, sizeof hash));

    /* Each value once, and the line models exactly when present. */
    size_t want = p->nvalues + p->has_commission + p->has_above_price;
    CHECK(p->nsteps == want);
    bool *seen = calloc(p->nvalues + 1, 1);
    int ncomm = 0, nabove = 0;
    CHECK(seen != NULL);
    for (size_t i = 0; i < p->nsteps; i++) {
        const struct jx_plan_step *st = &p->steps[i];
        if (st->kind == JX_STEP_VALUE) {
            CHECK(st->value >= 0 && (size_t)st->value < p->nvalues && !seen[st->value]);
            seen[st->value] = true;
        } else if (st->kind == JX_STEP_COMMISSION) {
            ncomm++;
        } else {
            CHECK(st->kind == JX_STEP_ABOVE_PRICE);
            nabove++;
        }
    }
    CHECK(ncomm == (int)p->has_commission && nabove == (int)p->has_above_price);
    free(seen);
}

/* ---- evaluation, in step order ------------------------------------------ */

/* Evaluate f with its cost as the budget; store the value or 0 in *dst. */
static void eval_formula(const struct jx_plan *p, const struct jx_plan_formula *f,
                         const struct jx_rat *vars, const bool *ready, struct jx_rat *dst)
{
    struct slot_walk w = {p, 0, ready};
    jx_expr_deps(f->expr, walk_slot, &w);
    CHECK(w.bad == 0); /* everything it reads is computed already */

    struct jx_expr_vm vm = {.vars = vars, .steps_left = jx_expr_cost(f->expr)};
    struct jx_err err;
    struct jx_rat out = {12345, 678};
    jx_err_clear(&err);
    enum jx_status st = jx_expr_eval(f->expr, &vm, &out, &err);
    if (st == JX_OK) {
        CHECK(valid_rat(out));
    } else {
        CHECK(st == JX_EINPUT || st == JX_ERANGE);
        CHECK(!strstr(err.msg, "step limit"));
        CHECK(!strncmp(err.msg, "column ", 7) && memchr(err.msg, '\0', sizeof err.msg));
        CHECK(out.num == 12345 && out.den == 678);
        out = jx_rat_from_int(0);
    }
    if (verbose) {
        char buf[JX_RAT_BUFSZ];
        fprintf(stderr, "  %s = %s\n", f->name, st == JX_OK ? jx_rat_format(out, 6, buf) : err.msg);
    }
    if (dst)
        *dst = out;
}

static void evaluate(const struct jx_plan *p, int set)
{
    struct jx_rat *vars = calloc((size_t)p->nslots, sizeof *vars);
    bool *ready = calloc((size_t)p->nslots, sizeof *ready);
    CHECK(vars != NULL && ready != NULL);
    for (int s = 0; s < p->nslots; s++) {
        vars[s] = value_of(set, s);
        ready[s] = true;
    }
    for (size_t i = 0; i < p->nfamily_vars; i++) {
        const struct jx_plan_family_var *f = &p->family_vars[i];
        if (f->family == JX_VF_HAS_RATING || f->family == JX_VF_HAS_TARGET)
            vars[f->slot] = jx_rat_from_int((int64_t)(i + (size_t)set) % 2);
    }
    for (size_t i = 0; i < p->nparams; i++)
        vars[p->params[i].slot] = p->params[i].value;
    /* Values and the line models' outputs are not ready until their step. */
    for (size_t i = 0; i < p->nvalues; i++)
        ready[p->values[i].slot] = false;
    if (p->has_commission)
        ready[JX_V_COMMISSION] = false;
    if (p->has_above_price)
        ready[JX_V_ABOVE_PRICE_SHARE] = false;

    for (size_t i = 0; i < p->nsteps; i++) {
        const struct jx_plan_step *st = &p->steps[i];
        if (st->kind == JX_STEP_VALUE) {
            const struct jx_plan_formula *v = &p->values[st->value];
            eval_formula(p, v, vars, ready, &vars[v->slot]);
            ready[v->slot] = true;
        } else if (st->kind == JX_STEP_COMMISSION) {
            struct jx_rat rates[3];
            eval_formula(p, &p->commission_base_rate, vars, ready, &rates[0]);
            eval_formula(p, &p->commission_excess_rate, vars, ready, &rates[1]);
            eval_formula(p, &p->commission_multiplier, vars, ready, &rates[2]);
            if (jx_rat_mul(rates[0], jx_rat_from_int(1000), &vars[JX_V_COMMISSION]))
                vars[JX_V_COMMISSION] = jx_rat_from_int(0);
            ready[JX_V_COMMISSION] = true;
        } else {
            vars[JX_V_ABOVE_PRICE_SHARE] = p->share;
            ready[JX_V_ABOVE_PRICE_SHARE] = true;
        }
    }
    for (int i = 0; p->has_pay && i < JX_PAY_PARTS; i++)
        eval_formula(p, &p->pay[i], vars, ready, NULL);
    for (size_t i = 0; p->scorecard && i < p->scorecard->nitems; i++) {
        const struct jx_sc_item *it = &p->scorecard->items[i];
        if (it->kind == JX_SC_RATIO) {
            eval_formula(p, &it->actual, vars, ready, NULL);
            eval_formula(p, &it->target, vars, ready, NULL);
        } else if (it->kind == JX_SC_SCORE) {
            eval_formula(p, &it->score, vars, ready, NULL);
        }
    }
    if (p->scorecard && p->scorecard->has_deductions)
        eval_formula(p, &p->scorecard->deductions, vars, ready, NULL);
    for (size_t i = 0; i < p->nflags; i++)
        eval_formula(p, &p->flags[i], vars, ready, NULL);
    free(vars);
    free(ready);
}

/* Two loads of the same text give the same plan. */
static void same_plan(const struct jx_plan *a, const struct jx_plan *b)
{
    CHECK(a->nslots == b->nslots && a->nvalues == b->nvalues && a->nparams == b->nparams &&
          a->nflags == b->nflags && a->nsteps == b->nsteps &&
          a->nfamily_vars == b->nfamily_vars && a->has_commission == b->has_commission &&
          a->has_above_price == b->has_above_price && a->roles == b->roles &&
          a->nunits == b->nunits && a->period == b->period);
    CHECK(!strcmp(a->name, b->name) && !memcmp(a->hash, b->hash, sizeof a->hash));
    for (size_t i = 0; i < a->nsteps; i++)
        CHECK(a->steps[i].kind == b->steps[i].kind && a->steps[i].value == b->steps[i].value);
    CHECK(a->has_pay == b->has_pay && !a->scorecard == !b->scorecard);
    if (a->scorecard)
        CHECK(a->scorecard->nitems == b->scorecard->nitems &&
              a->scorecard->nkpi == b->scorecard->nkpi);
    for (int i = 0; a->has_pay && i < JX_PAY_PARTS; i++)
        CHECK(!strcmp(a->pay[i].src, b->pay[i].src));
}

/* ---- the target --------------------------------------------------------- */

static void check_refusal(enum jx_status st, const struct jx_err *err, const uint8_t *data,
                          size_t size)
{
    CHECK(st == JX_EINPUT);
    CHECK(memchr(err->msg, '\0', sizeof err->msg) && err->msg[0] != '\0');
    CHECK(memchr(err->file, '\0', sizeof err->file) && !strcmp(err->file, FILE_NAME));
    CHECK(err->line >= 0 && err->line <= max_line(data, size));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    if (!ready) {
        if (sodium_init() < 0)
            abort();
        verbose = getenv("JX_FUZZ_VERBOSE") != NULL;
        strict_oom = getenv("JX_FUZZ_STRICT_OOM") != NULL;
        ready = true;
    }
    cur_data = data;
    cur_size = size;

    /* libFuzzer's buffer is exactly size bytes: ASan catches reading past it. */
    struct jx_plan *p = NULL;
    struct jx_err err;
    jx_err_clear(&err);
    enum jx_status st = jx_plan_load_text(FILE_NAME, (const char *)data, size, &p, &err);
    if (st != JX_OK) {
        check_refusal(st, &err, data, size);
        if (verbose) {
            char buf[1024];
            fprintf(stderr, "refused: %s\n", jx_err_format(&err, buf, sizeof buf));
        }
    } else {
        CHECK(p != NULL);
        if (verbose)
            fprintf(stderr, "loaded %s: %zu parameters, %zu values, %zu flags, %d slots\n",
                    p->name, p->nparams, p->nvalues, p->nflags, p->nslots);
        check_plan(p, data, size);
        for (int set = 0; set < NSETS; set++)
            evaluate(p, set);
    }

    /* Again, with one allocation failing. */
    unsigned char h[8];
    crypto_generichash(h, sizeof h, data, size, NULL, 0);
    long n = 1 + (long)(((unsigned)h[0] | (unsigned)h[1] << 8) % 200);
    struct jx_plan *q = NULL;
    struct jx_err err2;
    jx_err_clear(&err2);
    jx_alloc_fail_after(n);
    enum jx_status st2 = jx_plan_load_text(FILE_NAME, (const char *)data, size, &q, &err2);
    jx_alloc_fail_after(0);
    if (verbose)
        fprintf(stderr, "allocation %ld failing: %s %s\n", n, jx_status_name(st2), err2.msg);
    if (st2 == JX_OK) {
        CHECK(st == JX_OK); /* a failed allocation does not make a bad plan good */
        same_plan(p, q);
        jx_plan_free(q);
    } else if (st2 == JX_ENOMEM) {
        CHECK(err2.msg[0] != '\0');
    } else {
        check_refusal(st2, &err2, data, size);
        if (strict_oom)
            CHECK(st != JX_OK); /* reported as bad input although the plan is good */
    }
    jx_plan_free(p);
    return 0;
}
