/*
 * harness.h - what the server's integration tests share: a real store of
 * the Dorst sample in a temporary directory, the real `draagvlak serve`
 * started on a free loopback port, and HTTP through libcurl.
 */
#ifndef DRAAGVLAK_TESTS_SERVER_HARNESS_H
#define DRAAGVLAK_TESTS_SERVER_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "strbuf.h"
#include "token.h"

struct harness {
	char dir[64];
	char db[128];
	char (*codes)[SURVEY_TOKEN_SIZE]; /* every household's code */
	long long *households;		  /* their ids, in the same order */
	size_t nr_codes;
};

struct served {
	pid_t pid;
	unsigned port;
	char port_file[160];
};

struct reply {
	long status;
	struct strbuf headers, body;
};

/*
 * Make the store: the Dorst sample and its 449 addresses.  When from is
 * not NULL, its first occurrence in the definition is replaced by to
 * ("double_entry: false" -> "double_entry: true").  0 or -1.
 */
int harness_make_store(struct harness *h, const char *from, const char *to);
/* Run `draagvlak user add NAME --role ROLE` with the password on stdin. */
int harness_add_user(struct harness *h, const char *name, const char *role,
		     const char *password);
void harness_remove(struct harness *h);

/*
 * Start draagvlak serve on h's store with extra arguments (NULL-ended)
 * and wait until it listens; with "--data DIR" among them, on that host's
 * folder instead.  0 or -1.
 */
int harness_serve(struct harness *h, struct served *s, ...);
/* Send sig and wait; returns the exit status, or -1 if it did not exit. */
int harness_stop(struct served *s, int sig);

/*
 * GET or POST (body != NULL, urlencoded) path; never follows redirects.
 * extra_header: NULL, or request headers, one per line.
 */
int harness_http(struct served *s, const char *method, const char *path,
		 const char *body, const char *extra_header, struct reply *rep);
void reply_release(struct reply *rep);
/* A response header's value (copied into out), or false. */
bool reply_header(const struct reply *rep, const char *name, char *out,
		  size_t size);
/* The CSRF token in a form page (copied into out), or false. */
bool reply_csrf(const struct reply *rep, char *out, size_t size);

/*
 * A query that returns one integer, run by the sqlite3 shell on the
 * store's file, read-only: the tests look at what is on disk from
 * outside the server and the data layer.  -1 on error or no row.
 */
long long harness_query_int(struct harness *h, const char *sql);

#endif
