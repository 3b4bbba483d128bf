/*
 * embed.h - files compiled into the binary by scripts/embed.py (calendars,
 * later the web UI).  Each table ends with an entry whose name is NULL.
 */
#ifndef JX_EMBED_H
#define JX_EMBED_H

#include <stddef.h>

struct jx_embedded {
    const char *name;           /* base name of the file */
    const unsigned char *data;  /* its bytes, NUL-terminated */
    size_t size;                /* its size, without the terminating NUL */
};

extern const struct jx_embedded jx_calendar_files[];
extern const struct jx_embedded jx_migration_files[]; /* in order: 001_..., 002_... */

#endif
