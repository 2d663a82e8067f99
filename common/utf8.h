/*
 * utf8.h - checking that text people give us is well-formed UTF-8.
 *
 * Addresses and answers end up in PDFs, web pages and exports; a broken
 * byte sequence would surface there as mojibake or a refused document, so
 * input is checked where it enters.
 */
#ifndef DRAAGVLAK_UTF8_H
#define DRAAGVLAK_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Whether s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const char *s, size_t len);
/* Number of code points in a valid UTF-8 string. */
size_t utf8_length(const char *s, size_t len);

#endif
