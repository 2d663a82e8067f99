/*
 * upload.c - the address list uploaded by the board (see upload.h).
 */
#include "upload.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addresses.h"
#include "households.h"
#include "html.h"
#include "msg.h"
#include "staff.h"
#include "banned.h"

/* The households of every buurt now, as a table; -1 on a store error. */
static int add_counts(struct server_request *req, struct strbuf *out,
		      struct strbuf *err)
{
	const struct survey *s = req->sv->survey;
	struct store *st = server_store_get(req->sv);
	struct strbuf rows = STRBUF_INIT;
	int ret = -1;

	for (size_t b = 0; b < s->nr_buurten; b++) {
		long long n = 0;

		if (store_households_count(st, s->buurten[b].id, &n, err) !=
		    STORE_OK)
			goto out;
		strbuf_addstr(&rows, "<tr><th scope=\"row\">");
		strbuf_add_html(&rows, s->buurten[b].name);
		strbuf_addstr(&rows, " <span class=\"muted\">");
		strbuf_add_html(&rows, s->buurten[b].id);
		strbuf_addf(&rows, "</span></th><td>%lld</td></tr>\n", n);
	}
	strbuf_addf(out,
		    "<section class=\"card\">\n<h2>%s</h2>\n"
		    "<div class=\"scroll\"><table>\n<thead><tr>"
		    "<th scope=\"col\">Buurt</th><th scope=\"col\">%s</th>"
		    "</tr></thead>\n<tbody>\n%s</tbody></table></div>\n"
		    "</section>\n",
		    msg_get(req->lang, MSG_UPLOAD_NOW),
		    msg_get(req->lang, MSG_UPLOAD_HOUSEHOLDS), rows.buf);
	ret = 0;
out:
	server_store_put(req->sv, st);
	strbuf_release(&rows);
	return ret;
}

/* The page, with a notice (NULL) and the import's problems (NULL). */
static void page(struct server_request *req, struct server_reply *rep,
		 const char *notice, const struct diag_list *problems)
{
	enum survey_lang l = req->lang;
	struct strbuf *out = &rep->body, err = STRBUF_INIT;

	strbuf_reset(out);
	server_html_begin(req, out, msg_get(l, MSG_UPLOAD_TITLE),
			  SERVER_UPLOAD_PATH);
	server_staff_bar(req, out, &req->session);
	strbuf_addf(out, "<h1>%s</h1>\n", msg_get(l, MSG_UPLOAD_TITLE));
	server_html_notice(out, notice);
	if (problems && problems->nr) {
		char n[24];

		snprintf(n, sizeof(n), "%zu", problems->errors);
		strbuf_addstr(out, "<div class=\"notice bad\" role=\"alert\" "
				   "id=\"problemen\"><p>");
		msg_add(out, l, MSG_UPLOAD_PROBLEMS, n);
		strbuf_addstr(out, "</p>\n<ul>\n");
		for (size_t i = 0; i < problems->nr; i++) {
			const struct diag *d = &problems->items[i];
			char line[24];

			strbuf_addstr(out, "<li>");
			if (d->line > 0) {
				snprintf(line, sizeof(line), "%d", d->line);
				msg_add(out, l, MSG_UPLOAD_LINE, line);
				strbuf_addch(out, ' ');
			}
			strbuf_add_html(out, d->msg);
			strbuf_addstr(out, "</li>\n");
		}
		strbuf_addstr(out, "</ul></div>\n");
	}
	strbuf_addf(out, "<p>%s</p>\n", msg_get(l, MSG_UPLOAD_INTRO));
	strbuf_addf(out,
		    "<form class=\"card\" method=\"post\" action=\"%s\" "
		    "enctype=\"multipart/form-data\">\n",
		    SERVER_UPLOAD_PATH);
	server_staff_csrf_field(out, &req->session);
	strbuf_addf(
		out,
		"<label class=\"field\" for=\"file\">%s</label>\n"
		"<p class=\"help\" id=\"file-help\">%s</p>\n"
		"<input type=\"file\" id=\"file\" name=\"file\" "
		"accept=\".csv,.txt,text/csv\" required "
		"aria-describedby=\"file-help\">\n"
		"<label class=\"opt\"><input type=\"checkbox\" "
		"name=\"update\" value=\"1\"> %s</label>\n"
		"<div class=\"actions\"><button type=\"submit\">%s</button>"
		"</div>\n</form>\n",
		msg_get(l, MSG_UPLOAD_FILE), msg_get(l, MSG_UPLOAD_FILE_HELP),
		msg_get(l, MSG_UPLOAD_UPDATE), msg_get(l, MSG_UPLOAD_BUTTON));
	if (add_counts(req, out, &err) < 0) {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
		goto out;
	}
	server_html_end(req, out);
out:
	strbuf_release(&err);
}

struct import {
	const struct survey *s;
	const char *path;
	bool update;
	struct diag_list dl;
	struct survey_import_result res;
};

static int run_import(struct store *st, void *arg, struct strbuf *err)
{
	struct import *im = arg;

	(void)err;
	/* The writer runs a failed job again on its own: start afresh. */
	diag_list_release(&im->dl);
	diag_list_init(&im->dl, "adressen.csv");
	return survey_households_import(st, im->s, im->path, im->update,
					&im->dl, &im->res) < 0
		       ? STORE_INVALID
		       : STORE_OK;
}

/* file into a private scratch folder: its path in path, or -1. */
static int scratch(const char *file, struct strbuf *dir, struct strbuf *path,
		   struct strbuf *err)
{
	const char *tmp = getenv("TMPDIR");
	FILE *f;

	strbuf_addf(dir, "%s/draagvlak-adressen-XXXXXX",
		    tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir->buf)) {
		strbuf_addf(err, "cannot make a scratch folder: %s",
			    strerror(errno));
		strbuf_reset(dir);
		return -1;
	}
	strbuf_addf(path, "%s/adressen.csv", dir->buf);
	f = fopen(path->buf, "wb");
	if (!f || fwrite(file, 1, strlen(file), f) != strlen(file) ||
	    fclose(f) != 0) {
		strbuf_addf(err, "cannot write %s: %s", path->buf,
			    strerror(errno));
		return -1;
	}
	return 0;
}

enum server_outcome server_upload_addresses(struct server_request *req,
					    struct server_reply *rep)
{
	enum survey_lang l = req->lang;
	const char *file = server_field(req, "file");
	struct import im = { .s = req->sv->survey };
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT, err = STRBUF_INIT,
		      words = STRBUF_INIT;
	int rc;

	diag_list_init(&im.dl, "adressen.csv");
	if (!req->post) {
		page(req, rep, NULL, NULL);
		goto out;
	}
	if (!file || !*file) {
		rep->status = MHD_HTTP_BAD_REQUEST;
		diag_error(&im.dl, 0, 0, "%s", msg_get(l, MSG_UPLOAD_EMPTY));
		page(req, rep, NULL, &im.dl);
		goto out;
	}
	im.update = server_field(req, "update") != NULL;
	if (scratch(file, &dir, &path, &err) < 0) {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
		goto out;
	}
	im.path = path.buf;
	rc = store_writer_run(req->sv->writer, run_import, &im, &err);
	if (rc == STORE_INVALID) {
		rep->status = MHD_HTTP_BAD_REQUEST;
		page(req, rep, NULL, &im.dl);
	} else if (rc != STORE_OK) {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
	} else {
		char added[24], kept[24];

		snprintf(added, sizeof(added), "%zu", im.res.added);
		snprintf(kept, sizeof(kept), "%zu", im.res.kept);
		msg_add(&words, l, MSG_UPLOAD_DONE, added, kept);
		page(req, rep, words.buf, NULL);
	}
out:
	if (path.len)
		unlink(path.buf);
	if (dir.len)
		rmdir(dir.buf);
	diag_list_release(&im.dl);
	strbuf_release(&dir);
	strbuf_release(&path);
	strbuf_release(&err);
	strbuf_release(&words);
	return SERVER_REPLY;
}
