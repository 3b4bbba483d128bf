/*
 * import.c - validated, all-or-nothing CSV import (see import.h).
 *
 * Two passes over the text, inside one store transaction.  The first pass
 * parses every record with libcsv, checks each cell against the kind's
 * column table (store/model.h) and each row against the rest of the file and
 * the database, and collects errors; of a row it keeps only what later rows
 * are checked against (keys, contract-level values).  Only when the first
 * pass found nothing wrong does the second pass parse the text again and hand
 * each row to the store.  The transaction is opened before the first pass,
 * so what was checked is what is written.  Parsing twice costs a fraction of
 * the inserts and far less memory than holding a million parsed rows.
 *
 * Line numbers are physical: the text is fed to libcsv one physical line at
 * a time, so the line on which a record starts is known even when a quoted
 * field holds newlines.
 */
#include "io/import.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/dec.h"
#include "core/money.h"
#include "core/utf8.h"

#define MAX_COLS 32          /* more than any kind has */
#define MAX_ID 64            /* bytes in an id */
#define MAX_TEXT 1000        /* bytes in a text cell */
#define MAX_SPLIT 64         /* people in one split */
#define SHOW 40              /* bytes of a cell quoted in a message */
#define POOL_CHUNK (1u << 20)
#define PROGRESS_BYTES (8u << 20)
#define PROGRESS_LINES 200000
#define YEARS (2999 - 1900 + 1)
#define NO_COLUMN (-1)       /* a header field that names no column (reported) */
#define UNNAMED (-2)         /* an empty header field: its cells must be empty */

/* Singular nouns of the kinds that can be referred to, for messages. */
static const char *const nouns[JX_KIND_COUNT] = {
    [JX_KIND_UNITS] = "unit",
    [JX_KIND_PEOPLE] = "person",
    [JX_KIND_CUSTOMERS] = "customer",
    [JX_KIND_CONTRACTS] = "contract",
};

/*
 * The column whose date or period places a row in a pay period; rows of a
 * locked period are refused.  Master data (units, people, customers) has none.
 */
static const char *const period_columns[JX_KIND_COUNT] = {
    [JX_KIND_CONTRACTS] = "signed_date", [JX_KIND_PAYMENTS] = "date",
    [JX_KIND_RETURNS] = "date",          [JX_KIND_TARGETS] = "period",
    [JX_KIND_ATTENDANCE] = "date",       [JX_KIND_RATINGS] = "period",
    [JX_KIND_VIOLATIONS] = "date",       [JX_KIND_COMPLAINTS] = "opened_at",
    [JX_KIND_EVENTS] = "date",           [JX_KIND_COSTS] = "date",
    [JX_KIND_REPORTS] = "submitted_at",  [JX_KIND_CONTACTS] = "at",
};

/*
 * Value ranges beyond what the type itself says.  Every amount, number and
 * percentage is at least 0 unless a row here says more; min_open means the
 * value must be strictly more than min.
 */
struct limit {
    enum jx_kind kind;
    const char *column;
    int64_t min;
    bool min_open;
    bool has_max;
    int64_t max;
    const char *hint; /* appended to the message, or NULL */
};

static const struct limit limits[] = {
    {JX_KIND_CONTRACTS, "quantity", 0, true, false, 0, NULL},
    {JX_KIND_CONTRACTS, "retention_rate", 0, false, true, JX_DEC_SCALE, NULL},
    {JX_KIND_CONTRACTS, "excess_rate", 0, false, true, JX_DEC_SCALE, NULL},
    {JX_KIND_PAYMENTS, "amount", 0, true, false, 0,
     "a refund is a row of kind refund with a positive amount"},
    {JX_KIND_RETURNS, "amount", 0, true, false, 0, NULL},
    {JX_KIND_TARGETS, "value", 0, true, false, 0, "targets must be more than 0"},
    {JX_KIND_ATTENDANCE, "minutes", 0, false, true, 1440, NULL},
    {JX_KIND_VIOLATIONS, "points", 0, false, true, 100 * JX_DEC_SCALE,
     "deduction points are written as a positive number"},
    {JX_KIND_COMPLAINTS, "csat", 1, false, true, 5, NULL},
};

static const struct limit no_limit = {JX_KIND_NONE, NULL, 0, false, false, 0, NULL};

/* Strings that live as long as the import: chunks handed out byte by byte. */
struct pool_chunk {
    struct pool_chunk *next;
    size_t size, used;
    char data[];
};

/* A growable byte buffer; p is never NULL once buf_reserve() succeeded. */
struct buf {
    char *p;
    size_t len, cap;
};

/* The rows of one contract seen so far: where, and their contract-level values. */
struct group {
    long line;
    const char *sig; /* encoded contract-level values (see signature()) */
    size_t siglen;
};

/* A reference to a row of the same kind not yet seen: checked at the end. */
struct pending {
    const char *id;
    size_t len;
    long line;
    int col;
};

/* A slot of a hash table: key bytes (in the pool), their hash, and a value. */
struct hslot {
    const char *key; /* NULL: empty */
    uint64_t hash;
    uint32_t len;
    int32_t val;
};

/* Open addressing, linear probing, at most half full. */
struct htab {
    struct hslot *slots;
    size_t cap, n; /* cap is a power of two, or 0 */
};

/* One field of the record being read: where its bytes are in imp.rec. */
struct field {
    size_t off, len;
};

/* One person's part of a split. */
struct part {
    const char *id;
    size_t len;
    int64_t share;
};

enum pass { PASS_CHECK, PASS_WRITE };

struct imp {
    struct jx_store *st;
    enum jx_kind kind;
    const struct jx_kind_def *def;
    const char *name;
    const char *who;
    struct jx_import_report *rep;
    enum pass pass;
    enum jx_status fatal; /* storage or memory failure: stop at once */

    /* The record being read: field bytes back to back. */
    struct buf rec;
    struct field *f;
    size_t nf, fcap;
    long line;      /* physical line being fed */
    long rec_line;  /* physical line where the current record starts */
    bool at_start;  /* no field of a record seen since the last record ended */
    bool in_quotes; /* inside a quoted field at the start of the line */

    /* Header. */
    bool header_seen, header_bad;
    long header_line;
    size_t nhdr;
    int *col_of;               /* per header field: column, NO_COLUMN or UNNAMED */
    int field_of[MAX_COLS];    /* per column: header field index, or -1 */
    const char *hname[MAX_COLS]; /* per column: its name as written in the header */
    const struct limit *lim[MAX_COLS];

    /* The row being checked or written. */
    struct jx_value v[MAX_COLS];
    bool bad[MAX_COLS];
    char canon[MAX_COLS][JX_TIME_BUFSZ];
    struct buf split, key, sig;
    struct part parts[MAX_SPLIT];
    size_t nparts;

    /* Columns the row checks need (-1 when the kind has none). */
    int c_period, c_item, c_score, c_opened, c_signed, c_accept, c_stage, c_split;
    int c_subject, c_rater, c_rater_role;

    /* What the checks remember. */
    struct pool_chunk *pool;
    struct htab keys;       /* key -> first line; contracts: contract_id -> group */
    struct group *groups;
    size_t ngroups, gcap;
    struct htab known[JX_KIND_COUNT]; /* id -> 1 in the database, 0 not */
    struct pending *pend;
    size_t npend, pcap;
    uint8_t month_state[YEARS * 12]; /* 0 unknown, 1 open, 2 locked */
    struct htab periods;             /* period text -> 0 open, 1 locked */

    long rows;    /* data rows read in this pass */

    /* Progress. */
    FILE *progress;
    bool tty, big;
    size_t total;
    int next_pct;
};

/* ---------------------------------------------------------------- memory */

/* Copy s[0..len) into the import's pool (not NUL-terminated); NULL when out of memory. */
static const char *pool_dup(struct imp *im, const char *s, size_t len)
{
    struct pool_chunk *c = im->pool;
    if (!c || c->size - c->used < len) {
        size_t size = len > POOL_CHUNK ? len : POOL_CHUNK;
        c = jx_malloc(sizeof *c + size);
        if (!c)
            return NULL;
        c->size = size;
        c->used = 0;
        c->next = im->pool;
        im->pool = c;
    }
    char *p = c->data + c->used;
    if (len)
        memcpy(p, s, len);
    c->used += len;
    return p;
}

/* Free every chunk of the pool. */
static void pool_free(struct imp *im)
{
    while (im->pool) {
        struct pool_chunk *next = im->pool->next;
        free(im->pool);
        im->pool = next;
    }
}

/* Make room for extra more bytes in b; false when out of memory. */
static bool buf_reserve(struct buf *b, size_t extra)
{
    if (b->p && b->cap - b->len >= extra)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < extra) {
        if (cap > SIZE_MAX / 2)
            return false;
        cap *= 2;
    }
    char *p = jx_realloc(b->p, cap);
    if (!p)
        return false;
    b->p = p;
    b->cap = cap;
    return true;
}

/* Append s[0..len) to b; false when out of memory. */
static bool buf_add(struct buf *b, const char *s, size_t len)
{
    if (!buf_reserve(b, len))
        return false;
    if (len)
        memcpy(b->p + b->len, s, len);
    b->len += len;
    return true;
}

/* Grow an array *p of *cap elements of size so that n+1 fit; false when out of memory. */
static bool grow(void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return true;
    size_t ncap = *cap ? *cap * 2 : 64;
    if (ncap > SIZE_MAX / size)
        return false;
    void *q = jx_realloc(*p, ncap * size);
    if (!q)
        return false;
    *p = q;
    *cap = ncap;
    return true;
}

/* 64-bit hash of s[0..len): eight bytes at a time, then splitmix64's finalizer. */
static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = UINT64_C(0x9e3779b97f4a7c15) ^ len, k;
    for (; len >= 8; s += 8, len -= 8) {
        memcpy(&k, s, 8);
        h = (h ^ k) * UINT64_C(0xff51afd7ed558ccd);
        h ^= h >> 32;
    }
    k = 0;
    if (len)
        memcpy(&k, s, len);
    h = (h ^ k) * UINT64_C(0xc4ceb9fe1a85ec53);
    h ^= h >> 30;
    h *= UINT64_C(0xbf58476d1ce4e5b9);
    h ^= h >> 27;
    h *= UINT64_C(0x94d049bb133111eb);
    return h ^ (h >> 31);
}

/* The slot of key: the one that holds it, or the empty one where it would go. */
static struct hslot *ht_slot(const struct htab *t, const char *key, size_t len, uint64_t h)
{
    size_t mask = t->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        struct hslot *s = &t->slots[i];
        if (!s->key || (s->hash == h && s->len == len && !memcmp(s->key, key, len)))
            return s;
    }
}

/* Make room for one more key; false when out of memory. */
static bool ht_reserve(struct htab *t)
{
    if ((t->n + 1) * 2 <= t->cap)
        return true;
    size_t cap = t->cap ? t->cap * 2 : 256, oldcap = t->cap;
    struct hslot *old = t->slots, *slots;
    if (cap > SIZE_MAX / 2 / sizeof *slots || !(slots = jx_calloc(cap, sizeof *slots)))
        return false;
    t->slots = slots;
    t->cap = cap;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].key)
            *ht_slot(t, old[i].key, old[i].len, old[i].hash) = old[i];
    free(old);
    return true;
}

/* The value of key, or -1 when absent. */
static int32_t ht_get(const struct htab *t, const char *key, size_t len)
{
    if (!t->cap)
        return -1;
    const struct hslot *s = ht_slot(t, key, len, hash_bytes(key, len));
    return s->key ? s->val : -1;
}

/*
 * Find key in t; when it is absent, add it (a copy in the pool) with value
 * val.  Returns its slot, whose val is the earlier value when *added is
 * false; NULL when out of memory.
 */
static struct hslot *ht_upsert(struct imp *im, struct htab *t, const char *key, size_t len,
                               int32_t val, bool *added)
{
    if (len > UINT32_MAX || !ht_reserve(t))
        return NULL;
    uint64_t h = hash_bytes(key, len);
    struct hslot *s = ht_slot(t, key, len, h);
    *added = !s->key;
    if (*added) {
        const char *copy = pool_dup(im, key, len);
        if (!copy)
            return NULL;
        *s = (struct hslot){copy, h, (uint32_t)len, val};
        t->n++;
    }
    return s;
}

/* Free a table (the keys belong to the pool). */
static void ht_free(struct htab *t)
{
    free(t->slots);
    memset(t, 0, sizeof *t);
}

/* Record a failure that stops the import (storage, memory) unless one is recorded. */
static void set_fatal(struct imp *im, enum jx_status s, const struct jx_err *e)
{
    if (im->fatal)
        return;
    im->fatal = s;
    struct jx_import_report *r = im->rep;
    r->nerrors = 1;
    r->more_errors = 0;
    jx_err_clear(&r->errs[0]);
    if (e)
        r->errs[0] = *e;
    else
        jx_err_set(&r->errs[0], s, "out of memory");
    if (!r->errs[0].file[0])
        jx_err_at(&r->errs[0], im->name, 0, NULL);
}

/* Out of memory: stop. */
static void oom(struct imp *im)
{
    set_fatal(im, JX_ENOMEM, NULL);
}

/* ---------------------------------------------------------------- errors */

/* Record an error of the file at line, column field (may be NULL or ""). */
__attribute__((format(printf, 4, 5))) static void add_err(struct imp *im, long line,
                                                          const char *field, const char *fmt,
                                                          ...)
{
    struct jx_import_report *r = im->rep;
    if (im->fatal)
        return;
    if (r->nerrors >= JX_IMPORT_MAX_ERRORS) {
        r->more_errors++;
        return;
    }
    struct jx_err *e = &r->errs[r->nerrors++];
    va_list ap;
    jx_err_clear(e);
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    jx_err_at(e, im->name, line, field);
}

/* Record the error a parser left in src, at line and column field. */
static void add_parse_err(struct imp *im, long line, const char *field, const struct jx_err *src)
{
    add_err(im, line, field, "%s", src->msg);
}

/* Put the errors in line order (stable: few errors, insertion sort). */
static void sort_errors(struct jx_import_report *r)
{
    for (int i = 1; i < r->nerrors; i++) {
        struct jx_err e = r->errs[i];
        int j = i;
        for (; j > 0 && r->errs[j - 1].line > e.line; j--)
            r->errs[j] = r->errs[j - 1];
        r->errs[j] = e;
    }
}

/* How many bytes of s[0..len) to quote in a message: at most SHOW, not cutting a character. */
static int show_len(const char *s, size_t len)
{
    if (len <= SHOW)
        return (int)len;
    size_t n = SHOW;
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;
    return (int)n;
}

/* "..." when s[0..len) is longer than what show_len() quotes. */
static const char *show_more(size_t len)
{
    return len > SHOW ? "..." : "";
}

/* ---------------------------------------------------------------- cells */

/* Check an id: 1-64 bytes of UTF-8, no spaces (ASCII or wide), commas or control characters. */
static enum jx_status check_id(const char *s, size_t len, struct jx_err *e)
{
    const unsigned char *u = (const unsigned char *)s;
    if (len > MAX_ID)
        return jx_err_set(e, JX_EINPUT, "\"%.*s...\" is too long for an id (%zu bytes, at most %d)",
                          show_len(s, len), s, len, MAX_ID);
    for (size_t i = 0; i < len;) {
        size_t n = u[i] < 0x80 ? 1 : jx_utf8_char(u + i, len - i);
        if (!n)
            return jx_err_set(e, JX_EINPUT, "\"%.*s\" is not valid UTF-8", show_len(s, len), s);
        if (u[i] <= 0x20 || u[i] == 0x7f || u[i] == ',' ||
            (n == 2 && u[i] == 0xc2 && u[i + 1] == 0xa0) ||
            (n == 3 && ((u[i] == 0xe3 && u[i + 1] == 0x80 && u[i + 2] == 0x80) ||
                        (u[i] == 0xef && u[i + 1] == 0xbb && u[i + 2] == 0xbf))))
            return jx_err_set(e, JX_EINPUT,
                              "\"%.*s\" is not an id (no spaces, commas or control characters)",
                              show_len(s, len), s);
        i += n;
    }
    return JX_OK;
}

/* Check free text: valid UTF-8, at most MAX_TEXT bytes, no control characters but tab/newline. */
static enum jx_status check_text(const char *s, size_t len, struct jx_err *e)
{
    if (len > MAX_TEXT)
        return jx_err_set(e, JX_EINPUT, "text is too long (%zu bytes, at most %d)", len, MAX_TEXT);
    if (!jx_utf8_valid(s, len))
        return jx_err_set(e, JX_EINPUT, "\"%.*s%s\" is not valid UTF-8 (save the file as UTF-8)",
                          show_len(s, len), s, show_more(len));
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
            return jx_err_set(e, JX_EINPUT, "text contains a control character (byte 0x%02x)", c);
    }
    return JX_OK;
}

/*
 * Turn each CRLF of a text cell (held in the record buffer, so writable) into
 * LF, whatever program saved the file; returns the new length.
 */
static size_t crlf_to_lf(char *s, size_t len)
{
    char *cr = memchr(s, '\r', len);
    if (!cr)
        return len;
    size_t w = (size_t)(cr - s);
    for (size_t r = w; r < len; r++)
        if (!(s[r] == '\r' && r + 1 < len && s[r + 1] == '\n'))
            s[w++] = s[r];
    return w;
}

/* Match s against an enumeration (ASCII case ignored); the canonical value, or NULL. */
static const char *match_enum(const char *const *values, const char *s, size_t len)
{
    for (const char *const *p = values; *p; p++)
        if (strlen(*p) == len && !strncasecmp(*p, s, len))
            return *p;
    return NULL;
}

/* The error for a value that is none of an enumeration's values. */
static enum jx_status bad_enum(const char *const *values, const char *s, size_t len,
                               struct jx_err *e)
{
    char list[256];
    size_t n = 0;
    list[0] = '\0';
    for (const char *const *p = values; *p && n < sizeof list; p++) {
        int w = snprintf(list + n, sizeof list - n, "%s%s", p == values ? "" : ", ", *p);
        if (w < 0)
            break;
        n += (size_t)w;
    }
    return jx_err_set(e, JX_EINPUT, "\"%.*s%s\" is not one of: %s", show_len(s, len), s,
                      show_more(len), list);
}

/* Parse a whole number >= 0 of at most nine digits. */
static enum jx_status parse_int(const char *s, size_t len, int64_t *out, struct jx_err *e)
{
    int64_t v = 0;
    if (len == 0 || len > 9)
        goto bad;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            goto bad;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return JX_OK;
bad:
    return jx_err_set(e, JX_EINPUT, "\"%.*s%s\" is not a whole number", show_len(s, len), s,
                      show_more(len));
}

/* Format v of a numeric column type for a message into buf (JX_DEC_BUFSZ). */
static const char *format_number(enum jx_type t, int64_t v, char *buf)
{
    switch (t) {
    case JX_T_MONEY:
        return jx_money_format(v, buf);
    case JX_T_PERCENT: {
        char tmp[JX_DEC_BUFSZ];
        snprintf(buf, JX_DEC_BUFSZ, "%s%%", jx_dec_format_exact(v * 100, tmp));
        return buf;
    }
    case JX_T_DEC:
        return jx_dec_format_exact(v, buf);
    default:
        snprintf(buf, JX_DEC_BUFSZ, "%lld", (long long)v);
        return buf;
    }
}

/* Check a parsed number against its column's limits. */
static enum jx_status check_limit(const struct jx_column *col, const struct limit *l,
                                  const char *s, size_t len, int64_t v, struct jx_err *e)
{
    char lo[JX_DEC_BUFSZ], hi[JX_DEC_BUFSZ];
    const char *hint = l->hint ? l->hint : "";
    const char *open = l->hint ? " (" : "", *close = l->hint ? ")" : "";
    if (l->has_max && (v < l->min || v > l->max))
        return jx_err_set(e, JX_EINPUT, "\"%.*s\" is out of range (%s to %s)%s%s%s",
                          show_len(s, len), s, format_number(col->type, l->min, lo),
                          format_number(col->type, l->max, hi), open, hint, close);
    if (l->min_open && v <= l->min && l->min == 0)
        return jx_err_set(e, JX_EINPUT, "\"%.*s\" is not positive%s%s%s", show_len(s, len), s,
                          open, hint, close);
    if (l->min_open && v <= l->min)
        return jx_err_set(e, JX_EINPUT, "\"%.*s\" is not more than %s%s%s%s", show_len(s, len), s,
                          format_number(col->type, l->min, lo), open, hint, close);
    if (v < l->min)
        return jx_err_set(e, JX_EINPUT, "\"%.*s\" is %s%s%s%s", show_len(s, len), s,
                          l->min == 0 ? "negative" : "too small", open, hint, close);
    return JX_OK;
}

/* Order parts of a split by person id (bytes, then length). */
static int part_cmp(const void *a, const void *b)
{
    const struct part *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->id, y->id, n);
    if (c)
        return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

/* s[0..*len) without ASCII spaces and tabs at either end. */
static const char *trim(const char *s, size_t *len)
{
    while (*len && (s[0] == ' ' || s[0] == '\t'))
        s++, (*len)--;
    while (*len && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
        (*len)--;
    return s;
}

/*
 * Parse a split "P1:60;P2:40" into im->parts and its canonical text into
 * im->split: parts ordered by person id, shares as exact percentages
 * ("P1:60;P2:40"), so that equal splits have equal text.  Shares must be
 * more than 0, people distinct, and the shares must add up to exactly 100%.
 */
static enum jx_status parse_split(struct imp *im, const char *s, size_t len,
                                  struct jx_value *v, struct jx_err *e)
{
    const char *p = s, *end = s + len;
    int64_t sum = 0;
    enum jx_status st;

    im->nparts = 0;
    while (p < end) {
        const char *semi = memchr(p, ';', (size_t)(end - p));
        const char *pend = semi ? semi : end;
        size_t plen = (size_t)(pend - p);
        const char *part = trim(p, &plen);
        p = semi ? semi + 1 : end;
        if (!plen) {
            if (!semi && im->nparts)
                break; /* a trailing ';' */
            return jx_err_set(e, JX_EINPUT, "split \"%.*s%s\" has an empty part",
                              show_len(s, len), s, show_more(len));
        }
        const char *colon = memchr(part, ':', plen);
        if (!colon)
            return jx_err_set(e, JX_EINPUT,
                              "\"%.*s\" is not a share (expected PERSON:PERCENT, like "
                              "P1:60;P2:40)",
                              show_len(part, plen), part);
        size_t idlen = (size_t)(colon - part), shlen = plen - idlen - 1;
        const char *id = trim(part, &idlen), *sh = trim(colon + 1, &shlen);
        struct part *pt = &im->parts[im->nparts];
        if (im->nparts == MAX_SPLIT)
            return jx_err_set(e, JX_EINPUT, "a split has more than %d people", MAX_SPLIT);
        if (!idlen)
            return jx_err_set(e, JX_EINPUT, "\"%.*s\" has no person before ':'",
                              show_len(part, plen), part);
        if ((st = check_id(id, idlen, e)))
            return st;
        if ((st = jx_dec_parse_percent(sh, shlen, &pt->share, e)))
            return st;
        if (pt->share <= 0)
            return jx_err_set(e, JX_EINPUT, "the share of %.*s is not more than 0", (int)idlen,
                              id);
        if (pt->share > JX_DEC_SCALE)
            return jx_err_set(e, JX_EINPUT, "the share of %.*s is more than 100%%", (int)idlen,
                              id);
        for (size_t i = 0; i < im->nparts; i++)
            if (im->parts[i].len == idlen && !memcmp(im->parts[i].id, id, idlen))
                return jx_err_set(e, JX_EINPUT, "%.*s appears twice in the split", (int)idlen,
                                  id);
        pt->id = id;
        pt->len = idlen;
        sum += pt->share;
        im->nparts++;
    }
    if (sum != JX_DEC_SCALE) {
        char b[JX_DEC_BUFSZ];
        return jx_err_set(e, JX_EINPUT, "the shares of \"%.*s%s\" add up to %s, not 100%%",
                          show_len(s, len), s, show_more(len),
                          format_number(JX_T_PERCENT, sum, b));
    }
    qsort(im->parts, im->nparts, sizeof im->parts[0], part_cmp);
    im->split.len = 0;
    for (size_t i = 0; i < im->nparts; i++) {
        char b[JX_DEC_BUFSZ];
        jx_dec_format_exact(im->parts[i].share * 100, b);
        if ((i && !buf_add(&im->split, ";", 1)) ||
            !buf_add(&im->split, im->parts[i].id, im->parts[i].len) ||
            !buf_add(&im->split, ":", 1) || !buf_add(&im->split, b, strlen(b)))
            return jx_err_set(e, JX_ENOMEM, "out of memory");
    }
    v->s = im->split.p;
    v->len = im->split.len;
    return JX_OK;
}

/*
 * Parse the cell s[0..len) of column c into im->v[c].  Text-like values point
 * into the record (or, when canonicalized, into im->canon[c] / im->split);
 * numbers, dates (days) and times (minutes) are in v->i.
 */
static enum jx_status parse_cell(struct imp *im, int c, const char *s, size_t len,
                                 struct jx_err *e)
{
    const struct jx_column *col = &im->def->columns[c];
    struct jx_value *v = &im->v[c];
    enum jx_status st = JX_OK;

    *v = (struct jx_value){.null = true};
    if (len == 0)
        return col->required ? jx_err_set(e, JX_EINPUT, "a value is required") : JX_OK;
    v->null = false;
    v->s = s;
    v->len = len;
    switch (col->type) {
    case JX_T_ID:
        return check_id(s, len, e);
    case JX_T_TEXT:
        if ((st = check_text(s, len, e)))
            return st;
        v->len = crlf_to_lf(im->rec.p + (s - im->rec.p), len);
        return JX_OK;
    case JX_T_ENUM: {
        const char *m = match_enum(col->values, s, len);
        if (!m)
            return bad_enum(col->values, s, len, e);
        v->s = m;
        v->len = strlen(m);
        return JX_OK;
    }
    case JX_T_MONEY:
        st = jx_money_parse(s, len, &v->i, e);
        break;
    case JX_T_DEC:
        st = jx_dec_parse(s, len, &v->i, e);
        break;
    case JX_T_PERCENT:
        st = jx_dec_parse_percent(s, len, &v->i, e);
        break;
    case JX_T_INT:
        st = parse_int(s, len, &v->i, e);
        break;
    case JX_T_BOOL:
        if (len != 1 || (s[0] != '0' && s[0] != '1'))
            return jx_err_set(e, JX_EINPUT, "\"%.*s%s\" is not 0 or 1", show_len(s, len), s,
                              show_more(len));
        v->i = s[0] - '0';
        return JX_OK;
    case JX_T_DATE: {
        int32_t d;
        if ((st = jx_date_parse(s, len, &d, e)))
            return st;
        v->i = d;
        return JX_OK;
    }
    case JX_T_TIME:
        if ((st = jx_time_parse(s, len, &v->i, e)))
            return st;
        v->s = jx_time_format(v->i, im->canon[c]);
        v->len = strlen(v->s);
        return JX_OK;
    case JX_T_PERIOD: {
        struct jx_period p;
        if ((st = jx_period_parse(s, len, &p, e)))
            return st;
        v->s = jx_period_format(&p, im->canon[c]);
        v->len = strlen(v->s);
        return JX_OK;
    }
    case JX_T_SPLIT:
        return parse_split(im, s, len, v, e);
    }
    if (st)
        return st == JX_ERANGE ? JX_EINPUT : st;
    return check_limit(col, im->lim[c], s, len, v->i, e);
}

/* ---------------------------------------------------------------- lookups */

/* *out = whether a row of kind with this id is in the database (cached). */
static bool in_db(struct imp *im, enum jx_kind kind, const char *id, size_t len, bool *out)
{
    struct htab *t = &im->known[kind];
    int32_t k = ht_get(t, id, len);
    if (k >= 0) {
        *out = k;
        return true;
    }
    struct jx_err e;
    bool exists = false;
    enum jx_status st;
    jx_err_clear(&e);
    if ((st = jx_store_exists(im->st, kind, id, len, &exists, &e))) {
        set_fatal(im, st, &e);
        return false;
    }
    bool added;
    if (!ht_upsert(im, t, id, len, exists, &added)) {
        oom(im);
        return false;
    }
    *out = exists;
    return true;
}

/* *locked = whether the period (canonical text) is locked (cached). */
static bool period_locked(struct imp *im, const char *text, size_t len, bool *locked)
{
    int32_t k = ht_get(&im->periods, text, len);
    if (k >= 0) {
        *locked = k;
        return true;
    }
    char z[JX_PERIOD_BUFSZ];
    struct jx_err e;
    enum jx_status st;
    snprintf(z, sizeof z, "%.*s", (int)len, text);
    jx_err_clear(&e);
    if ((st = jx_store_period_locked(im->st, z, locked, &e))) {
        set_fatal(im, st, &e);
        return false;
    }
    bool added;
    if (!ht_upsert(im, &im->periods, text, len, *locked, &added)) {
        oom(im);
        return false;
    }
    return true;
}

/* *locked = whether the month of date is locked (cached per month). */
static bool month_locked(struct imp *im, int32_t date, bool *locked)
{
    int y, m, d;
    char period[JX_PERIOD_BUFSZ];
    jx_date_to_ymd(date, &y, &m, &d);
    if (y < 1900 || y > 2999) { /* jx_date_parse() refuses these; be safe anyway */
        snprintf(period, sizeof period, "%04d-%02d", y, m);
        return period_locked(im, period, strlen(period), locked);
    }
    size_t i = (size_t)(y - 1900) * 12 + (size_t)(m - 1);
    if (!im->month_state[i]) {
        snprintf(period, sizeof period, "%04d-%02d", y, m);
        if (!period_locked(im, period, strlen(period), locked))
            return false;
        im->month_state[i] = *locked ? 2 : 1;
    }
    *locked = im->month_state[i] == 2;
    return true;
}

/* ---------------------------------------------------------------- row checks */

/* True when column c is in the file, parsed and not empty in this row. */
static bool have(const struct imp *im, int c)
{
    return c >= 0 && im->field_of[c] >= 0 && !im->bad[c] && !im->v[c].null;
}

/* The header name of column c (or its model name when the file lacks it). */
static const char *hdr(const struct imp *im, int c)
{
    return im->hname[c] ? im->hname[c] : im->def->columns[c].name;
}

/* Check that the id in column c names an existing row of kind ref. */
static void check_ref(struct imp *im, long line, int c, enum jx_kind ref)
{
    const struct jx_value *v = &im->v[c];
    bool ok;
    if (ref == im->kind) {
        /* A row of the same file: earlier, or (checked at the end) later. */
        if (ht_get(&im->keys, v->s, v->len) >= 0)
            return;
        if (!in_db(im, ref, v->s, v->len, &ok) || ok)
            return;
        if (!grow((void **)&im->pend, &im->pcap, im->npend, sizeof *im->pend)) {
            oom(im);
            return;
        }
        const char *id = pool_dup(im, v->s, v->len);
        if (!id) {
            oom(im);
            return;
        }
        im->pend[im->npend++] = (struct pending){id, v->len, line, c};
        return;
    }
    if (in_db(im, ref, v->s, v->len, &ok) && !ok)
        add_err(im, line, hdr(im, c), "no %s \"%.*s\" in the database", nouns[ref],
                (int)v->len, v->s);
}

/* Check that id names a row of one of kinds[0..n) in the database. */
static void check_any(struct imp *im, long line, int c, const enum jx_kind *kinds, size_t n,
                      const char *what)
{
    const struct jx_value *v = &im->v[c];
    for (size_t i = 0; i < n; i++) {
        bool ok;
        if (!in_db(im, kinds[i], v->s, v->len, &ok) || ok)
            return;
    }
    add_err(im, line, hdr(im, c), "no %s \"%.*s\" in the database", what, (int)v->len, v->s);
}

/* The references of a row: column refs, split people, subjects and raters. */
static void check_refs(struct imp *im, long line)
{
    const struct jx_kind_def *k = im->def;
    for (size_t c = 0; c < k->ncolumns; c++) {
        if (k->columns[c].ref == JX_KIND_NONE || !have(im, (int)c))
            continue;
        if (k->columns[c].ref == im->kind && (int)c != k->key[0] && k->key[1] < 0 &&
            im->v[c].len == im->v[k->key[0]].len && have(im, k->key[0]) &&
            !memcmp(im->v[c].s, im->v[k->key[0]].s, im->v[c].len)) {
            add_err(im, line, hdr(im, (int)c), "\"%.*s\" refers to the row itself",
                    (int)im->v[c].len, im->v[c].s);
            continue;
        }
        check_ref(im, line, (int)c, k->columns[c].ref);
    }
    if (have(im, im->c_split)) {
        for (size_t i = 0; i < im->nparts; i++) {
            bool ok;
            if (in_db(im, JX_KIND_PEOPLE, im->parts[i].id, im->parts[i].len, &ok) && !ok)
                add_err(im, line, hdr(im, im->c_split), "no person \"%.*s\" in the database",
                        (int)im->parts[i].len, im->parts[i].id);
        }
    }
    if (have(im, im->c_subject)) {
        /* people, teams (units) and agent companies (customers) have targets and ratings */
        static const enum jx_kind subjects[] = {JX_KIND_PEOPLE, JX_KIND_UNITS, JX_KIND_CUSTOMERS};
        check_any(im, line, im->c_subject, subjects, 3, "person, unit or customer");
    }
    if (have(im, im->c_rater) && have(im, im->c_rater_role)) {
        bool customer = !strcmp(im->v[im->c_rater_role].s, "customer");
        enum jx_kind rk = customer ? JX_KIND_CUSTOMERS : JX_KIND_PEOPLE;
        check_any(im, line, im->c_rater, &rk, 1, nouns[rk]);
    }
}

/* Value checks that involve more than one cell of the row. */
static void check_values(struct imp *im, long line)
{
    if (have(im, im->c_score) && have(im, im->c_item)) {
        bool composite = im->v[im->c_item].len == 9 &&
                         !memcmp(im->v[im->c_item].s, "composite", 9);
        int64_t max = (composite ? 13 : 100) * JX_DEC_SCALE;
        int64_t sc = im->v[im->c_score].i;
        if (sc < 0 || sc > max) {
            char b[JX_DEC_BUFSZ];
            add_err(im, line, hdr(im, im->c_score), "%s is out of range (0 to %s for %s)",
                    jx_dec_format_exact(sc, b), composite ? "13" : "100",
                    composite ? "the composite score" : "a rating");
        }
    }
    if (have(im, im->c_opened)) {
        static const char *const later[] = {"responded_at", "resolved_at", "followed_up_at",
                                            "reopened_at", "closed_at"};
        for (size_t i = 0; i < 5; i++) {
            int c = jx_kind_column(im->kind, later[i], strlen(later[i]));
            if (have(im, c) && im->v[c].i < im->v[im->c_opened].i)
                add_err(im, line, hdr(im, c), "%.*s is before %s %.*s", (int)im->v[c].len,
                        im->v[c].s, hdr(im, im->c_opened), (int)im->v[im->c_opened].len,
                        im->v[im->c_opened].s);
        }
    }
    if (im->kind == JX_KIND_COMPLAINTS) {
        /* closed after the (last) resolution, and after a reopening */
        int res = jx_kind_column(im->kind, "resolved_at", 11),
            reo = jx_kind_column(im->kind, "reopened_at", 11),
            clo = jx_kind_column(im->kind, "closed_at", 9);
        if (have(im, clo) && !have(im, res))
            add_err(im, line, hdr(im, clo), "a ticket is closed only once resolved: give %s",
                    hdr(im, res));
        else if (have(im, clo) && im->v[clo].i < im->v[res].i)
            add_err(im, line, hdr(im, clo), "%.*s is before %s %.*s", (int)im->v[clo].len,
                    im->v[clo].s, hdr(im, res), (int)im->v[res].len, im->v[res].s);
        else if (have(im, clo) && have(im, reo) && im->v[clo].i < im->v[reo].i)
            add_err(im, line, hdr(im, clo), "%.*s is before %s %.*s (a reopened ticket is "
                    "closed again later, or not yet)", (int)im->v[clo].len, im->v[clo].s,
                    hdr(im, reo), (int)im->v[reo].len, im->v[reo].s);
    }
    if (im->kind == JX_KIND_CONTACTS) {
        int done = jx_kind_column(im->kind, "fields_complete", 15),
            req = jx_kind_column(im->kind, "fields_required", 15),
            at = jx_kind_column(im->kind, "at", 2), due = jx_kind_column(im->kind, "follow_up_due", 13),
            fin = jx_kind_column(im->kind, "follow_up_done_at", 17);
        if (have(im, done) && have(im, req) && im->v[done].i > im->v[req].i)
            add_err(im, line, hdr(im, done), "%lld is more than %s %lld", (long long)im->v[done].i,
                    hdr(im, req), (long long)im->v[req].i);
        if (have(im, req) && im->v[req].i == 0)
            add_err(im, line, hdr(im, req), "must be at least 1");
        if (have(im, at) && have(im, due) && im->v[due].i < im->v[at].i)
            add_err(im, line, hdr(im, due), "%.*s is before %s %.*s", (int)im->v[due].len,
                    im->v[due].s, hdr(im, at), (int)im->v[at].len, im->v[at].s);
        if (have(im, at) && have(im, fin) && im->v[fin].i < im->v[at].i)
            add_err(im, line, hdr(im, fin), "%.*s is before %s %.*s", (int)im->v[fin].len,
                    im->v[fin].s, hdr(im, at), (int)im->v[at].len, im->v[at].s);
    }
    if (have(im, im->c_accept) && have(im, im->c_signed) &&
        im->v[im->c_accept].i < im->v[im->c_signed].i)
        add_err(im, line, hdr(im, im->c_accept), "%.*s is before %s %.*s",
                (int)im->v[im->c_accept].len, im->v[im->c_accept].s, hdr(im, im->c_signed),
                (int)im->v[im->c_signed].len, im->v[im->c_signed].s);
}

/* Refuse a row whose date or period falls in a locked period. */
static void check_locked(struct imp *im, long line)
{
    int c = im->c_period;
    char period[JX_PERIOD_BUFSZ];
    bool locked = false;
    int32_t date;
    if (!have(im, c))
        return;
    switch (im->def->columns[c].type) {
    case JX_T_DATE:
    case JX_T_TIME:
        date = im->def->columns[c].type == JX_T_DATE ? (int32_t)im->v[c].i
                                                     : jx_time_date(im->v[c].i);
        if (!month_locked(im, date, &locked) || !locked)
            return;
        struct jx_period month = jx_period_month_of(date);
        jx_period_format(&month, period);
        add_err(im, line, hdr(im, c),
                "%.*s is in the locked period %s (corrections go into an open period)",
                (int)im->v[c].len, im->v[c].s, period);
        return;
    case JX_T_PERIOD:
        if (period_locked(im, im->v[c].s, im->v[c].len, &locked) && locked)
            add_err(im, line, hdr(im, c),
                    "period %.*s is locked (corrections go into an open period)",
                    (int)im->v[c].len, im->v[c].s);
        return;
    default:
        return;
    }
}

/*
 * Build the key of the row (its key columns' values joined by 0x1f) in
 * im->key; false when a key column is missing or bad.
 */
static bool build_key(struct imp *im)
{
    const struct jx_kind_def *k = im->def;
    im->key.len = 0;
    for (int i = 0; k->key[i] >= 0; i++) {
        int c = k->key[i];
        if (im->field_of[c] < 0 ? k->columns[c].required : im->bad[c])
            return false;
        if (i && !buf_add(&im->key, "\x1f", 1))
            goto nomem;
        if (im->v[c].null)
            continue;
        if (!buf_add(&im->key, im->v[c].s, im->v[c].len))
            goto nomem;
    }
    if (buf_reserve(&im->key, 1))
        return true;
nomem:
    oom(im);
    return false;
}

/*
 * Encode the contract-level values of the row in im->sig: per column a tag
 * byte, 0 for empty, 1 for text (then a 4-byte length and the bytes) or 2
 * for a number (then its 8 bytes).  An empty bool counts as 0.  False when
 * one of the values is bad.
 */
static bool signature(struct imp *im)
{
    const struct jx_kind_def *k = im->def;
    im->sig.len = 0;
    for (size_t c = 0; c < k->ncolumns; c++) {
        const struct jx_column *col = &k->columns[c];
        const struct jx_value *v = &im->v[c];
        bool ok;
        if (!col->contract_level)
            continue;
        if (im->bad[c])
            return false;
        if (col->type == JX_T_BOOL || col->type == JX_T_PERCENT || col->type == JX_T_MONEY ||
            col->type == JX_T_DEC || col->type == JX_T_INT) {
            int64_t i = v->null ? 0 : v->i;
            ok = (v->null && col->type != JX_T_BOOL)
                     ? buf_add(&im->sig, "\0", 1)
                     : buf_add(&im->sig, "\2", 1) && buf_add(&im->sig, (const char *)&i, 8);
        } else if (v->null) {
            ok = buf_add(&im->sig, "\0", 1);
        } else {
            uint32_t n = (uint32_t)v->len;
            ok = buf_add(&im->sig, "\1", 1) && buf_add(&im->sig, (const char *)&n, 4) &&
                 buf_add(&im->sig, v->s, v->len);
        }
        if (!ok) {
            oom(im);
            return false;
        }
    }
    return true;
}

/*
 * Decode the value of column col at *p of a signature into buf (quoted, or
 * "(empty)"), advancing *p past it.  Returns buf.
 */
static const char *sig_show(const struct jx_column *col, const char **p, char *buf, size_t n)
{
    const char *q = *p;
    char num[JX_DEC_BUFSZ];
    if (*q == 0) {
        *p = q + 1;
        snprintf(buf, n, "(empty)");
    } else if (*q == 2) {
        int64_t i;
        memcpy(&i, q + 1, 8);
        *p = q + 9;
        snprintf(buf, n, "\"%s\"", format_number(col->type, i, num));
    } else {
        uint32_t len;
        memcpy(&len, q + 1, 4);
        *p = q + 5 + len;
        snprintf(buf, n, "\"%.*s%s\"", show_len(q + 5, len), q + 5, show_more(len));
    }
    return buf;
}

/* Compare the contract-level values of this row with the first row of its contract. */
static void compare_group(struct imp *im, long line, const struct group *g)
{
    const struct jx_kind_def *k = im->def;
    const char *a = g->sig, *b = im->sig.p;
    if (g->siglen == im->sig.len && !memcmp(a, b, g->siglen))
        return;
    for (size_t c = 0; c < k->ncolumns; c++) {
        const struct jx_column *col = &k->columns[c];
        if (!col->contract_level)
            continue;
        const char *a0 = a, *b0 = b;
        char first[64], here[64];
        sig_show(col, &a, first, sizeof first);
        sig_show(col, &b, here, sizeof here);
        if (a - a0 == b - b0 && !memcmp(a0, b0, (size_t)(a - a0)))
            continue;
        add_err(im, line, hdr(im, (int)c),
                "%s differs from %s on line %ld (the rows of contract %.*s must agree)", here,
                first, g->line, (int)im->v[0].len, im->v[0].s);
    }
}

/* Contracts: group rows by contract_id and check that their contract-level values agree. */
static void check_contract(struct imp *im, long line)
{
    bool added;
    struct hslot *slot;
    if (!have(im, 0) || !signature(im))
        return;
    if (im->ngroups >= INT32_MAX ||
        !(slot = ht_upsert(im, &im->keys, im->v[0].s, im->v[0].len, (int32_t)im->ngroups,
                           &added))) {
        oom(im);
        return;
    }
    if (!added) {
        compare_group(im, line, &im->groups[slot->val]);
        return;
    }
    const char *sig = pool_dup(im, im->sig.p, im->sig.len);
    if (!sig || !grow((void **)&im->groups, &im->gcap, im->ngroups, sizeof *im->groups)) {
        oom(im);
        return;
    }
    im->groups[im->ngroups++] = (struct group){line, sig, im->sig.len};
}

/* Other kinds: a key may appear once in a file. */
static void check_key(struct imp *im, long line)
{
    const struct jx_kind_def *k = im->def;
    bool added;
    struct hslot *slot;
    if (!build_key(im))
        return;
    if (!(slot = ht_upsert(im, &im->keys, im->key.p, im->key.len,
                           line > INT32_MAX ? INT32_MAX : (int32_t)line, &added))) {
        oom(im);
        return;
    }
    if (added)
        return;
    if (k->key[1] < 0) {
        int c = k->key[0];
        add_err(im, line, hdr(im, c), "duplicate %s \"%.*s\" (also on line %ld)",
                k->columns[c].name, (int)im->v[c].len, im->v[c].s, (long)slot->val);
        return;
    }
    char cols[256];
    size_t n = 0;
    cols[0] = '\0';
    for (int i = 0; k->key[i] >= 0 && n < sizeof cols; i++) {
        int w = snprintf(cols + n, sizeof cols - n, "%s%s",
                         !i ? "" : k->key[i + 1] >= 0 ? ", " : " and ",
                         k->columns[k->key[i]].name);
        if (w < 0)
            break;
        n += (size_t)w;
    }
    add_err(im, line, NULL, "duplicate row: the same %s as line %ld", cols, (long)slot->val);
}

/* ---------------------------------------------------------------- records */

/* True when every field of the record is empty (a blank row of a spreadsheet). */
static bool blank_record(const struct imp *im)
{
    for (size_t i = 0; i < im->nf; i++)
        if (im->f[i].len)
            return false;
    return true;
}

/* Lower-case ASCII copy of s[0..len) into out (n bytes); false when it does not fit. */
static bool lower(const char *s, size_t len, char *out, size_t n)
{
    if (len >= n)
        return false;
    for (size_t i = 0; i < len; i++)
        out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
    out[len] = '\0';
    return true;
}

/* The column names of the kind ("id, name, ...") into buf of size n. */
static const char *column_list(const struct jx_kind_def *k, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t c = 0; c < k->ncolumns && used < n; c++) {
        int w = snprintf(buf + used, n - used, "%s%s", c ? ", " : "", k->columns[c].name);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return buf;
}

/* Read the header record: map each field to a column; unknown, duplicate, missing columns. */
static void read_header(struct imp *im)
{
    const struct jx_kind_def *k = im->def;
    long line = im->rec_line;
    size_t matched = 0;
    char list[512];

    im->header_seen = true;
    im->header_line = line;
    im->nhdr = im->nf;
    im->col_of = jx_calloc(im->nf, sizeof *im->col_of);
    if (!im->col_of) {
        oom(im);
        return;
    }
    for (size_t i = 0; i < im->nf; i++) {
        if (!jx_utf8_valid(im->rec.p + im->f[i].off, im->f[i].len)) {
            add_err(im, line, NULL,
                    "the header is not valid UTF-8: save the file as UTF-8 (Excel: \"CSV "
                    "UTF-8\")");
            im->header_bad = true;
            return;
        }
    }
    for (size_t i = 0; i < im->nf; i++) {
        const char *name = im->rec.p + im->f[i].off;
        size_t len = im->f[i].len;
        char low[128];
        im->col_of[i] = len ? NO_COLUMN : UNNAMED;
        if (!len)
            continue;
        int c = jx_kind_column(im->kind, name, len);
        if (c < 0 && lower(name, len, low, sizeof low))
            c = jx_kind_column(im->kind, low, len);
        if (c >= 0)
            matched++;
    }
    if (!matched) {
        add_err(im, line, NULL, "the first row is not a header of %s: expected the columns %s",
                k->name, column_list(k, list, sizeof list));
        im->header_bad = true;
        return;
    }
    for (size_t i = 0; i < im->nf; i++) {
        const char *name = im->rec.p + im->f[i].off;
        size_t len = im->f[i].len;
        char low[128], field[64];
        if (!len)
            continue;
        snprintf(field, sizeof field, "%.*s", show_len(name, len), name);
        int c = jx_kind_column(im->kind, name, len);
        if (c < 0 && lower(name, len, low, sizeof low))
            c = jx_kind_column(im->kind, low, len);
        if (c < 0) {
            add_err(im, line, field, "unknown column of %s (the columns are %s)", k->name,
                    column_list(k, list, sizeof list));
            continue;
        }
        if (im->field_of[c] >= 0) {
            add_err(im, line, field, "duplicate column: the same as \"%s\" (field %d)",
                    im->hname[c], im->field_of[c] + 1);
            continue;
        }
        im->col_of[i] = c;
        im->field_of[c] = (int)i;
        im->hname[c] = pool_dup(im, field, strlen(field) + 1);
        if (!im->hname[c]) {
            oom(im);
            return;
        }
    }
    for (size_t c = 0; c < k->ncolumns; c++)
        if (k->columns[c].required && im->field_of[c] < 0)
            add_err(im, line, k->columns[c].name, "required column is missing");
}

/*
 * Parse the cells of the record into im->v.  In the check pass each bad cell
 * is an error of the file; returns false when the row cannot be used.
 */
static bool parse_row(struct imp *im, long line)
{
    const struct jx_kind_def *k = im->def;
    bool report = im->pass == PASS_CHECK, ok = true;
    struct jx_err e;

    if (im->nf != im->nhdr) {
        bool extra_empty = im->nf > im->nhdr;
        for (size_t i = im->nhdr; i < im->nf; i++)
            if (im->f[i].len)
                extra_empty = false;
        if (!extra_empty) {
            if (report)
                add_err(im, line, NULL,
                        "the row has %zu values but the header has %zu columns%s", im->nf,
                        im->nhdr,
                        im->nf > im->nhdr ? " (quote a value that has a comma: \"1,5\")" : "");
            return false;
        }
    }
    for (size_t c = 0; c < k->ncolumns; c++) {
        im->v[c] = (struct jx_value){.null = true};
        im->bad[c] = false;
    }
    for (size_t i = 0; i < im->nhdr; i++) {
        int c = im->col_of[i];
        const char *s = im->rec.p + im->f[i].off;
        size_t len = im->f[i].len;
        if (c == UNNAMED && len && report)
            add_err(im, line, NULL, "value \"%.*s%s\" in field %zu, which has no header",
                    show_len(s, len), s, show_more(len), i + 1);
        if (c < 0)
            continue;
        e.msg[0] = '\0'; /* parse_cell() fills msg on failure; no need to clear it all */
        enum jx_status st = parse_cell(im, c, s, len, &e);
        if (st == JX_ENOMEM) {
            oom(im);
            return false;
        }
        if (st) {
            im->bad[c] = true;
            ok = false;
            if (report)
                add_parse_err(im, line, hdr(im, c), &e);
        }
    }
    return report || ok;
}

/* The stage "initial" is stored as no stage (''), the same as an empty cell. */
static void canonical_stage(struct imp *im)
{
    int c = im->c_stage;
    if (c >= 0 && !im->v[c].null && !strcmp(im->v[c].s, "initial"))
        im->v[c] = (struct jx_value){.null = true};
}

/* Check one data row (first pass). */
static void check_row(struct imp *im)
{
    long line = im->rec_line;
    if (!parse_row(im, line) || im->fatal)
        return;
    canonical_stage(im);
    check_values(im, line);
    check_locked(im, line);
    check_refs(im, line);
    if (im->kind == JX_KIND_CONTRACTS)
        check_contract(im, line);
    else
        check_key(im, line);
}

/* Write one data row (second pass). */
static void write_row(struct imp *im)
{
    struct jx_err e;
    enum jx_status st;
    if (!parse_row(im, im->rec_line)) {
        if (!im->fatal) {
            jx_err_clear(&e);
            jx_err_set(&e, JX_EINTERNAL, "a row checked as valid failed to parse");
            jx_err_at(&e, im->name, im->rec_line, NULL);
            set_fatal(im, JX_EINTERNAL, &e);
        }
        return;
    }
    canonical_stage(im);
    e.msg[0] = e.file[0] = e.field[0] = '\0';
    e.line = 0;
    if ((st = jx_store_put(im->st, im->kind, im->v, &e))) {
        jx_err_at(&e, im->name, im->rec_line, NULL);
        set_fatal(im, st, &e);
    }
}

/* Print a progress line when the input is large and another tenth is done. */
static void progress(struct imp *im, size_t done, bool last)
{
    if (!im->big || !im->total)
        return;
    int pct = (int)(done * 100 / im->total);
    if (pct < im->next_pct && !(last && im->next_pct <= 100))
        return;
    if (last)
        pct = 100;
    fprintf(im->progress, "%simport %s: %s %d%% (%ld rows)%s", im->tty ? "\r" : "", im->name,
            im->pass == PASS_CHECK ? "checking" : "writing", pct, im->rows,
            im->tty ? (last ? "\n" : "") : "\n");
    fflush(im->progress);
    im->next_pct = pct / 10 * 10 + 10;
}

/* libcsv: the end of one field; keep its bytes in the record. */
static void on_field(void *s, size_t len, void *data)
{
    struct imp *im = data;
    im->at_start = false;
    if (im->fatal)
        return;
    if (!grow((void **)&im->f, &im->fcap, im->nf, sizeof *im->f) ||
        !buf_reserve(&im->rec, len)) {
        oom(im);
        return;
    }
    im->f[im->nf] = (struct field){im->rec.len, len};
    if (len)
        memcpy(im->rec.p + im->rec.len, s, len);
    im->rec.len += len;
    im->nf++;
}

/* libcsv: the end of a record; check or write it. */
static void on_record(int c, void *data)
{
    struct imp *im = data;
    (void)c;
    im->at_start = true;
    if (!im->fatal && im->nf && !blank_record(im)) {
        if (!im->header_seen) {
            if (im->pass == PASS_CHECK)
                read_header(im);
            im->header_seen = true;
        } else if (!im->header_bad) {
            im->rows++;
            if (im->pass == PASS_CHECK)
                check_row(im);
            else
                write_row(im);
        }
    }
    im->nf = 0;
    im->rec.len = 0;
}

/*
 * Feed data[off..len) to libcsv one physical line at a time, calling
 * on_record() for each record.  A CSV syntax error is an error of the file.
 */
static void run_pass(struct imp *im, const char *data, size_t len, size_t off)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI)) {
        oom(im);
        return;
    }
    csv_set_realloc_func(&p, jx_realloc);
    csv_set_free_func(&p, free);
    im->line = 0;
    im->at_start = true;
    im->in_quotes = false;
    im->header_seen = false;
    im->rows = 0;
    im->nf = 0;
    im->rec.len = 0;
    im->next_pct = 10;
    bool broken = false;
    while (off < len && !im->fatal) {
        const char *nl = memchr(data + off, '\n', len - off);
        size_t end = nl ? (size_t)(nl - data) + 1 : len;
        im->line++;
        if (im->at_start && !im->in_quotes)
            im->rec_line = im->line;
        for (const char *q = data + off; (q = memchr(q, '"', (size_t)(data + end - q))); q++)
            im->in_quotes = !im->in_quotes;
        if (csv_parse(&p, data + off, end - off, on_field, on_record, im) != end - off) {
            if (csv_error(&p) == CSV_ENOMEM || csv_error(&p) == CSV_ETOOBIG) {
                oom(im);
            } else if (im->pass == PASS_CHECK) {
                add_err(im, im->line, NULL,
                        "malformed CSV: a quote inside an unquoted value, or text after a "
                        "closing quote (quote the whole value and double the quotes in it: "
                        "\"a \"\"b\"\" c\")");
            }
            broken = true;
            break;
        }
        off = end;
        progress(im, off, false);
    }
    if (!broken && !im->fatal && csv_fini(&p, on_field, on_record, im) != 0 &&
        im->pass == PASS_CHECK)
        add_err(im, im->rec_line, NULL, "a quoted value that starts here is never closed");
    csv_free(&p);
    if (!broken && !im->fatal)
        progress(im, len, true);
}

/* ---------------------------------------------------------------- import */

/* Look up the columns the row checks need and each column's limits. */
static void setup_columns(struct imp *im)
{
    const struct jx_kind_def *k = im->def;
#define COL(n) jx_kind_column(im->kind, n, strlen(n))
    im->c_period = period_columns[im->kind] ? COL(period_columns[im->kind]) : -1;
    im->c_item = im->kind == JX_KIND_RATINGS ? COL("item") : -1;
    im->c_score = im->kind == JX_KIND_RATINGS ? COL("score") : -1;
    im->c_stage = im->kind == JX_KIND_RATINGS ? COL("stage") : -1;
    im->c_rater = im->kind == JX_KIND_RATINGS ? COL("rater_id") : -1;
    im->c_rater_role = im->kind == JX_KIND_RATINGS ? COL("rater_role") : -1;
    im->c_subject = im->kind == JX_KIND_RATINGS || im->kind == JX_KIND_TARGETS ? COL("subject_id")
                                                                               : -1;
    im->c_opened = im->kind == JX_KIND_COMPLAINTS ? COL("opened_at") : -1;
    im->c_signed = im->kind == JX_KIND_CONTRACTS ? COL("signed_date") : -1;
    im->c_accept = im->kind == JX_KIND_CONTRACTS ? COL("acceptance_date") : -1;
    im->c_split = im->kind == JX_KIND_CONTRACTS ? COL("split") : -1;
#undef COL
    for (size_t c = 0; c < k->ncolumns; c++) {
        im->field_of[c] = -1;
        im->lim[c] = &no_limit;
        for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++)
            if (limits[i].kind == im->kind && !strcmp(limits[i].column, k->columns[c].name))
                im->lim[c] = &limits[i];
    }
}

/* Free everything of an import context. */
static void imp_free(struct imp *im)
{
    free(im->rec.p);
    free(im->f);
    free(im->col_of);
    free(im->split.p);
    free(im->key.p);
    free(im->sig.p);
    free(im->groups);
    free(im->pend);
    ht_free(&im->keys);
    ht_free(&im->periods);
    for (int k = 0; k < JX_KIND_COUNT; k++)
        ht_free(&im->known[k]);
    pool_free(im);
    free(im);
}

/* References to rows of the same file that were not seen when checked. */
static void resolve_pending(struct imp *im)
{
    for (size_t i = 0; i < im->npend; i++) {
        const struct pending *p = &im->pend[i];
        if (ht_get(&im->keys, p->id, p->len) < 0)
            add_err(im, p->line, hdr(im, p->col), "no %s \"%.*s\" in the database or in this file",
                    nouns[im->kind], (int)p->len, p->id);
    }
}

/* True when the text is large enough for progress lines. */
static bool is_big(const char *data, size_t len)
{
    if (len > PROGRESS_BYTES)
        return true;
    size_t lines = 0;
    for (const char *p = data, *end = data + len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        if (++lines > PROGRESS_LINES)
            return true;
    return false;
}

enum jx_status jx_import_buffer(struct jx_store *st, enum jx_kind kind, const char *name,
                                const char *data, size_t len, const struct jx_import_opts *opts,
                                struct jx_import_report *rep)
{
    struct jx_err e;
    enum jx_status s;
    size_t off = 0;

    memset(rep, 0, sizeof *rep);
    if (kind < 0 || kind >= JX_KIND_COUNT || jx_kinds[kind].ncolumns > MAX_COLS) {
        rep->nerrors = 1;
        jx_err_at(&rep->errs[0], name, 0, NULL);
        return jx_err_set(&rep->errs[0], JX_EUSAGE, "unknown kind of data");
    }
    struct imp *im = jx_calloc(1, sizeof *im);
    if (!im || !buf_reserve(&im->rec, 4096)) {
        if (im)
            imp_free(im);
        rep->nerrors = 1;
        jx_err_at(&rep->errs[0], name, 0, NULL);
        return jx_err_set(&rep->errs[0], JX_ENOMEM, "out of memory");
    }
    im->st = st;
    im->kind = kind;
    im->def = &jx_kinds[kind];
    im->name = name;
    im->who = opts && opts->who ? opts->who : "cli";
    im->rep = rep;
    im->progress = opts ? opts->progress : NULL;
    if (im->progress) {
        im->tty = isatty(fileno(im->progress));
        im->big = is_big(data, len);
    }
    im->total = len;
    setup_columns(im);

    if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
        off = 3;

    jx_err_clear(&e);
    if ((s = jx_store_begin(st, &e))) {
        set_fatal(im, s, &e);
        imp_free(im);
        return s;
    }
    im->pass = PASS_CHECK;
    run_pass(im, data, len, off);
    if (!im->fatal) {
        resolve_pending(im);
        if (!im->header_seen)
            add_err(im, 0, NULL, "the file is empty: a header row and data rows are expected");
    }
    if (!im->fatal && (rep->nerrors || rep->more_errors)) {
        rep->rows = im->rows;
        sort_errors(rep);
        jx_store_rollback(st);
        imp_free(im);
        return JX_EINPUT;
    }
    rep->rows = im->rows;
    if (!im->fatal) {
        im->pass = PASS_WRITE;
        run_pass(im, data, len, off);
    }
    if (!im->fatal) {
        char what[400];
        snprintf(what, sizeof what, "%s: %ld row%s", name, im->rows, im->rows == 1 ? "" : "s");
        jx_err_clear(&e);
        if ((s = jx_store_audit(st, im->who, "import", what, NULL, NULL, &e)) ||
            (s = jx_store_commit(st, &e)))
            set_fatal(im, s, &e);
    }
    if (im->fatal) {
        s = im->fatal;
        jx_store_rollback(st);
        imp_free(im);
        return s;
    }
    rep->written = rep->rows;
    imp_free(im);
    return JX_OK;
}

/* Read a whole stream into a malloc'd buffer (for pipes and empty files). */
static enum jx_status read_all(int fd, char **out, size_t *outlen, struct jx_err *err)
{
    struct buf b = {0};
    for (;;) {
        if (!buf_reserve(&b, 65536)) {
            free(b.p);
            return jx_err_set(err, JX_ENOMEM, "out of memory");
        }
        ssize_t n = read(fd, b.p + b.len, b.cap - b.len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            free(b.p);
            return jx_err_set(err, JX_EINPUT, "cannot read: %s", strerror(errno));
        }
        if (n == 0)
            break;
        b.len += (size_t)n;
    }
    *out = b.p;
    *outlen = b.len;
    return JX_OK;
}

enum jx_status jx_import_file(struct jx_store *st, enum jx_kind kind, const char *path,
                              const struct jx_import_opts *opts, struct jx_import_report *rep)
{
    struct stat sb;
    char *data = NULL;
    size_t len = 0;
    bool mapped = false;
    enum jx_status s;

    memset(rep, 0, sizeof *rep);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &sb) < 0 || S_ISDIR(sb.st_mode)) {
        int saved = fd < 0 ? errno : S_ISDIR(sb.st_mode) ? EISDIR : errno;
        if (fd >= 0)
            close(fd);
        rep->nerrors = 1;
        jx_err_at(&rep->errs[0], path, 0, NULL);
        return jx_err_set(&rep->errs[0], JX_EINPUT, "cannot read: %s", strerror(saved));
    }
    if (S_ISREG(sb.st_mode) && sb.st_size > 0) {
        data = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (data != MAP_FAILED) {
            mapped = true;
            len = (size_t)sb.st_size;
            madvise(data, len, MADV_SEQUENTIAL);
        } else {
            data = NULL;
        }
    }
    if (!mapped) {
        struct jx_err e;
        jx_err_clear(&e);
        if ((s = read_all(fd, &data, &len, &e))) {
            close(fd);
            rep->nerrors = 1;
            rep->errs[0] = e;
            jx_err_at(&rep->errs[0], path, 0, NULL);
            return s;
        }
    }
    close(fd);
    s = jx_import_buffer(st, kind, path, data ? data : "", len, opts, rep);
    if (mapped)
        munmap(data, len);
    else
        free(data);
    return s;
}
