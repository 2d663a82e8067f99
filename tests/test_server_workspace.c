/*
 * test_server_workspace.c - the board's workspace on the real server
 * (`draagvlak serve` on loopback, a real store): every question's
 * answers on /bestuur with the free texts in alphabetical order, never
 * in the order they came in; the workbook and the CSV for Excel; and
 * that volunteers see none of it.  Volunteers managed by the board: a
 * one-time invitation link with which the person chooses a password,
 * removal that ends their sessions at once, CSRF, and the record of
 * who did what.  The preview of the online form, which stores nothing.
 * The address list uploaded as a file: its problems listed by line with
 * nothing imported, or every address added.
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

/* The CSRF token of a staff page of cookie. */
static void page_csrf(const char *path, const char *cookie, char *csrf,
		      size_t size)
{
	struct reply r = req(path, NULL, cookie);

	assert_int_equal(r.status, 200);
	assert_true(reply_csrf(&r, csrf, size));
	reply_release(&r);
}

/* POST the board's people page; returns the reply. */
static struct reply team_post(const char *cookie, const char *fields)
{
	struct strbuf body = STRBUF_INIT;
	char csrf[80];
	struct reply r;

	page_csrf("/bestuur/vrijwilligers", cookie, csrf, sizeof(csrf));
	strbuf_addf(&body, "csrf=%s&%s", csrf, fields);
	r = req("/bestuur/vrijwilligers", body.buf, cookie);
	strbuf_release(&body);
	return r;
}

/* Invite name as role; the path of the link, in path. */
static void invite(const char *name, const char *role, char *path, size_t size)
{
	struct strbuf f = STRBUF_INIT;
	struct reply r;
	const char *at, *end;

	strbuf_addf(&f, "action=invite&name=%s&role=%s", name, role);
	r = team_post(board, f.buf);
	assert_int_equal(r.status, 200);
	at = strstr(r.body.buf, "/uitnodiging/");
	assert_non_null(at);
	end = strchr(at, '"');
	assert_non_null(end);
	assert_int_equal(end - at, 13 + 64);
	snprintf(path, size, "%.*s", (int)(end - at), at);
	reply_release(&r);
	strbuf_release(&f);
}

/* Choose a password on the invitation page at path; the status. */
static long choose_password(const char *path, const char *pw, const char *pw2)
{
	struct strbuf body = STRBUF_INIT;
	char csrf[80];
	struct reply r = req(path, NULL, NULL);
	long status;

	assert_int_equal(r.status, 200);
	assert_true(reply_csrf(&r, csrf, sizeof(csrf)));
	reply_release(&r);
	strbuf_addf(&body, "csrf=%s&password=%s&password2=%s", csrf, pw, pw2);
	r = req(path, body.buf, NULL);
	status = r.status;
	reply_release(&r);
	strbuf_release(&body);
	return status;
}

static void test_invite_a_volunteer(void **state)
{
	char path[160], cookie[512], sql[512];
	struct reply r;

	(void)state;
	invite("bert", "volunteer", path, sizeof(path));
	/* The store keeps the token's hash, not the token. */
	assert_int_equal(harness_query_int(&h,
					   "SELECT count(*) FROM "
					   "invitation WHERE name = 'bert'"),
			 1);
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM invitation WHERE hex(token_hash) = "
		 "upper('%s') OR token_hash = '%s'",
		 path + 13, path + 13);
	assert_int_equal(harness_query_int(&h, sql), 0);
	/* Not an account yet: bert cannot log in. */
	assert_int_equal(login("bert", cookie, sizeof(cookie)), -1);
	r = req(path, NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "Welkom, bert"));
	reply_release(&r);
	/* Too short, or two different passwords: asked again. */
	assert_int_equal(choose_password(path, "kort", "kort"), 400);
	assert_int_equal(choose_password(path, PASSWORD, "iets-anders-123"),
			 400);
	/* A foreign form is refused. */
	r = req(path, "csrf=nope&password=" PASSWORD "&password2=" PASSWORD,
		NULL);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	assert_int_equal(choose_password(path, PASSWORD, PASSWORD), 200);
	assert_int_equal(login("bert", cookie, sizeof(cookie)), 0);
	/* Once only. */
	r = req(path, NULL, NULL);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	/* The board sees bert, and who did what. */
	r = req("/bestuur/vrijwilligers", NULL, board);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "<th scope=\"row\">bert</th>"));
	assert_non_null(strstr(r.body.buf, "carol nodigde bert uit als "
					   "vrijwilliger."));
	assert_non_null(strstr(r.body.buf, "bert koos een wachtwoord"));
	reply_release(&r);
	/* A volunteer is a volunteer: no board pages. */
	r = req("/bestuur", NULL, cookie);
	assert_int_equal(r.status, 403);
	reply_release(&r);

	/* Removed: logged out at once, and no log-in after. */
	r = team_post(board, "action=remove&name=bert");
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "carol verwijderde bert"));
	reply_release(&r);
	r = req("/invoer", NULL, cookie);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	assert_int_equal(login("bert", cookie, sizeof(cookie)), -1);
}

static void test_invitation_rules(void **state)
{
	char path[160], csrf[80];
	struct strbuf body = STRBUF_INIT;
	struct reply r;

	(void)state;
	/* A name that cannot be one, or is taken. */
	r = team_post(board, "action=invite&name=Anna+de+Vries&role=volunteer");
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body.buf, "aria-invalid=\"true\""));
	reply_release(&r);
	r = team_post(board, "action=invite&name=anna&role=board");
	assert_int_equal(r.status, 409);
	reply_release(&r);
	/* The board cannot lock itself out. */
	r = team_post(board, "action=remove&name=carol");
	assert_int_equal(r.status, 409);
	reply_release(&r);
	assert_int_equal(harness_query_int(&h, "SELECT count(*) FROM account "
					       "WHERE name = 'carol'"),
			 1);
	/* Withdrawn: the link no longer works. */
	invite("dora", "board", path, sizeof(path));
	r = team_post(board, "action=cancel&name=dora");
	assert_int_equal(r.status, 200);
	reply_release(&r);
	r = req(path, NULL, NULL);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	/* A second invitation replaces the first. */
	{
		char first[160];

		invite("dora", "board", first, sizeof(first));
		invite("dora", "board", path, sizeof(path));
		r = req(first, NULL, NULL);
		assert_int_equal(r.status, 404);
		reply_release(&r);
		assert_int_equal(choose_password(path, PASSWORD, PASSWORD),
				 200);
	}
	/* Without the session's CSRF token, nothing changes. */
	r = req("/bestuur/vrijwilligers", "action=remove&name=anna", board);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	/* Volunteers can neither see nor change the page. */
	r = req("/bestuur/vrijwilligers", NULL, volunteer);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	page_csrf("/invoer", volunteer, csrf, sizeof(csrf));
	strbuf_addf(&body, "csrf=%s&action=invite&name=eve&role=board", csrf);
	r = req("/bestuur/vrijwilligers", body.buf, volunteer);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	assert_int_equal(harness_query_int(&h, "SELECT count(*) FROM "
					       "invitation WHERE name = 'eve'"),
			 0);
	assert_int_equal(harness_query_int(&h, "SELECT count(*) FROM account "
					       "WHERE name = 'anna'"),
			 1);
	strbuf_release(&body);
}

static void test_preview_stores_nothing(void **state)
{
	const char *count = "SELECT count(*) FROM response";
	long long before = harness_query_int(&h, count);
	struct strbuf body = STRBUF_INIT;
	char csrf[80];
	struct reply r;

	(void)state;
	r = req("/bestuur/voorbeeld", NULL, board);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "<strong>Voorbeeld.</strong>"));
	assert_non_null(strstr(r.body.buf, "De peiling is open"));
	/* Every question, as residents get it. */
	assert_non_null(strstr(r.body.buf, "name=\"q_speelveld\""));
	assert_non_null(strstr(r.body.buf, "name=\"q_opmerking\""));
	assert_true(reply_csrf(&r, csrf, sizeof(csrf)));
	reply_release(&r);

	/* Checked as a resident's form: the same error at the question. */
	strbuf_addf(&body, "csrf=%s&q_aantal_kinderen=999", csrf);
	r = req("/bestuur/voorbeeld", body.buf, board);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body.buf, "class=\"error\""));
	reply_release(&r);
	strbuf_reset(&body);
	strbuf_addf(&body, "csrf=%s&q_speelveld=voor&q_opmerking=Proef", csrf);
	r = req("/bestuur/voorbeeld", body.buf, board);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "Er is niets bewaard"));
	assert_non_null(strstr(r.body.buf, "Proef"));
	reply_release(&r);
	assert_int_equal(harness_query_int(&h, count), before);

	/* Without the token, and for volunteers: refused. */
	r = req("/bestuur/voorbeeld", "q_speelveld=voor", board);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	r = req("/bestuur/voorbeeld", NULL, volunteer);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	strbuf_release(&body);
}

static size_t to_strbuf(char *data, size_t size, size_t n, void *sb)
{
	strbuf_add(sb, data, size * n);
	return size * n;
}

/* POST text as the file of the form at path; the status. */
static long upload_to(const char *path, const char *text, bool with_csrf,
		      const char *cookie, struct strbuf *body)
{
	struct strbuf url = STRBUF_INIT;
	struct curl_slist *hdrs = NULL;
	CURL *c = curl_easy_init();
	curl_mime *mime = curl_mime_init(c);
	curl_mimepart *part;
	char csrf[80];
	long status = 0;

	page_csrf(path, cookie, csrf, sizeof(csrf));
	if (with_csrf) {
		part = curl_mime_addpart(mime);
		curl_mime_name(part, "csrf");
		curl_mime_data(part, csrf, CURL_ZERO_TERMINATED);
	}
	part = curl_mime_addpart(mime);
	curl_mime_name(part, "file");
	curl_mime_filename(part, "upload");
	curl_mime_data(part, text, CURL_ZERO_TERMINATED);
	strbuf_addf(&url, "http://127.0.0.1:%u%s", srv.port, path);
	hdrs = curl_slist_append(hdrs, cookie);
	curl_easy_setopt(c, CURLOPT_URL, url.buf);
	curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, to_strbuf);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hdrs);
	curl_mime_free(mime);
	curl_easy_cleanup(c);
	strbuf_release(&url);
	return status;
}

static long upload(const char *csv, bool with_csrf, const char *cookie,
		   struct strbuf *body)
{
	return upload_to("/bestuur/adressen", csv, with_csrf, cookie, body);
}

#define HEADER                                                                 \
	"openbareruimtenaam;huisnummer;huisletter;huisnummertoevoeging;"       \
	"postcode;woonplaatsnaam;buurtcode\r\n"

static void test_upload_addresses(void **state)
{
	const char *count = "SELECT count(*) FROM household";
	long long before = harness_query_int(&h, count);
	struct strbuf body = STRBUF_INIT;

	(void)state;
	/* A wrong buurt on line 3: said at its line, nothing imported. */
	assert_int_equal(upload(HEADER "Nieuwstraat;1;;;4849 ZZ;Dorst;"
				       "BU08260100\r\n"
				       "Nieuwstraat;2;;;4849 ZZ;Dorst;"
				       "BU99999999\r\n",
				true, board, &body),
			 400);
	assert_non_null(strstr(body.buf, "Er is niets ingelezen"));
	assert_non_null(strstr(body.buf, "Regel 3:"));
	/* Once, though the writer runs a failed job twice. */
	assert_null(strstr(strstr(body.buf, "Regel 3:") + 1, "Regel 3:"));
	assert_int_equal(harness_query_int(&h, count), before);
	strbuf_reset(&body);
	/* Without the token, or by a volunteer: refused. */
	assert_int_equal(upload(HEADER "Nieuwstraat;1;;;4849 ZZ;Dorst;"
				       "BU08260100\r\n",
				false, board, &body),
			 403);
	strbuf_reset(&body);
	assert_int_equal(harness_query_int(&h, count), before);
	{
		struct reply r = req("/bestuur/adressen", NULL, volunteer);

		assert_int_equal(r.status, 403);
		reply_release(&r);
	}
	/* A good list: every address a household. */
	assert_int_equal(upload(HEADER "Nieuwstraat;1;;;4849 ZZ;Dorst;"
				       "BU08260100\r\n"
				       "Nieuwstraat;2;;;4849 ZZ;Dorst;"
				       "BU08260101\r\n",
				true, board, &body),
			 200);
	assert_non_null(strstr(body.buf, "Ingelezen: 2 nieuwe huishoudens"));
	assert_int_equal(harness_query_int(&h, count), before + 2);
	strbuf_release(&body);
}

/* The pages of a PDF (pdfinfo), or -1. */
static long pdf_pages(const struct reply *r)
{
	char path[160], line[256];
	struct strbuf cmd = STRBUF_INIT;
	FILE *f, *p;
	long pages = -1;

	snprintf(path, sizeof(path), "%s/download.pdf", h.dir);
	f = fopen(path, "wb");
	if (!f)
		return -1;
	fwrite(r->body.buf, 1, r->body.len, f);
	fclose(f);
	strbuf_addf(&cmd, "pdfinfo '%s' 2>/dev/null", path);
	p = popen(cmd.buf, "r");
	strbuf_release(&cmd);
	while (p && fgets(line, sizeof(line), p))
		if (!strncmp(line, "Pages:", 6))
			pages = strtol(line + 6, NULL, 10);
	if (p)
		pclose(p);
	return pages;
}

/* The board prints its own forms: per buurt, single- or double-sided. */
static void test_print_the_forms(void **state)
{
	const char *households = "SELECT count(*) FROM household h JOIN"
				 " address a ON a.household_id = h.id"
				 " WHERE h.buurt_id = 'BU08260102'";
	struct strbuf body = STRBUF_INIT;
	long long n = harness_query_int(&h, households);
	char csrf[128];
	struct reply r;

	(void)state;
	r = req("/bestuur/formulieren", NULL, board);
	assert_int_equal(r.status, 200);
	/* Dorst's form has 3 pages: the instruction says how to print. */
	assert_non_null(strstr(r.body.buf, "enkelzijdig afdrukken, 3 pagina"));
	assert_non_null(strstr(r.body.buf, "dubbelzijdig afdrukken, 4 pagina"));
	assert_true(reply_csrf(&r, csrf, sizeof(csrf)));
	reply_release(&r);
	r = req("/bestuur/formulieren/BU08260102.pdf", NULL, board);
	assert_int_equal(r.status, 200);
	assert_true(r.body.len > 4 && !memcmp(r.body.buf, "%PDF", 4));
	assert_true(n > 0);
	assert_int_equal(pdf_pages(&r), 3 * n);
	reply_release(&r);
	r = req("/bestuur/formulieren/BU08260102.pdf?dubbelzijdig=1", NULL,
		board);
	assert_int_equal(r.status, 200);
	assert_int_equal(pdf_pages(&r), 4 * n);
	reply_release(&r);
	/* Numbered forms for an evening: made, then downloaded. */
	strbuf_addf(&body, "csrf=%s&buurt=BU08260102&aantal=3", csrf);
	r = req("/bestuur/formulieren", body.buf, board);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "tot en met"));
	reply_release(&r);
	r = req("/bestuur/formulieren/BU08260102-zonder-adres.pdf", NULL,
		board);
	assert_int_equal(r.status, 200);
	assert_int_equal(pdf_pages(&r), 3 * 3);
	reply_release(&r);
	strbuf_reset(&body);
	strbuf_addf(&body, "csrf=%s&buurt=BU08260102&aantal=0", csrf);
	r = req("/bestuur/formulieren", body.buf, board);
	assert_int_equal(r.status, 422);
	reply_release(&r);
	/* A proof of each page, for a made-up household. */
	r = req("/bestuur/formulieren", NULL, board);
	assert_non_null(
		strstr(r.body.buf, "/bestuur/formulieren/BU08260102-3.png"));
	reply_release(&r);
	r = req("/bestuur/formulieren/BU08260102-1.png", NULL, board);
	assert_int_equal(r.status, 200);
	assert_true(r.body.len > 8 && !memcmp(r.body.buf, "\x89PNG", 4));
	reply_release(&r);
	r = req("/bestuur/formulieren/BU08260102-4.png", NULL, board);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	r = req("/bestuur/formulieren/poster-A4.pdf", NULL, board);
	assert_int_equal(r.status, 200);
	assert_int_equal(pdf_pages(&r), 1);
	reply_release(&r);
	r = req("/bestuur/formulieren/BU99.pdf", NULL, board);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	r = req("/bestuur/formulieren/..%2Fstore.db", NULL, board);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	/* The files hold the codes: the board's only. */
	r = req("/bestuur/formulieren/BU08260102.pdf", NULL, volunteer);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	strbuf_release(&body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_print_the_forms),
		cmocka_unit_test(test_every_question_on_the_dashboard),
		cmocka_unit_test(test_downloads_for_excel),
		cmocka_unit_test(test_invite_a_volunteer),
		cmocka_unit_test(test_invitation_rules),
		cmocka_unit_test(test_preview_stores_nothing),
		cmocka_unit_test(test_upload_addresses),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
