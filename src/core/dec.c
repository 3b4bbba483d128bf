/*
 * dec.c - parsing and formatting of fixed-point decimals.
 */
#include "dec.h"

#include <stdio.h>
#include <string.h>

#include "money.h"

/* Parse digits with at most max_frac fraction digits into value * 10^scale_digits. */
static enum jx_status parse_fixed(const char *s, size_t len, int max_frac, int scale_digits,
                                  int64_t *out, struct jx_err *err, const char *what)
{
    size_t i = 0;
    int int_digits = 0, frac_digits = 0;
    bool neg = false;
    __int128 v = 0;

    if (len == 0)
        return jx_err_set(err, JX_EINPUT, "empty %s", what);
    if (s[0] == '-') {
        neg = true;
        i++;
    }
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
        v = v * 10 + (s[i] - '0');
        if (++int_digits > 12)
            return jx_err_set(err, JX_ERANGE, "\"%.*s\" is too large a %s",
                              (int)(len > 40 ? 40 : len), s, what);
    }
    if (int_digits == 0)
        goto bad;
    if (i < len && s[i] == '.') {
        i++;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
            if (++frac_digits > max_frac)
                return jx_err_set(err, JX_EINPUT, "\"%.*s\" has more than %d decimals",
                                  (int)(len > 40 ? 40 : len), s, max_frac);
            v = v * 10 + (s[i] - '0');
        }
        if (frac_digits == 0)
            goto bad;
    }
    if (i != len)
        goto bad;
    for (int k = frac_digits; k < scale_digits; k++)
        v *= 10;
    if (neg)
        v = -v;
    if (v > INT64_MAX || v < -INT64_MAX)
        return jx_err_set(err, JX_ERANGE, "\"%.*s\" is too large a %s",
                          (int)(len > 40 ? 40 : len), s, what);
    *out = (int64_t)v;
    return JX_OK;
bad:
    return jx_err_set(err, JX_EINPUT, "\"%.*s\" is not a %s", (int)(len > 40 ? 40 : len), s,
                      what);
}

enum jx_status jx_dec_parse(const char *s, size_t len, int64_t *out, struct jx_err *err)
{
    return parse_fixed(s, len, JX_DEC_DIGITS, JX_DEC_DIGITS, out, err, "number");
}

enum jx_status jx_dec_parse_percent(const char *s, size_t len, int64_t *out, struct jx_err *err)
{
    if (len > 0 && s[len - 1] == '%')
        len--;
    /* A percentage p is the fraction p/100: two more digits of scale. */
    return parse_fixed(s, len, JX_DEC_DIGITS - 2, JX_DEC_DIGITS - 2, out, err, "percentage");
}

char *jx_dec_format(int64_t v, int digits, char *buf)
{
    int64_t unit = 1, r;
    if (digits < 0)
        digits = 0;
    if (digits > JX_DEC_DIGITS)
        digits = JX_DEC_DIGITS;
    for (int k = digits; k < JX_DEC_DIGITS; k++)
        unit *= 10;
    if (!jx_round_div(v, unit, &r)) { /* cannot happen for unit >= 1 */
        snprintf(buf, JX_DEC_BUFSZ, "NaN");
        return buf;
    }
    uint64_t a = r < 0 ? (uint64_t)0 - (uint64_t)r : (uint64_t)r;
    uint64_t p = 1;
    for (int k = 0; k < digits; k++)
        p *= 10;
    if (digits == 0)
        snprintf(buf, JX_DEC_BUFSZ, "%s%llu", r < 0 ? "-" : "", (unsigned long long)a);
    else
        snprintf(buf, JX_DEC_BUFSZ, "%s%llu.%0*llu", r < 0 ? "-" : "",
                 (unsigned long long)(a / p), digits, (unsigned long long)(a % p));
    return buf;
}

char *jx_dec_format_exact(int64_t v, char *buf)
{
    int digits = JX_DEC_DIGITS;
    int64_t a = v < 0 ? -v : v;
    while (digits > 0 && a % 10 == 0) {
        a /= 10;
        digits--;
    }
    return jx_dec_format(v, digits, buf);
}
