/*
 * hosting.c - choosing a survey on a host, and the host's
 * administration (see hosting.h).
 */
#include "hosting.h"

#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "definition.h"
#include "diag.h"
#include "host.h"
#include "html.h"
#include "invitations.h"
#include "msg.h"
#include "staff.h"
#include "team.h"
#include "banned.h"

bool server_hosting_is_admin(const struct server_request *req,
			     const struct server_session *s)
{
	return req->srv->host && s->role == STORE_ROLE_BOARD &&
	       !s->organisation[0];
}

struct server_survey *server_hosting_survey(struct server_request *req,
					    const struct server_session *s)
{
	struct server_survey *sv;

	if (!req->srv->host)
		return server_survey_at(req->srv, 0);
	if (!s->organisation[0] || !s->survey[0])
		return NULL;
	sv = server_survey_find(req->srv, s->survey);
	return sv && !strcmp(sv->organisation, s->organisation) ? sv : NULL;
}

struct server_survey *server_hosting_sole_survey(struct server_request *req,
						 struct server_session *s)
{
	struct server_survey *only = NULL;
	size_t n = server_survey_count(req->srv);

	if (!req->srv->host || !s->organisation[0])
		return NULL;
	for (size_t i = 0; i < n; i++) {
		struct server_survey *sv = server_survey_at(req->srv, i);

		if (strcmp(sv->organisation, s->organisation))
			continue;
		if (only)
			return NULL; /* several: she chooses */
		only = sv;
	}
	if (!only || strlen(only->slug) >= sizeof(s->survey) ||
	    !server_session_set_survey(req->srv->sessions, s->id, only->slug))
		return NULL;
	memcpy(s->survey, only->slug, strlen(only->slug) + 1);
	return only;
}

struct server_survey *server_hosting_public(struct server_request *req)
{
	const char *slug = req->rest;

	if (slug && *slug == '/')
		slug++;
	if (!req->srv->host)
		return slug && *slug ? NULL : server_survey_at(req->srv, 0);
	return slug && *slug ? server_survey_find(req->srv, slug) : NULL;
}

/* Whether sv may be seen by the session (its organisation's). */
static bool visible(const struct server_request *req,
		    const struct server_survey *sv)
{
	return !req->srv->host ||
	       (req->session.organisation[0] &&
		!strcmp(sv->organisation, req->session.organisation));
}

/* "Open until ...", "Opens on ...", "Closed on ..." for survey s. */
static void add_state(struct server_request *req, struct strbuf *out,
		      const struct survey *s)
{
	char today[11];
	const char *ymd = s->closes;
	enum msg_id id = MSG_HOSTING_STATE_OPEN;

	server_today(req->srv, today);
	if (strcmp(today, s->opens) < 0) {
		id = MSG_HOSTING_STATE_BEFORE;
		ymd = s->opens;
	} else if (strcmp(today, s->closes) > 0) {
		id = MSG_HOSTING_STATE_CLOSED;
	}
	strbuf_addf(out, "%s ", msg_get(req->lang, id));
	server_html_date(out, ymd, req->lang);
}

static void choose_page(struct server_request *req, struct server_reply *rep,
			const char *error)
{
	enum survey_lang l = req->lang;
	struct strbuf *out = &rep->body;
	const struct server_session *me = &req->session;
	unsigned shown = 0;

	strbuf_reset(out);
	server_html_begin(req, out, msg_get(l, MSG_HOSTING_CHOOSE_TITLE),
			  "/werkruimte");
	server_staff_bar(req, out, me);
	strbuf_addf(out, "<h1>%s</h1>\n", msg_get(l, MSG_HOSTING_CHOOSE_TITLE));
	if (error) {
		strbuf_addstr(out, "<p class=\"error\" role=\"alert\">");
		strbuf_add_html(out, error);
		strbuf_addstr(out, "</p>\n");
	}
	if (server_hosting_is_admin(req, me)) {
		strbuf_addf(out, "<p>%s <a href=\"/beheer\">%s</a></p>\n",
			    msg_get(l, MSG_HOSTING_ADMIN_NO_SURVEY),
			    msg_get(l, MSG_HOSTING_ADMIN_NAV));
		server_html_end(req, out);
		return;
	}
	strbuf_addf(out, "<p>%s</p>\n", msg_get(l, MSG_HOSTING_CHOOSE_INTRO));
	for (size_t i = 0, n = server_survey_count(req->srv); i < n; i++) {
		const struct server_survey *sv = server_survey_at(req->srv, i);
		const struct survey *s = sv->survey;
		bool current = req->srv->host && !strcmp(sv->slug, me->survey);

		if (!visible(req, sv))
			continue;
		shown++;
		strbuf_addstr(out, "<form class=\"card\" method=\"post\" "
				   "action=\"/werkruimte\">\n<h2>");
		strbuf_add_html(out, survey_text_get(&s->title, l));
		strbuf_addstr(out, "</h2>\n<p>");
		add_state(req, out, s);
		strbuf_addstr(out, ".</p>\n");
		if (current)
			strbuf_addf(out, "<p><strong>%s</strong></p>\n",
				    msg_get(l, MSG_HOSTING_CURRENT));
		server_staff_csrf_field(out, me);
		strbuf_addstr(out, "<input type=\"hidden\" name=\"survey\" "
				   "value=\"");
		strbuf_add_html(out, sv->slug);
		strbuf_addf(out,
			    "\">\n<div class=\"actions\"><button "
			    "type=\"submit\">%s</button></div>\n</form>\n",
			    msg_get(l, MSG_HOSTING_OPEN_BUTTON));
	}
	if (!shown)
		strbuf_addf(out, "<p>%s</p>\n", msg_get(l, MSG_HOSTING_NONE));
	/* A board may start one of its own. */
	if (req->srv->host && me->role == STORE_ROLE_BOARD) {
		strbuf_addf(out,
			    "<form class=\"card\" method=\"post\" "
			    "action=\"/werkruimte\">\n<h2>%s</h2>\n"
			    "<p class=\"help\" id=\"title-help\">%s</p>\n",
			    msg_get(l, MSG_HOSTING_NEW_TITLE),
			    msg_get(l, MSG_HOSTING_NEW_HELP));
		server_staff_csrf_field(out, me);
		strbuf_addf(out,
			    "<input type=\"hidden\" name=\"action\" "
			    "value=\"new\">\n"
			    "<label class=\"field\" for=\"title\">%s</label>\n"
			    "<input type=\"text\" id=\"title\" name=\"title\" "
			    "maxlength=\"200\" required "
			    "aria-describedby=\"title-help\">\n"
			    "<div class=\"actions\"><button type=\"submit\">%s"
			    "</button></div>\n</form>\n",
			    msg_get(l, MSG_HOSTING_NEW_LABEL),
			    msg_get(l, MSG_HOSTING_NEW_BUTTON));
	}
	server_html_end(req, out);
}

static int new_survey(struct server_request *req, const char *title,
		      char slug[STORE_SLUG_SIZE], struct strbuf *err);

/* POST /werkruimte with action=new: a new survey, then its editor. */
static enum server_outcome choose_new(struct server_request *req,
				      struct server_reply *rep)
{
	struct strbuf err = STRBUF_INIT;
	char slug[STORE_SLUG_SIZE];
	int rc = STORE_INVALID;

	if (!req->srv->host || !req->session.organisation[0] ||
	    req->session.role != STORE_ROLE_BOARD) {
		rep->status = MHD_HTTP_FORBIDDEN;
		choose_page(req, rep,
			    msg_get(req->lang, MSG_HOSTING_NEW_BOARD_ONLY));
		goto out;
	}
	rc = new_survey(req, server_field(req, "title"), slug, &err);
	if (rc == STORE_INVALID) {
		rep->status = 422; /* Unprocessable Content */
		choose_page(req, rep,
			    msg_get(req->lang, MSG_HOSTING_NEW_NO_TITLE));
	} else if (rc != STORE_OK) {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
	} else if (!server_session_set_survey(req->srv->sessions,
					      req->session.id, slug)) {
		server_html_store_failed(req, rep);
	} else {
		server_log(LOG_NOTICE, "survey %s added by its board", slug);
		server_redirect(rep, "/bestuur/vragenlijst");
	}
out:
	strbuf_release(&err);
	return SERVER_REPLY;
}

enum server_outcome server_hosting_choose(struct server_request *req,
					  struct server_reply *rep)
{
	const char *slug = req->post ? server_field(req, "survey") : NULL;
	const char *action = req->post ? server_field(req, "action") : NULL;
	struct server_survey *sv;

	if (!req->post) {
		choose_page(req, rep, NULL);
		return SERVER_REPLY;
	}
	if (action && !strcmp(action, "new"))
		return choose_new(req, rep);
	sv = slug && req->srv->host ? server_survey_find(req->srv, slug) : NULL;
	if (!req->srv->host)
		sv = server_survey_at(req->srv, 0);
	/* Another organisation's survey is as unknown as a missing one. */
	if (!sv || !visible(req, sv) ||
	    server_hosting_is_admin(req, &req->session)) {
		rep->status = MHD_HTTP_NOT_FOUND;
		choose_page(req, rep,
			    msg_get(req->lang, MSG_HOSTING_NOT_YOURS));
		return SERVER_REPLY;
	}
	if (req->srv->host &&
	    !server_session_set_survey(req->srv->sessions, req->session.id,
				       sv->slug)) {
		server_html_store_failed(req, rep);
		return SERVER_REPLY;
	}
	return server_redirect(rep, req->session.role == STORE_ROLE_BOARD
					    ? "/bestuur"
					    : "/invoer");
}

/* ---- a new survey, made by the board ------------------------------------ */

/* s as a YAML double-quoted scalar; control characters become spaces. */
static void add_yaml_string(struct strbuf *out, const char *s)
{
	strbuf_addch(out, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			strbuf_addch(out, '\\');
		strbuf_addch(out, (unsigned char)*s < 0x20 ? ' ' : *s);
	}
	strbuf_addch(out, '"');
}

/* ymd plus days, as YYYY-MM-DD (noon, so no clock change moves it). */
static void add_days(const char *ymd, int days, char out[11])
{
	struct tm tm = { 0 };

	if (sscanf(ymd, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) !=
	    3) {
		snprintf(out, 11, "%s", ymd);
		return;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_mday += days;
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	mktime(&tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/*
 * The definition a new survey starts from: the title the board gave, one
 * proposition, one buurt and a usual agreement, all for the editor to
 * change; it opens in two weeks, so that nothing is answered before the
 * board has made it its own.
 */
static void starter(struct strbuf *out, const char *slug, const char *title,
		    const char *org_name, const char *today,
		    const char *base_url)
{
	char opens[11], closes[11];

	add_days(today, 14, opens);
	add_days(today, 42, closes);
	strbuf_addf(out,
		    "# Gemaakt op de server; pas alles aan in de editor.\n"
		    "survey: %s\ntitle:\n  nl: ",
		    slug);
	add_yaml_string(out, title);
	strbuf_addstr(out, "\norganisation: ");
	add_yaml_string(out, org_name);
	strbuf_addf(out,
		    "\ncontact:\n  nl: \"Vragen? Neem contact op met het "
		    "bestuur.\"\n"
		    "opens: %s\ncloses: %s\nlanguages: [nl]\nbase_url: %s\n"
		    "conflict: latest\ndouble_entry: false\n\n"
		    "questions:\n  - id: voorstel\n    type: proposition\n"
		    "    text:\n      nl: \"Bent u voor het voorstel?\"\n\n"
		    "buurten:\n  - id: buurt1\n    name: \"Het hele dorp\"\n"
		    "    households: 100\n\n"
		    "agreement:\n  min_response: 30%%\n"
		    "  min_in_favour: \"> 50%%\"\n",
		    opens, closes, base_url);
}

struct registration {
	const char *slug, *org, *file;
};

static int run_register(struct store *st, void *arg, struct strbuf *err)
{
	struct registration *n = arg;

	return store_host_survey_add(st, n->slug, n->org, n->file, err);
}

/*
 * Make, register and serve a new survey of the session's organisation
 * titled title: STORE_OK with its slug in slug, STORE_INVALID (no title),
 * or STORE_ERROR with err.
 */
static int new_survey(struct server_request *req, const char *title,
		      char slug[STORE_SLUG_SIZE], struct strbuf *err)
{
	const char *org = req->session.organisation;
	struct strbuf yaml = STRBUF_INIT, file = STRBUF_INIT,
		      path = STRBUF_INIT, origin = STRBUF_INIT;
	struct diag_list dl;
	struct survey *s = NULL;
	struct store *st = NULL;
	struct registration n;
	char today[11], org_name[128];
	int rc = STORE_ERROR;

	diag_list_init(&dl, "vragenlijst.yaml");
	if (!title || !*title || strlen(title) > 200) {
		rc = STORE_INVALID;
		goto out;
	}
	st = server_store_get(req->srv->staff);
	rc = st ? store_host_org_name(st, org, org_name, sizeof(org_name), err)
		: STORE_ERROR;
	server_store_put(req->srv->staff, st);
	st = NULL;
	if (rc != STORE_OK)
		goto out;
	rc = STORE_ERROR;
	server_today(req->srv, today);
	/* ORG-YEAR-N: the first that is free. */
	for (unsigned i = 1; i < 1000; i++) {
		snprintf(slug, STORE_SLUG_SIZE, "%.30s-%.4s-%u", org, today, i);
		strbuf_reset(&file);
		strbuf_addf(&file, "%s.db", slug);
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", req->srv->cfg.data_dir, file.buf);
		if (!server_survey_find(req->srv, slug) &&
		    access(path.buf, F_OK) < 0)
			break;
	}
	/* The QR codes lead where the board reached the server. */
	server_request_origin(req, &origin);
	starter(&yaml, slug, title, org_name, today, origin.buf);
	s = survey_load_buffer("vragenlijst.yaml", yaml.buf, yaml.len, &dl);
	if (!s) {
		diag_list_format(&dl, err);
		goto out;
	}
	st = store_open(path.buf, STORE_CREATE, err);
	if (!st ||
	    store_definition_apply(st, s, yaml.buf, NULL, err) != STORE_OK)
		goto out;
	store_free(st);
	st = NULL;
	n.slug = slug;
	n.org = org;
	n.file = file.buf;
	if (store_writer_run(req->srv->staff->writer, run_register, &n, err) !=
		    STORE_OK ||
	    server_survey_add(req->srv, path.buf, slug, org, err) < 0)
		goto out;
	rc = STORE_OK;
out:
	store_free(st);
	survey_free(s);
	diag_list_release(&dl);
	strbuf_release(&yaml);
	strbuf_release(&file);
	strbuf_release(&path);
	strbuf_release(&origin);
	return rc;
}

/* ---- the host's administration ----------------------------------------- */

struct org_listing {
	struct server_request *req;
	struct strbuf rows;
};

static int list_org(const char *slug, const char *name, void *data)
{
	struct org_listing *ls = data;
	struct server_request *req = ls->req;
	unsigned n = 0;

	strbuf_addstr(&ls->rows, "<tr><td>");
	strbuf_add_html(&ls->rows, name);
	strbuf_addstr(&ls->rows, "</td><td>");
	strbuf_add_html(&ls->rows, slug);
	strbuf_addstr(&ls->rows, "</td><td>");
	for (size_t i = 0, nr = server_survey_count(req->srv); i < nr; i++) {
		const struct server_survey *sv = server_survey_at(req->srv, i);

		if (strcmp(sv->organisation, slug))
			continue;
		strbuf_addstr(&ls->rows, n++ ? ", " : "");
		strbuf_add_html(&ls->rows, sv->slug);
	}
	if (!n)
		strbuf_addstr(&ls->rows,
			      msg_get(req->lang, MSG_HOSTING_NO_SURVEYS));
	strbuf_addstr(&ls->rows, "</td></tr>\n");
	return 0;
}

/* A text field of the organisation form, with its label and help. */
static void add_field(struct strbuf *out, const char *id, const char *label,
		      const char *help, const char *value)
{
	strbuf_addf(out, "<label class=\"field\" for=\"%s\">%s</label>\n", id,
		    label);
	if (help)
		strbuf_addf(out, "<p class=\"help\" id=\"%s-help\">%s</p>\n",
			    id, help);
	strbuf_addf(out,
		    "<input type=\"text\" id=\"%s\" name=\"%s\" "
		    "maxlength=\"80\" required%s%s%s value=\"",
		    id, id, help ? " aria-describedby=\"" : "", help ? id : "",
		    help ? "-help\"" : "");
	strbuf_add_html(out, value ? value : "");
	strbuf_addstr(out, "\">\n");
}

static void admin_page(struct server_request *req, struct server_reply *rep,
		       const char *notice, const char *error, const char *link)
{
	enum survey_lang l = req->lang;
	struct strbuf *out = &rep->body, err = STRBUF_INIT;
	struct org_listing ls = { req, STRBUF_INIT };
	struct store *st = server_store_get(req->srv->staff);
	int rc = st ? store_host_org_each(st, list_org, &ls, &err) : -1;

	server_store_put(req->srv->staff, st);
	if (rc != STORE_OK) {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
		goto out;
	}
	strbuf_reset(out);
	server_html_begin(req, out, msg_get(l, MSG_HOSTING_ADMIN_TITLE),
			  "/beheer");
	server_staff_bar(req, out, &req->session);
	strbuf_addf(out, "<h1>%s</h1>\n", msg_get(l, MSG_HOSTING_ADMIN_TITLE));
	server_html_notice(out, notice);
	if (link)
		server_team_add_link(req, out, link);
	strbuf_addf(out,
		    "<section class=\"card\">\n<h2>%s</h2>\n"
		    "<div class=\"scroll\"><table>\n<thead><tr>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n%s"
		    "</tbody></table></div>\n<p class=\"help\">%s</p>\n"
		    "</section>\n",
		    msg_get(l, MSG_HOSTING_ORGS),
		    msg_get(l, MSG_HOSTING_ORG_NAME),
		    msg_get(l, MSG_HOSTING_ORG_SLUG),
		    msg_get(l, MSG_HOSTING_SURVEYS), ls.rows.buf,
		    msg_get(l, MSG_HOSTING_SURVEY_ADD_HINT));
	strbuf_addf(out,
		    "<form class=\"card\" method=\"post\" action=\"/beheer\">\n"
		    "<h2>%s</h2>\n",
		    msg_get(l, MSG_HOSTING_ORG_ADD_TITLE));
	if (error) {
		strbuf_addstr(out, "<p class=\"error\" role=\"alert\">");
		strbuf_add_html(out, error);
		strbuf_addstr(out, "</p>\n");
	}
	server_staff_csrf_field(out, &req->session);
	add_field(out, "name", msg_get(l, MSG_HOSTING_ORG_NAME), NULL,
		  req->post && error ? server_field(req, "name") : NULL);
	add_field(out, "slug", msg_get(l, MSG_HOSTING_ORG_SLUG),
		  msg_get(l, MSG_HOSTING_ORG_SLUG_HELP),
		  req->post && error ? server_field(req, "slug") : NULL);
	add_field(out, "board", msg_get(l, MSG_HOSTING_ORG_BOARD),
		  msg_get(l, MSG_TEAM_NAME_HELP),
		  req->post && error ? server_field(req, "board") : NULL);
	strbuf_addf(out,
		    "<div class=\"actions\"><button type=\"submit\">%s"
		    "</button></div>\n</form>\n",
		    msg_get(l, MSG_HOSTING_ORG_ADD));
	server_html_end(req, out);
out:
	strbuf_release(&ls.rows);
	strbuf_release(&err);
}

struct new_org {
	const char *slug, *name, *board, *by;
	char token[STORE_INVITATION_HEX];
};

/* The organisation and its first board member's invitation, at once. */
static int run_new_org(struct store *st, void *arg, struct strbuf *err)
{
	struct new_org *o = arg;
	int rc = store_begin(st, err);

	if (rc != STORE_OK)
		return rc;
	rc = store_host_org_add(st, o->slug, o->name, err);
	if (rc == STORE_OK)
		rc = store_invitation_create_in(
			st, o->board, STORE_ROLE_BOARD, o->by, o->slug,
			time(NULL) + SERVER_INVITATION_DAYS * 24 * 3600,
			o->token, err);
	if (rc != STORE_OK) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, err);
}

enum server_outcome server_hosting_admin(struct server_request *req,
					 struct server_reply *rep)
{
	enum survey_lang l = req->lang;
	struct new_org o = { 0 };
	struct strbuf err = STRBUF_INIT, words = STRBUF_INIT,
		      link = STRBUF_INIT;
	int rc;

	if (!req->post) {
		admin_page(req, rep, NULL, NULL, NULL);
		return SERVER_REPLY;
	}
	o.slug = server_field(req, "slug");
	o.name = server_field(req, "name");
	o.board = server_field(req, "board");
	o.by = req->session.user;
	if (!o.slug || !store_host_slug_valid(o.slug) || !o.name || !*o.name ||
	    !o.board || !store_account_name_valid(o.board)) {
		rep->status = 422; /* Unprocessable Content */
		admin_page(req, rep, NULL, msg_get(l, MSG_HOSTING_ORG_INVALID),
			   NULL);
		goto out;
	}
	rc = store_writer_run(req->srv->staff->writer, run_new_org, &o, &err);
	if (rc == STORE_EXISTS) {
		rep->status = MHD_HTTP_CONFLICT;
		admin_page(req, rep, NULL, msg_get(l, MSG_HOSTING_ORG_EXISTS),
			   NULL);
	} else if (rc != STORE_OK) {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
	} else {
		char days[8];

		snprintf(days, sizeof(days), "%d", SERVER_INVITATION_DAYS);
		server_team_invitation_url(req, o.token, &link);
		msg_add(&words, l, MSG_HOSTING_ORG_ADDED, o.name, o.board,
			days);
		admin_page(req, rep, words.buf, NULL, link.buf);
	}
out:
	sodium_memzero(o.token, sizeof(o.token));
	strbuf_release(&err);
	strbuf_release(&words);
	strbuf_release(&link);
	return SERVER_REPLY;
}
