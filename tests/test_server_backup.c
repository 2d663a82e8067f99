/*
 * test_server_backup.c - `draagvlak backup` of a store the server is
 * writing to, and `draagvlak restore` of that copy, lose nothing that was
 * acknowledged before the backup started.
 *
 * Threads submit answers as fast as they can (each with a text of its
 * own) and note every submission the server acknowledged.  Meanwhile the
 * main thread notes what has been acknowledged so far and takes a backup;
 * the server keeps acknowledging during it.  The copy is restored into a
 * new file, which must hold every submission noted before the backup; a
 * restore over the store the server has open is refused, and so is a
 * damaged copy.
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "strbuf.h"
#include "banned.h"

#define NR_THREADS 6

static struct harness h;
static struct served srv;
static atomic_bool stop;
static atomic_int *acked; /* per household: last acknowledged round, or -1 */
static atomic_ulong acknowledged;

static int submit(size_t i, int round, const char *csrf)
{
	struct strbuf path = STRBUF_INIT, body = STRBUF_INIT;
	struct reply r;
	int ok;

	strbuf_addf(&path, "/f/%s", h.codes[i]);
	strbuf_addf(&body,
		    "csrf=%s&q_speelveld=%s&q_tevreden=%d"
		    "&q_opmerking=bk-%zu-%d",
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
	size_t nr = (size_t)(intptr_t)arg;
	char(*csrf)[80] = calloc(h.nr_codes, sizeof(*csrf));

	for (int round = 0; !atomic_load(&stop); round++) {
		for (size_t i = nr; i < h.nr_codes && !atomic_load(&stop);
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
			if (submit(i, round, csrf[i])) {
				atomic_store(&acked[i], round);
				atomic_fetch_add(&acknowledged, 1);
			}
		}
	}
	free(csrf);
	return NULL;
}

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
	struct strbuf cmd = STRBUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	strbuf_vaddf(&cmd, fmt, ap);
	va_end(ap);
	rc = system(cmd.buf);
	strbuf_release(&cmd);
	return rc == -1 || !WIFEXITED(rc) ? -1 : WEXITSTATUS(rc);
}

/* How many of the noted submissions the store at db holds. */
static long long found(const char *db, const int *want, size_t *expected)
{
	struct harness other = h;
	struct strbuf sql = STRBUF_INIT;
	long long n;

	*expected = 0;
	snprintf(other.db, sizeof(other.db), "%s", db);
	strbuf_addstr(&sql, "WITH v(hh, val) AS (VALUES ");
	for (size_t i = 0; i < h.nr_codes; i++) {
		if (want[i] < 0)
			continue;
		strbuf_addf(&sql, "%s(%lld, 'bk-%zu-%d')",
			    *expected ? ", " : "", h.households[i], i, want[i]);
		++*expected;
	}
	strbuf_addstr(&sql,
		      ") SELECT count(*) FROM v WHERE EXISTS (SELECT 1 FROM"
		      " answer a JOIN response r ON r.id = a.response_id"
		      " WHERE r.household_id = v.hh"
		      " AND a.question_id = 'opmerking' AND a.value = v.val)");
	n = *expected ? harness_query_int(&other, sql.buf) : 0;
	strbuf_release(&sql);
	return n;
}

static void test_backup_under_load(void **state)
{
	pthread_t t[NR_THREADS];
	struct timespec ts = { 1, 0 };
	struct strbuf copy = STRBUF_INIT, restored = STRBUF_INIT;
	unsigned long before, after;
	size_t expected;
	long long n;
	int *noted;

	(void)state;
	assert_int_equal(harness_make_store(&h, NULL, NULL), 0);
	assert_int_equal(harness_serve(&h, &srv, "--today", "2027-04-20",
				       "--per-ip-connections", "256", NULL),
			 0);
	acked = malloc(h.nr_codes * sizeof(*acked));
	noted = malloc(h.nr_codes * sizeof(*noted));
	for (size_t i = 0; i < h.nr_codes; i++)
		atomic_init(&acked[i], -1);
	for (int i = 0; i < NR_THREADS; i++)
		assert_int_equal(
			pthread_create(&t[i], NULL, work, (void *)(intptr_t)i),
			0);
	nanosleep(&ts, NULL);

	/* Everything acknowledged so far must be in the copy. */
	for (size_t i = 0; i < h.nr_codes; i++)
		noted[i] = atomic_load(&acked[i]);
	before = atomic_load(&acknowledged);
	strbuf_addf(&copy, "%s/copy.db", h.dir);
	assert_int_equal(run("'%s' backup --db '%s' '%s'", DRAAGVLAK_BIN, h.db,
			     copy.buf),
			 0);
	nanosleep(&ts, NULL);
	after = atomic_load(&acknowledged);
	print_message("%lu acknowledged before the backup, %lu by a second "
		      "after it\n",
		      before, after);
	assert_true(before > 50);
	assert_true(after > before); /* the server kept taking answers */

	/* The live store is in use: restoring over it is refused. */
	assert_int_equal(run("'%s' restore --db '%s' '%s' 2>/dev/null",
			     DRAAGVLAK_BIN, h.db, copy.buf),
			 1);

	atomic_store(&stop, true);
	for (int i = 0; i < NR_THREADS; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(harness_stop(&srv, SIGTERM), 0);

	strbuf_addf(&restored, "%s/restored.db", h.dir);
	assert_int_equal(run("'%s' restore --db '%s' '%s' >/dev/null",
			     DRAAGVLAK_BIN, restored.buf, copy.buf),
			 0);
	/* Two statements: the order of a call's arguments is unspecified. */
	n = found(restored.buf, noted, &expected);
	assert_int_equal(n, (long long)expected);
	print_message("all %zu households' acknowledged answers are in the "
		      "restored store\n",
		      expected);
	/* The restored store serves. */
	snprintf(h.db, sizeof(h.db), "%s", restored.buf);
	assert_int_equal(harness_serve(&h, &srv, "--today", "2027-04-20", NULL),
			 0);
	assert_int_equal(harness_stop(&srv, SIGTERM), 0);

	/* A damaged copy is refused, and the store stays as it was. */
	assert_int_equal(run("printf 'not a store' >'%s/bad.db' && '%s' "
			     "restore --db '%s' '%s/bad.db' 2>/dev/null",
			     h.dir, DRAAGVLAK_BIN, restored.buf, h.dir),
			 1);
	/* Two statements: the order of a call's arguments is unspecified. */
	n = found(restored.buf, noted, &expected);
	assert_int_equal(n, (long long)expected);

	free(acked);
	free(noted);
	strbuf_release(&copy);
	strbuf_release(&restored);
	harness_remove(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backup_under_load),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
