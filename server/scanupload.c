/*
 * scanupload.c - uploaded scans and photos, read in the background (see
 * scanupload.h).
 *
 * One thread reads: the reader is CPU-bound and the machine's other
 * cores serve the pages; files are read in the order they came, batch
 * after batch.  Everything a page shows of a batch is under the intake's
 * one lock, held only to copy counts, never while a page is read.
 */
#include "scanupload.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "html.h"
#include "image.h"
#include "intake.h" /* scan/intake.h */
#include "msg.h"
#include "scan.h"
#include "scans.h"
#include "staff.h"
#include "xalloc.h"
#include "banned.h"

/* What went wrong with a file (page 0) or one of its pages. */
struct problem {
	unsigned page;
	enum msg_id why;
};

enum file_state { FILE_WAITING, FILE_READING, FILE_DONE };

struct file {
	char *name; /* as the browser named it, shortened */
	char *path; /* in the batch's scratch folder */
	enum file_state state;
	unsigned pages, again, review; /* pages read, read before, doubts */
	struct problem *problems;
	size_t nr_problems, alloc_problems;
};

struct batch {
	unsigned id;
	/*
	 * The survey it was sent for, as it was then: a survey saved in the
	 * editor meanwhile keeps its old context (and writer) until the
	 * server stops, so the batch reads against the forms it was
	 * printed from.  Only whose path is this one's may see it.
	 */
	struct server_survey *sv;
	struct scan_intake_layouts layouts; /* made when its reading starts */
	bool layouts_made, layouts_ok;
	char user[64];
	char *dir;
	struct file *files;
	size_t nr, done, next; /* files; read; the next to read */
	struct batch *newer;
};

struct server_scanupload {
	struct server *srv;
	pthread_t thread;
	bool started, stopping;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct batch *oldest, *newest;
	size_t nr_batches;
	unsigned last_id;
};

/* ---- batches ------------------------------------------------------------ */

static void batch_free(struct batch *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->nr; i++) {
		if (b->files[i].path) {
			unlink(b->files[i].path);
			free(b->files[i].path);
		}
		free(b->files[i].name);
		free(b->files[i].problems);
	}
	if (b->dir) {
		rmdir(b->dir);
		free(b->dir);
	}
	free(b->files);
	scan_intake_layouts_release(&b->layouts);
	free(b);
}

/* Whether b was sent for req's survey. */
static bool batch_of(const struct batch *b, const struct server_request *req)
{
	return !strcmp(b->sv->path, req->sv->path);
}

/* The batch with id of req's survey, or NULL; under the lock. */
static struct batch *find_batch(struct server_scanupload *in, unsigned id,
				const struct server_request *req)
{
	for (struct batch *b = in->oldest; b; b = b->newer)
		if (b->id == id && batch_of(b, req))
			return b;
	return NULL;
}

/* Whether req's survey's forms carry a QR code to read. */
static bool readable(const struct server_request *req)
{
	return req->sv && req->sv->survey && req->sv->survey->base_url;
}

/*
 * Room for one more batch: the oldest that is read is forgotten.  false
 * when every remembered batch is still being read.  Under the lock.
 */
static bool make_room(struct server_scanupload *in)
{
	struct batch **pp = &in->oldest, *prev = NULL;

	if (in->nr_batches < SERVER_SCANUPLOAD_BATCHES)
		return true;
	for (; *pp; prev = *pp, pp = &(*pp)->newer) {
		struct batch *b = *pp;

		if (b->done < b->nr)
			continue;
		*pp = b->newer;
		if (in->newest == b)
			in->newest = prev;
		in->nr_batches--;
		batch_free(b);
		return true;
	}
	return false;
}

static void add_problem(struct file *f, unsigned page, enum msg_id why)
{
	ALLOC_GROW(f->problems, f->nr_problems + 1, f->alloc_problems);
	f->problems[f->nr_problems].page = page;
	f->problems[f->nr_problems++].why = why;
}

/* ---- reading, on the intake's thread --------------------------------------- */

struct page_job {
	const struct survey *s;
	const struct scan_page *p;
	const struct scan_image *img;
	const char *why, *source, *hash;
	enum store_scan_result res;
};

static int run_page(struct store *st, void *arg, struct strbuf *err)
{
	struct page_job *j = arg;

	return scan_intake_page(st, j->s, j->p, j->img, j->why, j->source,
				j->hash, &j->res, err);
}

/* Why a page was refused, for people. */
static enum msg_id refusal_words(enum scan_refusal r)
{
	switch (r) {
	case SCAN_REFUSED_NO_QR: return MSG_INTAKE_NO_QR;
	case SCAN_REFUSED_MARKS: return MSG_INTAKE_MARKS;
	case SCAN_REFUSED_BOXES: return MSG_INTAKE_BOXES;
	case SCAN_READ:
	case SCAN_REFUSED_NOT_A_FORM:
	case SCAN_REFUSED_UNKNOWN_LAYOUT:
	case SCAN_REFUSED_OTHER_SURVEY:
	case SCAN_REFUSED_NO_SUCH_PAGE: break;
	}
	return MSG_INTAKE_NOT_OURS;
}

/* Read one page and record it; what happened goes into f (locked). */
static void read_page(struct server_scanupload *in, struct batch *b,
		      struct file *f, unsigned nr, const struct scan_image *img)
{
	struct scan_page p;
	struct strbuf why = STRBUF_INIT, source = STRBUF_INIT,
		      err = STRBUF_INIT;
	struct page_job j = { .s = b->sv->survey, .img = img };
	char hash[33];
	int rc;

	scan_intake_image_hash(img, hash);
	scan_page_read(img, scan_layouts_lookup, &b->layouts.set, &p, &why);
	/* The back of a double-sided set (render --duplex): no answers. */
	if (p.blank_back)
		goto out;
	/* f->name is the browser's: the store keeps where a page came from. */
	strbuf_addf(&source, "upload: %s page %u", f->name, nr);
	j.p = &p;
	j.why = why.buf;
	j.source = source.buf;
	j.hash = hash;
	rc = store_writer_run(b->sv->writer, run_page, &j, &err);
	if (rc != STORE_OK)
		server_log(LOG_ERR, "reading an uploaded scan: %s",
			   err.len ? err.buf : "the store failed");
	pthread_mutex_lock(&in->lock);
	if (rc != STORE_OK)
		add_problem(f, nr, MSG_INTAKE_STORE_FAILED);
	else if (j.res == STORE_SCAN_AGAIN)
		f->again++;
	else if (p.refusal != SCAN_READ)
		add_problem(f, nr, refusal_words(p.refusal));
	else if (j.res == STORE_SCAN_REFUSED)
		add_problem(f, nr, MSG_INTAKE_UNKNOWN_CODE);
	else {
		f->pages++;
		f->review += (unsigned)p.nr_review;
	}
	pthread_mutex_unlock(&in->lock);
out:
	scan_page_release(&p);
	strbuf_release(&why);
	strbuf_release(&source);
	strbuf_release(&err);
}

static void read_file(struct server_scanupload *in, struct batch *b,
		      struct file *f)
{
	struct scan_image img = SCAN_IMAGE_INIT;
	struct strbuf err = STRBUF_INIT;
	struct scan_source *src = NULL;

	if (!b->layouts_made) {
		b->layouts_made = true;
		b->layouts_ok = scan_intake_layouts_make(
					b->sv->survey, &b->layouts, &err) == 0;
		if (!b->layouts_ok)
			server_log(LOG_ERR, "reading uploaded scans: %s",
				   err.buf);
		strbuf_reset(&err);
	}
	if (!b->layouts_ok) {
		pthread_mutex_lock(&in->lock);
		add_problem(f, 0, MSG_INTAKE_UNAVAILABLE);
		pthread_mutex_unlock(&in->lock);
		goto out;
	}
	src = scan_source_open(f->path, &err);
	if (!src) {
		pthread_mutex_lock(&in->lock);
		add_problem(f, 0, MSG_INTAKE_UNREADABLE);
		pthread_mutex_unlock(&in->lock);
		goto out;
	}
	for (unsigned nr = 1;; nr++) {
		bool stopping;
		int rc;

		pthread_mutex_lock(&in->lock);
		stopping = in->stopping;
		if (stopping)
			add_problem(f, nr, MSG_INTAKE_STOPPED);
		pthread_mutex_unlock(&in->lock);
		if (stopping)
			break;
		strbuf_reset(&err);
		rc = scan_source_next(src, &img, &err);
		if (rc == 0)
			break;
		if (rc < 0) {
			pthread_mutex_lock(&in->lock);
			add_problem(f, nr, MSG_INTAKE_PAGE_UNREADABLE);
			pthread_mutex_unlock(&in->lock);
			continue;
		}
		read_page(in, b, f, nr, &img);
	}
out:
	scan_image_release(&img);
	scan_source_close(src);
	strbuf_release(&err);
}

static void *intake_main(void *arg)
{
	struct server_scanupload *in = arg;

	pthread_mutex_lock(&in->lock);
	for (;;) {
		struct batch *b = in->oldest;
		struct file *f;

		while (b && b->next >= b->nr)
			b = b->newer;
		if (in->stopping)
			break;
		if (!b) {
			pthread_cond_wait(&in->wake, &in->lock);
			continue;
		}
		f = &b->files[b->next++];
		f->state = FILE_READING;
		pthread_mutex_unlock(&in->lock);
		read_file(in, b, f);
		/* Read: the file is no longer needed. */
		unlink(f->path);
		pthread_mutex_lock(&in->lock);
		f->state = FILE_DONE;
		b->done++;
	}
	pthread_mutex_unlock(&in->lock);
	return NULL;
}

struct server_scanupload *server_scanupload_start(struct server *srv,
						  struct strbuf *err)
{
	struct server_scanupload *in = xcalloc(1, sizeof(*in));

	in->srv = srv;
	pthread_mutex_init(&in->lock, NULL);
	pthread_cond_init(&in->wake, NULL);
	if (pthread_create(&in->thread, NULL, intake_main, in)) {
		strbuf_addstr(err, "cannot start the scan intake thread");
		server_scanupload_stop(in);
		return NULL;
	}
	in->started = true;
	return in;
}

void server_scanupload_stop(struct server_scanupload *in)
{
	size_t unread = 0;

	if (!in)
		return;
	pthread_mutex_lock(&in->lock);
	in->stopping = true;
	pthread_cond_signal(&in->wake);
	pthread_mutex_unlock(&in->lock);
	if (in->started)
		pthread_join(in->thread, NULL);
	while (in->oldest) {
		struct batch *b = in->oldest;

		unread += b->nr - b->next;
		in->oldest = b->newer;
		batch_free(b);
	}
	if (unread)
		server_log(LOG_WARNING,
			   "%zu uploaded files were not read: the server "
			   "stopped first; they must be sent again",
			   unread);
	pthread_mutex_destroy(&in->lock);
	pthread_cond_destroy(&in->wake);
	free(in);
}

/* ---- pages ------------------------------------------------------------------- */

static const char *max_mb(struct server_request *req, char buf[24])
{
	snprintf(buf, 24, "%zu", req->srv->cfg.max_scan_upload / (1024 * 1024));
	return buf;
}

void server_scanupload_form(struct server_request *req, struct strbuf *out)
{
	struct server_scanupload *in = req->srv->intake;
	enum survey_lang l = req->lang;
	char files[24], mb[24];
	size_t shown = 0;

	strbuf_addf(out,
		    "<section class=\"card\" aria-labelledby=\"inlezen\">"
		    "\n<h2 id=\"inlezen\">%s</h2>\n",
		    msg_get(l, MSG_INTAKE_TITLE));
	if (!in || !readable(req)) {
		strbuf_addf(out, "<p>%s</p>\n</section>\n",
			    msg_get(l, MSG_INTAKE_UNAVAILABLE));
		return;
	}
	snprintf(files, sizeof(files), "%d", SERVER_SCANUPLOAD_MAX_FILES);
	strbuf_addf(out, "<p>%s</p>\n", msg_get(l, MSG_INTAKE_INTRO));
	strbuf_addf(out,
		    "<form method=\"post\" action=\"%s\" "
		    "enctype=\"multipart/form-data\">\n",
		    SERVER_SCAN_UPLOAD_PATH);
	server_staff_csrf_field(out, &req->session);
	strbuf_addf(out, "<label class=\"field\" for=\"files\">%s</label>\n",
		    msg_get(l, MSG_INTAKE_FILES));
	strbuf_addstr(out, "<p class=\"help\" id=\"files-help\">");
	msg_add(out, l, MSG_INTAKE_FILES_HELP, files, max_mb(req, mb));
	strbuf_addstr(out, "</p>\n");
	/*
	 * Two inputs: a phone offers its camera for capture, but then only
	 * the camera; the other keeps the gallery and many files at once.
	 */
	strbuf_addf(out,
		    "<input type=\"file\" id=\"files\" name=\"files\" "
		    "accept=\"image/*,application/pdf,.pdf,.tif,.tiff,.heic\" "
		    "multiple aria-describedby=\"files-help\">\n"
		    "<label class=\"field\" for=\"camera\">%s</label>\n"
		    "<input type=\"file\" id=\"camera\" name=\"files\" "
		    "accept=\"image/*\" capture=\"environment\">\n"
		    "<div class=\"actions\"><button type=\"submit\">%s</button>"
		    "</div>\n</form>\n",
		    msg_get(l, MSG_INTAKE_CAMERA),
		    msg_get(l, MSG_INTAKE_BUTTON));
	pthread_mutex_lock(&in->lock);
	for (struct batch *b = in->oldest; b; b = b->newer) {
		char done[24], nr[24];
		if (strcmp(b->user, req->session.user) || !batch_of(b, req))
			continue;
		if (!shown++)
			strbuf_addf(out, "<h3>%s</h3>\n<ul>\n",
				    msg_get(l, MSG_INTAKE_RECENT));
		snprintf(done, sizeof(done), "%zu", b->done);
		snprintf(nr, sizeof(nr), "%zu", b->nr);
		strbuf_addf(out, "<li><a href=\"%s/%u\">",
			    SERVER_SCAN_UPLOAD_PATH, b->id);
		{
			struct strbuf t = STRBUF_INIT;

			msg_add(&t, l, MSG_INTAKE_BATCH, b->files[0].name, done,
				nr);
			strbuf_add_html(out, t.buf);
			strbuf_release(&t);
		}
		strbuf_addstr(out, "</a></li>\n");
	}
	pthread_mutex_unlock(&in->lock);
	if (shown)
		strbuf_addstr(out, "</ul>\n");
	strbuf_addstr(out, "</section>\n");
}

/* The upload's error page: the /scan page's words, with status. */
static enum server_outcome refuse(struct server_request *req,
				  struct server_reply *rep, unsigned status,
				  const char *text)
{
	rep->status = status;
	strbuf_reset(&rep->body);
	server_html_begin(req, &rep->body, msg_get(req->lang, MSG_INTAKE_TITLE),
			  "/scan");
	server_staff_bar(req, &rep->body, &req->session);
	strbuf_addf(&rep->body, "<h1>%s</h1>\n",
		    msg_get(req->lang, MSG_INTAKE_TITLE));
	strbuf_addstr(&rep->body, "<div class=\"notice bad\" role=\"alert\" "
				  "id=\"fout\"><p>");
	strbuf_add_html(&rep->body, text);
	strbuf_addstr(&rep->body, "</p></div>\n");
	server_scanupload_form(req, &rep->body);
	server_html_end(req, &rep->body);
	return SERVER_REPLY;
}

void server_scanupload_too_large(struct server_request *req,
				 struct server_reply *rep)
{
	struct strbuf t = STRBUF_INIT;
	char mb[24];

	msg_add(&t, req->lang, MSG_INTAKE_TOO_LARGE, max_mb(req, mb));
	rep->status = MHD_HTTP_CONTENT_TOO_LARGE;
	server_html_message(req, rep, msg_get(req->lang, MSG_INTAKE_TITLE),
			    t.buf);
	strbuf_release(&t);
}

/* The last part of a browser's file name, at most 120 bytes, as text. */
static char *short_name(const char *name)
{
	const char *base = name;
	struct strbuf sb = STRBUF_INIT;

	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	for (const char *p = base; *p && sb.len < 120; p++) {
		unsigned char c = (unsigned char)*p;

		/* No control characters in a log or a page. */
		strbuf_addch(&sb, c < 0x20 || c == 0x7f ? '?' : (char)c);
	}
	/* Never end inside a UTF-8 sequence. */
	while (sb.len && ((unsigned char)sb.buf[sb.len - 1] & 0xc0) == 0x80 &&
	       sb.len >= 120)
		strbuf_setlen(&sb, sb.len - 1);
	if (sb.len && (unsigned char)sb.buf[sb.len - 1] >= 0xc0)
		strbuf_setlen(&sb, sb.len - 1);
	if (!sb.len)
		strbuf_addstr(&sb, "?");
	return strbuf_detach(&sb, NULL);
}

static int write_all(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int ret = 0;

	if (fd < 0)
		return -1;
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = -1;
			break;
		}
		data += n;
		len -= (size_t)n;
	}
	if (close(fd) < 0)
		ret = -1;
	return ret;
}

/* The batch of the files in req, written to a scratch folder; or NULL. */
static struct batch *make_batch(struct server_request *req, size_t nr,
				struct strbuf *err)
{
	const char *tmp = getenv("TMPDIR");
	struct batch *b = xcalloc(1, sizeof(*b));
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT;

	b->sv = req->sv;
	snprintf(b->user, sizeof(b->user), "%s", req->session.user);
	strbuf_addf(&dir, "%s/draagvlak-scans-XXXXXX",
		    tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir.buf)) {
		strbuf_addf(err, "cannot make a scratch folder: %s",
			    strerror(errno));
		strbuf_release(&dir);
		free(b);
		return NULL;
	}
	b->dir = strbuf_detach(&dir, NULL);
	b->files = xcalloc(nr, sizeof(*b->files));
	for (size_t i = 0; i < req->nr_fields; i++) {
		const struct server_field *fl = &req->fields[i];
		struct file *f;

		if (!fl->filename || !fl->len || strcmp(fl->name, "files"))
			continue;
		f = &b->files[b->nr++];
		f->name = short_name(fl->filename);
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%zu", b->dir, b->nr);
		f->path = xstrdup(path.buf);
		if (write_all(f->path, fl->value, fl->len) < 0) {
			strbuf_addf(err, "cannot write %s: %s", f->path,
				    strerror(errno));
			strbuf_release(&path);
			batch_free(b);
			return NULL;
		}
	}
	strbuf_release(&path);
	return b;
}

enum server_outcome server_scanupload_upload(struct server_request *req,
					     struct server_reply *rep)
{
	struct server_scanupload *in = req->srv->intake;
	enum survey_lang l = req->lang;
	struct strbuf err = STRBUF_INIT, t = STRBUF_INIT;
	struct batch *b;
	char target[64];
	size_t nr = 0;
	bool room;

	if (!in || !readable(req))
		return refuse(req, rep, MHD_HTTP_CONFLICT,
			      msg_get(l, MSG_INTAKE_UNAVAILABLE));
	for (size_t i = 0; i < req->nr_fields; i++)
		if (req->fields[i].filename && req->fields[i].len &&
		    !strcmp(req->fields[i].name, "files"))
			nr++;
	if (!nr)
		return refuse(req, rep, MHD_HTTP_BAD_REQUEST,
			      msg_get(l, MSG_INTAKE_NONE));
	if (nr > SERVER_SCANUPLOAD_MAX_FILES) {
		char n[24], max[24];
		enum server_outcome o;

		snprintf(n, sizeof(n), "%zu", nr);
		snprintf(max, sizeof(max), "%d", SERVER_SCANUPLOAD_MAX_FILES);
		msg_add(&t, l, MSG_INTAKE_TOO_MANY, n, max);
		o = refuse(req, rep, MHD_HTTP_CONTENT_TOO_LARGE, t.buf);
		strbuf_release(&t);
		return o;
	}
	b = make_batch(req, nr, &err);
	if (!b) {
		server_log_error(req, &err);
		strbuf_release(&err);
		server_html_store_failed(req, rep);
		return SERVER_REPLY;
	}
	pthread_mutex_lock(&in->lock);
	room = make_room(in);
	if (room) {
		b->id = ++in->last_id;
		if (in->newest)
			in->newest->newer = b;
		else
			in->oldest = b;
		in->newest = b;
		in->nr_batches++;
		pthread_cond_signal(&in->wake);
	}
	pthread_mutex_unlock(&in->lock);
	if (!room) {
		batch_free(b);
		return refuse(req, rep, MHD_HTTP_SERVICE_UNAVAILABLE,
			      msg_get(l, MSG_INTAKE_BUSY));
	}
	snprintf(target, sizeof(target), "%s/%u%s", SERVER_SCAN_UPLOAD_PATH,
		 b->id, server_lang_query(req));
	return server_redirect(rep, target);
}

/* One file's row: its name and what became of it.  Under the lock. */
static void file_row(struct server_request *req, const struct file *f,
		     struct strbuf *out)
{
	enum survey_lang l = req->lang;
	char n[24];

	strbuf_addstr(out, "<tr><th scope=\"row\">");
	strbuf_add_html(out, f->name);
	strbuf_addstr(out, "</th><td>");
	if (f->state == FILE_WAITING) {
		strbuf_add_html(out, msg_get(l, MSG_INTAKE_WAITING));
		strbuf_addstr(out, "</td></tr>\n");
		return;
	}
	if (f->state == FILE_READING) {
		strbuf_add_html(out, msg_get(l, MSG_INTAKE_READING));
		if (f->pages || f->again || f->nr_problems)
			strbuf_addstr(out, "; ");
	}
	if (f->pages) {
		struct strbuf t = STRBUF_INIT;

		snprintf(n, sizeof(n), "%u", f->pages);
		if (f->pages == 1)
			msg_put(&t, l, MSG_INTAKE_PAGES_ONE);
		else
			msg_add(&t, l, MSG_INTAKE_PAGES_MANY, n);
		strbuf_addstr(&t, ", ");
		snprintf(n, sizeof(n), "%u", f->review);
		if (f->review == 1)
			msg_put(&t, l, MSG_INTAKE_IN_DOUBT_ONE);
		else if (f->review)
			msg_add(&t, l, MSG_INTAKE_IN_DOUBT, n);
		else
			msg_put(&t, l, MSG_INTAKE_CERTAIN);
		strbuf_add_html(out, t.buf);
		strbuf_release(&t);
	}
	if (f->again) {
		struct strbuf t = STRBUF_INIT;

		snprintf(n, sizeof(n), "%u", f->again);
		if (f->pages)
			strbuf_addstr(&t, "; ");
		msg_add(&t, l, MSG_INTAKE_AGAIN, n);
		strbuf_add_html(out, t.buf);
		strbuf_release(&t);
	}
	if (f->nr_problems) {
		strbuf_addstr(out, "<ul class=\"problems\">");
		for (size_t i = 0; i < f->nr_problems; i++) {
			struct strbuf t = STRBUF_INIT;

			if (f->problems[i].page) {
				snprintf(n, sizeof(n), "%u",
					 f->problems[i].page);
				msg_add(&t, l, MSG_INTAKE_PAGE, n);
				strbuf_addch(&t, ' ');
			}
			msg_put(&t, l, f->problems[i].why);
			strbuf_addstr(out, "<li>");
			strbuf_add_html(out, t.buf);
			strbuf_addstr(out, "</li>");
			strbuf_release(&t);
		}
		strbuf_addstr(out, "</ul>");
	}
	strbuf_addstr(out, "</td></tr>\n");
}

/* The forms in the store now, by state (after the batch is read). */
static int add_form_counts(struct server_request *req, struct strbuf *out,
			   struct strbuf *err)
{
	struct store *st = server_store_get(req->sv);
	long long n[STORE_SCAN_NSTATE];
	char v[4][24];
	struct strbuf t = STRBUF_INIT;
	int rc = st ? store_scan_form_counts(st, n, err) : STORE_ERROR;

	server_store_put(req->sv, st);
	if (rc != STORE_OK)
		return -1;
	snprintf(v[0], sizeof(v[0]), "%lld",
		 n[STORE_SCAN_COUNTED] + n[STORE_SCAN_KEPT]);
	snprintf(v[1], sizeof(v[1]), "%lld", n[STORE_SCAN_REVIEW]);
	snprintf(v[2], sizeof(v[2]), "%lld", n[STORE_SCAN_CONFLICT]);
	snprintf(v[3], sizeof(v[3]), "%lld", n[STORE_SCAN_INCOMPLETE]);
	msg_add(&t, req->lang, MSG_INTAKE_FORMS, v[0], v[1], v[2], v[3]);
	strbuf_addstr(out, "<p id=\"formulieren\">");
	strbuf_add_html(out, t.buf);
	strbuf_addstr(out, "</p>\n");
	strbuf_release(&t);
	return 0;
}

enum server_outcome server_scanupload_progress(struct server_request *req,
					       struct server_reply *rep)
{
	struct server_scanupload *in = req->srv->intake;
	enum survey_lang l = req->lang;
	struct strbuf *out = &rep->body, err = STRBUF_INIT,
		      status = STRBUF_INIT;
	char *end;
	unsigned long id = strtoul(req->rest, &end, 10);
	struct batch *b;
	bool finished;
	char done[24], nr[24];

	if (!in || !(*req->rest >= '0' && *req->rest <= '9') || *end ||
	    id == 0 || id > 0xffffffffUL) {
		rep->status = MHD_HTTP_NOT_FOUND;
		server_html_message(req, rep, msg_get(l, MSG_INTAKE_TITLE),
				    msg_get(l, MSG_INTAKE_NOT_FOUND));
		return SERVER_REPLY;
	}
	pthread_mutex_lock(&in->lock);
	b = find_batch(in, (unsigned)id, req);
	if (!b) {
		pthread_mutex_unlock(&in->lock);
		rep->status = MHD_HTTP_NOT_FOUND;
		server_html_message(req, rep, msg_get(l, MSG_INTAKE_TITLE),
				    msg_get(l, MSG_INTAKE_NOT_FOUND));
		return SERVER_REPLY;
	}
	finished = b->done == b->nr;
	snprintf(done, sizeof(done), "%zu", b->done);
	snprintf(nr, sizeof(nr), "%zu", b->nr);
	if (finished)
		msg_add(&status, l, MSG_INTAKE_DONE, nr);
	else
		msg_add(&status, l, MSG_INTAKE_PROGRESS, done, nr);
	server_html_begin(req, out, msg_get(l, MSG_INTAKE_TITLE), req->path);
	server_staff_bar(req, out, &req->session);
	strbuf_addf(out, "<h1>%s</h1>\n", msg_get(l, MSG_INTAKE_TITLE));
	strbuf_addstr(out, "<p role=\"status\" id=\"voortgang\"><strong>");
	strbuf_add_html(out, status.buf);
	strbuf_addstr(out, "</strong>");
	if (!finished) {
		/* No <meta refresh>: a header, and a link to do it now. */
		rep->refresh_s = 2;
		strbuf_addf(out, " %s <a href=\"%s/%lu%s\">%s</a>",
			    msg_get(l, MSG_INTAKE_REFRESH_NOTE),
			    SERVER_SCAN_UPLOAD_PATH, id, server_lang_query(req),
			    msg_get(l, MSG_INTAKE_REFRESH));
	}
	strbuf_addstr(out, "</p>\n");
	/* On a phone the table scrolls: a region reachable by keyboard. */
	strbuf_addf(out,
		    "<div class=\"scroll\" tabindex=\"0\" role=\"region\" "
		    "aria-label=\"%s\"><table>\n<thead><tr>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "</tr></thead>\n<tbody>\n",
		    msg_get(l, MSG_INTAKE_TITLE), msg_get(l, MSG_INTAKE_FILE),
		    msg_get(l, MSG_INTAKE_RESULT));
	for (size_t i = 0; i < b->nr; i++)
		file_row(req, &b->files[i], out);
	strbuf_addstr(out, "</tbody></table></div>\n");
	pthread_mutex_unlock(&in->lock);
	if (finished && add_form_counts(req, out, &err) < 0) {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
		goto out;
	}
	strbuf_addf(out,
		    "<p><a href=\"/scan%s\">%s</a> · <a "
		    "href=\"/scan%s#inlezen\">%s</a></p>\n",
		    server_lang_query(req), msg_get(l, MSG_INTAKE_TO_QUEUE),
		    server_lang_query(req), msg_get(l, MSG_INTAKE_MORE));
	server_html_end(req, out);
out:
	strbuf_release(&err);
	strbuf_release(&status);
	return SERVER_REPLY;
}
