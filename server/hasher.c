/*
 * hasher.c - a bounded pool of password-checking threads (see hasher.h).
 */
#include "hasher.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "xalloc.h"
#include "banned.h"

#define MAX_WORKERS 8

struct server_hasher {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct server_hash_job *head, **tail;
	unsigned queued, max_queued;
	bool stopping;
	unsigned nr;
	pthread_t threads[MAX_WORKERS];
	struct store *stores[MAX_WORKERS];
};

struct worker_arg {
	struct server_hasher *hs;
	unsigned i;
};

static void *worker_main(void *arg)
{
	struct worker_arg *wa = arg;
	struct server_hasher *hs = wa->hs;
	struct store *st = hs->stores[wa->i];

	free(wa);
	pthread_mutex_lock(&hs->lock);
	for (;;) {
		struct server_hash_job *job;

		while (!hs->head && !hs->stopping)
			pthread_cond_wait(&hs->wake, &hs->lock);
		if (!hs->head)
			break;
		job = hs->head;
		hs->head = job->next;
		if (!hs->head)
			hs->tail = &hs->head;
		hs->queued--;
		if (hs->stopping) {
			job->rc = STORE_ERROR;
		} else {
			pthread_mutex_unlock(&hs->lock);
			job->rc = job->run(st, job);
			pthread_mutex_lock(&hs->lock);
		}
		server_request_resume(job->req);
	}
	pthread_mutex_unlock(&hs->lock);
	return NULL;
}

struct server_hasher *server_hasher_start(const char *db, unsigned workers,
					  unsigned max_queued,
					  struct strbuf *err)
{
	struct server_hasher *hs = xcalloc(1, sizeof(*hs));

	if (workers > MAX_WORKERS)
		workers = MAX_WORKERS;
	pthread_mutex_init(&hs->lock, NULL);
	pthread_cond_init(&hs->wake, NULL);
	hs->tail = &hs->head;
	hs->max_queued = max_queued;
	for (unsigned i = 0; i < workers; i++) {
		struct worker_arg *wa;

		hs->stores[i] = store_open(db, STORE_EXISTING, err);
		if (!hs->stores[i])
			goto fail;
		wa = xcalloc(1, sizeof(*wa));
		wa->hs = hs;
		wa->i = i;
		if (pthread_create(&hs->threads[i], NULL, worker_main, wa)) {
			free(wa);
			store_free(hs->stores[i]);
			hs->stores[i] = NULL;
			strbuf_addstr(err, "cannot start a password thread");
			goto fail;
		}
		hs->nr++;
	}
	return hs;
fail:
	server_hasher_stop(hs);
	return NULL;
}

enum server_outcome server_hasher_submit(struct server_hasher *hs,
					 struct server_hash_job *job,
					 server_handler resume)
{
	pthread_mutex_lock(&hs->lock);
	if (hs->stopping || hs->queued >= hs->max_queued) {
		pthread_mutex_unlock(&hs->lock);
		return SERVER_REPLY;
	}
	/* Suspended before a worker can see it, so never resumed first. */
	server_request_suspend(job->req, resume);
	job->next = NULL;
	*hs->tail = job;
	hs->tail = &job->next;
	hs->queued++;
	pthread_cond_signal(&hs->wake);
	pthread_mutex_unlock(&hs->lock);
	return SERVER_SUSPENDED;
}

void server_hasher_stop(struct server_hasher *hs)
{
	if (!hs)
		return;
	pthread_mutex_lock(&hs->lock);
	hs->stopping = true;
	pthread_cond_broadcast(&hs->wake);
	pthread_mutex_unlock(&hs->lock);
	for (unsigned i = 0; i < hs->nr; i++)
		pthread_join(hs->threads[i], NULL);
	for (unsigned i = 0; i < MAX_WORKERS; i++)
		store_free(hs->stores[i]);
	pthread_cond_destroy(&hs->wake);
	pthread_mutex_destroy(&hs->lock);
	free(hs);
}
