/*
 * calendar.h - the working-day calendar (domain.md §3).
 *
 * Monday-Friday are working days, minus statutory holidays, plus make-up
 * working days (调休).  The holidays come from text files, one per year
 * (calendars/cn-YYYY.txt; the format is described in cn-2025.txt); the
 * shipped ones are compiled into the binary.  A question about a year that no
 * loaded file covers is an error, never a guess.
 */
#ifndef JX_CALENDAR_H
#define JX_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

#include "status.h"

#define JX_CAL_FIRST_YEAR 1900
#define JX_CAL_LAST_YEAR 2999

struct jx_calendar {
    /* One byte per day of each covered year; NULL for a year not covered. */
    unsigned char *years[JX_CAL_LAST_YEAR - JX_CAL_FIRST_YEAR + 1];
};

/* Start with an empty calendar that covers no year. */
void jx_calendar_init(struct jx_calendar *cal);

/* Free what the calendar holds; it is empty (and reusable) afterwards. */
void jx_calendar_release(struct jx_calendar *cal);

/*
 * Add one calendar file's text (len bytes, need not be NUL-terminated).
 * name is used in error messages ("cn-2025.txt:7: ...").  A year may be
 * loaded only once.  On error the calendar is left as it was.
 */
enum jx_status jx_calendar_load_text(struct jx_calendar *cal, const char *text, size_t len,
                                     const char *name, struct jx_err *err) JX_MUST_USE;

/* Load every calendar compiled into the binary. */
enum jx_status jx_calendar_load_builtin(struct jx_calendar *cal,
                                        struct jx_err *err) JX_MUST_USE;

/* True if the calendar covers the year of date. */
bool jx_calendar_covers(const struct jx_calendar *cal, int32_t date);

/* *workday = whether date is a working day; an error if the year is not covered. */
enum jx_status jx_calendar_is_workday(const struct jx_calendar *cal, int32_t date,
                                      bool *workday, struct jx_err *err) JX_MUST_USE;

/*
 * *out = the n-th working day strictly after date (n >= 1).  n == 0 gives
 * date itself.  Fails if the walk leaves the covered years.
 */
enum jx_status jx_calendar_add_workdays(const struct jx_calendar *cal, int32_t date, int n,
                                        int32_t *out, struct jx_err *err) JX_MUST_USE;

/* The same for a time: the n-th working day after its date, same clock time. */
enum jx_status jx_calendar_add_workdays_time(const struct jx_calendar *cal, int64_t t, int n,
                                             int64_t *out, struct jx_err *err) JX_MUST_USE;

#endif
