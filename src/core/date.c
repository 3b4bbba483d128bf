/*
 * date.c - civil-date arithmetic (days from civil, after H. Hinnant's
 * algorithm), strict parsing and periods.
 */
#include "date.h"

#include <stdio.h>
#include <time.h>

int32_t jx_date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void jx_date_to_ymd(int32_t date, int *y, int *m, int *d)
{
    int z = date + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dim[m - 1];
}

bool jx_date_valid(int y, int m, int d)
{
    return y >= 1900 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

int jx_date_weekday(int32_t date)
{
    /* 1970-01-01 was a Thursday (3 when Monday is 0). */
    int w = (date + 3) % 7;
    return w < 0 ? w + 7 : w;
}

/* Read exactly n digits at s; -1 if any is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

enum jx_status jx_date_parse(const char *s, size_t len, int32_t *date, struct jx_err *err)
{
    int y, m, d;
    if (len != 10 || s[4] != '-' || s[7] != '-' || (y = digits(s, 4)) < 0 ||
        (m = digits(s + 5, 2)) < 0 || (d = digits(s + 8, 2)) < 0)
        return jx_err_set(err, JX_EINPUT, "\"%.*s\" is not a date (expected YYYY-MM-DD)",
                          (int)(len > 40 ? 40 : len), s);
    if (!jx_date_valid(y, m, d))
        return jx_err_set(err, JX_EINPUT, "\"%.*s\" is not a real day", (int)len, s);
    *date = jx_date_from_ymd(y, m, d);
    return JX_OK;
}

char *jx_date_format(int32_t date, char *buf)
{
    int y, m, d;
    jx_date_to_ymd(date, &y, &m, &d);
    snprintf(buf, JX_DATE_BUFSZ, "%04d-%02d-%02d", y, m, d);
    return buf;
}

enum jx_status jx_time_parse(const char *s, size_t len, int64_t *t, struct jx_err *err)
{
    int32_t date;
    int hh, mm;
    if (len != 16 || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' ||
        jx_date_parse(s, 10, &date, NULL) != JX_OK || (hh = digits(s + 11, 2)) < 0 ||
        (mm = digits(s + 14, 2)) < 0 || hh > 23 || mm > 59)
        return jx_err_set(err, JX_EINPUT,
                          "\"%.*s\" is not a time (expected YYYY-MM-DD HH:MM)",
                          (int)(len > 40 ? 40 : len), s);
    *t = jx_time_make(date, hh * 60 + mm);
    return JX_OK;
}

int64_t jx_time_make(int32_t date, int minute_of_day)
{
    return (int64_t)date * 1440 + minute_of_day;
}

int32_t jx_time_date(int64_t t)
{
    int64_t d = t / 1440;
    if (t % 1440 < 0)
        d--;
    return (int32_t)d;
}

int jx_time_minute_of_day(int64_t t)
{
    int r = (int)(t % 1440);
    return r < 0 ? r + 1440 : r;
}

char *jx_time_format(int64_t t, char *buf)
{
    char d[JX_DATE_BUFSZ];
    int mod = jx_time_minute_of_day(t);
    snprintf(buf, JX_TIME_BUFSZ, "%s %02d:%02d", jx_date_format(jx_time_date(t), d), mod / 60,
             mod % 60);
    return buf;
}

enum jx_status jx_period_parse(const char *s, size_t len, struct jx_period *p,
                               struct jx_err *err)
{
    int y = len >= 4 ? digits(s, 4) : -1;
    if (y >= 1900 && y <= 2999) {
        if (len == 4) {
            *p = (struct jx_period){JX_PERIOD_YEAR, y, 0};
            return JX_OK;
        }
        if (len == 7 && s[4] == '-' && s[5] == 'Q' && s[6] >= '1' && s[6] <= '4') {
            *p = (struct jx_period){JX_PERIOD_QUARTER, y, s[6] - '0'};
            return JX_OK;
        }
        int m;
        if (len == 7 && s[4] == '-' && (m = digits(s + 5, 2)) >= 1 && m <= 12) {
            *p = (struct jx_period){JX_PERIOD_MONTH, y, m};
            return JX_OK;
        }
    }
    return jx_err_set(err, JX_EINPUT,
                      "\"%.*s\" is not a period (expected 2025-08, 2025-Q3 or 2025)",
                      (int)(len > 40 ? 40 : len), s);
}

char *jx_period_format(const struct jx_period *p, char *buf)
{
    switch (p->kind) {
    case JX_PERIOD_MONTH:
        snprintf(buf, JX_PERIOD_BUFSZ, "%04d-%02d", p->year, p->index);
        break;
    case JX_PERIOD_QUARTER:
        snprintf(buf, JX_PERIOD_BUFSZ, "%04d-Q%d", p->year, p->index);
        break;
    case JX_PERIOD_YEAR:
        snprintf(buf, JX_PERIOD_BUFSZ, "%04d", p->year);
        break;
    }
    return buf;
}

int32_t jx_period_first(const struct jx_period *p)
{
    switch (p->kind) {
    case JX_PERIOD_MONTH:
        return jx_date_from_ymd(p->year, p->index, 1);
    case JX_PERIOD_QUARTER:
        return jx_date_from_ymd(p->year, p->index * 3 - 2, 1);
    case JX_PERIOD_YEAR:
        break;
    }
    return jx_date_from_ymd(p->year, 1, 1);
}

int32_t jx_period_last(const struct jx_period *p)
{
    switch (p->kind) {
    case JX_PERIOD_MONTH:
        return jx_date_from_ymd(p->year, p->index, days_in_month(p->year, p->index));
    case JX_PERIOD_QUARTER:
        return jx_date_from_ymd(p->year, p->index * 3, days_in_month(p->year, p->index * 3));
    case JX_PERIOD_YEAR:
        break;
    }
    return jx_date_from_ymd(p->year, 12, 31);
}

struct jx_period jx_period_prev(const struct jx_period *p)
{
    struct jx_period q = *p;
    int n = p->kind == JX_PERIOD_MONTH ? 12 : p->kind == JX_PERIOD_QUARTER ? 4 : 0;
    if (n == 0) {
        q.year--;
    } else if (--q.index == 0) {
        q.index = n;
        q.year--;
    }
    return q;
}

struct jx_period jx_period_month_of(int32_t date)
{
    int y, m, d;
    jx_date_to_ymd(date, &y, &m, &d);
    return (struct jx_period){JX_PERIOD_MONTH, y, m};
}

double jx_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}
