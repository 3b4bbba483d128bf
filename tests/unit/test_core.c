/*
 * test_core.c - money, decimals, dates, periods and the working-day calendar.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/calendar.h"
#include "core/date.h"
#include "core/dec.h"
#include "core/money.h"
#include "core/strmap.h"

static int64_t money(const char *s)
{
    int64_t v = -1;
    struct jx_err err;
    assert_int_equal(jx_money_parse(s, strlen(s), &v, &err), JX_OK);
    return v;
}

static void money_parse_good(void **state)
{
    (void)state;
    assert_int_equal(money("12345.67"), 1234567);
    assert_int_equal(money("-0.50"), -50);
    assert_int_equal(money("0"), 0);
    assert_int_equal(money("7.5"), 750);
    assert_int_equal(money("9999999999999.99"), INT64_C(999999999999999));
    assert_int_equal(money("-9999999999999.99"), -INT64_C(999999999999999));
}

static void money_parse_bad(void **state)
{
    (void)state;
    const char *bad[] = {"", "1e3", "12,5", "1.234", "+5", " 5", "5 ", ".5", "5.", "-",
                         "--1", "1.2.3", "0x10", "10000000000000.00", "99999999999999999999",
                         "１２", "NaN"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t v = 42;
        struct jx_err err;
        jx_err_clear(&err);
        assert_int_not_equal(jx_money_parse(bad[i], strlen(bad[i]), &v, &err), JX_OK);
        assert_int_equal(v, 42);
        assert_true(err.msg[0] != '\0');
    }
}

static void money_format_and_arith(void **state)
{
    (void)state;
    char buf[JX_MONEY_BUFSZ];
    int64_t r;
    assert_string_equal(jx_money_format(1038650, buf), "10386.50");
    assert_string_equal(jx_money_format(-50, buf), "-0.50");
    assert_string_equal(jx_money_format(0, buf), "0.00");
    assert_string_equal(jx_money_format(-5, buf), "-0.05");
    assert_string_equal(jx_money_format(7, buf), "0.07");
    assert_string_equal(jx_money_format(100, buf), "1.00");
    assert_string_equal(jx_money_format(INT64_MAX, buf), "92233720368547758.07");
    assert_string_equal(jx_money_format(INT64_MIN, buf), "-92233720368547758.08");
    assert_true(jx_money_add(100, 250, &r));
    assert_int_equal(r, 350);
    assert_false(jx_money_add(JX_MONEY_MAX, 1, &r));
    assert_false(jx_money_sub(-JX_MONEY_MAX, 1, &r));
    assert_false(jx_money_mul(JX_MONEY_MAX, 2, &r));
    assert_true(jx_money_mul(-300, 3, &r));
    assert_int_equal(r, -900);
}

static void rounding_half_up(void **state)
{
    (void)state;
    int64_t r;
    assert_true(jx_round_div(5, 10, &r));
    assert_int_equal(r, 1);
    assert_true(jx_round_div(4, 10, &r));
    assert_int_equal(r, 0);
    assert_true(jx_round_div(-5, 10, &r)); /* symmetric: half away from zero */
    assert_int_equal(r, -1);
    assert_true(jx_round_div(-4, 10, &r));
    assert_int_equal(r, 0);
    assert_true(jx_round_div(15, -10, &r));
    assert_int_equal(r, -2);
    /* 20,000 / 1.13 * 50% = 8849.557... -> 8849.56 yuan (Example G1) */
    assert_true(jx_round_div((__int128)2000000 * 100 * 50, 113 * 100, &r));
    assert_int_equal(r, 884956);
    assert_false(jx_round_div(1, 0, &r));
    assert_false(jx_round_div((__int128)INT64_MAX * 4, 1, &r));
    /* numerators past 64 bits, divisors within them and past them: the one-instruction
       division and the general one agree with a quotient worked by hand */
    const __int128 e18 = (__int128)1000000000000000000;
    assert_true(jx_round_div(e18 * 1000 * 7 + 3500, 7000, &r)); /* 1e18 + 0.5: up */
    assert_int_equal(r, INT64_C(1000000000000000001));
    assert_true(jx_round_div(-(e18 * 1000 * 7 + 3499), 7000, &r)); /* 0.4998: down */
    assert_int_equal(r, -INT64_C(1000000000000000000));
    assert_true(jx_round_div(e18 * e18 * 3 + e18 * e18 / 2, e18 * e18, &r)); /* 3.5 -> 4 */
    assert_int_equal(r, 4);
    assert_true(jx_round_div(e18 * 100 + 49, e18 * 100, &r)); /* divisor over 2^64 */
    assert_int_equal(r, 1);
    assert_false(jx_round_div(e18 * e18, 3, &r)); /* quotient past 64 bits */
    assert_true(jx_round_div((__int128)INT64_MAX * 2, 2, &r));
    assert_int_equal(r, INT64_MAX);
}

static void decimals(void **state)
{
    (void)state;
    int64_t v;
    char buf[JX_DEC_BUFSZ];
    assert_int_equal(jx_dec_parse("85.5", 4, &v, NULL), JX_OK);
    assert_int_equal(v, INT64_C(85500000000));
    assert_int_equal(jx_dec_parse("-3", 2, &v, NULL), JX_OK);
    assert_int_equal(v, -3 * JX_DEC_SCALE);
    assert_int_equal(jx_dec_parse_percent("5", 1, &v, NULL), JX_OK);
    assert_int_equal(v, 50000000);
    assert_int_equal(jx_dec_parse_percent("12.5%", 5, &v, NULL), JX_OK);
    assert_int_equal(v, 125000000);
    assert_int_not_equal(jx_dec_parse("1e3", 3, &v, NULL), JX_OK);
    assert_int_not_equal(jx_dec_parse("0.1234567891", 12, &v, NULL), JX_OK);
    assert_int_not_equal(jx_dec_parse_percent("%", 1, &v, NULL), JX_OK);
    assert_string_equal(jx_dec_format(INT64_C(106888888889), 2, buf), "106.89");
    assert_string_equal(jx_dec_format(INT64_C(100466666667), 2, buf), "100.47");
    assert_string_equal(jx_dec_format(-INT64_C(1005000000), 2, buf), "-1.01");
    assert_string_equal(jx_dec_format(150000000, 0, buf), "0");
    assert_string_equal(jx_dec_format_exact(150000000, buf), "0.15");
    assert_string_equal(jx_dec_format_exact(3 * JX_DEC_SCALE, buf), "3");
}

static void dates(void **state)
{
    (void)state;
    int32_t d;
    int64_t t;
    char buf[JX_TIME_BUFSZ];
    assert_int_equal(jx_date_parse("2025-09-26", 10, &d, NULL), JX_OK);
    assert_int_equal(jx_date_weekday(d), 4); /* Friday */
    assert_string_equal(jx_date_format(d, buf), "2025-09-26");
    assert_int_equal(jx_date_parse("2024-02-29", 10, &d, NULL), JX_OK);
    assert_int_not_equal(jx_date_parse("2025-02-29", 10, &d, NULL), JX_OK);
    assert_int_not_equal(jx_date_parse("2025-13-01", 10, &d, NULL), JX_OK);
    assert_int_not_equal(jx_date_parse("2025-9-26", 9, &d, NULL), JX_OK);
    assert_int_not_equal(jx_date_parse("2025/09/26", 10, &d, NULL), JX_OK);
    assert_int_equal(jx_time_parse("2025-09-30 10:00", 16, &t, NULL), JX_OK);
    assert_string_equal(jx_time_format(t, buf), "2025-09-30 10:00");
    assert_int_not_equal(jx_time_parse("2025-09-30 24:00", 16, &t, NULL), JX_OK);
    assert_int_not_equal(jx_time_parse("2025-09-30", 10, &t, NULL), JX_OK);
    for (int32_t x = jx_date_from_ymd(1999, 12, 1); x < jx_date_from_ymd(2031, 1, 1); x++) {
        int y, m, dd;
        jx_date_to_ymd(x, &y, &m, &dd);
        assert_int_equal(jx_date_from_ymd(y, m, dd), x);
    }
}

static void periods(void **state)
{
    (void)state;
    struct jx_period p, q;
    char buf[JX_PERIOD_BUFSZ], b2[JX_DATE_BUFSZ];
    assert_int_equal(jx_period_parse("2025-08", 7, &p, NULL), JX_OK);
    assert_string_equal(jx_date_format(jx_period_last(&p), b2), "2025-08-31");
    q = jx_period_prev(&p);
    assert_string_equal(jx_period_format(&q, buf), "2025-07");
    assert_int_equal(jx_period_parse("2025-01", 7, &p, NULL), JX_OK);
    q = jx_period_prev(&p);
    assert_string_equal(jx_period_format(&q, buf), "2024-12");
    assert_int_equal(jx_period_parse("2025-Q3", 7, &p, NULL), JX_OK);
    assert_string_equal(jx_date_format(jx_period_first(&p), b2), "2025-07-01");
    assert_string_equal(jx_date_format(jx_period_last(&p), b2), "2025-09-30");
    q = jx_period_prev(&p);
    assert_string_equal(jx_period_format(&q, buf), "2025-Q2");
    assert_int_equal(jx_period_parse("2024", 4, &p, NULL), JX_OK);
    assert_string_equal(jx_date_format(jx_period_last(&p), b2), "2024-12-31");
    assert_int_not_equal(jx_period_parse("2025-13", 7, &p, NULL), JX_OK);
    assert_int_not_equal(jx_period_parse("2025-Q5", 7, &p, NULL), JX_OK);
    assert_int_not_equal(jx_period_parse("25-08", 5, &p, NULL), JX_OK);
}

static int cal_setup(void **state)
{
    static struct jx_calendar cal;
    struct jx_err err;
    jx_calendar_init(&cal);
    if (jx_calendar_load_builtin(&cal, &err) != JX_OK)
        return -1;
    *state = &cal;
    return 0;
}

static int cal_teardown(void **state)
{
    jx_calendar_release(*state);
    return 0;
}

static int32_t date(const char *s)
{
    int32_t d = 0;
    assert_int_equal(jx_date_parse(s, strlen(s), &d, NULL), JX_OK);
    return d;
}

static bool workday(const struct jx_calendar *cal, const char *s)
{
    bool w = false;
    assert_int_equal(jx_calendar_is_workday(cal, date(s), &w, NULL), JX_OK);
    return w;
}

static const char *after(const struct jx_calendar *cal, const char *s, int n, char *buf)
{
    int32_t out;
    assert_int_equal(jx_calendar_add_workdays(cal, date(s), n, &out, NULL), JX_OK);
    return jx_date_format(out, buf);
}

static void calendar_days(void **state)
{
    const struct jx_calendar *cal = *state;
    char buf[JX_TIME_BUFSZ];
    assert_true(workday(cal, "2025-09-26"));  /* Friday */
    assert_false(workday(cal, "2025-09-27")); /* Saturday */
    assert_true(workday(cal, "2025-09-28"));  /* make-up Sunday */
    assert_false(workday(cal, "2025-10-01"));
    assert_false(workday(cal, "2025-10-08")); /* Wednesday, holiday */
    assert_true(workday(cal, "2025-10-09"));
    assert_true(workday(cal, "2025-10-11")); /* make-up Saturday */
    assert_false(workday(cal, "2026-02-23"));
    assert_true(workday(cal, "2026-02-28"));
    assert_true(workday(cal, "2026-01-04"));
    assert_false(workday(cal, "2026-01-02"));
    /* Example S3: published Fri 2025-09-26, 5 working days -> 2025-10-10 */
    assert_string_equal(after(cal, "2025-09-26", 5, buf), "2025-10-10");
    assert_string_equal(after(cal, "2025-09-26", 1, buf), "2025-09-28");
    assert_string_equal(after(cal, "2025-09-26", 0, buf), "2025-09-26");
    assert_string_equal(after(cal, "2025-12-31", 1, buf), "2026-01-04");
    /* Example T1: 3 working days after Tue 2025-09-30 10:00 -> 2025-10-11 10:00 */
    int64_t t, out;
    assert_int_equal(jx_time_parse("2025-09-30 10:00", 16, &t, NULL), JX_OK);
    assert_int_equal(jx_calendar_add_workdays_time(cal, t, 3, &out, NULL), JX_OK);
    assert_string_equal(jx_time_format(out, buf), "2025-10-11 10:00");
}

static void calendar_outside(void **state)
{
    const struct jx_calendar *cal = *state;
    bool w;
    int32_t out;
    struct jx_err err;
    jx_err_clear(&err);
    assert_int_equal(jx_calendar_is_workday(cal, date("2024-06-03"), &w, &err), JX_ERANGE);
    assert_non_null(strstr(err.msg, "2024"));
    assert_int_not_equal(jx_calendar_add_workdays(cal, date("2026-12-30"), 5, &out, NULL),
                         JX_OK);
}

static void calendar_bad_files(void **state)
{
    (void)state;
    const char *bad[] = {
        "holiday 2027-01-01\n",                 /* no year line */
        "year 2027\nholiday 2027-02-30\n",      /* impossible day */
        "year 2027\nworkday 2027-01-04\n",      /* a Monday */
        "year 2027\nholiday 2028-01-01\n",      /* outside the year */
        "year 2027\nvacation 2027-01-01\n",     /* unknown word */
        "year 2027\nholiday 2027-01-01\nholiday 2027-01-01\n", /* twice */
        "",
    };
    long lines[] = {1, 2, 2, 2, 2, 3, 0};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct jx_calendar cal;
        struct jx_err err;
        jx_calendar_init(&cal);
        jx_err_clear(&err);
        assert_int_not_equal(jx_calendar_load_text(&cal, bad[i], strlen(bad[i]), "x.txt", &err),
                             JX_OK);
        assert_int_equal(err.line, lines[i]);
        assert_string_equal(err.file, "x.txt");
        assert_false(jx_calendar_covers(&cal, date("2027-06-01")));
        jx_calendar_release(&cal);
    }
}

/* Ids to indexes: found again whether the map grew as they came or was sized first; keys
   longer than the bytes a slot keeps; a second put keeps the first value. */
static void strmap_ids(void **state)
{
    (void)state;
    static char keys[3000][32];
    for (int sized = 0; sized < 2; sized++) {
        struct jx_strmap m;
        jx_strmap_init(&m);
        if (sized)
            assert_int_equal(jx_strmap_reserve(&m, 3000), 0);
        size_t cap = m.cap;
        for (int i = 0; i < 3000; i++) {
            int n = snprintf(keys[i], sizeof keys[i], i % 2 ? "K%d" : "customer-%015d", i);
            assert_int_equal(jx_strmap_put(&m, keys[i], (size_t)n, i, NULL), 0);
        }
        if (sized)
            assert_int_equal(m.cap, cap); /* no growing after the reserve */
        int32_t was = -1;
        assert_int_equal(jx_strmap_put(&m, keys[7], strlen(keys[7]), 99, &was), 1);
        assert_int_equal(was, 7);
        for (int i = 0; i < 3000; i++)
            assert_int_equal(jx_strmap_get(&m, keys[i], strlen(keys[i])), i);
        assert_int_equal(jx_strmap_get(&m, "customer-0000000000000000", 25), -1);
        assert_int_equal(jx_strmap_get(&m, "K", 1), -1);
        jx_strmap_release(&m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strmap_ids),
        cmocka_unit_test(money_parse_good),
        cmocka_unit_test(money_parse_bad),
        cmocka_unit_test(money_format_and_arith),
        cmocka_unit_test(rounding_half_up),
        cmocka_unit_test(decimals),
        cmocka_unit_test(dates),
        cmocka_unit_test(periods),
        cmocka_unit_test(calendar_days),
        cmocka_unit_test(calendar_outside),
        cmocka_unit_test(calendar_bad_files),
    };
    return cmocka_run_group_tests_name("core", tests, cal_setup, cal_teardown);
}
