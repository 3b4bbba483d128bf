/*
 * fuzz_money.c - libFuzzer target for the strict scalar parsers of src/core:
 * amounts, decimals, percentages, dates, times and periods.
 *
 * The whole input is handed to every parser.  Besides "never crashes, never
 * reads past len", each accepted value must survive a round trip through its
 * formatter, and amounts are checked against an independent reading of the
 * grammar of money.h.  A broken property aborts, which libFuzzer reports as
 * a crash with the input that caused it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/dec.h"
#include "core/money.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort with a message naming the broken property and the input. */
#define CHECK(cond)                                                                          \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fprintf(stderr, "fuzz_money: %s:%d: check failed: %s (input \"%.*s\")\n",       \
                    __FILE__, __LINE__, #cond, (int)(len > 80 ? 80 : len), s);               \
            abort();                                                                         \
        }                                                                                    \
    } while (0)

/* A failed parse must say why, with one of the documented statuses. */
static void check_refusal(enum jx_status st, const struct jx_err *err, const char *s, size_t len)
{
    CHECK(st == JX_EINPUT || st == JX_ERANGE);
    CHECK(err->msg[0] != '\0');
    CHECK(memchr(err->msg, '\0', sizeof err->msg) != NULL);
}

/*
 * The grammar of money.h read independently: '-'? digit+ ('.' digit{1,2})?.
 * Returns whether s matches; *value gets the amount in fen when it has at
 * most 15 significant integer digits, and *big says when it has more.
 */
static bool money_grammar(const char *s, size_t len, __int128 *value, bool *big,
                          size_t *int_digits)
{
    size_t i = 0, nint = 0, nfrac = 0, sig = 0;
    __int128 v = 0, frac = 0;
    bool neg = false;

    *big = false;
    if (i < len && s[i] == '-') {
        neg = true;
        i++;
    }
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, nint++) {
        if (sig > 0 || s[i] != '0')
            sig++;
        if (sig > 15)
            *big = true;
        else
            v = v * 10 + (s[i] - '0');
    }
    if (nint == 0)
        return false;
    if (i < len && s[i] == '.') {
        i++;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, nfrac++)
            if (nfrac < 2)
                frac = frac * 10 + (s[i] - '0');
        if (nfrac == 0 || nfrac > 2)
            return false;
        if (nfrac == 1)
            frac *= 10;
    }
    if (i != len)
        return false;
    v = v * 100 + frac;
    *value = neg ? -v : v;
    *int_digits = nint;
    return true;
}

static void fuzz_money(const char *s, size_t len)
{
    struct jx_err err;
    char buf[JX_MONEY_BUFSZ];
    int64_t fen = INT64_MIN, again = INT64_MIN;
    __int128 ref = 0;
    bool big = false;
    size_t nint = 0;

    jx_err_clear(&err);
    enum jx_status st = jx_money_parse(s, len, &fen, &err);
    bool grammar = money_grammar(s, len, &ref, &big, &nint);
    if (st != JX_OK) {
        check_refusal(st, &err, s, len);
        /* Refused although well formed: only for a value out of range. */
        if (grammar && !big && nint <= 15)
            CHECK(ref > JX_MONEY_MAX || ref < -JX_MONEY_MAX);
        return;
    }
    CHECK(grammar && !big);
    CHECK(ref == fen);
    CHECK(fen >= -JX_MONEY_MAX && fen <= JX_MONEY_MAX);

    /* Round trip: the formatted amount reads back to the same fen. */
    jx_money_format(fen, buf);
    size_t n = strlen(buf);
    CHECK(n >= 4 && n < sizeof buf && buf[n - 3] == '.');
    CHECK(jx_money_parse(buf, n, &again, NULL) == JX_OK);
    CHECK(again == fen);

    /* Checked arithmetic agrees with __int128 arithmetic. */
    int64_t r;
    if (jx_money_add(fen, fen, &r))
        CHECK(r == (__int128)fen * 2);
    else
        CHECK((__int128)fen * 2 > JX_MONEY_MAX || (__int128)fen * 2 < -JX_MONEY_MAX);
    CHECK(jx_money_sub(fen, fen, &r) && r == 0);
    CHECK(jx_money_mul(fen, -1, &r) && r == -fen);

    /* Rounding fen to whole yuan: within half a yuan, halves away from zero. */
    CHECK(jx_round_div(fen, 100, &r));
    __int128 diff = (__int128)r * 100 - fen;
    CHECK(diff >= -50 && diff <= 50);
    if (diff == 50)
        CHECK(fen > 0);
    if (diff == -50)
        CHECK(fen < 0);
}

static void fuzz_dec(const char *s, size_t len)
{
    struct jx_err err;
    char buf[JX_DEC_BUFSZ];
    int64_t v = 0, again = 0, pct = 0;

    jx_err_clear(&err);
    enum jx_status st = jx_dec_parse(s, len, &v, &err);
    if (st != JX_OK) {
        check_refusal(st, &err, s, len);
    } else {
        CHECK(v != INT64_MIN);
        jx_dec_format_exact(v, buf);
        CHECK(jx_dec_parse(buf, strlen(buf), &again, NULL) == JX_OK && again == v);
        jx_dec_format(v, JX_DEC_DIGITS, buf);
        CHECK(jx_dec_parse(buf, strlen(buf), &again, NULL) == JX_OK && again == v);
        /* Rounded to fewer digits: within half a unit of the last digit kept
         * (or, at the very edge of the range, too large to read back). */
        int64_t unit = JX_DEC_SCALE;
        for (int d = 0; d < JX_DEC_DIGITS; d++, unit /= 10) {
            jx_dec_format(v, d, buf);
            CHECK(strlen(buf) < sizeof buf);
            enum jx_status rst = jx_dec_parse(buf, strlen(buf), &again, NULL);
            CHECK(rst == JX_OK || rst == JX_ERANGE);
            if (rst == JX_OK) {
                __int128 diff = (__int128)again - v;
                CHECK(diff * 2 <= unit && diff * 2 >= -unit);
            }
        }
    }

    jx_err_clear(&err);
    enum jx_status pst = jx_dec_parse_percent(s, len, &pct, &err);
    if (pst != JX_OK) {
        check_refusal(pst, &err, s, len);
        return;
    }
    CHECK(pct != INT64_MIN);
    /* "p%" and "p" are the same rate, p/100 of the plain decimal p. */
    size_t plen = len > 0 && s[len - 1] == '%' ? len - 1 : len;
    int64_t plain;
    if (jx_dec_parse(s, plen, &plain, NULL) == JX_OK)
        CHECK((__int128)pct * 100 == plain);
    /* The fraction is an ordinary decimal and reads back as one. */
    jx_dec_format_exact(pct, buf);
    CHECK(jx_dec_parse(buf, strlen(buf), &again, NULL) == JX_OK && again == pct);
}

static void fuzz_dates(const char *s, size_t len)
{
    struct jx_err err;
    int32_t date;
    int64_t t;
    struct jx_period p;
    char buf[JX_TIME_BUFSZ];
    int y, m, d;

    jx_err_clear(&err);
    enum jx_status st = jx_date_parse(s, len, &date, &err);
    if (st != JX_OK) {
        check_refusal(st, &err, s, len);
    } else {
        /* Dates are read in exactly one form, so they format back byte for byte. */
        jx_date_format(date, buf);
        CHECK(len == 10 && strlen(buf) == 10 && !memcmp(buf, s, 10));
        jx_date_to_ymd(date, &y, &m, &d);
        CHECK(jx_date_valid(y, m, d) && jx_date_from_ymd(y, m, d) == date);
        int w = jx_date_weekday(date);
        CHECK(w >= 0 && w <= 6 && jx_date_weekday(date + 1) == (w + 1) % 7);
        struct jx_period mo = jx_period_month_of(date);
        CHECK(jx_period_first(&mo) <= date && date <= jx_period_last(&mo));
    }

    jx_err_clear(&err);
    st = jx_time_parse(s, len, &t, &err);
    if (st != JX_OK) {
        check_refusal(st, &err, s, len);
    } else {
        jx_time_format(t, buf);
        CHECK(len == 16 && strlen(buf) == 16);
        CHECK(!memcmp(buf, s, 10) && buf[10] == ' ' && !memcmp(buf + 11, s + 11, 5));
        int mod = jx_time_minute_of_day(t);
        CHECK(mod >= 0 && mod < 1440);
        CHECK(jx_time_make(jx_time_date(t), mod) == t);
        CHECK(jx_date_parse(s, 10, &date, NULL) == JX_OK && jx_time_date(t) == date);
    }

    jx_err_clear(&err);
    st = jx_period_parse(s, len, &p, &err);
    if (st != JX_OK) {
        check_refusal(st, &err, s, len);
    } else {
        jx_period_format(&p, buf);
        CHECK(strlen(buf) == len && !memcmp(buf, s, len));
        int32_t first = jx_period_first(&p), last = jx_period_last(&p);
        CHECK(first <= last && last - first < 366);
        struct jx_period prev = jx_period_prev(&p);
        CHECK(prev.kind == p.kind && jx_period_last(&prev) == first - 1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The parsers take (pointer, length) and must not read past the end:
     * libFuzzer's buffer is exactly size bytes, so ASan catches any overread. */
    const char *s = (const char *)data;

    fuzz_money(s, size);
    fuzz_dec(s, size);
    fuzz_dates(s, size);
    return 0;
}
