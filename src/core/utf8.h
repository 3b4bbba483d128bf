/*
 * utf8.h - checking UTF-8: shortest forms only, no surrogates, nothing past
 * U+10FFFF (what the importer accepts and jansson would).
 */
#ifndef JX_UTF8_H
#define JX_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the valid UTF-8 character at s[0..len), or 0 when it is not valid. */
size_t jx_utf8_char(const unsigned char *s, size_t len);

/* True when s[0..len) is valid UTF-8. */
bool jx_utf8_valid(const char *s, size_t len);

#endif
