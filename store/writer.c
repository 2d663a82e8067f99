/*
 * writer.c - the group-commit writer thread (see writer.h).
 *
 * Three threads: the writer runs batches; the notifier tells each job's
 * owner how its batch went, so that the writer can begin the next batch
 * while the owners of the last one are being resumed; the checkpointer
 * folds the WAL into the main file.
 */
#include "writer.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "internal.h"
#include "xalloc.h"
#include "banned.h"

struct store_writer {
	struct store *st;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct store_write_job *head, *tail;
	bool stopping;
	struct store *ckpt; /* the checkpointer's connection */
	pthread_t ckpt_thread;
	pthread_cond_t ckpt_wake;
	bool ckpt_asked; /* the writer wants a checkpoint now */
	/* The WAL's length in frames after the last commit; the writer's. */
	int wal_frames, wake_at, catch_up_at;
	/* Finished jobs whose owners the notifier has still to tell. */
	struct store_write_job *done_head, *done_tail;
	bool writer_gone; /* no more will come: the notifier may end */
	pthread_t notify_thread;
	pthread_cond_t notify_wake;
	struct store_writer_stats stats;
};

/*
 * Hand list (rc set in every job) to the notifier.  The writer does not
 * touch those jobs again.
 */
static void notify(struct store_writer *w, struct store_write_job *list)
{
	struct store_write_job *last = list;

	if (!list)
		return;
	while (last->next)
		last = last->next;
	pthread_mutex_lock(&w->lock);
	if (w->done_tail)
		w->done_tail->next = list;
	else
		w->done_head = list;
	w->done_tail = last;
	pthread_cond_signal(&w->notify_wake);
	pthread_mutex_unlock(&w->lock);
}

static void fail_all(struct store_writer *w, struct store_write_job *list,
		     const char *why)
{
	for (struct store_write_job *j = list; j; j = j->next) {
		j->rc = STORE_ERROR;
		if (!j->err.len)
			strbuf_addstr(&j->err, why);
	}
	notify(w, list);
}

/* Run every job of list; with savepoints, each job alone is undone. */
static unsigned long long
run_jobs(struct store_writer *w, struct store_write_job *list, bool savepoints)
{
	unsigned long long failed = 0;

	for (struct store_write_job *j = list; j; j = j->next) {
		strbuf_reset(&j->err);
		if (savepoints && store_begin(w->st, &j->err) < 0) {
			j->rc = STORE_ERROR;
			failed++;
			continue;
		}
		j->rc = j->run(w->st, j->arg, &j->err);
		if (j->rc != STORE_OK) {
			failed++;
			if (!savepoints)
				return failed; /* start over with savepoints */
			store_rollback(w->st);
		} else if (savepoints && store_commit(w->st, &j->err) < 0) {
			j->rc = STORE_ERROR;
			failed++;
			store_rollback(w->st);
		}
	}
	return failed;
}

/*
 * Run one batch in one transaction.  Jobs almost never fail, so the batch
 * first runs without savepoints (they cost as much as a small job); if
 * one does fail, the whole batch is rolled back and run again with a
 * savepoint per job, so that the failing one is undone alone.
 */
static void run_batch(struct store_writer *w, struct store_write_job *list)
{
	struct strbuf err = STRBUF_INIT;
	unsigned long long n = 0, failed;

	for (struct store_write_job *j = list; j; j = j->next)
		n++;
	if (store_begin(w->st, &err) < 0) {
		fail_all(w, list, err.buf);
		failed = n;
		goto out;
	}
	failed = run_jobs(w, list, false);
	if (failed) {
		store_rollback(w->st);
		if (store_begin(w->st, &err) < 0) {
			fail_all(w, list, err.buf);
			failed = n;
			goto out;
		}
		failed = run_jobs(w, list, true);
	}
	if (store_commit(w->st, &err) < 0) {
		store_rollback(w->st);
		fail_all(w, list, err.buf);
		failed = n;
		goto out;
	}
	/* On disk now: only from here on may anyone hear "thank you". */
	notify(w, list);
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
 * connection does not checkpoint after commits, and the checkpointer
 * does, on its own connection (PASSIVE: it never holds up the writer),
 * once a second and whenever the writer asks.
 *
 * That alone lets the WAL grow for as long as submissions keep coming: a
 * passive checkpoint copies what was committed when it began, and SQLite
 * starts writing the WAL from its beginning again only when a checkpoint
 * has copied all of it.  A WAL that grows costs every commit more than
 * its pages: each fsync must also write the file's new size and blocks,
 * a second write the disk has to finish before the commit is durable.
 * So once the WAL holds WAL_WAKE frames the writer wakes the
 * checkpointer, and once it holds WAL_CATCH_UP frames the writer, between
 * two batches, checkpoints the little the checkpointer has not yet
 * copied; its next commit then writes over the WAL from the start, in
 * blocks the file already has.
 */
#define WAL_WAKE     1000 /* frames (pages): about 4 MB */
#define WAL_CATCH_UP 2000 /* frames */

static void *checkpoint_main(void *arg)
{
	struct store_writer *w = arg;
	struct timespec due;

	pthread_mutex_lock(&w->lock);
	while (!w->stopping) {
		if (!w->ckpt_asked) {
			clock_gettime(CLOCK_REALTIME, &due);
			due.tv_sec += 1;
			pthread_cond_timedwait(&w->ckpt_wake, &w->lock, &due);
		}
		if (w->stopping)
			break;
		w->ckpt_asked = false;
		pthread_mutex_unlock(&w->lock);
		store_exec(w->ckpt, "PRAGMA wal_checkpoint(PASSIVE)", NULL);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* After each commit on the writer's connection: how long the WAL is. */
static int wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct store_writer *w = arg;

	(void)db;
	(void)name;
	if (frames < w->wal_frames) { /* started over */
		w->wake_at = WAL_WAKE;
		w->catch_up_at = WAL_CATCH_UP;
	}
	w->wal_frames = frames;
	return SQLITE_OK;
}

/* Between batches: keep the WAL short (see above). */
static void keep_wal_short(struct store_writer *w)
{
	int frames = 0, rc;

	if (w->wal_frames >= w->catch_up_at) {
		rc = sqlite3_wal_checkpoint_v2(w->st->db, NULL,
					       SQLITE_CHECKPOINT_PASSIVE,
					       &frames, NULL);
		/*
		 * Busy: the checkpointer is at it; try after the next
		 * batch.  Otherwise the next commit starts the WAL over,
		 * unless a reader still reads its end (then not all was
		 * copied, or it is not free to start over): try again once
		 * the WAL is WAL_WAKE frames longer.
		 */
		if (rc == SQLITE_OK)
			w->catch_up_at = frames + WAL_WAKE;
	} else if (w->wal_frames >= w->wake_at) {
		w->wake_at = w->wal_frames + WAL_WAKE;
		pthread_mutex_lock(&w->lock);
		w->ckpt_asked = true;
		pthread_cond_signal(&w->ckpt_wake);
		pthread_mutex_unlock(&w->lock);
	}
}

static void *writer_main(void *arg)
{
	struct store_writer *w = arg;

	for (;;) {
		struct store_write_job *list;

		pthread_mutex_lock(&w->lock);
		while (!w->head && !w->stopping)
			pthread_cond_wait(&w->wake, &w->lock);
		list = w->head;
		w->head = w->tail = NULL;
		if (!list) {
			/* Stopping, and nothing left: nor for the notifier. */
			w->writer_gone = true;
			pthread_cond_signal(&w->notify_wake);
			pthread_mutex_unlock(&w->lock);
			break;
		}
		pthread_mutex_unlock(&w->lock);
		run_batch(w, list);
		keep_wal_short(w);
	}
	return NULL;
}

/*
 * Tell the owners of finished jobs, in the order they were finished.
 * Resuming a connection costs a lock and a system call in libmicrohttpd;
 * on this thread that happens while the writer runs the next batch.
 */
static void *notify_main(void *arg)
{
	struct store_writer *w = arg;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct store_write_job *list;

		while (!w->done_head && !w->writer_gone)
			pthread_cond_wait(&w->notify_wake, &w->lock);
		list = w->done_head;
		w->done_head = w->done_tail = NULL;
		if (!list)
			break; /* the writer is gone and all are told */
		pthread_mutex_unlock(&w->lock);
		while (list) {
			struct store_write_job *next = list->next;

			list->done(list->arg, list->rc);
			list = next;
		}
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* Stop whichever threads have started and wait for them. */
static void stop_threads(struct store_writer *w, bool writer, bool notifier,
			 bool checkpointer)
{
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	if (!writer)
		w->writer_gone = true;
	pthread_cond_signal(&w->wake);
	pthread_cond_signal(&w->notify_wake);
	pthread_cond_signal(&w->ckpt_wake);
	pthread_mutex_unlock(&w->lock);
	if (writer)
		pthread_join(w->thread, NULL);
	if (notifier)
		pthread_join(w->notify_thread, NULL);
	if (checkpointer)
		pthread_join(w->ckpt_thread, NULL);
}

struct store_writer *store_writer_start(const char *path, struct strbuf *err)
{
	struct store_writer *w = xcalloc(1, sizeof(*w));

	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	pthread_cond_init(&w->notify_wake, NULL);
	pthread_cond_init(&w->ckpt_wake, NULL);
	w->st = store_open(path, STORE_EXISTING, err);
	if (!w->st)
		goto fail;
	w->ckpt = store_open(path, STORE_EXISTING, err);
	if (!w->ckpt)
		goto fail;
	/*
	 * Our hook replaces SQLite's own checkpoint after commits.  The WAL
	 * keeps its blocks when it starts over, unless a reader held it
	 * back so long that it grew past 32 MB: then it is cut back to that.
	 */
	w->wake_at = WAL_WAKE;
	w->catch_up_at = WAL_CATCH_UP;
	sqlite3_wal_hook(w->st->db, wal_hook, w);
	if (store_exec(w->st, "PRAGMA journal_size_limit = 33554432", err) < 0)
		goto fail;
	if (pthread_create(&w->notify_thread, NULL, notify_main, w)) {
		strbuf_addstr(err, "cannot start the notifier thread");
		stop_threads(w, false, false, false);
		goto fail;
	}
	if (pthread_create(&w->thread, NULL, writer_main, w)) {
		strbuf_addstr(err, "cannot start the writer thread");
		stop_threads(w, false, true, false);
		goto fail;
	}
	if (pthread_create(&w->ckpt_thread, NULL, checkpoint_main, w)) {
		strbuf_addstr(err, "cannot start the checkpoint thread");
		stop_threads(w, true, true, false);
		goto fail;
	}
	return w;
fail:
	store_free(w->st);
	store_free(w->ckpt);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	pthread_cond_destroy(&w->notify_wake);
	pthread_cond_destroy(&w->ckpt_wake);
	free(w);
	return NULL;
}

void store_writer_submit(struct store_writer *w, struct store_write_job *job)
{
	job->next = NULL;
	pthread_mutex_lock(&w->lock);
	if (w->stopping) {
		pthread_mutex_unlock(&w->lock);
		job->rc = STORE_ERROR;
		strbuf_addstr(&job->err, "the server is shutting down");
		job->done(job->arg, STORE_ERROR);
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

/* A waiter for store_writer_run(). */
struct sync_wait {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;
};

struct sync_job {
	struct store_write_job job;
	struct sync_wait wait;
	int (*run)(struct store *st, void *arg, struct strbuf *err);
	void *arg;
};

static int sync_run(struct store *st, void *arg, struct strbuf *err)
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

int store_writer_run(struct store_writer *w,
		     int (*run)(struct store *st, void *arg,
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
	store_writer_submit(w, &sj.job);
	pthread_mutex_lock(&sj.wait.lock);
	while (!sj.wait.done)
		pthread_cond_wait(&sj.wait.cond, &sj.wait.lock);
	pthread_mutex_unlock(&sj.wait.lock);
	rc = sj.job.rc;
	if (rc != STORE_OK)
		strbuf_add(err, sj.job.err.buf, sj.job.err.len);
	strbuf_release(&sj.job.err);
	pthread_mutex_destroy(&sj.wait.lock);
	pthread_cond_destroy(&sj.wait.cond);
	return rc;
}

void store_writer_stats(struct store_writer *w,
			struct store_writer_stats *stats)
{
	pthread_mutex_lock(&w->lock);
	*stats = w->stats;
	pthread_mutex_unlock(&w->lock);
}

void store_writer_stop(struct store_writer *w)
{
	if (!w)
		return;
	stop_threads(w, true, true, true);
	store_free(w->ckpt);
	/*
	 * Fold the WAL back into the main file so that a copy of the .db
	 * alone is complete; a failure here loses nothing (the WAL stays).
	 */
	store_checkpoint(w->st, NULL);
	store_free(w->st);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	pthread_cond_destroy(&w->notify_wake);
	pthread_cond_destroy(&w->ckpt_wake);
	free(w);
}
