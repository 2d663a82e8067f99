/*
 * remind.c - the board's reminder wave (see remind.h).
 */
#include "remind.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "html.h"
#include "lifecycle.h"
#include "msg.h"
#include "reminder.h"
#include "reminders.h"
#include "staff.h"
#include "writer.h"
#include "xalloc.h"
#include "banned.h"

#define PAGE "/bestuur/herinnering"

void server_remind_link(struct server_request *req, struct strbuf *out)
{
	strbuf_addf(out, "<p><a href=\"" PAGE "%s\">", server_lang_query(req));
	strbuf_add_html(out, msg_get(req->lang, MSG_REMIND_LINK));
	strbuf_addstr(out, "</a></p>\n");
}

/* What the page shows, read through one connection of the pool. */
struct view {
	struct store_lifecycle lc;
	uint64_t *addr, *open;
	struct store_reminder_wave *waves;
	size_t nr_waves, alloc_waves;
};

static int add_wave(const struct store_reminder_wave *w, void *data)
{
	struct view *v = data;

	ALLOC_GROW(v->waves, v->nr_waves + 1, v->alloc_waves);
	v->waves[v->nr_waves++] = *w;
	return 0;
}

static void view_release(struct view *v)
{
	free(v->addr);
	free(v->open);
	free(v->waves);
}

/* Fill v; false after logging a store error. */
static bool read_view(struct server_request *req, struct view *v)
{
	const struct survey *s = req->sv->survey;
	struct strbuf err = STRBUF_INIT;
	struct store *st = server_store_get(req->sv);
	bool ok;

	memset(v, 0, sizeof(*v));
	v->addr = xcalloc(s->nr_buurten + 1, sizeof(*v->addr));
	v->open = xcalloc(s->nr_buurten + 1, sizeof(*v->open));
	ok = st && store_lifecycle_read(st, &v->lc, &err) == STORE_OK &&
	     store_reminder_counts(st, s, v->addr, v->open, &err) == STORE_OK &&
	     store_reminder_waves_each(st, add_wave, v, &err) == STORE_OK;
	if (st)
		server_store_put(req->sv, st);
	if (!ok)
		server_log_error(req, &err);
	strbuf_release(&err);
	return ok;
}

static void add_number(struct strbuf *out, uint64_t n)
{
	strbuf_addf(out, "<td>%" PRIu64 "</td>", n);
}

static void counts_table(struct server_request *req, struct strbuf *out,
			 const struct view *v)
{
	const struct survey *s = req->sv->survey;
	uint64_t addr = 0, open = 0;

	strbuf_addstr(out, "<p>");
	strbuf_add_html(out, msg_get(req->lang, MSG_REMIND_COUNTS));
	strbuf_addstr(out, "</p>\n<div class=\"scroll\"><table>\n<thead><tr>"
			   "<th scope=\"col\">");
	strbuf_add_html(out, msg_get(req->lang, MSG_REMIND_COL_BUURT));
	strbuf_addstr(out, "</th><th scope=\"col\">");
	strbuf_add_html(out, msg_get(req->lang, MSG_REMIND_COL_ADDRESSES));
	strbuf_addstr(out, "</th><th scope=\"col\">");
	strbuf_add_html(out, msg_get(req->lang, MSG_REMIND_COL_UNANSWERED));
	strbuf_addstr(out, "</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < s->nr_buurten; i++) {
		strbuf_addstr(out, "<tr><th scope=\"row\">");
		strbuf_add_html(out, survey_buurt_name_in(&s->buurten[i]));
		strbuf_addstr(out, "</th>");
		add_number(out, v->addr[i]);
		add_number(out, v->open[i]);
		strbuf_addstr(out, "</tr>\n");
		addr += v->addr[i];
		open += v->open[i];
	}
	if (s->nr_buurten > 1) {
		strbuf_addstr(out, "<tr><th scope=\"row\">");
		strbuf_add_html(out, msg_get(req->lang, MSG_REMIND_COL_TOTAL));
		strbuf_addstr(out, "</th>");
		add_number(out, addr);
		add_number(out, open);
		strbuf_addstr(out, "</tr>\n");
	}
	strbuf_addstr(out, "</tbody></table></div>\n");
}

static void choice_form(struct server_request *req, struct strbuf *out)
{
	const struct survey *s = req->sv->survey;

	strbuf_addstr(out, "<form method=\"post\" action=\"" PAGE "\">\n");
	server_staff_csrf_field(out, &req->session);
	strbuf_addf(out,
		    "<input type=\"hidden\" name=\"lang\" value=\"%s\">\n"
		    "<fieldset><legend>",
		    survey_lang_code(req->lang));
	strbuf_add_html(out, msg_get(req->lang, MSG_REMIND_CHOOSE));
	strbuf_addstr(out, "</legend>\n<p><label><input type=\"radio\" "
			   "name=\"scope\" value=\"nonresponders\"> ");
	strbuf_add_html(out,
			msg_get(req->lang, MSG_REMIND_CHOICE_NONRESPONDERS));
	strbuf_addstr(out, "</label></p>\n"
			   "<div class=\"notice warn\" role=\"note\"><p>");
	strbuf_add_html(out, msg_get(req->lang, MSG_REMIND_PRIVACY));
	strbuf_addstr(out, "</p></div>\n<p><label><input type=\"radio\" "
			   "name=\"scope\" value=\"all\"> ");
	strbuf_add_html(out, msg_get(req->lang, MSG_REMIND_CHOICE_ALL));
	strbuf_addstr(out, "</label></p>\n</fieldset>\n");
	if (s->nr_buurten > 1) {
		strbuf_addstr(out, "<p><label for=\"buurt\">");
		strbuf_add_html(out, msg_get(req->lang, MSG_REMIND_BUURT));
		strbuf_addstr(out, "</label><br>\n<select id=\"buurt\" "
				   "name=\"buurt\">\n<option value=\"\">");
		strbuf_add_html(out,
				msg_get(req->lang, MSG_REMIND_ALL_BUURTEN));
		strbuf_addstr(out, "</option>\n");
		for (size_t i = 0; i < s->nr_buurten; i++) {
			strbuf_addstr(out, "<option value=\"");
			strbuf_add_html(out, s->buurten[i].id);
			strbuf_addstr(out, "\">");
			strbuf_add_html(out,
					survey_buurt_name_in(&s->buurten[i]));
			strbuf_addstr(out, "</option>\n");
		}
		strbuf_addstr(out, "</select></p>\n");
	}
	strbuf_addstr(out, "<button type=\"submit\">");
	strbuf_add_html(out, msg_get(req->lang, MSG_REMIND_BUTTON));
	strbuf_addstr(out, "</button>\n</form>\n");
}

static void wave_list(struct server_request *req, struct strbuf *out,
		      const struct view *v)
{
	const struct survey *s = req->sv->survey;
	struct strbuf sb = STRBUF_INIT, when = STRBUF_INIT;

	strbuf_addstr(out, "<h2>");
	strbuf_add_html(out, msg_get(req->lang, MSG_REMIND_WAVES));
	strbuf_addstr(out, "</h2>\n");
	if (!v->nr_waves) {
		strbuf_addstr(out, "<p>");
		strbuf_add_html(out, msg_get(req->lang, MSG_REMIND_NO_WAVES));
		strbuf_addstr(out, "</p>\n");
	}
	for (size_t i = 0; i < v->nr_waves; i++) {
		const struct store_reminder_wave *w = &v->waves[i];
		char id[24], n[24];

		snprintf(id, sizeof(id), "%lld", w->id);
		snprintf(n, sizeof(n), "%" PRIu64, w->households);
		strbuf_reset(&sb);
		strbuf_reset(&when);
		msg_moment(&when, req->lang, w->made_at);
		msg_add(&sb, req->lang, MSG_REMIND_WAVE_LINE, id, when.buf,
			w->made_by, n,
			msg_get(req->lang,
				w->scope == STORE_REMIND_ALL
					? MSG_REMIND_SCOPE_ALL
					: MSG_REMIND_SCOPE_NONRESPONDERS));
		strbuf_addf(out, "<div class=\"card\" id=\"golf-%lld\"><p>",
			    w->id);
		strbuf_add_html(out, sb.buf);
		strbuf_addstr(out, "</p>\n<ul>\n");
		for (size_t b = 0; b < s->nr_buurten; b++) {
			const struct survey_buurt *bu = &s->buurten[b];

			if (w->buurt_id[0] && strcmp(w->buurt_id, bu->id))
				continue;
			strbuf_reset(&sb);
			msg_add(&sb, req->lang, MSG_REMIND_DOWNLOAD,
				survey_buurt_name_in(bu));
			strbuf_addf(out, "<li><a href=\"" PAGE "/%lld/", w->id);
			strbuf_add_html(out, bu->id);
			strbuf_addstr(out, ".pdf\" download>");
			strbuf_add_html(out, sb.buf);
			strbuf_addstr(out, "</a></li>\n");
		}
		strbuf_addstr(out, "</ul></div>\n");
	}
	strbuf_release(&sb);
	strbuf_release(&when);
}

/* The page, with a sentence on top (NULL: none) in a box of kind. */
static void page(struct server_request *req, struct server_reply *rep,
		 const char *say, const char *kind)
{
	struct strbuf *out = &rep->body;
	struct view v;

	if (!read_view(req, &v)) {
		view_release(&v);
		server_html_store_failed(req, rep);
		return;
	}
	strbuf_reset(out);
	server_html_begin(req, out, msg_get(req->lang, MSG_REMIND_TITLE), PAGE);
	server_staff_bar(req, out, &req->session);
	strbuf_addstr(out, "<h1>");
	strbuf_add_html(out, msg_get(req->lang, MSG_REMIND_TITLE));
	strbuf_addstr(out, "</h1>\n");
	if (say) {
		strbuf_addf(out, "<div class=\"notice %s\" role=\"%s\"><p>",
			    kind, strcmp(kind, "ok") ? "alert" : "status");
		strbuf_add_html(out, say);
		strbuf_addstr(out, "</p></div>\n");
	}
	strbuf_addstr(out, "<p>");
	strbuf_add_html(out, msg_get(req->lang, MSG_REMIND_EXPLAIN));
	strbuf_addstr(out, "</p>\n");
	counts_table(req, out, &v);
	if (v.lc.closed) {
		strbuf_addstr(out, "<p class=\"closed\"><strong>");
		strbuf_add_html(out, msg_get(req->lang, MSG_REMIND_CLOSED));
		strbuf_addstr(out, "</strong></p>\n");
	} else {
		choice_form(req, out);
	}
	wave_list(req, out, &v);
	server_html_end(req, out);
	view_release(&v);
}

struct making {
	enum store_reminder_scope scope;
	const char *buurt, *by;
	long long wave;
	uint64_t n;
};

static int run_make(struct store *st, void *arg, struct strbuf *err)
{
	struct making *m = arg;
	int rc = store_reminder_wave_make(st, m->scope, m->buurt, m->by,
					  &m->wave, &m->n, err);

	/* Outcomes the page tells; the writer commits nothing for them. */
	if (rc == STORE_REFUSED || rc == STORE_NOT_FOUND) {
		m->wave = -rc;
		return STORE_OK;
	}
	return rc;
}

enum server_outcome server_remind_page(struct server_request *req,
				       struct server_reply *rep)
{
	const struct survey *s = req->sv->survey;
	struct making m = { .by = req->session.user };
	struct strbuf err = STRBUF_INIT, to = STRBUF_INIT;
	const char *scope, *buurt;

	if (!req->post) {
		page(req, rep,
		     server_query(req, "gemaakt")
			     ? msg_get(req->lang, MSG_REMIND_MADE)
			     : NULL,
		     "ok");
		return SERVER_REPLY;
	}
	scope = server_field(req, "scope");
	buurt = server_field(req, "buurt");
	if (!scope ||
	    (strcmp(scope, "nonresponders") && strcmp(scope, "all"))) {
		rep->status = MHD_HTTP_BAD_REQUEST;
		page(req, rep, msg_get(req->lang, MSG_REMIND_BAD_CHOICE),
		     "bad");
		goto out;
	}
	if (buurt && *buurt && !survey_find_buurt(s, buurt)) {
		rep->status = MHD_HTTP_BAD_REQUEST;
		page(req, rep, msg_get(req->lang, MSG_REMIND_BAD_BUURT), "bad");
		goto out;
	}
	m.scope = strcmp(scope, "all") ? STORE_REMIND_NONRESPONDERS
				       : STORE_REMIND_ALL;
	m.buurt = buurt && *buurt ? buurt : NULL;
	{
		/* Nothing is kept that cannot be printed (as the download). */
		struct render_options o = { .lang = SURVEY_NL };

		if (render_reminder_check(s, m.scope, m.buurt, &o, &err) < 0) {
			server_log_error(req, &err);
			rep->status = MHD_HTTP_CONFLICT;
			page(req, rep,
			     msg_get(req->lang, MSG_REMIND_CANNOT_PRINT),
			     "bad");
			goto out;
		}
	}
	if (store_writer_run(req->sv->writer, run_make, &m, &err) != STORE_OK) {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
		goto out;
	}
	if (m.wave == -STORE_REFUSED) {
		rep->status = MHD_HTTP_CONFLICT;
		page(req, rep, msg_get(req->lang, MSG_REMIND_CLOSED), "bad");
	} else if (m.wave == -STORE_NOT_FOUND) {
		rep->status = MHD_HTTP_CONFLICT;
		page(req, rep, msg_get(req->lang, MSG_REMIND_NOBODY), "warn");
	} else {
		strbuf_addf(&to, PAGE "?gemaakt=%lld%s%s#golf-%lld", m.wave,
			    req->lang_query[0] ? "&" : "",
			    req->lang_query[0] ? req->lang_query + 1 : "",
			    m.wave);
		server_redirect(rep, to.buf);
	}
out:
	strbuf_release(&err);
	strbuf_release(&to);
	return SERVER_REPLY;
}

/* Remove the scratch folder and what render wrote into it. */
static enum server_outcome not_found(struct server_request *req,
				     struct server_reply *rep)
{
	rep->status = MHD_HTTP_NOT_FOUND;
	server_html_message(req, rep,
			    server_nl_en(req, "Niet gevonden", "Not found"),
			    server_nl_en(req,
					 "Deze brieven bestaan niet. Begin "
					 "bij " PAGE ".",
					 "These letters do not exist. Start "
					 "at " PAGE "."));
	return SERVER_REPLY;
}

enum server_outcome server_remind_letters(struct server_request *req,
					  struct server_reply *rep)
{
	const struct survey *s = req->sv->survey;
	const char *rest = req->rest, *slash, *dot;
	struct strbuf err = STRBUF_INIT, dir = STRBUF_INIT, path = STRBUF_INIT;
	struct strbuf id = STRBUF_INIT;
	struct render_options o = { 0 };
	struct render_stats stats = { 0 };
	const struct survey_buurt *b;
	struct store *st = NULL;
	long long wave;
	char *end;
	int rc;

	/* "N/BUURT.pdf" */
	errno = 0;
	wave = strtoll(rest, &end, 10);
	slash = end;
	dot = strrchr(rest, '.');
	if (errno || wave < 1 || end == rest || *rest < '0' || *rest > '9' ||
	    *slash != '/' || !dot || strcmp(dot, ".pdf") || dot <= slash + 1)
		return not_found(req, rep);
	strbuf_add(&id, slash + 1, (size_t)(dot - slash - 1));
	b = survey_find_buurt(s, id.buf);
	if (!b) {
		strbuf_release(&id);
		return not_found(req, rep);
	}
	if (server_scratch_make(&dir, "herinnering", &err) < 0)
		goto failed;
	/* In the server's own process: one worker, no progress. */
	o.outdir = dir.buf;
	o.jobs = 1;
	o.in_server = true;
	o.lang = SURVEY_NL;
	st = server_store_get(req->sv);
	if (!st) {
		strbuf_addstr(&err, "no store connection");
		goto failed;
	}
	{
		struct store_reminder_wave w;

		rc = store_reminder_wave_get(st, wave, &w, &err);
	}
	if (rc == STORE_OK)
		rc = render_reminder_letters(st, s, wave, b->id, &o, &stats,
					     &err);
	else if (rc == STORE_NOT_FOUND)
		rc = 1;
	server_store_put(req->sv, st);
	if (rc > 0) {
		server_scratch_remove(dir.buf);
		strbuf_release(&err);
		strbuf_release(&dir);
		strbuf_release(&id);
		return not_found(req, rep);
	}
	if (rc < 0)
		goto failed;
	{
		char prefix[32];

		render_reminder_prefix(wave, prefix, sizeof(prefix));
		o.prefix = prefix;
		render_forms_path(&o, b->id, false, ".pdf", &path);
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
			    msg_get(req->lang, MSG_REMIND_FAILED));
out:
	strbuf_release(&err);
	strbuf_release(&dir);
	strbuf_release(&path);
	strbuf_release(&id);
	return SERVER_REPLY;
}
