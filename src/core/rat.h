/*
 * rat.h - exact rational numbers for plan formulas.
 *
 * A struct jx_rat is num/den in __int128, always in lowest terms, with
 * den > 0 and num != INT128_MIN (so negation and absolute value can never
 * overflow).  Zero is 0/1.  Every value made by the functions below keeps
 * these invariants; a value built by hand must keep them too (use
 * jx_rat_from_frac() when in doubt).
 *
 * Nothing here is floating point.  19000 * 0.95 * 0.15 is exactly 2707.5,
 * (1/3) * 3 is exactly 1.  Arithmetic is checked: a result that does not fit
 * in __int128 is JX_ERANGE, a division by zero JX_EINPUT, never undefined
 * behaviour.  Rounding is half away from zero (四舍五入, domain.md §3), through
 * jx_round_div(), the project's one rounding rule.
 *
 * Values are small (32 bytes) and passed by value; results are written to a
 * caller's struct jx_rat *out, which is left untouched on error and may
 * alias an operand.
 */
#ifndef JX_RAT_H
#define JX_RAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

struct jx_rat {
    __int128 num; /* sign of the value; never INT128_MIN */
    __int128 den; /* > 0; gcd(num, den) == 1 */
};

/* Largest number of fraction digits jx_rat_round() and friends accept. */
#define JX_RAT_MAX_DIGITS 18

/* Size of a buffer for jx_rat_format(): sign, 39 digits, point, 18 digits, NUL. */
#define JX_RAT_BUFSZ 64

/* ---- making values -------------------------------------------------- */

/* v/1. */
static inline struct jx_rat jx_rat_from_int(int64_t v)
{
    return (struct jx_rat){v, 1};
}

/* num/den in lowest terms, den != 0 (a zero den gives 0: callers must not). */
struct jx_rat jx_rat_from_frac(int64_t num, int64_t den);

/*
 * num/den for 128-bit parts (sums of fen x 10^9 and the like): den > 0,
 * num != INT128_MIN; brought to lowest terms.
 */
struct jx_rat jx_rat_from_i128(__int128 num, __int128 den);

/* An amount in fen as yuan: 1234567 -> 12345.67. */
struct jx_rat jx_rat_from_fen(int64_t fen);

/* A jx decimal (dec.h, value times 10^9) as its exact value. */
struct jx_rat jx_rat_from_dec(int64_t dec);

/*
 * Parse a plain decimal from s[0..len): an optional '-', digits, then
 * optionally '.' and digits ("0.15", "-3", "1.13").  No '+', exponent,
 * spaces, separators or leading zeros such as "007"; at most 36 digits.
 * JX_EINPUT (or JX_ERANGE for too many digits) with a message in err.
 */
enum jx_status jx_rat_parse(const char *s, size_t len, struct jx_rat *out,
                            struct jx_err *err) JX_MUST_USE;

/* ---- arithmetic ----------------------------------------------------- */

/* a + b, a - b, a * b: JX_ERANGE when the result does not fit. */
enum jx_status jx_rat_add(struct jx_rat a, struct jx_rat b, struct jx_rat *out) JX_MUST_USE;
enum jx_status jx_rat_sub(struct jx_rat a, struct jx_rat b, struct jx_rat *out) JX_MUST_USE;
enum jx_status jx_rat_mul(struct jx_rat a, struct jx_rat b, struct jx_rat *out) JX_MUST_USE;

/* a / b: JX_EINPUT when b is zero, JX_ERANGE when the result does not fit. */
enum jx_status jx_rat_div(struct jx_rat a, struct jx_rat b, struct jx_rat *out) JX_MUST_USE;

/* -1, 0 or 1 as a <, ==, > b.  Exact for every pair, without overflow. */
int jx_rat_cmp(struct jx_rat a, struct jx_rat b);

/* -a, |a|, the smaller and the larger: these cannot overflow. */
struct jx_rat jx_rat_neg(struct jx_rat a);
struct jx_rat jx_rat_abs(struct jx_rat a);
struct jx_rat jx_rat_min(struct jx_rat a, struct jx_rat b);
struct jx_rat jx_rat_max(struct jx_rat a, struct jx_rat b);

/* -1, 0 or 1 by the sign of a; true when a is zero; true when a is whole. */
int jx_rat_sign(struct jx_rat a);
bool jx_rat_is_zero(struct jx_rat a);
bool jx_rat_is_int(struct jx_rat a);

/* ---- rounding and conversion ---------------------------------------- */

/*
 * x rounded to `digits` fraction digits (0..JX_RAT_MAX_DIGITS): half away
 * from zero (jx_rat_round: 2.345 -> 2.35, -2.345 -> -2.35), towards minus
 * infinity (jx_rat_floor) or towards plus infinity (jx_rat_ceil).
 * JX_EINPUT for digits out of range, JX_ERANGE when the result does not fit.
 */
enum jx_status jx_rat_round(struct jx_rat x, int digits, struct jx_rat *out) JX_MUST_USE;
enum jx_status jx_rat_floor(struct jx_rat x, int digits, struct jx_rat *out) JX_MUST_USE;
enum jx_status jx_rat_ceil(struct jx_rat x, int digits, struct jx_rat *out) JX_MUST_USE;

/*
 * x yuan rounded half up to the fen (8849.557... -> 884956).  JX_ERANGE when
 * the amount is beyond +-JX_MONEY_MAX (money.h).
 */
enum jx_status jx_rat_to_fen(struct jx_rat x, int64_t *fen) JX_MUST_USE;

/* x rounded half up to a jx decimal (nine digits, dec.h); JX_ERANGE if too large. */
enum jx_status jx_rat_to_dec(struct jx_rat x, int64_t *dec) JX_MUST_USE;

/*
 * Format x rounded half up to exactly `digits` fraction digits (clamped to
 * 0..JX_RAT_MAX_DIGITS) into buf, at least JX_RAT_BUFSZ bytes: "-1234.50".
 * Works for every value; a result that rounds to zero has no sign.
 * Returns buf.
 */
char *jx_rat_format(struct jx_rat x, int digits, char *buf);

#endif
