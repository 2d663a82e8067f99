/*
 * test_server_crash.c - nothing acknowledged is lost when the server is
 * killed.
 *
 * Several threads submit answers for many households as fast as they can
 * (each submission with a text of its own), and note every submission the
 * server acknowledged with its 303.  Then the server is killed with
 * SIGKILL in the middle of it all.  Afterwards every acknowledged
 * submission must be in the store, each household's counting response
 * must be its last acknowledged one or a later one (a submission can be
 * committed and then lose its reply), no household counts twice, and a
 * restarted server serves the answers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "strbuf.h"
#include "banned.h"

#define NR_THREADS 8

static struct harness h;
static struct served srv;
static atomic_bool stop;

struct worker {
	pthread_t thread;
	int nr;
	int *acked; /* per household: last acknowledged round, or -1 */
	unsigned long submitted, acknowledged;
};

static int submit(size_t i, int round, const char *csrf)
{
	struct strbuf path = STRBUF_INIT, body = STRBUF_INIT;
	struct reply r;
	int ok;

	strbuf_addf(&path, "/f/%s", h.codes[i]);
	strbuf_addf(&body,
		    "csrf=%s&q_speelveld=%s&q_tevreden=%d"
		    "&q_opmerking=crash-%zu-%d",
		    csrf, round % 2 ? "tegen" : "voor", 1 + round % 5, i,
		    round);
	ok = harness_http(&srv, NULL, path.buf, body.buf, NULL, &r) == 0 &&
	     r.status == 303;
	reply_release(&r);
	strbuf_release(&path);
	strbuf_release(&body);
	return ok;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	char(*csrf)[80] = calloc(h.nr_codes, sizeof(*csrf));

	for (int round = 0; !atomic_load(&stop); round++) {
		for (size_t i = (size_t)w->nr; i < h.nr_codes && !stop;
		     i += NR_THREADS) {
			if (!csrf[i][0]) {
				struct strbuf path = STRBUF_INIT;
				struct reply r;

				strbuf_addf(&path, "/f/%s", h.codes[i]);
				if (harness_http(&srv, NULL, path.buf, NULL,
						 NULL, &r) == 0)
					reply_csrf(&r, csrf[i],
						   sizeof(csrf[i]));
				reply_release(&r);
				strbuf_release(&path);
				if (!csrf[i][0])
					continue;
			}
			w->submitted++;
			if (submit(i, round, csrf[i])) {
				w->acked[i] = round;
				w->acknowledged++;
			}
		}
	}
	free(csrf);
	return NULL;
}

static long long value_count(size_t i, int round, bool counting)
{
	struct strbuf sql = STRBUF_INIT;
	long long n;

	strbuf_addf(&sql,
		    "SELECT count(*) FROM answer a JOIN response r"
		    " ON r.id = a.response_id WHERE r.household_id = %lld"
		    " AND a.question_id = 'opmerking'"
		    " AND a.value = 'crash-%zu-%d' %s",
		    h.households[i], i, round,
		    counting ? "AND r.superseded_by IS NULL" : "");
	n = harness_query_int(&h, sql.buf);
	strbuf_release(&sql);
	return n;
}

/* The round of the counting response of household i, or -1. */
static int counting_round(size_t i)
{
	struct strbuf sql = STRBUF_INIT;
	long long n;

	strbuf_addf(&sql,
		    "SELECT CAST(substr(a.value, length('crash-%zu-') + 1)"
		    " AS INTEGER) FROM answer a JOIN response r"
		    " ON r.id = a.response_id WHERE r.household_id = %lld"
		    " AND a.question_id = 'opmerking'"
		    " AND r.superseded_by IS NULL",
		    i, h.households[i]);
	n = harness_query_int(&h, sql.buf);
	strbuf_release(&sql);
	return (int)n;
}

static void test_kill_under_load(void **state)
{
	struct worker w[NR_THREADS];
	unsigned long submitted = 0, acknowledged = 0, checked = 0;
	struct timespec ts = { 2, 0 };
	struct strbuf path = STRBUF_INIT;
	struct reply r;

	(void)state;
	assert_int_equal(harness_make_store(&h, NULL, NULL), 0);
	assert_int_equal(harness_serve(&h, &srv, "--today", "2027-04-20",
				       "--per-ip-connections", "256", NULL),
			 0);
	for (int t = 0; t < NR_THREADS; t++) {
		memset(&w[t], 0, sizeof(w[t]));
		w[t].nr = t;
		w[t].acked = malloc(h.nr_codes * sizeof(int));
		for (size_t i = 0; i < h.nr_codes; i++)
			w[t].acked[i] = -1;
		assert_int_equal(
			pthread_create(&w[t].thread, NULL, work, &w[t]), 0);
	}
	nanosleep(&ts, NULL);
	/* In the middle of it all. */
	assert_int_equal(harness_stop(&srv, SIGKILL), 128 + SIGKILL);
	atomic_store(&stop, true);
	for (int t = 0; t < NR_THREADS; t++) {
		pthread_join(w[t].thread, NULL);
		submitted += w[t].submitted;
		acknowledged += w[t].acknowledged;
	}
	print_message("%lu submissions, %lu acknowledged before the kill\n",
		      submitted, acknowledged);
	assert_true(acknowledged > 50);

	for (int t = 0; t < NR_THREADS; t++) {
		for (size_t i = (size_t)t; i < h.nr_codes; i += NR_THREADS) {
			int last = w[t].acked[i];

			if (last < 0)
				continue;
			/* The last acknowledged round is in the store... */
			if (value_count(i, last, false) != 1)
				fail_msg("household %zu: acknowledged round "
					 "%d is not stored",
					 i, last);
			/* ...and what counts is that or something later. */
			if (counting_round(i) < last)
				fail_msg("household %zu counts round %d, but "
					 "round %d was acknowledged",
					 i, counting_round(i), last);
			checked++;
		}
	}
	assert_true(checked > 0);
	assert_int_equal(harness_query_int(
				 &h, "SELECT count(*) FROM (SELECT household_id"
				     " FROM response WHERE superseded_by IS "
				     "NULL GROUP BY household_id"
				     " HAVING count(*) > 1)"),
			 0);
	assert_int_equal(harness_query_int(&h, "SELECT count(*) FROM "
					       "pragma_integrity_check WHERE "
					       "integrity_check <> 'ok'"),
			 0);

	/* A restarted server serves what was stored. */
	assert_int_equal(harness_serve(&h, &srv, "--today", "2027-04-20", NULL),
			 0);
	for (size_t i = 0; i < h.nr_codes; i++) {
		int last = w[i % NR_THREADS].acked[i];
		struct strbuf want = STRBUF_INIT;

		if (last < 0)
			continue;
		strbuf_addf(&path, "/f/%s/ontvangen", h.codes[i]);
		assert_int_equal(
			harness_http(&srv, NULL, path.buf, NULL, NULL, &r), 0);
		assert_int_equal(r.status, 200);
		strbuf_addf(&want, "crash-%zu-", i);
		assert_non_null(strstr(r.body.buf, want.buf));
		reply_release(&r);
		strbuf_release(&want);
		break;
	}
	assert_int_equal(harness_stop(&srv, SIGTERM), 0);
	for (int t = 0; t < NR_THREADS; t++)
		free(w[t].acked);
	strbuf_release(&path);
	harness_remove(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill_under_load),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
