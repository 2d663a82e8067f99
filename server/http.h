/*
 * http.h - the draagvlak web server: libmicrohttpd setup, routing, the
 * life of a request, and what every page handler may use.
 *
 * The server answers residents (resident.h) and volunteers (volunteer.h).
 * libmicrohttpd runs a small pool of threads that poll many connections
 * each; a handler must therefore never block for long.  A handler that has
 * to wait (for its answers to be committed by the writer, or because the
 * rate limit slows a client down) suspends its connection and returns;
 * the writer or the timer resumes it, and the handler's resume function
 * then produces the reply.  Per-request state lives in struct
 * server_request (MHD's *req_cls) and is freed when MHD reports the
 * request completed.
 *
 * Every reply carries the security headers (a strict Content-Security-
 * Policy without inline script, Referrer-Policy: no-referrer because URLs
 * carry household codes, nosniff, no framing); request bodies, headers
 * and connections are bounded, and idle clients time out.
 */
#ifndef DRAAGVLAK_SERVER_HTTP_H
#define DRAAGVLAK_SERVER_HTTP_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>

#include "lang.h"
#include "session.h"
#include "store.h"
#include "strbuf.h"
#include "survey.h"
#include "writer.h"

/* Largest request body accepted: a full form with long texts fits. */
#define SERVER_MAX_BODY (64 * 1024)
/*
 * The one page that takes a file (multipart/form-data, multipart.h):
 * the board's address list, which may be a few megabytes.
 */
#define SERVER_UPLOAD_PATH "/bestuur/adressen"
#define SERVER_MAX_UPLOAD  (8 * 1024 * 1024)
/*
 * Volunteers' scans and phone photos (scanupload.h): many files at once, in
 * one body of at most cfg.max_scan_upload bytes (a dozen 12-megapixel
 * photos).  Only a live staff session may send one: the session is
 * checked on the headers, before any of the body is read.
 */
#define SERVER_SCAN_UPLOAD_PATH "/scan/upload"
#define SERVER_MAX_SCAN_UPLOAD	(64 * 1024 * 1024)

struct server_config {
	const char *db_path;   /* one survey's store; or, with data_dir, */
	const char *data_dir;  /* a host's folder of many (store/host.h) */
	const char *host_name; /* on a host, its pages' name */
	const char *address;   /* to listen on; NULL: 127.0.0.1 */
	unsigned port;	       /* 0: any free port (see server_port()) */
	const char *tls_cert, *tls_key; /* PEM files; both or neither */
	const char *today; /* "YYYY-MM-DD" instead of the clock (tests) */
	unsigned threads;  /* polling threads; 0: 4 */
	unsigned max_connections;    /* 0: 512 */
	unsigned per_ip_connections; /* 0: 32 */
	unsigned timeout_s;	     /* idle connections; 0: 20 */
	bool trust_proxy;	/* take X-Real-IP from a proxy on loopback */
	size_t max_scan_upload; /* bytes; 0: SERVER_MAX_SCAN_UPLOAD */
};

struct server_codes;
struct server_hasher;
struct server_hostcodes;
struct server_ratelimit;
struct server_results;
struct server_sessions;
struct server_watchdog;

struct server_readers;

/*
 * One store the server keeps open, and what it knows of the survey in
 * it: a survey it serves, or the staff store, where the accounts and
 * sessions are.  Serving one store (-d) both are the same; on a host
 * (--data) the staff store is the host's, whose survey is a stand-in
 * that names the host (for the pages shown before a survey is known),
 * with no households in it.
 *
 * Nothing here changes once made.  When the board saves the survey in
 * the editor, server_survey_reload() makes a new one, with the new
 * definition, its codes and live count but the same store, writer and
 * read pool, and puts it in the old one's place; a request keeps the one
 * it began with (req->sv), and the old ones stay, unused, until the
 * server stops (edits are few; freeing them would need to know that no
 * request still holds one).
 */
struct server_survey {
	char slug[41];	       /* on a host; "" serving one store */
	char organisation[41]; /* on a host: whose it is */
	char *path;	       /* of the store */
	struct survey *survey;
	struct store_writer *writer;
	struct server_readers *readers;
	struct server_codes *codes;
	struct server_results *results; /* the board's live count */
	struct server_survey *older;	/* the one this replaced, or NULL */
};

/* What every handler may read.  Nothing here changes after start. */
struct server {
	struct server_config cfg;
	bool host; /* serving a host's folder (cfg.data_dir) */
	/*
	 * The surveys, in room for alloc_surveys: a board may add one while
	 * the server runs (server_survey_add()), so the count is read with
	 * server_survey_count() and the array never moves.
	 */
	struct server_survey **surveys;
	size_t nr_surveys, alloc_surveys;
	struct server_survey *staff; /* accounts and sessions (above) */
	/* On a host, every survey's codes (hostcodes.h); NULL otherwise. */
	struct server_hostcodes *hostcodes;
	struct server_ratelimit *ratelimit;
	struct server_ratelimit *login_limit; /* failed log-ins per address */
	struct server_ratelimit *login_names; /* and per account name */
	struct server_hasher *hasher;	      /* password checks */
	struct server_sessions *sessions;
	unsigned char key[32];	     /* HMAC key of resident CSRF tokens */
	struct server_csrf_key csrf; /* the same, ready for use */
	bool tls;
	struct MHD_Daemon *daemon;
	struct server_timer *timer;
	struct server_watchdog *watchdog; /* header deadline, summaries */
	struct server_scanupload *intake; /* uploaded scans being read */
};

/*
 * A field of the POST body, decoded; name, value and filename point into
 * req->body, and value is NUL-ended.  A file's part of a page that takes
 * files (SERVER_SCAN_UPLOAD_PATH) may hold NUL bytes: len is its length,
 * and filename what the browser named it ("" when no file was chosen);
 * every other field is text, without NUL, and filename NULL.
 */
struct server_field {
	char *name, *value;
	size_t len;
	char *filename;
};

enum server_req_state {
	SERVER_REQ_NEW,	      /* headers seen; body (if any) coming */
	SERVER_REQ_SUSPENDED, /* a handler is waiting */
	SERVER_REQ_RESUMED,   /* resumed: call resume() */
};

struct server_reply;
struct server_request;

/*
 * A handler's outcome: the reply is filled in, or the handler suspended
 * the connection (server_request_suspend()) and will answer on resume.
 */
enum server_outcome { SERVER_REPLY, SERVER_SUSPENDED };

typedef enum server_outcome (*server_handler)(struct server_request *req,
					      struct server_reply *rep);

struct server_request {
	struct server *srv;
	/*
	 * The survey the request is about: the one store served; on a
	 * host the staff session's (routes.h) or the household code's, and
	 * until one is known srv->staff.
	 */
	struct server_survey *sv;
	struct MHD_Connection *conn;
	bool post;
	char *path;	    /* the URL path, without the query */
	const char *rest;   /* of path, after the route's own (routes.h) */
	struct strbuf body; /* as sent; once parsed, holds the fields */
	bool body_too_large;
	size_t body_seen;	     /* bytes of body received, kept or not */
	bool close;		     /* reply with Connection: close */
	struct server_field *fields; /* the parsed POST body */
	size_t nr_fields, alloc_fields;
	char client[64];       /* the client's address, as text */
	enum survey_lang lang; /* set with server_request_set_lang() */
	char lang_query[16];   /* "?lang=en", or "" for Dutch */
	bool lang_chosen;      /* by ?lang= or a lang field, not by default */
	/* A staff route's session, checked by the router (routes.h). */
	bool has_session;
	struct server_session session;
	enum server_req_state state;
	/* Set by a handler that suspends; called once resumed. */
	server_handler resume;
	/* Whatever the handler keeps across a suspension, and its free. */
	void *data;
	void (*free_data)(void *data);
};

struct server_reply {
	unsigned status;
	struct strbuf body;
	const char *content_type; /* NULL: text/html; charset=utf-8 */
	struct strbuf location;	  /* a redirect's target when set */
	struct strbuf cookie;	  /* a Set-Cookie value when set */
	bool cacheable;		  /* static: may be cached for an hour */
	const char *download;	  /* a file name: sent as an attachment */
	unsigned refresh_s;	  /* a Refresh header: reload after this */
};

/*
 * Start the server on cfg's address and port, with the store at
 * cfg->db_path.  Returns the server, or NULL with a sentence in err.
 */
struct server *server_start(const struct server_config *cfg,
			    struct strbuf *err);
/* The port the server listens on (useful after asking for port 0). */
unsigned server_port(const struct server *srv);
/*
 * Stop accepting connections, let those in flight finish (up to a few
 * seconds), stop the writer after its last commit, checkpoint, and free
 * everything.  When stats is not NULL, it gets what the writer did.  NULL
 * srv is fine.
 */
void server_stop(struct server *srv, struct store_writer_stats *stats);

/* ---- for handlers ------------------------------------------------------ */

/* A query-string argument of req, or NULL. */
const char *server_query(struct server_request *req, const char *name);
/* A field of the POST body (the first of that name), or NULL. */
const char *server_field(struct server_request *req, const char *name);
/* A request header, or NULL. */
const char *server_header(struct server_request *req, const char *name);
/* A cookie, or NULL. */
const char *server_cookie(struct server_request *req, const char *name);

/* nl or en, in the request's language. */
const char *server_nl_en(const struct server_request *req, const char *nl,
			 const char *en);
/* Put req in lang: its pages, and the links that keep the language. */
void server_request_set_lang(struct server_request *req, enum survey_lang lang);
/* "?lang=en" on English pages (links keep the language), else "". */
const char *server_lang_query(const struct server_request *req);

/* Today's date as YYYY-MM-DD (local time, or cfg->today). */
void server_today(const struct server *srv, char out[11]);

/*
 * Suspend req until server_request_resume() is called (from any thread);
 * then resume(req, rep) is called on an MHD thread to make the reply.
 * Call from a handler, which then returns SERVER_SUSPENDED.
 */
void server_request_suspend(struct server_request *req, server_handler resume);
void server_request_resume(struct server_request *req);
/*
 * Suspend req for ms milliseconds (the rate limit's slow lane), then call
 * resume.  Returns SERVER_SUSPENDED for the handler to return.
 */
enum server_outcome server_request_delay(struct server_request *req,
					 unsigned ms, server_handler resume);

/*
 * Count a refused code for the store's audit: counted in memory and
 * written every few seconds as one count per channel and reason
 * (store_audit_note_rejected_codes()), so that a flood of wrong codes
 * costs no write each; losing a few seconds' count in a crash harms
 * nobody.
 */
void server_note_rejected_code(struct server_request *req, const char *channel,
			       const char *reason);

/*
 * Write err (a store's or another internal failure) to the operator's
 * log, with the request's method and the first part of its path (never
 * the rest, its query or its body: they may hold a household's code or
 * answers).
 */
void server_log_error(struct server_request *req, const struct strbuf *err);

/*
 * Split req->body (application/x-www-form-urlencoded) into req->fields,
 * decoding in the body's own buffer; 0, or -1 when it is malformed.
 * Called by the server for every POST; public for fuzz/fuzz_form.c.
 */
int server_parse_body(struct server_request *req);

/*
 * One line for the operator's log on stderr, at a syslog level (LOG_ERR,
 * LOG_WARNING, LOG_NOTICE, LOG_INFO from <syslog.h>): under systemd
 * (JOURNAL_STREAM set) with journald's "<N>" prefix, elsewhere with the
 * level as a word.  Never pass it a code, an answer or a request body.
 */
void server_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The address the client reached this server at, "https://host:port"
 * (from the Host header; https when serving TLS, or behind a trusted
 * proxy that did not say otherwise), for links the server hands out.
 */
void server_request_origin(struct server_request *req, struct strbuf *out);

/*
 * A scratch folder of its own in $TMPDIR (or /tmp) for files a handler
 * makes to send (forms, letters), named in dir: 0, or -1 with err.
 * server_scratch_remove() deletes it with the files in it.
 */
int server_scratch_make(struct strbuf *dir, const char *what,
			struct strbuf *err);
void server_scratch_remove(const char *dir);
/*
 * Reply with the file at path (a handler's, made in its scratch folder)
 * as an attachment of content_type under the file's own name; req keeps
 * the name until the reply is sent.  0, or -1 with err.
 */
int server_reply_file(struct server_request *req, struct server_reply *rep,
		      const char *path, const char *content_type,
		      struct strbuf *err);

/* A 303 See Other to target (a path on this server). */
enum server_outcome server_redirect(struct server_reply *rep,
				    const char *target);

/* ---- reading the store from handler threads ---------------------------- */

/*
 * A connection of sv's read pool: handlers read the store through their
 * own connection while the writer writes (WAL lets them).  Always give it
 * back with server_store_put().  NULL when it cannot be opened (logged).
 */
struct store *server_store_get(struct server_survey *sv);
void server_store_put(struct server_survey *sv, struct store *st);

/* The survey of slug on srv, or NULL. */
struct server_survey *server_survey_find(struct server *srv, const char *slug);
/* How many surveys srv serves now. */
size_t server_survey_count(struct server *srv);
/* The i-th survey of srv (i < server_survey_count()), as it is now. */
struct server_survey *server_survey_at(struct server *srv, size_t i);
/*
 * On a host: serve from now on the survey store at path (made and
 * registered in the host's store by the caller) as slug of organisation
 * org.  0, or -1 with a sentence in err.
 */
int server_survey_add(struct server *srv, const char *path, const char *slug,
		      const char *org, struct strbuf *err);
/*
 * Read sv's definition from its store again (the editor saved it) and
 * serve it from now on (see struct server_survey).  0, or -1 with a
 * sentence in err, when sv stays.
 */
int server_survey_reload(struct server *srv, struct server_survey *sv,
			 struct strbuf *err);
/*
 * The survey that has the household code canon: 1 with *found and *h,
 * 0 when none has it, -1 when a store failed; on a host, 2 (and neither
 * *found nor *h) when two surveys or more have it (hostcodes.h): the
 * server does not choose between them.  Serving one store, that store's
 * (server_codes_find()).
 */
struct server_household;
int server_survey_by_code(struct server *srv, const char *canon,
			  struct server_survey **found,
			  struct server_household *h);

#endif
