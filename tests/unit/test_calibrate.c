/*
 * test_calibrate.c - properties of scoring and forced distribution on random
 * groups (seeded), domain.md §6:
 *   - after calibration no grade holds more people than its cap;
 *   - no one is moved up (the grade is never better than the band grade);
 *   - a better rank never has a worse grade than a worse rank;
 *   - the output does not depend on the order of the people or ratings.
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
#include "engine/engine.h"
#include "plan/plan.h"

#define S9 INT64_C(1000000000)

static const char plan_text[] = "plan: cal\n"
                                "applies_to: {roles: [rep]}\n"
                                "scorecard:\n"
                                "  kpi:\n"
                                "    kpi: {weight: 100, rating: kpi}\n"
                                "  qualitative:\n"
                                "    q: {weight: 100, rating: q}\n"
                                "  distribution: {S: 10%, A: 20%, B: 40%}\n";

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

struct group {
    struct jx_data d;
    struct jx_arena arena;
    char (*ids)[8];
};

#define A(x, n) ((x) = jx_arena_calloc(&g->arena, nz(n), sizeof *(x)))

static size_t nz(size_t n)
{
    return n ? n : 1;
}

/*
 * n people P0000..; person at position i has id perm[i] (so the same people
 * can be laid out in another order).  Scores are drawn from a small range so
 * there are many ties.  Ratings are sorted by subject (as the store loads them).
 */
static void build(struct group *g, size_t n, const uint32_t *perm, const int64_t *kpi,
                  const int64_t *q)
{
    struct jx_data *d = &g->d;
    memset(g, 0, sizeof *g);
    A(g->ids, n);
    d->units.n = 1;
    A(d->units.id, 1);
    A(d->units.name, 1);
    A(d->units.parent, 1);
    A(d->units.kind, 1);
    d->units.id[0] = d->units.name[0] = "U";
    d->units.parent[0] = -1;
    d->people.n = n;
    A(d->people.id, n);
    A(d->people.name, n);
    A(d->people.unit, n);
    A(d->people.manager, n);
    A(d->people.role, n);
    A(d->people.status, n);
    A(d->people.hire_date, n);
    A(d->people.base_salary, n);
    A(d->people.allowance, n);
    d->ratings.n = 2 * n;
    A(d->ratings.subject, 2 * n);
    A(d->ratings.period, 2 * n);
    A(d->ratings.rater, 2 * n);
    A(d->ratings.item, 2 * n);
    A(d->ratings.rater_role, 2 * n);
    A(d->ratings.review, 2 * n);
    A(d->ratings.score, 2 * n);
    for (size_t i = 0; i < n; i++) {
        uint32_t who = perm[i];
        snprintf(g->ids[i], sizeof g->ids[i], "P%04u", who);
        d->people.id[i] = d->people.name[i] = g->ids[i];
        d->people.manager[i] = -1;
        d->people.role[i] = JX_ROLE_REP;
        d->people.status[i] = JX_PS_REGULAR;
        d->people.hire_date[i] = 0;
        for (int k = 0; k < 2; k++) {
            size_t r = 2 * i + (size_t)k;
            d->ratings.subject[r] = g->ids[i];
            d->ratings.period[r] = "2025-08";
            d->ratings.rater[r] = "M";
            d->ratings.item[r] = k ? "q" : "kpi";
            d->ratings.rater_role[r] = 1;
            d->ratings.score[r] = (k ? q[who] : kpi[who]) * S9;
        }
    }
}

static void run(struct group *g, const struct jx_plan *p, struct jx_run_output *out)
{
    struct jx_calendar cal;
    struct jx_err err;
    const struct jx_plan *plans[] = {p};
    struct jx_run_input in = {.data = &g->d, .plans = plans, .nplans = 1, .cal = &cal};
    jx_calendar_init(&cal);
    jx_err_clear(&err);
    assert_int_equal(jx_period_parse("2025-08", 7, &in.period, &err), JX_OK);
    enum jx_status st = jx_engine_run(&in, out, &err);
    if (st)
        fail_msg("engine: %s", err.msg);
    jx_calendar_release(&cal);
}

static int letter(char c)
{
    return c == 'S' ? 0 : c == 'A' ? 1 : c == 'B' ? 2 : c == 'C' ? 3 : 4;
}

static int64_t cap_of(size_t n, int pct, bool at_least_one)
{
    int64_t c = ((int64_t)n * pct * 2 + 100) / 200; /* round half up of n x pct / 100 */
    return at_least_one && c < 1 ? 1 : c;
}

static void random_scores(size_t n, int64_t *kpi, int64_t *q)
{
    for (size_t i = 0; i < n; i++) {
        kpi[i] = 60 + (int64_t)(next() % 41); /* 60..100: many ties, many above 90 */
        q[i] = 70 + (int64_t)(next() % 31);
    }
}

static void caps_hold_and_no_one_moves_up(void **state)
{
    (void)state;
    struct jx_plan *p;
    struct jx_err err;
    jx_err_clear(&err);
    assert_int_equal(jx_plan_load_text("cal.yaml", plan_text, sizeof plan_text - 1, &p, &err),
                     JX_OK);
    static const size_t sizes[] = {1, 2, 3, 7, 10, 11, 25, 99, 250};
    for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
        size_t n = sizes[t];
        int64_t *kpi = calloc(n, sizeof *kpi), *q = calloc(n, sizeof *q);
        uint32_t *perm = calloc(n, sizeof *perm);
        struct group g;
        struct jx_run_output out;
        random_scores(n, kpi, q);
        for (size_t i = 0; i < n; i++)
            perm[i] = (uint32_t)i;
        build(&g, n, perm, kpi, q);
        run(&g, p, &out);
        assert_int_equal(out.n, n);
        int64_t count[5] = {0};
        for (size_t i = 0; i < n; i++) {
            const struct jx_person_result *r = &out.people[i];
            assert_true(r->has_score);
            count[letter(r->grade[0])]++;
            assert_true(letter(r->grade[0]) >= letter(r->grade_before[0]));
            for (size_t j = 0; j < n; j++) {
                const struct jx_person_result *o = &out.people[j];
                if (r->rank < o->rank)
                    assert_true(letter(r->grade[0]) <= letter(o->grade[0]));
            }
        }
        assert_true(count[0] <= cap_of(n, 10, true));
        assert_true(count[1] <= cap_of(n, 20, true));
        assert_true(count[2] <= cap_of(n, 40, false));
        jx_run_output_release(&out);
        jx_arena_free(&g.arena);
        free(kpi);
        free(q);
        free(perm);
    }
    jx_plan_free(p);
}

static void order_does_not_matter(void **state)
{
    (void)state;
    struct jx_plan *p;
    struct jx_err err;
    jx_err_clear(&err);
    assert_int_equal(jx_plan_load_text("cal.yaml", plan_text, sizeof plan_text - 1, &p, &err),
                     JX_OK);
    enum { N = 120 };
    int64_t kpi[N], q[N];
    uint32_t a[N], b[N];
    random_scores(N, kpi, q);
    for (uint32_t i = 0; i < N; i++)
        a[i] = b[i] = i;
    /* b: a random layout of the same people (ids stay with their scores) */
    for (uint32_t i = N - 1; i > 0; i--) {
        uint32_t j = (uint32_t)(next() % (i + 1)), t = b[i];
        b[i] = b[j];
        b[j] = t;
    }
    struct group ga, gb;
    struct jx_run_output oa, ob;
    build(&ga, N, a, kpi, q);
    build(&gb, N, b, kpi, q);
    /* the store hands ratings sorted by subject: sort gb's people by id as it would */
    run(&ga, p, &oa);
    run(&gb, p, &ob);
    assert_int_equal(oa.n, ob.n);
    for (size_t i = 0; i < oa.n; i++) {
        const char *ida = ga.d.people.id[oa.people[i].person];
        /* find the same person in b's output */
        size_t j = 0;
        while (j < ob.n && strcmp(gb.d.people.id[ob.people[j].person], ida))
            j++;
        assert_true(j < ob.n);
        assert_int_equal(oa.people[i].final, ob.people[j].final);
        assert_string_equal(oa.people[i].grade, ob.people[j].grade);
        assert_string_equal(oa.people[i].grade_before, ob.people[j].grade_before);
        assert_int_equal(oa.people[i].rank, ob.people[j].rank);
        assert_int_equal(oa.people[i].nflags, ob.people[j].nflags);
    }
    jx_run_output_release(&oa);
    jx_run_output_release(&ob);
    jx_arena_free(&ga.arena);
    jx_arena_free(&gb.arena);
    jx_plan_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(caps_hold_and_no_one_moves_up),
        cmocka_unit_test(order_does_not_matter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
