/*
 * strmap.c - open-addressing string map with linear probing.
 *
 * Each slot keeps the key's first bytes as well as a pointer to it: a key of
 * up to HEAD bytes (every id of the bench's data) is found without reading
 * the key itself, one cache miss per lookup instead of two.
 */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define HEAD 12

struct jx_strmap_slot {
    const char *key; /* NULL: empty */
    uint32_t len;
    uint32_t hash;
    int32_t value;
    char head[HEAD]; /* the key's first bytes, zero-padded */
};

static uint32_t fnv1a(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

void jx_strmap_init(struct jx_strmap *m)
{
    memset(m, 0, sizeof *m);
}

void jx_strmap_release(struct jx_strmap *m)
{
    free(m->slots);
    jx_strmap_init(m);
}

/* Whether slot s holds key (whose hash matched). */
static bool same_key(const struct jx_strmap_slot *s, const char *key, size_t len)
{
    if (s->len != len)
        return false;
    if (len <= HEAD)
        return !memcmp(s->head, key, len);
    return !memcmp(s->head, key, HEAD) && !memcmp(s->key + HEAD, key + HEAD, len - HEAD);
}

static struct jx_strmap_slot *find(const struct jx_strmap *m, const char *key, size_t len,
                                   uint32_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct jx_strmap_slot *s = &m->slots[i];
        if (!s->key || (s->hash == h && same_key(s, key, len)))
            return s;
    }
}

/* To cap slots (a power of two, more than the keys). */
static int resize(struct jx_strmap *m, size_t cap)
{
    struct jx_strmap_slot *old = m->slots;
    size_t oldcap = m->cap;
    m->slots = jx_calloc(cap, sizeof *m->slots);
    if (!m->slots) {
        m->slots = old;
        return -1;
    }
    m->cap = cap;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].key)
            *find(m, old[i].key, old[i].len, old[i].hash) = old[i];
    free(old);
    return 0;
}

/* Whether n keys fit without passing 3/4 full. */
static bool fits(const struct jx_strmap *m, size_t n)
{
    return n * 4 <= m->cap * 3;
}

int jx_strmap_reserve(struct jx_strmap *m, size_t n)
{
    size_t cap = m->cap ? m->cap : 64;
    while (n * 4 > cap * 3) {
        if (cap > SIZE_MAX / 2 / sizeof *m->slots)
            return -1;
        cap *= 2;
    }
    return cap == m->cap ? 0 : resize(m, cap);
}

int jx_strmap_put(struct jx_strmap *m, const char *key, size_t len, int32_t value,
                  int32_t *existing)
{
    if (!fits(m, m->n + 1) && resize(m, m->cap ? m->cap * 2 : 64))
        return -1;
    uint32_t h = fnv1a(key, len);
    struct jx_strmap_slot *s = find(m, key, len, h);
    if (s->key) {
        if (existing)
            *existing = s->value;
        return 1;
    }
    *s = (struct jx_strmap_slot){key, (uint32_t)len, h, value, {0}};
    memcpy(s->head, key, len < HEAD ? len : HEAD);
    m->n++;
    return 0;
}

int32_t jx_strmap_get(const struct jx_strmap *m, const char *key, size_t len)
{
    if (!m->cap)
        return -1;
    const struct jx_strmap_slot *s = find(m, key, len, fnv1a(key, len));
    return s->key ? s->value : -1;
}
