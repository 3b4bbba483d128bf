/*
 * rat.c - exact rationals in __int128: checked arithmetic, exact comparison,
 * rounding, parsing and formatting.
 *
 * Magnitudes are handled as unsigned __int128 so that no step can overflow a
 * signed type; every signed result is checked against the invariants of
 * rat.h (den > 0, num != INT128_MIN, lowest terms).  gcd is the binary
 * algorithm, in 64 bits when both operands fit, and skipped when a
 * denominator is 1, which is most of the time for money and counts.
 */
#include "rat.h"

#include <string.h>

#include "money.h"

typedef __int128 i128;
typedef unsigned __int128 u128;

#define I128_MAX ((i128)(((u128)1 << 127) - 1))
#define U128_MAX (~(u128)0)

static const int64_t pow10_tab[JX_RAT_MAX_DIGITS + 1] = {
    INT64_C(1),
    INT64_C(10),
    INT64_C(100),
    INT64_C(1000),
    INT64_C(10000),
    INT64_C(100000),
    INT64_C(1000000),
    INT64_C(10000000),
    INT64_C(100000000),
    INT64_C(1000000000),
    INT64_C(10000000000),
    INT64_C(100000000000),
    INT64_C(1000000000000),
    INT64_C(10000000000000),
    INT64_C(100000000000000),
    INT64_C(1000000000000000),
    INT64_C(10000000000000000),
    INT64_C(100000000000000000),
    INT64_C(1000000000000000000),
};

/* |v| as unsigned; defined for every v, INT128_MIN included. */
static inline u128 uabs(i128 v)
{
    return v < 0 ? (u128)0 - (u128)v : (u128)v;
}

/* Binary gcd of two 64-bit numbers; gcd(0, b) == b. */
static uint64_t gcd64(uint64_t a, uint64_t b)
{
    if (a == 0)
        return b;
    if (b == 0)
        return a;
    int shift = __builtin_ctzll(a | b);
    a >>= __builtin_ctzll(a);
    do {
        b >>= __builtin_ctzll(b);
        if (a > b) {
            uint64_t t = a;
            a = b;
            b = t;
        }
        b -= a;
    } while (b != 0);
    return a << shift;
}

/* Trailing zero bits of a non-zero 128-bit number. */
static inline int ctz128(u128 v)
{
    uint64_t lo = (uint64_t)v;
    return lo ? __builtin_ctzll(lo) : 64 + __builtin_ctzll((uint64_t)(v >> 64));
}

/*
 * gcd of two magnitudes.  When one fits in 64 bits, one 128-bit remainder
 * brings the other down and the rest runs in 64 bits.
 */
static u128 gcd128(u128 a, u128 b)
{
    if (a == 1 || b == 1)
        return 1;
    if (a == 0)
        return b;
    if (b == 0)
        return a;
    if (a <= UINT64_MAX && b <= UINT64_MAX)
        return gcd64((uint64_t)a, (uint64_t)b);
    if (a <= UINT64_MAX)
        return gcd64((uint64_t)a, (uint64_t)(b % a));
    if (b <= UINT64_MAX)
        return gcd64((uint64_t)b, (uint64_t)(a % b));
    int shift = ctz128(a | b);
    a >>= ctz128(a);
    do {
        b >>= ctz128(b);
        if (a > b) {
            u128 t = a;
            a = b;
            b = t;
        }
        b -= a;
    } while (b != 0);
    return a << shift;
}

/* a / b for b > 0 dividing a exactly; in 64 bits when both fit (much faster). */
static inline i128 div_exact(i128 a, i128 b)
{
    if (a >= INT64_MIN && a <= INT64_MAX && b <= INT64_MAX)
        return (int64_t)a / (int64_t)b;
    return a / b;
}

/*
 * num/den (den > 0, |num| and den <= I128_MAX) brought to lowest terms.
 */
static inline struct jx_rat reduce(i128 num, i128 den)
{
    if (den != 1) {
        if (num == 0)
            return (struct jx_rat){0, 1};
        u128 g = gcd128(uabs(num), (u128)den);
        if (g != 1) {
            num = div_exact(num, (i128)g);
            den = div_exact(den, (i128)g);
        }
    }
    return (struct jx_rat){num, den};
}

/* True when v is a valid numerator (INT128_MIN is kept out). */
static inline bool num_ok(i128 v)
{
    return v != -I128_MAX - 1;
}

struct jx_rat jx_rat_from_i128(__int128 num, __int128 den)
{
    return reduce(num, den);
}

struct jx_rat jx_rat_from_frac(int64_t num, int64_t den)
{
    i128 n = num, d = den;
    if (d == 0)
        return (struct jx_rat){0, 1};
    if (d < 0) {
        n = -n;
        d = -d;
    }
    return reduce(n, d);
}

struct jx_rat jx_rat_from_fen(int64_t fen)
{
    return reduce(fen, 100);
}

struct jx_rat jx_rat_from_dec(int64_t dec)
{
    return reduce(dec, 1000000000);
}

enum jx_status jx_rat_parse(const char *s, size_t len, struct jx_rat *out, struct jx_err *err)
{
    size_t i = 0, int_digits = 0, frac_digits = 0;
    bool neg = false;
    i128 v = 0, den = 1;
    int shown = (int)(len > 40 ? 40 : len);

    if (len > 0 && s[0] == '-') {
        neg = true;
        i++;
    }
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
        if (int_digits == 1 && v == 0)
            goto bad; /* "007" */
        if (++int_digits > 36)
            goto toobig;
        v = v * 10 + (s[i] - '0');
    }
    if (int_digits == 0)
        goto bad;
    if (i < len && s[i] == '.') {
        i++;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
            if (int_digits + ++frac_digits > 36)
                goto toobig;
            v = v * 10 + (s[i] - '0');
            den *= 10;
        }
        if (frac_digits == 0)
            goto bad;
    }
    if (i != len)
        goto bad;
    *out = reduce(neg ? -v : v, den);
    return JX_OK;
bad:
    return jx_err_set(err, JX_EINPUT, "\"%.*s\" is not a number (expected a decimal like 0.15)",
                      shown, s);
toobig:
    return jx_err_set(err, JX_ERANGE, "\"%.*s\" has too many digits (at most 36)", shown, s);
}

enum jx_status jx_rat_add(struct jx_rat a, struct jx_rat b, struct jx_rat *out)
{
    i128 num, den;
    if (a.den == b.den) {
        if (__builtin_add_overflow(a.num, b.num, &num) || !num_ok(num))
            return JX_ERANGE;
        *out = reduce(num, a.den);
        return JX_OK;
    }
    /* Knuth 4.5.1: a/A + b/B = (a*(B/g) + b*(A/g)) / (A/g * B), g = gcd(A, B). */
    i128 g = (i128)gcd128((u128)a.den, (u128)b.den);
    i128 ad = div_exact(a.den, g), bd = div_exact(b.den, g), x, y, t;
    if (__builtin_mul_overflow(a.num, bd, &x) || __builtin_mul_overflow(b.num, ad, &y) ||
        __builtin_add_overflow(x, y, &t) || !num_ok(t))
        return JX_ERANGE;
    if (t == 0) {
        *out = (struct jx_rat){0, 1};
        return JX_OK;
    }
    i128 g2 = g == 1 ? 1 : (i128)gcd128(uabs(t), (u128)g);
    num = div_exact(t, g2);
    if (__builtin_mul_overflow(ad, div_exact(b.den, g2), &den))
        return JX_ERANGE;
    *out = (struct jx_rat){num, den};
    return JX_OK;
}

struct jx_rat jx_rat_neg(struct jx_rat a)
{
    return (struct jx_rat){-a.num, a.den};
}

enum jx_status jx_rat_sub(struct jx_rat a, struct jx_rat b, struct jx_rat *out)
{
    return jx_rat_add(a, jx_rat_neg(b), out);
}

enum jx_status jx_rat_mul(struct jx_rat a, struct jx_rat b, struct jx_rat *out)
{
    i128 num, den;
    if (a.num == 0 || b.num == 0) {
        *out = (struct jx_rat){0, 1};
        return JX_OK;
    }
    if (a.den == 1 && b.den == 1) {
        if (__builtin_mul_overflow(a.num, b.num, &num) || !num_ok(num))
            return JX_ERANGE;
        *out = (struct jx_rat){num, 1};
        return JX_OK;
    }
    /* Cross-reduce first: the product is then in lowest terms, and overflow is real. */
    i128 g1 = (i128)gcd128(uabs(a.num), (u128)b.den);
    i128 g2 = (i128)gcd128(uabs(b.num), (u128)a.den);
    if (__builtin_mul_overflow(div_exact(a.num, g1), div_exact(b.num, g2), &num) ||
        !num_ok(num) || __builtin_mul_overflow(div_exact(a.den, g2), div_exact(b.den, g1), &den))
        return JX_ERANGE;
    *out = (struct jx_rat){num, den};
    return JX_OK;
}

enum jx_status jx_rat_div(struct jx_rat a, struct jx_rat b, struct jx_rat *out)
{
    if (b.num == 0)
        return JX_EINPUT;
    /* 1/b: den and |num| are both at most I128_MAX, so the swap cannot overflow. */
    struct jx_rat inv = b.num < 0 ? (struct jx_rat){-b.den, -b.num} : (struct jx_rat){b.den, b.num};
    return jx_rat_mul(a, inv, out);
}

/*
 * Compare n1/d1 with n2/d2, all positive (d > 0), by continued fractions:
 * compare the whole parts, then the remainders' reciprocals the other way.
 */
static int ucmp_frac(u128 n1, u128 d1, u128 n2, u128 d2)
{
    for (;;) {
        u128 q1 = n1 / d1, q2 = n2 / d2;
        if (q1 != q2)
            return q1 < q2 ? -1 : 1;
        u128 r1 = n1 % d1, r2 = n2 % d2;
        if (r1 == 0 || r2 == 0)
            return r1 == r2 ? 0 : r1 == 0 ? -1 : 1;
        /* cmp(r1/d1, r2/d2) == cmp(d2/r2, d1/r1) */
        u128 t = d1;
        n1 = d2;
        d1 = r2;
        n2 = t;
        d2 = r1;
    }
}

int jx_rat_cmp(struct jx_rat a, struct jx_rat b)
{
    int sa = jx_rat_sign(a), sb = jx_rat_sign(b);
    if (sa != sb)
        return sa < sb ? -1 : 1;
    if (sa == 0)
        return 0;
    if (a.den == b.den)
        return a.num < b.num ? -1 : a.num > b.num;
    i128 x, y;
    if (!__builtin_mul_overflow(a.num, b.den, &x) && !__builtin_mul_overflow(b.num, a.den, &y))
        return x < y ? -1 : x > y;
    int c = ucmp_frac(uabs(a.num), (u128)a.den, uabs(b.num), (u128)b.den);
    return sa > 0 ? c : -c;
}

struct jx_rat jx_rat_abs(struct jx_rat a)
{
    return a.num < 0 ? jx_rat_neg(a) : a;
}

struct jx_rat jx_rat_min(struct jx_rat a, struct jx_rat b)
{
    return jx_rat_cmp(b, a) < 0 ? b : a;
}

struct jx_rat jx_rat_max(struct jx_rat a, struct jx_rat b)
{
    return jx_rat_cmp(b, a) > 0 ? b : a;
}

int jx_rat_sign(struct jx_rat a)
{
    return a.num < 0 ? -1 : a.num > 0;
}

bool jx_rat_is_zero(struct jx_rat a)
{
    return a.num == 0;
}

bool jx_rat_is_int(struct jx_rat a)
{
    return a.den == 1;
}

/* ---- rounding ------------------------------------------------------- */

enum round_mode { HALF_UP, FLOOR, CEIL };

/*
 * |x| rounded to `digits` fraction digits as whole + frac / 10^digits, with
 * frac < 10^digits.  Long division, one digit at a time when the remainder
 * times 10^digits would not fit; the last step is jx_round_div() of the
 * remainder (0 or 1: half away from zero), or a floor/ceil decision by the
 * sign.  Never overflows: whole <= 2^127 even after a carry.
 */
static void split(struct jx_rat x, int digits, enum round_mode mode, u128 *whole, uint64_t *frac)
{
    u128 u = uabs(x.num), d = (u128)x.den, q, r;
    uint64_t f = 0, p = (uint64_t)pow10_tab[digits];
    if (u <= UINT64_MAX && d <= UINT64_MAX) { /* the common case, without 128-bit division */
        q = (uint64_t)u / (uint64_t)d;
        r = (uint64_t)u % (uint64_t)d;
    } else {
        q = u / d;
        r = u % d;
    }
    if (digits > 0 && r != 0) {
        if (r <= U128_MAX / p) {
            u128 t = r * p;
            if (t <= UINT64_MAX && d <= UINT64_MAX) {
                f = (uint64_t)t / (uint64_t)d;
                r = (uint64_t)t % (uint64_t)d;
            } else {
                f = (uint64_t)(t / d);
                r = t % d;
            }
        } else {
            for (int i = 0; i < digits; i++) {
                /* 10r / d and 10r % d by ten additions: r < d < 2^127, so no overflow. */
                u128 acc = 0;
                uint64_t digit = 0;
                for (int k = 0; k < 10; k++) {
                    acc += r;
                    if (acc >= d) {
                        acc -= d;
                        digit++;
                    }
                }
                f = f * 10 + digit;
                r = acc;
            }
        }
    }
    int64_t inc = 0;
    if (r != 0) {
        switch (mode) {
        case HALF_UP:
            if (!jx_round_div((i128)r, (i128)d, &inc)) /* r < d: 0 or 1 */
                inc = 0;
            break;
        case FLOOR:
            inc = x.num < 0;
            break;
        case CEIL:
            inc = x.num > 0;
            break;
        }
    }
    f += (uint64_t)inc;
    if (f == p) {
        f = 0;
        q++;
    }
    *whole = q;
    *frac = f;
}

/* x * 10^digits rounded by mode to an integer k, or JX_ERANGE. */
static enum jx_status scaled(struct jx_rat x, int digits, enum round_mode mode, i128 *k)
{
    u128 whole;
    uint64_t frac;
    if (digits < 0 || digits > JX_RAT_MAX_DIGITS)
        return JX_EINPUT;
    split(x, digits, mode, &whole, &frac);
    u128 p = (u128)pow10_tab[digits];
    if (whole > (u128)I128_MAX / p)
        return JX_ERANGE;
    u128 m = whole * p + frac;
    if (m > (u128)I128_MAX)
        return JX_ERANGE;
    *k = x.num < 0 ? -(i128)m : (i128)m;
    return JX_OK;
}

/* Round x by mode to digits fraction digits, as a rational. */
static enum jx_status round_to(struct jx_rat x, int digits, enum round_mode mode,
                               struct jx_rat *out)
{
    i128 k;
    enum jx_status st;
    if (digits < 0 || digits > JX_RAT_MAX_DIGITS)
        return JX_EINPUT;
    if (x.den == 1) {
        *out = x;
        return JX_OK;
    }
    if ((st = scaled(x, digits, mode, &k)))
        return st;
    *out = reduce(k, pow10_tab[digits]);
    return JX_OK;
}

enum jx_status jx_rat_round(struct jx_rat x, int digits, struct jx_rat *out)
{
    return round_to(x, digits, HALF_UP, out);
}

enum jx_status jx_rat_floor(struct jx_rat x, int digits, struct jx_rat *out)
{
    return round_to(x, digits, FLOOR, out);
}

enum jx_status jx_rat_ceil(struct jx_rat x, int digits, struct jx_rat *out)
{
    return round_to(x, digits, CEIL, out);
}

enum jx_status jx_rat_to_fen(struct jx_rat x, int64_t *fen)
{
    i128 k;
    if (scaled(x, 2, HALF_UP, &k) || k > JX_MONEY_MAX || k < -JX_MONEY_MAX)
        return JX_ERANGE;
    *fen = (int64_t)k;
    return JX_OK;
}

enum jx_status jx_rat_to_dec(struct jx_rat x, int64_t *dec)
{
    i128 k;
    if (scaled(x, 9, HALF_UP, &k) || k > INT64_MAX || k < -INT64_MAX)
        return JX_ERANGE;
    *dec = (int64_t)k;
    return JX_OK;
}

char *jx_rat_format(struct jx_rat x, int digits, char *buf)
{
    char tmp[48];
    size_t n = 0, i = sizeof tmp;
    u128 whole;
    uint64_t frac;

    if (digits < 0)
        digits = 0;
    if (digits > JX_RAT_MAX_DIGITS)
        digits = JX_RAT_MAX_DIGITS;
    split(x, digits, HALF_UP, &whole, &frac);
    if (x.num < 0 && (whole != 0 || frac != 0))
        buf[n++] = '-';
    while (whole > UINT64_MAX) { /* 128-bit division only for the digits that need it */
        tmp[--i] = (char)('0' + (int)(whole % 10));
        whole /= 10;
    }
    uint64_t w = (uint64_t)whole;
    do {
        tmp[--i] = (char)('0' + (int)(w % 10));
        w /= 10;
    } while (w != 0);
    memcpy(buf + n, tmp + i, sizeof tmp - i);
    n += sizeof tmp - i;
    if (digits > 0) {
        buf[n++] = '.';
        for (int k = digits - 1; k >= 0; k--) {
            buf[n + (size_t)k] = (char)('0' + (int)(frac % 10));
            frac /= 10;
        }
        n += (size_t)digits;
    }
    buf[n] = '\0';
    return buf;
}
