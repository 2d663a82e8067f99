/*
 * xalloc.h - allocation that never returns NULL.
 *
 * Running out of memory on a machine that serves a village survey is not a
 * condition any caller can repair, so, like git and Redis, we abort with a
 * message instead of threading NULL checks through every string operation.
 * Every other failure is returned to the caller.
 */
#ifndef DRAAGVLAK_XALLOC_H
#define DRAAGVLAK_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
/* Copy of the first len bytes of s, NUL-terminated. */
char *xstrndup(const char *s, size_t len);

/*
 * Grow *array (of *alloc elements of size elem) so that it holds at least
 * nr elements.  Growth is geometric so appends are amortised O(1).
 */
#define ALLOC_GROW(array, nr, alloc)                                           \
	do {                                                                   \
		if ((size_t)(nr) > (alloc)) {                                  \
			size_t grow_ = (alloc) < 8 ? 8 : (alloc)*2;            \
			if (grow_ < (size_t)(nr))                              \
				grow_ = (nr);                                  \
			(array) = xrealloc((array), grow_ * sizeof(*(array))); \
			(alloc) = grow_;                                       \
		}                                                              \
	} while (0)

#endif
