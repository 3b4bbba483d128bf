/*
 * results.c - building and printing results (jansson for the JSON).
 *
 * The JSON of a person is built once, when the run is stored, and printed
 * as stored: what `run` prints and what `results` prints later are the same
 * bytes, and so are the results of two runs over the same inputs.
 */
#include "io/results.h"

#include "core/strmap.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/dec.h"
#include "core/money.h"
#include "core/utf8.h"
#include "plan/plan.h"

bool jx_format_parse(const char *s, enum jx_format *out)
{
    static const char *const names[] = {"table", "json", "csv"};
    for (int i = 0; i < 3; i++)
        if (!strcmp(s, names[i])) {
            *out = (enum jx_format)i;
            return true;
        }
    return false;
}

/*
 * The stored JSON of a person is written straight into a buffer, not built
 * as jansson objects and dumped: the same bytes as json_dumps(JSON_COMPACT |
 * JSON_PRESERVE_ORDER) (a unit test compares them), in a fraction of the
 * time (a run of 10,000 people writes some 50 MB of trace).  As with
 * jansson, a string that is NULL or not UTF-8 leaves out its member.
 */
#define JW_DEPTH 4

struct jw {
    char *p;
    size_t n, cap;
    bool failed;
    int depth;
    bool first[JW_DEPTH]; /* nothing written yet in the object or array at each depth */
};

static void jw_raw(struct jw *w, const char *s, size_t n)
{
    if (w->n + n + 1 > w->cap) {
        size_t cap = (w->n + n + 1) * 2;
        char *p = jx_realloc(w->p, cap);
        if (!p) {
            w->failed = true;
            return;
        }
        w->p = p;
        w->cap = cap;
    }
    memcpy(w->p + w->n, s, n);
    w->n += n;
    w->p[w->n] = '\0';
}

/* s (len bytes) escaped as json_dumps() escapes it, without the quotes. */
static void jw_escaped(struct jw *w, const char *s, size_t len)
{
    const char *run = s, *end = s + len;
    for (; s < end; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[8];
        const char *e = NULL;
        if (c != '"' && c != '\\' && c >= 0x20)
            continue;
        switch (c) {
        case '"': e = "\\\""; break;
        case '\\': e = "\\\\"; break;
        case '\b': e = "\\b"; break;
        case '\f': e = "\\f"; break;
        case '\n': e = "\\n"; break;
        case '\r': e = "\\r"; break;
        case '\t': e = "\\t"; break;
        default:
            snprintf(esc, sizeof esc, "\\u%04X", c);
            e = esc;
        }
        jw_raw(w, run, (size_t)(s - run));
        jw_raw(w, e, strlen(e));
        run = s + 1;
    }
    jw_raw(w, run, (size_t)(s - run));
}

/* s (len bytes) quoted, escaped as json_dumps() escapes it. */
static void jw_quoted(struct jw *w, const char *s, size_t len)
{
    jw_raw(w, "\"", 1);
    jw_escaped(w, s, len);
    jw_raw(w, "\"", 1);
}

/* Before a member (key, or NULL in an array): the comma and the key. */
static void jw_member(struct jw *w, const char *key)
{
    if (!w->first[w->depth])
        jw_raw(w, ",", 1);
    w->first[w->depth] = false;
    if (key) {
        jw_quoted(w, key, strlen(key));
        jw_raw(w, ":", 1);
    }
}

static void jw_open(struct jw *w, const char *key, char bracket)
{
    if (w->depth >= 0)
        jw_member(w, key);
    jw_raw(w, &bracket, 1);
    w->first[++w->depth] = true;
}

static void jw_close(struct jw *w, char bracket)
{
    jw_raw(w, &bracket, 1);
    w->depth--;
}

static void jw_str(struct jw *w, const char *key, const char *s)
{
    size_t len = s ? strlen(s) : 0;
    if (!s || !jx_utf8_valid(s, len))
        return;
    jw_member(w, key);
    jw_quoted(w, s, len);
}

static void jw_null(struct jw *w, const char *key)
{
    jw_member(w, key);
    jw_raw(w, "null", 4);
}

/* s, or null when there is none. */
static void jw_str_or_null(struct jw *w, const char *key, const char *s)
{
    if (s)
        jw_str(w, key, s);
    else
        jw_null(w, key);
}

static void jw_int(struct jw *w, const char *key, long long v)
{
    char buf[24];
    jw_member(w, key);
    jw_raw(w, buf, (size_t)snprintf(buf, sizeof buf, "%lld", v));
}

static void jw_money(struct jw *w, const char *key, int64_t fen)
{
    char buf[JX_MONEY_BUFSZ];
    jw_str(w, key, jx_money_format(fen, buf));
}

static void jw_score(struct jw *w, const char *key, int64_t v)
{
    char buf[JX_DEC_BUFSZ];
    jw_str(w, key, jx_dec_format(v, 2, buf));
}

/* Start w afresh (its buffer kept). */
static void jw_reset(struct jw *w)
{
    w->n = 0;
    w->depth = -1;
    if (w->p)
        w->p[0] = '\0';
}

/* The person's result object, keys in the order of interfaces.md. */
static void person_json(struct jw *w, const struct jx_person_result *r)
{
    jw_open(w, NULL, '{');
    jw_str(w, "id", r->id);
    jw_str(w, "name", r->name);
    jw_str_or_null(w, "unit_id", r->unit_id);
    if (r->person < 0) /* a team or an agent company scored by a scorecard */
        jw_str(w, "subject", r->subject);
    if (r->has_pay) {
        jw_open(w, "pay", '{');
        jw_money(w, "base", r->base);
        jw_money(w, "commission", r->commission);
        jw_money(w, "bonus", r->bonus);
        jw_money(w, "deductions", r->deductions);
        jw_money(w, "total", r->total);
        jw_close(w, '}');
    } else {
        jw_null(w, "pay");
    }
    if (r->has_score) {
        jw_open(w, "score", '{');
        jw_score(w, "kpi", r->kpi);
        jw_score(w, "qualitative", r->qualitative);
        jw_score(w, "final", r->final);
        jw_str(w, "grade", r->grade);
        jw_str(w, "grade_before_calibration", r->grade_before);
        jw_int(w, "rank", r->rank);
        jw_int(w, "rank_in_unit", r->rank_in_unit);
        jw_close(w, '}');
    } else {
        jw_null(w, "score");
    }
    jw_open(w, "flags", '[');
    for (int i = 0; i < r->nflags; i++)
        jw_str(w, NULL, r->flags[i]);
    jw_close(w, ']');
    jw_str_or_null(w, "plan", r->plan);
    jw_str_or_null(w, "scorecard", r->scorecard);
    jw_money(w, "carry_out", r->carry_out);
    jw_close(w, '}');
}

/* A trace line's detail: the text, or a formula and "  [" its inputs "]". */
static void jw_detail(struct jw *w, const struct jx_trace *t)
{
    if (!t->inputs || !t->detail) {
        jw_str(w, "detail", t->detail);
        return;
    }
    size_t len = strlen(t->detail), ilen = strlen(t->inputs);
    if (!jx_utf8_valid(t->detail, len) || !jx_utf8_valid(t->inputs, ilen))
        return;
    jw_member(w, "detail");
    jw_raw(w, "\"", 1);
    jw_escaped(w, t->detail, len);
    jw_raw(w, "  [", 3);
    jw_escaped(w, t->inputs, ilen);
    jw_raw(w, "]\"", 2);
}

static void trace_json(struct jw *w, const struct jx_person_result *r)
{
    jw_open(w, NULL, '[');
    for (size_t i = 0; i < r->ntrace; i++) {
        const struct jx_trace *t = &r->trace[i];
        jw_open(w, NULL, '{');
        jw_str(w, "key", t->key);
        jw_str(w, "zh", t->label_zh);
        jw_str(w, "en", t->label_en);
        jw_str(w, "value", t->value);
        jw_detail(w, t);
        jw_str(w, "source", t->source);
        jw_close(w, '}');
    }
    jw_close(w, ']');
}

static void hex(const unsigned char *b, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = '\0';
}

/* Dump j into the arena; NULL when out of memory. */
static const char *dump(struct jx_arena *a, json_t *j, size_t flags)
{
    char *s = json_dumps(j, flags | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII * 0);
    const char *copy = s ? jx_arena_strndup(a, s, strlen(s)) : NULL;
    free(s);
    return copy;
}

enum jx_status jx_results_record(const struct jx_data *d, const struct jx_plan *const *plans,
                                 size_t nplans, const struct jx_run_output *out,
                                 const char *period, const char *who,
                                 struct jx_run_record *rec, struct jx_err *err)
{
    struct jx_arena *a = jx_calloc(1, sizeof *a);
    crypto_generichash_state h;
    unsigned char digest[32];
    char hexbuf[65];
    size_t plans_len = 1;

    memset(rec, 0, sizeof *rec);
    if (!a)
        return jx_err_set(err, JX_ENOMEM, "out of memory");
    rec->arena = a;
    if (sodium_init() < 0)
        return jx_err_set(err, JX_EINTERNAL, "libsodium failed to start");
    for (size_t i = 0; i < nplans; i++)
        plans_len += strlen(plans[i]->name) + 66;
    char *pl = jx_arena_alloc(a, plans_len);
    if (!pl)
        goto nomem;
    pl[0] = '\0';
    crypto_generichash_init(&h, NULL, 0, sizeof digest);
    crypto_generichash_update(&h, (const unsigned char *)period, strlen(period) + 1);
    for (size_t i = 0, n = 0; i < nplans; i++) {
        hex(plans[i]->hash, sizeof plans[i]->hash, hexbuf);
        n += (size_t)snprintf(pl + n, plans_len - n, "%s%s@%.16s", i ? "," : "", plans[i]->name,
                              hexbuf);
        crypto_generichash_update(&h, plans[i]->hash, sizeof plans[i]->hash);
    }
    crypto_generichash_update(&h, d->input_hash, sizeof d->input_hash);
    crypto_generichash_final(&h, digest, sizeof digest);
    hex(digest, 8, hexbuf);
    rec->id = jx_arena_strndup(a, hexbuf, strlen(hexbuf));
    hex(d->input_hash, sizeof d->input_hash, hexbuf);
    rec->input_hash = jx_arena_strndup(a, hexbuf, 64);
    rec->period = jx_arena_strndup(a, period, strlen(period));
    rec->plans = pl;
    rec->created_by = jx_arena_strndup(a, who ? who : "cli", strlen(who ? who : "cli"));
    rec->rows = jx_arena_calloc(a, out->n ? out->n : 1, sizeof *rec->rows);
    /* The plans' text is kept with the run: explain recomputes from exactly these. */
    rec->plan_files = jx_arena_calloc(a, nplans + 1, sizeof *rec->plan_files);
    rec->plan_texts = jx_arena_calloc(a, nplans + 1, sizeof *rec->plan_texts);
    rec->plan_lens = jx_arena_calloc(a, nplans + 1, sizeof *rec->plan_lens);
    for (size_t i = 0; rec->plan_files && rec->plan_texts && rec->plan_lens && i < nplans; i++) {
        rec->plan_files[i] = plans[i]->file;
        rec->plan_texts[i] = plans[i]->text;
        rec->plan_lens[i] = plans[i]->text_len;
        rec->nplan_texts++;
    }
    if (!rec->id || !rec->input_hash || !rec->period || !rec->created_by || !rec->rows ||
        rec->nplan_texts != nplans)
        goto nomem;
    struct jw w = {0};
    for (size_t i = 0; i < out->n; i++) {
        const struct jx_person_result *r = &out->people[i];
        struct jx_run_row *row = &rec->rows[rec->nrows++];
        row->person_id = jx_arena_strndup(a, r->key, strlen(r->key)); /* rec owns its strings */
        jw_reset(&w);
        person_json(&w, r);
        row->result = w.failed ? NULL : jx_arena_strndup(a, w.p, w.n);
        jw_reset(&w);
        trace_json(&w, r);
        row->trace = w.failed ? NULL : jx_arena_strndup(a, w.p, w.n);
        row->carry_out = r->carry_out;
        if (!row->person_id || !row->result || !row->trace) {
            free(w.p);
            goto nomem;
        }
    }
    free(w.p);
    return JX_OK;
nomem:
    jx_run_record_release(rec);
    return jx_err_set(err, JX_ENOMEM, "out of memory");
}

/* Display width of UTF-8 text: CJK and full-width characters count 2. */
static int display_width(const char *s)
{
    int w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp;
        int n;
        if (*p < 0x80) {
            cp = *p;
            n = 1;
        } else if ((*p & 0xe0) == 0xc0) {
            cp = *p & 0x1f;
            n = 2;
        } else if ((*p & 0xf0) == 0xe0) {
            cp = *p & 0x0f;
            n = 3;
        } else {
            cp = *p & 0x07;
            n = 4;
        }
        for (int i = 1; i < n && p[i]; i++)
            cp = (cp << 6) | (p[i] & 0x3f);
        for (int i = 0; i < n && *p; i++)
            p++;
        w += (cp >= 0x1100 && (cp <= 0x115f || (cp >= 0x2e80 && cp <= 0xa4cf) ||
                               (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
                               (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
                               (cp >= 0xffe0 && cp <= 0xffe6) || cp >= 0x20000))
                 ? 2
                 : 1;
    }
    return w;
}

static void pad(FILE *f, const char *s, int width, bool right)
{
    int n = width - display_width(s);
    if (right)
        for (; n > 0; n--)
            fputc(' ', f);
    fputs(s, f);
    if (!right)
        for (; n > 0; n--)
            fputc(' ', f);
}

static const char *str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* A CSV cell: quoted when needed; text that a spreadsheet would run as a
 * formula (= + - @ not followed by a number) gets a leading apostrophe. */
static void csv_cell(FILE *f, const char *s, bool last)
{
    bool number = (s[0] == '-' || s[0] == '+') && s[1] >= '0' && s[1] <= '9';
    bool formula = strchr("=+-@", s[0]) && s[0] && !number;
    bool quote = formula || strpbrk(s, ",\"\r\n");
    if (quote)
        fputc('"', f);
    if (formula)
        fputc('\'', f);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    if (quote)
        fputc('"', f);
    fputc(last ? '\n' : ',', f);
}

static void flags_text(json_t *o, char *buf, size_t n)
{
    json_t *fl = json_object_get(o, "flags");
    size_t len = 0, i;
    json_t *v;
    buf[0] = '\0';
    json_array_foreach(fl, i, v)
    {
        int w = snprintf(buf + len, n - len, "%s%s", i ? ";" : "", json_string_value(v));
        if (w < 0 || (size_t)w >= n - len)
            break;
        len += (size_t)w;
    }
}

enum jx_status jx_results_print(FILE *f, const struct jx_run_record *rec, enum jx_format fmt,
                                struct jx_err *err)
{
    json_t **rows = jx_calloc(rec->nrows ? rec->nrows : 1, sizeof *rows);
    json_error_t je;
    enum jx_status st = JX_OK;
    if (!rows)
        return jx_err_set(err, JX_ENOMEM, "out of memory");
    for (size_t i = 0; i < rec->nrows; i++)
        if (!(rows[i] = json_loads(rec->rows[i].result, 0, &je))) {
            st = jx_err_set(err, JX_ESTORE, "stored result of %s is not JSON: %s",
                            rec->rows[i].person_id, je.text);
            goto out;
        }
    if (fmt == JX_FMT_JSON) {
        fprintf(f, "{\"period\": \"%s\", \"run\": \"%s\", \"people\": [", rec->period, rec->id);
        for (size_t i = 0; i < rec->nrows; i++)
            fprintf(f, "%s\n  %s", i ? "," : "", rec->rows[i].result);
        fputs(rec->nrows ? "\n]}\n" : "]}\n", f);
    } else if (fmt == JX_FMT_CSV) {
        static const char *const head[] = {"id",     "name",      "unit_id",    "plan",
                                           "base",   "commission", "bonus",     "deductions",
                                           "total",  "kpi",       "qualitative", "final",
                                           "grade",  "grade_before_calibration", "flags",
                                           "scorecard"};
        for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
            csv_cell(f, head[i], i + 1 == sizeof head / sizeof head[0]);
        for (size_t i = 0; i < rec->nrows; i++) {
            json_t *o = rows[i], *pay = json_object_get(o, "pay"), *sc = json_object_get(o, "score");
            char fl[512];
            flags_text(o, fl, sizeof fl);
            const char *cells[] = {str(o, "id"),       str(o, "name"),      str(o, "unit_id"),
                                   str(o, "plan"),     str(pay, "base"),    str(pay, "commission"),
                                   str(pay, "bonus"),  str(pay, "deductions"), str(pay, "total"),
                                   str(sc, "kpi"),     str(sc, "qualitative"), str(sc, "final"),
                                   str(sc, "grade"),   str(sc, "grade_before_calibration"), fl,
                                   str(o, "scorecard")};
            for (size_t c = 0; c < sizeof cells / sizeof cells[0]; c++)
                csv_cell(f, cells[c], c + 1 == sizeof cells / sizeof cells[0]);
        }
    } else {
        static const char *const head[] = {"工号 id", "姓名 name", "部门 unit", "基本 base",
                                           "提成 commission", "奖金 bonus", "扣款 deductions",
                                           "合计 total", "得分 final", "等级 grade", "标记 flags"};
        static const bool right[] = {0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0};
        enum { NCOL = 11 };
        int w[NCOL];
        const char *cell[NCOL];
        for (int c = 0; c < NCOL; c++)
            w[c] = display_width(head[c]);
        for (int pass = 0; pass < 2; pass++) {
            if (pass == 1) {
                fprintf(f, "%s %s  run %s\n", rec->period, rec->plans, rec->id);
                for (int c = 0; c < NCOL; c++) {
                    pad(f, head[c], w[c], right[c]);
                    fputs(c < NCOL - 1 ? "  " : "\n", f);
                }
            }
            int64_t totals[5] = {0};
            for (size_t i = 0; i < rec->nrows; i++) {
                json_t *o = rows[i], *pay = json_object_get(o, "pay"),
                       *sc = json_object_get(o, "score");
                char fl[512];
                flags_text(o, fl, sizeof fl);
                static const char *const pk[] = {"base", "commission", "bonus", "deductions",
                                                 "total"};
                cell[0] = str(o, "id");
                cell[1] = str(o, "name");
                cell[2] = str(o, "unit_id");
                for (int k = 0; k < 5; k++) {
                    int64_t v = 0;
                    cell[3 + k] = str(pay, pk[k]);
                    if (jx_money_parse(cell[3 + k], strlen(cell[3 + k]), &v, NULL) == JX_OK &&
                        !jx_money_add(totals[k], v, &totals[k]))
                        totals[k] = 0;
                }
                for (int k = 3; k < 8; k++)
                    if (!pay)
                        cell[k] = "-";
                cell[8] = sc ? str(sc, "final") : "-";
                cell[9] = sc ? str(sc, "grade") : "-";
                cell[10] = fl;
                for (int c = 0; c < NCOL; c++) {
                    if (pass == 0) {
                        int dw = display_width(cell[c]);
                        if (dw > w[c])
                            w[c] = dw;
                    } else {
                        pad(f, cell[c], w[c], right[c]);
                        fputs(c < NCOL - 1 ? "  " : "\n", f);
                    }
                }
            }
            char tb[5][JX_MONEY_BUFSZ];
            const char *tcell[NCOL] = {"合计 total", "", "", jx_money_format(totals[0], tb[0]),
                                     jx_money_format(totals[1], tb[1]),
                                     jx_money_format(totals[2], tb[2]),
                                     jx_money_format(totals[3], tb[3]),
                                     jx_money_format(totals[4], tb[4]), "", "", ""};
            for (int c = 0; c < NCOL; c++) {
                if (pass == 0) {
                    int dw = display_width(tcell[c]);
                    if (dw > w[c])
                        w[c] = dw;
                } else {
                    pad(f, tcell[c], w[c], right[c]);
                    fputs(c < NCOL - 1 ? "  " : "\n", f);
                }
            }
        }
        fprintf(f, "%zu people\n", rec->nrows);
    }
out:
    for (size_t i = 0; i < rec->nrows; i++)
        json_decref(rows[i]);
    free(rows);
    return st;
}

enum jx_status jx_results_grades(const struct jx_run_record *rec, const struct jx_data *d,
                                 char *out, struct jx_err *err)
{
    struct jx_strmap ids;
    jx_strmap_init(&ids);
    memset(out, ' ', d->people.n);
    for (size_t p = 0; p < d->people.n; p++)
        if (jx_strmap_put(&ids, d->people.id[p], strlen(d->people.id[p]), (int32_t)p, NULL) < 0) {
            jx_strmap_release(&ids);
            return jx_err_set(err, JX_ENOMEM, "out of memory");
        }
    for (size_t i = 0; i < rec->nrows; i++) {
        int32_t p = jx_strmap_get(&ids, rec->rows[i].person_id, strlen(rec->rows[i].person_id));
        json_t *o = p >= 0 ? json_loads(rec->rows[i].result, 0, NULL) : NULL;
        const char *g = str(json_object_get(o, "score"), "grade");
        if (g[0] && !g[1])
            out[p] = g[0];
        json_decref(o);
    }
    jx_strmap_release(&ids);
    return JX_OK;
}

enum jx_status jx_results_apply_versions(struct jx_run_record *rec,
                                         const struct jx_result_versions *vs, int pub,
                                         struct jx_err *err)
{
    struct jx_arena *a = rec->arena;
    for (size_t i = 0; i < rec->nrows; i++) {
        const struct jx_result_version *best = NULL;
        for (size_t k = 0; k < vs->n; k++)
            if (vs->v[k].publication == pub && !strcmp(vs->v[k].person_id, rec->rows[i].person_id) &&
                !strcmp(vs->v[k].run_id, rec->id) && (!best || vs->v[k].version > best->version))
                best = &vs->v[k];
        if (!best)
            continue;
        bool no_trace = !rec->rows[i].trace[0]; /* read without traces (jx_store_get_results) */
        json_t *o = json_loads(best->result, 0, NULL),
               *t = no_trace ? json_array() : json_loads(rec->rows[i].trace, 0, NULL);
        if (!o || !t) {
            json_decref(o);
            json_decref(t);
            return jx_err_set(err, JX_ESTORE, "stored result of %s is not JSON",
                              rec->rows[i].person_id);
        }
        json_object_set_new(o, "version", json_integer(best->version));
        if (best->appeal_id)
            json_object_set_new(o, "version_reason", json_string(best->reason));
        char detail[512], value[32];
        if (best->appeal_id)
            snprintf(detail, sizeof detail, "appeal #%lld decided %s by %s: %s", best->appeal_id,
                     best->at, best->by, best->reason);
        else
            snprintf(detail, sizeof detail, "%s %s by %s", best->reason, best->at, best->by);
        snprintf(value, sizeof value, "%d", best->version);
        json_t *line = json_object();
        json_object_set_new(line, "key", json_string("published.version"));
        json_object_set_new(line, "zh", json_string("发布版本"));
        json_object_set_new(line, "en", json_string("published version"));
        json_object_set_new(line, "detail", json_string(detail));
        json_object_set_new(line, "value", json_string(value));
        json_object_set_new(line, "source", json_string("publication"));
        json_array_append_new(t, line);
        rec->rows[i].result = dump(a, o, JSON_COMPACT);
        rec->rows[i].trace = no_trace ? "" : dump(a, t, JSON_COMPACT);
        json_decref(o);
        json_decref(t);
        if (!rec->rows[i].result || !rec->rows[i].trace)
            return jx_err_set(err, JX_ENOMEM, "out of memory");
    }
    return JX_OK;
}

enum jx_status jx_results_explain(FILE *f, const struct jx_run_record *rec, struct jx_err *err)
{
    json_error_t je;
    if (rec->nrows != 1)
        return jx_err_set(err, JX_ENOTFOUND, "no result for that person in the run");
    json_t *o = json_loads(rec->rows[0].result, 0, &je);
    json_t *t = json_loads(rec->rows[0].trace, 0, &je);
    if (!o || !t) {
        json_decref(o);
        json_decref(t);
        return jx_err_set(err, JX_ESTORE, "stored result is not JSON");
    }
    fprintf(f, "%s %s  %s  run %s  (%s)\n", str(o, "id"), str(o, "name"), rec->period, rec->id,
            rec->plans);
    size_t i;
    json_t *e;
    json_array_foreach(t, i, e)
    {
        fprintf(f, "%-4zu %s / %s: %s\n", i + 1, str(e, "zh"), str(e, "en"), str(e, "value"));
        fprintf(f, "     %s\n     <- %s\n", str(e, "detail"), str(e, "source"));
    }
    json_t *pay = json_object_get(o, "pay"), *sc = json_object_get(o, "score");
    if (json_is_object(sc))
        fprintf(f, "= 得分 score: KPI %s, qualitative %s, final %s, grade %s (before calibration "
                   "%s)\n",
                str(sc, "kpi"), str(sc, "qualitative"), str(sc, "final"), str(sc, "grade"),
                str(sc, "grade_before_calibration"));
    if (json_is_object(pay))
        fprintf(f, "= 应发 total %s (base %s + commission %s + bonus %s - deductions %s)\n",
                str(pay, "total"), str(pay, "base"), str(pay, "commission"), str(pay, "bonus"),
                str(pay, "deductions"));
    json_decref(o);
    json_decref(t);
    return JX_OK;
}

enum jx_status jx_results_show_versions(struct jx_store *st, const char *period, const char *person,
                                        struct jx_run_record *rec, struct jx_err *err)
{
    struct jx_workflow wf = {0};
    struct jx_result_versions vs = {0};
    enum jx_status s = jx_store_workflow(st, period, &wf, err);
    if (!s && wf.npubs && !(s = jx_store_result_versions(st, period, person, &vs, err)))
        s = jx_results_apply_versions(rec, &vs, wf.pubs[wf.npubs - 1].number, err);
    jx_result_versions_release(&vs);
    jx_workflow_release(&wf);
    return s;
}
