/*
 * arena.h - bump allocation for a run or a request: many small objects
 * freed together.  Memory comes from the system in chunks that grow with the
 * demand; jx_arena_free() returns all of it.
 *
 * All allocation of the project goes through jx_malloc()/jx_arena_alloc(),
 * so tests can make the N-th allocation fail (jx_alloc_fail_after).
 */
#ifndef JX_ARENA_H
#define JX_ARENA_H

#include <stddef.h>

struct jx_arena {
    struct jx_arena_chunk *head;
    size_t total; /* bytes handed out */
};

/* malloc/calloc/realloc that a test can make fail; NULL on failure. */
void *jx_malloc(size_t n);
void *jx_calloc(size_t n, size_t size);
void *jx_realloc(void *p, size_t n);

/*
 * Block p of n bytes will be read at random (a column a run looks up by
 * index): ask for huge pages where it spans whole ones, so that its reads
 * miss the TLB far less.  Only for such blocks: on a virtual machine a huge
 * page can cost several times more to fault in than its 512 small ones,
 * which is why nothing else asks.  A hint; elsewhere it does nothing.
 */
void jx_mem_hint_random(void *p, size_t n);

/*
 * Keep freed memory in the process for the next allocations instead of
 * handing big blocks back to the system (glibc: blocks up to 512 MiB from
 * the heap rather than an mmap each, and the heap never trimmed).  A run
 * frees what loading needed and then allocates as much again: kept, it is
 * not faulted in a second time, which on a virtual machine costs more than
 * the work done in it.  Called once, by main().
 */
void jx_mem_keep_freed(void);

/* Make the n-th allocation from now fail (n >= 1); 0 turns failures off. */
void jx_alloc_fail_after(long n);

/* Allocate n bytes aligned to 16 from the arena; NULL when out of memory. */
void *jx_arena_alloc(struct jx_arena *a, size_t n);

/* As jx_arena_alloc for count elements of size, not cleared; NULL on overflow or OOM. */
void *jx_arena_array(struct jx_arena *a, size_t count, size_t size);

/* As jx_arena_alloc for count elements of size, zeroed; NULL on overflow or OOM. */
void *jx_arena_calloc(struct jx_arena *a, size_t count, size_t size);

/* Copy s[0..len) into the arena, NUL-terminated; NULL when out of memory. */
char *jx_arena_strndup(struct jx_arena *a, const char *s, size_t len);

/* printf into the arena; NULL when out of memory. */
char *jx_arena_printf(struct jx_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Free every chunk; the arena is empty and reusable afterwards. */
/* Move everything from holds into a (freed with it); from is left empty. */
void jx_arena_adopt(struct jx_arena *a, struct jx_arena *from);

void jx_arena_free(struct jx_arena *a);

#endif
