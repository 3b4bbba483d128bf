/*
 * money.h - money as int64_t fen (1 yuan = 100 fen), and the one rounding rule.
 *
 * Money is never held in floating point.  Amounts are parsed strictly from
 * text ("12345.67", "-0.50"), formatted with exactly two decimals, and
 * combined with checked arithmetic that reports overflow instead of wrapping.
 *
 * Rounding (domain.md §3): half-up, 四舍五入, applied symmetrically to
 * negative values (half away from zero: -0.005 yuan -> -0.01 yuan), so a
 * clawback is the exact mirror of the payment it reverses.
 */
#ifndef JX_MONEY_H
#define JX_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

#define JX_MONEY_MAX INT64_C(999999999999999)  /* 9,999,999,999,999.99 yuan */
#define JX_MONEY_BUFSZ 32

/*
 * Parse an amount in yuan from s[0..len): an optional '-', one or more digits,
 * then optionally '.' and one or two digits.  Anything else ("1e3", "12,5",
 * "1.234", "+5", " 5", "") is refused with a message in err, as is a value
 * beyond +-JX_MONEY_MAX.  On success *fen holds the amount in fen.
 */
enum jx_status jx_money_parse(const char *s, size_t len, int64_t *fen,
                              struct jx_err *err) JX_MUST_USE;

/* Format fen as "-1234.50" into buf (at least JX_MONEY_BUFSZ bytes); returns buf. */
char *jx_money_format(int64_t fen, char *buf);

/* Checked arithmetic: false (and *out untouched) on overflow of JX_MONEY_MAX. */
bool jx_money_add(int64_t a, int64_t b, int64_t *out) JX_MUST_USE;
bool jx_money_sub(int64_t a, int64_t b, int64_t *out) JX_MUST_USE;
bool jx_money_mul(int64_t a, int64_t k, int64_t *out) JX_MUST_USE;

/*
 * num / den rounded half away from zero to an integer; den must not be 0.
 * This is the single rounding function of the project: every rounding of
 * money or of a score goes through it.  Returns false when the result does
 * not fit in int64_t.
 */
bool jx_round_div(__int128 num, __int128 den, int64_t *out) JX_MUST_USE;

#endif
