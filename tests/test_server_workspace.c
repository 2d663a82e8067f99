/*
 * test_server_workspace.c - the board's workspace on the real server
 * (`draagvlak serve` on loopback, a real store): every question's
 * answers on /bestuur with the free texts in alphabetical order, never
 * in the order they came in; the workbook and the CSV for Excel; and
 * that volunteers see none of it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "strbuf.h"
#include "banned.h"

#define PASSWORD "paarse-olifant-42"
#define TODAY	 "2027-04-20"

static struct harness h;
static struct served srv;
static char board[512], volunteer[512]; /* "Cookie: ..." */

static struct reply req(const char *path, const char *body, const char *cookie)
{
	struct reply r;

	assert_int_equal(harness_http(&srv, NULL, path, body, cookie, &r), 0);
	return r;
}

static int login(const char *name, char *cookie, size_t size)
{
	struct strbuf body = STRBUF_INIT;
	struct reply r;
	char v[256];
	int ret = -1;

	strbuf_addf(&body, "name=%s&password=%s", name, PASSWORD);
	if (harness_http(&srv, NULL, "/login", body.buf, NULL, &r) == 0 &&
	    r.status == 303 && reply_header(&r, "Set-Cookie", v, sizeof(v))) {
		*strchr(v, ';') = '\0';
		snprintf(cookie, size, "Cookie: %s", v);
		ret = 0;
	}
	reply_release(&r);
	strbuf_release(&body);
	return ret;
}

static int setup(void **state)
{
	(void)state;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (harness_make_store(&h, NULL, NULL) < 0 ||
	    harness_add_user(&h, "anna", "volunteer", PASSWORD) < 0 ||
	    harness_add_user(&h, "carol", "board", PASSWORD) < 0 ||
	    harness_serve(&h, &srv, "--today", TODAY, NULL) < 0 ||
	    login("carol", board, sizeof(board)) < 0 ||
	    login("anna", volunteer, sizeof(volunteer)) < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	harness_stop(&srv, SIGTERM);
	harness_remove(&h);
	curl_global_cleanup();
	return 0;
}

/* Household i answers online; the reply must say it is stored. */
static void answer_online(size_t i, const char *answers)
{
	struct strbuf path = STRBUF_INIT, body = STRBUF_INIT;
	char csrf[80];
	struct reply r;

	strbuf_addf(&path, "/f/%s", h.codes[i]);
	r = req(path.buf, NULL, NULL);
	assert_true(reply_csrf(&r, csrf, sizeof(csrf)));
	reply_release(&r);
	strbuf_addf(&body, "csrf=%s&%s", csrf, answers);
	r = req(path.buf, body.buf, NULL);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	strbuf_release(&path);
	strbuf_release(&body);
}

/* GET path as the board until its body holds want (counts follow). */
static struct reply board_until(const char *path, const char *want)
{
	for (int i = 0; i < 100; i++) {
		struct reply r = req(path, NULL, board);

		if (r.status == 200 && strstr(r.body.buf, want))
			return r;
		reply_release(&r);
		usleep(100 * 1000);
	}
	fail_msg("%s never showed '%s'", path, want);
	return req(path, NULL, board);
}

static void test_every_question_on_the_dashboard(void **state)
{
	const char *a, *b, *z;
	struct reply r;

	(void)state;
	/* In the order Z, B, A: the page must not show them so. */
	answer_online(0, "q_speelveld=voor&q_bezoek=soms&"
			 "q_opmerking=Zebrapad+bij+de+school");
	answer_online(1, "q_speelveld=tegen&q_bezoek=soms&q_wensen=bankjes&"
			 "q_opmerking=Bankjes+graag");
	answer_online(2, "q_speelveld=voor&q_bezoek=nooit&q_wensen=bankjes&"
			 "q_wensen=trapveld&q_opmerking=Aardig+plan");
	r = board_until("/bestuur", "3 opmerkingen");
	assert_non_null(strstr(r.body.buf, "Alle vragen"));
	/* The choice question, counted: two chose "soms" of three. */
	assert_non_null(strstr(r.body.buf, "Af en toe</th><td>2 "));
	assert_non_null(strstr(r.body.buf, "(66,7%)"));
	/* The multi question's shares are of every response. */
	assert_non_null(strstr(r.body.buf, "alle 3 reacties"));
	a = strstr(r.body.buf, "<li>Aardig plan</li>");
	b = strstr(r.body.buf, "<li>Bankjes graag</li>");
	z = strstr(r.body.buf, "<li>Zebrapad bij de school</li>");
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(z);
	assert_true(a < b && b < z);
	/* No household's code on a staff page. */
	for (size_t i = 0; i < 3; i++)
		assert_null(strstr(r.body.buf, h.codes[i]));
	reply_release(&r);
}

static void test_downloads_for_excel(void **state)
{
	struct strbuf path = STRBUF_INIT, cmd = STRBUF_INIT;
	char v[256];
	struct reply r;
	FILE *f;

	(void)state;
	r = board_until("/bestuur/antwoorden.csv", ";66,7");
	assert_memory_equal(r.body.buf,
			    "\xef\xbb\xbf"
			    "Vraag;Antwoord;",
			    18);
	assert_non_null(strstr(r.body.buf, "66,7"));
	assert_true(reply_header(&r, "Content-Disposition", v, sizeof(v)));
	assert_non_null(strstr(v, "antwoorden.csv"));
	reply_release(&r);

	r = req("/bestuur/uitslag.xlsx", NULL, board);
	assert_int_equal(r.status, 200);
	assert_true(reply_header(&r, "Content-Type", v, sizeof(v)));
	assert_non_null(strstr(v, "spreadsheetml"));
	assert_memory_equal(r.body.buf, "PK", 2);
	/* A real workbook: its shared strings hold the texts. */
	strbuf_addf(&path, "%s/uitslag.xlsx", h.dir);
	f = fopen(path.buf, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(r.body.buf, 1, r.body.len, f), r.body.len);
	fclose(f);
	strbuf_addf(
		&cmd,
		"unzip -p '%s' xl/sharedStrings.xml | grep -q 'Aardig plan'",
		path.buf);
	assert_int_equal(system(cmd.buf), 0);
	unlink(path.buf);
	reply_release(&r);
	strbuf_release(&path);
	strbuf_release(&cmd);

	/* Only the board: volunteers are refused, strangers sent away. */
	const char *paths[] = { "/bestuur/uitslag.xlsx",
				"/bestuur/antwoorden.csv" };
	for (size_t i = 0; i < 2; i++) {
		r = req(paths[i], NULL, volunteer);
		assert_int_equal(r.status, 403);
		assert_null(strstr(r.body.buf, "Aardig"));
		reply_release(&r);
		r = req(paths[i], NULL, NULL);
		assert_int_equal(r.status, 303);
		reply_release(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_question_on_the_dashboard),
		cmocka_unit_test(test_downloads_for_excel),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
