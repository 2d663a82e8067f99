/*
 * http.c - libmicrohttpd setup, routing and the life of a request (see
 * http.h).
 *
 * MHD calls access() several times per request: first with the headers
 * (we only set up *req_cls: answering on that first call would make MHD
 * 0.9.x close a keep-alive connection), then with each piece of the body,
 * then once with no data, when we route.  A handler that waits suspends
 * the connection; whoever resumes it has set state to RESUMED, and MHD
 * calls access() again, which calls the handler's resume function.
 */
#include "http.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "accounts.h"
#include "audit.h"
#include "responses.h"
#include "board.h"
#include "definition.h"
#include "codes.h"
#include "hasher.h"
#include "host.h"
#include "hostcodes.h"
#include "households.h"
#include "html.h"
#include "multipart.h"
#include "ratelimit.h"
#include "resident.h"
#include "review.h"
#include "results.h"
#include "routes.h"
#include "scanupload.h"
#include "session.h"
#include "staff.h"
#include "volunteer.h"
#include "xalloc.h"
#include "banned.h"

/* The most form fields one body may carry: a form has a few dozen. */
#define MAX_FIELDS 512

/* ---- the read pool ------------------------------------------------------ */

struct server_readers {
	pthread_mutex_t lock;
	struct store **free;
	size_t nr, alloc;
	const char *path;
};

struct store *server_store_get(struct server_survey *sv)
{
	struct server_readers *r = sv->readers;
	struct store *st = NULL;
	struct strbuf err = STRBUF_INIT;

	pthread_mutex_lock(&r->lock);
	if (r->nr)
		st = r->free[--r->nr];
	pthread_mutex_unlock(&r->lock);
	if (!st) {
		st = store_open(r->path, STORE_EXISTING, &err);
		if (!st)
			server_log(LOG_ERR, "%s", err.buf);
	}
	strbuf_release(&err);
	return st;
}

void server_store_put(struct server_survey *sv, struct store *st)
{
	struct server_readers *r = sv->readers;

	if (!st)
		return;
	pthread_mutex_lock(&r->lock);
	ALLOC_GROW(r->free, r->nr + 1, r->alloc);
	r->free[r->nr++] = st;
	pthread_mutex_unlock(&r->lock);
}

static void readers_free(struct server_readers *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nr; i++)
		store_free(r->free[i]);
	free(r->free);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

/* ---- the timer: resuming delayed requests -------------------------------- */

struct delayed {
	struct timespec due;
	struct server_request *req;
	struct delayed *next;
};

struct server_timer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct delayed *head; /* sorted by due */
	bool stopping;
};

static bool before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	       (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static void *timer_main(void *arg)
{
	struct server_timer *t = arg;

	pthread_mutex_lock(&t->lock);
	for (;;) {
		struct timespec now;

		clock_gettime(CLOCK_MONOTONIC, &now);
		while (t->head &&
		       (t->stopping || !before(&now, &t->head->due))) {
			struct delayed *d = t->head;

			t->head = d->next;
			server_request_resume(d->req);
			free(d);
		}
		if (t->stopping)
			break;
		if (t->head)
			pthread_cond_timedwait(&t->wake, &t->lock,
					       &t->head->due);
		else
			pthread_cond_wait(&t->wake, &t->lock);
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

static struct server_timer *timer_start(void)
{
	struct server_timer *t = xcalloc(1, sizeof(*t));
	pthread_condattr_t ca;

	pthread_mutex_init(&t->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&t->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&t->thread, NULL, timer_main, t)) {
		pthread_mutex_destroy(&t->lock);
		pthread_cond_destroy(&t->wake);
		free(t);
		return NULL;
	}
	return t;
}

static void timer_stop(struct server_timer *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->lock);
	t->stopping = true;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->thread, NULL);
	pthread_mutex_destroy(&t->lock);
	pthread_cond_destroy(&t->wake);
	free(t);
}

/* ---- suspending and resuming ------------------------------------------- */

/* Requests suspended right now; shutdown waits for none. */
static atomic_int nr_suspended;
/* Set when shutdown begins: nothing new may suspend. */
static atomic_bool stopping;

void server_request_suspend(struct server_request *req, server_handler resume)
{
	req->resume = resume;
	req->state = SERVER_REQ_SUSPENDED;
	atomic_fetch_add(&nr_suspended, 1);
	MHD_suspend_connection(req->conn);
}

void server_request_resume(struct server_request *req)
{
	/* MHD's own lock orders this store before access() reads it. */
	req->state = SERVER_REQ_RESUMED;
	MHD_resume_connection(req->conn);
}

enum server_outcome server_request_delay(struct server_request *req,
					 unsigned ms, server_handler resume)
{
	struct server_timer *t = req->srv->timer;
	struct delayed *d = xcalloc(1, sizeof(*d)), **pp;

	clock_gettime(CLOCK_MONOTONIC, &d->due);
	d->due.tv_sec += ms / 1000;
	d->due.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (d->due.tv_nsec >= 1000000000L) {
		d->due.tv_sec++;
		d->due.tv_nsec -= 1000000000L;
	}
	d->req = req;
	server_request_suspend(req, resume);
	pthread_mutex_lock(&t->lock);
	for (pp = &t->head; *pp && !before(&d->due, &(*pp)->due);
	     pp = &(*pp)->next)
		;
	d->next = *pp;
	*pp = d;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
	return SERVER_SUSPENDED;
}

/* ---- reading requests ---------------------------------------------------- */

const char *server_query(struct server_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
					   name);
}

const char *server_header(struct server_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *server_cookie(struct server_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

const char *server_field(struct server_request *req, const char *name)
{
	for (size_t i = 0; i < req->nr_fields; i++)
		if (!strcmp(req->fields[i].name, name))
			return req->fields[i].value;
	return NULL;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decode one application/x-www-form-urlencoded part of len bytes at s in
 * place (decoding only shortens) and end it with a NUL; -1 if malformed.
 */
static int form_decode(char *s, size_t len)
{
	char *out = s;

	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)s[i];

		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			if (i + 2 >= len || hexval(s[i + 1]) < 0 ||
			    hexval(s[i + 2]) < 0)
				return -1;
			c = hexval(s[i + 1]) * 16 + hexval(s[i + 2]);
			i += 2;
		}
		if (c == 0)
			return -1; /* no NULs in a value we store */
		*out++ = (char)c;
	}
	*out = '\0';
	return 0;
}

/*
 * Split the body into fields; -1 when it is malformed.  The fields are
 * decoded in the body's own buffer (every '&' and '=' becomes a NUL), so
 * a form costs no allocation per field; the body is not needed as sent
 * afterwards.
 */
int server_parse_body(struct server_request *req)
{
	char *p = req->body.buf, *end = p + req->body.len;

	while (p < end) {
		char *amp = memchr(p, '&', (size_t)(end - p));
		char *stop = amp ? amp : end;
		char *eq = memchr(p, '=', (size_t)(stop - p));
		struct server_field f;

		if (stop == p) {
			p = stop + 1;
			continue;
		}
		if (!eq || req->nr_fields >= MAX_FIELDS)
			return -1;
		f.name = p;
		f.value = eq + 1;
		f.filename = NULL;
		if (form_decode(p, (size_t)(eq - p)) < 0 ||
		    form_decode(eq + 1, (size_t)(stop - eq - 1)) < 0)
			return -1;
		f.len = strlen(f.value);
		ALLOC_GROW(req->fields, req->nr_fields + 1, req->alloc_fields);
		req->fields[req->nr_fields++] = f;
		p = stop + (amp ? 1 : 0);
	}
	return 0;
}

static void client_address(struct server_request *req)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	bool loopback = false;

	snprintf(req->client, sizeof(req->client), "unknown");
	if (sa && sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;

		inet_ntop(AF_INET, &in->sin_addr, req->client,
			  sizeof(req->client));
		loopback = (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	} else if (sa && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		inet_ntop(AF_INET6, &in6->sin6_addr, req->client,
			  sizeof(req->client));
		loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
	}
	/*
	 * Behind a reverse proxy every request comes from loopback; only
	 * then, and only when told to, believe the proxy's X-Real-IP.
	 */
	if (req->srv->cfg.trust_proxy && loopback) {
		const char *real = server_header(req, "X-Real-IP");

		if (real && *real && strlen(real) < sizeof(req->client))
			snprintf(req->client, sizeof(req->client), "%s", real);
	}
}

const char *server_nl_en(const struct server_request *req, const char *nl,
			 const char *en)
{
	return req->lang == SURVEY_EN ? en : nl;
}

void server_request_set_lang(struct server_request *req, enum survey_lang lang)
{
	req->lang = lang;
	if (lang == SURVEY_NL)
		req->lang_query[0] = '\0';
	else
		snprintf(req->lang_query, sizeof(req->lang_query), "?lang=%s",
			 survey_lang_code(lang));
}

const char *server_lang_query(const struct server_request *req)
{
	return req->lang_query;
}

static void pick_language(struct server_request *req)
{
	const char *l = req->post ? server_field(req, "lang") : NULL;

	if (!l)
		l = server_query(req, "lang");
	req->lang = SURVEY_NL;
	if (l && survey_lang_parse(l, &req->lang) == 0 &&
	    req->sv->survey->languages[req->lang])
		req->lang_chosen = true;
	else
		req->lang = SURVEY_NL;
	server_request_set_lang(req, req->lang);
}

static void track_busy(struct server *srv, struct MHD_Connection *conn,
		       bool busy);

/* ---- replies ------------------------------------------------------------- */

/*
 * Refused codes are counted in memory and written by the watchdog every
 * few seconds as one row per channel and reason: a flood of wrong codes
 * is not a flood of write transactions.
 */
static const char *const rej_channels[] = { STORE_CHANNEL_ONLINE,
					    STORE_CHANNEL_PAPER,
					    STORE_CHANNEL_SCAN };
static const char *const rej_reasons[] = { STORE_REJECTED_TYPO,
					   STORE_REJECTED_UNKNOWN };
static atomic_uint rejected[3][2];

struct rejection {
	struct store_write_job job;
	unsigned n[3][2];
};

static int run_rejection(struct store *st, void *arg, struct strbuf *err)
{
	struct rejection *r = arg;

	for (int c = 0; c < 3; c++)
		for (int k = 0; k < 2; k++)
			if (r->n[c][k] &&
			    store_audit_note_rejected_codes(
				    st, rej_channels[c], rej_reasons[k],
				    r->n[c][k], err) != STORE_OK)
				return STORE_ERROR;
	return STORE_OK;
}

static void rejection_done(void *arg, int rc)
{
	struct rejection *r = arg;

	if (rc != STORE_OK)
		server_log(LOG_ERR, "%s", r->job.err.buf);
	strbuf_release(&r->job.err);
	free(r);
}

/* Write what was counted since the last time, if anything. */
static void flush_rejections(struct server *srv)
{
	struct rejection *r = xcalloc(1, sizeof(*r));
	unsigned total = 0;

	for (int c = 0; c < 3; c++)
		for (int k = 0; k < 2; k++)
			total += r->n[c][k] =
				atomic_exchange(&rejected[c][k], 0);
	if (!total) {
		free(r);
		return;
	}
	r->job.run = run_rejection;
	r->job.done = rejection_done;
	r->job.arg = r;
	strbuf_init(&r->job.err, 0);
	/* On a host, a code that led nowhere belongs to no survey. */
	store_writer_submit(srv->staff->writer, &r->job);
}

void server_note_rejected_code(struct server_request *req, const char *channel,
			       const char *reason)
{
	int c = 0, k = !strcmp(reason, STORE_REJECTED_UNKNOWN);

	(void)req;
	for (int i = 0; i < 3; i++)
		if (!strcmp(channel, rej_channels[i]))
			c = i;
	atomic_fetch_add(&rejected[c][k], 1);
}

void server_log(int level, const char *fmt, ...)
{
	static const char *const words[] = { "emergency", "alert",   "critical",
					     "error",	  "warning", "notice",
					     "info",	  "debug" };
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (level < LOG_EMERG || level > LOG_DEBUG)
		level = LOG_ERR;
	if (getenv("JOURNAL_STREAM"))
		strbuf_addf(&sb, "<%d>draagvlak serve: ", level);
	else
		strbuf_addf(&sb, "draagvlak serve: %s: ", words[level]);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	/* One event, one line: a message with a newline in it is folded. */
	while (sb.len && sb.buf[sb.len - 1] == '\n')
		strbuf_setlen(&sb, sb.len - 1);
	for (size_t i = 0; i < sb.len; i++)
		if (sb.buf[i] == '\n' || sb.buf[i] == '\r')
			sb.buf[i] = ' ';
	strbuf_addch(&sb, '\n');
	fputs(sb.buf, stderr);
	strbuf_release(&sb);
}

void server_log_error(struct server_request *req, const struct strbuf *err)
{
	/* Only the first part of the path: the rest may be a code. */
	const char *slash = strchr(req->path + 1, '/');
	int len = slash ? (int)(slash - req->path) : (int)strlen(req->path);

	server_log(LOG_ERR, "%s %.*s%s: %s", req->post ? "POST" : "GET", len,
		   req->path, slash ? "/..." : "",
		   err && err->len ? err->buf : "failed");
}

void server_request_origin(struct server_request *req, struct strbuf *out)
{
	const char *host = server_header(req, "Host");
	const char *proto = server_header(req, "X-Forwarded-Proto");
	bool https = req->srv->tls || (req->srv->cfg.trust_proxy &&
				       (!proto || !strcmp(proto, "https")));

	strbuf_addf(out, "%s://", https ? "https" : "http");
	/* A Host header is a name and a port, nothing to escape. */
	for (const char *p = host ? host : "localhost"; *p; p++)
		if (strchr("abcdefghijklmnopqrstuvwxyz"
			   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]",
			   *p))
			strbuf_addch(out, *p);
}

int server_scratch_make(struct strbuf *dir, const char *what,
			struct strbuf *err)
{
	const char *tmp = getenv("TMPDIR");

	if (!tmp || !*tmp)
		tmp = "/tmp";
	strbuf_reset(dir);
	strbuf_addf(dir, "%s/draagvlak-%s-XXXXXX", tmp, what);
	if (!mkdtemp(dir->buf)) {
		strbuf_addf(err, "cannot make a scratch folder in %s: %s", tmp,
			    strerror(errno));
		strbuf_reset(dir);
		return -1;
	}
	return 0;
}

int server_reply_file(struct server_request *req, struct server_reply *rep,
		      const char *path, const char *content_type,
		      struct strbuf *err)
{
	const char *slash = strrchr(path, '/');

	strbuf_reset(&rep->body);
	if (strbuf_read_file(&rep->body, path) < 0) {
		strbuf_addf(err, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	rep->content_type = content_type;
	req->data = xstrdup(slash ? slash + 1 : path);
	req->free_data = free;
	rep->download = req->data;
	return 0;
}

void server_scratch_remove(const char *dir)
{
	struct strbuf p = STRBUF_INIT;
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", dir, e->d_name);
		unlink(p.buf);
	}
	if (d)
		closedir(d);
	rmdir(dir);
	strbuf_release(&p);
}

enum server_outcome server_redirect(struct server_reply *rep,
				    const char *target)
{
	rep->status = MHD_HTTP_SEE_OTHER;
	strbuf_reset(&rep->location);
	strbuf_addstr(&rep->location, target);
	return SERVER_REPLY;
}

static void add_security_headers(struct server *srv, struct MHD_Response *r)
{
	/*
	 * No inline script, scripts and styles only from our own files
	 * (the one script is the editor's, server/editor.c), requests and
	 * forms only to ourselves, and never inside someone else's frame.
	 * URLs carry household codes, so no page may tell another site
	 * where it came from.
	 */
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'none'; script-src 'self'; "
				"connect-src 'self'; style-src 'self'; "
				"img-src 'self'; form-action 'self'; "
				"frame-ancestors 'none'; base-uri 'none'");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	if (srv->tls)
		MHD_add_response_header(r, "Strict-Transport-Security",
					"max-age=31536000");
}

static enum MHD_Result queue_reply(struct server_request *req,
				   struct server_reply *rep)
{
	size_t len;
	char *body = strbuf_detach(&rep->body, &len);
	struct MHD_Response *r = MHD_create_response_from_buffer(
		len, body, MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ret;

	if (!r) {
		free(body);
		return MHD_NO;
	}
	add_security_headers(req->srv, r);
	MHD_add_response_header(r, "Content-Type",
				rep->content_type ? rep->content_type
						  : "text/html; charset=utf-8");
	MHD_add_response_header(r, "Cache-Control",
				rep->cacheable ? "public, max-age=3600"
					       : "no-store");
	if (rep->location.len)
		MHD_add_response_header(r, "Location", rep->location.buf);
	if (rep->cookie.len)
		MHD_add_response_header(r, "Set-Cookie", rep->cookie.buf);
	if (rep->download) {
		struct strbuf cd = STRBUF_INIT;

		strbuf_addf(&cd, "attachment; filename=\"%s\"", rep->download);
		MHD_add_response_header(r, "Content-Disposition", cd.buf);
		strbuf_release(&cd);
	}
	if (rep->refresh_s) {
		char v[16];

		snprintf(v, sizeof(v), "%u", rep->refresh_s);
		MHD_add_response_header(r, "Refresh", v);
	}
	if (atomic_load(&stopping) || req->close)
		MHD_add_response_header(r, "Connection", "close");
	ret = MHD_queue_response(req->conn, rep->status, r);
	MHD_destroy_response(r);
	return ret;
}

/* A plain error page in the request's language. */
static void error_page(struct server_request *req, struct server_reply *rep,
		       unsigned status, const char *nl, const char *en)
{
	rep->status = status;
	server_html_message(req, rep, server_nl_en(req, nl, en), NULL);
}

/*
 * A browser names the site a POST comes from in Origin; it must be this
 * one.  On top of the CSRF tokens and SameSite cookies, this stops a
 * form on another site even where a token leaked.
 *
 * Our pages say Referrer-Policy: no-referrer (URLs carry household
 * codes), and under that policy browsers send "Origin: null" with every
 * form, our own included.  For those, Sec-Fetch-Site tells: modern
 * browsers send it and say "same-origin" only for our own pages; a form
 * on any other site is "cross-site" or "same-site".
 */
static bool same_origin(struct server_request *req)
{
	const char *origin = server_header(req, "Origin");
	const char *host = server_header(req, "Host");
	const char *site = server_header(req, "Sec-Fetch-Site");
	const char *sep;

	if (site && strcasecmp(site, "same-origin") && strcasecmp(site, "none"))
		return false;
	if (!origin)
		return true; /* not sent by older browsers and tools */
	/*
	 * Browsers older than Sec-Fetch-Site (Safari before 16.4 is still
	 * on many residents' phones) send null without it; the CSRF token
	 * and the SameSite cookie still guard them.
	 */
	if (!strcmp(origin, "null"))
		return true;
	sep = strstr(origin, "://");
	return sep && host && !strcasecmp(sep + 3, host);
}

/* The pages that take files (http.h), and how large a body each takes. */
enum body_kind { BODY_FORM, BODY_TEXT_FILE, BODY_SCANS };

static enum body_kind body_kind(const struct server_request *req)
{
	if (!strcmp(req->path, SERVER_UPLOAD_PATH))
		return BODY_TEXT_FILE;
	if (!strcmp(req->path, SERVER_SCAN_UPLOAD_PATH))
		return BODY_SCANS;
	return BODY_FORM;
}

/* The largest body req's path takes. */
static size_t max_body(const struct server_request *req)
{
	switch (body_kind(req)) {
	case BODY_TEXT_FILE: return SERVER_MAX_UPLOAD;
	case BODY_SCANS: return req->srv->cfg.max_scan_upload;
	case BODY_FORM: break;
	}
	return SERVER_MAX_BODY;
}

/*
 * A body larger than its page takes is read and thrown away up to this
 * many bytes, so that a browser, which sends all of it before it reads
 * the reply, shows the page saying so; past it the connection is cut.
 */
#define DRAIN_MAX ((size_t)256 * 1024 * 1024)

static enum server_outcome dispatch(struct server_request *req,
				    struct server_reply *rep)
{
	const char *ct;
	bool multipart;

	if (req->body_too_large && body_kind(req) == BODY_SCANS) {
		pick_language(req);
		server_scanupload_too_large(req, rep);
		return SERVER_REPLY;
	}
	if (req->body_too_large) {
		error_page(req, rep, MHD_HTTP_CONTENT_TOO_LARGE,
			   "Wat u verstuurde is te groot.",
			   "What you sent is too large.");
		return SERVER_REPLY;
	}
	if (req->post) {
		ct = server_header(req, "Content-Type");
		multipart = ct && body_kind(req) != BODY_FORM &&
			    !strncasecmp(ct, "multipart/form-data", 19);
		if (!ct || (!multipart &&
			    strncasecmp(ct, "application/x-www-form-urlencoded",
					33))) {
			error_page(req, rep, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
				   "Dit formulier kon niet worden gelezen.",
				   "This form could not be read.");
			return SERVER_REPLY;
		}
		if (!same_origin(req)) {
			error_page(req, rep, MHD_HTTP_FORBIDDEN,
				   "Dit formulier komt van een andere website.",
				   "This form came from another website.");
			return SERVER_REPLY;
		}
		if ((multipart ? server_multipart_parse(
					 req, ct, body_kind(req) == BODY_SCANS)
			       : server_parse_body(req)) < 0) {
			error_page(req, rep, MHD_HTTP_BAD_REQUEST,
				   "Dit formulier kon niet worden gelezen.",
				   "This form could not be read.");
			return SERVER_REPLY;
		}
	}
	pick_language(req);
	if (atomic_load(&stopping)) {
		error_page(req, rep, MHD_HTTP_SERVICE_UNAVAILABLE,
			   "De server wordt even herstart. Probeer het over "
			   "een minuut opnieuw.",
			   "The server is restarting. Please try again in a "
			   "minute.");
		return SERVER_REPLY;
	}
	return server_route(req, rep);
}

static void reply_init(struct server_reply *rep)
{
	memset(rep, 0, sizeof(*rep));
	rep->status = MHD_HTTP_OK;
	strbuf_init(&rep->body, 0);
	strbuf_init(&rep->location, 0);
	strbuf_init(&rep->cookie, 0);
}

static void reply_release(struct server_reply *rep)
{
	strbuf_release(&rep->body);
	strbuf_release(&rep->location);
	strbuf_release(&rep->cookie);
}

struct lengths {
	const char *first;
	bool differ;
};

static enum MHD_Result each_length(void *cls, enum MHD_ValueKind kind,
				   const char *key, const char *value)
{
	struct lengths *l = cls;

	(void)kind;
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH))
		return MHD_YES;
	if (!l->first)
		l->first = value;
	else if (strcmp(l->first, value))
		l->differ = true;
	return MHD_YES;
}

/* Whether every Content-Length header of conn says the same. */
static bool lengths_agree(struct MHD_Connection *conn)
{
	struct lengths l = { NULL, false };

	MHD_get_connection_values(conn, MHD_HEADER_KIND, each_length, &l);
	return !l.differ;
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *conn,
				 const char *url, const char *method,
				 const char *version, const char *upload_data,
				 size_t *upload_data_size, void **req_cls)
{
	struct server *srv = cls;
	struct server_request *req = *req_cls;
	struct server_reply rep;
	enum server_outcome outcome;
	enum MHD_Result ret;

	if (!req) {
		const char *cl;
		bool malformed;

		req = xcalloc(1, sizeof(*req));
		req->srv = srv;
		/* Serving one store, its survey as it is now. */
		req->sv = srv->host ? srv->staff : server_survey_at(srv, 0);
		req->conn = conn;
		req->post = !strcmp(method, MHD_HTTP_METHOD_POST);
		req->path = xstrdup(url);
		strbuf_init(&req->body, 0);
		*req_cls = req;
		track_busy(srv, conn, true);
		client_address(req);
		/*
		 * Two different lengths let a proxy and this server read
		 * different requests from the same bytes (smuggling); an
		 * HTTP/1.1 request must name its host.  MHD takes both.
		 */
		malformed = !lengths_agree(conn) ||
			    (!strcmp(version, MHD_HTTP_VERSION_1_1) &&
			     !server_header(req, "Host"));
		if (malformed) {
			reply_init(&rep);
			error_page(req, &rep, MHD_HTTP_BAD_REQUEST,
				   "Dit verzoek kon niet worden gelezen.",
				   "This request could not be read.");
			ret = queue_reply(req, &rep);
			reply_release(&rep);
			return ret;
		}
		if (!req->post && strcmp(method, MHD_HTTP_METHOD_GET) &&
		    strcmp(method, MHD_HTTP_METHOD_HEAD)) {
			reply_init(&rep);
			error_page(req, &rep, MHD_HTTP_METHOD_NOT_ALLOWED,
				   "Dat kan hier niet.", "Not allowed here.");
			ret = queue_reply(req, &rep);
			reply_release(&rep);
			return ret;
		}
		/*
		 * A large body only for a live session: who has none is
		 * sent to log in before a byte of it is read.
		 */
		if (req->post && body_kind(req) == BODY_SCANS &&
		    !server_staff_session(req, &req->session)) {
			reply_init(&rep);
			server_staff_to_login(&rep);
			req->close = true;
			ret = queue_reply(req, &rep);
			reply_release(&rep);
			return ret;
		}
		/*
		 * A body announced too large is refused before it is read:
		 * thrown away as it comes (a browser reads the reply only
		 * once it has sent everything), or, past DRAIN_MAX, refused
		 * at once and the connection closed.
		 */
		cl = server_header(req, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > max_body(req)) {
			req->body_too_large = true;
			if (strtoull(cl, NULL, 10) <= DRAIN_MAX)
				return MHD_YES;
			reply_init(&rep);
			dispatch(req, &rep);
			req->close = true;
			ret = queue_reply(req, &rep);
			reply_release(&rep);
			return ret;
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		req->body_seen += *upload_data_size;
		if (req->body_too_large ||
		    req->body.len + *upload_data_size > max_body(req)) {
			/* Drained, up to DRAIN_MAX; then cut off. */
			req->body_too_large = true;
			strbuf_release(&req->body);
			if (req->body_seen > DRAIN_MAX)
				return MHD_NO;
		} else if (req->post) {
			strbuf_add(&req->body, upload_data, *upload_data_size);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	reply_init(&rep);
	if (req->state == SERVER_REQ_RESUMED) {
		atomic_fetch_sub(&nr_suspended, 1);
		req->state = SERVER_REQ_NEW;
		outcome = req->resume(req, &rep);
	} else if (req->state == SERVER_REQ_SUSPENDED) {
		/* Not ours to answer yet (should not happen). */
		reply_release(&rep);
		return MHD_YES;
	} else {
		outcome = dispatch(req, &rep);
	}
	if (outcome == SERVER_SUSPENDED) {
		reply_release(&rep);
		return MHD_YES;
	}
	ret = queue_reply(req, &rep);
	reply_release(&rep);
	return ret;
}

static void completed_cb(void *cls, struct MHD_Connection *conn, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct server_request *req = *req_cls;

	(void)toe;
	track_busy(cls, conn, false);
	if (!req)
		return;
	/*
	 * A client that gave up while suspended never reaches access()
	 * again: it stops waiting here, or shutdown would wait for it.
	 */
	if (req->state != SERVER_REQ_NEW)
		atomic_fetch_sub(&nr_suspended, 1);
	if (req->free_data)
		req->free_data(req->data);
	free(req->fields);
	strbuf_release(&req->body);
	free(req->path);
	free(req);
	*req_cls = NULL;
}

/* ---- the watchdog: header deadline, counts, summaries ------------------- */

/*
 * Serving directly, a client must send its headers within this many
 * seconds of connecting (or of its previous reply): the idle timeout
 * alone let a client that sends a line every few seconds hold its
 * connection for ever (slowloris).
 */
#define HEADER_DEADLINE_S 10
/* How often refused connections and MHD's complaints are summed up. */
#define SUMMARY_S 60
/* How often counted refused codes are written. */
#define FLUSH_S 5

struct conn_track {
	MHD_socket fd;
	struct timespec since; /* waiting for headers since */
	bool busy, cut;
	struct conn_track *prev, *next;
};

struct server_watchdog {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping;
	struct conn_track *conns;
	unsigned long cut; /* connections cut at the deadline */
};

/* What MHD logs, counted: a flood is one line a minute, not one each. */
static atomic_ulong refused_connections, other_messages;

static double since_s(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) +
	       (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void mhd_logger(void *cls, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	if (strstr(fmt, "connection limit")) {
		atomic_fetch_add(&refused_connections, 1);
		return;
	}
	/* The first few as they come; the rest only counted. */
	if (atomic_fetch_add(&other_messages, 1) < 10) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_vaddf(&sb, fmt, ap);
		server_log(LOG_WARNING, "libmicrohttpd: %s", sb.buf);
		strbuf_release(&sb);
	}
}

static void summarise(struct server *srv)
{
	unsigned long refused = atomic_exchange(&refused_connections, 0);
	unsigned long other = atomic_exchange(&other_messages, 0);
	unsigned long cut;

	pthread_mutex_lock(&srv->watchdog->lock);
	cut = srv->watchdog->cut;
	srv->watchdog->cut = 0;
	pthread_mutex_unlock(&srv->watchdog->lock);
	if (refused || cut || other > 10)
		server_log(LOG_WARNING,
			   "in the last %d s: %lu connections "
			   "refused (connection limits), %lu cut for sending "
			   "headers too slowly, %lu further libmicrohttpd "
			   "messages\n",
			   SUMMARY_S, refused, cut,
			   other > 10 ? other - 10 : 0);
}

static void *watchdog_main(void *arg)
{
	struct server *srv = arg;
	struct server_watchdog *w = srv->watchdog;
	unsigned tick = 0;

	pthread_mutex_lock(&w->lock);
	while (!w->stopping) {
		struct timespec due;

		clock_gettime(CLOCK_MONOTONIC, &due);
		due.tv_sec += 1;
		pthread_cond_timedwait(&w->wake, &w->lock, &due);
		if (w->stopping)
			break;
		tick++;
		/*
		 * Cut who is late with its headers.  Under the lock, which
		 * MHD's close notification also takes before it closes the
		 * socket: the fd is still this connection's.
		 */
		for (struct conn_track *t = w->conns; t; t = t->next)
			if (!t->busy && !t->cut &&
			    since_s(&t->since) > HEADER_DEADLINE_S) {
				shutdown(t->fd, SHUT_RDWR);
				t->cut = true;
				w->cut++;
			}
		pthread_mutex_unlock(&w->lock);
		if (tick % FLUSH_S == 0)
			flush_rejections(srv);
		if (tick % SUMMARY_S == 0)
			summarise(srv);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static void notify_connection_cb(void *cls, struct MHD_Connection *conn,
				 void **socket_context,
				 enum MHD_ConnectionNotificationCode code)
{
	struct server *srv = cls;
	struct server_watchdog *w = srv->watchdog;
	struct conn_track *t = *socket_context;

	/* Behind a proxy, the proxy buffers headers: no deadline here. */
	if (code == MHD_CONNECTION_NOTIFY_STARTED && !srv->cfg.trust_proxy) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
			conn, MHD_CONNECTION_INFO_CONNECTION_FD);

		if (!ci)
			return;
		t = xcalloc(1, sizeof(*t));
		t->fd = ci->connect_fd;
		clock_gettime(CLOCK_MONOTONIC, &t->since);
		pthread_mutex_lock(&w->lock);
		t->next = w->conns;
		if (w->conns)
			w->conns->prev = t;
		w->conns = t;
		pthread_mutex_unlock(&w->lock);
		*socket_context = t;
	} else if (t) {
		pthread_mutex_lock(&w->lock);
		if (t->prev)
			t->prev->next = t->next;
		else
			w->conns = t->next;
		if (t->next)
			t->next->prev = t->prev;
		pthread_mutex_unlock(&w->lock);
		free(t);
		*socket_context = NULL;
	}
}

/* conn has sent its headers (busy) or has been answered (not). */
static void track_busy(struct server *srv, struct MHD_Connection *conn,
		       bool busy)
{
	const union MHD_ConnectionInfo *ci;
	struct conn_track *t;

	if (!srv->watchdog || srv->cfg.trust_proxy)
		return;
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	t = ci ? ci->socket_context : NULL;
	if (!t)
		return;
	pthread_mutex_lock(&srv->watchdog->lock);
	t->busy = busy;
	if (!busy)
		clock_gettime(CLOCK_MONOTONIC, &t->since);
	pthread_mutex_unlock(&srv->watchdog->lock);
}

static struct server_watchdog *watchdog_start(struct server *srv)
{
	struct server_watchdog *w = xcalloc(1, sizeof(*w));
	pthread_condattr_t ca;

	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->wake, &ca);
	pthread_condattr_destroy(&ca);
	srv->watchdog = w;
	if (pthread_create(&w->thread, NULL, watchdog_main, srv)) {
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->wake);
		free(w);
		srv->watchdog = NULL;
	}
	return srv->watchdog;
}

/* Stop the thread (the daemon is stopped: no connection is left). */
static void watchdog_stop(struct server *srv)
{
	struct server_watchdog *w = srv->watchdog;

	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	flush_rejections(srv);
	summarise(srv);
	while (w->conns) {
		struct conn_track *t = w->conns;

		w->conns = t->next;
		free(t);
	}
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	free(w);
	srv->watchdog = NULL;
}

/* ---- dates ----------------------------------------------------------------- */

void server_today(const struct server *srv, char out[11])
{
	time_t now = time(NULL);
	struct tm tm;

	if (srv->cfg.today) {
		snprintf(out, 11, "%s", srv->cfg.today);
		return;
	}
	localtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* ---- start and stop --------------------------------------------------------- */

/* The whole file at path (caller frees), or NULL with a sentence in err. */
static char *read_file(const char *path, struct strbuf *err)
{
	struct strbuf sb = STRBUF_INIT;

	if (strbuf_read_file(&sb, path) < 0) {
		strbuf_addf(err, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

/* ---- the surveys ---------------------------------------------------------- */

static void survey_ctx_free(struct server_survey *sv)
{
	while (sv) {
		struct server_survey *older = sv->older;

		server_results_stop(sv->results);
		server_codes_free(sv->codes);
		survey_free(sv->survey);
		/* The store's writer and readers are the first one's. */
		if (!older) {
			store_writer_stop(sv->writer);
			readers_free(sv->readers);
			free(sv->path);
		}
		free(sv);
		sv = older;
	}
}

/*
 * The stand-in survey of a host's staff store: it names the host on the
 * pages shown before the survey is known (a code not found, the log-in).
 */
static struct survey *host_survey(const char *name)
{
	struct survey *s = xcalloc(1, sizeof(*s));

	s->id = xstrdup("host");
	s->title.text[SURVEY_NL] = xstrdup("Draagvlakmetingen");
	s->title.text[SURVEY_EN] = xstrdup("Surveys");
	s->organisation = xstrdup(name);
	s->languages[SURVEY_NL] = s->languages[SURVEY_EN] = true;
	snprintf(s->opens, sizeof(s->opens), "0000-01-01");
	snprintf(s->closes, sizeof(s->closes), "9999-12-31");
	return s;
}

/*
 * What sv knows of the survey in its store, read through st: its
 * definition, its codes and its live count.  0, or -1 with err (what was
 * made is sv's, for survey_ctx_free()).
 */
static int load_survey(struct server *srv, struct server_survey *sv,
		       struct store *st, struct strbuf *err)
{
	sv->survey = store_definition_load(st, err);
	if (!sv->survey)
		return -1;
	sv->codes = server_codes_load(st, sv->survey, err);
	if (!sv->codes)
		return -1;
	sv->results =
		server_results_start(sv->path, sv->survey, srv->cfg.today, err);
	return sv->results ? 0 : -1;
}

/*
 * Open the store at path for serving: its definition (or, for a host's
 * store, the stand-in), codes, read pool, writer and, for a survey, its
 * live count.  NULL with a sentence in err.
 */
static struct server_survey *survey_ctx_open(struct server *srv,
					     const char *path, bool host,
					     struct strbuf *err)
{
	struct server_survey *sv = xcalloc(1, sizeof(*sv));
	struct store *st = store_open(path, STORE_EXISTING, err);

	sv->path = xstrdup(path);
	if (!st)
		goto fail;
	if (host != store_is_host(st)) {
		strbuf_addf(err,
			    host ? "%s is not a host's store; make one with "
				   "'draagvlak host init --data DIR'"
				 : "%s is a host's store; serve its folder "
				   "with --data",
			    path);
		goto fail;
	}
	if (host) {
		sv->survey = host_survey(srv->cfg.host_name ? srv->cfg.host_name
							    : "draagvlak");
		sv->codes = server_codes_load(st, sv->survey, err);
		if (!sv->codes)
			goto fail;
	} else if (load_survey(srv, sv, st, err) < 0) {
		goto fail;
	}
	sv->readers = xcalloc(1, sizeof(*sv->readers));
	pthread_mutex_init(&sv->readers->lock, NULL);
	sv->readers->path = sv->path;
	server_store_put(sv, st);
	st = NULL;
	sv->writer = store_writer_start(path, err);
	if (!sv->writer)
		goto fail;
	return sv;
fail:
	store_free(st);
	survey_ctx_free(sv);
	return NULL;
}

struct survey_list {
	struct server *srv;
	struct strbuf *err;
};

static int add_survey(const char *slug, const char *org, const char *file,
		      void *data)
{
	struct survey_list *l = data;
	struct server *srv = l->srv;
	struct strbuf path = STRBUF_INIT;
	struct server_survey *sv;

	strbuf_addf(&path, "%s/%s", srv->cfg.data_dir, file);
	sv = survey_ctx_open(srv, path.buf, false, l->err);
	strbuf_release(&path);
	if (!sv) {
		strbuf_addf(l->err, " (survey %s)", slug);
		return -1;
	}
	snprintf(sv->slug, sizeof(sv->slug), "%s", slug);
	snprintf(sv->organisation, sizeof(sv->organisation), "%s", org);
	ALLOC_GROW(srv->surveys, srv->nr_surveys + 1, srv->alloc_surveys);
	srv->surveys[srv->nr_surveys++] = sv;
	return 0;
}

/* How many surveys a host may gain while it runs. */
#define ROOM_FOR_NEW 256

static void make_room(struct server *srv)
{
	size_t want = srv->nr_surveys + ROOM_FOR_NEW;

	srv->surveys = xrealloc(srv->surveys, want * sizeof(*srv->surveys));
	srv->alloc_surveys = want;
}

/* ---- codes unique on a host (hostcodes.h) ------------------------------ */

struct sharing {
	struct server *srv;
	size_t self;	/* the survey whose codes are being added */
	size_t *with;	/* per survey before it: codes both have */
	size_t unknown; /* shared with a code made since start */
};

/* canon, of survey self, is in the set already: whose is it too? */
static void count_shared(const char *canon, void *arg)
{
	struct sharing *sh = arg;
	struct server_household h;
	bool seen = false;

	for (size_t j = 0; j < sh->self; j++)
		if (server_codes_find(server_survey_at(sh->srv, j)->codes, NULL,
				      canon, &h) > 0) {
			sh->with[j]++;
			seen = true;
		}
	if (!seen)
		sh->unknown++;
}

/*
 * Put the codes of sv, the i-th survey (maybe not yet counted in
 * srv->nr_surveys), in the host's set, and log each survey it shares
 * codes with: the slugs and how many, never a code.  How many it shares.
 */
static size_t host_codes_add(struct server *srv, size_t i,
			     struct server_survey *sv)
{
	struct sharing sh = { srv, i, xcalloc(i + 1, sizeof(size_t)), 0 };
	size_t n = server_hostcodes_add(srv->hostcodes, sv->codes, count_shared,
					&sh);

	for (size_t j = 0; n && j < i; j++)
		if (sh.with[j])
			server_log(LOG_WARNING,
				   "surveys %s and %s share %zu household "
				   "code%s: the residents' page of each such "
				   "code refuses to choose a survey; give "
				   "those households new codes "
				   "('draagvlak replace-code') in one of them "
				   "and restart",
				   server_survey_at(srv, j)->slug, sv->slug,
				   sh.with[j], sh.with[j] == 1 ? "" : "s");
	if (sh.unknown)
		server_log(LOG_WARNING,
			   "survey %s has %zu household code%s that another "
			   "survey made while the server ran: the residents' "
			   "page of each refuses to choose a survey",
			   sv->slug, sh.unknown, sh.unknown == 1 ? "" : "s");
	free(sh.with);
	return n;
}

/* On the writer's connection: every code it makes is unique on the host. */
static int run_join(struct store *st, void *arg, struct strbuf *err)
{
	(void)err;
	store_codes_set_taken(st, server_hostcodes_take, arg);
	return STORE_OK;
}

static int host_codes_join(struct server *srv, struct server_survey *sv,
			   struct strbuf *err)
{
	if (store_writer_run(sv->writer, run_join, srv->hostcodes, err) ==
	    STORE_OK)
		return 0;
	strbuf_addf(err, " (survey %s)", sv->slug);
	return -1;
}

/*
 * At start on a host: every survey's codes in one set, the codes two
 * surveys share logged and refused on the residents' page, and every
 * survey's writer checking the codes it makes against the set.
 */
static int host_codes_start(struct server *srv, struct strbuf *err)
{
	struct timespec t0, t1;
	size_t shared = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	srv->hostcodes = server_hostcodes_new();
	for (size_t i = 0; i < srv->nr_surveys; i++)
		shared += server_codes_count(srv->surveys[i]->codes);
	/* Room for them all, and a quarter more made while it runs. */
	server_hostcodes_reserve(srv->hostcodes, shared + shared / 4);
	shared = 0;
	for (size_t i = 0; i < srv->nr_surveys; i++)
		shared += host_codes_add(srv, i, srv->surveys[i]);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* bench/host/codes.sh reads the cost off this line. */
	server_log(LOG_INFO,
		   "%zu household codes of %zu surveys, %zu shared, checked "
		   "in %ld ms",
		   server_hostcodes_count(srv->hostcodes), srv->nr_surveys,
		   shared,
		   (long)((t1.tv_sec - t0.tv_sec) * 1000 +
			  (t1.tv_nsec - t0.tv_nsec) / 1000000));
	for (size_t i = 0; i < srv->nr_surveys; i++)
		if (host_codes_join(srv, srv->surveys[i], err) < 0)
			return -1;
	return 0;
}

/*
 * Open what srv serves: one store, which is also its staff store; or a
 * host's store and every survey it lists.
 */
static int open_surveys(struct server *srv, struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT;
	struct survey_list l = { srv, err };
	struct store *st;
	int ret = -1;

	if (!srv->host) {
		srv->staff = survey_ctx_open(srv, srv->cfg.db_path, false, err);
		if (!srv->staff)
			return -1;
		srv->surveys = xcalloc(1, sizeof(*srv->surveys));
		srv->surveys[srv->nr_surveys++] = srv->staff;
		return 0;
	}
	strbuf_addf(&path, "%s/host.db", srv->cfg.data_dir);
	srv->staff = survey_ctx_open(srv, path.buf, true, err);
	if (!srv->staff)
		goto out;
	st = server_store_get(srv->staff);
	if (!st)
		goto out;
	if (store_host_survey_each(st, NULL, add_survey, &l, err) == 0)
		ret = 0;
	server_store_put(srv->staff, st);
	if (!ret)
		ret = host_codes_start(srv, err);
	/* Room for the surveys boards add while it runs: never moved. */
	if (!ret)
		make_room(srv);
out:
	strbuf_release(&path);
	return ret;
}

/* One change to the list at a time: a reload, or a survey added. */
static pthread_mutex_t surveys_lock = PTHREAD_MUTEX_INITIALIZER;

size_t server_survey_count(struct server *srv)
{
	return __atomic_load_n(&srv->nr_surveys, __ATOMIC_ACQUIRE);
}

int server_survey_add(struct server *srv, const char *path, const char *slug,
		      const char *org, struct strbuf *err)
{
	struct server_survey *sv;
	int ret = -1;

	pthread_mutex_lock(&surveys_lock);
	if (srv->nr_surveys >= srv->alloc_surveys) {
		strbuf_addstr(err, "no room for another survey until the "
				   "server restarts");
		goto out;
	}
	sv = survey_ctx_open(srv, path, false, err);
	if (!sv)
		goto out;
	snprintf(sv->slug, sizeof(sv->slug), "%s", slug);
	snprintf(sv->organisation, sizeof(sv->organisation), "%s", org);
	if (srv->hostcodes) {
		host_codes_add(srv, srv->nr_surveys, sv);
		if (host_codes_join(srv, sv, err) < 0) {
			survey_ctx_free(sv);
			goto out;
		}
	}
	/* In place before it is counted: a reader never sees a hole. */
	__atomic_store_n(&srv->surveys[srv->nr_surveys], sv, __ATOMIC_RELEASE);
	__atomic_store_n(&srv->nr_surveys, srv->nr_surveys + 1,
			 __ATOMIC_RELEASE);
	ret = 0;
out:
	pthread_mutex_unlock(&surveys_lock);
	return ret;
}

struct server_survey *server_survey_at(struct server *srv, size_t i)
{
	return __atomic_load_n(&srv->surveys[i], __ATOMIC_ACQUIRE);
}

struct server_survey *server_survey_find(struct server *srv, const char *slug)
{
	for (size_t i = 0, n = server_survey_count(srv); i < n; i++) {
		struct server_survey *sv = server_survey_at(srv, i);

		if (!strcmp(sv->slug, slug))
			return sv;
	}
	return NULL;
}

int server_survey_reload(struct server *srv, struct server_survey *sv,
			 struct strbuf *err)
{
	struct server_survey *now = NULL, *fresh = NULL;
	struct store *st = NULL;
	size_t i;
	int ret = -1;

	/* One reload at a time, each from the survey as it is now. */
	pthread_mutex_lock(&surveys_lock);
	for (i = 0; i < srv->nr_surveys; i++) {
		now = server_survey_at(srv, i);
		if (!strcmp(now->slug, sv->slug) &&
		    !strcmp(now->path, sv->path))
			break;
	}
	if (i == srv->nr_surveys) {
		strbuf_addstr(err, "the survey is not served here");
		goto out;
	}
	fresh = xcalloc(1, sizeof(*fresh));
	memcpy(fresh->slug, now->slug, sizeof(fresh->slug));
	memcpy(fresh->organisation, now->organisation,
	       sizeof(fresh->organisation));
	fresh->path = now->path;
	fresh->writer = now->writer;
	fresh->readers = now->readers;
	st = server_store_get(now);
	if (!st || load_survey(srv, fresh, st, err) < 0)
		goto out;
	fresh->older = now;
	__atomic_store_n(&srv->surveys[i], fresh, __ATOMIC_RELEASE);
	fresh = NULL;
	ret = 0;
out:
	server_store_put(now, st);
	if (fresh) {
		/* Not yet anyone's: only what it made itself is freed. */
		server_results_stop(fresh->results);
		server_codes_free(fresh->codes);
		survey_free(fresh->survey);
		free(fresh);
	}
	pthread_mutex_unlock(&surveys_lock);
	return ret;
}

int server_survey_by_code(struct server *srv, const char *canon,
			  struct server_survey **found,
			  struct server_household *h)
{
	int rc;
	size_t n = server_survey_count(srv);

	/* On a host, a code two surveys have leads to neither. */
	if (srv->hostcodes && server_hostcodes_shared(srv->hostcodes, canon))
		return 2;
	/* First in memory, which is every code there was at start-up... */

	for (size_t i = 0; i < n; i++) {
		struct server_survey *sv = server_survey_at(srv, i);

		rc = server_codes_find(sv->codes, NULL, canon, h);
		if (rc) {
			*found = sv;
			return rc;
		}
	}
	/* ...then in each store, for households added since. */
	for (size_t i = 0; i < n; i++) {
		struct server_survey *sv = server_survey_at(srv, i);
		struct store *st = server_store_get(sv);

		rc = st ? server_codes_find(sv->codes, st, canon, h) : -1;
		server_store_put(sv, st);
		if (rc) {
			*found = sv;
			return rc;
		}
	}
	return 0;
}

static void free_server(struct server *srv)
{
	/* Its last page goes through the writer, and reads the survey. */
	server_scanupload_stop(srv->intake);
	server_hasher_stop(srv->hasher);
	for (size_t i = 0; i < srv->nr_surveys; i++)
		for (struct server_survey *sv = srv->surveys[i]; sv;
		     sv = sv->older) {
			server_results_stop(sv->results);
			sv->results = NULL;
		}
	watchdog_stop(srv); /* its last counts go to the writer */
	timer_stop(srv->timer);
	for (size_t i = 0; i < srv->nr_surveys; i++)
		survey_ctx_free(srv->surveys[i]);
	free(srv->surveys);
	/* After the writers that asked it: they are stopped now. */
	server_hostcodes_free(srv->hostcodes);
	/* Serving one store, the staff store is that survey's first. */
	if (srv->host)
		survey_ctx_free(srv->staff);
	server_ratelimit_free(srv->ratelimit);
	server_ratelimit_free(srv->login_limit);
	server_ratelimit_free(srv->login_names);
	server_sessions_free(srv->sessions);
	sodium_memzero(srv->key, sizeof(srv->key));
	sodium_memzero(&srv->csrf, sizeof(srv->csrf));
	free(srv);
}

struct server *server_start(const struct server_config *cfg, struct strbuf *err)
{
	struct server *srv = xcalloc(1, sizeof(*srv));
	struct store *st = NULL;
	struct sockaddr_in6 a6;
	struct sockaddr_in a4;
	struct sockaddr *sa;
	char *cert = NULL, *key = NULL;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
			 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	const char *address = cfg->address ? cfg->address : "127.0.0.1";
	unsigned per_ip;

	srv->cfg = *cfg;
	if (!srv->cfg.threads)
		srv->cfg.threads = 4;
	if (!srv->cfg.max_connections)
		srv->cfg.max_connections = 512;
	if (!srv->cfg.per_ip_connections)
		srv->cfg.per_ip_connections = 32;
	if (!srv->cfg.timeout_s)
		srv->cfg.timeout_s = 20;
	if (!srv->cfg.max_scan_upload)
		srv->cfg.max_scan_upload = SERVER_MAX_SCAN_UPLOAD;
	atomic_store(&stopping, false);
	atomic_store(&nr_suspended, 0);
	/*
	 * SQLite keeps memory statistics under one global lock taken on
	 * every allocation, and a statement allocates for every cursor it
	 * opens: 5% of the writer's work.  Nothing here reads them.  This
	 * works only before SQLite starts, as it does in `draagvlak serve`;
	 * elsewhere (tests) SQLite refuses and keeps them.
	 */
	store_global_init();
	if (sodium_init() < 0) {
		strbuf_addstr(err, "cannot initialise libsodium");
		goto fail;
	}
	memset(&a4, 0, sizeof(a4));
	memset(&a6, 0, sizeof(a6));
	if (inet_pton(AF_INET, address, &a4.sin_addr) == 1) {
		a4.sin_family = AF_INET;
		a4.sin_port = htons((uint16_t)cfg->port);
		sa = (struct sockaddr *)&a4;
	} else if (inet_pton(AF_INET6, address, &a6.sin6_addr) == 1) {
		a6.sin6_family = AF_INET6;
		a6.sin6_port = htons((uint16_t)cfg->port);
		sa = (struct sockaddr *)&a6;
		flags |= MHD_USE_IPv6;
	} else {
		strbuf_addf(err, "'%s' is not an IPv4 or IPv6 address",
			    address);
		goto fail;
	}
	if (!!cfg->tls_cert != !!cfg->tls_key) {
		strbuf_addstr(err, "TLS needs both --tls-cert and --tls-key");
		goto fail;
	}
	if (cfg->tls_cert) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			strbuf_addstr(err, "this libmicrohttpd has no TLS");
			goto fail;
		}
		cert = read_file(cfg->tls_cert, err);
		key = cert ? read_file(cfg->tls_key, err) : NULL;
		if (!key)
			goto fail;
		flags |= MHD_USE_TLS;
		srv->tls = true;
	}

	srv->host = cfg->data_dir != NULL;
	if (open_surveys(srv, err) < 0)
		goto fail;
	st = server_store_get(srv->staff);
	if (!st || store_server_key(st, "csrf", srv->key, err) != STORE_OK)
		goto fail;
	server_store_put(srv->staff, st);
	st = NULL;
	server_csrf_key_init(&srv->csrf, srv->key);
	/*
	 * Failed code look-ups: 10 per client, then one a minute; 300 for
	 * the world, then one a second.  Failed log-ins: 5 per address and
	 * 10 per name, then one a minute; no budget for the world, which an
	 * attacker could spend to keep everyone out (volunteer.c slows,
	 * it never refuses the right password).
	 */
	srv->ratelimit = server_ratelimit_new(10, 60, 300, 1);
	srv->login_limit = server_ratelimit_new(5, 60, 0, 1);
	srv->login_names = server_ratelimit_new(10, 60, 0, 1);
	/*
	 * Two argon2id checks at a time (128 MiB at most), 32 waiting:
	 * a log-in is rare, and a flood of them is told to come back.
	 */
	srv->hasher = server_hasher_start(srv->staff->path, 2, 32, err);
	if (!srv->hasher)
		goto fail;
	srv->sessions = server_sessions_new(srv);
	srv->intake = server_scanupload_start(srv, err);
	if (!srv->intake)
		goto fail;
	srv->timer = timer_start();
	if (!srv->timer) {
		strbuf_addstr(err, "cannot start the timer thread");
		goto fail;
	}
	atomic_store(&refused_connections, 0);
	atomic_store(&other_messages, 0);
	if (!watchdog_start(srv)) {
		strbuf_addstr(err, "cannot start the watchdog thread");
		goto fail;
	}
	/*
	 * Behind a proxy every connection comes from the proxy: a limit
	 * per socket address would be one limit for the whole site.  The
	 * per-address limits that matter (failures, the slow lane) use
	 * the forwarded address instead (client_address()).
	 */
	per_ip = srv->cfg.trust_proxy ? 0 : srv->cfg.per_ip_connections;

	srv->daemon = MHD_start_daemon(
		flags, (uint16_t)cfg->port, NULL, NULL, access_cb, srv,
		/* First, or MHD says the rest in its own way. */
		MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, srv,
		MHD_OPTION_SOCK_ADDR, sa, MHD_OPTION_THREAD_POOL_SIZE,
		srv->cfg.threads, MHD_OPTION_CONNECTION_LIMIT,
		srv->cfg.max_connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		per_ip, MHD_OPTION_CONNECTION_TIMEOUT, srv->cfg.timeout_s,
		/* Headers and their parsing must fit in this: 32 KiB. */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32 * 1024,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, 256,
		MHD_OPTION_NOTIFY_COMPLETED, completed_cb, srv,
		MHD_OPTION_NOTIFY_CONNECTION, notify_connection_cb, srv,

		cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert,
		MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_END);
	if (!srv->daemon) {
		strbuf_addf(err, "cannot listen on %s port %u: %s", address,
			    cfg->port, strerror(errno));
		goto fail;
	}
	free(cert);
	if (key)
		sodium_memzero(key, strlen(key));
	free(key);
	return srv;
fail:
	store_free(st);
	free(cert);
	free(key);
	free_server(srv);
	return NULL;
}

unsigned server_port(const struct server *srv)
{
	const union MHD_DaemonInfo *info =
		MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);

	return info ? info->port : 0;
}

static unsigned current_connections(struct server *srv)
{
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(
		srv->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);

	return info ? info->num_connections : 0;
}

void server_stop(struct server *srv, struct store_writer_stats *stats)
{
	MHD_socket fd;

	if (!srv)
		return;
	/* No new connections; then nothing new may start waiting. */
	fd = MHD_quiesce_daemon(srv->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	atomic_store(&stopping, true);
	/*
	 * What is in flight finishes: suspended requests wait only for the
	 * writer or the timer, both still running.  Idle keep-alive
	 * connections get a few seconds to go away by themselves.
	 */
	for (int i = 0; i < 500; i++) {
		struct timespec ts = { 0, 10 * 1000000L };

		if (!atomic_load(&nr_suspended) &&
		    (!current_connections(srv) || i >= 100))
			break;
		nanosleep(&ts, NULL);
	}
	/* Whatever still waits for a password check is answered first. */
	server_hasher_stop(srv->hasher);
	srv->hasher = NULL;
	MHD_stop_daemon(srv->daemon);
	if (stats)
		store_writer_stats(srv->staff->writer, stats);
	free_server(srv);
}
