/*
 * hasher.h - password checks off the threads that serve pages.
 *
 * An argon2id check takes 64 MiB and tens of milliseconds.  Run on the
 * polling threads, a dozen wrong log-ins at once held every page (the
 * style sheet waited six seconds) and took hundreds of megabytes.  Here
 * a fixed number of worker threads, each with a store connection of its
 * own, run the checks; a request waits suspended in a bounded queue, and
 * one that finds the queue full is told at once to try again.  Memory is
 * therefore bounded by workers x 64 MiB whatever the attack.
 *
 * Ownership: the hasher owns its threads and their stores; a job is the
 * caller's (it lives in the request's data) and must outlive the resume.
 */
#ifndef DRAAGVLAK_SERVER_HASHER_H
#define DRAAGVLAK_SERVER_HASHER_H

#include "http.h"
#include "store.h"
#include "strbuf.h"

struct server_hash_job {
	/* Run on a worker with its store; its value is kept in rc. */
	int (*run)(struct store *st, struct server_hash_job *job);
	struct server_request *req;
	int rc;
	struct server_hash_job *next; /* the hasher's */
};

struct server_hasher;

/*
 * Start workers threads on the store at db, taking at most max_queued
 * jobs waiting.  NULL with a sentence in err.
 */
struct server_hasher *server_hasher_start(const char *db, unsigned workers,
					  unsigned max_queued,
					  struct strbuf *err);
/*
 * Queue job for job->req: suspends the request, which resume() answers
 * once job->rc is known.  Returns SERVER_SUSPENDED, or SERVER_REPLY
 * (nothing queued, nothing suspended) when the queue is full.
 */
enum server_outcome server_hasher_submit(struct server_hasher *hs,
					 struct server_hash_job *job,
					 server_handler resume);
/*
 * Stop: jobs still queued are resumed with rc STORE_ERROR unrun; the
 * running ones finish.  NULL is fine.
 */
void server_hasher_stop(struct server_hasher *hs);

#endif
