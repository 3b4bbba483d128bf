/*
 * fuzz_expr.c - libFuzzer target for the formula language of plan files
 * (src/plan/expr.h).
 *
 * The whole input is one formula.  It is compiled against a toy environment
 * (every built-in plan variable of plan/vars.h, the parameter and value names
 * of the shipped plans, one slot per family prefix such as "rating.", and
 * three host functions: twice(x), sum(...) with any number of arguments, and
 * fail(), which always fails).  When it compiles, it is evaluated with three
 * sets of values (all zero; ordinary amounts, rates and flags; values at the
 * edge of __int128).  Besides "never crashes, hangs or leaks":
 *
 *   - compiling gives a formula, or JX_EINPUT / JX_ERANGE with a message
 *     "column N: ..." whose N lies within the formula, and leaves *out alone;
 *     a NUL byte or more than JX_EXPR_MAX_SRC bytes is always refused;
 *   - the name callbacks run only while compiling, in source order, with a
 *     well-formed name; lookup_fn never sees a built-in function;
 *   - jx_expr_deps/calls/max_slot/is_const agree with what the callbacks
 *     resolved, and is_const holds exactly when nothing is read or called;
 *   - an evaluation gives a valid rational in lowest terms, or an error
 *     with "column N: ..." and *out untouched; host functions get valid
 *     arguments and exactly the arity they were resolved with;
 *   - the step budget: jx_expr_cost() steps always suffice; with the steps an
 *     evaluation used it gives the same outcome; with one fewer it stops with
 *     JX_ERANGE "evaluation step limit exceeded";
 *   - slots the formula does not read do not change its value;
 *   - constant folding agrees with evaluation: each name replaced by its
 *     value as a literal ("(-1200.75)", "(1/3)") gives, when that compiles,
 *     the value the evaluator computed (folding computes every part, so the
 *     evaluator, which is lazy, must not fail there);
 *   - with the n-th allocation failing (n = 1, 2, ...) compiling gives
 *     JX_ENOMEM with a message, or the same outcome as without, and leaks
 *     nothing.
 *
 * A broken property aborts, which libFuzzer reports as a crash with the
 * input.  With JX_FUZZ_VERBOSE set, each input's outcome is printed.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/rat.h"
#include "plan/expr.h"
#include "plan/vars.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define I128_MAX ((__int128)(((unsigned __int128)1 << 127) - 1))
#define I128_MIN (-I128_MAX - 1)

/* The formula being tested, for messages. */
static const char *cur_src;
static size_t cur_len;
static bool verbose;

#define CHECK(cond)                                                                          \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fprintf(stderr, "fuzz_expr: %s:%d: check failed: %s (formula \"%.*s\")\n",      \
                    __FILE__, __LINE__, #cond, (int)(cur_len > 200 ? 200 : cur_len),        \
                    cur_src);                                                                \
            abort();                                                                         \
        }                                                                                    \
    } while (0)

/* ---- the environment ---------------------------------------------------- */

/* Parameter and value names of the shipped plans, and a few short ones. */
static const char *const extra_names[] = {
    "x",         "y",           "z",           "zero",         "task_sales",
    "task_agents", "over_task_rate", "annual_threshold", "annual_rate_high",
    "annual_rate_low", "base_rate", "excess_rate", "composite_default", "team_bonus_rate",
    "probation_pay", "probation_low_score", "counted_sales", "task_met", "task_completion",
    "over_task", "annual_bonus", "composite", "probation_month1", "probation_cut",
    "team_bonus", "perf_bonus_base", "kpi_weight", "score_cap", "team_bonus_amount",
    "repair_completion_min", "csat_min", "complaint_rate_max", "individual_score", "perf_bonus",
    "team_goals_met",
};
enum { NEXTRA = sizeof extra_names / sizeof extra_names[0] };
/* Slots: built-ins, then the extra names, then one per family prefix. */
enum { SLOT_EXTRA = JX_V_COUNT, SLOT_FAMILY = JX_V_COUNT + NEXTRA,
       NSLOTS = JX_V_COUNT + NEXTRA + JX_VF_COUNT };

/* Host functions; sum's id carries its number of arguments. */
enum { FN_TWICE, FN_FAIL, FN_SUM0 };
#define FN_COUNT (FN_SUM0 + JX_EXPR_MAX_ARGS + 1)

static const char *const builtin_fns[] = {"if",   "min",   "max",  "abs",  "round",
                                          "floor", "ceil", "clamp", "tier", "progressive"};

/* What the callbacks saw during the current compile. */
struct occurrence {
    size_t off, len;
    int slot;
};
static struct occurrence occ[JX_EXPR_MAX_SRC + 1];
static int nocc;
static bool occ_in_src; /* every name pointed into the source */
static bool compiling;  /* callbacks are legal */
static bool recording;  /* the main compile: keep the occurrences */
static const char *rec_src;
static size_t rec_len;
static int var_lookups, fn_lookups;
static bool resolved_slot[NSLOTS], resolved_fn[FN_COUNT];

static bool is_name_byte(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.';
}

static void check_name(const char *name, size_t len)
{
    CHECK(compiling);
    CHECK(name != NULL && len >= 1 && len <= JX_EXPR_MAX_NAME);
    for (size_t i = 0; i < len; i++)
        CHECK(is_name_byte(name[i]));
    CHECK(name[0] < '0' || name[0] > '9');
}

static bool same(const char *name, size_t len, const char *word)
{
    return strlen(word) == len && !memcmp(name, word, len);
}

static int lookup_var(void *ctx, const char *name, size_t len)
{
    CHECK(ctx == &occ);
    check_name(name, len);
    var_lookups++;
    int slot = jx_var_lookup(name, len);
    for (int i = 0; slot < 0 && i < NEXTRA; i++)
        if (same(name, len, extra_names[i]))
            slot = SLOT_EXTRA + i;
    for (int f = 0; slot < 0 && f < JX_VF_COUNT; f++) {
        size_t fl = strlen(jx_var_families[f]);
        if (len > fl && !memcmp(name, jx_var_families[f], fl))
            slot = SLOT_FAMILY + f;
    }
    if (recording) {
        /* Source order: each name starts after the previous one ends. */
        if (name >= rec_src && name + len <= rec_src + rec_len) {
            size_t off = (size_t)(name - rec_src);
            CHECK(nocc == 0 || off >= occ[nocc - 1].off + occ[nocc - 1].len);
            CHECK(nocc < (int)(sizeof occ / sizeof occ[0]));
            occ[nocc++] = (struct occurrence){off, len, slot};
        } else {
            occ_in_src = false;
        }
        if (slot >= 0)
            resolved_slot[slot] = true;
    }
    return slot;
}

static int lookup_fn(void *ctx, const char *name, size_t len, int nargs)
{
    CHECK(ctx == &occ);
    check_name(name, len);
    CHECK(nargs >= 0 && nargs <= JX_EXPR_MAX_ARGS);
    for (size_t i = 0; i < sizeof builtin_fns / sizeof builtin_fns[0]; i++)
        CHECK(!same(name, len, builtin_fns[i]));
    fn_lookups++;
    int id = -1;
    if (same(name, len, "twice") && nargs == 1)
        id = FN_TWICE;
    else if (same(name, len, "fail") && nargs == 0)
        id = FN_FAIL;
    else if (same(name, len, "sum"))
        id = FN_SUM0 + nargs;
    if (recording && id >= 0)
        resolved_fn[id] = true;
    return id;
}

static const struct jx_expr_env env = {&occ, lookup_var, lookup_fn};

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

/* A value as rat.h promises: den > 0, num != INT128_MIN, lowest terms. */
static bool valid_rat(struct jx_rat r)
{
    return r.den > 0 && r.num != I128_MIN && gcd128(r.num, r.den) == 1;
}

static bool rat_eq(struct jx_rat a, struct jx_rat b)
{
    return a.num == b.num && a.den == b.den;
}

static enum jx_status host_call(void *ctx, int fn, const struct jx_rat *args, int nargs,
                                struct jx_rat *out, struct jx_err *err)
{
    CHECK(ctx == &occ);
    CHECK(!compiling); /* host calls are never folded */
    CHECK(fn >= 0 && fn < FN_COUNT && resolved_fn[fn]);
    CHECK(nargs >= 0 && nargs <= JX_EXPR_MAX_ARGS);
    CHECK(nargs == 0 || args != NULL);
    for (int i = 0; i < nargs; i++)
        CHECK(valid_rat(args[i]));
    switch (fn) {
    case FN_TWICE:
        CHECK(nargs == 1);
        if (jx_rat_add(args[0], args[0], out))
            return jx_err_set(err, JX_ERANGE, "twice() overflows");
        return JX_OK;
    case FN_FAIL:
        CHECK(nargs == 0);
        return jx_err_set(err, JX_EINPUT, "fail() fails");
    default: {
        CHECK(nargs == fn - FN_SUM0);
        struct jx_rat s = {0, 1};
        for (int i = 0; i < nargs; i++)
            if (jx_rat_add(s, args[i], &s))
                return jx_err_set(err, JX_ERANGE, "sum() overflows");
        *out = s;
        return JX_OK;
    }
    }
}

/* The three sets of values, made once. */
enum { NSETS = 3 };
static struct jx_rat sets[NSETS][NSLOTS];

static void make_sets(void)
{
    static const int64_t ordinary[][2] = {
        {8000, 1}, {500, 1},   {1, 1},       {0, 1},     {3, 1},    {90001, 2}, {17, 20},
        {1, 3},    {-120075, 100}, {10, 1},  {30000, 1}, {3, 20},   {2, 1},     {-1, 1},
        {13, 1},   {6, 1},     {400000, 1},  {1, 100},   {7, 9},    {100000000, 1},
    };
    const struct jx_rat edge[] = {
        {I128_MAX, 1},
        {-I128_MAX, 1},
        jx_rat_from_i128(1, (__int128)1000000000000000LL * 1000000000000000LL),
        jx_rat_from_i128(I128_MAX, 3),
        jx_rat_from_i128(-I128_MAX / 2, I128_MAX),
        {1, 1},
        {0, 1},
        {-1, 1},
        jx_rat_from_i128((__int128)1000000000000000000LL * 100000000000000000LL + 1, 7),
        jx_rat_from_i128(-999999999999999999LL, 1000000000000000000LL),
        {(__int128)1 << 100, 1},
    };
    const size_t nord = sizeof ordinary / sizeof ordinary[0];
    const size_t nedge = sizeof edge / sizeof edge[0];
    for (int s = 0; s < NSLOTS; s++) {
        sets[0][s] = (struct jx_rat){0, 1};
        sets[1][s] = jx_rat_from_frac(ordinary[(size_t)s % nord][0], ordinary[(size_t)s % nord][1]);
        sets[2][s] = edge[(size_t)s % nedge];
        for (int k = 0; k < NSETS; k++)
            if (!valid_rat(sets[k][s])) {
                fprintf(stderr, "fuzz_expr: bad test value in set %d slot %d\n", k, s);
                abort();
            }
    }
}

/* ---- messages ----------------------------------------------------------- */

/* Characters (UTF-8 code points, counted as the compiler counts them) of the source. */
static int ncols(const char *s, size_t len)
{
    int n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* err says "column N: problem" with N in 1..ncols+1. */
static void check_msg(const struct jx_err *err, int max_col)
{
    const char *m = err->msg;
    CHECK(memchr(m, '\0', sizeof err->msg) != NULL);
    CHECK(!strncmp(m, "column ", 7));
    char *end;
    long col = strtol(m + 7, &end, 10);
    CHECK(end > m + 7 && col >= 1 && col <= max_col + 1);
    CHECK(end[0] == ':' && end[1] == ' ' && end[2] != '\0');
}

/* ---- evaluation --------------------------------------------------------- */

struct outcome {
    enum jx_status st;
    struct jx_rat value;
    char msg[sizeof ((struct jx_err *)0)->msg];
    long used; /* steps */
};

static const struct jx_rat untouched = {12345, 678};

/* Evaluate e with vars and a budget; check the result's form. */
static struct outcome eval(const struct jx_expr *e, const struct jx_rat *vars, long budget,
                           int max_col)
{
    struct outcome o;
    struct jx_expr_vm vm = {.vars = jx_expr_max_slot(e) >= 0 ? vars : NULL,
                            .ctx = &occ,
                            .call = host_call,
                            .steps_left = budget};
    struct jx_err err;
    struct jx_rat out = untouched;

    jx_err_clear(&err);
    o.st = jx_expr_eval(e, &vm, &out, &err);
    o.value = out;
    o.used = budget - vm.steps_left;
    CHECK(vm.steps_left >= 0 && vm.steps_left <= budget);
    if (o.st == JX_OK) {
        CHECK(valid_rat(out));
        CHECK(o.used >= 1);
        o.msg[0] = '\0';
    } else {
        CHECK(o.st == JX_EINPUT || o.st == JX_ERANGE);
        CHECK(rat_eq(out, untouched));
        check_msg(&err, max_col);
        memcpy(o.msg, err.msg, sizeof o.msg);
    }
    return o;
}

static bool same_outcome(const struct outcome *a, const struct outcome *b)
{
    if (a->st != b->st)
        return false;
    return a->st == JX_OK ? rat_eq(a->value, b->value) : !strcmp(a->msg, b->msg);
}

static const char step_msg[] = "evaluation step limit exceeded";

/* ---- name substitution -------------------------------------------------- */

/* Append the decimal digits of m (>= 0) to *p. */
static void put_u128(char **p, unsigned __int128 m)
{
    char tmp[48];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + (int)(m % 10));
        m /= 10;
    } while (m);
    while (n)
        *(*p)++ = tmp[--n];
}

/* A whole number m >= 0 as formula text: at most 30 digits per literal. */
static void put_whole(char **p, unsigned __int128 m)
{
    const unsigned __int128 e10 = 10000000000ULL, e30 = e10 * e10 * e10;
    if (m < e30) {
        put_u128(p, m);
        return;
    }
    *(*p)++ = '(';
    put_u128(p, m / e10);
    memcpy(*p, "*10000000000+", 13);
    *p += 13;
    put_u128(p, m % e10);
    *(*p)++ = ')';
}

/* r as a parenthesized literal formula: "(8000)", "(-120075/100)". */
#define LITERAL_MAX 120
static void put_rat(char **p, struct jx_rat r)
{
    *(*p)++ = '(';
    if (r.num < 0)
        *(*p)++ = '-';
    put_whole(p, (unsigned __int128)(r.num < 0 ? -r.num : r.num));
    if (r.den != 1) {
        *(*p)++ = '/';
        put_whole(p, (unsigned __int128)r.den);
    }
    *(*p)++ = ')';
}

/*
 * Check constant folding against the evaluator: the formula with every name
 * replaced by its value in vars, compiled, must (when it compiles and
 * evaluates) give the value `got` of the evaluator.
 */
static void check_folding(const char *src, size_t len, const struct jx_rat *vars,
                          const struct outcome *got, bool calls)
{
    size_t cap = len + (size_t)nocc * LITERAL_MAX + 1;
    char *text = malloc(cap), *p = text;
    CHECK(text != NULL);
    size_t at = 0;
    for (int i = 0; i < nocc; i++) {
        memcpy(p, src + at, occ[i].off - at);
        p += occ[i].off - at;
        put_rat(&p, vars[occ[i].slot]);
        at = occ[i].off + occ[i].len;
    }
    memcpy(p, src + at, len - at);
    p += len - at;
    size_t n = (size_t)(p - text);
    CHECK(n < cap);

    struct jx_expr *e = NULL;
    struct jx_err err;
    jx_err_clear(&err);
    int before = var_lookups;
    compiling = true;
    enum jx_status st = jx_expr_compile(text, n, &env, &e, &err);
    compiling = false;
    CHECK(var_lookups == before); /* no names are left */
    if (verbose)
        fprintf(stderr, "  folded: %s %s\n", jx_status_name(st), st ? err.msg : "");
    if (st == JX_OK) {
        CHECK(jx_expr_max_slot(e) == -1);
        if (!calls)
            CHECK(jx_expr_is_const(e));
        struct outcome folded = eval(e, NULL, jx_expr_cost(e), ncols(text, n));
        if (folded.st == JX_OK) {
            if (got->st != JX_OK || !rat_eq(got->value, folded.value)) {
                char a[JX_RAT_BUFSZ], b[JX_RAT_BUFSZ];
                fprintf(stderr,
                        "fuzz_expr: folding and evaluation disagree: evaluated %s (%s), "
                        "folded %s (from \"%.*s\")\n",
                        got->st == JX_OK ? jx_rat_format(got->value, 18, a) : got->msg,
                        jx_status_name(got->st), jx_rat_format(folded.value, 18, b),
                        (int)(n > 300 ? 300 : n), text);
                CHECK(!"folding agrees with evaluation");
            }
        }
        jx_expr_free(e);
    } else {
        CHECK(st == JX_EINPUT || st == JX_ERANGE);
    }
    free(text);
}

/* ---- the target --------------------------------------------------------- */

struct walk {
    int count, max, bad, dup;
    bool seen[FN_COUNT > NSLOTS ? FN_COUNT : NSLOTS];
    int limit;
    const bool *resolved;
};

static void walk_one(void *ctx, int id)
{
    struct walk *w = ctx;
    if (id < 0 || id >= w->limit || !w->resolved[id]) {
        w->bad++;
        return;
    }
    w->dup += w->seen[id];
    w->seen[id] = true;
    w->count++;
    if (id > w->max)
        w->max = id;
}

/* Compile with the n-th allocation failing, for n = 1, 2, ... until it no longer matters. */
static void check_oom(const char *src, size_t len, enum jx_status want, const char *want_msg)
{
    for (long n = 1; n <= 8; n++) {
        struct jx_expr *e = (struct jx_expr *)&occ;
        struct jx_err err;
        jx_err_clear(&err);
        compiling = true;
        jx_alloc_fail_after(n);
        enum jx_status st = jx_expr_compile(src, len, &env, &e, &err);
        jx_alloc_fail_after(0);
        compiling = false;
        if (st == JX_ENOMEM) {
            CHECK(err.msg[0] != '\0');
            CHECK(e == (struct jx_expr *)&occ);
            continue;
        }
        CHECK(st == want);
        if (st == JX_OK)
            jx_expr_free(e);
        else
            CHECK(!strcmp(err.msg, want_msg));
        return; /* fewer than n allocations: later n change nothing */
    }
    CHECK(!"a compile makes at most 5 allocations");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    if (!ready) {
        make_sets();
        verbose = getenv("JX_FUZZ_VERBOSE") != NULL;
        ready = true;
    }
    /* libFuzzer's buffer is exactly size bytes: ASan catches reading past it. */
    const char *src = (const char *)data;
    size_t len = size;
    cur_src = src;
    cur_len = len;
    int max_col = ncols(src, len);

    struct jx_expr *e = (struct jx_expr *)&occ; /* must stay so on failure */
    struct jx_err err;
    jx_err_clear(&err);
    nocc = 0;
    occ_in_src = true;
    memset(resolved_slot, 0, sizeof resolved_slot);
    memset(resolved_fn, 0, sizeof resolved_fn);
    rec_src = src;
    rec_len = len;
    recording = compiling = true;
    enum jx_status st = jx_expr_compile(src, len, &env, &e, &err);
    recording = compiling = false;

    if (st != JX_OK) {
        CHECK(st == JX_EINPUT || st == JX_ERANGE);
        CHECK(e == (struct jx_expr *)&occ);
        check_msg(&err, max_col);
        if (verbose)
            fprintf(stderr, "refused: %s %s\n", jx_status_name(st), err.msg);
        check_oom(src, len, st, err.msg);
        return 0;
    }
    CHECK(e != NULL && e != (struct jx_expr *)&occ);
    CHECK(len <= JX_EXPR_MAX_SRC);
    CHECK(memchr(src, '\0', len) == NULL);

    /* What the formula reads and calls, against what was resolved. */
    struct walk deps = {.max = -1, .limit = NSLOTS, .resolved = resolved_slot};
    struct walk calls = {.max = -1, .limit = FN_COUNT, .resolved = resolved_fn};
    jx_expr_deps(e, walk_one, &deps);
    jx_expr_calls(e, walk_one, &calls);
    CHECK(deps.bad == 0 && deps.dup == 0 && calls.bad == 0 && calls.dup == 0);
    CHECK(jx_expr_max_slot(e) == deps.max);
    CHECK(jx_expr_is_const(e) == (deps.count == 0 && calls.count == 0));
    long cost = jx_expr_cost(e);
    CHECK(cost >= 1);

    for (int s = 0; s < NSETS; s++) {
        const struct jx_rat *vars = sets[s];
        struct outcome o = eval(e, vars, cost, max_col);
        CHECK(o.used <= cost);
        CHECK(o.st != JX_ERANGE || !strstr(o.msg, step_msg));
        if (verbose) {
            char buf[JX_RAT_BUFSZ];
            fprintf(stderr, "set %d: %s %s (%ld of %ld steps)\n", s, jx_status_name(o.st),
                    o.st == JX_OK ? jx_rat_format(o.value, 6, buf) : o.msg, o.used, cost);
        }

        /* The steps it used are enough; one fewer is not. */
        struct outcome again = eval(e, vars, o.used, max_col);
        CHECK(same_outcome(&o, &again) && again.used == o.used);
        struct outcome short_ = eval(e, vars, o.used - 1, max_col);
        CHECK(short_.st == JX_ERANGE && strstr(short_.msg, step_msg));

        /* Slots it does not read do not matter. */
        if (deps.count > 0) {
            struct jx_rat other[NSLOTS];
            for (int k = 0; k < NSLOTS; k++)
                other[k] = deps.seen[k] ? vars[k] : sets[(s + 1) % NSETS][(k + 5) % NSLOTS];
            struct outcome o2 = eval(e, other, cost, max_col);
            CHECK(same_outcome(&o, &o2));
        }

        /* Folding the same values as literals agrees. */
        if (occ_in_src && (deps.count > 0 || s == 0))
            check_folding(src, len, vars, &o, calls.count > 0);
    }
    jx_expr_free(e);
    check_oom(src, len, JX_OK, "");
    return 0;
}
