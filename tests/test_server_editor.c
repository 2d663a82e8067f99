/*
 * test_server_editor.c - the board's survey editor on `draagvlak serve`:
 * the YAML downloads as stored and an upload of it changes nothing; a
 * field changed through the form changes only its node; a mistake comes
 * back (422) at its field, and an uploaded one with its line and column;
 * once answers exist the agreement is read-only and a change to it, or
 * the removal of an answered question, is refused (409) in words.  The
 * agreement in words follows the form as sent, unsaved: from the sentence
 * endpoint the script asks, and from the button that works without it,
 * in the words agreement_describe() prints everywhere else.
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

#include "agreement.h"
#include "harness.h"
#include "strbuf.h"
#include "banned.h"

#define PASSWORD "paarse-olifant-42"
#define TODAY	 "2027-04-20"
#define SAMPLE	 SAMPLES_DIR "/dorst-speelveld/survey.yaml"

static struct harness h;
static struct served srv;
static char board[512];	    /* "Cookie: ..." */
static char volunteer[512]; /* the same, of a volunteer */

static int login(const char *name, char *cookie, size_t size)
{
	struct strbuf body = STRBUF_INIT;
	struct reply r;
	char v[256];
	int ret = -1;

	strbuf_addf(&body, "name=%s&password=" PASSWORD, name);
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
	    harness_add_user(&h, "carol", "board", PASSWORD) < 0 ||
	    harness_add_user(&h, "vera", "volunteer", PASSWORD) < 0 ||
	    harness_serve(&h, &srv, "--today", TODAY, NULL) < 0 ||
	    login("carol", board, sizeof(board)) < 0 ||
	    login("vera", volunteer, sizeof(volunteer)) < 0)
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

static struct reply get(const char *path)
{
	struct reply r;

	assert_int_equal(harness_http(&srv, NULL, path, NULL, board, &r), 0);
	return r;
}

/* The stored definition, as the board downloads it. */
static void download(struct strbuf *out)
{
	struct reply r = get("/bestuur/vragenlijst.yaml");
	char v[128];

	assert_int_equal(r.status, 200);
	assert_true(reply_header(&r, "Content-Disposition", v, sizeof(v)));
	assert_non_null(strstr(v, "vragenlijst.yaml"));
	strbuf_reset(out);
	strbuf_add(out, r.body.buf, r.body.len);
	reply_release(&r);
}

/* The value of the hidden field name in a page (copied into out). */
static void hidden(const struct reply *r, const char *name, char *out,
		   size_t size)
{
	struct strbuf pat = STRBUF_INIT;
	const char *p, *end;

	strbuf_addf(&pat, "name=\"%s\" value=\"", name);
	p = strstr(r->body.buf, pat.buf);
	assert_non_null(p);
	p += pat.len;
	end = strchr(p, '"');
	snprintf(out, size, "%.*s", (int)(end - p), p);
	strbuf_release(&pat);
}

static void add_field(struct strbuf *body, const char *name, const char *value)
{
	char *n = curl_easy_escape(NULL, name, 0);
	char *v = curl_easy_escape(NULL, value, 0);

	strbuf_addf(body, "%s%s=%s", body->len ? "&" : "", n, v);
	curl_free(n);
	curl_free(v);
}

/*
 * POST the editor with the page's CSRF token and version and the
 * fields (name, value, ..., NULL); the reply in *r.
 */
static void post_editor(struct reply *r, ...)
{
	struct reply page = get("/bestuur/vragenlijst");
	struct strbuf body = STRBUF_INIT;
	char csrf[80], version[40];
	const char *name;
	va_list ap;

	assert_int_equal(page.status, 200);
	hidden(&page, "csrf", csrf, sizeof(csrf));
	hidden(&page, "version", version, sizeof(version));
	reply_release(&page);
	add_field(&body, "csrf", csrf);
	add_field(&body, "version", version);
	va_start(ap, r);
	while ((name = va_arg(ap, const char *)))
		add_field(&body, name, va_arg(ap, const char *));
	va_end(ap);
	assert_int_equal(harness_http(&srv, NULL, "/bestuur/vragenlijst",
				      body.buf, board, r),
			 0);
	strbuf_release(&body);
}

static void post_upload(struct reply *r, const char *yaml)
{
	struct reply page = get("/bestuur/vragenlijst/yaml");
	struct strbuf body = STRBUF_INIT;
	char csrf[80];

	assert_int_equal(page.status, 200);
	hidden(&page, "csrf", csrf, sizeof(csrf));
	reply_release(&page);
	add_field(&body, "csrf", csrf);
	add_field(&body, "yaml", yaml);
	assert_int_equal(harness_http(&srv, NULL, "/bestuur/vragenlijst/yaml",
				      body.buf, board, r),
			 0);
	strbuf_release(&body);
}

/* The unsaved edit a page carries (its hidden field "draft"), unescaped. */
static void draft_of(const struct reply *r, struct strbuf *out)
{
	static const char *const ents[][2] = {
		{ "&amp;", "&" },   { "&lt;", "<" },  { "&gt;", ">" },
		{ "&quot;", "\"" }, { "&#39;", "'" },
	};
	const char *p = strstr(r->body.buf, "name=\"draft\" value=\"");

	assert_non_null(p);
	for (p += strlen("name=\"draft\" value=\""); *p && *p != '"';) {
		size_t i;

		for (i = 0; i < 5; i++)
			if (!strncmp(p, ents[i][0], strlen(ents[i][0])))
				break;
		if (i < 5) {
			strbuf_addstr(out, ents[i][1]);
			p += strlen(ents[i][0]);
		} else {
			strbuf_addch(out, *p++);
		}
	}
}

/* Whether the tag with name="name" in body has attr ("value=\"150\""). */
static bool tag_has(const char *body, const char *name, const char *attr)
{
	struct strbuf pat = STRBUF_INIT;
	const char *p, *end, *a;

	strbuf_addf(&pat, "name=\"%s\"", name);
	p = strstr(body, pat.buf);
	strbuf_release(&pat);
	if (!p)
		return false;
	end = strchr(p, '>');
	a = strstr(p, attr);
	return end && a && a < end;
}

/* text with the first "from" replaced by "to". */
static void replaced(struct strbuf *out, const char *text, const char *from,
		     const char *to)
{
	const char *at = strstr(text, from);

	assert_non_null(at);
	strbuf_reset(out);
	strbuf_add(out, text, (size_t)(at - text));
	strbuf_addstr(out, to);
	strbuf_addstr(out, at + strlen(from));
}

static void test_round_trip(void **state)
{
	struct strbuf sample = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
	struct strbuf edited = STRBUF_INIT;
	struct reply r;
	char loc[128];

	(void)state;
	assert_true(strbuf_read_file(&sample, SAMPLE) >= 0);
	download(&a);
	/* What `draagvlak init` stored, byte for byte. */
	assert_int_equal(a.len, sample.len);
	assert_memory_equal(a.buf, sample.buf, a.len);
	/* upload(download(x)) saves nothing and changes nothing. */
	post_upload(&r, a.buf);
	assert_int_equal(r.status, 303);
	assert_true(reply_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/bestuur/vragenlijst?opgeslagen=0");
	reply_release(&r);
	download(&b);
	assert_int_equal(b.len, a.len);
	assert_memory_equal(b.buf, a.buf, a.len);
	/* An edited file is stored as uploaded, comments and all. */
	replaced(&edited, a.buf, "households: 176", "households: 180");
	strbuf_addstr(&edited, "# bijgewerkt door het bestuur\n");
	post_upload(&r, edited.buf);
	assert_int_equal(r.status, 303);
	assert_true(reply_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/bestuur/vragenlijst?opgeslagen=1");
	reply_release(&r);
	download(&b);
	assert_string_equal(b.buf, edited.buf);
	/* And back. */
	post_upload(&r, a.buf);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	download(&b);
	assert_string_equal(b.buf, a.buf);
	strbuf_release(&sample);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&edited);
}

static void test_one_field(void **state)
{
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	struct strbuf want = STRBUF_INIT;
	struct reply r, page;

	(void)state;
	download(&before);
	/* The form names the node; unchanged fields change nothing. */
	post_editor(&r, "S:/buurten/0/households", "150",
		    "S:/buurten/1/households", "176", "T:/title",
		    "Een nieuw speelveld aan de Schoolstraat", "e:/title",
		    "A new playing field on Schoolstraat",
		    "c:/agreement/min_response", "none",
		    "v:/agreement/min_response", "", "op", "save:", NULL);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	download(&after);
	replaced(&want, before.buf, "households: 142", "households: 150");
	assert_string_equal(after.buf, want.buf);
	/* The page says so, and shows the new value. */
	page = get("/bestuur/vragenlijst?opgeslagen=1");
	assert_non_null(strstr(page.body.buf, "Opgeslagen."));
	assert_true(tag_has(page.body.buf, "S:/buurten/0/households",
			    "value=\"150\""));
	/* The agreement in words, at the buurt. */
	assert_non_null(strstr(page.body.buf, "In woorden:"));
	reply_release(&page);
	/* A question added through its button, at the end, and removed. */
	post_editor(&r, "x:/new_question", "yesno", "op",
		    "add-question:", NULL);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	download(&after);
	{
		/* Only the new item's lines were added, after the last one. */
		const char *item = "  - id: vraag9\n    type: yesno\n"
				   "    text: \"Nieuwe vraag\"\n";
		struct strbuf rest = STRBUF_INIT;

		replaced(&rest, after.buf, item, "");
		assert_string_equal(rest.buf, want.buf);
		strbuf_release(&rest);
	}
	post_editor(&r, "op", "del:/questions/8", NULL);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	download(&after);
	assert_string_equal(after.buf, want.buf);
	/* The sample again, for the tests that follow. */
	post_upload(&r, before.buf);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	strbuf_release(&before);
	strbuf_release(&after);
	strbuf_release(&want);
}

/*
 * Issue 15: the board turns public_results on in the editor; /uitslag
 * then says the results come after closing instead of "not on this
 * website".
 */
static void test_public_results_setting(void **state)
{
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	struct reply r;

	(void)state;
	download(&before);
	r = get("/bestuur/vragenlijst");
	assert_non_null(strstr(r.body.buf, "name=\"D:/public_results\""));
	assert_non_null(strstr(r.body.buf, "De uitslag openbaar maken"));
	reply_release(&r);
	r = get("/uitslag");
	assert_int_equal(r.status, 404);
	assert_non_null(strstr(r.body.buf, "niet op deze website"));
	reply_release(&r);
	post_editor(&r, "D:/public_results", "true", "op", "save:", NULL);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	download(&after);
	/*
	 * A new key, written at the end (quoted: yamledit keeps it a
	 * string, which the definition reads as true all the same).
	 */
	assert_non_null(strstr(after.buf, "public_results: "));
	r = get("/uitslag");
	assert_int_equal(r.status, 404);
	assert_non_null(strstr(r.body.buf, "zodra de peiling is gesloten"));
	reply_release(&r);
	/* The sample again, for the tests that follow. */
	post_upload(&r, before.buf);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	strbuf_release(&before);
	strbuf_release(&after);
}

/*
 * A saved change is what residents see next, without a restart: the
 * server reads the survey again (server_survey_reload()).
 */
static void test_residents_see_the_saved_survey(void **state)
{
	struct strbuf before = STRBUF_INIT, edited = STRBUF_INIT;
	struct strbuf path = STRBUF_INIT;
	struct reply r;

	(void)state;
	download(&before);
	replaced(&edited, before.buf, "Een nieuw speelveld aan de Schoolstraat",
		 "Een nieuw speelveld aan de Kerkstraat");
	post_upload(&r, edited.buf);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	strbuf_addf(&path, "/f/%s", h.codes[3]);
	assert_int_equal(harness_http(&srv, NULL, path.buf, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "aan de Kerkstraat</title>"));
	reply_release(&r);
	r = get("/bestuur");
	assert_non_null(strstr(r.body.buf, "speelveld aan de Kerkstraat"));
	reply_release(&r);
	/* The sample again, for the tests that follow. */
	post_upload(&r, before.buf);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	assert_int_equal(harness_http(&srv, NULL, path.buf, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body.buf, "aan de Schoolstraat</title>"));
	reply_release(&r);
	strbuf_release(&before);
	strbuf_release(&edited);
	strbuf_release(&path);
}

static void test_error_at_field(void **state)
{
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	struct reply r;
	const char *field, *err;

	(void)state;
	download(&before);
	post_editor(&r, "S:/buurten/0/households", "veel", "op", "save:", NULL);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body.buf, "Niet opgeslagen"));
	/* The error sits right above its field, tied to it. */
	field = strstr(r.body.buf, "name=\"S:/buurten/0/households\"");
	assert_non_null(field);
	err = strstr(r.body.buf, "<p class=\"error\"");
	assert_non_null(err);
	assert_true(err < field && field - err < 400);
	assert_non_null(strstr(err, "veel"));
	assert_true(strstr(err, "aria-invalid=\"true\"") <
		    strstr(err, "value=\"veel\""));
	/* The page keeps what was typed, for the next try. */
	assert_non_null(strstr(field, "value=\"veel\""));
	{
		/*
		 * The next try carries the unsaved edit back, with the CRLF
		 * line ends every browser sends: put right, it saves the
		 * file as it was.
		 */
		struct strbuf draft = STRBUF_INIT, crlf = STRBUF_INIT;
		struct strbuf body = STRBUF_INIT;
		char csrf[80], version[40];
		struct reply r2;

		draft_of(&r, &draft);
		assert_non_null(strstr(draft.buf, "households: veel"));
		for (const char *p = draft.buf; *p; p++) {
			if (*p == '\n')
				strbuf_addch(&crlf, '\r');
			strbuf_addch(&crlf, *p);
		}
		hidden(&r, "csrf", csrf, sizeof(csrf));
		hidden(&r, "version", version, sizeof(version));
		add_field(&body, "csrf", csrf);
		add_field(&body, "version", version);
		add_field(&body, "draft", crlf.buf);
		add_field(&body, "S:/buurten/0/households", "142");
		add_field(&body, "op", "save:");
		assert_int_equal(harness_http(&srv, NULL,
					      "/bestuur/vragenlijst", body.buf,
					      board, &r2),
				 0);
		assert_int_equal(r2.status, 303);
		reply_release(&r2);
		strbuf_release(&draft);
		strbuf_release(&crlf);
		strbuf_release(&body);
	}
	reply_release(&r);
	download(&after);
	assert_string_equal(after.buf, before.buf);
	/* An upload's mistakes come with their line and column. */
	{
		struct strbuf bad = STRBUF_INIT;

		replaced(&bad, before.buf, "households: 142",
			 "households: veel");
		post_upload(&r, bad.buf);
		assert_int_equal(r.status, 422);
		assert_non_null(strstr(r.body.buf, "Regel 173, kolom 17:"));
		reply_release(&r);
		strbuf_release(&bad);
	}
	download(&after);
	assert_string_equal(after.buf, before.buf);
	strbuf_release(&before);
	strbuf_release(&after);
}

/*
 * POST the editor's form (the page's CSRF token and version, then the
 * fields: name, value, ..., NULL) to path as cookie; the reply in *r.
 * csrf NULL: the page's token; "": none.
 */
static void post_form(struct reply *r, const char *path, const char *cookie,
		      const char *csrf, ...)
{
	struct reply page = get("/bestuur/vragenlijst");
	struct strbuf body = STRBUF_INIT;
	char token[80], version[40];
	const char *name;
	va_list ap;

	assert_int_equal(page.status, 200);
	hidden(&page, "csrf", token, sizeof(token));
	hidden(&page, "version", version, sizeof(version));
	reply_release(&page);
	if (!csrf || *csrf)
		add_field(&body, "csrf", csrf ? csrf : token);
	add_field(&body, "version", version);
	va_start(ap, csrf);
	while ((name = va_arg(ap, const char *)))
		add_field(&body, name, va_arg(ap, const char *));
	va_end(ap);
	assert_int_equal(harness_http(&srv, NULL, path, body.buf, cookie, r),
			 0);
	strbuf_release(&body);
}

/*
 * What the agreement module says of an agreement of quorum q and share in
 * favour f (as people write them; NULL: none) against basis, in buurt
 * name (NULL: the survey's).
 */
static void described(struct strbuf *out, const char *q, const char *f,
		      enum agreement_basis basis, const char *name)
{
	struct agreement a;
	const char *why;

	agreement_init(&a);
	if (q)
		assert_int_equal(agreement_parse_threshold(
					 q, false, &a.min_response, &why),
				 0);
	if (f)
		assert_int_equal(agreement_parse_threshold(
					 f, true, &a.min_in_favour, &why),
				 0);
	a.basis = basis;
	strbuf_reset(out);
	agreement_describe(&a, name, SURVEY_NL, out);
	agreement_release(&a);
}

/* text with &, <, >, " and ' as the pages write them. */
static void escaped(struct strbuf *out, const char *text)
{
	strbuf_reset(out);
	for (const char *p = text; *p; p++) {
		switch (*p) {
		case '&': strbuf_addstr(out, "&amp;"); break;
		case '<': strbuf_addstr(out, "&lt;"); break;
		case '>': strbuf_addstr(out, "&gt;"); break;
		case '"': strbuf_addstr(out, "&quot;"); break;
		case '\'': strbuf_addstr(out, "&#39;"); break;
		default: strbuf_addch(out, *p);
		}
	}
}

#define SENTENCE "/bestuur/vragenlijst/afspraak"

static void test_sentence(void **state)
{
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	struct strbuf want = STRBUF_INIT, html = STRBUF_INIT;
	struct reply r;
	char v[512];

	(void)state;
	download(&before);
	/* The page has a live sentence per agreement, and the script. */
	r = get("/bestuur/vragenlijst");
	described(&want, NULL, "> 50%", AGREEMENT_BASIS_VOTES, NULL);
	escaped(&html, want.buf);
	assert_non_null(strstr(r.body.buf, html.buf));
	assert_non_null(strstr(r.body.buf, "data-at=\"/agreement\""));
	assert_non_null(strstr(r.body.buf, "data-at=\"/buurten/2/agreement\""));
	assert_non_null(strstr(r.body.buf, "aria-live=\"polite\""));
	assert_non_null(strstr(r.body.buf, "Toon de afspraak"));
	assert_non_null(
		strstr(r.body.buf, "<script src=\"/static/editor.js\""));
	/* Scripts from the server's own files only: none inline. */
	assert_true(reply_header(&r, "Content-Security-Policy", v, sizeof(v)));
	assert_non_null(strstr(v, "script-src 'self'"));
	assert_null(strstr(v, "unsafe"));
	reply_release(&r);
	r = get("/static/editor.js");
	assert_int_equal(r.status, 200);
	assert_true(reply_header(&r, "Content-Type", v, sizeof(v)));
	assert_non_null(strstr(v, "text/javascript"));
	assert_non_null(strstr(r.body.buf, "data-sentence"));
	reply_release(&r);

	/* "meer dan 50%" made "minstens 55%": the survey's sentence. */
	post_form(&r, SENTENCE, board, NULL, "c:/agreement/min_in_favour", "ge",
		  "v:/agreement/min_in_favour", "55%", "at", "/agreement",
		  NULL);
	assert_int_equal(r.status, 200);
	assert_true(reply_header(&r, "Content-Type", v, sizeof(v)));
	assert_non_null(strstr(v, "text/plain"));
	described(&want, NULL, ">= 55%", AGREEMENT_BASIS_VOTES, NULL);
	assert_string_equal(r.body.buf, want.buf);
	assert_non_null(strstr(r.body.buf, "minstens 55%"));
	reply_release(&r);
	/*
	 * Dorst-West keeps its quorum of 25% and its basis (all responses)
	 * and follows the survey's share in favour.
	 */
	post_form(&r, SENTENCE, board, NULL, "c:/agreement/min_in_favour", "ge",
		  "v:/agreement/min_in_favour", "55%", "at",
		  "/buurten/2/agreement", NULL);
	assert_int_equal(r.status, 200);
	described(&want, ">= 25%", ">= 55%", AGREEMENT_BASIS_RESPONSES,
		  "Dorst-West");
	assert_string_equal(r.body.buf, want.buf);
	reply_release(&r);
	/* A buurt's own quorum, as a fraction, against all households. */
	post_form(&r, SENTENCE, board, NULL,
		  "c:/buurten/0/agreement/min_response", "gt",
		  "v:/buurten/0/agreement/min_response", "1/3",
		  "s:/buurten/0/agreement/basis", "households", "at",
		  "/buurten/0/agreement", NULL);
	assert_int_equal(r.status, 200);
	described(&want, "> 1/3", "> 50%", AGREEMENT_BASIS_HOUSEHOLDS,
		  "Dorst-Centrum");
	assert_string_equal(r.body.buf, want.buf);
	reply_release(&r);
	/* A share that is none: the problem, in Dutch, as at the field. */
	post_form(&r, SENTENCE, board, NULL, "c:/agreement/min_in_favour", "ge",
		  "v:/agreement/min_in_favour", "veel", "at",
		  "/buurten/2/agreement", NULL);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body.buf,
			       "min_in_favour': een aandeel "
			       "schrijft u als 35%, 66,67% of 2/3"));
	assert_null(strstr(r.body.buf, "draagvlak als"));
	{
		/* The same words as the page puts at the field. */
		struct reply page;

		post_editor(&page, "c:/agreement/min_in_favour", "ge",
			    "v:/agreement/min_in_favour", "veel", "op",
			    "save:", NULL);
		assert_int_equal(page.status, 422);
		escaped(&html, r.body.buf);
		assert_non_null(strstr(page.body.buf, html.buf));
		reply_release(&page);
	}
	reply_release(&r);
	/* Only the board, and only with the form's token. */
	post_form(&r, SENTENCE, board, "", "c:/agreement/min_in_favour", "ge",
		  NULL);
	assert_int_equal(r.status, 403);
	assert_null(strstr(r.body.buf, "draagvlak als"));
	reply_release(&r);
	post_form(&r, SENTENCE, board, "0123456789abcdef", "at", "/agreement",
		  NULL);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	post_form(&r, SENTENCE, volunteer, NULL, "at", "/agreement", NULL);
	assert_int_equal(r.status, 403);
	assert_null(strstr(r.body.buf, "draagvlak als"));
	reply_release(&r);
	post_form(&r, SENTENCE, NULL, NULL, "at", "/agreement", NULL);
	assert_int_equal(r.status, 303);
	reply_release(&r);

	/* Without the script: the button shows it on a new page. */
	post_form(&r, "/bestuur/vragenlijst", board, NULL,
		  "c:/agreement/min_in_favour", "ge",
		  "v:/agreement/min_in_favour", "55%", "op", "show:", NULL);
	assert_int_equal(r.status, 200);
	described(&want, NULL, ">= 55%", AGREEMENT_BASIS_VOTES, NULL);
	escaped(&html, want.buf);
	assert_non_null(strstr(r.body.buf, html.buf));
	assert_non_null(strstr(r.body.buf, "nog niet opgeslagen"));
	/* What was typed stays, for Opslaan. */
	assert_true(tag_has(r.body.buf, "v:/agreement/min_in_favour",
			    "value=\"55%\""));
	reply_release(&r);
	/* None of it saved anything. */
	download(&after);
	assert_string_equal(after.buf, before.buf);
	strbuf_release(&before);
	strbuf_release(&after);
	strbuf_release(&want);
	strbuf_release(&html);
}

/* Household i answers the first proposition online. */
static void answer(size_t i)
{
	struct strbuf path = STRBUF_INIT;
	struct reply r;
	char csrf[80];

	strbuf_addf(&path, "/f/%s", h.codes[i]);
	assert_int_equal(harness_http(&srv, NULL, path.buf, NULL, NULL, &r), 0);
	assert_true(reply_csrf(&r, csrf, sizeof(csrf)));
	reply_release(&r);
	{
		struct strbuf body = STRBUF_INIT;

		strbuf_addf(&body, "csrf=%s&lang=nl&q_speelveld=voor", csrf);
		assert_int_equal(
			harness_http(&srv, NULL, path.buf, body.buf, NULL, &r),
			0);
		strbuf_release(&body);
	}
	assert_true(r.status == 200 || r.status == 303);
	reply_release(&r);
	strbuf_release(&path);
}

static void test_refused_after_answers(void **state)
{
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	struct strbuf changed = STRBUF_INIT;
	struct reply r, page;

	(void)state;
	download(&before);
	page = get("/bestuur/vragenlijst");
	assert_non_null(strstr(page.body.buf, "ligt vast zodra"));
	reply_release(&page);
	answer(0);
	assert_true(harness_query_int(&h, "SELECT count(*) FROM response") > 0);
	/* The agreement is read-only now. */
	page = get("/bestuur/vragenlijst");
	assert_non_null(strstr(page.body.buf, "Er zijn al antwoorden"));
	assert_true(tag_has(page.body.buf, "c:/agreement/min_in_favour",
			    " disabled"));
	/* Each buurt's own too, and nothing offers to change it. */
	assert_true(tag_has(page.body.buf,
			    "c:/buurten/0/agreement/min_in_favour",
			    " disabled"));
	assert_true(tag_has(page.body.buf,
			    "v:/buurten/2/agreement/min_response",
			    " disabled"));
	assert_null(strstr(page.body.buf, "Toon de afspraak"));
	assert_null(strstr(page.body.buf, "editor.js"));
	reply_release(&page);
	/* A change sent through the form all the same is refused. */
	post_editor(&r, "c:/agreement/min_in_favour", "ge",
		    "v:/agreement/min_in_favour", "55%", "op", "save:", NULL);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body.buf, "Niet opgeslagen"));
	reply_release(&r);
	/* A change to it by upload is refused in words. */
	replaced(&changed, before.buf, "  decision: all", "  decision: each");
	post_upload(&r, changed.buf);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body.buf, "de afspraak over het draagvlak "
					   "kan niet meer veranderen"));
	reply_release(&r);
	/* So is removing the question that was answered. */
	post_editor(&r, "op", "del:/questions/0", NULL);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body.buf, "Niet opgeslagen"));
	assert_non_null(strstr(r.body.buf, "speelveld"));
	reply_release(&r);
	download(&after);
	assert_string_equal(after.buf, before.buf);
	/* Wording still changes. */
	post_editor(&r, "S:/organisation", "Dorpsplatform Dorst (bestuur)",
		    "op", "save:", NULL);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	download(&after);
	replaced(&changed, before.buf, "organisation: Dorpsplatform Dorst\n",
		 "organisation: Dorpsplatform Dorst (bestuur)\n");
	assert_string_equal(after.buf, changed.buf);
	strbuf_release(&before);
	strbuf_release(&after);
	strbuf_release(&changed);
}

static void test_stale_form(void **state)
{
	struct reply r;
	struct strbuf body = STRBUF_INIT;
	struct reply page = get("/bestuur/vragenlijst");
	char csrf[80];

	(void)state;
	hidden(&page, "csrf", csrf, sizeof(csrf));
	reply_release(&page);
	/* A form made from another version is not applied to this one. */
	add_field(&body, "csrf", csrf);
	add_field(&body, "version", "0000000000000000");
	add_field(&body, "S:/organisation", "Iets anders");
	assert_int_equal(harness_http(&srv, NULL, "/bestuur/vragenlijst",
				      body.buf, board, &r),
			 0);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body.buf, "intussen"));
	reply_release(&r);
	strbuf_release(&body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_one_field),
		cmocka_unit_test(test_public_results_setting),
		cmocka_unit_test(test_residents_see_the_saved_survey),
		cmocka_unit_test(test_error_at_field),
		cmocka_unit_test(test_stale_form),
		cmocka_unit_test(test_sentence),
		cmocka_unit_test(test_refused_after_answers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
