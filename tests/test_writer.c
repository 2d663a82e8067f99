/*
 * test_writer.c - the group-commit writer (store/writer.c) on a real
 * store, one of the data layer's own tests: the jobs of
 * one batch share a commit, yet a job that breaks a reference fails
 * alone (the batch runs again with a savepoint per job) and nothing
 * dangling reaches the store.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <pthread.h>

#include "answers.h"
#include "definition.h"
#include "harness.h"
#include "internal.h"
#include "responses.h"
#include "store.h"
#include "survey.h"
#include "writer.h"
#include "xalloc.h"

struct fixture {
	struct harness h; /* the Dorst sample's store */
	struct survey *s;
	struct store_writer *w;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int done;      /* jobs whose done() has run */
	bool blocking; /* the writer is in the blocking job */
	bool released; /* the blocking job may end */
};

static int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));
	struct strbuf err = STRBUF_INIT;
	struct store *st;

	assert_int_equal(harness_make_store(&fx->h, NULL, NULL), 0);
	st = store_open(fx->h.db, STORE_EXISTING, &err);
	assert_non_null(st);
	fx->s = store_definition_load(st, &err);
	assert_non_null(fx->s);
	store_free(st);
	fx->w = store_writer_start(fx->h.db, &err);
	if (!fx->w)
		fail_msg("%s", err.buf);
	pthread_mutex_init(&fx->lock, NULL);
	pthread_cond_init(&fx->cond, NULL);
	strbuf_release(&err);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	store_writer_stop(fx->w);
	survey_free(fx->s);
	harness_remove(&fx->h);
	pthread_mutex_destroy(&fx->lock);
	pthread_cond_destroy(&fx->cond);
	free(fx);
	return 0;
}

static long long query_int(struct fixture *fx, const char *sql)
{
	return harness_query_int(&fx->h, sql);
}

/* ---- jobs ---------------------------------------------------------------- */

struct record_job {
	struct fixture *fx;
	struct store_write_job job;
	struct store_record rec;
	struct survey_answers answers;
};

static void job_done(void *arg, int rc)
{
	struct fixture *fx = arg;

	(void)rc;
	pthread_mutex_lock(&fx->lock);
	fx->done++;
	pthread_cond_broadcast(&fx->cond);
	pthread_mutex_unlock(&fx->lock);
}

static int run_record(struct store *st, void *arg, struct strbuf *err)
{
	struct record_job *r = arg;

	return store_response_record(st, &r->rec, err);
}

static void record_done(void *arg, int rc)
{
	struct record_job *r = arg;

	job_done(r->fx, rc);
}

/* A resident's online answer for household, as resident.c queues it. */
static void queue_record(struct fixture *fx, struct record_job *r,
			 long long household, const struct survey_question *q,
			 const char *value)
{
	memset(r, 0, sizeof(*r));
	r->fx = fx;
	survey_answers_add(&r->answers, q, value);
	r->rec.household = household;
	r->rec.channel = "online";
	r->rec.lang = "nl";
	r->rec.answers = &r->answers;
	r->rec.expect_current = -1;
	r->job.run = run_record;
	r->job.done = record_done;
	r->job.arg = r;
	strbuf_init(&r->job.err, 0);
	store_writer_submit(fx->w, &r->job);
}

static void release_record(struct record_job *r)
{
	survey_answers_release(&r->answers);
	strbuf_release(&r->job.err);
}

/* Holds the writer until released, so that what follows is one batch. */
static int run_block(struct store *st, void *arg, struct strbuf *err)
{
	struct fixture *fx = arg;

	(void)st;
	(void)err;
	pthread_mutex_lock(&fx->lock);
	fx->blocking = true;
	pthread_cond_broadcast(&fx->cond);
	while (!fx->released)
		pthread_cond_wait(&fx->cond, &fx->lock);
	fx->blocking = false;
	pthread_mutex_unlock(&fx->lock);
	return 0;
}

static void queue_block(struct fixture *fx, struct store_write_job *job)
{
	memset(job, 0, sizeof(*job));
	fx->released = false;
	job->run = run_block;
	job->done = job_done;
	job->arg = fx;
	strbuf_init(&job->err, 0);
	store_writer_submit(fx->w, job);
	pthread_mutex_lock(&fx->lock);
	while (!fx->blocking)
		pthread_cond_wait(&fx->cond, &fx->lock);
	pthread_mutex_unlock(&fx->lock);
}

static void release_and_wait(struct fixture *fx, int jobs)
{
	pthread_mutex_lock(&fx->lock);
	fx->released = true;
	pthread_cond_broadcast(&fx->cond);
	while (fx->done < jobs)
		pthread_cond_wait(&fx->cond, &fx->lock);
	pthread_mutex_unlock(&fx->lock);
}

/* ---- tests --------------------------------------------------------------- */

/*
 * One household that does not exist among three that do, in one batch:
 * that one fails with SQLite's own foreign key error, the rest commit.
 */
static void test_missing_household_fails_alone(void **state)
{
	struct fixture *fx = *state;
	const struct survey_question *q =
		survey_find_question(fx->s, "speelveld");
	static const long long households[] = { 1, 2, 999999, 3 };
	struct record_job r[4];
	struct store_write_job block;

	assert_non_null(q);
	queue_block(fx, &block);
	for (int i = 0; i < 4; i++)
		queue_record(fx, &r[i], households[i], q, "voor");
	release_and_wait(fx, 5);

	for (int i = 0; i < 4; i++) {
		if (households[i] == 999999) {
			assert_int_equal(r[i].job.rc, -1);
			assert_non_null(strstr(r[i].job.err.buf,
					       "no household 999999"));
		} else {
			assert_int_equal(r[i].job.rc, 0);
			assert_true(r[i].rec.counts);
		}
		release_record(&r[i]);
	}
	strbuf_release(&block.err);
	assert_int_equal(query_int(fx, "SELECT count(*) FROM response"), 3);
	assert_int_equal(query_int(fx, "SELECT count(*) FROM answer"), 3);
	assert_int_equal(query_int(fx, "SELECT count(*) FROM"
				       " pragma_foreign_key_check"),
			 0);
}

/* The same for a question the store does not know. */
static void test_unknown_question_fails_alone(void **state)
{
	struct fixture *fx = *state;
	const struct survey_question *q =
		survey_find_question(fx->s, "speelveld");
	struct survey_question gone = { .id = (char *)"verdwenen" };
	struct record_job r[3];
	struct store_write_job block;

	queue_block(fx, &block);
	queue_record(fx, &r[0], 4, q, "voor");
	queue_record(fx, &r[1], 5, &gone, "ja");
	queue_record(fx, &r[2], 6, q, "tegen");
	release_and_wait(fx, 4);

	assert_int_equal(r[0].job.rc, 0);
	assert_int_equal(r[1].job.rc, -1);
	assert_int_equal(r[2].job.rc, 0);
	for (int i = 0; i < 3; i++)
		release_record(&r[i]);
	strbuf_release(&block.err);
	assert_int_equal(query_int(fx, "SELECT count(*) FROM response"), 2);
	assert_int_equal(query_int(fx, "SELECT count(*) FROM answer WHERE"
				       " question_id = 'verdwenen'"),
			 0);
	assert_int_equal(query_int(fx, "SELECT count(*) FROM"
				       " pragma_foreign_key_check"),
			 0);
}

static int run_dangling(struct store *st, void *arg, struct strbuf *err)
{
	(void)arg;
	return store_exec(st,
			  "INSERT INTO answer VALUES"
			  " (424242, 'speelveld', 'voor')",
			  err);
}

/*
 * A household answering twice in quick succession: the second answer
 * counts.  A job of another kind that breaks a reference fails too.
 */
static void test_other_jobs_keep_foreign_keys(void **state)
{
	struct fixture *fx = *state;
	const struct survey_question *q =
		survey_find_question(fx->s, "speelveld");
	struct record_job r[2];
	struct strbuf err = STRBUF_INIT;

	queue_record(fx, &r[0], 7, q, "voor");
	queue_record(fx, &r[1], 7, q, "tegen");
	pthread_mutex_lock(&fx->lock);
	while (fx->done < 2)
		pthread_cond_wait(&fx->cond, &fx->lock);
	pthread_mutex_unlock(&fx->lock);
	assert_int_equal(r[0].job.rc, 0);
	assert_int_equal(r[1].job.rc, 0);
	release_record(&r[0]);
	release_record(&r[1]);
	assert_int_equal(query_int(fx, "SELECT count(*) FROM answer_export"
				       " WHERE value = 'tegen'"),
			 1);
	assert_int_equal(query_int(fx, "SELECT count(*) FROM answer_export"),
			 1);

	assert_int_equal(store_writer_run(fx->w, run_dangling, NULL, &err), -1);
	assert_non_null(strstr(err.buf, "FOREIGN KEY"));
	assert_int_equal(query_int(fx, "SELECT count(*) FROM answer"
				       " WHERE response_id = 424242"),
			 0);
	strbuf_release(&err);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_missing_household_fails_alone),
		T(test_unknown_question_fails_alone),
		T(test_other_jobs_keep_foreign_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
