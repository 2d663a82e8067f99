/*
 * test_server_board.c - the board's dashboard on `draagvlak serve`: only
 * board members see it; it shows the same numbers and verdicts as
 * `draagvlak analyse` on the same store and day (the CSV download is the
 * command's CSV byte for byte, and each buurt's row on the page carries
 * its verdict and counts); it follows new answers within seconds; its
 * charts are SVG with the chart in words; the PDF report downloads; and
 * refused codes reach the audit.
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
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "routes.h"
#include "strbuf.h"
#include "banned.h"

#define PASSWORD "paarse-olifant-42"
#define TODAY	 "2027-04-20"

static struct harness h;
static struct served srv;
static char board[512], volunteer[512]; /* "Cookie: ..." */

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
	return rc;
}

static int login(const char *name, char *cookie, size_t size)
{
	struct strbuf body = STRBUF_INIT;
	struct reply r;
	char v[256], loc[256];
	int ret = -1;

	strbuf_addf(&body, "name=%s&password=" PASSWORD, name);
	if (harness_http(&srv, NULL, "/login", body.buf, NULL, &r) == 0 &&
	    r.status == 303 && reply_header(&r, "Set-Cookie", v, sizeof(v)) &&
	    reply_header(&r, "Location", loc, sizeof(loc))) {
		*strchr(v, ';') = '\0';
		snprintf(cookie, size, "Cookie: %s", v);
		/* Board members land on the results, volunteers on entry. */
		ret = strcmp(loc,
			     strcmp(name, "carol") ? "/invoer" : "/bestuur");
	}
	reply_release(&r);
	strbuf_release(&body);
	return ret ? -1 : 0;
}

static int setup(void **state)
{
	(void)state;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (harness_make_store(&h, NULL, NULL) < 0 ||
	    harness_add_user(&h, "anna", "volunteer", PASSWORD) < 0 ||
	    harness_add_user(&h, "carol", "board", PASSWORD) < 0)
		return -1;
	/* Made-up answers, so that there is something to count. */
	if (run("%s simulate --db %s --seed 7 >/dev/null", DRAAGVLAK_BIN, h.db))
		return -1;
	if (harness_serve(&h, &srv, "--today", TODAY, NULL) < 0)
		return -1;
	if (login("carol", board, sizeof(board)) < 0 ||
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

static struct reply get(const char *path, const char *cookie)
{
	struct reply r;

	assert_int_equal(harness_http(&srv, NULL, path, NULL, cookie, &r), 0);
	return r;
}

/* GET path as the board until the count is there (the first takes a moment). */
static struct reply get_counted(const char *path)
{
	for (int i = 0; i < 100; i++) {
		struct reply r = get(path, board);

		if (r.status != 503)
			return r;
		reply_release(&r);
		usleep(100 * 1000);
	}
	fail_msg("the dashboard never finished counting");
	return get(path, board);
}

/* The output of a command, whole. */
static void capture(struct strbuf *out, const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char buf[4096];
	size_t n;

	assert_non_null(p);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		strbuf_add(out, buf, n);
	assert_int_equal(pclose(p), 0);
}

static void test_only_the_board(void **state)
{
	struct reply r;
	char loc[64];

	(void)state;
	r = get("/bestuur", NULL);
	assert_int_equal(r.status, 303);
	assert_true(reply_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/login");
	reply_release(&r);
	const char *paths[] = {
		"/bestuur", "/bestuur/uitslag.csv", "/bestuur/uitslag.pdf",
		"/bestuur/buurt/BU08260100",
		"/bestuur/grafiek/speelveld/BU08260100/voor.svg"
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		r = get(paths[i], volunteer);
		assert_int_equal(r.status, 403);
		assert_null(strstr(r.body.buf, "draagvlak</strong>"));
		reply_release(&r);
		r = get(paths[i], NULL);
		assert_int_equal(r.status, 303);
		reply_release(&r);
	}
}

static long status_of(const char *method, const char *path, const char *body,
		      const char *cookie)
{
	struct reply r;
	long status;

	assert_int_equal(harness_http(&srv, method, path, body, cookie, &r), 0);
	status = r.status;
	reply_release(&r);
	return status;
}

/*
 * Every route of the table, as the router must hold it: staff pages send
 * strangers to the log-in page, board pages refuse volunteers, a POST
 * without the session's CSRF token is refused, and a method a route
 * does not take gets 405.  A route added to the table is checked here
 * without anyone writing a test for it.
 */
static void test_every_route_is_guarded(void **state)
{
	size_t checked = 0;

	(void)state;
	for (const struct server_route *r = server_routes; r->path; r++) {
		struct strbuf path = STRBUF_INIT;
		unsigned f = r->flags;

		/* What the table must say, whoever edits it. */
		if (!strncmp(r->path, "/bestuur", 8))
			assert_true(f & ROUTE_BOARD);
		if (!strncmp(r->path, "/invoer", 7) ||
		    !strncmp(r->path, "/scan", 5))
			assert_true(f & ROUTE_STAFF);
		if ((f & ROUTE_STAFF) && (f & ROUTE_POST))
			assert_true(f & ROUTE_CSRF);
		strbuf_addstr(&path, r->path);
		if (f & ROUTE_PREFIX)
			strbuf_addstr(&path, "1");
		if (f & ROUTE_STAFF) {
			if (f & ROUTE_GET)
				assert_int_equal(
					status_of(NULL, path.buf, NULL, NULL),
					303);
			if (f & ROUTE_POST)
				assert_int_equal(
					status_of(NULL, path.buf, "x=1", NULL),
					303);
		}
		if ((f & ROUTE_BOARD) && (f & ROUTE_GET))
			assert_int_equal(
				status_of(NULL, path.buf, NULL, volunteer),
				403);
		if ((f & ROUTE_POST) && (f & ROUTE_CSRF))
			assert_int_equal(
				status_of(NULL, path.buf, "x=1", board), 403);
		if (!(f & ROUTE_POST) && strcmp(r->path, "/"))
			assert_int_equal(
				status_of(NULL, path.buf, "x=1", board), 405);
		if (!(f & ROUTE_GET))
			assert_int_equal(status_of(NULL, path.buf, NULL, board),
					 405);
		strbuf_release(&path);
		checked++;
	}
	assert_true(checked >= 15);
}

/* Field i (0-based) of a simple CSV line (no quotes before it). */
static void field(const char *line, int i, char *out, size_t size)
{
	const char *p = line, *end;

	while (i-- > 0) {
		p = strchr(p, ',');
		assert_non_null(p);
		p++;
	}
	end = strpbrk(p, ",\n");
	snprintf(out, size, "%.*s", (int)(end ? end - p : (long)strlen(p)), p);
}

/*
 * Field i of line counted from its end (1: the last), so that the quoted
 * texts before it (which hold commas) do not matter.
 */
static void field_from_end(const char *line, int i, char *out, size_t size)
{
	const char *end = strchr(line, '\n'), *p;

	if (!end)
		end = line + strlen(line);
	if (end > line && end[-1] == '\r') /* RFC 4180 lines end in CRLF */
		end--;
	for (;;) {
		p = end;
		while (p > line && p[-1] != ',')
			p--;
		if (--i == 0)
			break;
		assert_true(p > line);
		end = p - 1;
	}
	snprintf(out, size, "%.*s", (int)(end - p), p);
}

static void test_same_as_analyse(void **state)
{
	struct strbuf cli = STRBUF_INIT, cmd = STRBUF_INIT;
	struct reply csv, page;
	char cd[128];
	int rows = 0, quorum_rows = 0, flip_rows = 0;

	(void)state;
	strbuf_addf(&cmd, "%s analyse --db %s --date " TODAY " --format csv",
		    DRAAGVLAK_BIN, h.db);
	capture(&cli, cmd.buf);
	csv = get_counted("/bestuur/uitslag.csv");
	assert_int_equal(csv.status, 200);
	assert_true(reply_header(&csv, "Content-Disposition", cd, sizeof(cd)));
	assert_non_null(strstr(cd, "attachment"));
	assert_string_equal(csv.body.buf, cli.buf);

	page = get_counted("/bestuur");
	assert_int_equal(page.status, 200);
	/* Each buurt's row shows its verdict and its counts. */
	for (char *line = strchr(cli.buf, '\n') + 1; *line;
	     line = strchr(line, '\n') + 1) {
		char scope[16], buurt[32], words[64], resp[16], hh[16];
		char shortfall[16], votes[16];
		struct strbuf want = STRBUF_INIT;
		const char *row, *end;

		field(line, 1, scope, sizeof(scope));
		if (strcmp(scope, "buurt"))
			continue;
		field(line, 2, buurt, sizeof(buurt));
		field(line, 5, hh, sizeof(hh));
		field(line, 7, resp, sizeof(resp));
		field(line, 36, words, sizeof(words));
		/* The rows come in the CSV's order: question, then buurt. */
		strbuf_addf(&want, "href=\"/bestuur/buurt/%s\"", buurt);
		row = page.body.buf;
		for (int skip = rows / 3; skip >= 0; skip--) {
			row = strstr(row, want.buf);
			assert_non_null(row);
			if (skip)
				row++;
		}
		end = strstr(row, "</tr>");
		assert_non_null(end);
		strbuf_reset(&want);
		strbuf_addf(&want, ">%s</strong>", words);
		assert_non_null(strstr(row, want.buf));
		assert_true(strstr(row, want.buf) < end);
		strbuf_reset(&want);
		strbuf_addf(&want, "%s / %s", resp, hh);
		assert_true(strstr(row, want.buf) &&
			    strstr(row, want.buf) < end);
		/*
		 * While it runs, what the quorum still needs and what would
		 * turn the verdict: the CSV's numbers, in the buurt's row.
		 */
		field_from_end(line, 3, shortfall, sizeof(shortfall));
		if (*shortfall && strcmp(shortfall, "0")) {
			strbuf_reset(&want);
			strbuf_addf(&want, "Nog %s antwoord", shortfall);
			assert_true(strstr(row, want.buf) &&
				    strstr(row, want.buf) < end);
			quorum_rows++;
		}
		field_from_end(line, 1, votes, sizeof(votes));
		if (*votes) {
			strbuf_reset(&want);
			strbuf_addf(&want, "Met nog %s stem", votes);
			assert_true(strstr(row, want.buf) &&
				    strstr(row, want.buf) < end);
			flip_rows++;
		}
		strbuf_release(&want);
		rows++;
	}
	assert_int_equal(rows, 6); /* 2 propositions x 3 buurten */
	/* The seed leaves verdicts that can still turn, so the check above
	 * ran (and fails when the page stops saying it). */
	assert_true(quorum_rows + flip_rows > 0);
	/* The decision in words, and the audit. */
	assert_non_null(strstr(page.body.buf, "alle buurten moeten slagen"));
	assert_non_null(strstr(page.body.buf, "<h2>Controle</h2>"));
	assert_non_null(strstr(page.body.buf, "Geteld om "));
	reply_release(&csv);
	reply_release(&page);
	strbuf_release(&cli);
	strbuf_release(&cmd);
}

/* The form's CSRF token of household i, then its answer. */
static long answer(size_t i, const char *fields)
{
	struct strbuf path = STRBUF_INIT, body = STRBUF_INIT;
	struct reply r;
	char csrf[80];
	long status;

	strbuf_addf(&path, "/f/%s", h.codes[i]);
	r = get(path.buf, NULL);
	assert_true(reply_csrf(&r, csrf, sizeof(csrf)));
	reply_release(&r);
	strbuf_addf(&body, "csrf=%s&lang=nl&%s", csrf, fields);
	assert_int_equal(harness_http(&srv, NULL, path.buf, body.buf, NULL, &r),
			 0);
	status = r.status;
	reply_release(&r);
	strbuf_release(&path);
	strbuf_release(&body);
	return status;
}

/* The count of the first proposition's responses in the CSV, all rows. */
static long total_responses(void)
{
	struct reply r = get_counted("/bestuur/uitslag.csv");
	long n = 0;
	char v[32];

	for (char *line = strchr(r.body.buf, '\n') + 1; *line;
	     line = strchr(line, '\n') + 1) {
		char q[32], scope[16];

		field(line, 0, q, sizeof(q));
		field(line, 1, scope, sizeof(scope));
		if (strcmp(q, "speelveld") || strcmp(scope, "buurt"))
			continue;
		field(line, 7, v, sizeof(v));
		n += strtol(v, NULL, 10);
	}
	reply_release(&r);
	return n;
}

static void test_follows_new_answers(void **state)
{
	long before = total_responses(), after = before;
	size_t i;

	(void)state;
	/* A household that has not answered yet. */
	for (i = 0; i < h.nr_codes; i++) {
		struct strbuf sql = STRBUF_INIT;
		long long n;

		strbuf_addf(&sql,
			    "SELECT count(*) FROM response WHERE "
			    "household_id = %lld",
			    h.households[i]);
		n = harness_query_int(&h, sql.buf);
		strbuf_release(&sql);
		if (n == 0)
			break;
	}
	assert_true(i < h.nr_codes);
	assert_int_equal(answer(i, "q_speelveld=voor&q_verlichting=tegen&"
				   "q_tevreden=3"),
			 303);
	for (int tries = 0; tries < 100 && after == before; tries++) {
		usleep(100 * 1000);
		after = total_responses();
	}
	assert_int_equal(after, before + 1);
}

static void test_charts(void **state)
{
	struct reply r;
	char type[64];

	(void)state;
	r = get_counted("/bestuur/grafiek/speelveld/BU08260101/voor.svg");
	assert_int_equal(r.status, 200);
	assert_true(reply_header(&r, "Content-Type", type, sizeof(type)));
	assert_string_equal(type, "image/svg+xml");
	assert_non_null(strstr(r.body.buf, "<svg"));
	assert_non_null(strstr(r.body.buf, "<desc>Voor: "));
	assert_non_null(strstr(r.body.buf, "</svg>"));
	reply_release(&r);
	r = get_counted(
		"/bestuur/grafiek/speelveld/BU08260101/stemmen.svg?lang=en");
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "<title>Answers"));
	reply_release(&r);
	/* A language picked once holds for the session, until changed. */
	r = get_counted("/bestuur/buurt/BU08260101");
	assert_non_null(strstr(r.body.buf, "answers count as against"));
	assert_non_null(strstr(r.body.buf, ">Nederlands</a>"));
	reply_release(&r);
	r = get_counted("/bestuur?lang=nl");
	assert_non_null(strstr(r.body.buf, ">English</a>"));
	reply_release(&r);
	/* Unknown question, buurt or chart: 404 and the server goes on. */
	const char *bad[] = { "/bestuur/grafiek/nee/BU08260101/voor.svg",
			      "/bestuur/grafiek/speelveld/BU0/voor.svg",
			      "/bestuur/grafiek/speelveld/BU08260101/x.svg",
			      "/bestuur/grafiek/speelveld/BU08260101/voor",
			      "/bestuur/grafiek/speelveld",
			      "/bestuur/grafiek/speelveld/samen/voor.svg",
			      "/bestuur/buurt/BU0",
			      "/bestuur/uitslag.exe" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = get_counted(bad[i]);
		assert_int_equal(r.status, 404);
		reply_release(&r);
	}
	/* The buurt page has every chart and the agreement in words. */
	r = get_counted("/bestuur/buurt/BU08260101");
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "/kanalen.svg"));
	assert_non_null(strstr(r.body.buf, "/respons.svg"));
	assert_non_null(strstr(r.body.buf, "Neutraal telt als tegen"));
	/* and its own responses per day (issue 15) */
	assert_non_null(strstr(r.body.buf, "/bestuur/grafiek/dagen/BU08260101"
					   ".svg?n="));
	reply_release(&r);
	/* Responses per day: chart, summary as alt text, and a table. */
	r = get_counted("/bestuur");
	assert_non_null(strstr(r.body.buf, "<h2>Reacties per dag</h2>"));
	assert_non_null(strstr(r.body.buf, "alt=\"Reacties per dag: "));
	assert_non_null(strstr(r.body.buf, "<caption>Reacties per dag"));
	assert_non_null(strstr(r.body.buf, "<th scope=\"row\"><time "
					   "datetime=\"20"));
	reply_release(&r);
	r = get_counted("/bestuur/grafiek/dagen.svg");
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "<title>Reacties per dag</title>"));
	assert_non_null(strstr(r.body.buf, "<desc>Reacties per dag: "));
	reply_release(&r);
	r = get_counted("/bestuur/grafiek/dagen/BU08260100.svg?lang=en");
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "<title>Responses per day: Dorst-"));
	reply_release(&r);
	r = get_counted("/bestuur/grafiek/dagen.svg?lang=nl"); /* as it was */
	reply_release(&r);
	const char *bad_days[] = { "/bestuur/grafiek/dagen/BU0.svg",
				   "/bestuur/grafiek/dagen/.svg",
				   "/bestuur/grafiek/dagen.png",
				   "/bestuur/grafiek/dagen/BU08260100.svgx" };
	for (size_t i = 0; i < sizeof(bad_days) / sizeof(bad_days[0]); i++) {
		r = get_counted(bad_days[i]);
		assert_int_equal(r.status, 404);
		reply_release(&r);
	}
}

/* The value of attribute name in the first tag of html at or after p. */
static void attr(const char *p, const char *name, char *out, size_t size)
{
	struct strbuf key = STRBUF_INIT;
	const char *v, *end;
	size_t o = 0;

	strbuf_addf(&key, " %s=\"", name);
	v = strstr(p, key.buf);
	assert_non_null(v);
	v += key.len;
	end = strchr(v, '"');
	assert_non_null(end);
	/* Undo the page's escaping of "&". */
	for (; v < end && o + 1 < size; v++) {
		out[o++] = *v;
		if (!strncmp(v, "&amp;", 5))
			v += 4;
	}
	out[o] = '\0';
	strbuf_release(&key);
}

/*
 * The charts of a page come from the count its table shows, even when a
 * newer count comes between the page and the browser's fetch of them.
 */
static void test_charts_same_count(void **state)
{
	struct reply page, svg;
	char src[512], alt[1024], buurt[64];
	const char *img;
	long before = total_responses(), after = before;
	size_t i;

	(void)state;
	page = get_counted("/bestuur");
	assert_int_equal(page.status, 200);
	img = strstr(page.body.buf, "<img src=\"/bestuur/grafiek/speelveld/");
	assert_non_null(img);
	attr(img, "src", src, sizeof(src));
	attr(img, "alt", alt, sizeof(alt));
	assert_int_equal(
		sscanf(src, "/bestuur/grafiek/speelveld/%63[^/]", buurt), 1);
	/* A household of that buurt that has not answered yet says "voor". */
	for (i = 0; i < h.nr_codes; i++) {
		struct strbuf sql = STRBUF_INIT;
		long long n;

		strbuf_addf(&sql,
			    "SELECT count(*) FROM household WHERE id = %lld "
			    "AND buurt_id = '%s' AND id NOT IN (SELECT "
			    "household_id FROM response)",
			    h.households[i], buurt);
		n = harness_query_int(&h, sql.buf);
		strbuf_release(&sql);
		if (n == 1)
			break;
	}
	assert_true(i < h.nr_codes);
	assert_int_equal(answer(i, "q_speelveld=voor&q_verlichting=voor&"
				   "q_tevreden=4"),
			 303);
	for (int tries = 0; tries < 100 && after == before; tries++) {
		usleep(100 * 1000);
		after = total_responses();
	}
	assert_int_equal(after, before + 1);
	/* The page's chart is still the page's count, in words the same. */
	svg = get_counted(src);
	assert_int_equal(svg.status, 200);
	{
		char *d = strstr(svg.body.buf, "<desc>"), *e;

		assert_non_null(d);
		d += strlen("<desc>");
		e = strstr(d, "</desc>");
		assert_non_null(e);
		*e = '\0';
		assert_string_equal(d, alt);
	}
	reply_release(&svg);
	reply_release(&page);
	/* A count no page kept: a page that says so, not another count. */
	svg = get_counted(
		"/bestuur/grafiek/speelveld/BU08260101/voor.svg?n=999999");
	assert_int_equal(svg.status, 404);
	assert_non_null(strstr(svg.body.buf, "oudere telling"));
	reply_release(&svg);
}

static void test_pdf(void **state)
{
	struct reply r;
	char type[64];
	FILE *f;
	struct strbuf path = STRBUF_INIT, cmd = STRBUF_INIT, text = STRBUF_INIT;

	(void)state;
	r = get_counted("/bestuur/uitslag.pdf");
	assert_int_equal(r.status, 200);
	assert_true(reply_header(&r, "Content-Type", type, sizeof(type)));
	assert_string_equal(type, "application/pdf");
	assert_memory_equal(r.body.buf, "%PDF-", 5);
	strbuf_addf(&path, "%s/uitslag.pdf", h.dir);
	f = fopen(path.buf, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(r.body.buf, 1, r.body.len, f), r.body.len);
	assert_int_equal(fclose(f), 0);
	strbuf_addf(&cmd, "pdftotext %s -", path.buf);
	capture(&text, cmd.buf);
	assert_non_null(strstr(text.buf, "draagvlak"));
	assert_non_null(strstr(text.buf, "Dorst-Oost"));
	reply_release(&r);
	strbuf_release(&path);
	strbuf_release(&cmd);
	strbuf_release(&text);
}

static void test_refused_codes_in_audit(void **state)
{
	struct strbuf path = STRBUF_INIT;
	struct reply r;
	char typo[32], unknown[] = "0000000000000";
	bool seen = false;

	(void)state;
	/* A typo: the last symbol changed, so the check fails. */
	snprintf(typo, sizeof(typo), "%s", h.codes[0]);
	typo[11] = typo[11] == 'A' ? 'B' : 'A';
	strbuf_addf(&path, "/f/%s", typo);
	r = get(path.buf, NULL);
	assert_int_equal(r.status, 400);
	reply_release(&r);
	/* Well-formed, but no household's: find the check symbol that fits. */
	unknown[12] = '\0';
	for (const char *c = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; *c; c++) {
		char canon[SURVEY_TOKEN_SIZE];

		unknown[11] = *c;
		if (survey_token_parse(unknown, canon) == SURVEY_TOKEN_OK)
			break;
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "/f/%s", unknown);
	r = get(path.buf, NULL);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	for (int tries = 0; tries < 100; tries++) {
		r = get_counted("/bestuur");
		seen = strstr(r.body.buf, "Geweigerde codes: ") != NULL;
		if (seen) {
			assert_non_null(strstr(r.body.buf,
					       "Geweigerde codes: "
					       "1 met een tikfout"));
			assert_non_null(
				strstr(r.body.buf, " en 1 die bij geen"));
			/* A code has digits too: its last one is a sign. */
			assert_non_null(
				strstr(r.body.buf, "het controleteken klopte"));
			assert_null(strstr(r.body.buf, "controleletter"));
		}
		reply_release(&r);
		if (seen)
			break;
		usleep(100 * 1000);
	}
	assert_true(seen);
	assert_int_equal(harness_query_int(&h, "SELECT sum(n) FROM "
					       "code_rejection WHERE "
					       "channel = 'online'"),
			 2);
	strbuf_release(&path);
}

/*
 * The board closes the survey: a page says what it means, the POST needs
 * the session's CSRF token, and afterwards the store is closed with a
 * count record and the dashboard says so.  Last: nothing counts after.
 */
/*
 * The reminder wave from the board's page: the counts per buurt (against
 * a count of the store's own tables from outside), the privacy warning,
 * bad choices refused, a wave made and its letters downloaded as PDF.
 */
static void test_remind(void **state)
{
	struct strbuf body = STRBUF_INIT, sb = STRBUF_INIT;
	long long addr, open;
	char csrf[80], v[256];
	struct reply r;
	FILE *fp;

	(void)state;
	addr = harness_query_int(&h, "SELECT count(*) FROM household h"
				     " JOIN address a ON a.household_id = h.id"
				     " WHERE h.buurt_id = 'BU08260100'");
	open = harness_query_int(
		&h, "SELECT count(*) FROM household h"
		    " JOIN address a ON a.household_id = h.id"
		    " WHERE h.buurt_id = 'BU08260100' AND NOT EXISTS"
		    " (SELECT 1 FROM response r WHERE r.household_id = h.id"
		    "  AND r.superseded_by IS NULL)");
	assert_true(open > 0 && open < addr);
	r = get("/bestuur/herinnering", board);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "de drukker en wie de brieven "
					   "rondbrengt"));
	strbuf_addf(&sb, "<td>%lld</td><td>%lld</td>", addr, open);
	assert_non_null(strstr(r.body.buf, sb.buf));
	assert_non_null(strstr(r.body.buf, "nog geen herinneringen"));
	assert_true(reply_csrf(&r, csrf, sizeof(csrf)));
	reply_release(&r);
	r = get("/bestuur", board);
	assert_non_null(strstr(r.body.buf, "href=\"/bestuur/herinnering\""));
	reply_release(&r);

	/* Bad choices: a page that says so, and nothing kept. */
	strbuf_addf(&body, "csrf=%s&scope=iedereen", csrf);
	assert_int_equal(harness_http(&srv, NULL, "/bestuur/herinnering",
				      body.buf, board, &r),
			 0);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body.buf, "Kies aan wie"));
	reply_release(&r);
	strbuf_reset(&body);
	strbuf_addf(&body, "csrf=%s&scope=all&buurt=BU99999999", csrf);
	assert_int_equal(harness_http(&srv, NULL, "/bestuur/herinnering",
				      body.buf, board, &r),
			 0);
	assert_int_equal(r.status, 400);
	reply_release(&r);
	assert_int_equal(harness_http(&srv, NULL, "/bestuur/herinnering",
				      "scope=all", board, &r),
			 0);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	assert_int_equal(
		harness_query_int(&h, "SELECT count(*) FROM reminder_wave"), 0);

	/* Only the households that have not answered, of one buurt. */
	strbuf_reset(&body);
	strbuf_addf(&body, "csrf=%s&scope=nonresponders&buurt=BU08260100",
		    csrf);
	assert_int_equal(harness_http(&srv, NULL, "/bestuur/herinnering",
				      body.buf, board, &r),
			 0);
	assert_int_equal(r.status, 303);
	assert_true(reply_header(&r, "Location", v, sizeof(v)));
	assert_string_equal(v, "/bestuur/herinnering?gemaakt=1#golf-1");
	reply_release(&r);
	assert_int_equal(harness_query_int(&h, "SELECT households FROM"
					       " reminder_wave WHERE id = 1"
					       " AND made_by = 'carol'"
					       " AND scope = 'nonresponders'"),
			 open);
	assert_int_equal(
		harness_query_int(&h, "SELECT count(*) FROM reminder_letter"),
		open);
	r = get("/bestuur/herinnering?gemaakt=1", board);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "De herinnering is gemaakt"));
	assert_non_null(
		strstr(r.body.buf, "/bestuur/herinnering/1/BU08260100.pdf"));
	/* A wave of one buurt offers that buurt's letters only. */
	assert_null(
		strstr(r.body.buf, "/bestuur/herinnering/1/BU08260101.pdf"));
	reply_release(&r);

	/* The letters: a PDF of three pages per household, a reminder. */
	r = get("/bestuur/herinnering/1/BU08260100.pdf", board);
	assert_int_equal(r.status, 200);
	assert_true(r.body.len > 1000);
	assert_memory_equal(r.body.buf, "%PDF", 4);
	assert_true(reply_header(&r, "Content-Type", v, sizeof(v)));
	assert_string_equal(v, "application/pdf");
	assert_true(reply_header(&r, "Content-Disposition", v, sizeof(v)));
	assert_non_null(strstr(v, "herinnering-1-BU08260100.pdf"));
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s/letters.pdf", h.dir);
	fp = fopen(sb.buf, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(r.body.buf, 1, r.body.len, fp), r.body.len);
	fclose(fp);
	reply_release(&r);
	strbuf_reset(&body);
	strbuf_addf(&body, "pdfinfo %s | grep '^Pages:'", sb.buf);
	strbuf_reset(&sb);
	capture(&sb, body.buf);
	assert_int_equal(strtoll(sb.buf + strlen("Pages:"), NULL, 10),
			 3 * open);
	strbuf_reset(&sb);
	strbuf_reset(&body);
	strbuf_addf(&body, "pdftotext -f 1 -l 1 %s/letters.pdf -", h.dir);
	capture(&sb, body.buf);
	assert_non_null(strstr(sb.buf, "Herinnering"));

	/* Letters that do not exist. */
	r = get("/bestuur/herinnering/1/BU08260101.pdf", board);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	r = get("/bestuur/herinnering/9/BU08260100.pdf", board);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	r = get("/bestuur/herinnering/x", board);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	r = get("/bestuur/herinnering/1/BU08260100.pdf", volunteer);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	strbuf_release(&body);
	strbuf_release(&sb);
}

static void test_close(void **state)
{
	struct strbuf body = STRBUF_INIT;
	char csrf[80];
	struct reply r;

	(void)state;
	r = get("/bestuur/sluiten", board);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "kan niet ongedaan"));
	assert_true(reply_csrf(&r, csrf, sizeof(csrf)));
	reply_release(&r);
	r = get("/bestuur/sluiten", volunteer);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	assert_int_equal(harness_http(&srv, NULL, "/bestuur/sluiten",
				      "csrf=nope", board, &r),
			 0);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	assert_int_equal(harness_query_int(&h, "SELECT count(*) FROM lifecycle"
					       " WHERE closed_at IS NOT NULL"),
			 0);
	strbuf_addf(&body, "csrf=%s", csrf);
	assert_int_equal(harness_http(&srv, NULL, "/bestuur/sluiten", body.buf,
				      board, &r),
			 0);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	assert_int_equal(harness_query_int(&h, "SELECT count(*) FROM lifecycle"
					       " WHERE closed_by = 'carol'"),
			 1);
	assert_int_equal(
		harness_query_int(&h, "SELECT count(*) FROM count_record"), 1);
	r = get_counted("/bestuur");
	assert_non_null(strstr(r.body.buf, "Gesloten op "));
	reply_release(&r);
	/* No reminder after closing: no form, and a POST is refused. */
	r = get("/bestuur/herinnering", board);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "geen herinneringen meer"));
	assert_null(strstr(r.body.buf, "name=\"scope\""));
	reply_release(&r);
	strbuf_reset(&body);
	strbuf_addf(&body, "csrf=%s&scope=all", csrf);
	assert_int_equal(harness_http(&srv, NULL, "/bestuur/herinnering",
				      body.buf, board, &r),
			 0);
	assert_int_equal(r.status, 409);
	reply_release(&r);
	assert_int_equal(
		harness_query_int(&h, "SELECT count(*) FROM reminder_wave"), 1);
	strbuf_release(&body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_route_is_guarded),
		cmocka_unit_test(test_only_the_board),
		cmocka_unit_test(test_same_as_analyse),
		cmocka_unit_test(test_charts),
		cmocka_unit_test(test_charts_same_count),
		cmocka_unit_test(test_pdf),
		cmocka_unit_test(test_follows_new_answers),
		cmocka_unit_test(test_refused_codes_in_audit),
		cmocka_unit_test(test_remind),
		cmocka_unit_test(test_close),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
