/*
 * team.c - volunteers and board members managed from the browser, and
 * the page where an invited person chooses a password (see team.h).
 */
#include "team.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "html.h"
#include "invitations.h"
#include "msg.h"
#include "staff.h"
#include "xalloc.h"
#include "banned.h"

/* ---- the board's page --------------------------------------------------- */

struct listing {
	struct server_request *req;
	struct strbuf accounts, invitations, events;
	size_t nr_accounts, nr_invitations, nr_events;
};

static const char *role_words(enum survey_lang l, enum store_role role)
{
	return msg_get(l, role == STORE_ROLE_BOARD ? MSG_STAFF_ROLE_BOARD
						   : MSG_STAFF_ROLE_VOLUNTEER);
}

/* A one-button POST form of the page: action on name. */
static void add_button(struct server_request *req, struct strbuf *out,
		       const char *action, const char *name, enum msg_id label,
		       enum msg_id aria)
{
	strbuf_addstr(out, "<form method=\"post\" action=\"/bestuur/"
			   "vrijwilligers\">");
	server_staff_csrf_field(out, &req->session);
	strbuf_addf(out, "<input type=\"hidden\" name=\"action\" value=\"%s\">",
		    action);
	strbuf_addstr(out, "<input type=\"hidden\" name=\"name\" value=\"");
	strbuf_add_html(out, name);
	strbuf_addstr(out, "\"><button class=\"secondary\" type=\"submit\" "
			   "aria-label=\"");
	{
		struct strbuf a = STRBUF_INIT;

		msg_add(&a, req->lang, aria, name);
		strbuf_add_html(out, a.buf);
		strbuf_release(&a);
	}
	strbuf_addf(out, "\">%s</button></form>", msg_get(req->lang, label));
}

static int list_account(const char *name, enum store_role role,
			const char *created_at, void *data)
{
	struct listing *ls = data;
	struct server_request *req = ls->req;
	struct strbuf *out = &ls->accounts;

	ls->nr_accounts++;
	strbuf_addstr(out, "<tr><th scope=\"row\">");
	strbuf_add_html(out, name);
	strbuf_addf(out, "</th><td>%s</td><td>", role_words(req->lang, role));
	/* The day is enough: "2027-04-20T10:00:00Z" */
	if (created_at) {
		char day[11];

		snprintf(day, sizeof(day), "%s", created_at);
		strbuf_add_html(out, day);
	}
	strbuf_addstr(out, "</td><td>");
	if (strcmp(name, req->session.user))
		add_button(req, out, "remove", name, MSG_TEAM_REMOVE,
			   MSG_TEAM_REMOVE_ARIA);
	else
		strbuf_addf(out, "<span class=\"muted\">%s</span>",
			    msg_get(req->lang, MSG_TEAM_YOU));
	strbuf_addstr(out, "</td></tr>\n");
	return 0;
}

static void add_ymd(struct strbuf *out, time_t t)
{
	char ymd[16] = "";
	struct tm tm;

	if (localtime_r(&t, &tm))
		strftime(ymd, sizeof(ymd), "%Y-%m-%d", &tm);
	strbuf_addstr(out, ymd);
}

static int list_invitation(const char *name, enum store_role role,
			   const char *invited_by, time_t expires, void *data)
{
	struct listing *ls = data;
	struct server_request *req = ls->req;
	struct strbuf *out = &ls->invitations;

	ls->nr_invitations++;
	strbuf_addstr(out, "<tr><th scope=\"row\">");
	strbuf_add_html(out, name);
	strbuf_addf(out, "</th><td>%s</td><td>", role_words(req->lang, role));
	strbuf_add_html(out, invited_by);
	strbuf_addstr(out, "</td><td>");
	add_ymd(out, expires);
	strbuf_addstr(out, "</td><td>");
	add_button(req, out, "cancel", name, MSG_TEAM_CANCEL,
		   MSG_TEAM_CANCEL_ARIA);
	strbuf_addstr(out, "</td></tr>\n");
	return 0;
}

static enum msg_id event_words(const char *action)
{
	if (!strcmp(action, "invited"))
		return MSG_TEAM_EVENT_INVITED;
	if (!strcmp(action, "joined"))
		return MSG_TEAM_EVENT_JOINED;
	if (!strcmp(action, "cancelled"))
		return MSG_TEAM_EVENT_CANCELLED;
	return MSG_TEAM_EVENT_REMOVED;
}

static int list_event(const char *at, const char *actor, const char *action,
		      const char *name, enum store_role role, void *data)
{
	struct listing *ls = data;
	struct strbuf line = STRBUF_INIT;

	ls->nr_events++;
	msg_add(&line, ls->req->lang, event_words(action), actor, name,
		role_words(ls->req->lang, role));
	/* "2027-04-20T10:00:07Z" as "2027-04-20 10:00 UTC" */
	{
		char when[17];

		snprintf(when, sizeof(when), "%s", at);
		if (strlen(when) == 16)
			when[10] = ' ';
		strbuf_addstr(&ls->events, "<li><span class=\"muted\">");
		strbuf_add_html(&ls->events, when);
		strbuf_addstr(&ls->events, strlen(when) == 16 ? " UTC" : "");
		strbuf_addstr(&ls->events, "</span> ");
	}
	strbuf_add_html(&ls->events, line.buf);
	strbuf_addstr(&ls->events, "</li>\n");
	strbuf_release(&line);
	return 0;
}

static int read_listing(struct server_request *req, struct listing *ls,
			struct strbuf *err)
{
	struct store *st = server_store_get(req->srv->staff);
	/* Of the viewer's own organisation only (store/host.h). */
	const char *me = req->session.user;
	int rc = STORE_ERROR;

	if (store_begin_read(st, err) < 0)
		goto out;
	if (store_account_each(st, me, list_account, ls, err) != STORE_OK ||
	    store_invitation_each(st, me, time(NULL), list_invitation, ls,
				  err) != STORE_OK ||
	    store_account_events(st, me, 30, list_event, ls, err) != STORE_OK) {
		store_rollback(st);
		goto out;
	}
	store_commit(st, NULL);
	rc = STORE_OK;
out:
	server_store_put(req->srv->staff, st);
	return rc;
}

void server_team_invitation_url(struct server_request *req, const char *token,
				struct strbuf *out)
{
	server_request_origin(req, out);
	strbuf_addf(out, "/uitnodiging/%s", token);
}

void server_team_add_link(struct server_request *req, struct strbuf *out,
			  const char *link)
{
	enum survey_lang l = req->lang;

	strbuf_addf(out,
		    "<div class=\"card\">\n<label class=\"field\" "
		    "for=\"link\">%s</label>\n"
		    "<input type=\"text\" id=\"link\" readonly "
		    "value=\"",
		    msg_get(l, MSG_TEAM_LINK));
	strbuf_add_html(out, link);
	strbuf_addf(out, "\">\n<p class=\"help\">%s</p>\n</div>\n",
		    msg_get(l, MSG_TEAM_LINK_HELP));
}

/*
 * The page: a notice (escaped; NULL for none), an error at the
 * invitation form (NULL), and the link of a fresh invitation (NULL).
 */
static void team_page(struct server_request *req, struct server_reply *rep,
		      const char *notice, const char *error, const char *link,
		      const char *name_value)
{
	enum survey_lang l = req->lang;
	struct listing ls = { req, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, 0, 0,
			      0 };
	struct strbuf *out = &rep->body, err = STRBUF_INIT;

	if (read_listing(req, &ls, &err) != STORE_OK) {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
		goto out;
	}
	strbuf_reset(out);
	server_html_begin(req, out, msg_get(l, MSG_TEAM_TITLE),
			  "/bestuur/vrijwilligers");
	server_staff_bar(req, out, &req->session);
	strbuf_addf(out, "<h1>%s</h1>\n", msg_get(l, MSG_TEAM_TITLE));
	server_html_notice(out, notice);
	if (link)
		server_team_add_link(req, out, link);
	/* Invite. */
	strbuf_addf(out,
		    "<form class=\"card\" method=\"post\" "
		    "action=\"/bestuur/vrijwilligers\">\n<h2>%s</h2>\n",
		    msg_get(l, MSG_TEAM_INVITE_HEADING));
	server_staff_csrf_field(out, &req->session);
	strbuf_addf(out,
		    "<input type=\"hidden\" name=\"action\" value=\"invite\">\n"
		    "<label class=\"field\" for=\"name\">%s</label>\n"
		    "<p class=\"help\" id=\"name-help\">%s</p>\n",
		    msg_get(l, MSG_TEAM_NAME), msg_get(l, MSG_TEAM_NAME_HELP));
	if (error) {
		strbuf_addstr(out, "<p class=\"error\" id=\"name-error\" "
				   "role=\"alert\">");
		strbuf_add_html(out, error);
		strbuf_addstr(out, "</p>\n");
	}
	strbuf_addf(
		out,
		"<input type=\"text\" id=\"name\" name=\"name\" "
		"maxlength=\"40\" autocapitalize=\"none\" "
		"spellcheck=\"false\" required aria-describedby=\"name-help%s"
		"\"%s value=\"",
		error ? " name-error" : "",
		error ? " aria-invalid=\"true\"" : "");
	strbuf_add_html(out, name_value ? name_value : "");
	strbuf_addf(out,
		    "\">\n<fieldset>\n<legend>%s</legend>\n"
		    "<label class=\"opt\"><input type=\"radio\" name=\"role\" "
		    "value=\"volunteer\" checked> %s</label>\n"
		    "<label class=\"opt\"><input type=\"radio\" name=\"role\" "
		    "value=\"board\"> %s</label>\n</fieldset>\n"
		    "<div class=\"actions\"><button type=\"submit\">%s</button>"
		    "</div>\n</form>\n",
		    msg_get(l, MSG_TEAM_ROLE),
		    msg_get(l, MSG_TEAM_ROLE_VOLUNTEER),
		    msg_get(l, MSG_TEAM_ROLE_BOARD),
		    msg_get(l, MSG_TEAM_INVITE_BUTTON));
	/* Accounts. */
	strbuf_addf(out,
		    "<section class=\"card\">\n<h2>%s</h2>\n"
		    "<div class=\"scroll\"><table>\n<thead><tr>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "</tr></thead>\n<tbody>\n",
		    msg_get(l, MSG_TEAM_ACCOUNTS), msg_get(l, MSG_TEAM_NAME),
		    msg_get(l, MSG_TEAM_ROLE), msg_get(l, MSG_TEAM_SINCE),
		    msg_get(l, MSG_TEAM_ACTION));
	strbuf_add(out, ls.accounts.buf, ls.accounts.len);
	strbuf_addstr(out, "</tbody></table></div>\n</section>\n");
	/* Open invitations. */
	strbuf_addf(out, "<section class=\"card\">\n<h2>%s</h2>\n",
		    msg_get(l, MSG_TEAM_INVITATIONS));
	if (ls.nr_invitations)
		strbuf_addf(out,
			    "<div class=\"scroll\"><table>\n<thead><tr>"
			    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			    "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n"
			    "%s</tbody></table></div>\n",
			    msg_get(l, MSG_TEAM_NAME),
			    msg_get(l, MSG_TEAM_ROLE),
			    msg_get(l, MSG_TEAM_INVITED_BY),
			    msg_get(l, MSG_TEAM_VALID_UNTIL),
			    msg_get(l, MSG_TEAM_ACTION), ls.invitations.buf);
	else
		strbuf_addf(out, "<p>%s</p>\n",
			    msg_get(l, MSG_TEAM_NO_INVITATIONS));
	strbuf_addstr(out, "</section>\n");
	/* What changed. */
	strbuf_addf(out, "<section class=\"card\">\n<h2>%s</h2>\n",
		    msg_get(l, MSG_TEAM_EVENTS));
	if (ls.nr_events)
		strbuf_addf(out, "<ul>\n%s</ul>\n", ls.events.buf);
	else
		strbuf_addf(out, "<p>%s</p>\n", msg_get(l, MSG_TEAM_NO_EVENTS));
	strbuf_addstr(out, "</section>\n");
	server_html_end(req, out);
out:
	strbuf_release(&ls.accounts);
	strbuf_release(&ls.invitations);
	strbuf_release(&ls.events);
	strbuf_release(&err);
}

struct change {
	const char *action, *name, *by;
	enum store_role role;
	char token[STORE_INVITATION_HEX];
};

static int run_change(struct store *st, void *arg, struct strbuf *err)
{
	struct change *c = arg;

	if (!strcmp(c->action, "invite"))
		return store_invitation_create(
			st, c->name, c->role, c->by,
			time(NULL) + SERVER_INVITATION_DAYS * 24 * 3600,
			c->token, err);
	if (!strcmp(c->action, "remove"))
		return store_account_remove_by(st, c->name, c->by, err);
	return store_invitation_cancel(st, c->name, c->by, err);
}

enum server_outcome server_team_page(struct server_request *req,
				     struct server_reply *rep)
{
	enum survey_lang l = req->lang;
	struct change c = { 0 };
	struct strbuf err = STRBUF_INIT, words = STRBUF_INIT,
		      link = STRBUF_INIT;
	const char *role;
	int rc;

	if (!req->post) {
		team_page(req, rep, NULL, NULL, NULL, NULL);
		return SERVER_REPLY;
	}
	c.action = server_field(req, "action");
	c.name = server_field(req, "name");
	c.by = req->session.user;
	role = server_field(req, "role");
	if (!c.action || !c.name ||
	    (strcmp(c.action, "invite") && strcmp(c.action, "remove") &&
	     strcmp(c.action, "cancel"))) {
		rep->status = MHD_HTTP_BAD_REQUEST;
		team_page(req, rep, NULL, NULL, NULL, NULL);
		goto out;
	}
	if (!strcmp(c.action, "invite") &&
	    (!store_account_name_valid(c.name) || !role ||
	     store_role_parse(role, &c.role) < 0)) {
		rep->status = MHD_HTTP_BAD_REQUEST;
		team_page(req, rep, NULL, msg_get(l, MSG_TEAM_NAME_INVALID),
			  NULL, c.name);
		goto out;
	}
	if (!strcmp(c.action, "remove") && !strcmp(c.name, c.by)) {
		rep->status = MHD_HTTP_CONFLICT;
		team_page(req, rep, msg_get(l, MSG_TEAM_NOT_YOURSELF), NULL,
			  NULL, NULL);
		goto out;
	}
	rc = store_writer_run(req->srv->staff->writer, run_change, &c, &err);
	if (rc == STORE_EXISTS) {
		rep->status = MHD_HTTP_CONFLICT;
		msg_add(&words, l, MSG_TEAM_NAME_TAKEN, c.name);
		team_page(req, rep, NULL, words.buf, NULL, c.name);
	} else if (rc == STORE_NOT_FOUND) {
		rep->status = MHD_HTTP_NOT_FOUND;
		msg_add(&words, l, MSG_TEAM_GONE, c.name);
		team_page(req, rep, words.buf, NULL, NULL, NULL);
	} else if (rc != STORE_OK) {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
	} else if (!strcmp(c.action, "invite")) {
		char days[8];

		snprintf(days, sizeof(days), "%d", SERVER_INVITATION_DAYS);
		server_team_invitation_url(req, c.token, &link);
		msg_add(&words, l, MSG_TEAM_INVITED, c.name, days);
		team_page(req, rep, words.buf, NULL, link.buf, NULL);
	} else {
		/* A removed account's sessions end with it: the store
		 * finds a session only through its account. */
		msg_add(&words, l,
			!strcmp(c.action, "remove") ? MSG_TEAM_REMOVED
						    : MSG_TEAM_CANCELLED,
			c.name);
		team_page(req, rep, words.buf, NULL, NULL, NULL);
	}
out:
	sodium_memzero(c.token, sizeof(c.token));
	strbuf_release(&err);
	strbuf_release(&words);
	strbuf_release(&link);
	return SERVER_REPLY;
}

/* ---- the invited person's page ------------------------------------------ */

static void invitation_page(struct server_request *req,
			    struct server_reply *rep, const char *token,
			    const char *name, enum store_role role,
			    const char *error)
{
	enum survey_lang l = req->lang;
	struct strbuf *out = &rep->body, words = STRBUF_INIT;
	char csrf[SERVER_TOKEN_HEX];

	strbuf_reset(out);
	server_html_begin(req, out, msg_get(l, MSG_TEAM_WELCOME_TITLE), NULL);
	msg_add(&words, l, MSG_TEAM_WELCOME, name);
	strbuf_addstr(out, "<h1>");
	strbuf_add_html(out, words.buf);
	strbuf_reset(&words);
	msg_add(&words, l, MSG_TEAM_WELCOME_TEXT, role_words(l, role));
	strbuf_addstr(out, "</h1>\n<p>");
	strbuf_add_html(out, words.buf);
	strbuf_addstr(out, "</p>\n");
	if (error) {
		strbuf_addstr(out, "<p class=\"error\" id=\"pw-error\" "
				   "role=\"alert\">");
		strbuf_add_html(out, error);
		strbuf_addstr(out, "</p>\n");
	}
	server_csrf_resident(&req->srv->csrf, token, csrf);
	strbuf_addf(out,
		    "<form class=\"card\" method=\"post\" "
		    "action=\"/uitnodiging/%s\">\n"
		    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
		    "<input type=\"hidden\" name=\"lang\" value=\"%s\">\n"
		    /* The name, for password managers to store with it. */
		    "<input type=\"hidden\" name=\"username\" "
		    "autocomplete=\"username\" value=\"",
		    token, csrf, survey_lang_code(l));
	strbuf_add_html(out, name);
	strbuf_addf(out,
		    "\">\n<label class=\"field\" for=\"pw\">%s</label>\n"
		    "<p class=\"help\" id=\"pw-help\">%s</p>\n"
		    "<input type=\"password\" id=\"pw\" name=\"password\" "
		    "autocomplete=\"new-password\" minlength=\"%d\" required "
		    "aria-describedby=\"pw-help%s\">\n"
		    "<label class=\"field spaced\" for=\"pw2\">%s</label>\n"
		    "<input type=\"password\" id=\"pw2\" name=\"password2\" "
		    "autocomplete=\"new-password\" required>\n"
		    "<div class=\"actions\"><button type=\"submit\">%s</button>"
		    "</div>\n</form>\n",
		    msg_get(l, MSG_TEAM_PASSWORD),
		    msg_get(l, MSG_TEAM_PASSWORD_HELP), STORE_MIN_PASSWORD,
		    error ? " pw-error" : "", msg_get(l, MSG_TEAM_PASSWORD2),
		    msg_get(l, MSG_TEAM_MAKE_ACCOUNT));
	server_html_end(req, out);
	strbuf_release(&words);
}

struct acceptance {
	const char *token, *password;
	char name[41];
	enum store_role role;
};

static int run_accept(struct store *st, void *arg, struct strbuf *err)
{
	struct acceptance *a = arg;

	return store_invitation_accept(st, a->token, time(NULL), a->password,
				       a->name, &a->role, err);
}

static enum server_outcome gone(struct server_request *req,
				struct server_reply *rep)
{
	rep->status = MHD_HTTP_NOT_FOUND;
	server_html_message(req, rep, msg_get(req->lang, MSG_TEAM_GONE_TITLE),
			    msg_get(req->lang, MSG_TEAM_INVITATION_GONE));
	return SERVER_REPLY;
}

enum server_outcome server_team_invitation(struct server_request *req,
					   struct server_reply *rep)
{
	enum survey_lang l = req->lang;
	struct acceptance a = { .token = req->rest };
	struct strbuf err = STRBUF_INIT;
	const char *pw2;
	char csrf[SERVER_TOKEN_HEX];
	struct store *st;
	int rc;

	st = server_store_get(req->srv->staff);
	rc = store_invitation_find(st, a.token, time(NULL), a.name, &a.role,
				   &err);
	server_store_put(req->srv->staff, st);
	if (rc == STORE_NOT_FOUND)
		return gone(req, rep);
	if (rc != STORE_OK) {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
		goto out;
	}
	if (!req->post) {
		invitation_page(req, rep, a.token, a.name, a.role, NULL);
		goto out;
	}
	server_csrf_resident(&req->srv->csrf, a.token, csrf);
	if (!server_csrf_equal(server_field(req, "csrf"), csrf)) {
		rep->status = MHD_HTTP_FORBIDDEN;
		server_html_message(req, rep, msg_get(l, MSG_STAFF_CSRF_TITLE),
				    msg_get(l, MSG_STAFF_CSRF));
		goto out;
	}
	a.password = server_field(req, "password");
	pw2 = server_field(req, "password2");
	if (!a.password || strlen(a.password) < STORE_MIN_PASSWORD) {
		rep->status = MHD_HTTP_BAD_REQUEST;
		invitation_page(req, rep, a.token, a.name, a.role,
				msg_get(l, MSG_TEAM_PASSWORD_SHORT));
		goto out;
	}
	if (!pw2 || strcmp(a.password, pw2)) {
		rep->status = MHD_HTTP_BAD_REQUEST;
		invitation_page(req, rep, a.token, a.name, a.role,
				msg_get(l, MSG_TEAM_PASSWORD_DIFFERS));
		goto out;
	}
	rc = store_writer_run(req->srv->staff->writer, run_accept, &a, &err);
	if (rc == STORE_NOT_FOUND || rc == STORE_EXISTS) {
		gone(req, rep);
	} else if (rc != STORE_OK) {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
	} else {
		struct strbuf words = STRBUF_INIT;

		msg_add(&words, l, MSG_TEAM_READY, a.name);
		server_html_message(req, rep, msg_get(l, MSG_TEAM_READY_TITLE),
				    words.buf);
		strbuf_release(&words);
	}
out:
	strbuf_release(&err);
	return SERVER_REPLY;
}
