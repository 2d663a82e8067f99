/*
 * test_server_host.c - one server for many surveys (`draagvlak serve
 * --data DIR`, store/host.h), for real: a host's folder made with
 * `draagvlak host`, two organisations with a survey each and their
 * addresses, the real server on loopback.
 *
 * What it must hold: a household code finds its own survey without the
 * URL naming it; a board member sees, chooses and manages only their
 * own organisation's surveys and people; an invitation joins the
 * organisation it came from; the host's administrator makes
 * organisations and sees no survey; nothing of one organisation
 * shows on another's pages; and a household code stays unique on the
 * server: a copy of a hosted store is refused, and a code two surveys
 * have (a store changed by hand) is logged at start and leads to
 * neither.
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
#include <fcntl.h>
#include <unistd.h>

#include "harness.h"
#include "strbuf.h"
#include "banned.h"

#define PASSWORD "paarse-olifant-42"
#define TODAY	 "2027-04-20"
#define DORST	 "dorst-speelveld-2027"
#define OOST	 "oosterheide-parkeren-2027"
/* Each survey's title, as its pages show it. */
#define DORST_TITLE "Een nieuw speelveld aan de Schoolstraat"
#define OOST_TITLE  "Vergunningparkeren in Oosterheide-Oost?"

static struct harness h;
static struct served srv;
static char data[160];
static char invitation[160]; /* anna's: "/uitnodiging/TOKEN" */
static char code_dorst[32], code_oost[32];
static char anna[512], bob[512], root[512]; /* "Cookie: ..." */

/* Run a shell command; its first line of output with prefix into out. */
static int run(const char *cmd, const char *prefix, char *out, size_t size)
{
	FILE *p = popen(cmd, "r");
	char line[512];

	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		const char *at = prefix ? strstr(line, prefix) : NULL;

		if (at && out && !*out) {
			snprintf(out, size, "%s", at);
			out[strcspn(out, " \n")] = '\0';
		}
	}
	return pclose(p) == 0 ? 0 : -1;
}

static int host(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int host(const char *fmt, ...)
{
	struct strbuf cmd = STRBUF_INIT;
	va_list ap;
	int rc;

	strbuf_addf(&cmd, "'%s' ", DRAAGVLAK_BIN);
	va_start(ap, fmt);
	strbuf_vaddf(&cmd, fmt, ap);
	va_end(ap);
	strbuf_addstr(&cmd, " >/dev/null");
	rc = system(cmd.buf) == 0 ? 0 : -1;
	if (rc)
		fprintf(stderr, "failed: %s\n", cmd.buf);
	strbuf_release(&cmd);
	return rc;
}

/* A household's code of the survey store at db (the first listed). */
static int first_code(const char *db, char *out, size_t size)
{
	struct strbuf cmd = STRBUF_INIT;
	FILE *p;
	char line[512], buurt[64];
	int ret = -1;

	strbuf_addf(&cmd, "'%s' households list --db '%s'", DRAAGVLAK_BIN, db);
	p = popen(cmd.buf, "r");
	strbuf_release(&cmd);
	if (!p)
		return -1;
	if (fgets(line, sizeof(line), p) &&
	    sscanf(line, "%63s %31s", buurt, out) == 2 && size >= 32) {
		/* Canonical: without the dashes of "XXXX-XXXX-XXXX". */
		char *w = out;

		for (const char *r = out; *r; r++)
			if (*r != '-')
				*w++ = *r;
		*w = '\0';
		ret = 0;
	}
	while (fgets(line, sizeof(line), p))
		;
	pclose(p);
	return ret;
}

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

/* A query of one integer on the host's store, from outside the server. */
static long long host_query(const char *sql)
{
	struct strbuf cmd = STRBUF_INIT;
	char out[64] = "";
	FILE *p;
	long long v = -1;

	strbuf_addf(&cmd, "sqlite3 -readonly '%s/host.db' \"%s\"", data, sql);
	p = popen(cmd.buf, "r");
	strbuf_release(&cmd);
	if (!p)
		return -1;
	if (fgets(out, sizeof(out), p))
		v = strtoll(out, NULL, 10);
	pclose(p);
	return v;
}

/* `draagvlak user add` into the host's store, the password on stdin. */
static int add_user(const char *name, const char *role, const char *org)
{
	struct strbuf cmd = STRBUF_INIT;
	FILE *p;

	strbuf_addf(&cmd, "'%s' user add --db '%s/host.db' --role %s",
		    DRAAGVLAK_BIN, data, role);
	if (org)
		strbuf_addf(&cmd, " --org %s", org);
	strbuf_addf(&cmd, " %s >/dev/null", name);
	p = popen(cmd.buf, "w");
	strbuf_release(&cmd);
	if (!p)
		return -1;
	fprintf(p, "%s\n", PASSWORD);
	return pclose(p) == 0 ? 0 : -1;
}

/* Accept an invitation link's path with PASSWORD. */
static long accept_invitation(const char *path)
{
	struct reply r = req(path, NULL, NULL);
	struct strbuf body = STRBUF_INIT;
	char csrf[128];
	long status;

	assert_int_equal(r.status, 200);
	assert_true(reply_csrf(&r, csrf, sizeof(csrf)));
	reply_release(&r);
	strbuf_addf(&body, "csrf=%s&password=%s&password2=%s", csrf, PASSWORD,
		    PASSWORD);
	r = req(path, body.buf, NULL);
	status = r.status;
	reply_release(&r);
	strbuf_release(&body);
	return status;
}

static int setup(void **state)
{
	char cmd[512], db[256];

	(void)state;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (harness_make_store(&h, NULL, NULL) < 0)
		return -1;
	snprintf(data, sizeof(data), "%s/host", h.dir);
	snprintf(cmd, sizeof(cmd),
		 "'%s' host org add --data '%s' dorst 'Dorpsplatform Dorst' "
		 "--board wilhelmina --url ''",
		 DRAAGVLAK_BIN, data);
	if (host("host init --data '%s'", data) < 0 ||
	    run(cmd, "/uitnodiging/", invitation, sizeof(invitation)) < 0 ||
	    !*invitation ||
	    host("host org add --data '%s' rijen 'Buurtvereniging Rijen'",
		 data) < 0 ||
	    host("host survey add --data '%s' --org dorst "
		 "'" SAMPLES_DIR "/dorst-speelveld/survey.yaml'",
		 data) < 0 ||
	    host("host survey add --data '%s' --org rijen "
		 "'" SAMPLES_DIR "/oosterheide-parkeren/survey.yaml'",
		 data) < 0 ||
	    host("households import --db '%s/" DORST ".db' "
		 "'" SAMPLES_DIR "/dorst-speelveld/addresses.csv'",
		 data) < 0 ||
	    host("households import --db '%s/" OOST ".db' "
		 "'" SAMPLES_DIR "/oosterheide-parkeren/addresses.csv'",
		 data) < 0)
		return -1;
	snprintf(db, sizeof(db), "%s/" DORST ".db", data);
	if (first_code(db, code_dorst, sizeof(code_dorst)) < 0)
		return -1;
	snprintf(db, sizeof(db), "%s/" OOST ".db", data);
	if (first_code(db, code_oost, sizeof(code_oost)) < 0)
		return -1;
	/* rijen's board and volunteer; the host's administrator. */
	if (add_user("bartholomeus", "board", "rijen") < 0 ||
	    add_user("cornelis", "volunteer", "rijen") < 0 ||
	    add_user("hostbeheer", "board", NULL) < 0 ||
	    harness_serve(&h, &srv, "--data", data, "--today", TODAY, NULL) < 0)
		return -1;
	/* anna, dorst's first board member, joins by her link. */
	if (accept_invitation(invitation) != 200) {
		fprintf(stderr, "accepting %s failed\n", invitation);
		return -1;
	}
	if (login("wilhelmina", anna, sizeof(anna)) < 0 ||
	    login("bartholomeus", bob, sizeof(bob)) < 0 ||
	    login("hostbeheer", root, sizeof(root)) < 0) {
		fprintf(stderr, "logging in failed\n");
		return -1;
	}
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

/* The code alone finds the survey: each household its own. */
static void test_code_finds_its_survey(void **state)
{
	char path[64];
	struct reply r;

	(void)state;
	snprintf(path, sizeof(path), "/code?code=%s", code_dorst);
	r = req(path, NULL, NULL);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	snprintf(path, sizeof(path), "/f/%s", code_dorst);
	r = req(path, NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, DORST_TITLE));
	assert_null(strstr(r.body.buf, OOST_TITLE));
	reply_release(&r);
	snprintf(path, sizeof(path), "/f/%s", code_oost);
	r = req(path, NULL, NULL);
	/* Oosterheide opens later than TODAY: its own page says so. */
	assert_non_null(strstr(r.body.buf, OOST_TITLE));
	assert_null(strstr(r.body.buf, DORST_TITLE));
	reply_release(&r);
	/* A code of neither: the host's own page, no survey named. */
	r = req("/f/AAAAAAAAAAAA", NULL, NULL);
	assert_true(r.status == 400 || r.status == 404);
	assert_null(strstr(r.body.buf, DORST_TITLE));
	assert_null(strstr(r.body.buf, OOST_TITLE));
	reply_release(&r);
	r = req("/", NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body.buf, DORST_TITLE));
	assert_null(strstr(r.body.buf, OOST_TITLE));
	reply_release(&r);
	/* Each survey's privacy statement, linked from its own pages. */
	snprintf(path, sizeof(path), "/f/%s", code_dorst);
	r = req(path, NULL, NULL);
	assert_non_null(strstr(r.body.buf, "href=\"/privacy/" DORST "\""));
	reply_release(&r);
	r = req("/privacy/" DORST, NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(
		strstr(r.body.buf, "secretariaat@dorpsplatformdorst.nl"));
	reply_release(&r);
	r = req("/privacy/" OOST, NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body.buf, "dorpsplatformdorst.nl"));
	reply_release(&r);
	r = req("/privacy", NULL, NULL);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	r = req("/privacy/no-such-survey", NULL, NULL);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	r = req("/uitslag/" DORST, NULL, NULL);
	assert_int_equal(r.status, 404); /* not public, and still open */
	reply_release(&r);
}

/* POST /werkruimte choosing slug as the session of cookie. */
static long choose(const char *cookie, const char *slug)
{
	struct reply r = req("/werkruimte", NULL, cookie);
	struct strbuf body = STRBUF_INIT;
	char csrf[128];
	long status;

	assert_int_equal(r.status, 200);
	assert_true(reply_csrf(&r, csrf, sizeof(csrf)));
	reply_release(&r);
	strbuf_addf(&body, "csrf=%s&survey=%s", csrf, slug);
	r = req("/werkruimte", body.buf, cookie);
	status = r.status;
	reply_release(&r);
	strbuf_release(&body);
	return status;
}

/* A board member chooses among their own organisation's surveys only. */
static void test_choose_own_survey_only(void **state)
{
	struct reply r;

	(void)state;
	/*
	 * No survey chosen yet, but her organisation has only one: the
	 * pages are about that one at once (with several, she chooses:
	 * test_board_starts_a_survey).
	 */
	r = req("/bestuur", NULL, anna);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, DORST_TITLE));
	assert_null(strstr(r.body.buf, OOST_TITLE));
	reply_release(&r);
	r = req("/invoer", NULL, anna);
	assert_int_equal(r.status, 200);
	reply_release(&r);
	r = req("/werkruimte", NULL, anna);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, DORST_TITLE));
	assert_null(strstr(r.body.buf, OOST_TITLE));
	assert_null(strstr(r.body.buf, OOST));
	reply_release(&r);
	/* Another organisation's survey is as unknown as none. */
	assert_int_equal(choose(anna, OOST), 404);
	assert_int_equal(choose(anna, "no-such-survey"), 404);
	r = req("/bestuur", NULL, anna);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body.buf, OOST_TITLE));
	reply_release(&r);
	assert_int_equal(choose(anna, DORST), 303);
	r = req("/bestuur", NULL, anna);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, DORST_TITLE));
	assert_null(strstr(r.body.buf, OOST_TITLE));
	reply_release(&r);
	/* And bob, of rijen, his. */
	assert_int_equal(choose(bob, DORST), 404);
	assert_int_equal(choose(bob, OOST), 303);
	r = req("/bestuur", NULL, bob);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, OOST_TITLE));
	assert_null(strstr(r.body.buf, DORST_TITLE));
	reply_release(&r);
	/* The answers for Excel hold only rijen's buurten. */
	r = req("/bestuur/antwoorden.csv", NULL, bob);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body.buf, "BU08260100"));
	reply_release(&r);
}

/* People: each board sees and manages only its own organisation's. */
static void test_people_stay_in_their_organisation(void **state)
{
	struct strbuf body = STRBUF_INIT;
	char csrf[128];
	struct reply r;

	(void)state;
	assert_int_equal(choose(bob, OOST), 303);
	r = req("/bestuur/vrijwilligers", NULL, bob);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "cornelis"));
	assert_null(strstr(r.body.buf, "wilhelmina"));
	assert_null(strstr(r.body.buf, "hostbeheer"));
	assert_true(reply_csrf(&r, csrf, sizeof(csrf)));
	reply_release(&r);
	/* Removing another organisation's account: there is none such. */
	strbuf_addf(&body, "csrf=%s&action=remove&name=wilhelmina", csrf);
	r = req("/bestuur/vrijwilligers", body.buf, bob);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	assert_int_equal(host_query("SELECT count(*) FROM account WHERE name = "
				    "'wilhelmina'"),
			 1);
	strbuf_reset(&body);
	strbuf_addf(&body, "csrf=%s&action=remove&name=hostbeheer", csrf);
	r = req("/bestuur/vrijwilligers", body.buf, bob);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	/* bob's invitation joins rijen. */
	strbuf_reset(&body);
	strbuf_addf(&body, "csrf=%s&action=invite&name=evelien&role=volunteer",
		    csrf);
	r = req("/bestuur/vrijwilligers", body.buf, bob);
	assert_int_equal(r.status, 200);
	reply_release(&r);
	assert_int_equal(host_query("SELECT count(*) FROM invitation"
				    " WHERE name = 'evelien'"
				    " AND organisation = 'rijen'"),
			 1);
	/* anna's page shows nothing of rijen's people or invitations. */
	assert_int_equal(choose(anna, DORST), 303);
	r = req("/bestuur/vrijwilligers", NULL, anna);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "wilhelmina"));
	assert_null(strstr(r.body.buf, "bartholomeus"));
	assert_null(strstr(r.body.buf, "cornelis"));
	assert_null(strstr(r.body.buf, "evelien"));
	reply_release(&r);
	/* She joined dorst by the host's link. */
	assert_int_equal(host_query("SELECT count(*) FROM account"
				    " WHERE name = 'wilhelmina'"
				    " AND organisation = 'dorst'"
				    " AND role = 'board'"),
			 1);
	strbuf_release(&body);
}

/* The host's administrator makes organisations and sees no survey. */
static void test_host_admin(void **state)
{
	struct strbuf body = STRBUF_INIT;
	char csrf[128];
	struct reply r;

	(void)state;
	r = req("/beheer", NULL, root);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "Dorpsplatform Dorst"));
	assert_non_null(strstr(r.body.buf, "Buurtvereniging Rijen"));
	assert_true(reply_csrf(&r, csrf, sizeof(csrf)));
	reply_release(&r);
	assert_int_equal(choose(root, DORST), 404);
	r = req("/bestuur", NULL, root);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	/* A new organisation and its first board member's link. */
	strbuf_addf(&body, "csrf=%s&name=Kern+%%26+Co&slug=kern&board=dinaatje",
		    csrf);
	r = req("/beheer", body.buf, root);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "/uitnodiging/"));
	assert_non_null(strstr(r.body.buf, "Kern &amp; Co"));
	reply_release(&r);
	assert_int_equal(host_query("SELECT count(*) FROM invitation"
				    " WHERE name = 'dinaatje'"
				    " AND organisation = 'kern'"
				    " AND role = 'board'"),
			 1);
	/* The same short name again is refused; a bad one too. */
	r = req("/beheer", body.buf, root);
	assert_int_equal(r.status, 409);
	reply_release(&r);
	strbuf_reset(&body);
	strbuf_addf(&body, "csrf=%s&name=X&slug=Kern%%2F..&board=d", csrf);
	r = req("/beheer", body.buf, root);
	assert_int_equal(r.status, 422);
	reply_release(&r);
	/* An organisation's board is no host administrator. */
	r = req("/beheer", NULL, anna);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	strbuf_release(&body);
}

/* A board starts a survey of its own, in the browser, while it runs. */
static void test_board_starts_a_survey(void **state)
{
	struct strbuf body = STRBUF_INIT;
	char csrf[128], loc[128], cornelis[512];
	struct reply r;

	(void)state;
	r = req("/werkruimte", NULL, bob);
	assert_int_equal(r.status, 200);
	assert_true(reply_csrf(&r, csrf, sizeof(csrf)));
	reply_release(&r);
	/* Quotes and a line break in the title stay text. */
	strbuf_addf(&body,
		    "csrf=%s&action=new&title=Zebrapad+%%22bij%%22+de+"
		    "school%%0A%%3Cb%%3E",
		    csrf);
	r = req("/werkruimte", body.buf, bob);
	assert_int_equal(r.status, 303);
	assert_true(reply_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/bestuur/vragenlijst");
	reply_release(&r);
	assert_int_equal(host_query("SELECT count(*) FROM host_survey"
				    " WHERE organisation = 'rijen'"),
			 2);
	/* Its editor, and the board's pages, are about the new one. */
	r = req("/bestuur/vragenlijst", NULL, bob);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "Zebrapad &quot;bij&quot; de"));
	assert_null(strstr(r.body.buf, "<b>"));
	reply_release(&r);
	r = req("/bestuur", NULL, bob);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, "Zebrapad"));
	reply_release(&r);
	/* Nobody of dorst sees it. */
	r = req("/werkruimte", NULL, anna);
	assert_null(strstr(r.body.buf, "Zebrapad"));
	reply_release(&r);
	/* No title: said so; a volunteer may not. */
	strbuf_reset(&body);
	strbuf_addf(&body, "csrf=%s&action=new&title=", csrf);
	r = req("/werkruimte", body.buf, bob);
	assert_int_equal(r.status, 422);
	reply_release(&r);
	assert_int_equal(login("cornelis", cornelis, sizeof(cornelis)), 0);
	/* rijen has two surveys now: a new session chooses first. */
	r = req("/invoer", NULL, cornelis);
	assert_int_equal(r.status, 303);
	assert_true(reply_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/werkruimte");
	reply_release(&r);
	r = req("/werkruimte", NULL, cornelis);
	assert_null(strstr(r.body.buf, "action\" value=\"new"));
	assert_true(reply_csrf(&r, csrf, sizeof(csrf)));
	reply_release(&r);
	strbuf_reset(&body);
	strbuf_addf(&body, "csrf=%s&action=new&title=Nee", csrf);
	r = req("/werkruimte", body.buf, cornelis);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	assert_int_equal(host_query("SELECT count(*) FROM host_survey"), 3);
	strbuf_release(&body);
}

/* Run a shell command: its exit status, stdout and stderr into out. */
static int run_all(const char *cmd, struct strbuf *out)
{
	struct strbuf c = STRBUF_INIT;
	FILE *p;
	char buf[512];
	size_t n;
	int rc;

	strbuf_addf(&c, "%s 2>&1", cmd);
	p = popen(c.buf, "r");
	strbuf_release(&c);
	if (!p)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		strbuf_add(out, buf, n);
	rc = pclose(p);
	return rc;
}

/* A query of one text on the survey store db, into out. */
static void store_text(const char *db, const char *sql, char *out, size_t size)
{
	struct strbuf cmd = STRBUF_INIT;
	FILE *p;

	strbuf_addf(&cmd, "sqlite3 -readonly '%s/%s' \"%s\"", data, db, sql);
	p = popen(cmd.buf, "r");
	strbuf_release(&cmd);
	assert_non_null(p);
	out[0] = '\0';
	assert_non_null(fgets(out, (int)size, p));
	out[strcspn(out, "\n")] = '\0';
	pclose(p);
}

/*
 * `host survey add --from` a copy of a hosted survey's store: refused,
 * saying how many codes and with which survey, and nothing made; a
 * store of the same survey made afresh (its own codes) is added.
 */
static void test_copy_refused(void **state)
{
	struct strbuf cmd = STRBUF_INIT, out = STRBUF_INIT;
	char path[256];
	long long before = host_query("SELECT count(*) FROM host_survey");

	(void)state;
	strbuf_addf(&cmd,
		    "'%s' host survey add --data '%s' --org rijen --slug kopie "
		    "--from '%s/" DORST ".db'",
		    DRAAGVLAK_BIN, data, data);
	assert_int_not_equal(run_all(cmd.buf, &out), 0);
	assert_non_null(strstr(out.buf, "449 household codes"));
	assert_non_null(strstr(out.buf, "449 codes with survey " DORST));
	assert_non_null(strstr(out.buf, "nothing was added"));
	assert_non_null(strstr(out.buf, "replace-code"));
	assert_int_equal(host_query("SELECT count(*) FROM host_survey"),
			 before);
	snprintf(path, sizeof(path), "%s/kopie.db", data);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/kopie.db-wal", data);
	assert_int_equal(access(path, F_OK), -1);
	/* The harness's own store of the Dorst sample: codes of its own. */
	strbuf_reset(&cmd);
	strbuf_reset(&out);
	strbuf_addf(&cmd,
		    "'%s' host survey add --data '%s' --org rijen --slug kopie "
		    "--from '%s'",
		    DRAAGVLAK_BIN, data, h.db);
	assert_int_equal(run_all(cmd.buf, &out), 0);
	assert_int_equal(host_query("SELECT count(*) FROM host_survey"),
			 before + 1);
	strbuf_release(&cmd);
	strbuf_release(&out);
}

/*
 * A household code of Oosterheide set by hand to one of Dorst's: at
 * start the server logs that the two surveys share a code (never the
 * code), and /f/CODE answers that it cannot choose; every other code
 * still opens its own survey.
 */
static void test_shared_code_refused(void **state)
{
	char dorst2[32], oost2[32], sql[512], logpath[256], path[64];
	struct strbuf log = STRBUF_INIT;
	struct reply r;
	int saved, fd;

	(void)state;
	store_text(DORST ".db",
		   "SELECT code FROM token ORDER BY household_id DESC LIMIT 1",
		   dorst2, sizeof(dorst2));
	store_text(OOST ".db",
		   "SELECT code FROM token ORDER BY household_id DESC LIMIT 1",
		   oost2, sizeof(oost2));
	assert_string_not_equal(dorst2, code_dorst);
	assert_string_not_equal(oost2, code_oost);
	assert_int_equal(harness_stop(&srv, SIGTERM), 0);
	snprintf(sql, sizeof(sql),
		 "sqlite3 '%s/" OOST ".db' \"UPDATE token SET code = '%s'"
		 " WHERE code = '%s'\"",
		 data, code_dorst, code_oost);
	assert_int_equal(system(sql), 0);
	/* The server's log: its stderr, into a file. */
	snprintf(logpath, sizeof(logpath), "%s/serve.log", h.dir);
	fflush(stderr);
	saved = dup(2);
	fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, 2);
	close(fd);
	fd = harness_serve(&h, &srv, "--data", data, "--today", TODAY, NULL);
	dup2(saved, 2);
	close(saved);
	assert_int_equal(fd, 0);
	assert_int_equal(strbuf_read_file(&log, logpath), 0);
	assert_non_null(strstr(log.buf, "surveys " DORST " and " OOST
					" share 1 household code:"));
	assert_null(strstr(log.buf, code_dorst));
	assert_non_null(strstr(log.buf, "1 shared"));

	snprintf(path, sizeof(path), "/f/%s", code_dorst);
	r = req(path, NULL, NULL);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body.buf, "meer dan één peiling"));
	assert_non_null(strstr(r.body.buf, "Neem contact op met het platform"));
	assert_null(strstr(r.body.buf, DORST_TITLE));
	assert_null(strstr(r.body.buf, OOST_TITLE));
	reply_release(&r);
	snprintf(path, sizeof(path), "/f/%s?lang=en", code_dorst);
	r = req(path, NULL, NULL);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body.buf, "more than one survey"));
	reply_release(&r);
	/* The others: each its own survey, the copy added before too. */
	snprintf(path, sizeof(path), "/f/%s", dorst2);
	r = req(path, NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, DORST_TITLE));
	reply_release(&r);
	snprintf(path, sizeof(path), "/f/%s", oost2);
	r = req(path, NULL, NULL);
	assert_non_null(strstr(r.body.buf, OOST_TITLE));
	assert_null(strstr(r.body.buf, DORST_TITLE));
	reply_release(&r);
	snprintf(path, sizeof(path), "/f/%s", h.codes[0]);
	r = req(path, NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.buf, DORST_TITLE));
	reply_release(&r);
	/* The code that was changed away opens nothing now. */
	snprintf(path, sizeof(path), "/f/%s", code_oost);
	r = req(path, NULL, NULL);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	strbuf_release(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code_finds_its_survey),
		cmocka_unit_test(test_choose_own_survey_only),
		cmocka_unit_test(test_people_stay_in_their_organisation),
		cmocka_unit_test(test_host_admin),
		cmocka_unit_test(test_board_starts_a_survey),
		cmocka_unit_test(test_copy_refused),
		cmocka_unit_test(test_shared_code_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
