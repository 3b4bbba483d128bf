/*
 * arena.c - chunked bump allocator and the failing-allocation hook.
 */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif
#ifdef __GLIBC__
#include <malloc.h>
#endif

struct jx_arena_chunk {
    struct jx_arena_chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

static long fail_countdown;

void jx_alloc_fail_after(long n)
{
    fail_countdown = n;
}

/* True when the hook says this allocation must fail. */
static int should_fail(void)
{
    return fail_countdown > 0 && --fail_countdown == 0;
}

#define HUGE_PAGE ((size_t)2 << 20)

void jx_mem_keep_freed(void)
{
#ifdef __GLIBC__
    /* blocks up to 512 MiB from the heap, not an mmap each (a glibc that takes no more
       than 32 MiB, its limit for a long time, gets that); the heap's top kept */
    if (!mallopt(M_MMAP_THRESHOLD, 512 << 20))
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, INT32_MAX);
#endif
}

void jx_mem_hint_random(void *p, size_t n)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (p && n >= 2 * HUGE_PAGE) {
        uintptr_t lo = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
        uintptr_t hi = ((uintptr_t)p + n) & ~(uintptr_t)(HUGE_PAGE - 1);
        if (hi > lo)
            madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
    }
#else
    (void)p, (void)n;
#endif
}

void *jx_malloc(size_t n)
{
    return should_fail() ? NULL : malloc(n ? n : 1);
}

void *jx_calloc(size_t n, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

void *jx_realloc(void *p, size_t n)
{
    return should_fail() ? NULL : realloc(p, n ? n : 1);
}

void *jx_arena_alloc(struct jx_arena *a, size_t n)
{
    struct jx_arena_chunk *c = a->head;
    n = (n + 15) & ~(size_t)15;
    if (!c || c->size - c->used < n) {
        size_t want = c ? c->size * 2 : 64 * 1024;
        if (want > 64 * 1024 * 1024)
            want = 64 * 1024 * 1024;
        if (want < n)
            want = n;
        if (want > SIZE_MAX - sizeof *c)
            return NULL;
        /* not cleared: memory kept from earlier work (jx_mem_keep_freed) is not zero,
           and clearing a whole chunk costs more than clearing what callocs ask for */
        c = jx_malloc(sizeof *c + want);
        if (!c)
            return NULL;
        c->size = want;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += n;
    a->total += n;
    return p;
}

void *jx_arena_array(struct jx_arena *a, size_t count, size_t size)
{
    size_t n;
    return __builtin_mul_overflow(count, size, &n) ? NULL : jx_arena_alloc(a, n);
}

void *jx_arena_calloc(struct jx_arena *a, size_t count, size_t size)
{
    void *p = jx_arena_array(a, count, size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

char *jx_arena_strndup(struct jx_arena *a, const char *s, size_t len)
{
    char *p = jx_arena_alloc(a, len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

char *jx_arena_printf(struct jx_arena *a, const char *fmt, ...)
{
    va_list ap;
    struct jx_arena_chunk *c = a->head;
    /* straight into the chunk's free space when the text fits (the usual case) */
    if (c && c->size - c->used > 1) {
        size_t room = c->size - c->used;
        char *p = (char *)c->data + c->used;
        va_start(ap, fmt);
        int n = vsnprintf(p, room, fmt, ap);
        va_end(ap);
        if (n < 0)
            return NULL;
        if ((size_t)n < room) {
            size_t used = ((size_t)n + 1 + 15) & ~(size_t)15;
            c->used += used < room ? used : room;
            a->total += (size_t)n + 1;
            return p;
        }
    }
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = jx_arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void jx_arena_adopt(struct jx_arena *a, struct jx_arena *from)
{
    struct jx_arena_chunk *c = from->head;
    if (!c)
        return;
    while (c->next)
        c = c->next;
    /* behind a's current chunk, so that a goes on filling that one */
    if (a->head) {
        c->next = a->head->next;
        a->head->next = from->head;
    } else {
        a->head = from->head;
    }
    a->total += from->total;
    from->head = NULL;
    from->total = 0;
}

void jx_arena_free(struct jx_arena *a)
{
    struct jx_arena_chunk *c = a->head;
    while (c) {
        struct jx_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->total = 0;
}
