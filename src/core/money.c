/*
 * money.c - strict amount parsing, formatting, checked arithmetic, rounding.
 */
#include "money.h"

#include <string.h>

static bool in_range(__int128 v)
{
    return v >= -(__int128)JX_MONEY_MAX && v <= (__int128)JX_MONEY_MAX;
}

enum jx_status jx_money_parse(const char *s, size_t len, int64_t *fen, struct jx_err *err)
{
    size_t i = 0, int_digits = 0, frac_digits = 0;
    bool neg = false;
    __int128 v = 0;

    if (len == 0)
        return jx_err_set(err, JX_EINPUT, "empty amount");
    if (s[0] == '-') {
        neg = true;
        i++;
    }
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
        v = v * 10 + (s[i] - '0');
        if (++int_digits > 15)
            goto toobig;
    }
    if (int_digits == 0)
        goto bad;
    v *= 100;
    if (i < len && s[i] == '.') {
        i++;
        __int128 frac = 0;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
            if (++frac_digits > 2)
                return jx_err_set(err, JX_EINPUT,
                                  "\"%.*s\" has more than 2 decimals (amounts are in yuan, "
                                  "to the fen)",
                                  (int)(len > 40 ? 40 : len), s);
            frac = frac * 10 + (s[i] - '0');
        }
        if (frac_digits == 0)
            goto bad;
        if (frac_digits == 1)
            frac *= 10;
        v += frac;
    }
    if (i != len)
        goto bad;
    if (neg)
        v = -v;
    if (!in_range(v))
        goto toobig;
    *fen = (int64_t)v;
    return JX_OK;
bad:
    return jx_err_set(err, JX_EINPUT, "\"%.*s\" is not an amount (expected yuan like 12345.67)",
                      (int)(len > 40 ? 40 : len), s);
toobig:
    return jx_err_set(err, JX_ERANGE, "\"%.*s\" is too large an amount",
                      (int)(len > 40 ? 40 : len), s);
}

char *jx_money_format(int64_t fen, char *buf)
{
    /* digits from the right, no printf: traces format a million amounts a run */
    uint64_t a = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    char tmp[JX_MONEY_BUFSZ];
    size_t i = sizeof tmp;
    tmp[--i] = '\0';
    tmp[--i] = (char)('0' + a % 10);
    tmp[--i] = (char)('0' + a / 10 % 10);
    tmp[--i] = '.';
    a /= 100;
    do {
        tmp[--i] = (char)('0' + a % 10);
        a /= 10;
    } while (a);
    if (fen < 0)
        tmp[--i] = '-';
    memcpy(buf, tmp + i, sizeof tmp - i);
    return buf;
}

bool jx_money_add(int64_t a, int64_t b, int64_t *out)
{
    __int128 r = (__int128)a + b;
    if (!in_range(r))
        return false;
    *out = (int64_t)r;
    return true;
}

bool jx_money_sub(int64_t a, int64_t b, int64_t *out)
{
    __int128 r = (__int128)a - b;
    if (!in_range(r))
        return false;
    *out = (int64_t)r;
    return true;
}

bool jx_money_mul(int64_t a, int64_t k, int64_t *out)
{
    __int128 r = (__int128)a * k;
    if (!in_range(r))
        return false;
    *out = (int64_t)r;
    return true;
}

bool jx_round_div(__int128 num, __int128 den, int64_t *out)
{
    if (den == 0)
        return false;
    if (den < 0) {
        num = -num;
        den = -den;
    }
    bool neg = num < 0;
    unsigned __int128 n = neg ? (unsigned __int128)0 - (unsigned __int128)num
                              : (unsigned __int128)num;
    unsigned __int128 d = (unsigned __int128)den;
    unsigned __int128 q, r;
#if defined(__x86_64__) && defined(__GNUC__)
    if ((uint64_t)(d >> 64) == 0 && (uint64_t)(n >> 64) < (uint64_t)d) {
        /* the usual sizes: the quotient fits 64 bits, one divq (libgcc's general
           128-bit division is several times slower) */
        uint64_t q64, r64;
        __asm__("divq %4"
                : "=a"(q64), "=d"(r64)
                : "a"((uint64_t)n), "d"((uint64_t)(n >> 64)), "rm"((uint64_t)d));
        q = q64;
        r = r64;
    } else
#endif
    {
        q = n / d;
        r = n % d;
    }
    if (r >= d - r) /* r * 2 >= d without overflow: half rounds away from zero */
        q++;
    if (q > (unsigned __int128)INT64_MAX)
        return false;
    *out = neg ? -(int64_t)q : (int64_t)q;
    return true;
}
