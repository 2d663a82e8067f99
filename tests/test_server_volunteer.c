/*
 * test_server_volunteer.c - volunteers, board members and their pages in
 * `draagvlak serve`: accounts made with `draagvlak user add`, log-in and
 * log-out, sessions and CSRF, entering a paper form for a household that
 * already answered online (shown, and replaced only when confirmed), and
 * double entry (counts when two volunteers agree; differences go to the
 * board, who settles them).
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

#include "harness.h"
#include "strbuf.h"
#include "banned.h"

#define PASSWORD "paarse-olifant-42"

static struct harness single, twice; /* double_entry off / on */
static struct served srv1, srv2;

static int setup(void **state)
{
	(void)state;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (harness_make_store(&single, NULL, NULL) < 0 ||
	    harness_make_store(&twice, "double_entry: false",
			       "double_entry: true") < 0)
		return -1;
	if (harness_add_user(&single, "anna", "volunteer", PASSWORD) < 0 ||
	    harness_add_user(&twice, "anna", "volunteer", PASSWORD) < 0 ||
	    harness_add_user(&twice, "bert", "volunteer", PASSWORD) < 0 ||
	    harness_add_user(&twice, "carol", "board", PASSWORD) < 0)
		return -1;
	/* Too short a password is refused. */
	if (harness_add_user(&single, "dirk", "volunteer", "kort") == 0)
		return -1;
	if (harness_serve(&single, &srv1, "--today", "2027-04-20", NULL) < 0 ||
	    harness_serve(&twice, &srv2, "--today", "2027-04-20", NULL) < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	harness_stop(&srv1, SIGTERM);
	harness_stop(&srv2, SIGTERM);
	harness_remove(&single);
	harness_remove(&twice);
	curl_global_cleanup();
	return 0;
}

/* Log in as name on s; fills cookie ("Cookie: ...") for later requests. */
static void login(struct served *s, const char *name, char *cookie, size_t size)
{
	struct strbuf body = STRBUF_INIT;
	struct reply r;
	char v[256];

	strbuf_addf(&body, "name=%s&password=" PASSWORD, name);
	assert_int_equal(harness_http(s, NULL, "/login", body.buf, NULL, &r),
			 0);
	assert_int_equal(r.status, 303);
	assert_true(reply_header(&r, "Set-Cookie", v, sizeof(v)));
	assert_non_null(strstr(v, "HttpOnly"));
	assert_non_null(strstr(v, "SameSite=Strict"));
	*strchr(v, ';') = '\0';
	snprintf(cookie, size, "Cookie: %s", v);
	reply_release(&r);
	strbuf_release(&body);
}

static struct reply req(struct served *s, const char *path, const char *body,
			const char *cookie)
{
	struct reply r;

	assert_int_equal(harness_http(s, NULL, path, body, cookie, &r), 0);
	return r;
}

/* The CSRF token of the session, from any page of it. */
static void session_csrf(struct served *s, const char *cookie, char *csrf,
			 size_t size)
{
	struct reply r = req(s, "/invoer", NULL, cookie);

	assert_int_equal(r.status, 200);
	assert_true(reply_csrf(&r, csrf, size));
	reply_release(&r);
}

__attribute__((format(printf, 2, 3))) static long long q(struct harness *h,
							 const char *fmt, ...)
{
	struct strbuf sql = STRBUF_INIT;
	long long v;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sql, fmt, ap);
	va_end(ap);
	v = harness_query_int(h, sql.buf);
	strbuf_release(&sql);
	return v;
}

static void test_login_logout(void **state)
{
	char cookie[300], csrf[80];
	struct reply r;

	(void)state;
	r = req(&srv1, "/invoer", NULL, NULL);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	r = req(&srv1, "/login", "name=anna&password=wrong-password", NULL);
	assert_int_equal(r.status, 401);
	assert_non_null(strstr(r.body.buf, "klopt niet"));
	reply_release(&r);
	r = req(&srv1, "/login", "name=nobody&password=" PASSWORD, NULL);
	assert_int_equal(r.status, 401);
	reply_release(&r);

	login(&srv1, "anna", cookie, sizeof(cookie));
	r = req(&srv1, "/invoer", NULL, cookie);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "Ingelogd als <strong>anna"));
	reply_release(&r);

	/* Log-out needs the token; afterwards the session is gone. */
	r = req(&srv1, "/logout", "csrf=nope", cookie);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	session_csrf(&srv1, cookie, csrf, sizeof(csrf));
	{
		struct strbuf body = STRBUF_INIT;

		strbuf_addf(&body, "csrf=%s", csrf);
		r = req(&srv1, "/logout", body.buf, cookie);
		assert_int_equal(r.status, 303);
		reply_release(&r);
		strbuf_release(&body);
	}
	r = req(&srv1, "/invoer", NULL, cookie);
	assert_int_equal(r.status, 303);
	reply_release(&r);
}

/*
 * A volunteer who picks English on the log-in page keeps it on every
 * page of the session, through forms and redirects, until switching back.
 */
static void test_english(void **state)
{
	struct strbuf path = STRBUF_INIT, body = STRBUF_INIT;
	char cookie[300], csrf[80], v[256];
	struct reply r;

	(void)state;
	r = req(&srv1, "/login?lang=en", NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "<h1>Log in</h1>"));
	assert_non_null(strstr(r.body.buf, ">Nederlands</a>"));
	reply_release(&r);
	r = req(&srv1, "/login", "name=anna&password=wrong-password&lang=en",
		NULL);
	assert_int_equal(r.status, 401);
	assert_non_null(strstr(r.body.buf, "Name or password is not right"));
	reply_release(&r);
	r = req(&srv1, "/login", "name=anna&password=" PASSWORD "&lang=en",
		NULL);
	assert_int_equal(r.status, 303);
	assert_true(reply_header(&r, "Set-Cookie", v, sizeof(v)));
	*strchr(v, ';') = '\0';
	snprintf(cookie, sizeof(cookie), "Cookie: %s", v);
	reply_release(&r);

	r = req(&srv1, "/invoer", NULL, cookie);
	assert_non_null(strstr(r.body.buf, "Logged in as <strong>anna"));
	assert_non_null(strstr(r.body.buf, "Enter a paper form"));
	assert_null(strstr(r.body.buf, "Formulier invoeren"));
	assert_true(reply_csrf(&r, csrf, sizeof(csrf)));
	reply_release(&r);
	r = req(&srv1, "/invoer?code=QQQQ-QQQQ-QQQQ", NULL, cookie);
	assert_int_equal(r.status, 400);
	assert_null(strstr(r.body.buf, "Kijk"));
	reply_release(&r);

	/* The form of a household: questions, errors and the saved notice. */
	strbuf_addf(&path, "/invoer/%s", single.codes[20]);
	r = req(&srv1, path.buf, NULL, cookie);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "What is ticked on paper?"));
	assert_non_null(strstr(r.body.buf, "This form belongs to a household"));
	reply_release(&r);
	strbuf_addf(&body, "csrf=%s&seen=0&q_speelveld=voor", csrf);
	r = req(&srv1, path.buf, body.buf, cookie);
	assert_int_equal(r.status, 303);
	assert_true(reply_header(&r, "Location", v, sizeof(v)));
	reply_release(&r);
	r = req(&srv1, v, NULL, cookie);
	assert_non_null(strstr(r.body.buf, "Saved: this form counts now."));
	assert_non_null(strstr(r.body.buf, "This household has already "
					   "answered"));
	reply_release(&r);

	/* One click back to Dutch, for the rest of the session. */
	r = req(&srv1, "/invoer?lang=nl", NULL, cookie);
	assert_non_null(strstr(r.body.buf, "Papieren formulier invoeren"));
	reply_release(&r);
	r = req(&srv1, path.buf, NULL, cookie);
	assert_non_null(strstr(r.body.buf, "al geantwoord"));
	reply_release(&r);
	strbuf_release(&path);
	strbuf_release(&body);
}

/* Household i of the single-entry server answers online: its form's
 * token, then the POST; the reply must say it is stored. */
static void answer_online(size_t i, const char *answers)
{
	struct strbuf path = STRBUF_INIT, body = STRBUF_INIT;
	char csrf[80];
	struct reply r;

	strbuf_addf(&path, "/f/%s", single.codes[i]);
	r = req(&srv1, path.buf, NULL, NULL);
	assert_true(reply_csrf(&r, csrf, sizeof(csrf)));
	reply_release(&r);
	strbuf_addf(&body, "csrf=%s&%s", csrf, answers);
	r = req(&srv1, path.buf, body.buf, NULL);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	strbuf_release(&path);
	strbuf_release(&body);
}

static void test_paper_after_online(void **state)
{
	struct strbuf path = STRBUF_INIT, body = STRBUF_INIT;
	char cookie[300], csrf[80];
	long long hh = single.households[10];
	struct reply r;

	(void)state;
	/* The resident answers online first. */
	answer_online(10, "q_speelveld=voor");

	login(&srv1, "anna", cookie, sizeof(cookie));
	session_csrf(&srv1, cookie, csrf, sizeof(csrf));
	strbuf_addf(&path, "/invoer?code=%s", single.codes[10]);
	r = req(&srv1, path.buf, NULL, cookie);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	strbuf_reset(&path);
	strbuf_addf(&path, "/invoer/%s", single.codes[10]);
	r = req(&srv1, path.buf, NULL, cookie);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "al geantwoord"));
	assert_non_null(strstr(r.body.buf, "Dorst-Centrum"));
	assert_non_null(strstr(r.body.buf, "value=\"~invalid\""));
	reply_release(&r);

	/* Not replaced without saying so. */
	strbuf_reset(&body);
	strbuf_addf(&body,
		    "csrf=%s&seen=%lld&q_speelveld=~invalid&q_bezoek=soms",
		    csrf,
		    q(&single,
		      "SELECT id FROM response WHERE household_id = "
		      "%lld AND superseded_by IS NULL",
		      hh));
	r = req(&srv1, path.buf, body.buf, cookie);
	assert_int_equal(r.status, 409);
	reply_release(&r);
	assert_int_equal(q(&single,
			   "SELECT count(*) FROM response WHERE household_id "
			   "= %lld",
			   hh),
			 1);
	/* Without the token: refused. */
	r = req(&srv1, path.buf, "q_speelveld=voor&replace=1", cookie);
	assert_int_equal(r.status, 403);
	reply_release(&r);

	strbuf_addstr(&body, "&replace=1");
	r = req(&srv1, path.buf, body.buf, cookie);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	assert_int_equal(q(&single,
			   "SELECT count(*) FROM response WHERE household_id "
			   "= %lld AND superseded_by IS NULL AND channel = "
			   "'paper' AND entered_by = 'anna'",
			   hh),
			 1);
	assert_int_equal(q(&single,
			   "SELECT count(*) FROM response WHERE household_id "
			   "= %lld",
			   hh),
			 2);
	assert_int_equal(q(&single,
			   "SELECT count(*) FROM answer a JOIN response r ON "
			   "r.id = a.response_id WHERE r.household_id = %lld "
			   "AND r.superseded_by IS NULL AND a.value = "
			   "'~invalid'",
			   hh),
			 1);
	strbuf_release(&path);
	strbuf_release(&body);
}

/*
 * A resident who answers online while a volunteer types the paper form
 * of the same household: the volunteer's save is refused, says why in
 * the volunteer's language, and nothing is overwritten.
 */
static void test_changed_meanwhile(void **state)
{
	struct strbuf path = STRBUF_INIT, body = STRBUF_INIT;
	char cookie[300], csrf[80];
	long long hh = single.households[12];
	struct reply r;

	(void)state;
	login(&srv1, "anna", cookie, sizeof(cookie));
	session_csrf(&srv1, cookie, csrf, sizeof(csrf));
	/* The volunteer's page showed no answer yet: seen=0. */
	strbuf_addf(&body, "csrf=%s&seen=0&q_speelveld=tegen", csrf);
	answer_online(12, "q_speelveld=voor");
	strbuf_addf(&path, "/invoer/%s", single.codes[12]);
	r = req(&srv1, path.buf, body.buf, cookie);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body.buf, "Intussen is er een ander "
					   "antwoord"));
	reply_release(&r);
	r = req(&srv1, "/invoer?lang=en", NULL, cookie);
	reply_release(&r);
	r = req(&srv1, path.buf, body.buf, cookie);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body.buf, "Meanwhile another answer was "
					   "saved"));
	reply_release(&r);
	r = req(&srv1, "/invoer?lang=nl", NULL, cookie);
	reply_release(&r);
	assert_int_equal(q(&single,
			   "SELECT count(*) FROM response WHERE household_id "
			   "= %lld",
			   hh),
			 1);
	assert_int_equal(q(&single,
			   "SELECT count(*) FROM response WHERE household_id "
			   "= %lld AND channel = 'online'",
			   hh),
			 1);
	strbuf_release(&path);
	strbuf_release(&body);
}

/* Enter household i on the double-entry server as the owner of cookie. */
static long enter(size_t i, const char *cookie, const char *answers)
{
	struct strbuf path = STRBUF_INIT, body = STRBUF_INIT;
	char csrf[80];
	struct reply r;
	long status;

	session_csrf(&srv2, cookie, csrf, sizeof(csrf));
	strbuf_addf(&path, "/invoer/%s", twice.codes[i]);
	strbuf_addf(&body, "csrf=%s&seen=0&%s", csrf, answers);
	r = req(&srv2, path.buf, body.buf, cookie);
	status = r.status;
	reply_release(&r);
	strbuf_release(&path);
	strbuf_release(&body);
	return status;
}

static void test_double_entry(void **state)
{
	char anna[300], bert[300], carol[300], csrf[80];
	struct strbuf path = STRBUF_INIT, body = STRBUF_INIT;
	long long hh = twice.households[20], hh2 = twice.households[21];
	long long entry;
	struct reply r;

	(void)state;
	login(&srv2, "anna", anna, sizeof(anna));
	login(&srv2, "bert", bert, sizeof(bert));
	login(&srv2, "carol", carol, sizeof(carol));

	/* Equal entries by two volunteers: counts. */
	assert_int_equal(enter(20, anna, "q_speelveld=voor&q_tevreden=3"), 303);
	assert_int_equal(q(&twice,
			   "SELECT count(*) FROM response WHERE "
			   "household_id = %lld",
			   hh),
			 0);
	/* The same volunteer twice does not count as two. */
	assert_int_equal(enter(20, anna, "q_speelveld=voor&q_tevreden=3"), 409);
	assert_int_equal(enter(20, bert, "q_tevreden=3&q_speelveld=voor"), 303);
	assert_int_equal(q(&twice,
			   "SELECT count(*) FROM response WHERE "
			   "household_id = %lld AND superseded_by IS "
			   "NULL AND entered_by = 'anna, bert'",
			   hh),
			 1);

	/* Different entries: nothing counts until the board decides. */
	assert_int_equal(enter(21, anna, "q_speelveld=voor"), 303);
	assert_int_equal(enter(21, bert, "q_speelveld=tegen"), 303);
	assert_int_equal(q(&twice,
			   "SELECT count(*) FROM response WHERE "
			   "household_id = %lld",
			   hh2),
			 0);
	r = req(&srv2, "/bestuur/verschillen", NULL, anna);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	r = req(&srv2, "/bestuur/verschillen", NULL, carol);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "Ingevoerd door <strong>anna"));
	assert_non_null(strstr(r.body.buf, "Ingevoerd door <strong>bert"));
	assert_true(reply_csrf(&r, csrf, sizeof(csrf)));
	reply_release(&r);
	entry = q(&twice,
		  "SELECT id FROM paper_entry WHERE household_id = "
		  "%lld AND entered_by = 'bert'",
		  hh2);
	strbuf_addf(&path, "/bestuur/verschillen/%lld", entry);
	strbuf_addf(&body, "csrf=%s", csrf);
	r = req(&srv2, path.buf, body.buf, carol);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	assert_int_equal(q(&twice,
			   "SELECT count(*) FROM response r JOIN "
			   "answer a ON a.response_id = r.id WHERE "
			   "r.household_id = %lld AND a.value = 'tegen' "
			   "AND r.superseded_by IS NULL",
			   hh2),
			 1);
	assert_int_equal(q(&twice,
			   "SELECT count(*) FROM paper_entry WHERE "
			   "household_id = %lld AND state = 'settled'",
			   hh2),
			 2);
	/* Settling twice does nothing more. */
	r = req(&srv2, path.buf, body.buf, carol);
	assert_int_equal(r.status, 409);
	reply_release(&r);
	strbuf_release(&path);
	strbuf_release(&body);
}

/*
 * Issue 18: a volunteer read a household's online answers, free text
 * included, at /invoer/CODE.  Now a volunteer sees that and when; a board
 * member sees them, and that look is on the record.
 */
static void test_online_answers_private(void **state)
{
	struct strbuf path = STRBUF_INIT;
	char cookie[300];
	struct reply r;

	(void)state;
	answer_online(30, "q_speelveld=tegen&q_opmerking=mijn+buurman+"
			  "Jansen+is+tegen%2C+ik+ook");
	strbuf_addf(&path, "/invoer/%s", single.codes[30]);
	login(&srv1, "anna", cookie, sizeof(cookie));
	r = req(&srv1, path.buf, NULL, cookie);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "al geantwoord"));
	assert_null(strstr(r.body.buf, "Jansen"));
	reply_release(&r);
	assert_int_equal(q(&single, "SELECT count(*) FROM answer_view"), 0);

	assert_int_equal(harness_add_user(&single, "erik", "board", PASSWORD),
			 0);
	login(&srv1, "erik", cookie, sizeof(cookie));
	r = req(&srv1, path.buf, NULL, cookie);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "Jansen"));
	reply_release(&r);
	assert_int_equal(q(&single,
			   "SELECT count(*) FROM answer_view WHERE account = "
			   "'erik' AND household_id = %lld",
			   single.households[30]),
			 1);
	strbuf_release(&path);
}

/*
 * Issue 18: a volunteer could open /f/CODE and change a household's
 * online answer.  From a live staff session no household page opens.
 */
static void test_staff_cannot_answer(void **state)
{
	struct strbuf path = STRBUF_INIT, body = STRBUF_INIT;
	char cookie[300], csrf[80];
	struct reply r;

	(void)state;
	strbuf_addf(&path, "/f/%s", single.codes[31]);
	r = req(&srv1, path.buf, NULL, NULL);
	assert_true(reply_csrf(&r, csrf, sizeof(csrf)));
	reply_release(&r);
	login(&srv1, "anna", cookie, sizeof(cookie));
	r = req(&srv1, path.buf, NULL, cookie);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	strbuf_addf(&body, "csrf=%s&q_speelveld=voor", csrf);
	r = req(&srv1, path.buf, body.buf, cookie);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	assert_int_equal(q(&single,
			   "SELECT count(*) FROM response WHERE household_id "
			   "= %lld",
			   single.households[31]),
			 0);
	strbuf_release(&path);
	strbuf_release(&body);
}

/*
 * Issue 18 and 14: `user remove` left a board member's session working
 * for up to 12 hours; and a restart logged everyone out.  Sessions are
 * now in the store, hashed, and end with their account.
 */
static void test_sessions_in_store(void **state)
{
	char cookie[300], id[100];
	struct strbuf cmd = STRBUF_INIT;
	struct reply r;

	(void)state;
	assert_int_equal(harness_add_user(&single, "fenna", "board", PASSWORD),
			 0);
	login(&srv1, "fenna", cookie, sizeof(cookie));
	snprintf(id, sizeof(id), "%s", strchr(cookie, '=') + 1);
	/* Only a hash of the id is kept. */
	assert_int_equal(q(&single,
			   "SELECT count(*) FROM staff_session WHERE account "
			   "= 'fenna'"),
			 1);
	assert_int_equal(q(&single,
			   "SELECT count(*) FROM staff_session WHERE "
			   "hex(id_hash) = upper('%s') OR id_hash = '%s' OR "
			   "csrf = '%s'",
			   id, id, id),
			 0);
	/* A restart keeps it. */
	assert_int_equal(harness_stop(&srv1, SIGTERM), 0);
	assert_int_equal(
		harness_serve(&single, &srv1, "--today", "2027-04-20", NULL),
		0);
	r = req(&srv1, "/bestuur", NULL, cookie);
	assert_int_equal(r.status, 200);
	reply_release(&r);
	/* Removing the account ends it at once. */
	strbuf_addf(&cmd, "'%s' user remove --db '%s' fenna >/dev/null",
		    DRAAGVLAK_BIN, single.db);
	assert_int_equal(system(cmd.buf), 0);
	r = req(&srv1, "/bestuur", NULL, cookie);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	r = req(&srv1, "/bestuur/uitslag.csv", NULL, cookie);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	strbuf_release(&cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login_logout),
		cmocka_unit_test(test_english),
		cmocka_unit_test(test_paper_after_online),
		cmocka_unit_test(test_changed_meanwhile),
		cmocka_unit_test(test_double_entry),
		cmocka_unit_test(test_online_answers_private),
		cmocka_unit_test(test_staff_cannot_answer),
		cmocka_unit_test(test_sessions_in_store),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
