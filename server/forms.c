/*
 * forms.c - the board's page for printing forms and posters (see
 * forms.h).
 */
#include "forms.h"

#include <stdlib.h>
#include <string.h>

#include "households.h"
#include "html.h"
#include "layout.h"
#include "msg.h"
#include "proof.h"
#include "render.h"
#include "staff.h"
#include "writer.h"
#include "xalloc.h"
#include "banned.h"

#define FORMS_PATH "/bestuur/formulieren"
/* The most numbered forms added at once from the page. */
#define MAX_ADD 1000

struct tally {
	long long with_address, without;
};

static int count_one(const struct store_household *h, void *data)
{
	struct tally *t = data;

	if (h->street)
		t->with_address++;
	else
		t->without++;
	return 0;
}

/* Pages per household of buurt b's form in lang, or 0 (err) when the
 * form cannot be laid out (no base_url, too long). */
static size_t form_pages(const struct survey *s, const struct survey_buurt *b,
			 enum survey_lang lang, struct strbuf *err)
{
	struct render_layout *l =
		s->base_url ? render_layout_new(s, b, lang, s->base_url, err)
			    : NULL;
	size_t n = l ? l->nr_pages : 0;

	render_layout_free(l);
	return n;
}

/* One download link with its print instruction. */
static void add_link(struct server_request *req, struct strbuf *out,
		     const char *id, const char *suffix, bool duplex,
		     enum msg_id label, size_t pages)
{
	char n[24];

	snprintf(n, sizeof(n), "%zu", pages);
	strbuf_addstr(out, "<li><a href=\"" FORMS_PATH "/");
	strbuf_add_html(out, id);
	strbuf_addf(out, "%s.pdf%s\">", suffix,
		    duplex ? "?dubbelzijdig=1" : "");
	strbuf_add_html(out, msg_get(req->lang, label));
	strbuf_addstr(out, "</a>: ");
	msg_add(out, req->lang,
		duplex		 ? MSG_FORMS_PRINT_DUPLEX
		: pages % 2 == 0 ? MSG_FORMS_PRINT_EVEN
				 : MSG_FORMS_PRINT_SINGLE,
		n);
	strbuf_addstr(out, "</li>\n");
}

static void forms_page(struct server_request *req, struct server_reply *rep,
		       const char *notice, const char *error)
{
	const struct survey *s = req->sv->survey;
	enum survey_lang l = req->lang;
	struct strbuf *out = &rep->body, err = STRBUF_INIT;
	struct store *st = server_store_get(req->sv);

	strbuf_reset(out);
	server_html_begin(req, out, msg_get(l, MSG_FORMS_TITLE), FORMS_PATH);
	server_staff_bar(req, out, &req->session);
	strbuf_addf(out, "<h1>%s</h1>\n<p>%s</p>\n",
		    msg_get(l, MSG_FORMS_TITLE), msg_get(l, MSG_FORMS_INTRO));
	server_html_notice(out, notice);
	if (error) {
		strbuf_addstr(out, "<p class=\"error\" role=\"alert\">");
		strbuf_add_html(out, error);
		strbuf_addstr(out, "</p>\n");
	}
	for (size_t i = 0; i < s->nr_buurten; i++) {
		const struct survey_buurt *b = &s->buurten[i];
		struct tally t = { 0, 0 };
		size_t pages = form_pages(s, b, l, &err);
		char a[24], w[24];

		if (st)
			store_households_each(st, b->id, count_one, &t, &err);
		snprintf(a, sizeof(a), "%lld", t.with_address);
		snprintf(w, sizeof(w), "%lld", t.without);
		strbuf_addstr(out, "<section class=\"card\">\n<h2>");
		strbuf_add_html(out, b->name);
		strbuf_addstr(out, "</h2>\n<p>");
		msg_add(out, l, MSG_FORMS_COUNTS, a, w);
		strbuf_addstr(out, "</p>\n");
		if (!pages) {
			strbuf_addstr(out, "<p class=\"error\">");
			strbuf_add_html(out, msg_get(l, MSG_FORMS_CANNOT));
			strbuf_addstr(out, "</p>\n");
			strbuf_reset(&err);
		}
		/* The form as households will get it, page by page. */
		if (pages) {
			strbuf_addf(out, "<details>\n<summary>%s</summary>\n",
				    msg_get(l, MSG_FORMS_PROOF));
			for (size_t p = 0; p < pages; p++) {
				char nr[24], of[24];

				snprintf(nr, sizeof(nr), "%zu", p + 1);
				snprintf(of, sizeof(of), "%zu", pages);
				strbuf_addstr(out, "<img class=\"proof\" "
						   "loading=\"lazy\" "
						   "src=\"" FORMS_PATH "/");
				strbuf_add_html(out, b->id);
				strbuf_addf(out,
					    "-%zu.png\" width=\"595\" "
					    "height=\"842\" alt=\"",
					    p + 1);
				msg_add(&err, l, MSG_FORMS_PROOF_ALT, nr, of,
					b->name);
				strbuf_add_html(out, err.buf);
				strbuf_reset(&err);
				strbuf_addstr(out, "\">\n");
			}
			strbuf_addstr(out, "</details>\n");
		}
		strbuf_addstr(out, "<ul>\n");
		if (pages && t.with_address) {
			add_link(req, out, b->id, "", false, MSG_FORMS_PERSONAL,
				 pages);
			if (pages % 2)
				add_link(req, out, b->id, "", true,
					 MSG_FORMS_PERSONAL_DUPLEX, pages + 1);
		}
		if (pages && t.without) {
			add_link(req, out, b->id, "-zonder-adres", false,
				 MSG_FORMS_NUMBERED, pages);
			if (pages % 2)
				add_link(req, out, b->id, "-zonder-adres", true,
					 MSG_FORMS_NUMBERED_DUPLEX, pages + 1);
		}
		strbuf_addstr(out, "</ul>\n");
		/* Numbered forms for a community evening. */
		strbuf_addf(out, "<form method=\"post\" action=\"" FORMS_PATH
				 "\">\n");
		server_staff_csrf_field(out, &req->session);
		strbuf_addstr(out, "<input type=\"hidden\" name=\"buurt\" "
				   "value=\"");
		strbuf_add_html(out, b->id);
		strbuf_addf(out,
			    "\">\n<label class=\"field\" for=\"aantal-%zu\">"
			    "%s</label>\n<p class=\"help\" id=\"aantal-%zu-"
			    "help\">%s</p>\n<input type=\"number\" "
			    "id=\"aantal-%zu\" name=\"aantal\" min=\"1\" "
			    "max=\"%d\" required aria-describedby=\"aantal-%zu"
			    "-help\">\n<div class=\"actions\"><button "
			    "type=\"submit\" class=\"secondary\">%s</button>"
			    "</div>\n</form>\n</section>\n",
			    i, msg_get(l, MSG_FORMS_ADD_LABEL), i,
			    msg_get(l, MSG_FORMS_ADD_HELP), i, MAX_ADD, i,
			    msg_get(l, MSG_FORMS_ADD_BUTTON));
	}
	strbuf_addf(out,
		    "<section class=\"card\">\n<h2>%s</h2>\n<ul>\n"
		    "<li><a href=\"" FORMS_PATH "/poster-A4.pdf\">%s</a></li>\n"
		    "<li><a href=\"" FORMS_PATH "/poster-A3.pdf\">%s</a></li>\n"
		    "</ul>\n</section>\n",
		    msg_get(l, MSG_FORMS_POSTERS),
		    msg_get(l, MSG_FORMS_POSTER_A4),
		    msg_get(l, MSG_FORMS_POSTER_A3));
	server_html_end(req, out);
	server_store_put(req->sv, st);
	strbuf_release(&err);
}

struct addition {
	const char *buurt;
	unsigned n;
	long long first;
};

static int run_add(struct store *st, void *arg, struct strbuf *err)
{
	struct addition *a = arg;

	return store_households_add_anonymous(st, a->buurt, a->n, &a->first,
					      err);
}

enum server_outcome server_forms_page(struct server_request *req,
				      struct server_reply *rep)
{
	const char *buurt, *count;
	struct addition a = { 0 };
	struct strbuf err = STRBUF_INIT, words = STRBUF_INIT;
	char *end;
	long n;
	int rc;

	if (!req->post) {
		forms_page(req, rep, NULL, NULL);
		return SERVER_REPLY;
	}
	buurt = server_field(req, "buurt");
	count = server_field(req, "aantal");
	n = count ? strtol(count, &end, 10) : 0;
	if (!buurt || !survey_find_buurt(req->sv->survey, buurt) || !count ||
	    *end || n < 1 || n > MAX_ADD) {
		rep->status = 422; /* Unprocessable Content */
		forms_page(req, rep, NULL,
			   msg_get(req->lang, MSG_FORMS_ADD_BAD));
		goto out;
	}
	a.buurt = buurt;
	a.n = (unsigned)n;
	rc = store_writer_run(req->sv->writer, run_add, &a, &err);
	if (rc != STORE_OK) {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
		goto out;
	}
	{
		char from[24], to[24];

		snprintf(from, sizeof(from), "%lld", a.first);
		snprintf(to, sizeof(to), "%lld", a.first + n - 1);
		msg_add(&words, req->lang, MSG_FORMS_ADDED, from, to);
	}
	forms_page(req, rep, words.buf, NULL);
out:
	strbuf_release(&err);
	strbuf_release(&words);
	return SERVER_REPLY;
}

struct collecting {
	struct render_households list;
	bool anonymous;
};

static int collect(const struct store_household *h, void *data)
{
	struct collecting *c = data;

	if (!h->street == c->anonymous)
		render_households_add(&c->list, h);
	return 0;
}

static enum server_outcome gone(struct server_request *req,
				struct server_reply *rep)
{
	rep->status = MHD_HTTP_NOT_FOUND;
	server_html_message(req, rep,
			    msg_get(req->lang, MSG_PAGE_NOT_FOUND_TITLE),
			    msg_get(req->lang, MSG_FORMS_NONE));
	return SERVER_REPLY;
}

/* BUURT-N.png: page N of the buurt's form, for a made-up household. */
static enum server_outcome proof(struct server_request *req,
				 struct server_reply *rep, const char *name,
				 const char *dot)
{
	const struct survey *s = req->sv->survey;
	const char *dash = NULL;
	struct strbuf id = STRBUF_INIT, err = STRBUF_INIT;
	const struct survey_buurt *b;
	size_t pages;
	char *end;
	long page;

	for (const char *p = name; p < dot; p++)
		if (*p == '-')
			dash = p;
	if (!dash || !s->base_url)
		return gone(req, rep);
	page = strtol(dash + 1, &end, 10);
	if (end != dot || page < 1 || dash[1] < '1' || dash[1] > '9')
		return gone(req, rep);
	strbuf_add(&id, name, (size_t)(dash - name));
	b = survey_find_buurt(s, id.buf);
	strbuf_release(&id);
	if (!b)
		return gone(req, rep);
	strbuf_reset(&rep->body);
	if (render_proof_png(s, b, req->lang, s->base_url, (size_t)page - 1, 72,
			     &rep->body, &pages, &err) < 0) {
		strbuf_release(&err);
		return gone(req, rep);
	}
	rep->content_type = "image/png";
	strbuf_release(&err);
	return SERVER_REPLY;
}

enum server_outcome server_forms_download(struct server_request *req,
					  struct server_reply *rep)
{
	const struct survey *s = req->sv->survey;
	const char *name = req->rest, *dot = strrchr(name, '.');
	const char *duplex = server_query(req, "dubbelzijdig");
	struct collecting c = { { 0 }, false };
	struct strbuf err = STRBUF_INIT, dir = STRBUF_INIT, path = STRBUF_INIT,
		      id = STRBUF_INIT;
	struct render_options o = { 0 };
	struct render_stats stats = { 0 };
	const struct survey_buurt *b = NULL;
	bool poster;
	struct store *st;
	int rc;

	if (dot && !strcmp(dot, ".png"))
		return proof(req, rep, name, dot);
	if (!dot || strcmp(dot, ".pdf") || dot == name)
		return gone(req, rep);
	strbuf_add(&id, name, (size_t)(dot - name));
	poster = !strcmp(id.buf, "poster-A4") || !strcmp(id.buf, "poster-A3");
	if (!poster) {
		size_t n = strlen("-zonder-adres");

		if (id.len > n &&
		    !strcmp(id.buf + id.len - n, "-zonder-adres")) {
			c.anonymous = true;
			strbuf_setlen(&id, id.len - n);
		}
		b = survey_find_buurt(s, id.buf);
		if (!b) {
			strbuf_release(&id);
			return gone(req, rep);
		}
	}
	/* In the server's own process: one worker, no progress. */
	o.jobs = 1;
	o.in_server = true;
	o.lang = req->lang;
	o.duplex = duplex && !strcmp(duplex, "1");
	if (server_scratch_make(&dir, "formulieren", &err) < 0)
		goto failed;
	o.outdir = dir.buf;
	if (poster) {
		if (render_posters(s, &o, &stats, &err) < 0)
			goto failed;
		strbuf_addf(&path, "%s/%s.pdf", dir.buf, id.buf);
	} else {
		st = server_store_get(req->sv);
		rc = st ? store_households_each(st, b->id, collect, &c, &err)
			: STORE_ERROR;
		server_store_put(req->sv, st);
		if (rc != STORE_OK)
			goto failed;
		if (!c.list.nr) {
			server_scratch_remove(dir.buf);
			gone(req, rep);
			goto out;
		}
		if (render_forms(s, &c.list, &o, &stats, &err) < 0)
			goto failed;
		render_forms_path(&o, b->id, c.anonymous, ".pdf", &path);
	}
	if (server_reply_file(req, rep, path.buf, "application/pdf", &err) < 0)
		goto failed;
	server_scratch_remove(dir.buf);
	goto out;
failed:
	server_log_error(req, &err);
	if (dir.len)
		server_scratch_remove(dir.buf);
	rep->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
	server_html_message(req, rep, NULL,
			    msg_get(req->lang, MSG_FORMS_FAILED));
out:
	render_households_release(&c.list);
	strbuf_release(&err);
	strbuf_release(&dir);
	strbuf_release(&path);
	strbuf_release(&id);
	return SERVER_REPLY;
}
