/*
 * dec.h - exact decimals for rates, shares and scores.
 *
 * A decimal is an int64_t holding the value times JX_DEC_SCALE (10^9), so
 * nine fraction digits are exact: 15% is 150000000, 85.5 is 85500000000.
 * Values up to about +-9.2 billion fit, far beyond any rate or score.
 * Arithmetic that would need more digits (a ratio like 19/20) is done by the
 * engine in __int128 and rounded once, with jx_round_div().
 */
#ifndef JX_DEC_H
#define JX_DEC_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

#define JX_DEC_SCALE INT64_C(1000000000)
#define JX_DEC_DIGITS 9
#define JX_DEC_BUFSZ 48

/*
 * Parse a plain decimal ("85.5", "-3", "0.15") from s[0..len).  At most nine
 * fraction digits; no exponent, sign '+', spaces or thousands separators.
 */
enum jx_status jx_dec_parse(const char *s, size_t len, int64_t *out,
                            struct jx_err *err) JX_MUST_USE;

/*
 * Parse a rate written as a percentage: "5" and "5%" are both 5%, "12.5%"
 * is 12.5%; the result is the fraction (0.05 -> 50000000).  At most seven
 * fraction digits in the percentage.
 */
enum jx_status jx_dec_parse_percent(const char *s, size_t len, int64_t *out,
                                    struct jx_err *err) JX_MUST_USE;

/*
 * Format v with exactly `digits` fraction digits (0..9), rounded half away
 * from zero, into buf (at least JX_DEC_BUFSZ bytes).  Returns buf.
 */
char *jx_dec_format(int64_t v, int digits, char *buf);

/* Format v with as few fraction digits as represent it exactly ("0.15", "3"). */
char *jx_dec_format_exact(int64_t v, char *buf);

#endif
