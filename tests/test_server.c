/*
 * test_server.c - integration tests of `draagvlak serve`: the real binary
 * on a free loopback port, a real store of the Dorst sample, HTTP through
 * libcurl.
 *
 * Tested: the front page and its security headers; QR-code URLs and typed
 * codes (any case, with or without dashes) redirect to the household's
 * form; a typo, an unknown code, a survey not open yet and a closed one
 * each get their own page; a resident answers, sees the answers back,
 * changes them (the old response stays, superseded; the household counts
 * once); validation errors keep the answers; forms without the right CSRF
 * token are refused; oversized and malformed requests get a 4xx and the
 * server keeps serving; failed look-ups are rate-limited while a correct
 * code still gets through; SIGTERM stops the server with status 0.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "strbuf.h"
#include "token.h"
#include "banned.h"

static struct harness h;
static struct served srv; /* open, "today" 2027-04-20 */

static int setup(void **state)
{
	(void)state;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (harness_make_store(&h, NULL, NULL) < 0)
		return -1;
	return harness_serve(&h, &srv, "--today", "2027-04-20", NULL);
}

static int teardown(void **state)
{
	(void)state;
	harness_stop(&srv, SIGKILL);
	harness_remove(&h);
	curl_global_cleanup();
	return 0;
}

static struct reply get(const char *path)
{
	struct reply r;

	assert_int_equal(harness_http(&srv, NULL, path, NULL, NULL, &r), 0);
	return r;
}

static struct reply post(const char *path, const char *body)
{
	struct reply r;

	assert_int_equal(harness_http(&srv, NULL, path, body, NULL, &r), 0);
	return r;
}

static void assert_contains(const struct reply *r, const char *needle)
{
	if (!strstr(r->body.buf, needle))
		fail_msg("the page does not say '%s':\n%.2000s", needle,
			 r->body.buf);
}

static void assert_location(const struct reply *r, const char *want)
{
	char loc[256];

	assert_int_equal(r->status, 303);
	assert_true(reply_header(r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, want);
}

/* The form page of code i, and its CSRF token. */
static void form_token(size_t i, char *csrf, size_t size)
{
	struct strbuf path = STRBUF_INIT;
	struct reply r;

	strbuf_addf(&path, "/f/%s", h.codes[i]);
	r = get(path.buf);
	assert_int_equal(r.status, 200);
	assert_true(reply_csrf(&r, csrf, size));
	reply_release(&r);
	strbuf_release(&path);
}

/* POST the answers in fields (after csrf=...&) for household i. */
static struct reply answer(size_t i, const char *fields)
{
	struct strbuf path = STRBUF_INIT, body = STRBUF_INIT;
	char csrf[80];
	struct reply r;

	form_token(i, csrf, sizeof(csrf));
	strbuf_addf(&path, "/f/%s", h.codes[i]);
	strbuf_addf(&body, "csrf=%s&lang=nl&%s", csrf, fields);
	r = post(path.buf, body.buf);
	strbuf_release(&path);
	strbuf_release(&body);
	return r;
}

static long long count_for(size_t i, const char *where)
{
	struct strbuf sql = STRBUF_INIT;
	long long n;

	strbuf_addf(&sql,
		    "SELECT count(*) FROM response WHERE household_id = "
		    "%lld %s",
		    h.households[i], where);
	n = harness_query_int(&h, sql.buf);
	strbuf_release(&sql);
	return n;
}

/* ---- pages and headers --------------------------------------------------- */

static void test_front_page(void **state)
{
	struct reply r = get("/");
	char v[512];

	(void)state;
	assert_int_equal(r.status, 200);
	assert_contains(&r, "<html lang=\"nl\">");
	assert_contains(&r, "Een nieuw speelveld aan de Schoolstraat");
	assert_contains(&r, "zondag 2 mei 2027");
	assert_contains(&r, "name=\"code\"");
	assert_true(reply_header(&r, "Content-Security-Policy", v, sizeof(v)));
	assert_non_null(strstr(v, "default-src 'none'"));
	assert_non_null(strstr(v, "frame-ancestors 'none'"));
	assert_null(strstr(v, "unsafe-inline"));
	assert_true(reply_header(&r, "Referrer-Policy", v, sizeof(v)));
	assert_string_equal(v, "no-referrer");
	assert_true(reply_header(&r, "X-Content-Type-Options", v, sizeof(v)));
	assert_string_equal(v, "nosniff");
	assert_true(reply_header(&r, "X-Frame-Options", v, sizeof(v)));
	assert_string_equal(v, "DENY");
	assert_null(strstr(r.body.buf, "<script"));
	/* The policy allows no inline style either. */
	assert_null(strstr(r.body.buf, " style="));
	reply_release(&r);

	r = get("/?lang=en");
	assert_contains(&r, "<html lang=\"en\">");
	assert_contains(&r, "A new playing field on Schoolstraat");
	reply_release(&r);

	r = get("/static/style.css");
	assert_int_equal(r.status, 200);
	assert_true(reply_header(&r, "Content-Type", v, sizeof(v)));
	assert_non_null(strstr(v, "text/css"));
	reply_release(&r);

	r = get("/no/such/page");
	assert_int_equal(r.status, 404);
	reply_release(&r);
}

/* A colour of the stylesheet: "#rrggbb", or var(--name) looked up. */
static unsigned css_colour(const char *css, const char *at)
{
	unsigned rgb;

	if (!strncmp(at, "var(--", 6)) {
		char name[40], def[48];
		const char *d;

		assert_int_equal(sscanf(at + 6, "%39[a-z-])", name), 1);
		snprintf(def, sizeof(def), "--%s:", name);
		d = strstr(css, def);
		assert_non_null(d);
		at = d + strlen(def);
	}
	assert_int_equal(sscanf(at, "#%6x", &rgb), 1);
	return rgb;
}

/* WCAG 2.1 relative luminance of 0xrrggbb. */
static double luminance(unsigned rgb)
{
	double c[3], l;

	for (int i = 0; i < 3; i++) {
		double v = (double)((rgb >> (16 - 8 * i)) & 0xff) / 255.0;

		c[i] = v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
	}
	l = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
	return l;
}

static double contrast(unsigned a, unsigned b)
{
	double la = luminance(a), lb = luminance(b);

	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/* The focus outline stands out 3:1 from the page and from white cards. */
static void test_focus_contrast(void **state)
{
	struct reply r = get("/static/style.css");
	const char *focus, *body, *bg;
	unsigned outline, page;

	(void)state;
	assert_int_equal(r.status, 200);
	focus = strstr(r.body.buf, ":focus{outline:");
	assert_non_null(focus);
	focus = strstr(focus, "solid ");
	assert_non_null(focus);
	outline = css_colour(r.body.buf, focus + strlen("solid "));
	body = strstr(r.body.buf, "\nbody{");
	assert_non_null(body);
	bg = strstr(body, "background:");
	assert_non_null(bg);
	assert_true(bg < strchr(body, '}'));
	page = css_colour(r.body.buf, bg + strlen("background:"));
	if (contrast(outline, page) < 3.0 || contrast(outline, 0xffffff) < 3.0)
		fail_msg("focus outline #%06x: %.2f:1 on the page (#%06x), "
			 "%.2f:1 on white; WCAG 2.1 asks 3:1",
			 outline, contrast(outline, page), page,
			 contrast(outline, 0xffffff));
	reply_release(&r);
}

/* ---- codes ----------------------------------------------------------------- */

static void test_qr_and_typed_codes(void **state)
{
	struct strbuf path = STRBUF_INIT, want = STRBUF_INIT,
		      lower = STRBUF_INIT;
	char pretty[SURVEY_TOKEN_PRETTY];
	struct reply r;

	(void)state;
	strbuf_addf(&want, "/f/%s", h.codes[0]);
	/* What the QR code of page 1 holds. */
	strbuf_addf(&path, "/F/%s/1/3F2A9C", h.codes[0]);
	r = get(path.buf);
	assert_location(&r, want.buf);
	reply_release(&r);

	/* Typed: lower case with dashes, and with spaces around. */
	survey_token_pretty(h.codes[0], pretty);
	for (const char *p = pretty; *p; p++)
		strbuf_addch(&lower, *p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	strbuf_reset(&path);
	strbuf_addf(&path, "/code?code=+%s+", lower.buf);
	r = get(path.buf);
	assert_location(&r, want.buf);
	reply_release(&r);

	strbuf_reset(&path);
	strbuf_addf(&path, "/f/%s", lower.buf);
	r = get(path.buf);
	assert_location(&r, want.buf);
	reply_release(&r);

	/* The language choice travels along. */
	strbuf_reset(&path);
	strbuf_addf(&path, "/code?code=%s&lang=en", h.codes[0]);
	strbuf_addstr(&want, "?lang=en");
	r = get(path.buf);
	assert_location(&r, want.buf);
	reply_release(&r);

	strbuf_release(&path);
	strbuf_release(&want);
	strbuf_release(&lower);
}

static void test_typo_and_unknown(void **state)
{
	char typo[SURVEY_TOKEN_SIZE], unknown[SURVEY_TOKEN_SIZE];
	struct strbuf path = STRBUF_INIT;
	struct reply r;

	(void)state;
	memcpy(typo, h.codes[1], SURVEY_TOKEN_SIZE);
	typo[3] = typo[3] == 'A' ? 'B' : 'A';
	strbuf_addf(&path, "/code?code=%s", typo);
	r = get(path.buf);
	assert_int_equal(r.status, 400);
	assert_contains(&r, "tikfout");
	assert_contains(&r, typo); /* the box keeps what was typed */
	reply_release(&r);

	strbuf_reset(&path);
	strbuf_addstr(&path, "/code?code=abc");
	r = get(path.buf);
	assert_int_equal(r.status, 400);
	assert_contains(&r, "12 tekens");
	reply_release(&r);

	/* Well-formed, with a right check symbol, but nobody's. */
	assert_int_equal(survey_token_new(unknown), 0);
	strbuf_reset(&path);
	strbuf_addf(&path, "/code?code=%s", unknown);
	r = get(path.buf);
	assert_int_equal(r.status, 404);
	assert_contains(&r, "Deze code kennen we niet");
	reply_release(&r);

	/* Markup in a typed code comes back escaped. */
	r = get("/code?code=%3Cscript%3Ex%3C%2Fscript%3E");
	assert_int_equal(r.status, 400);
	assert_null(strstr(r.body.buf, "<script>"));
	assert_contains(&r, "&lt;script&gt;");
	reply_release(&r);
	strbuf_release(&path);
}

/* ---- answering ------------------------------------------------------------- */

static void test_answer_and_change(void **state)
{
	struct strbuf path = STRBUF_INIT, want = STRBUF_INIT;
	struct reply r;

	(void)state;
	r = answer(2, "q_speelveld=voor&q_verlichting=tegen&q_bezoek=soms"
		      "&q_wensen=trapveld&q_wensen=bankjes&q_tevreden=4"
		      "&q_kinderen=ja&q_aantal_kinderen=2"
		      "&q_opmerking=Graag+%3Cb%3Esnel%3C%2Fb%3E");
	strbuf_addf(&want, "/f/%s/ontvangen", h.codes[2]);
	assert_location(&r, want.buf);
	reply_release(&r);
	/* Committed before the redirect: the store has it now. */
	assert_int_equal(count_for(2, "AND superseded_by IS NULL"), 1);

	r = get(want.buf);
	assert_int_equal(r.status, 200);
	assert_contains(&r, "Dank u wel!");
	assert_contains(&r, "Een trapveldje met doeltjes");
	assert_contains(&r, "Graag &lt;b&gt;snel&lt;/b&gt;");
	reply_release(&r);

	/* The form shows the answers given, ready to change. */
	strbuf_addf(&path, "/f/%s", h.codes[2]);
	r = get(path.buf);
	assert_contains(&r, "al ingevuld");
	assert_contains(&r, "value=\"voor\" checked");
	reply_release(&r);

	r = answer(2, "q_speelveld=tegen&q_tevreden=2");
	assert_location(&r, want.buf);
	reply_release(&r);
	assert_int_equal(count_for(2, ""), 2);
	assert_int_equal(count_for(2, "AND superseded_by IS NULL"), 1);
	assert_int_equal(
		harness_query_int(
			&h, "SELECT count(*) FROM response o JOIN response n"
			    " ON o.superseded_by = n.id"
			    " WHERE o.household_id = n.household_id"
			    " AND n.superseded_by IS NULL"),
		1);
	r = get(want.buf);
	assert_contains(&r, "Tegen");
	assert_null(strstr(r.body.buf, "Een trapveldje met doeltjes"));
	reply_release(&r);
	strbuf_release(&path);
	strbuf_release(&want);
}

static void test_validation_keeps_answers(void **state)
{
	struct reply r;

	(void)state;
	r = answer(3, "q_speelveld=voor&q_tevreden=9&q_aantal_kinderen=veel"
		      "&q_opmerking=blijft+staan"
		      "&q_wensen=trapveld&q_wensen=bankjes&q_wensen=basketbal"
		      "&q_wensen=speeltoestellen");
	assert_int_equal(r.status, 422);
	assert_contains(&r, "Vul een heel getal in van 1 tot en met 5");
	assert_contains(&r, "Vul een heel getal in van 0 tot en met 15");
	assert_contains(&r, "Kies er hoogstens 3; u koos er 4");
	assert_contains(&r, "value=\"voor\" checked");
	assert_contains(&r, ">blijft staan</textarea>");
	assert_contains(&r, "value=\"veel\"");
	assert_contains(&r, "aria-describedby=\"err-tevreden");

	/* The form says nothing was sent, not that answers were kept. */
	assert_contains(&r, "Er is nog niets verstuurd");
	assert_null(strstr(r.body.buf, "zijn bewaard"));
	reply_release(&r);
	assert_int_equal(count_for(3, ""), 0);

	/* Nothing answered at all is not a response, and says so. */
	r = answer(3, "q_opmerking=+++");
	assert_int_equal(r.status, 422);
	assert_contains(&r, "Er is niets verstuurd: u heeft nog geen enkele "
			    "vraag beantwoord.");
	assert_null(strstr(r.body.buf, "bewaard"));
	assert_null(strstr(r.body.buf, "Vraag 1</a>:"));
	assert_null(strstr(r.body.buf, "class=\"invalid\""));
	reply_release(&r);
	/* An option that does not exist, or "invalid", is refused online. */
	r = answer(3, "q_speelveld=misschien");
	assert_int_equal(r.status, 422);
	reply_release(&r);
	r = answer(3, "q_speelveld=~invalid");
	assert_int_equal(r.status, 422);
	reply_release(&r);
	assert_int_equal(count_for(3, ""), 0);
}

static void test_csrf(void **state)
{
	struct strbuf path = STRBUF_INIT, body = STRBUF_INIT;
	char csrf[80];
	struct reply r;

	(void)state;
	strbuf_addf(&path, "/f/%s", h.codes[4]);
	r = post(path.buf, "q_speelveld=voor");
	assert_int_equal(r.status, 403);
	reply_release(&r);
	r = post(path.buf, "csrf=00&q_speelveld=voor");
	assert_int_equal(r.status, 403);
	reply_release(&r);
	/* Another household's token does not fit this one. */
	form_token(5, csrf, sizeof(csrf));
	strbuf_addf(&body, "csrf=%s&q_speelveld=voor", csrf);
	r = post(path.buf, body.buf);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	assert_int_equal(count_for(4, ""), 0);
	strbuf_release(&path);
	strbuf_release(&body);
}

/* POST household i's answer with extra headers; the status. */
static long post_from(size_t i, const char *headers)
{
	struct strbuf path = STRBUF_INIT, body = STRBUF_INIT;
	char csrf[80];
	struct reply r;
	long status;

	form_token(i, csrf, sizeof(csrf));
	strbuf_addf(&path, "/f/%s", h.codes[i]);
	strbuf_addf(&body, "csrf=%s&lang=nl&q_speelveld=voor", csrf);
	assert_int_equal(
		harness_http(&srv, NULL, path.buf, body.buf, headers, &r), 0);
	status = r.status;
	reply_release(&r);
	strbuf_release(&path);
	strbuf_release(&body);
	return status;
}

/*
 * Under Referrer-Policy: no-referrer browsers send "Origin: null" with
 * our own forms; Sec-Fetch-Site tells ours from another site's.
 */
static void test_origin(void **state)
{
	(void)state;
	assert_int_equal(post_from(30, "Origin: null\n"
				       "Sec-Fetch-Site: same-origin"),
			 303);
	assert_int_equal(post_from(31, "Origin: null"), 303);
	assert_int_equal(post_from(32, "Origin: null\n"
				       "Sec-Fetch-Site: cross-site"),
			 403);
	assert_int_equal(post_from(32, "Origin: https://evil.example\n"
				       "Sec-Fetch-Site: cross-site"),
			 403);
	assert_int_equal(post_from(32, "Origin: https://evil.example"), 403);
	assert_int_equal(post_from(32, "Sec-Fetch-Site: same-site"), 403);
	assert_int_equal(count_for(32, ""), 0);
}

/* ---- hostile requests ------------------------------------------------------ */

static void still_serving(void)
{
	struct reply r = get("/");

	assert_int_equal(r.status, 200);
	reply_release(&r);
}

static void test_bad_requests(void **state)
{
	struct strbuf big = STRBUF_INIT, path = STRBUF_INIT, hdr = STRBUF_INIT;
	struct reply r;

	(void)state;
	strbuf_addf(&path, "/f/%s", h.codes[6]);
	strbuf_addstr(&big, "q_opmerking=");
	for (int i = 0; i < 100 * 1024; i++)
		strbuf_addch(&big, 'x');
	r = post(path.buf, big.buf);
	assert_int_equal(r.status, 413);
	reply_release(&r);
	still_serving();

	r = post(path.buf, "csrf=%zz&q_speelveld=voor");
	assert_int_equal(r.status, 400);
	reply_release(&r);
	r = post(path.buf, "q_speelveld%00=voor");
	assert_int_equal(r.status, 400);
	reply_release(&r);
	assert_int_equal(harness_http(&srv, NULL, path.buf, "{\"a\":1}",
				      "Content-Type: application/json", &r),
			 0);
	assert_int_equal(r.status, 415);
	reply_release(&r);
	assert_int_equal(harness_http(&srv, "PUT", "/", "x=1", NULL, &r), 0);
	assert_int_equal(r.status, 405);
	reply_release(&r);
	still_serving();

	/* A header larger than a connection may hold. */
	strbuf_addstr(&hdr, "X-Big: ");
	for (int i = 0; i < 60 * 1024; i++)
		strbuf_addch(&hdr, 'y');
	assert_int_equal(harness_http(&srv, NULL, "/", NULL, hdr.buf, &r), 0);
	assert_true(r.status >= 400 && r.status < 500);
	reply_release(&r);
	still_serving();

	/* A very long path. */
	strbuf_reset(&big);
	strbuf_addstr(&big, "/f/");
	for (int i = 0; i < 2000; i++)
		strbuf_addch(&big, 'A');
	r = get(big.buf);
	assert_true(r.status >= 400 && r.status < 500);
	reply_release(&r);
	still_serving();
	assert_int_equal(count_for(6, ""), 0);
	strbuf_release(&big);
	strbuf_release(&path);
	strbuf_release(&hdr);
}

/* ---- dates ------------------------------------------------------------------ */

static void test_not_open_and_closed(void **state)
{
	struct served other;
	struct strbuf path = STRBUF_INIT, body = STRBUF_INIT;
	char csrf[80];
	struct reply r;

	(void)state;
	form_token(7, csrf, sizeof(csrf));
	strbuf_addf(&path, "/f/%s", h.codes[7]);
	strbuf_addf(&body, "csrf=%s&q_speelveld=voor", csrf);

	assert_int_equal(
		harness_serve(&h, &other, "--today", "2027-04-04", NULL), 0);
	assert_int_equal(harness_http(&other, NULL, path.buf, NULL, NULL, &r),
			 0);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(r.body.buf, "nog niet open"));
	assert_non_null(strstr(r.body.buf, "maandag 5 april 2027"));
	reply_release(&r);
	assert_int_equal(harness_stop(&other, SIGTERM), 0);

	/* The closing day itself still counts; the day after not. */
	assert_int_equal(
		harness_serve(&h, &other, "--today", "2027-05-03", NULL), 0);
	assert_int_equal(harness_http(&other, NULL, path.buf, NULL, NULL, &r),
			 0);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(r.body.buf, "gesloten"));
	reply_release(&r);
	/* The front page: it was open until that day, not closed since. */
	assert_int_equal(harness_http(&other, NULL, "/", NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body.buf,
			       "Invullen kon tot en met zondag 2 mei 2027."));
	assert_null(strstr(r.body.buf, "gesloten sinds"));
	reply_release(&r);
	assert_int_equal(
		harness_http(&other, NULL, path.buf, body.buf, NULL, &r), 0);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	assert_int_equal(harness_stop(&other, SIGTERM), 0);
	assert_int_equal(count_for(7, ""), 0);

	assert_int_equal(
		harness_serve(&h, &other, "--today", "2027-05-02", NULL), 0);
	assert_int_equal(
		harness_http(&other, NULL, path.buf, body.buf, NULL, &r), 0);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	assert_int_equal(harness_stop(&other, SIGTERM), 0);
	assert_int_equal(count_for(7, ""), 1);
	strbuf_release(&path);
	strbuf_release(&body);
}

/* ---- the rate limit (last: it leaves this client slowed) ------------------- */

static void test_rate_limit(void **state)
{
	struct strbuf path = STRBUF_INIT;
	int unknown = 0, slowed = 0;
	struct reply r;

	(void)state;
	for (int i = 0; i < 14; i++) {
		char code[SURVEY_TOKEN_SIZE];

		assert_int_equal(survey_token_new(code), 0);
		strbuf_reset(&path);
		strbuf_addf(&path, "/code?code=%s", code);
		r = get(path.buf);
		if (r.status == 404)
			unknown++;
		else if (r.status == 429)
			slowed++;
		else
			fail_msg("unexpected status %ld", r.status);
		reply_release(&r);
	}
	/* Ten failures (one was spent above) are free, then it slows. */
	assert_in_range(unknown, 8, 10);
	assert_true(slowed >= 4);
	/* A household that types its own code right still gets in. */
	strbuf_reset(&path);
	strbuf_addf(&path, "/code?code=%s", h.codes[8]);
	r = get(path.buf);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	strbuf_release(&path);
}

static void test_sigterm(void **state)
{
	(void)state;
	still_serving();
	assert_int_equal(harness_stop(&srv, SIGTERM), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_front_page),
		cmocka_unit_test(test_focus_contrast),
		cmocka_unit_test(test_qr_and_typed_codes),
		cmocka_unit_test(test_typo_and_unknown),
		cmocka_unit_test(test_answer_and_change),
		cmocka_unit_test(test_validation_keeps_answers),
		cmocka_unit_test(test_csrf),
		cmocka_unit_test(test_origin),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_not_open_and_closed),
		cmocka_unit_test(test_rate_limit),
		cmocka_unit_test(test_sigterm),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
