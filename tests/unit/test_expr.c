/*
 * test_expr.c - exact rationals (core/rat.h) and the formula language
 * (plan/expr.h): exactness, precedence, laziness, every error with its
 * column, the limits, overflow, and failing allocations.
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
#include "core/money.h"
#include "core/rat.h"
#include "plan/expr.h"

#define I128_MAX ((__int128)(((unsigned __int128)1 << 127) - 1))

/* ---- helpers -------------------------------------------------------- */

static struct jx_rat R(const char *s)
{
    struct jx_rat r = {0, 1};
    struct jx_err err;
    assert_int_equal(jx_rat_parse(s, strlen(s), &r, &err), JX_OK);
    return r;
}

/* x formatted with 6 digits, in a rotating static buffer. */
static const char *F(struct jx_rat x, int digits)
{
    static char bufs[4][JX_RAT_BUFSZ];
    static int i;
    i = (i + 1) % 4;
    return jx_rat_format(x, digits, bufs[i]);
}

static void assert_rat(struct jx_rat got, const char *want)
{
    struct jx_rat w = R(want);
    if (got.num != w.num || got.den != w.den)
        fail_msg("got %s, want %s", F(got, 18), want);
}

/* The toy environment: a few names, a few host functions. */
static const char *const var_names[] = {"x", "y", "sales", "base_salary", "contract.revenue",
                                        "rating.composite", "zero"};
enum { NVARS = sizeof var_names / sizeof var_names[0] };

static int lookups;

static int lookup_var(void *ctx, const char *name, size_t len)
{
    (void)ctx;
    lookups++;
    for (int i = 0; i < NVARS; i++)
        if (strlen(var_names[i]) == len && !memcmp(var_names[i], name, len))
            return i;
    return -1;
}

enum { FN_SUM_LINES, FN_TWICE, FN_FAIL, FN_BAD };

static int lookup_fn(void *ctx, const char *name, size_t len, int nargs)
{
    (void)ctx;
    if (len == 9 && !memcmp(name, "sum_lines", 9) && nargs == 1)
        return FN_SUM_LINES;
    if (len == 5 && !memcmp(name, "twice", 5) && nargs == 1)
        return FN_TWICE;
    if (len == 4 && !memcmp(name, "fail", 4) && nargs == 0)
        return FN_FAIL;
    if (len == 3 && !memcmp(name, "bad", 3) && nargs == 0)
        return FN_BAD;
    return -1;
}

static int calls;

static enum jx_status call(void *ctx, int fn, const struct jx_rat *args, int nargs,
                           struct jx_rat *out, struct jx_err *err)
{
    (void)ctx;
    (void)nargs;
    calls++;
    switch (fn) {
    case FN_SUM_LINES:
        return jx_rat_mul(args[0], jx_rat_from_int(3), out);
    case FN_TWICE:
        return jx_rat_add(args[0], args[0], out);
    case FN_FAIL:
        return jx_err_set(err, JX_EINPUT, "no lines for this person");
    default:
        *out = (struct jx_rat){1, 0};
        return JX_OK;
    }
}

static const struct jx_expr_env env = {NULL, lookup_var, lookup_fn};
static struct jx_rat vars[NVARS];

static void set_vars(void)
{
    vars[0] = jx_rat_from_int(5);          /* x */
    vars[1] = jx_rat_from_frac(7, 2);      /* y */
    vars[2] = jx_rat_from_int(24000);      /* sales */
    vars[3] = jx_rat_from_int(4000);       /* base_salary */
    vars[4] = jx_rat_from_fen(12000000);   /* contract.revenue */
    vars[5] = jx_rat_from_frac(9, 1);      /* rating.composite */
    vars[6] = jx_rat_from_int(0);          /* zero */
}

static struct jx_expr *compile_ok(const char *src)
{
    struct jx_expr *e = NULL;
    struct jx_err err;
    jx_err_clear(&err);
    if (jx_expr_compile(src, strlen(src), &env, &e, &err))
        fail_msg("%s: %s", src, err.msg);
    return e;
}

/* Evaluate src with the toy variables; status, value and message out. */
static enum jx_status run(const char *src, struct jx_rat *out, struct jx_err *err)
{
    struct jx_expr *e = compile_ok(src);
    struct jx_expr_vm vm = {vars, NULL, call, 1000};
    jx_err_clear(err);
    enum jx_status st = jx_expr_eval(e, &vm, out, err);
    jx_expr_free(e);
    return st;
}

/* src evaluates to exactly want (a decimal). */
static void check(const char *src, const char *want)
{
    struct jx_rat r;
    struct jx_err err;
    if (run(src, &r, &err))
        fail_msg("%s: %s", src, err.msg);
    struct jx_rat w = R(want);
    if (r.num != w.num || r.den != w.den)
        fail_msg("%s = %s, want %s", src, F(r, 18), want);
}

/* src fails to compile with status st and exactly the message msg. */
static void compile_error(const char *src, size_t len, enum jx_status st, const char *msg)
{
    struct jx_expr *e = (struct jx_expr *)&e; /* must stay untouched */
    struct jx_expr *before = e;
    struct jx_err err;
    jx_err_clear(&err);
    enum jx_status got = jx_expr_compile(src, len, &env, &e, &err);
    if (got != st || strcmp(err.msg, msg) != 0)
        fail_msg("%.60s: got %d \"%s\", want %d \"%s\"", src, got, err.msg, st, msg);
    assert_ptr_equal(e, before);
}

/* src compiles but evaluation fails with status st and message msg. */
static void eval_error(const char *src, enum jx_status st, const char *msg)
{
    struct jx_rat r = {42, 1};
    struct jx_err err;
    enum jx_status got = run(src, &r, &err);
    if (got != st || strcmp(err.msg, msg) != 0)
        fail_msg("%s: got %d \"%s\", want %d \"%s\"", src, got, err.msg, st, msg);
    assert_true(r.num == 42 && r.den == 1);
}

/* ---- rat ------------------------------------------------------------ */

static void rat_make_and_parse(void **state)
{
    (void)state;
    struct jx_rat r;
    assert_rat(jx_rat_from_int(-3), "-3");
    assert_rat(jx_rat_from_frac(6, -4), "-1.5");
    assert_rat(jx_rat_from_frac(INT64_MIN, -1), "9223372036854775808");
    assert_rat(jx_rat_from_fen(1234567), "12345.67");
    assert_rat(jx_rat_from_fen(-50), "-0.5");
    assert_rat(jx_rat_from_dec(150000000), "0.15");
    assert_true(R("0.15").num == 3 && R("0.15").den == 20);
    assert_true(R("-0").num == 0 && R("-0").den == 1);
    assert_true(R("1.13").num == 113 && R("1.13").den == 100);

    const char *bad[] = {"", "-", "+1", "1.", ".5", "1e3", "1,000", "007", "00", " 1", "1 ",
                         "0x1", "1.2.3", "--1", "１"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct jx_err err;
        r = jx_rat_from_int(42);
        jx_err_clear(&err);
        assert_int_equal(jx_rat_parse(bad[i], strlen(bad[i]), &r, &err), JX_EINPUT);
        assert_true(err.msg[0] != '\0');
        assert_true(r.num == 42);
    }
    struct jx_err err;
    const char *big = "1234567890123456789012345678901234567"; /* 37 digits */
    assert_int_equal(jx_rat_parse(big, strlen(big), &r, &err), JX_ERANGE);
    assert_int_equal(jx_rat_parse(big, 36, &r, &err), JX_OK);
    const char *small = "0.00000000000000000000000000000000001"; /* 36 digits */
    assert_int_equal(jx_rat_parse(small, strlen(small), &r, &err), JX_OK);
    assert_true(r.num == 1);
}

static void rat_arithmetic(void **state)
{
    (void)state;
    struct jx_rat r, third;
    assert_int_equal(jx_rat_mul(R("19000"), R("0.95"), &r), JX_OK);
    assert_int_equal(jx_rat_mul(r, R("0.15"), &r), JX_OK);
    assert_rat(r, "2707.5");
    assert_int_equal(jx_rat_div(jx_rat_from_int(1), jx_rat_from_int(3), &third), JX_OK);
    assert_int_equal(jx_rat_mul(third, jx_rat_from_int(3), &r), JX_OK);
    assert_rat(r, "1");
    assert_int_equal(jx_rat_add(third, third, &r), JX_OK);
    assert_int_equal(jx_rat_add(r, third, &r), JX_OK);
    assert_rat(r, "1");
    assert_int_equal(jx_rat_add(R("0.1"), R("0.2"), &r), JX_OK);
    assert_rat(r, "0.3");
    assert_int_equal(jx_rat_sub(R("0.1"), R("0.35"), &r), JX_OK);
    assert_rat(r, "-0.25");
    assert_int_equal(jx_rat_sub(R("1.5"), R("1.5"), &r), JX_OK);
    assert_true(r.num == 0 && r.den == 1);
    assert_int_equal(jx_rat_div(R("-1"), R("-0.25"), &r), JX_OK);
    assert_rat(r, "4");
    assert_int_equal(jx_rat_div(R("1"), R("-0.25"), &r), JX_OK);
    assert_rat(r, "-4");
    r = jx_rat_from_int(7);
    assert_int_equal(jx_rat_div(R("1"), R("0"), &r), JX_EINPUT);
    assert_rat(r, "7");
    /* in place */
    assert_int_equal(jx_rat_mul(r, r, &r), JX_OK);
    assert_rat(r, "49");

    assert_rat(jx_rat_neg(R("2.5")), "-2.5");
    assert_rat(jx_rat_abs(R("-2.5")), "2.5");
    assert_rat(jx_rat_min(R("2.5"), R("-1")), "-1");
    assert_rat(jx_rat_max(R("2.5"), R("-1")), "2.5");
    assert_int_equal(jx_rat_sign(R("-0.01")), -1);
    assert_int_equal(jx_rat_sign(R("0")), 0);
    assert_true(jx_rat_is_zero(R("0")));
    assert_true(jx_rat_is_int(R("3")));
    assert_false(jx_rat_is_int(R("3.5")));
}

static void rat_overflow(void **state)
{
    (void)state;
    struct jx_rat max = {I128_MAX, 1}, r = {7, 1}, tiny = {1, I128_MAX};
    assert_int_equal(jx_rat_add(max, jx_rat_from_int(1), &r), JX_ERANGE);
    assert_int_equal(jx_rat_sub(jx_rat_neg(max), jx_rat_from_int(1), &r), JX_ERANGE);
    assert_int_equal(jx_rat_mul(max, jx_rat_from_int(2), &r), JX_ERANGE);
    assert_int_equal(jx_rat_div(max, R("0.5"), &r), JX_ERANGE);
    assert_int_equal(jx_rat_mul(tiny, tiny, &r), JX_ERANGE);
    assert_int_equal(jx_rat_add(tiny, R("0.5"), &r), JX_ERANGE);
    assert_rat(r, "7");
    /* but what fits, fits */
    assert_int_equal(jx_rat_sub(max, max, &r), JX_OK);
    assert_rat(r, "0");
    assert_int_equal(jx_rat_mul(tiny, max, &r), JX_OK);
    assert_rat(r, "1");
    assert_int_equal(jx_rat_add(jx_rat_neg(max), R("0"), &r), JX_OK);
    assert_int_equal(jx_rat_div(max, max, &r), JX_OK);
    assert_rat(r, "1");
    /* INT128_MIN never appears: -max - 1 is refused */
    assert_int_equal(jx_rat_sub(jx_rat_neg(max), jx_rat_from_int(1), &r), JX_ERANGE);
}

static void rat_compare(void **state)
{
    (void)state;
    struct jx_rat max = {I128_MAX, 1}, a = {I128_MAX, I128_MAX - 1}, b = {I128_MAX - 1,
                                                                          I128_MAX - 2};
    assert_int_equal(jx_rat_cmp(R("0.3"), R("0.30")), 0);
    assert_int_equal(jx_rat_cmp(R("1.13"), R("1.2")), -1);
    assert_int_equal(jx_rat_cmp(R("-1.13"), R("-1.2")), 1);
    assert_int_equal(jx_rat_cmp(R("-1"), R("0")), -1);
    assert_int_equal(jx_rat_cmp(max, jx_rat_neg(max)), 1);
    /* cross products overflow: continued fractions decide */
    assert_int_equal(jx_rat_cmp(a, b), -1); /* 1 + 1/(M-1) < 1 + 1/(M-2) */
    assert_int_equal(jx_rat_cmp(b, a), 1);
    assert_int_equal(jx_rat_cmp(jx_rat_neg(a), jx_rat_neg(b)), 1);
    assert_int_equal(jx_rat_cmp(a, a), 0);
    struct jx_rat c = {I128_MAX - 2, I128_MAX}, d = {1, 3};
    assert_int_equal(jx_rat_cmp(c, d), 1);
    assert_int_equal(jx_rat_cmp(d, c), -1);
}

static void rat_round_and_format(void **state)
{
    (void)state;
    struct jx_rat r, x;
    int64_t fen;
    assert_int_equal(jx_rat_round(R("2.345"), 2, &r), JX_OK);
    assert_rat(r, "2.35");
    assert_int_equal(jx_rat_round(R("-2.345"), 2, &r), JX_OK);
    assert_rat(r, "-2.35");
    assert_int_equal(jx_rat_round(R("2.5"), 0, &r), JX_OK);
    assert_rat(r, "3");
    assert_int_equal(jx_rat_round(R("-2.5"), 0, &r), JX_OK);
    assert_rat(r, "-3");
    assert_int_equal(jx_rat_round(R("2.4999"), 0, &r), JX_OK);
    assert_rat(r, "2");
    assert_int_equal(jx_rat_round(R("9.995"), 2, &r), JX_OK);
    assert_rat(r, "10");
    assert_int_equal(jx_rat_round(R("7"), 2, &r), JX_OK);
    assert_rat(r, "7");
    assert_int_equal(jx_rat_round(R("1"), 19, &r), JX_EINPUT);
    assert_int_equal(jx_rat_round(R("1.5"), -1, &r), JX_EINPUT);
    assert_int_equal(jx_rat_floor(R("-2.341"), 2, &r), JX_OK);
    assert_rat(r, "-2.35");
    assert_int_equal(jx_rat_ceil(R("-2.349"), 2, &r), JX_OK);
    assert_rat(r, "-2.34");
    assert_int_equal(jx_rat_floor(R("2.349"), 2, &r), JX_OK);
    assert_rat(r, "2.34");
    assert_int_equal(jx_rat_ceil(R("2.341"), 0, &r), JX_OK);
    assert_rat(r, "3");

    /* 20000 / 1.13 * 50% = 8849.5575... -> 8849.56 */
    assert_int_equal(jx_rat_div(R("20000"), R("1.13"), &x), JX_OK);
    assert_int_equal(jx_rat_mul(x, R("0.5"), &x), JX_OK);
    assert_int_equal(jx_rat_to_fen(x, &fen), JX_OK);
    assert_int_equal(fen, 884956);
    assert_int_equal(jx_rat_to_fen(R("-0.005"), &fen), JX_OK);
    assert_int_equal(fen, -1);
    assert_int_equal(jx_rat_to_fen(R("0.0049999"), &fen), JX_OK);
    assert_int_equal(fen, 0);
    assert_int_equal(jx_rat_to_fen(R("9999999999999.994"), &fen), JX_OK);
    assert_int_equal(fen, JX_MONEY_MAX);
    assert_int_equal(jx_rat_to_fen(R("9999999999999.995"), &fen), JX_ERANGE);
    int64_t dec;
    assert_int_equal(jx_rat_to_dec(R("0.15"), &dec), JX_OK);
    assert_int_equal(dec, 150000000);
    assert_int_equal(jx_rat_to_dec(jx_rat_from_frac(2, 3), &dec), JX_OK);
    assert_int_equal(dec, 666666667);
    assert_int_equal(jx_rat_to_dec(R("10000000000"), &dec), JX_ERANGE);

    assert_string_equal(F(R("1234.5"), 2), "1234.50");
    assert_string_equal(F(R("-0.004"), 2), "0.00");
    assert_string_equal(F(R("-0.005"), 2), "-0.01");
    assert_string_equal(F(R("0.5"), 0), "1");
    assert_string_equal(F(R("-2.5"), 0), "-3");
    assert_string_equal(F(jx_rat_from_frac(1, 3), 6), "0.333333");
    assert_string_equal(F(jx_rat_from_frac(2, 3), 18), "0.666666666666666667");
    assert_string_equal(F(R("3"), -4), "3");
    assert_string_equal(F(R("3"), 99), "3.000000000000000000");
    struct jx_rat max = {I128_MAX, 1}, big = {I128_MAX, 2}, tiny = {1, I128_MAX};
    assert_string_equal(F(max, 2), "170141183460469231731687303715884105727.00");
    assert_string_equal(F(jx_rat_neg(max), 0), "-170141183460469231731687303715884105727");
    assert_string_equal(F(big, 1), "85070591730234615865843651857942052863.5");
    assert_string_equal(F(big, 0), "85070591730234615865843651857942052864");
    assert_string_equal(F(tiny, 18), "0.000000000000000000");
    /* long division digit by digit: remainder * 10^d does not fit */
    struct jx_rat near1 = {I128_MAX - 1, I128_MAX};
    assert_string_equal(F(near1, 18), "1.000000000000000000");
    assert_string_equal(F(jx_rat_neg(near1), 3), "-1.000");
    assert_int_equal(jx_rat_round(near1, 18, &r), JX_OK);
    assert_rat(r, "1");
    struct jx_rat third_big = {I128_MAX / 3, I128_MAX};
    assert_string_equal(F(third_big, 18), "0.333333333333333333");
    assert_int_equal(jx_rat_round(max, 2, &r), JX_OK); /* whole: unchanged */
    assert_int_equal(jx_rat_round(big, 2, &r), JX_ERANGE);
}

/* ---- expressions: values -------------------------------------------- */

static void expr_exact(void **state)
{
    (void)state;
    set_vars();
    check("19000*0.95*0.15", "2707.5");
    check("(1/3)*3", "1");
    check("1/3 + 1/3 + 1/3 == 1", "1");
    check("0.1 + 0.2 == 0.3", "1");
    check("1/3 == 0.333333333", "0");
    check("15%", "0.15");
    check("0.5%", "0.005");
    check("100%", "1");
    check("12% * 30000", "3600");
    check("30000", "30000");
    check("0", "0");
    /* domain.md example M1 */
    check("(171000 * 3% + 19000 * 15%) * 0.75 * 0.9", "5386.5");
    check("(10 * 18000 * (1 - 5%) * 3% + 10 * 2000 * (1 - 5%) * 15%) * 150000 / 200000 * 9 / 10",
          "5386.5");
    check("200000 * 0.95 * 3% * 0.75 * 0.9", "3847.5");
    /* G1 */
    check("round(20000 / 1.13 * 50%, 2)", "8849.56");
    check("450000 * if(450000 >= 400000, 1%, 0.5%)", "4500");
    check("380000 * if(380000 >= 400000, 1%, 0.5%)", "1900");
    check("round(4000 * min(1, 24000 / 30000), 2)", "3200");
    /* S1: KPI and final */
    check("round(115*40% + 80*15% + 120*15% + 85/90*100*20% + 120*10%, 2)", "106.89");
    check("round(0.7 * (115*40% + 80*15% + 120*15% + 85/90*100*20% + 120*10%)"
          " + 0.3 * (90*40% + 80*30% + 85*30%), 2)",
          "100.47");
    /* variables */
    check("x * 2 + y", "13.5");
    check("sales / 30000", "0.8");
    check("contract.revenue", "120000");
    check("rating.composite / 10", "0.9");
    check("base_salary * rating.composite / 10", "3600");
}

static void expr_precedence(void **state)
{
    (void)state;
    set_vars();
    check("1 + 2 * 3", "7");
    check("(1 + 2) * 3", "9");
    check("10 - 4 - 3", "3");
    check("64 / 4 / 2", "8");
    check("-2 * 3", "-6");
    check("2 * -3", "-6");
    check("--2", "2");
    check("- x", "-5");
    check("-x * -x", "25");
    check("1 - -1", "2");
    check("1 + 2 > 2", "1");
    check("2 * 3 == 6", "1");
    check("not 1 == 2", "1");
    check("not x", "0");
    check("not not x", "1");
    check("1 or 0 and 0", "1");
    check("(1 or 0) and 0", "0");
    check("x > 1 and y < 4", "1");
    check("x > 1 and not y < 4", "0");
    check("x > 1 or 1 / zero", "1");
    check(" \t(\n x\r) ", "5");
}

static void expr_functions(void **state)
{
    (void)state;
    set_vars();
    check("if(x > 3, 1, 2)", "1");
    check("if(x > 9, 1, 2)", "2");
    check("if(y, 10, 20)", "10");
    check("if(zero, 10, 20)", "20");
    check("if(x > 0, 10 / x, 0)", "2");
    check("if(zero > 0, 10 / zero, 0)", "0"); /* lazy: no division by zero */
    check("if(zero == 0, 0, 10 / zero)", "0");
    check("zero != 0 and 10 / zero > 1", "0"); /* and/or are lazy too */
    check("zero == 0 or 10 / zero > 1", "1");
    check("x and y", "1");
    check("x and zero", "0");
    check("zero or y", "1");
    check("zero or zero", "0");
    check("min(3, x, y)", "3");
    check("min(x)", "5");
    check("max(3, x, y, -10)", "5");
    check("max(0, sales - 30000) * 5%", "0");
    check("abs(-y)", "3.5");
    check("abs(y)", "3.5");
    check("round(x / 3, 2)", "1.67");
    check("round(-x / 3, 0)", "-2");
    check("round(-y, 0)", "-4");
    check("round(y, 0)", "4");
    check("round(x / 7, x)", "0.71429");
    check("floor(-y)", "-4");
    check("ceil(-y)", "-3");
    check("floor(x / 3, 1)", "1.6");
    check("ceil(x / 3, 1)", "1.7");
    check("clamp(x, 1, 3)", "3");
    check("clamp(-x, 1, 3)", "1");
    check("clamp(y, 1, 4)", "3.5");
    /* tier: the value of the highest threshold reached; progressive: banded rates */
    check("tier(450000, 0.5%, 400000, 1%)", "0.01");
    check("tier(380000, 0.5%, 400000, 1%)", "0.005");
    check("tier(400000, 0.5%, 400000, 1%)", "0.01");
    check("tier(x, 0, 3, 10, 5, 20, 6, 30)", "20");
    check("tier(-x, 0, 3, 10)", "0");
    check("progressive(115, 0, 1, 100, 50%)", "107.5");
    check("progressive(90, 0, 1, 100, 50%)", "90");
    check("progressive(130, 0, 1, 100, 50%, 120, 0)", "110");
    check("progressive(x, 10, 1)", "0");
    check("true + true", "2");
    check("false", "0");
    /* host functions: resolved by name and arity, never folded */
    calls = 0;
    check("sum_lines(x) + twice(2)", "19");
    assert_int_equal(calls, 2);
    check("if(zero, sum_lines(x), 1)", "1");
    assert_int_equal(calls, 2);
}

static void expr_deps_and_const(void **state)
{
    (void)state;
    struct jx_expr *e;

    e = compile_ok("y * x + x * sales + y");
    assert_false(jx_expr_is_const(e));
    assert_int_equal(jx_expr_max_slot(e), 2);
    assert_true(jx_expr_cost(e) >= 7);
    jx_expr_free(e);

    e = compile_ok("if(1, x, sales) + 2 * 3");
    assert_int_equal(jx_expr_max_slot(e), 0);
    jx_expr_free(e);

    e = compile_ok("30000 * 5% + max(1, 2) - round(1/3, 2)");
    assert_true(jx_expr_is_const(e));
    assert_int_equal(jx_expr_max_slot(e), -1);
    assert_int_equal(jx_expr_cost(e), 1);
    struct jx_expr_vm vm = {NULL, NULL, NULL, 10};
    struct jx_rat r;
    assert_int_equal(jx_expr_eval(e, &vm, &r, NULL), JX_OK);
    assert_rat(r, "1501.67");
    assert_int_equal(vm.steps_left, 9);
    jx_expr_free(e);

    e = compile_ok("sum_lines(1)");
    assert_false(jx_expr_is_const(e));
    jx_expr_free(e);
    jx_expr_free(NULL);

    /* names are looked up once per occurrence */
    lookups = 0;
    e = compile_ok("x + x + contract.revenue");
    assert_int_equal(lookups, 3);
    jx_expr_free(e);
}

static void collect(void *ctx, int v)
{
    int *list = ctx;
    list[++list[0]] = v;
}

static void expr_deps_order(void **state)
{
    (void)state;
    int list[16] = {0};
    struct jx_expr *e = compile_ok("y * x + if(x > sales, x, rating.composite) + y");
    jx_expr_deps(e, collect, list);
    assert_int_equal(list[0], 4);
    assert_int_equal(list[1], 1);
    assert_int_equal(list[2], 0);
    assert_int_equal(list[3], 2);
    assert_int_equal(list[4], 5);
    memset(list, 0, sizeof list);
    jx_expr_calls(e, collect, list);
    assert_int_equal(list[0], 0);
    jx_expr_free(e);

    e = compile_ok("if(0 > 1, sales, x) + twice(sum_lines(x)) + twice(1)");
    memset(list, 0, sizeof list);
    jx_expr_deps(e, collect, list);
    assert_int_equal(list[0], 1);
    assert_int_equal(list[1], 0);
    memset(list, 0, sizeof list);
    jx_expr_calls(e, collect, list);
    assert_int_equal(list[0], 2);
    assert_int_equal(list[1], FN_SUM_LINES);
    assert_int_equal(list[2], FN_TWICE);
    jx_expr_free(e);
}

/* ---- expressions: errors -------------------------------------------- */

static void expr_compile_errors(void **state)
{
    (void)state;
    static const struct {
        const char *src;
        enum jx_status st;
        const char *msg;
    } cases[] = {
        {"base_salary + bse_price", JX_EINPUT, "column 15: unknown name \"bse_price\""},
        {"min(1, 2", JX_EINPUT,
         "column 9: expected \")\" after arguments of min, found the end of the formula"},
        {"min(1, 2 3)", JX_EINPUT, "column 10: expected \")\" after arguments of min, found \"3\""},
        {"round(x)", JX_EINPUT, "column 1: round() takes 2 arguments: round(x, digits)"},
        {"x + round(x, 1, 2)", JX_EINPUT, "column 5: round() takes 2 arguments: round(x, digits)"},
        {"if(x, 1)", JX_EINPUT, "column 1: if() takes 3 arguments: if(condition, then, else)"},
        {"abs()", JX_EINPUT, "column 1: abs() takes 1 argument"},
        {"min()", JX_EINPUT, "column 1: min() takes at least 1 argument"},
        {"clamp(x, 1)", JX_EINPUT, "column 1: clamp() takes 3 arguments: clamp(x, low, high)"},
        {"floor(x, 1, 2)", JX_EINPUT,
         "column 1: floor() takes 1 or 2 arguments: floor(x) or floor(x, digits)"},
        {"x / 0", JX_EINPUT, "column 3: division by zero"},
        {"x + 1 / (2 - 2)", JX_EINPUT, "column 7: division by zero"},
        {"round(x, 19)", JX_EINPUT, "column 10: round() digits must be a whole number from 0 to 18"},
        {"round(x, 0.5)", JX_EINPUT,
         "column 10: round() digits must be a whole number from 0 to 18"},
        {"ceil(x, -1)", JX_EINPUT, "column 9: ceil() digits must be a whole number from 0 to 18"},
        {"round(1.5, -1)", JX_EINPUT, "column 1: round() digits must be a whole number from 0 to 18"},
        {"clamp(1, 3, 2)", JX_EINPUT, "column 1: clamp() low bound is above its high bound"},
        {"tier(x, 1, 2)", JX_EINPUT,
         "column 1: tier() takes x, the value below the first threshold, then threshold, value "
         "pairs: tier(x, v0, t1, v1, ...)"},
        {"progressive(x, 1, 2, 3)", JX_EINPUT,
         "column 1: progressive() takes x, then threshold, rate pairs: progressive(x, t0, r0, t1, "
         "r1, ...)"},
        {"tier(9, 0, 5, 1, 3, 2)", JX_EINPUT, "column 1: tier() thresholds must increase"},
        {"progressive(9, 5, 1, 5, 2)", JX_EINPUT,
         "column 1: progressive() thresholds must increase"},
        {"", JX_EINPUT, "column 1: empty formula"},
        {"   ", JX_EINPUT, "column 4: empty formula"},
        {"x +", JX_EINPUT, "column 4: expected a number, a name or \"(\", found the end of the formula"},
        {"x * * 2", JX_EINPUT, "column 5: expected a number, a name or \"(\", found \"*\""},
        {"+x", JX_EINPUT, "column 1: expected a number, a name or \"(\", found \"+\""},
        {"(x + 1", JX_EINPUT,
         "column 7: expected \")\" to close the \"(\" at column 1, found the end of the formula"},
        {"x + 1)", JX_EINPUT, "column 6: unexpected \")\" (no \"(\" to close)"},
        {"x y", JX_EINPUT, "column 3: unexpected \"y\" (is an operator missing before it?)"},
        {"30,000", JX_EINPUT,
         "column 3: unexpected \",\" outside the arguments of a function (thousands separators "
         "such as 30,000 are not allowed)"},
        {"min(30,000)", JX_EINPUT,
         "column 8: \"000\" is not a number (a number does not start with 0; thousands "
         "separators such as 30,000 are not allowed)"},
        {"007", JX_EINPUT,
         "column 1: \"007\" is not a number (a number does not start with 0; thousands "
         "separators such as 30,000 are not allowed)"},
        {"1.", JX_EINPUT, "column 1: \"1.\" is not a number (write 1 or 1.0)"},
        {"x + .5", JX_EINPUT, "column 5: a number starts with a digit (write 0.5, not .5)"},
        {"1e5", JX_EINPUT, "column 1: \"1e5\" is not a number (exponents are not allowed)"},
        {"3x", JX_EINPUT, "column 1: \"3x\" is not a number"},
        {"1.2.3", JX_EINPUT, "column 1: \"1.2.3\" is not a number"},
        {"x = 1", JX_EINPUT, "column 3: unexpected \"=\" (write == to compare)"},
        {"!x", JX_EINPUT, "column 1: unexpected \"!\" (write not, or != to compare)"},
        {"x && y", JX_EINPUT, "column 3: unexpected \"&\" (write and)"},
        {"x || y", JX_EINPUT, "column 3: unexpected \"|\" (write or)"},
        {"x ^ 2", JX_EINPUT, "column 3: unexpected \"^\" (there is no power operator; write x * x)"},
        {"x % 2", JX_EINPUT, "column 3: unexpected \"%\" (it follows a number, as in 15%)"},
        {"x $ 2", JX_EINPUT, "column 3: unexpected \"$\""},
        {"1 < x < 3", JX_EINPUT, "column 7: comparisons do not chain (write a < b and b < c)"},
        {"x.", JX_EINPUT, "column 2: unexpected \".\""},
        {"foo(1, 2)", JX_EINPUT, "column 1: unknown function \"foo\" with 2 arguments"},
        {"twice(1, 2)", JX_EINPUT, "column 1: unknown function \"twice\" with 2 arguments"},
        {"fail(1)", JX_EINPUT, "column 1: unknown function \"fail\" with 1 argument"},
        {"MIN(x, 1)", JX_EINPUT,
         "column 1: unknown function \"MIN\" (functions are in lower case: min)"},
        {"max + 1", JX_EINPUT, "column 1: unknown name \"max\" (max is a function: write max(...))"},
        {"if + 1", JX_EINPUT, "column 1: unknown name \"if\" (if is a function: write if(...))"},
        {"x and", JX_EINPUT,
         "column 6: expected a number, a name or \"(\", found the end of the formula"},
        {"and x", JX_EINPUT, "column 1: expected a number, a name or \"(\", found \"and\""},
        {"99999999999999999999999999999999", JX_ERANGE,
         "column 1: number \"99999999999999999999...\" has too many digits (at most 30)"},
        {"100000000000000000000 * 100000000000000000000", JX_ERANGE,
         "column 23: arithmetic overflow (the exact result needs more than 38 digits)"},
        /* columns count characters, not bytes */
        {"（x）", JX_EINPUT,
         "column 1: unexpected \"（\" (a full-width character; write \"(\")"},
        {"min(x，1)", JX_EINPUT,
         "column 6: unexpected \"，\" (a full-width character; write \",\")"},
        {"销售额 * 2", JX_EINPUT, "column 1: unexpected \"销\""},
        {"x + 销售额", JX_EINPUT, "column 5: unexpected \"销\""},
        {"“x” + 1", JX_EINPUT, "column 1: unexpected \"“\""},
        {"x × 2", JX_EINPUT, "column 3: unexpected \"×\" (a full-width character; write \"*\")"},
        {"１５", JX_EINPUT, "column 1: unexpected \"１\" (a full-width digit; write \"1\")"},
        {"x + \xff", JX_EINPUT, "column 5: unexpected byte 0xFF"},
        {"x + \xe4\xb8", JX_EINPUT, "column 5: unexpected byte 0xE4"},
        {"x + \xc0\x80", JX_EINPUT, "column 5: unexpected byte 0xC0"},
        {"x + \xed\xa0\x80", JX_EINPUT, "column 5: unexpected byte 0xED"},
        {"x\x01", JX_EINPUT, "column 2: unexpected byte 0x01"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        compile_error(cases[i].src, strlen(cases[i].src), cases[i].st, cases[i].msg);
    compile_error("x + \0", 5, JX_EINPUT, "column 5: unexpected byte 0x00");
    compile_error(NULL, 3, JX_EINPUT, "column 1: no formula");
}

static void expr_eval_errors(void **state)
{
    (void)state;
    set_vars();
    eval_error("x / zero", JX_EINPUT, "column 3: division by zero");
    eval_error("1 + x / (y - 3.5)", JX_EINPUT, "column 7: division by zero");
    eval_error("round(x, y)", JX_EINPUT,
               "column 1: round() digits must be a whole number from 0 to 18");
    eval_error("floor(x, -x)", JX_EINPUT,
               "column 1: floor() digits must be a whole number from 0 to 18");
    eval_error("clamp(1, x, y)", JX_EINPUT, "column 1: clamp() low bound is above its high bound");
    eval_error("x + fail()", JX_EINPUT, "column 5: no lines for this person");
    eval_error("bad()", JX_EINTERNAL,
               "column 1: internal error: a function returned an invalid number");
    /* overflow at run time, whole and fractional */
    vars[0] = (struct jx_rat){I128_MAX / 2, 1};
    eval_error("x + x + x", JX_ERANGE,
               "column 7: arithmetic overflow (the exact result needs more than 38 digits)");
    eval_error("x * 3", JX_ERANGE,
               "column 3: arithmetic overflow (the exact result needs more than 38 digits)");
    eval_error("-x - x - x", JX_ERANGE,
               "column 8: arithmetic overflow (the exact result needs more than 38 digits)");
    eval_error("x * 2.5", JX_ERANGE,
               "column 3: arithmetic overflow (the exact result needs more than 38 digits)");
    eval_error("round(x + 0.5, 2)", JX_ERANGE,
               "column 1: arithmetic overflow (the exact result needs more than 38 digits)");
    vars[0] = (struct jx_rat){1, I128_MAX};
    eval_error("x * x", JX_ERANGE,
               "column 3: arithmetic overflow (the exact result needs more than 38 digits)");
    eval_error("x + 1/3", JX_ERANGE,
               "column 3: arithmetic overflow (the exact result needs more than 38 digits)");
    set_vars();

    /* no host function table, no variables */
    struct jx_expr *e = compile_ok("twice(1)");
    struct jx_expr_vm vm = {vars, NULL, NULL, 100};
    struct jx_rat r;
    struct jx_err err;
    assert_int_equal(jx_expr_eval(e, &vm, &r, &err), JX_EINTERNAL);
    assert_string_equal(err.msg, "column 1: no host functions to call");
    jx_expr_free(e);
    e = compile_ok("x");
    vm.vars = NULL;
    assert_int_equal(jx_expr_eval(e, &vm, &r, &err), JX_EINTERNAL);
    jx_expr_free(e);
}

/* ---- limits --------------------------------------------------------- */

/* n copies of s. */
static char *repeat(const char *s, int n)
{
    size_t len = strlen(s);
    char *out = malloc(len * (size_t)n + 1);
    assert_non_null(out);
    for (int i = 0; i < n; i++)
        memcpy(out + len * (size_t)i, s, len);
    out[len * (size_t)n] = '\0';
    return out;
}

/* n opening parentheses, x, n closing ones. */
static char *nested(int n)
{
    char *open = repeat("(", n), *close = repeat(")", n);
    size_t len = 2 * (size_t)n + 2;
    char *s = malloc(len);
    assert_non_null(s);
    snprintf(s, len, "%sx%s", open, close);
    free(open);
    free(close);
    return s;
}

static void expr_limits(void **state)
{
    (void)state;
    struct jx_expr *e;
    struct jx_err err;
    set_vars();

    /* nesting: the formula itself is level 1 */
    char *s = nested(JX_EXPR_MAX_DEPTH - 1);
    e = compile_ok(s);
    jx_expr_free(e);
    free(s);
    s = nested(JX_EXPR_MAX_DEPTH);
    compile_error(s, strlen(s), JX_EINPUT, "column 65: formula nested too deeply (more than 64 levels)");
    free(s);
    s = nested(100000);
    assert_int_equal(jx_expr_compile(s, strlen(s), &env, &e, &err), JX_EINPUT);
    assert_string_equal(err.msg, "column 1: formula too long (200001 bytes, at most 4096)");
    free(s);
    s = repeat("-", 200);
    compile_error(s, strlen(s), JX_EINPUT, "column 64: formula nested too deeply (more than 64 levels)");
    free(s);
    s = repeat("not ", 200);
    compile_error(s, strlen(s), JX_EINPUT,
                  "column 253: formula nested too deeply (more than 64 levels)");
    free(s);

    /* length */
    s = repeat(" ", JX_EXPR_MAX_SRC);
    s[0] = '1';
    e = compile_ok(s);
    jx_expr_free(e);
    free(s);
    s = repeat(" ", JX_EXPR_MAX_SRC + 1);
    s[0] = '1';
    compile_error(s, strlen(s), JX_EINPUT, "column 1: formula too long (4097 bytes, at most 4096)");
    free(s);

    /* parts: x+x+...: 2047 parts fit, 2049 do not */
    s = repeat("x+", 1024);
    s[strlen(s) - 1] = '\0';
    e = compile_ok(s);
    jx_expr_free(e);
    free(s);
    s = repeat("x+", 1025);
    s[strlen(s) - 1] = '\0';
    compile_error(s, strlen(s), JX_EINPUT, "column 2048: formula too complex (more than 2048 parts)");
    free(s);
    /* a long constant chain folds as it goes, but still counts */
    s = repeat("1+", 1100);
    s[strlen(s) - 1] = '\0';
    assert_int_equal(jx_expr_compile(s, strlen(s), &env, &e, &err), JX_EINPUT);
    free(s);

    /* arguments */
    s = repeat("x,", 64);
    char buf[256];
    s[strlen(s) - 1] = '\0';
    snprintf(buf, sizeof buf, "max(%s)", s);
    e = compile_ok(buf);
    jx_expr_free(e);
    snprintf(buf, sizeof buf, "max(%s,x)", s);
    compile_error(buf, strlen(buf), JX_EINPUT, "column 133: too many arguments to max (at most 64)");
    free(s);

    /* values held at once: nested max(x, ..., max(...)) */
    char *args = repeat("x,", 60), *deep = malloc(4096);
    assert_non_null(deep);
    deep[0] = '\0';
    for (int i = 0; i < 5; i++) {
        strcat(deep, "max(");
        strcat(deep, args);
    }
    strcat(deep, "x))))) ");
    compile_error(deep, strlen(deep), JX_EINPUT,
                  "column 1: formula too complex (it holds more than 256 values at once)");
    free(args);
    free(deep);

    /* step budget */
    e = compile_ok("x + 1 + 2 * y");
    struct jx_expr_vm vm = {vars, NULL, call, jx_expr_cost(e)};
    struct jx_rat r = {42, 1};
    assert_int_equal(jx_expr_eval(e, &vm, &r, &err), JX_OK);
    assert_int_equal(vm.steps_left, 0);
    r = jx_rat_from_int(42);
    assert_int_equal(jx_expr_eval(e, &vm, &r, &err), JX_ERANGE);
    assert_string_equal(err.msg, "column 1: evaluation step limit exceeded");
    assert_rat(r, "42");
    vm.steps_left = 4;
    assert_int_equal(jx_expr_eval(e, &vm, &r, &err), JX_ERANGE);
    assert_string_equal(err.msg, "column 13: evaluation step limit exceeded");
    assert_int_equal(vm.steps_left, 0);
    vm.steps_left = -5;
    assert_int_equal(jx_expr_eval(e, &vm, &r, &err), JX_ERANGE);
    jx_expr_free(e);
    /* lazy branches cost nothing */
    e = compile_ok("if(x > 1, 1, x + x + x + x + x)");
    vm.steps_left = 100;
    assert_int_equal(jx_expr_eval(e, &vm, &r, &err), JX_OK);
    assert_int_equal(vm.steps_left, 100 - 6);
    jx_expr_free(e);
}

/* Every allocation of a compile fails in turn: a clean ENOMEM, no leak. */
static void expr_out_of_memory(void **state)
{
    (void)state;
    const char *src = "if(x > 1, round(x * 15%, 2), min(y, sales / 3))";
    int failures = 0;
    for (long n = 1; n < 20; n++) {
        struct jx_expr *e = NULL;
        struct jx_err err;
        jx_alloc_fail_after(n);
        enum jx_status st = jx_expr_compile(src, strlen(src), &env, &e, &err);
        jx_alloc_fail_after(0);
        if (st == JX_OK) {
            jx_expr_free(e);
            break;
        }
        assert_int_equal(st, JX_ENOMEM);
        assert_null(e);
        failures++;
    }
    assert_true(failures >= 2);
}

/* Without an environment, names are unknown and constants still work. */
static void expr_no_env(void **state)
{
    (void)state;
    struct jx_expr *e;
    struct jx_err err;
    assert_int_equal(jx_expr_compile("x", 1, NULL, &e, &err), JX_EINPUT);
    assert_string_equal(err.msg, "column 1: unknown name \"x\"");
    assert_int_equal(jx_expr_compile("f(1)", 4, NULL, &e, &err), JX_EINPUT);
    assert_int_equal(jx_expr_compile("2 * 3%", 6, NULL, &e, &err), JX_OK);
    struct jx_expr_vm vm = {NULL, NULL, NULL, 10};
    struct jx_rat r;
    assert_int_equal(jx_expr_eval(e, &vm, &r, &err), JX_OK);
    assert_rat(r, "0.06");
    jx_expr_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rat_make_and_parse),  cmocka_unit_test(rat_arithmetic),
        cmocka_unit_test(rat_overflow),        cmocka_unit_test(rat_compare),
        cmocka_unit_test(rat_round_and_format), cmocka_unit_test(expr_exact),
        cmocka_unit_test(expr_precedence),     cmocka_unit_test(expr_functions),
        cmocka_unit_test(expr_deps_and_const), cmocka_unit_test(expr_deps_order),
        cmocka_unit_test(expr_compile_errors), cmocka_unit_test(expr_eval_errors),
        cmocka_unit_test(expr_limits),         cmocka_unit_test(expr_out_of_memory),
        cmocka_unit_test(expr_no_env),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
