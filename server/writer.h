/*
 * writer.h - the one thread that writes to the store, with group commit.
 *
 * Every change the server makes (a resident's answers, a volunteer's paper
 * form, a settled double entry) is a job handed to the writer.  The writer
 * takes everything queued at that moment, runs it in one BEGIN IMMEDIATE ..
 * COMMIT (should a job fail, the batch runs again with a savepoint per
 * job, so that it does not undo the others), and only then tells each
 * job's owner how it went.  With
 * synchronous=FULL a commit costs an fsync; sharing that fsync among all
 * waiting submissions is what keeps durability from costing throughput.
 *
 * A job's owner learns the outcome through done(), called after the
 * commit is on disk (rc 0) or has failed (rc -1, reason in job->err), on
 * the writer's notifier thread, in the order the jobs were committed:
 * meanwhile the writer already runs the next batch.  done() must not
 * block; the HTTP layer uses it to resume a suspended connection.  The
 * writer never touches a job after done().
 */
#ifndef DRAAGVLAK_SERVER_WRITER_H
#define DRAAGVLAK_SERVER_WRITER_H

#include "store.h"
#include "strbuf.h"

struct server_write_job {
	/*
	 * The change, run on the writer's connection inside the open
	 * transaction.  Returns 0, or -1 with a sentence in err: then its
	 * changes are rolled back and the other jobs still commit.
	 */
	int (*run)(struct survey_store *st, void *arg, struct strbuf *err);
	void (*done)(void *arg, int rc);
	void *arg;
	int rc;		   /* the outcome, set before done() */
	struct strbuf err; /* why it failed; the owner releases it */
	struct server_write_job *next; /* the writer's queue */
};

struct server_writer;

/* What the writer has done so far, for logs and the bench. */
struct server_writer_stats {
	unsigned long long batches, jobs, failed;
};

/*
 * Open a connection of its own to the store at path and start the thread.
 * Returns the writer, or NULL with a sentence in err.
 */
struct server_writer *server_writer_start(const char *path, struct strbuf *err);

/*
 * Queue job (run and done set; err initialised by the caller).  After
 * server_writer_stop() has begun, done() is called at once with -1.
 */
void server_writer_submit(struct server_writer *w,
			  struct server_write_job *job);

/*
 * Queue a job and wait until it is committed: for callers that may block
 * (the command line, tests, rare board actions).  Returns what run
 * returned (its failures, below 0, with the reason in err), or -1 when
 * the batch could not be committed.
 */
int server_writer_run(struct server_writer *w,
		      int (*run)(struct survey_store *st, void *arg,
				 struct strbuf *err),
		      void *arg, struct strbuf *err);

void server_writer_stats(struct server_writer *w,
			 struct server_writer_stats *stats);

/*
 * Finish every queued job, checkpoint the WAL into the main file, stop the
 * thread and free the writer.  NULL is fine.
 */
void server_writer_stop(struct server_writer *w);

#endif
