/*
 * ratelimit.h - how fast a client, and the world, may fail.
 *
 * Household codes carry 55 random bits, so guessing one takes billions of
 * tries; the rate limit makes sure nobody gets to try that fast.  Only
 * failures count (an unknown code, a wrong password): a household that
 * types its own code right never uses up anything.  Each client address
 * has a bucket of `burst` failures that refills one per `per_s` seconds;
 * the whole server has a bucket of its own for attacks from many
 * addresses (none when global_burst is 0: a log-in is slowed per name
 * and per address, never for everyone at once).  What the server does when a bucket is empty is its choice
 * (see resident.c: it slows the client down, it does not lock it out).
 */
#ifndef DRAAGVLAK_SERVER_RATELIMIT_H
#define DRAAGVLAK_SERVER_RATELIMIT_H

#include <stdbool.h>

struct server_ratelimit;

struct server_ratelimit *server_ratelimit_new(unsigned client_burst,
					      unsigned client_per_s,
					      unsigned global_burst,
					      unsigned global_per_s);
/*
 * Whether client (and the world) may still fail without being slowed.
 * client is any key: an address, or an account name.
 */
bool server_ratelimit_allowed(struct server_ratelimit *rl, const char *client);
/* Count a failure of client. */
void server_ratelimit_fail(struct server_ratelimit *rl, const char *client);
/*
 * The slow lane: a slowed request waits on a timer, and while it waits it
 * holds a connection.  So at most 2 per client and 32 in all may wait;
 * enter() says whether this one may (and which slot to leave()), and a
 * request that may not is refused at once, holding nothing.
 */
bool server_ratelimit_slow_enter(struct server_ratelimit *rl,
				 const char *client, unsigned *slot);
void server_ratelimit_slow_leave(struct server_ratelimit *rl, unsigned slot);
void server_ratelimit_free(struct server_ratelimit *rl);

#endif
