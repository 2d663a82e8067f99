/*
 * writer.c - the group-commit writer thread (see writer.h).
 */
#include "writer.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "answers.h"
#include "xalloc.h"
#include "banned.h"

struct server_writer {
	struct survey_store *st;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct server_write_job *head, *tail;
	bool stopping;
	struct survey_store *ckpt; /* the checkpointer's connection */
	pthread_t ckpt_thread;
	pthread_cond_t ckpt_wake;
	struct server_writer_stats stats;
};

static void fail_all(struct server_write_job *list, const char *why)
{
	while (list) {
		struct server_write_job *next = list->next;

		list->rc = -1;
		if (!list->err.len)
			strbuf_addstr(&list->err, why);
		list->done(list->arg, -1);
		list = next;
	}
}

/* Run every job of list; with savepoints, each job alone is undone. */
static unsigned long long run_jobs(struct server_writer *w,
				   struct server_write_job *list,
				   bool savepoints)
{
	unsigned long long failed = 0;

	for (struct server_write_job *j = list; j; j = j->next) {
		strbuf_reset(&j->err);
		if (savepoints)
			survey_store_exec(w->st, "SAVEPOINT job", NULL);
		j->rc = j->run(w->st, j->arg, &j->err);
		if (j->rc < 0) {
			failed++;
			if (!savepoints)
				return failed; /* start over with savepoints */
			survey_store_exec(w->st, "ROLLBACK TO job", NULL);
		}
		if (savepoints)
			survey_store_exec(w->st, "RELEASE job", NULL);
	}
	return failed;
}

/*
 * Run one batch in one transaction.  Jobs almost never fail, so the batch
 * first runs without savepoints (they cost as much as a small job); if
 * one does fail, the whole batch is rolled back and run again with a
 * savepoint per job, so that the failing one is undone alone.
 */
static void run_batch(struct server_writer *w, struct server_write_job *list)
{
	struct strbuf err = STRBUF_INIT;
	unsigned long long n = 0, failed;

	for (struct server_write_job *j = list; j; j = j->next)
		n++;
	if (survey_store_exec(w->st, "BEGIN IMMEDIATE", &err) < 0) {
		fail_all(list, err.buf);
		failed = n;
		goto out;
	}
	failed = run_jobs(w, list, false);
	if (failed) {
		sqlite3_exec(w->st->db, "ROLLBACK", NULL, NULL, NULL);
		if (survey_store_exec(w->st, "BEGIN IMMEDIATE", &err) < 0) {
			fail_all(list, err.buf);
			failed = n;
			goto out;
		}
		failed = run_jobs(w, list, true);
	}
	if (survey_store_exec(w->st, "COMMIT", &err) < 0) {
		sqlite3_exec(w->st->db, "ROLLBACK", NULL, NULL, NULL);
		for (struct server_write_job *j = list; j; j = j->next)
			j->rc = -1;
		fail_all(list, err.buf);
		failed = n;
		goto out;
	}
	/* On disk now: only from here on may anyone hear "thank you". */
	while (list) {
		struct server_write_job *next = list->next;

		list->done(list->arg, list->rc);
		list = next;
	}
out:
	pthread_mutex_lock(&w->lock);
	w->stats.batches++;
	w->stats.jobs += n;
	w->stats.failed += failed;
	pthread_mutex_unlock(&w->lock);
	strbuf_release(&err);
}

/*
 * Checkpoints copy the WAL into the main file and fsync it.  Left to
 * SQLite, the commit that crosses 1000 pages would do that itself and
 * every submission in that batch would wait for it; so the writer's
 * connection never checkpoints, and this thread does, on its own
 * connection, once a second (PASSIVE: it never holds up the writer).
 */
static void *checkpoint_main(void *arg)
{
	struct server_writer *w = arg;
	struct timespec due;

	pthread_mutex_lock(&w->lock);
	while (!w->stopping) {
		clock_gettime(CLOCK_REALTIME, &due);
		due.tv_sec += 1;
		pthread_cond_timedwait(&w->ckpt_wake, &w->lock, &due);
		if (w->stopping)
			break;
		pthread_mutex_unlock(&w->lock);
		survey_store_exec(w->ckpt, "PRAGMA wal_checkpoint(PASSIVE)",
				  NULL);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static void *writer_main(void *arg)
{
	struct server_writer *w = arg;

	for (;;) {
		struct server_write_job *list;

		pthread_mutex_lock(&w->lock);
		while (!w->head && !w->stopping)
			pthread_cond_wait(&w->wake, &w->lock);
		list = w->head;
		w->head = w->tail = NULL;
		pthread_mutex_unlock(&w->lock);
		if (!list)
			break; /* stopping, and nothing left */
		run_batch(w, list);
	}
	return NULL;
}

struct server_writer *server_writer_start(const char *path, struct strbuf *err)
{
	struct server_writer *w = xcalloc(1, sizeof(*w));

	w->st = survey_store_open(path, SURVEY_STORE_EXISTING, err);
	if (!w->st) {
		free(w);
		return NULL;
	}
	w->ckpt = survey_store_open(path, SURVEY_STORE_EXISTING, err);
	if (!w->ckpt) {
		survey_store_free(w->st);
		free(w);
		return NULL;
	}
	sqlite3_wal_autocheckpoint(w->st->db, 0);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	pthread_cond_init(&w->ckpt_wake, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w)) {
		strbuf_addstr(err, "cannot start the writer thread");
		goto fail;
	}
	if (pthread_create(&w->ckpt_thread, NULL, checkpoint_main, w)) {
		strbuf_addstr(err, "cannot start the checkpoint thread");
		pthread_mutex_lock(&w->lock);
		w->stopping = true;
		pthread_cond_signal(&w->wake);
		pthread_mutex_unlock(&w->lock);
		pthread_join(w->thread, NULL);
		goto fail;
	}
	return w;
fail:
	survey_store_free(w->st);
	survey_store_free(w->ckpt);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	pthread_cond_destroy(&w->ckpt_wake);
	free(w);
	return NULL;
}

void server_writer_submit(struct server_writer *w, struct server_write_job *job)
{
	job->next = NULL;
	pthread_mutex_lock(&w->lock);
	if (w->stopping) {
		pthread_mutex_unlock(&w->lock);
		job->rc = -1;
		strbuf_addstr(&job->err, "the server is shutting down");
		job->done(job->arg, -1);
		return;
	}
	if (w->tail)
		w->tail->next = job;
	else
		w->head = job;
	w->tail = job;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

/* A waiter for server_writer_run(). */
struct sync_wait {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;
};

struct sync_job {
	struct server_write_job job;
	struct sync_wait wait;
	int (*run)(struct survey_store *st, void *arg, struct strbuf *err);
	void *arg;
};

static int sync_run(struct survey_store *st, void *arg, struct strbuf *err)
{
	struct sync_job *sj = arg;

	return sj->run(st, sj->arg, err);
}

static void sync_job_done(void *arg, int rc)
{
	struct sync_job *sj = arg;

	(void)rc;
	pthread_mutex_lock(&sj->wait.lock);
	sj->wait.done = true;
	pthread_cond_signal(&sj->wait.cond);
	pthread_mutex_unlock(&sj->wait.lock);
}

int server_writer_run(struct server_writer *w,
		      int (*run)(struct survey_store *st, void *arg,
				 struct strbuf *err),
		      void *arg, struct strbuf *err)
{
	struct sync_job sj = { .run = run, .arg = arg };
	int rc;

	sj.job.run = sync_run;
	sj.job.done = sync_job_done;
	sj.job.arg = &sj;
	strbuf_init(&sj.job.err, 0);
	pthread_mutex_init(&sj.wait.lock, NULL);
	pthread_cond_init(&sj.wait.cond, NULL);
	server_writer_submit(w, &sj.job);
	pthread_mutex_lock(&sj.wait.lock);
	while (!sj.wait.done)
		pthread_cond_wait(&sj.wait.cond, &sj.wait.lock);
	pthread_mutex_unlock(&sj.wait.lock);
	rc = sj.job.rc;
	if (rc < 0)
		strbuf_add(err, sj.job.err.buf, sj.job.err.len);
	strbuf_release(&sj.job.err);
	pthread_mutex_destroy(&sj.wait.lock);
	pthread_cond_destroy(&sj.wait.cond);
	return rc;
}

void server_writer_stats(struct server_writer *w,
			 struct server_writer_stats *stats)
{
	pthread_mutex_lock(&w->lock);
	*stats = w->stats;
	pthread_mutex_unlock(&w->lock);
}

void server_writer_stop(struct server_writer *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_signal(&w->wake);
	pthread_cond_signal(&w->ckpt_wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_join(w->ckpt_thread, NULL);
	survey_store_free(w->ckpt);
	/*
	 * Fold the WAL back into the main file so that a copy of the .db
	 * alone is complete; a failure here loses nothing (the WAL stays).
	 */
	server_answers_forget(w->st);
	survey_store_exec(w->st, "PRAGMA wal_checkpoint(TRUNCATE)", NULL);
	survey_store_free(w->st);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	pthread_cond_destroy(&w->ckpt_wake);
	free(w);
}
