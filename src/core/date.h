/*
 * date.h - civil dates, local times and pay periods.
 *
 * A date is an int32_t count of days since 1970-01-01.  A time is an int64_t
 * count of minutes since 1970-01-01 00:00 local time.  All times are
 * Asia/Shanghai (UTC+8, no daylight saving since 1991), so local time is kept
 * as it is written and no time-zone arithmetic is ever needed.
 *
 * Periods are months ("2025-08"), quarters ("2025-Q3") and years ("2025").
 */
#ifndef JX_DATE_H
#define JX_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

#define JX_DATE_BUFSZ 16
#define JX_TIME_BUFSZ 24
#define JX_PERIOD_BUFSZ 16

/* Days since 1970-01-01 of a valid y-m-d (no validation here). */
int32_t jx_date_from_ymd(int y, int m, int d);

/* Split a date into year, month (1-12) and day (1-31). */
void jx_date_to_ymd(int32_t date, int *y, int *m, int *d);

/* True if y-m-d is a real calendar day in years 1900-2999. */
bool jx_date_valid(int y, int m, int d);

/* Day of week: 0 = Monday ... 6 = Sunday. */
int jx_date_weekday(int32_t date);

/* Parse exactly "YYYY-MM-DD" from s[0..len); refuses impossible days. */
enum jx_status jx_date_parse(const char *s, size_t len, int32_t *date,
                             struct jx_err *err) JX_MUST_USE;

/* Format as "YYYY-MM-DD" into buf (JX_DATE_BUFSZ); returns buf. */
char *jx_date_format(int32_t date, char *buf);

/* Parse "YYYY-MM-DD HH:MM" (or with 'T' between) from s[0..len). */
enum jx_status jx_time_parse(const char *s, size_t len, int64_t *t,
                             struct jx_err *err) JX_MUST_USE;

/* Format as "YYYY-MM-DD HH:MM" into buf (JX_TIME_BUFSZ); returns buf. */
char *jx_time_format(int64_t t, char *buf);

/* The date part of a time, and the minute of the day (0..1439). */
int32_t jx_time_date(int64_t t);
int jx_time_minute_of_day(int64_t t);

/* A time from a date and a minute of the day. */
int64_t jx_time_make(int32_t date, int minute_of_day);

enum jx_period_kind { JX_PERIOD_MONTH, JX_PERIOD_QUARTER, JX_PERIOD_YEAR };

struct jx_period {
    enum jx_period_kind kind;
    int year;
    int index; /* month 1-12, quarter 1-4, or 0 for a year */
};

/* Parse "2025-08", "2025-Q3" or "2025". */
enum jx_status jx_period_parse(const char *s, size_t len, struct jx_period *p,
                               struct jx_err *err) JX_MUST_USE;

/* Format a period back to its text form into buf (JX_PERIOD_BUFSZ). */
char *jx_period_format(const struct jx_period *p, char *buf);

/* First and last day of a period (both inclusive). */
int32_t jx_period_first(const struct jx_period *p);
int32_t jx_period_last(const struct jx_period *p);

/* The period of the same kind just before p. */
struct jx_period jx_period_prev(const struct jx_period *p);

/* The month period that contains a date. */
struct jx_period jx_period_month_of(int32_t date);

/* Milliseconds on the monotonic clock (for timings: --timing, the access log). */
double jx_clock_ms(void);

#endif
