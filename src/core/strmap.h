/*
 * strmap.h - a map from strings to int32_t indexes (open addressing, FNV-1a).
 * Keys are borrowed: they must outlive the map.  Used to resolve ids to
 * array indexes once, when data is loaded or a file is validated.
 */
#ifndef JX_STRMAP_H
#define JX_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jx_strmap {
    struct jx_strmap_slot *slots;
    size_t cap, n; /* cap is a power of two, or 0 */
};

void jx_strmap_init(struct jx_strmap *m);
void jx_strmap_release(struct jx_strmap *m);

/* Room for n keys in all without growing; -1 when out of memory, else 0. */
int jx_strmap_reserve(struct jx_strmap *m, size_t n);

/*
 * Insert key -> value.  If the key is present, its value is left alone and
 * *existing (may be NULL) receives it; returns 1 then, 0 when inserted,
 * -1 when out of memory.
 */
int jx_strmap_put(struct jx_strmap *m, const char *key, size_t len, int32_t value,
                  int32_t *existing);

/* The value of key, or -1 when absent. */
int32_t jx_strmap_get(const struct jx_strmap *m, const char *key, size_t len);

#endif
