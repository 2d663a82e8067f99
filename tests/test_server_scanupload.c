/*
 * test_server_scanupload.c - volunteers upload scans and photos at /scan
 * on the real server (`draagvlak serve` on loopback, a real store):
 * tests/scangen fills in and "scans" forms of the store's own
 * households, a volunteer sends two PNG pages, a PDF and a file that is
 * no image in one multipart body, the progress page counts them as they
 * are read in the background, and the pages are then in the store (the
 * review queue's tables) as `draagvlak scan` would have put them; every
 * file that could not be read is listed with its reason.  Sending a page
 * again changes nothing.  A body over --max-scan-upload gets 413 with a
 * page saying so; without a session the server answers on the headers,
 * before the body is sent; without the CSRF token nothing is read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "strbuf.h"
#include "testutil.h"
#include "banned.h"

#define PASSWORD "paarse-olifant-42"
#define MAX_MB	 "8"

static struct harness h;
static struct served srv;
static char cookie[512], csrf[80];
static char set[160], pdfset[160];

/* A file of a generated set: its name, pages, and how many are ours. */
struct genfile {
	char name[64];
	int pages, ours; /* ours: pages of this survey's layouts */
	int households;	 /* distinct households of our pages (at most 3) */
	char codes[3][16];
};

static size_t collect(char *p, size_t size, size_t n, void *data)
{
	strbuf_add(data, p, size * n);
	return size * n;
}

/* Read dir/pages.csv into files: one per file name. */
static size_t read_pages(const char *dir, struct genfile *files, size_t max)
{
	struct strbuf path = STRBUF_INIT;
	char line[512];
	size_t n = 0;
	FILE *f;

	strbuf_addf(&path, "%s/pages.csv", dir);
	f = fopen(path.buf, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f)); /* the header */
	while (fgets(line, sizeof(line), f)) {
		char *name = strtok(line, ","), *code, *flags;
		struct genfile *g = NULL;
		bool seen = false;

		(void)strtok(NULL, ","); /* index */
		code = strtok(NULL, ",");
		for (int i = 0; i < 7; i++) /* page .. shift_y */
			flags = strtok(NULL, ",\r\n");
		flags = strtok(NULL, "\r\n");
		for (size_t i = 0; i < n; i++)
			if (!strcmp(files[i].name, name))
				g = &files[i];
		if (!g) {
			assert_true(n < max);
			g = &files[n++];
			memset(g, 0, sizeof(*g));
			snprintf(g->name, sizeof(g->name), "%s", name);
		}
		g->pages++;
		if (flags && strstr(flags, "foreign_layout"))
			continue;
		g->ours++;
		for (int i = 0; i < g->households; i++)
			seen |= !strcmp(g->codes[i], code);
		if (!seen && g->households < 3)
			snprintf(g->codes[g->households++], 16, "%s", code);
	}
	fclose(f);
	strbuf_release(&path);
	return n;
}

static int run_scangen(const char *out, const char *formats, const char *seed,
		       const char *forms)
{
	struct strbuf cmd = STRBUF_INIT;
	int rc;

	strbuf_addf(&cmd,
		    "'%s' --db '%s' --out '%s' --forms %s --formats %s "
		    "--dpi 150 --seed %s >/dev/null",
		    SCANGEN_BIN, h.db, out, forms, formats, seed);
	rc = system(cmd.buf);
	strbuf_release(&cmd);
	return rc == 0 ? 0 : -1;
}

static int setup(void **state)
{
	struct strbuf body = STRBUF_INIT;
	struct reply r;
	char v[256];
	int ret = -1;

	(void)state;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (harness_make_store(&h, NULL, NULL) < 0 ||
	    harness_add_user(&h, "anna", "volunteer", PASSWORD) < 0)
		return -1;
	snprintf(set, sizeof(set), "%s/set", h.dir);
	snprintf(pdfset, sizeof(pdfset), "%s/pdf", h.dir);
	if (run_scangen(set, "png", "3", "2") < 0 ||
	    run_scangen(pdfset, "pdf", "4", "1") < 0)
		return -1;
	if (harness_serve(&h, &srv, "--today", "2027-04-20",
			  "--max-scan-upload", MAX_MB, NULL) < 0)
		return -1;
	strbuf_addstr(&body, "name=anna&password=" PASSWORD);
	if (harness_http(&srv, NULL, "/login", body.buf, NULL, &r) == 0 &&
	    r.status == 303 && reply_header(&r, "Set-Cookie", v, sizeof(v))) {
		*strchr(v, ';') = '\0';
		snprintf(cookie, sizeof(cookie), "Cookie: %s", v);
		ret = 0;
	}
	reply_release(&r);
	strbuf_release(&body);
	return ret;
}

static int teardown(void **state)
{
	(void)state;
	harness_stop(&srv, SIGTERM);
	harness_remove(&h);
	curl_global_cleanup();
	return 0;
}

/* One file of a multipart upload: from path, or n bytes of data. */
struct part {
	const char *path, *filename;
	const char *data;
	size_t n;
};

/* POST /scan/upload as multipart with the token and the parts. */
static int upload(const char *token, const struct part *parts, size_t nr,
		  struct reply *rep)
{
	struct strbuf url = STRBUF_INIT;
	struct curl_slist *hdrs = curl_slist_append(NULL, cookie);
	CURL *c = curl_easy_init();
	curl_mime *mime = curl_mime_init(c);
	curl_mimepart *mp;
	CURLcode rc;

	strbuf_init(&rep->headers, 0);
	strbuf_init(&rep->body, 0);
	rep->status = 0;
	mp = curl_mime_addpart(mime);
	curl_mime_name(mp, "csrf");
	curl_mime_data(mp, token, CURL_ZERO_TERMINATED);
	for (size_t i = 0; i < nr; i++) {
		mp = curl_mime_addpart(mime);
		curl_mime_name(mp, "files");
		if (parts[i].path)
			curl_mime_filedata(mp, parts[i].path);
		else
			curl_mime_data(mp, parts[i].data, parts[i].n);
		if (parts[i].filename)
			curl_mime_filename(mp, parts[i].filename);
	}
	strbuf_addf(&url, "http://127.0.0.1:%u/scan/upload", srv.port);
	curl_easy_setopt(c, CURLOPT_URL, url.buf);
	curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &rep->body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &rep->headers);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &rep->status);
	curl_mime_free(mime);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	strbuf_release(&url);
	return rc == CURLE_OK ? 0 : -1;
}

static struct reply get(const char *path)
{
	struct reply r;

	assert_int_equal(harness_http(&srv, NULL, path, NULL, cookie, &r), 0);
	return r;
}

/* Follow the upload's redirect until every file is read; the page. */
static struct reply wait_read(const struct reply *posted)
{
	char where[256];
	struct reply r;

	assert_int_equal(posted->status, 303);
	assert_true(reply_header(posted, "Location", where, sizeof(where)));
	assert_non_null(strstr(where, "/scan/upload/"));
	for (int i = 0; i < 600; i++) {
		struct timespec ts = { 0, 100 * 1000000L };
		char v[16];

		r = get(where);
		assert_int_equal(r.status, 200);
		if (strstr(r.body.buf, "Klaar: alle")) {
			/* Done: it no longer refreshes. */
			assert_false(reply_header(&r, "Refresh", v, sizeof(v)));
			return r;
		}
		/* Reading: "2 van 4 bestanden gelezen", refreshing itself. */
		assert_non_null(strstr(r.body.buf, "bestanden gelezen."));
		assert_true(reply_header(&r, "Refresh", v, sizeof(v)));
		assert_null(strstr(r.body.buf, "http-equiv"));
		assert_non_null(strstr(r.body.buf, "Nu verversen</a>"));
		reply_release(&r);
		nanosleep(&ts, NULL);
	}
	fail_msg("the upload was not read within a minute");
	return r;
}

/* The table row of file name on the progress page, as a string. */
static void row_of(const struct reply *r, const char *name, char *out,
		   size_t size)
{
	struct strbuf th = STRBUF_INIT;
	const char *p, *end;

	strbuf_addf(&th, "<th scope=\"row\">%s</th>", name);
	p = strstr(r->body.buf, th.buf);
	assert_non_null(p);
	end = strstr(p, "</tr>");
	assert_non_null(end);
	snprintf(out, size, "%.*s", (int)(end - p), p);
	strbuf_release(&th);
}

static long long pages_from(const char *name)
{
	struct strbuf sql = STRBUF_INIT;
	long long n;

	strbuf_addf(&sql,
		    "SELECT count(*) FROM scan_page WHERE refusal IS NULL "
		    "AND source LIKE 'upload: %s page %%'",
		    name);
	n = harness_query_int(&h, sql.buf);
	strbuf_release(&sql);
	return n;
}

static void test_the_page(void **state)
{
	struct reply r = get("/scan");

	(void)state;
	assert_int_equal(r.status, 200);
	assert_true(reply_csrf(&r, csrf, sizeof(csrf)));
	assert_non_null(strstr(r.body.buf, "action=\"/scan/upload\""));
	assert_non_null(strstr(r.body.buf, "enctype=\"multipart/form-data\""));
	/* Many files from the gallery or a scanner's PDFs ... */
	assert_non_null(strstr(r.body.buf, "name=\"files\" accept=\"image/*,"
					   "application/pdf"));
	assert_non_null(strstr(r.body.buf, "multiple"));
	/* ... and the phone's camera, in an input of its own. */
	assert_non_null(strstr(r.body.buf, "accept=\"image/*\" "
					   "capture=\"environment\""));
	assert_non_null(strstr(r.body.buf, "Tot 40 bestanden en samen 8 MB"));
	reply_release(&r);
}

static void test_upload_read_in_background(void **state)
{
	struct genfile png[8], pdf[2];
	size_t npng = read_pages(set, png, 8),
	       npdf = read_pages(pdfset, pdf, 2);
	struct part parts[4];
	struct strbuf p0 = STRBUF_INIT, p1 = STRBUF_INIT, p2 = STRBUF_INIT,
		      junk = STRBUF_INIT;
	const struct genfile *a = NULL, *b = NULL;
	long long before = harness_query_int(&h, "SELECT count(*) FROM "
						 "scan_form");
	char row[2048];
	struct reply r, done;

	(void)state;
	assert_int_equal(npdf, 1);
	assert_true(pdf[0].pages >= 2);
	/* Two PNG pages of this survey's forms, of different households. */
	for (size_t i = 0; i < npng; i++) {
		if (png[i].ours != 1)
			continue;
		if (!a)
			a = &png[i];
		else if (!b && strcmp(png[i].codes[0], a->codes[0]))
			b = &png[i];
	}
	assert_non_null(a);
	assert_non_null(b);
	strbuf_addf(&p0, "%s/%s", set, a->name);
	strbuf_addf(&p1, "%s/%s", set, b->name);
	strbuf_addf(&p2, "%s/%s", pdfset, pdf[0].name);
	strbuf_addstr(&junk, "Dit is geen foto maar een boodschappenlijst.\n");
	parts[0] = (struct part){ p0.buf, a->name, NULL, 0 };
	parts[1] = (struct part){ p1.buf, b->name, NULL, 0 };
	parts[2] = (struct part){ p2.buf, "stapel.pdf", NULL, 0 };
	parts[3] = (struct part){ NULL, "IMG_0001.jpg", junk.buf, junk.len };
	assert_int_equal(upload(csrf, parts, 4, &r), 0);
	done = wait_read(&r);
	reply_release(&r);
	assert_non_null(strstr(done.body.buf, "Klaar: alle 4 bestanden"));

	/* Each file's outcome, by its own name. */
	row_of(&done, a->name, row, sizeof(row));
	assert_non_null(strstr(row, "1 pagina gelezen"));
	row_of(&done, b->name, row, sizeof(row));
	assert_non_null(strstr(row, "1 pagina gelezen"));
	row_of(&done, "stapel.pdf", row, sizeof(row));
	{
		char want[64];

		snprintf(want, sizeof(want), "%d pagina", pdf[0].ours);
		assert_non_null(strstr(row, want));
		/* A page of another survey's form is named, with why. */
		if (pdf[0].ours < pdf[0].pages)
			assert_non_null(strstr(row, "geen formulier van deze "
						    "vragenlijst"));
	}
	row_of(&done, "IMG_0001.jpg", row, sizeof(row));
	assert_non_null(strstr(row, "kon niet worden geopend"));
	assert_null(strstr(done.body.buf, "/tmp/"));
	assert_non_null(strstr(done.body.buf, "id=\"formulieren\""));
	reply_release(&done);

	/* In the store as draagvlak scan leaves them: pages and forms. */
	assert_int_equal(pages_from(a->name), 1);
	assert_int_equal(pages_from(b->name), 1);
	assert_int_equal(pages_from("stapel.pdf"), pdf[0].ours);
	assert_true(harness_query_int(&h, "SELECT count(*) FROM scan_form") >=
		    before + 2);
	{
		struct strbuf sql = STRBUF_INIT;

		strbuf_addf(&sql,
			    "SELECT count(*) FROM scan_form f JOIN token t ON "
			    "t.household_id = f.household_id WHERE t.code IN "
			    "('%s', '%s')",
			    a->codes[0], b->codes[0]);
		assert_int_equal(harness_query_int(&h, sql.buf), 2);
		strbuf_release(&sql);
	}
	/* Nothing in doubt counts before a person looked. */
	assert_int_equal(
		harness_query_int(&h, "SELECT count(*) FROM response r "
				      "JOIN scan_form f ON f.household_id "
				      "= r.household_id WHERE f.state "
				      "<> 'counted' AND f.state <> 'kept'"),
		0);

	/* The same page again changes nothing, and says so. */
	parts[0] = (struct part){ p0.buf, "nog-eens.png", NULL, 0 };
	assert_int_equal(upload(csrf, parts, 1, &r), 0);
	done = wait_read(&r);
	reply_release(&r);
	row_of(&done, "nog-eens.png", row, sizeof(row));
	assert_non_null(strstr(row, "1 al eerder ingelezen"));
	assert_int_equal(pages_from("nog-eens.png"), 0);
	reply_release(&done);

	/* The batches are listed on /scan for who sent them. */
	r = get("/scan");
	assert_non_null(strstr(r.body.buf, "Onlangs ingelezen"));
	assert_non_null(strstr(r.body.buf, "nog-eens.png: 1 van 1"));
	reply_release(&r);

	strbuf_release(&p0);
	strbuf_release(&p1);
	strbuf_release(&p2);
	strbuf_release(&junk);
}

static void test_refused(void **state)
{
	struct strbuf big = STRBUF_INIT;
	struct part one = { NULL, "groot.jpg", NULL, 0 };
	long long pages = harness_query_int(&h, "SELECT count(*) FROM "
						"scan_page");
	struct reply r;

	(void)state;
	/* No file chosen: said so, nothing read. */
	assert_int_equal(upload(csrf, NULL, 0, &r), 0);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body.buf, "Kies eerst een of meer bestanden"));
	reply_release(&r);

	/* Without the session's token, nothing is read. */
	one.path = NULL;
	one.data = "x";
	one.n = 1;
	assert_int_equal(upload("0000", &one, 1, &r), 0);
	assert_int_equal(r.status, 403);
	reply_release(&r);

	/* Over --max-scan-upload: 413, and a page saying how much fits. */
	strbuf_grow(&big, 9 * 1024 * 1024);
	for (size_t i = 0; i < 9 * 1024 * 1024; i++)
		strbuf_addch(&big, (char)(i * 7919 % 251));
	one.data = big.buf;
	one.n = big.len;
	assert_int_equal(upload(csrf, &one, 1, &r), 0);
	assert_int_equal(r.status, 413);
	assert_non_null(strstr(r.body.buf, "meer dan " MAX_MB " MB"));
	reply_release(&r);
	strbuf_release(&big);
	assert_int_equal(harness_query_int(&h, "SELECT count(*) FROM "
					       "scan_page"),
			 pages);

	/* The server still answers on the same footing afterwards. */
	r = get("/scan");
	assert_int_equal(r.status, 200);
	reply_release(&r);
}

/*
 * Without a session, the answer comes on the headers: the server does
 * not wait for (or buffer) megabytes that nobody may send.
 */
static void test_no_session_before_body(void **state)
{
	struct sockaddr_in a = { 0 };
	struct pollfd pfd;
	char buf[512], head[1024];
	ssize_t n;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	(void)state;
	assert_true(fd >= 0);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)srv.port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	snprintf(head, sizeof(head),
		 "POST /scan/upload HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
		 "Content-Type: multipart/form-data; boundary=xyz\r\n"
		 "Content-Length: 6000000\r\n\r\n",
		 srv.port);
	assert_int_equal(write(fd, head, strlen(head)), (ssize_t)strlen(head));
	/* Not a byte of the body: the reply must come anyway. */
	pfd.fd = fd;
	pfd.events = POLLIN;
	assert_int_equal(poll(&pfd, 1, 3000), 1);
	n = read(fd, buf, sizeof(buf) - 1);
	assert_true(n > 12);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "HTTP/1.1 303"));
	assert_non_null(strstr(buf, "Location: /login"));
	close(fd);

	/* With a session the same headers wait for the body. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	snprintf(head, sizeof(head),
		 "POST /scan/upload HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
		 "%s\r\nContent-Type: multipart/form-data; boundary=xyz\r\n"
		 "Content-Length: 6000000\r\n\r\n",
		 srv.port, cookie);
	assert_int_equal(write(fd, head, strlen(head)), (ssize_t)strlen(head));
	pfd.fd = fd;
	assert_int_equal(poll(&pfd, 1, 500), 0);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_page),
		cmocka_unit_test(test_upload_read_in_background),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_no_session_before_body),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
