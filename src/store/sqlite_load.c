/*
 * sqlite_load.c - load the whole input of a run into columns (engine/data.h).
 *
 * One query per table, each row appended to the arrays and hashed so a run
 * records exactly what it read: the input digest is the BLAKE2b of each
 * query's own BLAKE2b (libsodium), in a fixed order, so a table read on
 * another thread gives the same digest as one read in turn.  Ids become
 * array indexes here, once; the engine never looks up strings.  Tables
 * already stored in key order are read as stored (struct ordered).  With
 * much to read and the write lock free, the contracts' lines and the
 * payments are read on threads of their own, each with a connection of its
 * own, while this one reads the rest (struct job); rows name their contract
 * before the contracts are known (struct runs) and are resolved afterwards.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/dec.h"
#include "core/money.h"
#include "core/strmap.h"
#include "engine/data.h"
#include "store/storeInt.h"
#include "store/sqliteInt.h"

/* The current row's columns as hash_row() fetched them: the readers use them, not a second fetch. */
#define CELLS_MAX 16

struct cells {
    int n;
    int type[CELLS_MAX];
    int64_t i[CELLS_MAX];              /* SQLITE_INTEGER */
    const unsigned char *t[CELLS_MAX]; /* SQLITE_TEXT (valid until the next step) */
    size_t len[CELLS_MAX];
};

/*
 * The contract ids of a table read in contract id order, before the
 * contracts are known: a row keeps the number of its run of equal ids and
 * each run its id, all in one buffer; resolve_runs() then turns the run
 * numbers into contract indexes with one walk alongside the sorted ids.
 */
struct runs {
    char *text;     /* the runs' ids one after another: run k is text[at[k]] .. text[at[k + 1]] */
    size_t len, cap;
    uint32_t *at;   /* n + 1 offsets */
    size_t n, capn;
    bool failed;    /* out of memory */
};

struct loader;

/* A table read on a thread of its own (b), or in turn when b is NULL. */
struct job {
    struct loader *b;
    pthread_t tid;
    bool started;
};

struct loader {
    struct sq_store *s;
    sqlite3 *db;               /* s->db, or a reader of its own (a job's thread) */
    struct jx_data *d;
    struct jx_arena *arena;
    crypto_generichash_state all;  /* the input digest: of the queries' digests */
    crypto_generichash_state hash; /* the current query's rows */
    bool open;                     /* hash has rows of a query not added to all yet */
    unsigned char hbuf[16384]; /* bytes not hashed yet: one update per buffer, not per field */
    size_t hlen;
    bool parallel;             /* this connection holds the write lock: others may read */
    struct job lines, payments;
    struct runs runs;          /* the contract ids of the table being read */
    /* a job's loader: what it reads, its outcome and its query's digest */
    enum jx_status (*read)(struct loader *);
    enum jx_status status;
    unsigned char digest[crypto_generichash_BYTES];
    struct jx_err own_err;
    struct jx_strmap units, people, customers;
    struct jx_err *err;
    struct cells row;
    /* The current query's columns, as its tables' STRICT types make them: 'I' always an
       integer (INTEGER NOT NULL, or coalesce() of one), 'T' text or NULL (TEXT); others,
       or NULL, asked (hash_row()) */
    const char *kinds;
    bool strict; /* the tables read with kinds are STRICT */
};

static enum jx_status oom(struct loader *l)
{
    return jx_err_set(l->err, JX_ENOMEM, "out of memory loading the data");
}

/* Count the rows of a query "SELECT count(*) ...". */
static enum jx_status count_rows(struct loader *l, const char *table, size_t *n)
{
    char sql[128];
    sqlite3_stmt *q;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    if (sqlite3_prepare_v2(l->db, sql, -1, &q, NULL) != SQLITE_OK)
        return jx_err_set(l->err, JX_ESTORE, "cannot count %s: %s", table,
                          sqlite3_errmsg(l->db));
    *n = sqlite3_step(q) == SQLITE_ROW ? (size_t)sqlite3_column_int64(q, 0) : 0;
    sqlite3_finalize(q);
    return JX_OK;
}

/* Finish the current query's digest (into out), from its rows hashed so far. */
static void part_final(struct loader *l, unsigned char *out)
{
    crypto_generichash_update(&l->hash, l->hbuf, l->hlen);
    crypto_generichash_final(&l->hash, out, crypto_generichash_BYTES);
    l->hlen = 0;
    l->open = false;
}

/* Add the current query's digest, if any, to the input's. */
static void part_close(struct loader *l)
{
    unsigned char part[crypto_generichash_BYTES];
    if (!l->open)
        return;
    part_final(l, part);
    crypto_generichash_update(&l->all, part, sizeof part);
}

/* Start the digest of a query's rows afresh (also when a query is read again). */
static void part_open(struct loader *l)
{
    crypto_generichash_init(&l->hash, NULL, 0, crypto_generichash_BYTES);
    l->hlen = 0;
    l->open = true;
}

static enum jx_status compile(struct loader *l, const char *sql, sqlite3_stmt **q)
{
    l->row.n = 0; /* no row read yet: the cells are empty */
    if (sqlite3_prepare_v2(l->db, sql, -1, q, NULL) != SQLITE_OK)
        return jx_err_set(l->err, JX_ESTORE, "cannot read the data: %s",
                          sqlite3_errmsg(l->db));
    return JX_OK;
}

/*
 * The kinds of the current query's columns (struct loader), when its tables
 * are STRICT as jixiao makes them (l->strict: else every value is asked).
 */
static void typed(struct loader *l, const char *kinds)
{
    if (l->strict)
        l->kinds = kinds;
}

/* Prepare the next query: its rows have a digest of their own. */
static enum jx_status prep(struct loader *l, const char *sql, sqlite3_stmt **q)
{
    part_close(l);
    part_open(l);
    l->kinds = NULL;
    return compile(l, sql, q);
}

/* Back to q's first row, for a second pass that reads columns without hash_row(). */
static void rewind_rows(struct loader *l, sqlite3_stmt *q)
{
    sqlite3_reset(q);
    l->row.n = 0; /* the cells read from the statement again */
}

/* Add n bytes to the current query's digest (through the buffer). */
static void hash_bytes(struct loader *l, const void *p, size_t n)
{
    if (l->hlen + n > sizeof l->hbuf) {
        crypto_generichash_update(&l->hash, l->hbuf, l->hlen);
        l->hlen = 0;
        if (n > sizeof l->hbuf) {
            crypto_generichash_update(&l->hash, p, n);
            return;
        }
    }
    memcpy(l->hbuf + l->hlen, p, n);
    l->hlen += n;
}

/*
 * Hash every column of the current row by type, separated so "a","bc" !=
 * "ab","c": integers as their 8 bytes (no text conversion), text as its
 * bytes, NULL as a tag.  (The digest is of the bytes in order, however they
 * are split into updates.)  A column whose kind the query gives is not
 * asked its type: SQLite's calls per value are much of the load's time.
 */
static void hash_row(struct loader *l, sqlite3_stmt *q)
{
    int n = sqlite3_column_count(q);
    struct cells *r = &l->row;
    const char *kinds = l->kinds ? l->kinds : "";
    r->n = n < CELLS_MAX ? n : CELLS_MAX;
    for (int i = 0; i < n; i++) {
        char kind = *kinds ? *kinds++ : '?';
        int type;
        int64_t v = 0;
        const unsigned char *t = NULL;
        size_t len = 0;
        if (kind == 'I')
            type = SQLITE_INTEGER;
        else if (kind == 'T' && (t = sqlite3_column_text(q, i)))
            type = SQLITE_TEXT;
        else
            type = sqlite3_column_type(q, i); /* also a NULL in a 'T' column */
        unsigned char tag[2] = {(unsigned char)type, 0x1f};
        if (type == SQLITE_INTEGER) {
            v = sqlite3_column_int64(q, i);
            unsigned char b[8];
            for (int k = 0; k < 8; k++)
                b[k] = (unsigned char)((uint64_t)v >> (8 * k));
            hash_bytes(l, b, sizeof b);
        } else if (type != SQLITE_NULL) {
            if (!t)
                t = sqlite3_column_text(q, i);
            len = (size_t)sqlite3_column_bytes(q, i);
            hash_bytes(l, t, len);
        }
        hash_bytes(l, tag, 2);
        if (i < CELLS_MAX) {
            r->type[i] = type;
            r->i[i] = v;
            r->t[i] = t;
            r->len[i] = len;
        }
    }
}

/* Column i of the row hash_row() just read, as an integer (as sqlite3_column_int64). */
static int64_t cell_int(const struct loader *l, sqlite3_stmt *q, int i)
{
    if (i < l->row.n && l->row.type[i] == SQLITE_INTEGER)
        return l->row.i[i];
    return sqlite3_column_int64(q, i);
}

/* ... as text (as sqlite3_column_text), its length in *len. */
static const unsigned char *cell_text(const struct loader *l, sqlite3_stmt *q, int i, size_t *len)
{
    if (i < l->row.n && l->row.type[i] == SQLITE_TEXT) {
        *len = l->row.len[i];
        return l->row.t[i];
    }
    const unsigned char *t = sqlite3_column_text(q, i);
    *len = (size_t)sqlite3_column_bytes(q, i);
    return t;
}

/* ... as text, its length not wanted. */
static const unsigned char *cell_str(const struct loader *l, sqlite3_stmt *q, int i)
{
    size_t len;
    return cell_text(l, q, i, &len);
}

/*
 * A table read in key order.  Tables are mostly imported in that order, so
 * they are first read as stored (a plain scan, no index, no sort) while each
 * row's key is checked against the previous row's; at the first row out of
 * order the reading starts again with ORDER BY, which SQLite has to sort or
 * walk an index for (several times slower).  The caller sees ROW_AGAIN and
 * forgets the rows it took; the query's digest starts again.  The rows, and
 * the digest, are the same either way.
 */
enum { ROW_ERROR = -1, ROW_DONE, ROW_OK, ROW_AGAIN };

#define KEY_MAX 512 /* longer keys: read with ORDER BY */

struct ordered {
    struct loader *l;
    sqlite3_stmt *q;
    const char *sorted_sql; /* the same query with ORDER BY the key */
    const int *keys;        /* the key's columns, all TEXT */
    int nkeys;
    bool sorting;           /* reading sorted_sql */
    bool have_prev;
    unsigned char prev[KEY_MAX];
    size_t prevlen[4];
};

static enum jx_status ordered_open(struct loader *l, struct ordered *o, const char *stored_sql,
                                   const char *sorted_sql, const int *keys, int nkeys)
{
    *o = (struct ordered){.l = l, .sorted_sql = sorted_sql, .keys = keys, .nkeys = nkeys};
    return prep(l, stored_sql, &o->q);
}

/* Keep the current row's key to compare the next one with. */
static void keep_key(struct ordered *o, const unsigned char *const *t, const size_t *n)
{
    size_t at = 0;
    for (int j = 0; j < o->nkeys; j++) {
        memcpy(o->prev + at, t[j], n[j]);
        o->prevlen[j] = n[j];
        at += n[j];
    }
    o->have_prev = true;
}

/* Whether the current row's key (in the cells hash_row() filled) is at or after the
   previous row's; keeps it. */
static bool key_in_order(struct ordered *o)
{
    const struct cells *r = &o->l->row;
    const unsigned char *t[4];
    size_t n[4], total = 0, at = 0;
    for (int j = 0; j < o->nkeys; j++) {
        if (o->keys[j] >= r->n || r->type[o->keys[j]] != SQLITE_TEXT)
            return false;
        t[j] = r->t[o->keys[j]];
        n[j] = r->len[o->keys[j]];
        total += n[j];
    }
    if (total > KEY_MAX)
        return false;
    /* the first column that differs decides, by bytes then length (BINARY collation) */
    for (int j = 0; o->have_prev && j < o->nkeys; at += o->prevlen[j], j++) {
        size_t m = n[j] < o->prevlen[j] ? n[j] : o->prevlen[j];
        int c = m ? memcmp(t[j], o->prev + at, m) : 0;
        if (!c)
            c = (n[j] > o->prevlen[j]) - (n[j] < o->prevlen[j]);
        if (c < 0)
            return false;
        if (c > 0)
            break;
    }
    keep_key(o, t, n);
    return true;
}

/* The next row, hashed (hash_row()); ROW_AGAIN when the reading starts again, sorted. */
static int ordered_step(struct ordered *o)
{
    if (sqlite3_step(o->q) != SQLITE_ROW)
        return ROW_DONE;
    hash_row(o->l, o->q);
    if (o->sorting || key_in_order(o))
        return ROW_OK;
    sqlite3_finalize(o->q);
    o->q = NULL;
    o->sorting = true;
    part_open(o->l);
    return compile(o->l, o->sorted_sql, &o->q) ? ROW_ERROR : ROW_AGAIN;
}

/* Copy text column i into the arena ("" for NULL). */
static const char *text(struct loader *l, sqlite3_stmt *q, int i)
{
    size_t len;
    const unsigned char *t = cell_text(l, q, i, &len);
    return jx_arena_strndup(l->arena, t ? (const char *)t : "", t ? len : 0);
}

/* Date column i as days, JX_NO_DATE for NULL or a bad value. */
static int32_t date_col(struct loader *l, sqlite3_stmt *q, int i)
{
    size_t len;
    const unsigned char *t = cell_text(l, q, i, &len);
    int32_t d;
    if (!t || jx_date_parse((const char *)t, len, &d, NULL))
        return JX_NO_DATE;
    return d;
}

/* Index of the id in text column i through map m, -1 for NULL or unknown. */
static int32_t ref_col(struct loader *l, sqlite3_stmt *q, int i, const struct jx_strmap *m)
{
    size_t len;
    const unsigned char *t = cell_text(l, q, i, &len);
    if (!t)
        return -1;
    return jx_strmap_get(m, (const char *)t, len);
}

/* strcmp() of the id s with t (len bytes, maybe not NUL-terminated). */
static int id_cmp(const char *s, const char *t, size_t len)
{
    size_t n = strlen(s);
    int k = memcmp(s, t, n < len ? n : len);
    return k ? k : (n > len) - (n < len);
}

/* The contract with id t (len bytes) by binary search of the ids (in key order), or -1. */
static int32_t find_contract(const struct jx_contracts *c, const char *t, size_t len)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int k = id_cmp(c->id[mid], t, len);
        if (!k)
            return (int32_t)mid;
        if (k < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Forget the runs (a query read again from its start). */
static void runs_clear(struct runs *r)
{
    r->n = r->len = 0;
}

static void runs_release(struct runs *r)
{
    free(r->text);
    free(r->at);
    memset(r, 0, sizeof *r);
}

/* The run number of the contract id in column i of the current row (-1 for NULL). */
static int32_t run_col(struct loader *l, sqlite3_stmt *q, int i)
{
    struct runs *r = &l->runs;
    size_t len;
    const char *t = (const char *)cell_text(l, q, i, &len);
    if (!t)
        return -1;
    if (r->n && r->at[r->n] - r->at[r->n - 1] == len && !memcmp(r->text + r->at[r->n - 1], t, len))
        return (int32_t)(r->n - 1);
    if (r->n + 2 > r->capn) {
        size_t cap = r->capn ? r->capn * 2 : 4096;
        uint32_t *at = cap > INT32_MAX ? NULL : jx_realloc(r->at, cap * sizeof *at);
        if (!at)
            goto fail;
        r->at = at;
        r->capn = cap;
    }
    if (r->len + len > r->cap) {
        size_t cap = (r->cap + len) * 2;
        char *text = cap > UINT32_MAX ? NULL : jx_realloc(r->text, cap);
        if (!text)
            goto fail;
        r->text = text;
        r->cap = cap;
    }
    memcpy(r->text + r->len, t, len);
    r->at[r->n] = (uint32_t)r->len;
    r->len += len;
    r->at[++r->n] = (uint32_t)r->len;
    return (int32_t)(r->n - 1);
fail:
    r->failed = true;
    return -1;
}

/*
 * The contract index of each run (-1: no such contract).  The runs are in
 * id order like the contracts, so a cursor walks the contract ids alongside
 * and a run costs a comparison or two; one out of order is searched for.
 */
static int32_t *resolve_runs(struct loader *l, const struct runs *r)
{
    const struct jx_contracts *c = &l->d->contracts;
    int32_t *map = jx_malloc((r->n ? r->n : 1) * sizeof *map);
    size_t at = 0;
    if (!map || r->failed) {
        free(map);
        oom(l);
        return NULL;
    }
    for (size_t k = 0; k < r->n; k++) {
        const char *t = r->text + r->at[k];
        size_t len = r->at[k + 1] - r->at[k];
        int cmp = 1;
        while (at < c->n && (cmp = id_cmp(c->id[at], t, len)) < 0)
            at++;
        map[k] = cmp == 0 ? (int32_t)at : find_contract(c, t, len);
    }
    return map;
}

static int word_index(const char *const *words, const unsigned char *t)
{
    for (int i = 0; t && words[i]; i++)
        if (!strcmp(words[i], (const char *)t))
            return i;
    return 0;
}

static const char *const role_words[] = {"rep",     "manager",  "director", "hr",
                                         "finance", "engineer", "admin",    NULL};
static const char *const status_words[] = {"probation", "regular", "left", NULL};
static const char *const ckind_words[] = {"customer", "agent", "distributor", NULL};
static const char *const tier_words[] = {"high_potential", "stable", "watching", NULL};
static const char *const pay_words[] = {"payment", "deposit", "refund", NULL};
static const char *const unit_words[] = {"company", "center", "division", "department", "team",
                                         NULL};
static const char *const category_words[] = {"product", "service", "delivery", "after_sales",
                                             "other", NULL};
static const char *const severity_words[] = {"severe", "general", "minor", NULL};
static const char *const level_words[] = {"minor", "medium", "severe", NULL};
static const char *const attendance_words[] = {"absent", "personal_leave", "late", "early_leave",
                                               NULL};
static const char *const rater_words[] = {"self",       "superior", "peer", "customer",
                                          "cross_dept", "hr",       NULL};

#define ALLOC(arr, n)                                                                              \
    do {                                                                                           \
        if (!((arr) = jx_arena_calloc(l->arena, (n) ? (n) : 1, sizeof *(arr))))                    \
            return oom(l);                                                                         \
    } while (0)

/* Index every id of a loaded table in map m. */
static enum jx_status index_ids(struct loader *l, struct jx_strmap *m, const char **ids, size_t n)
{
    if (jx_strmap_reserve(m, m->n + n) < 0)
        return oom(l);
    for (size_t i = 0; i < n; i++)
        if (jx_strmap_put(m, ids[i], strlen(ids[i]), (int32_t)i, NULL) < 0)
            return oom(l);
    return JX_OK;
}

static enum jx_status load_units(struct loader *l)
{
    struct jx_units *u = &l->d->units;
    sqlite3_stmt *q;
    enum jx_status st;
    size_t n;
    if ((st = count_rows(l, "units", &n)))
        return st;
    ALLOC(u->id, n);
    ALLOC(u->name, n);
    ALLOC(u->parent, n);
    ALLOC(u->kind, n);
    if ((st = prep(l, "SELECT id,name,parent_id,kind FROM units ORDER BY id", &q)))
        return st;
    while (u->n < n && sqlite3_step(q) == SQLITE_ROW) {
        hash_row(l, q);
        u->id[u->n] = text(l, q, 0);
        u->name[u->n] = text(l, q, 1);
        u->kind[u->n] = (uint8_t)word_index(unit_words, cell_str(l, q, 3));
        if (!u->id[u->n] || !u->name[u->n]) {
            sqlite3_finalize(q);
            return oom(l);
        }
        u->n++;
    }
    if ((st = index_ids(l, &l->units, u->id, u->n)))
        goto out;
    rewind_rows(l, q);
    for (size_t i = 0; i < u->n && sqlite3_step(q) == SQLITE_ROW; i++)
        u->parent[i] = ref_col(l, q, 2, &l->units);
out:
    sqlite3_finalize(q);
    return st;
}

static enum jx_status load_people(struct loader *l)
{
    struct jx_people *p = &l->d->people;
    sqlite3_stmt *q;
    enum jx_status st;
    size_t n;
    if ((st = count_rows(l, "people", &n)))
        return st;
    ALLOC(p->id, n);
    ALLOC(p->name, n);
    ALLOC(p->unit, n);
    ALLOC(p->manager, n);
    ALLOC(p->role, n);
    ALLOC(p->status, n);
    ALLOC(p->hire_date, n);
    ALLOC(p->base_salary, n);
    ALLOC(p->allowance, n);
    if ((st = prep(l,
                   "SELECT id,name,unit_id,role,manager_id,hire_date,status,base_salary,"
                   "coalesce(allowance,0) FROM people ORDER BY id",
                   &q)))
        return st;
    while (p->n < n && sqlite3_step(q) == SQLITE_ROW) {
        size_t i = p->n;
        hash_row(l, q);
        p->id[i] = text(l, q, 0);
        p->name[i] = text(l, q, 1);
        if (!p->id[i] || !p->name[i]) {
            sqlite3_finalize(q);
            return oom(l);
        }
        p->unit[i] = ref_col(l, q, 2, &l->units);
        p->role[i] = (uint8_t)word_index(role_words, cell_str(l, q, 3));
        p->hire_date[i] = date_col(l, q, 5);
        p->status[i] = (uint8_t)word_index(status_words, cell_str(l, q, 6));
        p->base_salary[i] = cell_int(l, q, 7);
        p->allowance[i] = cell_int(l, q, 8);
        p->n++;
    }
    if ((st = index_ids(l, &l->people, p->id, p->n)))
        goto out;
    rewind_rows(l, q);
    for (size_t i = 0; i < p->n && sqlite3_step(q) == SQLITE_ROW; i++)
        p->manager[i] = ref_col(l, q, 4, &l->people);
out:
    sqlite3_finalize(q);
    return st;
}

static enum jx_status load_customers(struct loader *l)
{
    struct jx_customers *c = &l->d->customers;
    sqlite3_stmt *q;
    enum jx_status st;
    size_t n;
    if ((st = count_rows(l, "customers", &n)))
        return st;
    ALLOC(c->id, n);
    ALLOC(c->name, n);
    ALLOC(c->kind, n);
    ALLOC(c->klass, n);
    ALLOC(c->tier, n);
    ALLOC(c->owner, n);
    ALLOC(c->signed_date, n);
    if ((st = prep(l, "SELECT id,kind,owner_id,signed_date,name,class,tier FROM customers "
                      "ORDER BY id",
                   &q)))
        return st;
    while (c->n < n && sqlite3_step(q) == SQLITE_ROW) {
        size_t i = c->n;
        hash_row(l, q);
        if (!(c->id[i] = text(l, q, 0)) || !(c->name[i] = text(l, q, 4))) {
            sqlite3_finalize(q);
            return oom(l);
        }
        c->kind[i] = (uint8_t)word_index(ckind_words, cell_str(l, q, 1));
        c->owner[i] = ref_col(l, q, 2, &l->people);
        c->signed_date[i] = date_col(l, q, 3);
        const unsigned char *k = cell_str(l, q, 5);
        c->klass[i] = k ? k[0] : 'C';
        const unsigned char *t = cell_str(l, q, 6);
        c->tier[i] = t ? (uint8_t)(word_index(tier_words, t) + 1) : JX_TIER_NONE;
        c->n++;
    }
    sqlite3_finalize(q);
    return index_ids(l, &l->customers, c->id, c->n);
}

static enum jx_status load_contracts(struct loader *l)
{
    struct jx_contracts *c = &l->d->contracts;
    sqlite3_stmt *q;
    enum jx_status st;
    size_t n;
    if ((st = count_rows(l, "contracts", &n)))
        return st;
    ALLOC(c->id, n);
    ALLOC(c->signed_date, n);
    ALLOC(c->acceptance_date, n);
    ALLOC(c->customer, n);
    ALLOC(c->person, n);
    ALLOC(c->retention, n);
    ALLOC(c->excess_rate, n);
    ALLOC(c->flags, n);
    ALLOC(c->revenue, n);
    ALLOC(c->line0, n);
    ALLOC(c->nlines, n);
    ALLOC(c->split0, n);
    ALLOC(c->nsplits, n);
#define CONTRACT_COLS                                                                              \
    "SELECT contract_id,signed_date,customer_id,person_id,"                                         \
    "coalesce(retention_rate,0),coalesce(excess_rate,-1),coalesce(concession,0),"                  \
    "coalesce(company_negotiated,0),coalesce(credit_approved,0),acceptance_date FROM contracts"
    static const int key[] = {0};
    struct ordered o;
    int r;
    if ((st = ordered_open(l, &o, CONTRACT_COLS, CONTRACT_COLS " ORDER BY contract_id", key, 1)))
        return st;
    typed(l, "TTTTIIIIIT");
    while (c->n < n && (r = ordered_step(&o)) != ROW_DONE) {
        size_t i = c->n;
        q = o.q;
        if (r == ROW_ERROR)
            return JX_ESTORE;
        if (r == ROW_AGAIN) {
            c->n = 0;
            continue;
        }
        if (!(c->id[i] = text(l, q, 0))) {
            sqlite3_finalize(q);
            return oom(l);
        }
        c->signed_date[i] = date_col(l, q, 1);
        c->customer[i] = ref_col(l, q, 2, &l->customers);
        c->person[i] = ref_col(l, q, 3, &l->people);
        c->retention[i] = cell_int(l, q, 4);
        c->excess_rate[i] = cell_int(l, q, 5);
        c->flags[i] = ((int)cell_int(l, q, 6) ? JX_CF_CONCESSION : 0) |
                      ((int)cell_int(l, q, 7) ? JX_CF_COMPANY_NEGOTIATED : 0) |
                      ((int)cell_int(l, q, 8) ? JX_CF_CREDIT_APPROVED : 0);
        c->acceptance_date[i] = date_col(l, q, 9);
        c->n++;
    }
    sqlite3_finalize(o.q);
    return JX_OK;
}

/* The contracts' lines in contract order (the primary key), each naming its contract's run. */
static enum jx_status read_lines(struct loader *l)
{
    struct jx_lines *ln = &l->d->lines;
    sqlite3_stmt *q;
    enum jx_status st;
    size_t n;
    if ((st = count_rows(l, "contract_lines", &n)))
        return st;
    runs_clear(&l->runs);
    ALLOC(ln->contract, n);
    /* the pay rules read the lines at random: huge pages asked for before the rows are
       first written (not cleared: every row read is written) */
    if (!(ln->row = jx_arena_array(l->arena, n ? n : 1, sizeof *ln->row)))
        return oom(l);
    jx_mem_hint_random(ln->row, n * sizeof *ln->row);
    if ((st = prep(l,
                   "SELECT contract_id,quantity,unit_price,base_price,coalesce(unit_cost,-1) "
                   "FROM contract_lines ORDER BY contract_id,line_no",
                   &q)))
        return st;
    typed(l, "TIIII");
    while (ln->n < n && sqlite3_step(q) == SQLITE_ROW) {
        size_t i = ln->n++;
        hash_row(l, q);
        ln->contract[i] = run_col(l, q, 0);
        ln->row[i] = (struct jx_line){cell_int(l, q, 1), cell_int(l, q, 2), cell_int(l, q, 3)};
    }
    sqlite3_finalize(q);
    return JX_OK;
}

/* Lines: runs to contracts, each contract's lines found; lines of no known contract dropped. */
static enum jx_status resolve_lines(struct loader *l, const struct runs *r)
{
    struct jx_contracts *c = &l->d->contracts;
    struct jx_lines *ln = &l->d->lines;
    int32_t *map = resolve_runs(l, r);
    size_t j = 0;
    if (!map)
        return JX_ENOMEM;
    for (size_t i = 0; i < ln->n; i++) {
        int32_t k = ln->contract[i] < 0 ? -1 : map[ln->contract[i]];
        if (k < 0)
            continue;
        ln->contract[j] = k;
        if (j != i) /* a line dropped before: the rest move up */
            ln->row[j] = ln->row[i];
        if (c->nlines[k]++ == 0)
            c->line0[k] = (uint32_t)j;
        j++;
    }
    ln->n = j;
    free(map);
    return JX_OK;
}

/* The credit splits, in contract order. */
static enum jx_status load_splits(struct loader *l)
{
    struct jx_contracts *c = &l->d->contracts;
    struct jx_splits *sp = &l->d->splits;
    sqlite3_stmt *q;
    enum jx_status st;
    size_t n, j = 0;
    int32_t *run, *map;
    if ((st = count_rows(l, "contract_splits", &n)))
        return st;
    ALLOC(sp->person, n);
    ALLOC(sp->share, n);
    if (!(run = jx_malloc((n ? n : 1) * sizeof *run)))
        return oom(l);
    if ((st = prep(l,
                   "SELECT contract_id,person_id,share FROM contract_splits "
                   "ORDER BY contract_id,person_id",
                   &q))) {
        free(run);
        return st;
    }
    typed(l, "TTI");
    runs_clear(&l->runs);
    while (sp->n < n && sqlite3_step(q) == SQLITE_ROW) {
        size_t i = sp->n++;
        hash_row(l, q);
        run[i] = run_col(l, q, 0);
        sp->person[i] = ref_col(l, q, 1, &l->people);
        sp->share[i] = cell_int(l, q, 2);
    }
    sqlite3_finalize(q);
    if (!(map = resolve_runs(l, &l->runs))) {
        free(run);
        return JX_ENOMEM;
    }
    for (size_t i = 0; i < sp->n; i++) {
        int32_t k = run[i] < 0 ? -1 : map[run[i]];
        if (k < 0)
            continue;
        sp->person[j] = sp->person[i];
        sp->share[j] = sp->share[i];
        if (c->nsplits[k]++ == 0)
            c->split0[k] = (uint32_t)j;
        j++;
    }
    sp->n = j;
    free(map);
    free(run);
    return JX_OK;
}

/* Payments or returns (payments false), sorted by contract, date and id. */
static enum jx_status read_money(struct loader *l, bool payments)
{
    struct jx_payments *p = &l->d->payments;
    struct jx_returns *r = &l->d->returns;
    sqlite3_stmt *q;
    enum jx_status st;
    size_t n;
    if ((st = count_rows(l, payments ? "payments" : "returns", &n)))
        return st;
    if (payments) {
        ALLOC(p->contract, n);
        ALLOC(p->date, n);
        ALLOC(p->amount, n);
        ALLOC(p->kind, n);
    } else {
        ALLOC(r->contract, n);
        ALLOC(r->date, n);
        ALLOC(r->amount, n);
    }
    static const int pay_key[] = {0, 1, 4}, ret_key[] = {0, 1, 3};
#define PAYMENT_COLS "SELECT contract_id,date,amount,kind,id FROM payments"
#define RETURN_COLS "SELECT contract_id,date,amount,id FROM returns"
    struct ordered o;
    if ((st = payments ? ordered_open(l, &o, PAYMENT_COLS, PAYMENT_COLS " ORDER BY contract_id,date,id",
                                      pay_key, 3)
                       : ordered_open(l, &o, RETURN_COLS, RETURN_COLS " ORDER BY contract_id,date,id",
                                      ret_key, 3)))
        return st;
    typed(l, payments ? "TTITT" : "TTIT");
    runs_clear(&l->runs);
    size_t i = 0;
    int row;
    while (i < n && (row = ordered_step(&o)) != ROW_DONE) {
        if (row == ROW_ERROR)
            return JX_ESTORE;
        if (row == ROW_AGAIN) {
            i = 0;
            runs_clear(&l->runs);
            continue;
        }
        q = o.q;
        if (payments) {
            p->contract[i] = run_col(l, q, 0);
            p->date[i] = date_col(l, q, 1);
            p->amount[i] = cell_int(l, q, 2);
            p->kind[i] = (uint8_t)word_index(pay_words, cell_str(l, q, 3));
        } else {
            r->contract[i] = run_col(l, q, 0);
            r->date[i] = date_col(l, q, 1);
            r->amount[i] = cell_int(l, q, 2);
        }
        i++;
    }
    sqlite3_finalize(o.q);
    if (payments)
        p->n = i;
    else
        r->n = i;
    return JX_OK;
}

static enum jx_status read_payments(struct loader *l)
{
    return read_money(l, true);
}

/* Payments or returns: runs to contracts; rows of no known contract dropped. */
static enum jx_status resolve_money(struct loader *l, const struct runs *runs, bool payments)
{
    struct jx_payments *p = &l->d->payments;
    struct jx_returns *r = &l->d->returns;
    int32_t *contract = payments ? p->contract : r->contract;
    size_t n = payments ? p->n : r->n, j = 0;
    int32_t *map = resolve_runs(l, runs);
    if (!map)
        return JX_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        int32_t k = contract[i] < 0 ? -1 : map[contract[i]];
        if (k < 0)
            continue;
        contract[j] = k;
        if (j != i && payments) { /* a row dropped before: the rest move up */
            p->date[j] = p->date[i];
            p->amount[j] = p->amount[i];
            p->kind[j] = p->kind[i];
        } else if (j != i) {
            r->date[j] = r->date[i];
            r->amount[j] = r->amount[i];
        }
        j++;
    }
    if (payments)
        p->n = j;
    else
        r->n = j;
    free(map);
    return JX_OK;
}

static enum jx_status resolve_payments(struct loader *l, const struct runs *r)
{
    return resolve_money(l, r, true);
}

static enum jx_status load_returns(struct loader *l)
{
    enum jx_status st = read_money(l, false);
    return st ? st : resolve_money(l, &l->runs, false);
}

/*
 * A job: a table read on a thread of its own, with a connection of its own,
 * while this one reads the others: only when this connection holds the
 * write lock (nothing can change between the readers).  Its query's digest
 * takes its place in the sequence and its rows are resolved to contracts in
 * their turn (finish_job()): the same data and digest as one thread reading
 * everything.
 */
static void *job_work(void *arg)
{
    struct loader *b = arg;
    b->status = b->read(b);
    part_final(b, b->digest);
    return NULL;
}

static enum jx_status start_job(struct loader *l, struct job *j,
                                enum jx_status (*read)(struct loader *))
{
    struct loader *b;
    if (!l->parallel)
        return JX_OK;
    if (!(b = jx_malloc(sizeof *b)))
        return oom(l);
    *b = *l;
    b->err = &b->own_err;
    b->read = read;
    b->status = JX_OK;
    b->open = false;
    memset(&b->runs, 0, sizeof b->runs);
    if (!(b->arena = jx_calloc(1, sizeof *b->arena))) {
        free(b);
        return oom(l);
    }
    if (sqlite3_open_v2(l->s->path, &b->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(b->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        sqlite3_close(b->db);
        free(b->arena);
        free(b);
        return JX_OK; /* read in turn */
    }
    sqlite3_busy_timeout(b->db, 5000);
    j->b = b;
    j->started = pthread_create(&j->tid, NULL, job_work, b) == 0;
    return JX_OK;
}

static void job_release(struct loader *b)
{
    runs_release(&b->runs);
    sqlite3_exec(b->db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(b->db);
    free(b->arena);
    free(b);
}

/* Wait for a job's thread; its rows (in the arena) are the loader's now.  With release,
   nothing more is wanted of it (a job stopped by an error before its turn). */
static void stop_job(struct loader *l, struct job *j, bool release)
{
    struct loader *b = j->b;
    if (!b)
        return;
    if (j->started)
        pthread_join(j->tid, NULL);
    j->b = NULL;
    jx_arena_adopt(l->arena, b->arena);
    if (release)
        job_release(b);
}

/* Wait for a job's thread (or read its table now) and take its rows and digest. */
static enum jx_status finish_job(struct loader *l, struct job *j,
                                 enum jx_status (*read)(struct loader *),
                                 enum jx_status (*resolve)(struct loader *, const struct runs *))
{
    struct loader *b = j->b;
    enum jx_status st;
    if (!b) {
        st = read(l);
        return st ? st : resolve(l, &l->runs);
    }
    if (!j->started)
        job_work(b);
    stop_job(l, j, false);
    if ((st = b->status)) {
        *l->err = b->own_err;
    } else {
        part_close(l);
        crypto_generichash_update(&l->all, b->digest, sizeof b->digest);
        st = resolve(l, &b->runs);
    }
    job_release(b);
    return st;
}

static enum jx_status load_ratings(struct loader *l)
{
    struct jx_ratings *r = &l->d->ratings;
    sqlite3_stmt *q;
    enum jx_status st;
    size_t n;
    if ((st = count_rows(l, "ratings", &n)))
        return st;
    ALLOC(r->subject, n);
    ALLOC(r->period, n);
    ALLOC(r->rater, n);
    ALLOC(r->item, n);
    ALLOC(r->rater_role, n);
    ALLOC(r->review, n);
    ALLOC(r->score, n);
    if ((st = prep(l,
                   "SELECT subject_id,period,rater_id,rater_role,item,score,stage FROM ratings "
                   "ORDER BY subject_id,period,item,rater_role,rater_id,stage",
                   &q)))
        return st;
    while (r->n < n && sqlite3_step(q) == SQLITE_ROW) {
        size_t i = r->n;
        hash_row(l, q);
        r->subject[i] = text(l, q, 0);
        r->period[i] = text(l, q, 1);
        r->rater[i] = text(l, q, 2);
        r->item[i] = text(l, q, 4);
        if (!r->subject[i] || !r->period[i] || !r->rater[i] || !r->item[i]) {
            sqlite3_finalize(q);
            return oom(l);
        }
        r->rater_role[i] = (uint8_t)word_index(rater_words, cell_str(l, q, 3));
        r->score[i] = cell_int(l, q, 5);
        const unsigned char *stage = cell_str(l, q, 6);
        r->review[i] = stage && !strcmp((const char *)stage, "review");
        r->n++;
    }
    sqlite3_finalize(q);
    return JX_OK;
}

static enum jx_status load_targets(struct loader *l)
{
    struct jx_targets *t = &l->d->targets;
    sqlite3_stmt *q;
    enum jx_status st;
    size_t n;
    if ((st = count_rows(l, "targets", &n)))
        return st;
    ALLOC(t->subject, n);
    ALLOC(t->period, n);
    ALLOC(t->metric, n);
    ALLOC(t->value, n);
    if ((st = prep(l,
                   "SELECT subject_id,period,metric,value FROM targets "
                   "ORDER BY subject_id,period,metric",
                   &q)))
        return st;
    while (t->n < n && sqlite3_step(q) == SQLITE_ROW) {
        size_t i = t->n;
        hash_row(l, q);
        t->subject[i] = text(l, q, 0);
        t->period[i] = text(l, q, 1);
        t->metric[i] = text(l, q, 2);
        if (!t->subject[i] || !t->period[i] || !t->metric[i]) {
            sqlite3_finalize(q);
            return oom(l);
        }
        t->value[i] = cell_int(l, q, 3);
        t->n++;
    }
    sqlite3_finalize(q);
    return JX_OK;
}

/* Time column i as minutes, JX_NO_TIME for NULL or a bad value. */
static int64_t time_col(struct loader *l, sqlite3_stmt *q, int i)
{
    size_t len;
    const unsigned char *t = cell_text(l, q, i, &len);
    int64_t v;
    if (!t || jx_time_parse((const char *)t, len, &v, NULL))
        return JX_NO_TIME;
    return v;
}

static enum jx_status load_complaints(struct loader *l)
{
    struct jx_complaints *c = &l->d->complaints;
    sqlite3_stmt *q;
    enum jx_status st;
    size_t n;
    if ((st = count_rows(l, "complaints", &n)))
        return st;
    ALLOC(c->id, n);
    ALLOC(c->customer, n);
    ALLOC(c->person, n);
    ALLOC(c->category, n);
    ALLOC(c->severity, n);
    ALLOC(c->opened, n);
    ALLOC(c->responded, n);
    ALLOC(c->resolved, n);
    ALLOC(c->followed_up, n);
    ALLOC(c->csat, n);
    ALLOC(c->cause, n);
    ALLOC(c->reopened, n);
    ALLOC(c->closed, n);
    if ((st = prep(l,
                   "SELECT id,customer_id,person_id,category,severity,opened_at,responded_at,"
                   "resolved_at,followed_up_at,csat,cause,reopened_at,closed_at FROM complaints "
                   "ORDER BY id",
                   &q)))
        return st;
    while (c->n < n && sqlite3_step(q) == SQLITE_ROW) {
        size_t i = c->n;
        hash_row(l, q);
        if (!(c->id[i] = text(l, q, 0)) || !(c->cause[i] = text(l, q, 10))) {
            sqlite3_finalize(q);
            return oom(l);
        }
        c->customer[i] = ref_col(l, q, 1, &l->customers);
        c->person[i] = ref_col(l, q, 2, &l->people);
        c->category[i] = (uint8_t)word_index(category_words, cell_str(l, q, 3));
        c->severity[i] = (uint8_t)word_index(severity_words, cell_str(l, q, 4));
        c->opened[i] = time_col(l, q, 5);
        c->responded[i] = time_col(l, q, 6);
        c->resolved[i] = time_col(l, q, 7);
        c->followed_up[i] = time_col(l, q, 8);
        c->reopened[i] = time_col(l, q, 11);
        c->closed[i] = time_col(l, q, 12);
        int64_t csat = cell_int(l, q, 9);
        c->csat[i] = (uint8_t)(csat >= 1 && csat <= 5 ? csat : 0);
        c->n++;
    }
    sqlite3_finalize(q);
    return JX_OK;
}

/*
 * Violations, attendance and events: (person, date, kind-ish) rows, ordered
 * so the digest does not depend on insertion order.
 */
static enum jx_status load_person_rows(struct loader *l)
{
    struct jx_violations *v = &l->d->violations;
    struct jx_attendance *a = &l->d->attendance;
    struct jx_events *e = &l->d->events;
    sqlite3_stmt *q;
    enum jx_status st;
    size_t n;

    if ((st = count_rows(l, "violations", &n)))
        return st;
    ALLOC(v->person, n);
    ALLOC(v->date, n);
    ALLOC(v->level, n);
    ALLOC(v->points, n);
    if ((st = prep(l,
                   "SELECT person_id,date,level,points,description FROM violations "
                   "ORDER BY person_id,date,level,description",
                   &q)))
        return st;
    while (v->n < n && sqlite3_step(q) == SQLITE_ROW) {
        size_t i = v->n++;
        hash_row(l, q);
        v->person[i] = ref_col(l, q, 0, &l->people);
        v->date[i] = date_col(l, q, 1);
        v->level[i] = (uint8_t)word_index(level_words, cell_str(l, q, 2));
        v->points[i] = sqlite3_column_type(q, 3) == SQLITE_NULL ? -1 : cell_int(l, q, 3);
    }
    sqlite3_finalize(q);

    if ((st = count_rows(l, "attendance", &n)))
        return st;
    ALLOC(a->person, n);
    ALLOC(a->date, n);
    ALLOC(a->kind, n);
    if ((st = prep(l, "SELECT person_id,date,kind,minutes FROM attendance ORDER BY person_id,date,kind",
                   &q)))
        return st;
    while (a->n < n && sqlite3_step(q) == SQLITE_ROW) {
        size_t i = a->n++;
        hash_row(l, q);
        a->person[i] = ref_col(l, q, 0, &l->people);
        a->date[i] = date_col(l, q, 1);
        a->kind[i] = (uint8_t)word_index(attendance_words, cell_str(l, q, 2));
    }
    sqlite3_finalize(q);

    if ((st = count_rows(l, "events", &n)))
        return st;
    ALLOC(e->person, n);
    ALLOC(e->date, n);
    ALLOC(e->kind, n);
    if ((st = prep(l, "SELECT person_id,date,kind,note FROM events ORDER BY person_id,date,kind",
                   &q)))
        return st;
    while (e->n < n && sqlite3_step(q) == SQLITE_ROW) {
        size_t i = e->n;
        hash_row(l, q);
        e->person[i] = ref_col(l, q, 0, &l->people);
        e->date[i] = date_col(l, q, 1);
        if (!(e->kind[i] = text(l, q, 2))) {
            sqlite3_finalize(q);
            return oom(l);
        }
        e->n++;
    }
    sqlite3_finalize(q);

    struct jx_reports *rp = &l->d->reports;
    if ((st = count_rows(l, "reports", &n)))
        return st;
    ALLOC(rp->person, n);
    ALLOC(rp->monthly, n);
    ALLOC(rp->period, n);
    ALLOC(rp->submitted, n);
    if ((st = prep(l, "SELECT person_id,kind,period,submitted_at FROM reports "
                      "ORDER BY person_id,kind,period",
                   &q)))
        return st;
    while (rp->n < n && sqlite3_step(q) == SQLITE_ROW) {
        size_t i = rp->n;
        hash_row(l, q);
        rp->person[i] = ref_col(l, q, 0, &l->people);
        const unsigned char *k = cell_str(l, q, 1);
        rp->monthly[i] = k && !strcmp((const char *)k, "monthly");
        rp->submitted[i] = time_col(l, q, 3);
        if (!(rp->period[i] = text(l, q, 2))) {
            sqlite3_finalize(q);
            return oom(l);
        }
        rp->n++;
    }
    sqlite3_finalize(q);
    return JX_OK;
}

static enum jx_status load_contacts(struct loader *l)
{
    struct jx_contacts *c = &l->d->contacts;
    sqlite3_stmt *q;
    enum jx_status st;
    size_t n;
    if ((st = count_rows(l, "contacts", &n)))
        return st;
    ALLOC(c->person, n);
    ALLOC(c->customer, n);
    ALLOC(c->at, n);
    ALLOC(c->follow_up_due, n);
    ALLOC(c->follow_up_done, n);
    ALLOC(c->complete, n);
    ALLOC(c->required, n);
    if ((st = prep(l,
                   "SELECT person_id,customer_id,at,channel,fields_complete,fields_required,"
                   "follow_up_due,follow_up_done_at FROM contacts ORDER BY customer_id,at,person_id",
                   &q)))
        return st;
    while (c->n < n && sqlite3_step(q) == SQLITE_ROW) {
        size_t i = c->n++;
        hash_row(l, q);
        c->person[i] = ref_col(l, q, 0, &l->people);
        c->customer[i] = ref_col(l, q, 1, &l->customers);
        c->at[i] = time_col(l, q, 2);
        c->complete[i] = (int32_t)cell_int(l, q, 4);
        c->required[i] = (int32_t)cell_int(l, q, 5);
        c->follow_up_due[i] = time_col(l, q, 6);
        c->follow_up_done[i] = time_col(l, q, 7);
    }
    sqlite3_finalize(q);
    return JX_OK;
}

/* Revenue of each contract: sum over its lines of quantity x unit price, to the fen. */
static enum jx_status compute_revenue(struct loader *l)
{
    struct jx_contracts *c = &l->d->contracts;
    const struct jx_lines *ln = &l->d->lines;
    for (size_t k = 0; k < c->n; k++) {
        __int128 sum = 0;
        for (uint32_t i = c->line0[k]; i < c->line0[k] + c->nlines[k]; i++)
            sum += (__int128)ln->row[i].quantity * ln->row[i].unit_price;
        if (!jx_round_div(sum, JX_DEC_SCALE, &c->revenue[k]))
            return jx_err_set(l->err, JX_ERANGE, "contract %s: revenue out of range", c->id[k]);
    }
    return JX_OK;
}

/* Whether the tables read with column kinds (typed()) are all STRICT. */
static bool tables_strict(struct loader *l)
{
    sqlite3_stmt *q;
    bool strict = false;
    if (sqlite3_prepare_v2(l->db,
                           "SELECT count(*) FROM pragma_table_list WHERE schema='main' AND strict "
                           "AND name IN ('contracts','contract_lines','contract_splits',"
                           "'payments','returns')",
                           -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        strict = sqlite3_column_int(q, 0) == 5;
    sqlite3_finalize(q);
    return strict;
}

#define PARALLEL_ROWS 65536 /* fewer contracts and payments: everything read in turn */

/* Whether there is much to read (by the last rowids: no count needed). */
static bool much_to_read(struct loader *l)
{
    sqlite3_stmt *q;
    bool much = false;
    if (sqlite3_prepare_v2(l->db,
                           "SELECT max(coalesce((SELECT max(rowid) FROM payments),0),"
                           "coalesce((SELECT max(rowid) FROM contracts),0))",
                           -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        much = sqlite3_column_int64(q, 0) >= PARALLEL_ROWS;
    sqlite3_finalize(q);
    return much;
}

/*
 * Ask the system to start reading the database file (and its WAL) into its
 * cache now: the three connections then find their pages there instead of
 * each waiting on the disk in turn when the file is not cached.  A hint.
 */
static void read_ahead(const char *path)
{
#if defined(POSIX_FADV_WILLNEED)
    char wal[4096];
    const char *files[2] = {path, wal};
    snprintf(wal, sizeof wal, "%s-wal", path);
    for (int i = 0; i < 2; i++) {
        int fd = open(files[i], O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            (void)posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED);
            close(fd);
        }
    }
#else
    (void)path;
#endif
}

enum jx_status jx_sqlite_load(struct jx_store *base, struct jx_data *d, struct jx_err *err)
{
    struct loader l = {.s = (struct sq_store *)base, .db = ((struct sq_store *)base)->db, .d = d,
                       .err = err};
    enum jx_status st;
    memset(d, 0, sizeof *d);
    if (sodium_init() < 0)
        return jx_err_set(err, JX_EINTERNAL, "libsodium failed to start");
    if (!(l.arena = jx_calloc(1, sizeof *l.arena)))
        return jx_err_set(err, JX_ENOMEM, "out of memory");
    d->arena = l.arena;
    crypto_generichash_init(&l.all, NULL, 0, sizeof d->input_hash);
    jx_strmap_init(&l.units);
    jx_strmap_init(&l.people);
    jx_strmap_init(&l.customers);
    /* The write lock, if it is free now and there is much to read: the lines and the
       payments can then be read on other connections at the same time (struct job). */
    l.strict = tables_strict(&l);
    sqlite3_busy_timeout(l.db, 0);
    l.parallel = much_to_read(&l) && l.s->path[0] && strcmp(l.s->path, ":memory:") &&
                 sqlite3_exec(l.db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
    sqlite3_busy_timeout(l.db, 5000);
    if (l.parallel)
        read_ahead(l.s->path);
    if (!l.parallel && sqlite3_exec(l.db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        st = jx_err_set(err, JX_ESTORE, "cannot read: %s", sqlite3_errmsg(l.db));
        goto out;
    }
    (void)((st = start_job(&l, &l.lines, read_lines)) ||
           (st = start_job(&l, &l.payments, read_payments)) || (st = load_units(&l)) ||
           (st = load_people(&l)) || (st = load_customers(&l)) || (st = load_contracts(&l)) ||
           (st = finish_job(&l, &l.lines, read_lines, resolve_lines)) ||
           (st = load_splits(&l)) ||
           (st = finish_job(&l, &l.payments, read_payments, resolve_payments)) ||
           (st = load_returns(&l)) || (st = load_ratings(&l)) || (st = load_targets(&l)) ||
           (st = load_complaints(&l)) || (st = load_person_rows(&l)) ||
           (st = load_contacts(&l)) || (st = compute_revenue(&l)));
    stop_job(&l, &l.lines, true); /* stopped by an error before its turn */
    stop_job(&l, &l.payments, true);
    runs_release(&l.runs);
    sqlite3_exec(l.db, "COMMIT", NULL, NULL, NULL);
    part_close(&l);
    crypto_generichash_final(&l.all, d->input_hash, sizeof d->input_hash);
out:
    jx_strmap_release(&l.units);
    jx_strmap_release(&l.people);
    jx_strmap_release(&l.customers);
    if (st)
        jx_data_release(d);
    return st;
}

void jx_data_release(struct jx_data *d)
{
    if (d->arena) {
        jx_arena_free(d->arena);
        free(d->arena);
    }
    memset(d, 0, sizeof *d);
}
