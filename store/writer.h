/*
 * writer.h - the one thread that writes to the store, with group commit.
 *
 * Every change the server makes (a resident's answers, a volunteer's paper
 * form, a settled double entry) is a job handed to the writer.  The writer
 * takes everything queued at that moment, runs it in one write transaction
 * (should a job fail, the batch runs again with a savepoint per job, so
 * that it does not undo the others), and only then tells each job's owner
 * how it went.  With
 * synchronous=FULL a commit costs an fsync; sharing that fsync among all
 * waiting submissions is what keeps durability from costing throughput.
 *
 * A job's owner learns the outcome through done(), called after the
 * commit is on disk (rc STORE_OK), or with the job's own outcome when it
 * did not (a positive enum store_rc, or STORE_ERROR with the reason in
 * job->err for the log), on
 * the writer's notifier thread, in the order the jobs were committed:
 * meanwhile the writer already runs the next batch.  done() must not
 * block; the HTTP layer uses it to resume a suspended connection.  The
 * writer never touches a job after done().
 */
#ifndef DRAAGVLAK_STORE_WRITER_H
#define DRAAGVLAK_STORE_WRITER_H

#include "store.h"
#include "strbuf.h"

struct store_write_job {
	/*
	 * The change, run on the writer's connection inside the open
	 * transaction.  Returns STORE_OK, or another enum store_rc (with a
	 * sentence in err for STORE_ERROR): then its changes are rolled
	 * back and the other jobs still commit.
	 */
	int (*run)(struct store *st, void *arg, struct strbuf *err);
	void (*done)(void *arg, int rc);
	void *arg;
	int rc;			      /* the outcome, set before done() */
	struct strbuf err;	      /* why it failed; the owner releases it */
	struct store_write_job *next; /* the writer's queue */
};

struct store_writer;

/* What the writer has done so far, for logs and the bench. */
struct store_writer_stats {
	unsigned long long batches, jobs, failed;
};

/*
 * Open a connection of its own to the store at path and start the thread.
 * Returns the writer, or NULL with a sentence in err.
 */
struct store_writer *store_writer_start(const char *path, struct strbuf *err);

/*
 * Queue job (run and done set; err initialised by the caller).  After
 * store_writer_stop() has begun, done() is called at once with -1.
 */
void store_writer_submit(struct store_writer *w, struct store_write_job *job);

/*
 * Queue a job and wait until it is committed: for callers that may block
 * (the command line, tests, rare board actions).  Returns what run
 * returned (STORE_ERROR with the reason in err), or STORE_ERROR when the
 * batch could not be committed.
 */
int store_writer_run(struct store_writer *w,
		     int (*run)(struct store *st, void *arg,
				struct strbuf *err),
		     void *arg, struct strbuf *err);

void store_writer_stats(struct store_writer *w,
			struct store_writer_stats *stats);

/*
 * Finish every queued job, checkpoint the WAL into the main file, stop the
 * thread and free the writer.  NULL is fine.
 */
void store_writer_stop(struct store_writer *w);

#endif
