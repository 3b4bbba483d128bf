/*
 * test_results.c - the stored JSON of a run (io/results.c) is written
 * directly, without jansson; these tests build the same objects with
 * jansson, as the code did before, and compare the bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/dec.h"
#include "core/money.h"
#include "engine/data.h"
#include "engine/engine.h"
#include "io/results.h"
#include "io/xlsx_out.h"

/* jansson's version: json_string() refuses NULL and bad UTF-8, and the member is left out. */
static json_t *money(int64_t fen)
{
    char buf[JX_MONEY_BUFSZ];
    return json_string(jx_money_format(fen, buf));
}

static json_t *score(int64_t v)
{
    char buf[JX_DEC_BUFSZ];
    return json_string(jx_dec_format(v, 2, buf));
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static char *want_person(const struct jx_person_result *r)
{
    json_t *o = json_object(), *flags = json_array();
    json_object_set_new(o, "id", json_string(r->id));
    json_object_set_new(o, "name", json_string(r->name));
    json_object_set_new(o, "unit_id", str_or_null(r->unit_id));
    if (r->person < 0)
        json_object_set_new(o, "subject", json_string(r->subject));
    if (r->has_pay) {
        json_t *pay = json_object();
        json_object_set_new(pay, "base", money(r->base));
        json_object_set_new(pay, "commission", money(r->commission));
        json_object_set_new(pay, "bonus", money(r->bonus));
        json_object_set_new(pay, "deductions", money(r->deductions));
        json_object_set_new(pay, "total", money(r->total));
        json_object_set_new(o, "pay", pay);
    } else {
        json_object_set_new(o, "pay", json_null());
    }
    if (r->has_score) {
        json_t *s = json_object();
        json_object_set_new(s, "kpi", score(r->kpi));
        json_object_set_new(s, "qualitative", score(r->qualitative));
        json_object_set_new(s, "final", score(r->final));
        json_object_set_new(s, "grade", json_string(r->grade));
        json_object_set_new(s, "grade_before_calibration", json_string(r->grade_before));
        json_object_set_new(s, "rank", json_integer(r->rank));
        json_object_set_new(s, "rank_in_unit", json_integer(r->rank_in_unit));
        json_object_set_new(o, "score", s);
    } else {
        json_object_set_new(o, "score", json_null());
    }
    for (int i = 0; i < r->nflags; i++)
        json_array_append_new(flags, json_string(r->flags[i]));
    json_object_set_new(o, "flags", flags);
    json_object_set_new(o, "plan", str_or_null(r->plan));
    json_object_set_new(o, "scorecard", str_or_null(r->scorecard));
    json_object_set_new(o, "carry_out", money(r->carry_out));
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return s;
}

static char *want_trace(const struct jx_person_result *r)
{
    json_t *a = json_array();
    for (size_t i = 0; i < r->ntrace; i++) {
        const struct jx_trace *t = &r->trace[i];
        json_t *o = json_object();
        json_object_set_new(o, "key", json_string(t->key));
        json_object_set_new(o, "zh", json_string(t->label_zh));
        json_object_set_new(o, "en", json_string(t->label_en));
        json_object_set_new(o, "value", json_string(t->value));
        char whole[512]; /* a formula's detail: the formula, then its inputs */
        if (t->inputs && t->detail)
            snprintf(whole, sizeof whole, "%s  [%s]", t->detail, t->inputs);
        json_object_set_new(o, "detail",
                            json_string(t->inputs ? (t->detail ? whole : NULL) : t->detail));
        json_object_set_new(o, "source", json_string(t->source));
        json_array_append_new(a, o);
    }
    char *s = json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(a);
    return s;
}

/* Text that needs escaping, or is refused. */
static const char *const tricky[] = {
    "plain",
    "引号\"和\\反斜杠/",
    "\b\f\n\r\t\x01\x1f\x7f end",
    "é ü 𝄞 ￿",
    "bad \xc3",             /* cut short */
    "bad \xc0\xaf",         /* overlong */
    "bad \xed\xa0\x80",     /* a surrogate */
    "bad \xf4\x90\x80\x80", /* past U+10FFFF */
    "bad \xe0\x80\xaf",     /* overlong, 3 bytes */
    "bad \xf0\x8f\xbf\xbf", /* overlong, 4 bytes */
    "ok \xf4\x8f\xbf\xbf",
    "ok \xef\xbf\xbd",
    "",
    NULL,
};
#define NTRICKY (sizeof tricky / sizeof tricky[0])

static void same_bytes_as_jansson(void **state)
{
    (void)state;
    enum { N = 64 };
    struct jx_person_result people[N];
    struct jx_trace traces[N][3];
    const char *flags[N][4];
    struct jx_data d;
    memset(&d, 0, sizeof d);
    memset(people, 0, sizeof people);
    for (size_t i = 0; i < N; i++) {
        struct jx_person_result *r = &people[i];
        const char *t = tricky[i % NTRICKY], *u = tricky[(i * 7 + 3) % NTRICKY];
        r->person = i % 5 == 4 ? -1 : (int32_t)i;
        r->subject = i % 10 == 4 ? "team" : t;
        r->id = t ? t : "x";
        r->key = "k";
        r->name = u;
        r->unit_id = i % 3 ? t : NULL;
        r->plan = i % 4 ? u : NULL;
        r->scorecard = i % 6 ? NULL : t;
        r->has_pay = i % 2;
        r->base = (int64_t)i * 12345 - 300000;
        r->commission = -(int64_t)i;
        r->bonus = INT64_C(99999999999) * (int64_t)(i % 3);
        r->deductions = 7;
        r->total = r->base + r->commission;
        r->carry_out = -(int64_t)i * 101;
        r->has_score = i % 3 != 1;
        r->kpi = (int64_t)i * 1234567891;
        r->qualitative = -(int64_t)i * 5000000;
        r->final = 105 * JX_DEC_SCALE;
        r->grade[0] = "SABCD"[i % 5];
        r->grade_before[0] = "DCBAS"[i % 5];
        r->rank = (int)i - 3;
        r->rank_in_unit = (int)i;
        r->nflags = (int)(i % 4);
        r->flags = flags[i];
        for (int f = 0; f < r->nflags; f++)
            r->flags[f] = tricky[(i + (size_t)f) % NTRICKY];
        r->ntrace = i % 4;
        r->trace = traces[i];
        for (size_t k = 0; k < r->ntrace; k++)
            traces[i][k] = (struct jx_trace){.key = "commission",
                                             .label_zh = tricky[(i + k) % NTRICKY],
                                             .label_en = u,
                                             .detail = tricky[(i * 3 + k) % NTRICKY],
                                             .inputs = (i + k) % 3
                                                           ? NULL
                                                           : tricky[(i * 5 + k) % NTRICKY],
                                             .value = t,
                                             .source = "p.yaml:1"};
    }
    struct jx_run_output out = {.n = N, .people = people};
    struct jx_run_record rec;
    struct jx_err err;
    assert_int_equal(jx_results_record(&d, NULL, 0, &out, "2025-09", NULL, &rec, &err), JX_OK);
    assert_int_equal(rec.nrows, N);
    for (size_t i = 0; i < N; i++) {
        char *p = want_person(&people[i]), *t = want_trace(&people[i]);
        assert_non_null(p);
        assert_non_null(t);
        assert_string_equal(rec.rows[i].result, p);
        assert_string_equal(rec.rows[i].trace, t);
        free(p);
        free(t);
    }
    jx_run_record_release(&rec);
}

/* An amount a spreadsheet cell keeps exactly is written as a number, any other as text. */
static void xlsx_yuan_is_exact_or_refused(void **state)
{
    (void)state;
    static const int64_t ok[] = {0, 1, -1, 538650, 99999999999999, INT64_C(999999999999999),
                                 -INT64_C(999999999999999), 123456789012345};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        double y;
        char want[JX_MONEY_BUFSZ], got[64];
        assert_true(jx_xlsx_yuan(ok[i], &y));
        snprintf(got, sizeof got, "%.2f", y); /* what a cell with two decimals shows */
        assert_string_equal(got, jx_money_format(ok[i], want));
    }
    static const int64_t refused[] = {INT64_C(1000000000000000), -INT64_C(1000000000000000),
                                      INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        double y = 0;
        assert_false(jx_xlsx_yuan(refused[i], &y));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_bytes_as_jansson),
        cmocka_unit_test(xlsx_yuan_is_exact_or_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
