/*
 * desk.c - the check-in desk of a community evening (see desk.h).
 *
 * Like the volunteers' other pages these wait for the writer instead of
 * suspending: a desk notes a household a minute at most.  A household is
 * named by its row id in the desk's addresses, never by its code: the
 * code is a resident's key, and the desk's screen faces the room.
 */
#include "desk.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "codes.h"
#include "evening.h"
#include "html.h"
#include "msg.h"
#include "responses.h"
#include "staff.h"
#include "token.h"
#include "banned.h"

/* Households listed for one search at most. */
#define DESK_MATCHES 25

/* "Kerkstraat 12A-2, Dorst", or the numbered form, escaped into out. */
static void add_household_name(struct strbuf *out, enum survey_lang lang,
			       const struct store_evening_household *h)
{
	struct strbuf sb = STRBUF_INIT;
	char no[24];

	if (h->has_address) {
		strbuf_addf(&sb, "%s %ld%s%s%s", h->street, h->number,
			    h->letter, *h->addition ? "-" : "", h->addition);
		if (*h->place)
			strbuf_addf(&sb, ", %s", h->place);
	} else {
		snprintf(no, sizeof(no), "%lld", h->form_no);
		msg_add(&sb, lang, MSG_DESK_FORM_NO, no);
	}
	strbuf_add_html(out, sb.buf);
	strbuf_release(&sb);
}

static void error_line(struct strbuf *out, const char *text)
{
	if (!text)
		return;
	strbuf_addstr(out, "<p class=\"error\" role=\"alert\">");
	strbuf_add_html(out, text);
	strbuf_addstr(out, "</p>\n");
}

struct matches {
	struct server_request *req;
	struct strbuf *out;
	unsigned n;
};

static int one_match(const struct store_evening_household *h, void *data)
{
	struct matches *m = data;

	if (!m->n++)
		strbuf_addstr(m->out, "<ul class=\"queue\">\n");
	strbuf_addf(m->out, "<li><a href=\"/balie/%lld\">", h->id);
	add_household_name(m->out, m->req->lang, h);
	strbuf_addstr(m->out, "</a>");
	if (h->checkins)
		strbuf_addf(m->out, " (%s)",
			    msg_get(m->req->lang, MSG_DESK_ALREADY_NOTED));
	strbuf_addstr(m->out, "</li>\n");
	return 0;
}

/* The street and number searched, listed; -1 when the store failed. */
static int list_matches(struct server_request *req, struct strbuf *out,
			const char *street, long number)
{
	struct strbuf err = STRBUF_INIT;
	struct matches m = { req, out, 0 };
	struct store *st = server_store_get(req->sv);
	int rc = st ? store_evening_find_address(st, street, number,
						 DESK_MATCHES, one_match, &m,
						 &err)
		    : STORE_ERROR;

	server_store_put(req->sv, st);
	if (rc != STORE_OK) {
		server_log_error(req, &err);
		strbuf_release(&err);
		return -1;
	}
	if (m.n)
		strbuf_addstr(out, "</ul>\n");
	else
		error_line(out, msg_get(req->lang, MSG_DESK_NO_MATCH));
	strbuf_release(&err);
	return 0;
}

/*
 * The search page: the address form (GET), the code form (POST), and
 * under them what was found.  street/number as typed (may be NULL).
 */
static void desk_page(struct server_request *req, struct server_reply *rep,
		      const char *street, const char *number,
		      const char *notice, const char *address_error,
		      const char *code_error)
{
	enum survey_lang l = req->lang;
	struct strbuf *out = &rep->body;
	const char *title = msg_get(l, MSG_DESK_TITLE);
	long n = 0;
	char *end = NULL;

	strbuf_reset(out);
	server_html_begin(req, out, title, "/balie");
	server_staff_bar(req, out, &req->session);
	strbuf_addstr(out, "<h1>");
	strbuf_add_html(out, title);
	strbuf_addstr(out, "</h1>\n<p>");
	strbuf_add_html(out, msg_get(l, MSG_DESK_INTRO));
	strbuf_addstr(out, "</p>\n");
	server_html_notice(out, notice);
	strbuf_addstr(out, "<form class=\"card\" method=\"get\" "
			   "action=\"/balie\">\n<h2>");
	strbuf_add_html(out, msg_get(l, MSG_DESK_BY_ADDRESS));
	strbuf_addstr(out, "</h2>\n");
	error_line(out, address_error);
	strbuf_addstr(out, "<label class=\"field\" for=\"straat\">");
	strbuf_add_html(out, msg_get(l, MSG_DESK_STREET));
	strbuf_addstr(out, "</label>\n<input type=\"text\" id=\"straat\" "
			   "name=\"straat\" autocomplete=\"off\" value=\"");
	if (street)
		strbuf_add_html(out, street);
	strbuf_addstr(out,
		      "\">\n<label class=\"field spaced\" for=\"nummer\">");
	strbuf_add_html(out, msg_get(l, MSG_DESK_NUMBER));
	strbuf_addstr(out, "</label>\n<input type=\"text\" id=\"nummer\" "
			   "name=\"nummer\" inputmode=\"numeric\" "
			   "autocomplete=\"off\" maxlength=\"6\" value=\"");
	if (number)
		strbuf_add_html(out, number);
	strbuf_addstr(out, "\">\n<div class=\"actions\"><button "
			   "type=\"submit\">");
	strbuf_add_html(out, msg_get(l, MSG_DESK_FIND));
	strbuf_addstr(out, "</button></div>\n</form>\n");
	if (street && number && !address_error) {
		errno = 0;
		n = strtol(number, &end, 10);
		if (list_matches(req, out, street, n) < 0) {
			server_html_store_failed(req, rep);
			return;
		}
	}
	/* The code goes in a POST: it stays out of addresses and logs. */
	strbuf_addstr(out, "<form class=\"card\" method=\"post\" "
			   "action=\"/balie\">\n<h2>");
	strbuf_add_html(out, msg_get(l, MSG_DESK_BY_CODE));
	strbuf_addstr(out, "</h2>\n");
	error_line(out, code_error);
	server_staff_csrf_field(out, &req->session);
	strbuf_addstr(out, "<label class=\"field\" for=\"code\">");
	strbuf_add_html(out, msg_get(l, MSG_DESK_CODE));
	strbuf_addstr(out, "</label>\n<input class=\"code\" type=\"password\" "
			   "id=\"code\" name=\"code\" autocomplete=\"off\" "
			   "spellcheck=\"false\" maxlength=\"200\">\n"
			   "<div class=\"actions\"><button type=\"submit\">");
	strbuf_add_html(out, msg_get(l, MSG_DESK_OPEN));
	strbuf_addstr(out, "</button></div>\n</form>\n");
	server_html_end(req, out);
}

/*
 * The code in what a scanner typed: a letter's QR code holds the form's
 * address, ".../F/CODE/PAGE/LAYOUT"; a person types the code itself.
 */
static void code_of(const char *typed, char *out, size_t size)
{
	const char *p = typed;
	size_t n;

	for (const char *q = typed; *q; q++)
		if (!strncasecmp(q, "/F/", 3))
			p = q + 3;
	n = strcspn(p, "/?#");
	if (n >= size)
		n = size - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

/* POST /balie: the code typed or scanned, to its household. */
static void desk_code(struct server_request *req, struct server_reply *rep)
{
	const char *typed = server_field(req, "code");
	char code[64], canon[SURVEY_TOKEN_SIZE], target[48];
	struct server_household h;
	enum survey_token_status ts;
	struct store *st;
	int rc;

	code_of(typed ? typed : "", code, sizeof(code));
	ts = survey_token_parse(code, canon);
	if (ts != SURVEY_TOKEN_OK) {
		if (ts == SURVEY_TOKEN_BAD_CHECK)
			server_note_rejected_code(req, STORE_CHANNEL_PAPER,
						  STORE_REJECTED_TYPO);
		rep->status = MHD_HTTP_BAD_REQUEST;
		desk_page(req, rep, NULL, NULL, NULL, NULL,
			  survey_token_status_message(ts, req->lang));
		return;
	}
	st = server_store_get(req->sv);
	rc = server_codes_find(req->sv->codes, st, canon, &h);
	server_store_put(req->sv, st);
	if (rc == 0)
		server_note_rejected_code(req, STORE_CHANNEL_PAPER,
					  STORE_REJECTED_UNKNOWN);
	if (rc != 1) {
		rep->status = rc < 0 ? MHD_HTTP_INTERNAL_SERVER_ERROR
				     : MHD_HTTP_NOT_FOUND;
		desk_page(req, rep, NULL, NULL, NULL, NULL,
			  msg_get(req->lang, MSG_DESK_CODE_UNKNOWN));
		return;
	}
	snprintf(target, sizeof(target), "/balie/%lld", h.id);
	server_redirect(rep, target);
}

enum server_outcome server_desk_search(struct server_request *req,
				       struct server_reply *rep)
{
	const char *street = server_query(req, "straat");
	const char *number = server_query(req, "nummer");
	const char *done = server_query(req, "klaar");
	struct strbuf notice = STRBUF_INIT;
	const char *address_error = NULL;
	struct store_evening_household h;
	long long id;
	char *end;

	if (req->post) {
		desk_code(req, rep);
		return SERVER_REPLY;
	}
	if (street && number) {
		long n;

		while (*street == ' ')
			street++;
		errno = 0;
		n = strtol(number, &end, 10);
		/* "12A" or "12-2" finds every letter and addition of 12. */
		if (!*street || errno || end == number || n <= 0 || n > 99999) {
			address_error =
				msg_get(req->lang, MSG_DESK_NEED_ADDRESS);
			rep->status = MHD_HTTP_BAD_REQUEST;
		}
	}
	/* After noting: which household, by its address. */
	id = done ? strtoll(done, &end, 10) : 0;
	if (id > 0) {
		struct strbuf err = STRBUF_INIT;
		struct store *st = server_store_get(req->sv);

		if (st &&
		    store_evening_household(st, id, &h, &err) == STORE_OK) {
			struct strbuf plain = STRBUF_INIT;

			/* Plain: the notice escapes what it shows. */
			if (h.has_address)
				strbuf_addf(&plain, "%s %ld%s%s%s", h.street,
					    h.number, h.letter,
					    *h.addition ? "-" : "", h.addition);
			else
				strbuf_addf(&plain, "%lld", h.form_no);
			msg_add(&notice, req->lang, MSG_DESK_NOTED, plain.buf);
			strbuf_release(&plain);
		}
		server_store_put(req->sv, st);
		strbuf_release(&err);
	}
	desk_page(req, rep, street, number, notice.len ? notice.buf : NULL,
		  address_error, NULL);
	strbuf_release(&notice);
	return SERVER_REPLY;
}

/* ---- one household --------------------------------------------------------- */

static void household_page(struct server_request *req, struct server_reply *rep,
			   const struct store_evening_household *h,
			   const char *error)
{
	enum survey_lang l = req->lang;
	const struct survey_buurt *b =
		survey_find_buurt(req->sv->survey, h->buurt_id);
	struct strbuf *out = &rep->body, sb = STRBUF_INIT;
	const char *proxy = server_field(req, "namens");
	char n[24];

	strbuf_reset(out);
	server_html_begin(req, out, msg_get(l, MSG_DESK_TITLE), req->path);
	server_staff_bar(req, out, &req->session);
	strbuf_addstr(out, "<h1>");
	add_household_name(out, l, h);
	strbuf_addstr(out, "</h1>\n");
	if (b) {
		msg_add(&sb, l, MSG_DESK_IN_BUURT, b->name);
		strbuf_addstr(out, "<p>");
		strbuf_add_html(out, sb.buf);
		strbuf_addstr(out, "</p>\n");
	}
	if (h->checkins) {
		snprintf(n, sizeof(n), "%lld", h->checkins);
		strbuf_reset(&sb);
		msg_add(&sb, l, MSG_DESK_NOTED_BEFORE, n);
		strbuf_addstr(out, "<div class=\"notice warn\"><p>");
		strbuf_add_html(out, sb.buf);
		strbuf_addstr(out, "</p></div>\n");
	}
	strbuf_addf(out,
		    "<form class=\"card\" method=\"post\" "
		    "action=\"/balie/%lld\">\n<h2>",
		    h->id);
	strbuf_add_html(out, msg_get(l, MSG_DESK_RECORD_HEADING));
	strbuf_addstr(out, "</h2>\n<p>");
	strbuf_add_html(out, msg_get(l, MSG_DESK_RECORD_INTRO));
	strbuf_addstr(out, "</p>\n");
	error_line(out, error);
	server_staff_csrf_field(out, &req->session);
	strbuf_addstr(out, "<label class=\"field\" for=\"namens\">");
	strbuf_add_html(out, msg_get(l, MSG_DESK_PROXY));
	strbuf_addstr(out, "</label>\n<input type=\"text\" id=\"namens\" "
			   "name=\"namens\" maxlength=\"80\" "
			   "autocomplete=\"off\" value=\"");
	if (proxy)
		strbuf_add_html(out, proxy);
	strbuf_addstr(out, "\">\n<label class=\"opt\"><input type=\"checkbox\" "
			   "name=\"toestemming\" value=\"1\"");
	if (server_field(req, "toestemming"))
		strbuf_addstr(out, " checked");
	strbuf_addstr(out, "> <span>");
	strbuf_add_html(out, msg_get(l, MSG_DESK_CONSENT));
	strbuf_addstr(out, "</span></label>\n<div class=\"actions\"><button "
			   "type=\"submit\">");
	strbuf_add_html(out, msg_get(l, MSG_DESK_RECORD));
	strbuf_addstr(out, "</button></div>\n</form>\n<p><a href=\"/balie\">");
	strbuf_add_html(out, msg_get(l, MSG_DESK_BACK));
	strbuf_addstr(out, "</a></p>\n");
	strbuf_release(&sb);
	server_html_end(req, out);
}

static int run_checkin(struct store *st, void *arg, struct strbuf *err)
{
	return store_evening_checkin(st, arg, err);
}

enum server_outcome server_desk_household(struct server_request *req,
					  struct server_reply *rep)
{
	struct store_evening_household h;
	struct strbuf err = STRBUF_INIT;
	struct store_checkin c = { 0 };
	struct store *st;
	char *end, target[48];
	const char *proxy;
	int rc;

	errno = 0;
	c.household = strtoll(req->rest, &end, 10);
	st = c.household > 0 && !*end && !errno ? server_store_get(req->sv)
						: NULL;
	rc = st ? store_evening_household(st, c.household, &h, &err)
		: STORE_NOT_FOUND;
	server_store_put(req->sv, st);
	if (rc == STORE_ERROR) {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
		goto out;
	}
	if (rc != STORE_OK) {
		rep->status = MHD_HTTP_NOT_FOUND;
		server_html_message(req, rep,
				    msg_get(req->lang, MSG_DESK_TITLE),
				    msg_get(req->lang, MSG_DESK_NO_HOUSEHOLD));
		goto out;
	}
	if (!req->post) {
		household_page(req, rep, &h, NULL);
		goto out;
	}
	proxy = server_field(req, "namens");
	while (proxy && *proxy == ' ')
		proxy++;
	c.volunteer = req->session.user;
	c.proxy = proxy && *proxy ? proxy : NULL;
	c.consent_shown = server_field(req, "toestemming") != NULL;
	if (c.proxy && (!c.consent_shown || strlen(c.proxy) > 80)) {
		rep->status = MHD_HTTP_UNPROCESSABLE_CONTENT;
		household_page(
			req, rep, &h,
			msg_get(req->lang, c.consent_shown
						   ? MSG_DESK_PROXY_TOO_LONG
						   : MSG_DESK_NEEDS_CONSENT));
		goto out;
	}
	rc = store_writer_run(req->sv->writer, run_checkin, &c, &err);
	if (rc != STORE_OK) {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
		goto out;
	}
	snprintf(target, sizeof(target), "/balie?klaar=%lld", h.id);
	server_redirect(rep, target);
out:
	strbuf_release(&err);
	return SERVER_REPLY;
}
