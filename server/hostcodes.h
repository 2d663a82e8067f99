/*
 * hostcodes.h - every household code of a host, in one set: so that a
 * code stays unique across all the surveys of the server
 * (`draagvlak serve --data DIR`) and /f/CODE, which names no survey,
 * leads to one.
 *
 * At start the server puts every survey's codes in (from their tables
 * in memory, codes.h); a code that two surveys have (stores copied by
 * hand) is then "shared", and the server refuses to pick one of them
 * for a resident (server_survey_by_code()).  While it runs, every code
 * a hosted survey's writer makes is first taken here
 * (server_hostcodes_take(), the store's code_taken check,
 * store/households.h): one another survey has, or one made since start
 * anywhere on the host, is refused and the store makes another.  Taking
 * is one step under a lock, so two surveys making codes at once never
 * make the same one.  A code taken for a change that was then rolled
 * back stays taken: a 55-bit value, harmless.
 *
 * Codes made by the command line in a served store while the server
 * runs are not seen until it starts again (and then checked).
 *
 * The set holds each code as its 60-bit value (8 bytes a code, at most
 * three quarters full); the codes of shared ones are kept apart, few,
 * and compared with sodium_memcmp().
 */
#ifndef DRAAGVLAK_SERVER_HOSTCODES_H
#define DRAAGVLAK_SERVER_HOSTCODES_H

#include <stdbool.h>
#include <stddef.h>

#include "codes.h"
#include "token.h"

struct server_hostcodes;

struct server_hostcodes *server_hostcodes_new(void);
/* NULL is fine. */
void server_hostcodes_free(struct server_hostcodes *hc);

/* Make room for n codes more at once (at start: no growing by steps). */
void server_hostcodes_reserve(struct server_hostcodes *hc, size_t n);

/*
 * Put every code of one survey's table c in.  A code already in (another
 * survey's, or taken since start) becomes shared, and shared(code, arg)
 * is called with it when shared is not NULL (to tell whose it also is;
 * never log the code itself).  Returns how many of c's codes were
 * already in.
 */
size_t server_hostcodes_add(struct server_hostcodes *hc, struct server_codes *c,
			    void (*shared)(const char *canon, void *arg),
			    void *arg);

/* Whether two surveys or more have the canonical code canon. */
bool server_hostcodes_shared(struct server_hostcodes *hc, const char *canon);

/*
 * A store_code_taken_fn (store/households.h) with hc as its arg: 1 when
 * canon is in the set already, else 0 after putting it in for the
 * caller.
 */
int server_hostcodes_take(const char *canon, void *hc);

/* How many codes are in the set (for the log and the tests). */
size_t server_hostcodes_count(struct server_hostcodes *hc);

#endif
