/*
 * calendar.c - loading calendar files and walking working days.
 *
 * Each covered year is a byte array indexed by day of year: CAL_DEFAULT
 * (weekday rule), CAL_HOLIDAY or CAL_WORKDAY.
 */
#include "calendar.h"

#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "embed.h"

enum { CAL_DEFAULT = 0, CAL_HOLIDAY = 1, CAL_WORKDAY = 2 };

void jx_calendar_init(struct jx_calendar *cal)
{
    memset(cal, 0, sizeof *cal);
}

void jx_calendar_release(struct jx_calendar *cal)
{
    for (size_t i = 0; i < sizeof cal->years / sizeof cal->years[0]; i++)
        free(cal->years[i]);
    jx_calendar_init(cal);
}

static int year_of(int32_t date)
{
    int y, m, d;
    jx_date_to_ymd(date, &y, &m, &d);
    return y;
}

bool jx_calendar_covers(const struct jx_calendar *cal, int32_t date)
{
    int y = year_of(date);
    return y >= JX_CAL_FIRST_YEAR && y <= JX_CAL_LAST_YEAR &&
           cal->years[y - JX_CAL_FIRST_YEAR] != NULL;
}

/* One whitespace-separated word of a line: [*p, end). */
static bool next_word(const char **p, const char *end, const char **w, size_t *wlen)
{
    const char *s = *p;
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\r'))
        s++;
    if (s == end || *s == '#')
        return false;
    const char *e = s;
    while (e < end && *e != ' ' && *e != '\t' && *e != '\r' && *e != '#')
        e++;
    *w = s;
    *wlen = (size_t)(e - s);
    *p = e;
    return true;
}

enum jx_status jx_calendar_load_text(struct jx_calendar *cal, const char *text, size_t len,
                                     const char *name, struct jx_err *err)
{
    const char *p = text, *end = text + len;
    unsigned char *days = NULL;
    int year = 0;
    long lineno = 0;
    enum jx_status st;

    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        lineno++;
        const char *w, *q = p;
        size_t wl;
        if (next_word(&q, eol, &w, &wl)) {
            const char *a = NULL, *b = NULL, *extra;
            size_t al = 0, bl = 0, el;
            bool has_a = next_word(&q, eol, &a, &al);
            bool has_b = has_a && next_word(&q, eol, &b, &bl);
            if (has_b && next_word(&q, eol, &extra, &el)) {
                st = jx_err_set(err, JX_EINPUT, "too many words on the line");
                goto fail;
            }
            if (wl == 4 && memcmp(w, "year", 4) == 0) {
                int32_t jan1;
                char buf[16];
                if (year || !has_a || has_b || al != 4) {
                    st = jx_err_set(err, JX_EINPUT,
                                    year ? "a file covers one year only"
                                         : "expected \"year YYYY\"");
                    goto fail;
                }
                memcpy(buf, a, 4);
                memcpy(buf + 4, "-01-01", 7);
                if (jx_date_parse(buf, 10, &jan1, err) != JX_OK) {
                    st = jx_err_set(err, JX_EINPUT, "\"%.4s\" is not a year", a);
                    goto fail;
                }
                year = year_of(jan1);
                if (cal->years[year - JX_CAL_FIRST_YEAR]) {
                    st = jx_err_set(err, JX_EINPUT, "year %d is already loaded", year);
                    goto fail;
                }
                days = calloc(366, 1);
                if (!days) {
                    st = jx_err_set(err, JX_ENOMEM, "out of memory");
                    goto fail;
                }
            } else if ((wl == 7 && memcmp(w, "holiday", 7) == 0) ||
                       (wl == 7 && memcmp(w, "workday", 7) == 0)) {
                bool holiday = w[0] == 'h';
                int32_t from, to;
                if (!year) {
                    st = jx_err_set(err, JX_EINPUT, "\"year YYYY\" must come first");
                    goto fail;
                }
                if (!has_a || (!holiday && has_b)) {
                    st = jx_err_set(err, JX_EINPUT,
                                    holiday ? "expected \"holiday DATE [DATE]\""
                                            : "expected \"workday DATE\"");
                    goto fail;
                }
                if ((st = jx_date_parse(a, al, &from, err)) != JX_OK)
                    goto fail;
                to = from;
                if (has_b && (st = jx_date_parse(b, bl, &to, err)) != JX_OK)
                    goto fail;
                if (year_of(from) != year || year_of(to) != year || to < from) {
                    st = jx_err_set(err, JX_EINPUT, "dates must lie in %d, in order", year);
                    goto fail;
                }
                int32_t jan1 = jx_date_from_ymd(year, 1, 1);
                for (int32_t d = from; d <= to; d++) {
                    if (!holiday && jx_date_weekday(d) < 5) {
                        st = jx_err_set(err, JX_EINPUT,
                                        "a make-up working day must be a Saturday or Sunday");
                        goto fail;
                    }
                    if (days[d - jan1] != CAL_DEFAULT) {
                        st = jx_err_set(err, JX_EINPUT, "the day is listed twice");
                        goto fail;
                    }
                    days[d - jan1] = holiday ? CAL_HOLIDAY : CAL_WORKDAY;
                }
            } else {
                st = jx_err_set(err, JX_EINPUT,
                                "\"%.*s\" is not year, holiday or workday", (int)(wl > 20 ? 20 : wl),
                                w);
                goto fail;
            }
        }
        p = eol < end ? eol + 1 : end;
    }
    if (!year) {
        lineno = 0;
        st = jx_err_set(err, JX_EINPUT, "no \"year YYYY\" line");
        goto fail;
    }
    cal->years[year - JX_CAL_FIRST_YEAR] = days;
    return JX_OK;
fail:
    free(days);
    jx_err_at(err, name, lineno, NULL);
    return st;
}

enum jx_status jx_calendar_load_builtin(struct jx_calendar *cal, struct jx_err *err)
{
    for (const struct jx_embedded *f = jx_calendar_files; f->name; f++) {
        enum jx_status st =
            jx_calendar_load_text(cal, (const char *)f->data, f->size, f->name, err);
        if (st)
            return st;
    }
    return JX_OK;
}

enum jx_status jx_calendar_is_workday(const struct jx_calendar *cal, int32_t date, bool *workday,
                                      struct jx_err *err)
{
    int y = year_of(date);
    const unsigned char *days =
        y >= JX_CAL_FIRST_YEAR && y <= JX_CAL_LAST_YEAR ? cal->years[y - JX_CAL_FIRST_YEAR] : NULL;
    if (!days) {
        char buf[JX_DATE_BUFSZ];
        return jx_err_set(err, JX_ERANGE,
                          "%s is outside the working-day calendar (no calendar for %d; add "
                          "calendars/cn-%d.txt)",
                          jx_date_format(date, buf), y, y);
    }
    unsigned char k = days[date - jx_date_from_ymd(y, 1, 1)];
    *workday = k == CAL_WORKDAY || (k == CAL_DEFAULT && jx_date_weekday(date) < 5);
    return JX_OK;
}

enum jx_status jx_calendar_add_workdays(const struct jx_calendar *cal, int32_t date, int n,
                                        int32_t *out, struct jx_err *err)
{
    if (n < 0)
        return jx_err_set(err, JX_EUSAGE, "negative number of working days");
    while (n > 0) {
        bool w;
        enum jx_status st;
        date++;
        if ((st = jx_calendar_is_workday(cal, date, &w, err)) != JX_OK)
            return st;
        if (w)
            n--;
    }
    *out = date;
    return JX_OK;
}

enum jx_status jx_calendar_add_workdays_time(const struct jx_calendar *cal, int64_t t, int n,
                                             int64_t *out, struct jx_err *err)
{
    int32_t d;
    enum jx_status st = jx_calendar_add_workdays(cal, jx_time_date(t), n, &d, err);
    if (st)
        return st;
    *out = jx_time_make(d, jx_time_minute_of_day(t));
    return JX_OK;
}
