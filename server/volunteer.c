/*
 * volunteer.c - log-in, paper entry and double entry (see volunteer.h).
 *
 * Volunteers are few and their pages rare, so these handlers simply wait
 * for the writer (server_writer_run()) instead of suspending: a polling
 * thread is held up for one commit at most.  The pages are in Dutch: the
 * volunteers are the platform's own people.
 */
#include "volunteer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "answers.h"
#include "codes.h"
#include "html.h"
#include "ratelimit.h"
#include "session.h"
#include "staff.h"
#include "token.h"
#include "xalloc.h"
#include "banned.h"

/* ---- log-in and log-out ---------------------------------------------------- */

static void login_page(struct server_request *req, struct server_reply *rep,
		       const char *error)
{
	struct strbuf *out = &rep->body;
	const char *log_in = server_nl_en(req, "Inloggen", "Log in");

	strbuf_reset(out);
	server_html_begin(req, out, log_in, "/login");
	strbuf_addf(
		out, "<h1>%s</h1>\n<p>%s</p>\n", log_in,
		server_nl_en(req,
			     "Voor vrijwilligers die papieren formulieren "
			     "invoeren en voor het bestuur. Bewoners hebben "
			     "geen account nodig: zij gebruiken de code op "
			     "hun formulier.",
			     "For volunteers who enter paper forms, and for "
			     "the board. Residents need no account: they "
			     "use the code on their form."));
	if (error) {
		strbuf_addstr(out, "<p class=\"error\" role=\"alert\">");
		strbuf_add_html(out, error);
		strbuf_addstr(out, "</p>\n");
	}
	strbuf_addf(out,
		    "<form class=\"card\" method=\"post\" action=\"/login\">\n"
		    "<input type=\"hidden\" name=\"lang\" value=\"%s\">\n"
		    "<label class=\"field\" for=\"name\">%s</label>\n"
		    "<input type=\"text\" id=\"name\" name=\"name\" "
		    "autocomplete=\"username\" autocapitalize=\"none\" "
		    "spellcheck=\"false\" required>\n"
		    "<label class=\"field spaced\" for=\"pw\">%s</label>\n"
		    "<input type=\"password\" id=\"pw\" name=\"password\" "
		    "autocomplete=\"current-password\" required>\n"
		    "<div class=\"actions\"><button type=\"submit\">%s"
		    "</button></div>\n</form>\n",
		    survey_lang_code(req->lang),
		    server_nl_en(req, "Naam", "Name"),
		    server_nl_en(req, "Wachtwoord", "Password"), log_in);
	server_html_end(req, out);
}

static void session_cookie(struct server_request *req, struct server_reply *rep,
			   const char *value, bool clear)
{
	strbuf_addf(&rep->cookie,
		    SERVER_SESSION_COOKIE "=%s; Path=/; HttpOnly; "
					  "SameSite=Strict%s%s",
		    value,
		    req->srv->tls || req->srv->cfg.trust_proxy ? "; Secure"
							       : "",
		    clear ? "; Max-Age=0" : "");
}

enum server_outcome server_volunteer_login(struct server_request *req,
					   struct server_reply *rep)
{
	const char *name = server_field(req, "name");
	const char *pw = server_field(req, "password");
	struct server_session s;
	struct strbuf err = STRBUF_INIT;
	struct survey_store *st;
	enum server_role role = SERVER_ROLE_VOLUNTEER;
	int ok;

	if (!req->post) {
		if (server_staff_session(req, &s))
			return server_redirect(rep, s.role == SERVER_ROLE_BOARD
							    ? "/bestuur"
							    : "/invoer");
		login_page(req, rep, NULL);
		return SERVER_REPLY;
	}
	if (!server_ratelimit_allowed(req->srv->login_limit, req->client)) {
		rep->status = MHD_HTTP_TOO_MANY_REQUESTS;
		login_page(req, rep,
			   server_nl_en(req,
					"Te veel mislukte pogingen. Wacht een "
					"paar minuten en probeer het dan "
					"opnieuw.",
					"Too many failed attempts. Wait a few "
					"minutes and try again."));
		return SERVER_REPLY;
	}
	if (!name || !pw || !*name || !*pw) {
		rep->status = MHD_HTTP_BAD_REQUEST;
		login_page(req, rep,
			   server_nl_en(req, "Vul uw naam en wachtwoord in.",
					"Fill in your name and password."));
		return SERVER_REPLY;
	}
	st = server_store_get(req->srv);
	ok = st ? server_account_check(st, name, pw, &role, &err) : -1;
	server_store_put(req->srv, st);
	if (ok < 0) {
		fprintf(stderr, "draagvlak serve: %s\n", err.buf);
		rep->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		login_page(req, rep,
			   server_nl_en(req,
					"Er ging iets mis. Probeer het "
					"opnieuw.",
					"Something went wrong. Please try "
					"again."));
	} else if (!ok) {
		server_ratelimit_fail(req->srv->login_limit, req->client);
		rep->status = MHD_HTTP_UNAUTHORIZED;
		login_page(req, rep,
			   server_nl_en(req, "Naam of wachtwoord klopt niet.",
					"Name or password is not right."));
	} else {
		server_session_create(req->srv->sessions, name, role, req->lang,
				      &s);
		session_cookie(req, rep, s.id, false);
		server_redirect(rep, role == SERVER_ROLE_BOARD ? "/bestuur"
							       : "/invoer");
	}
	strbuf_release(&err);
	return SERVER_REPLY;
}

enum server_outcome server_volunteer_logout(struct server_request *req,
					    struct server_reply *rep)
{
	struct server_session s;

	if (!req->post || !server_staff_session(req, &s))
		return server_staff_to_login(rep);
	if (!server_staff_csrf_ok(req, &s))
		return server_staff_csrf_refused(req, rep);
	server_session_end(req->srv->sessions, s.id);
	session_cookie(req, rep, "", true);
	return server_staff_to_login(rep);
}

/* ---- entering a paper form ------------------------------------------------- */

/* Per-request state of an entry. */
struct entry {
	char canon[SURVEY_TOKEN_SIZE];
	struct server_household h;
	struct server_session s;
	struct server_answers answers;
	struct server_record rec;
	const struct survey *survey;
	enum {
		ENTRY_SAVED,
		ENTRY_WAITING,
		ENTRY_MATCHED,
		ENTRY_DIFFERS
	} result;
};

static void code_page(struct server_request *req, struct server_reply *rep,
		      const struct server_session *s, const char *typed,
		      const char *error)
{
	struct strbuf *out = &rep->body;

	strbuf_reset(out);
	server_html_begin(
		req, out,
		server_nl_en(req, "Formulier invoeren", "Enter a form"),
		"/invoer");
	server_staff_bar(req, out, s);
	strbuf_addf(out,
		    "<h1>%s</h1>\n"
		    "<form class=\"card\" method=\"get\" action=\"/invoer\">\n",
		    server_nl_en(req, "Papieren formulier invoeren",
				 "Enter a paper form"));
	if (error) {
		strbuf_addstr(out, "<p class=\"error\" role=\"alert\">");
		strbuf_add_html(out, error);
		strbuf_addstr(out, "</p>\n");
	}
	strbuf_addf(
		out, "<label class=\"field\" for=\"code\">%s</label>\n",
		server_nl_en(req, "Code op het formulier", "Code on the form"));
	strbuf_addstr(out, "<input class=\"code\" "
			   "type=\"text\" id=\"code\" name=\"code\" "
			   "autocomplete=\"off\" spellcheck=\"false\" "
			   "maxlength=\"40\" value=\"");
	if (typed)
		strbuf_add_html(out, typed);
	strbuf_addf(out,
		    "\">\n<div class=\"actions\"><button "
		    "type=\"submit\">%s</button></div>\n</form>\n",
		    server_nl_en(req, "Zoeken", "Look up"));
	server_html_end(req, out);
}

/* What the household already has: its counting response and entries. */
static int describe_household(struct server_request *req, struct strbuf *out,
			      struct entry *e, struct server_current *cur)
{
	const struct survey *s = req->srv->survey;
	struct server_answers a = SERVER_ANSWERS_INIT;
	struct strbuf err = STRBUF_INIT;
	struct survey_store *st = server_store_get(req->srv);
	sqlite3_stmt *stmt = NULL;
	int ret = -1;

	if (!st || server_answers_load(st, s, e->h.id, cur, &a, &err) < 0)
		goto out;
	strbuf_addf(out, "<div class=\"notice\"><p>%s <strong>",
		    server_nl_en(req,
				 "Dit formulier hoort bij een huishouden in",
				 "This form belongs to a household in"));
	strbuf_add_html(out, e->h.buurt ? e->h.buurt->name : "?");
	strbuf_addstr(out, "</strong>.</p></div>\n");
	if (cur->id) {
		bool paper = strcmp(cur->channel, "online");

		strbuf_addf(
			out,
			"<div class=\"notice bad\"><p><strong>%s</strong>: "
			"%s ",
			server_nl_en(req, "Dit huishouden heeft al geantwoord",
				     "This household has already answered"),
			paper ? server_nl_en(req, "op papier op", "on paper on")
			      : server_nl_en(req, "online op", "online on"));
		server_html_date(out, cur->created_at, req->lang);
		if (cur->entered_by[0]) {
			strbuf_addstr(out,
				      server_nl_en(req, ", ingevoerd door ",
						   ", entered by "));
			strbuf_add_html(out, cur->entered_by);
		}
		strbuf_addf(
			out,
			". %s</p></div>\n<details class=\"card\"><summary>"
			"%s</summary>\n",
			s->conflict == SURVEY_CONFLICT_PAPER
				? server_nl_en(
					  req,
					  "Volgens de afspraak van deze "
					  "vragenlijst gaat papier voor "
					  "online.",
					  "As agreed for this survey, paper "
					  "goes before online.")
				: server_nl_en(req,
					       "Volgens de afspraak van deze "
					       "vragenlijst telt het laatste "
					       "antwoord.",
					       "As agreed for this survey, the "
					       "latest answer counts."),
			server_nl_en(req, "Bestaande antwoorden bekijken",
				     "See the answers given"));
		server_html_answers(out, s, &a, req->lang);
		strbuf_addstr(out, "</details>\n");
	}
	stmt = survey_store_prepare(
		st,
		"SELECT entered_by, datetime(created_at, 'localtime'),"
		" state FROM paper_entry"
		" WHERE household_id = ? AND state IN ('waiting', 'differs')",
		&err);
	if (!stmt)
		goto out;
	sqlite3_bind_int64(stmt, 1, e->h.id);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		bool waiting = !strcmp(
			(const char *)sqlite3_column_text(stmt, 2), "waiting");

		strbuf_addstr(out, "<div class=\"notice\"><p>");
		strbuf_addstr(out,
			      waiting ? server_nl_en(req, "Eerste invoer door ",
						     "First entry by ")
				      : server_nl_en(req,
						     "Invoer die verschilt, "
						     "door ",
						     "Differing entry by "));
		strbuf_add_html(out,
				(const char *)sqlite3_column_text(stmt, 0));
		strbuf_addf(
			out, ": %s</p></div>\n",
			waiting ? server_nl_en(req,
					       "wacht op een tweede invoer "
					       "door iemand anders.",
					       "waits for a second entry by "
					       "someone else.")
				: server_nl_en(req, "het bestuur beslist.",
					       "the board decides."));
	}
	ret = 0;
out:
	if (ret < 0)
		fprintf(stderr, "draagvlak serve: %s\n", err.buf);
	sqlite3_finalize(stmt);
	server_store_put(req->srv, st);
	server_answers_release(&a);
	strbuf_release(&err);
	return ret;
}

static void entry_page(struct server_request *req, struct server_reply *rep,
		       struct entry *e, const struct server_answers *values,
		       char **errors, const char *notice)
{
	const struct survey *s = req->srv->survey;
	struct strbuf *out = &rep->body;
	struct server_current cur;

	strbuf_reset(out);
	server_html_begin(
		req, out,
		server_nl_en(req, "Formulier invoeren", "Enter a form"),
		req->path);
	server_staff_bar(req, out, &e->s);
	strbuf_addf(out,
		    "<h1>%s <span class=\"code\">%.4s-%.4s-%.4s</span>"
		    "</h1>\n",
		    server_nl_en(req, "Formulier", "Form"), e->canon,
		    e->canon + 4, e->canon + 8);
	server_html_notice(out, notice);
	if (describe_household(req, out, e, &cur) < 0) {
		rep->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		server_html_message(req, rep, NULL,
				    server_nl_en(req, "Er ging iets mis.",
						 "Something went wrong."));
		return;
	}
	if (errors)
		server_html_error_summary(out, s, errors, req->lang);
	strbuf_addf(out,
		    "<h2>%s</h2>\n"
		    "<form method=\"post\" action=\"/invoer/%s\">\n"
		    "<input type=\"hidden\" name=\"seen\" value=\"%lld\">\n",
		    server_nl_en(req, "Wat is er op papier aangekruist?",
				 "What is ticked on paper?"),
		    e->canon, cur.id);
	server_staff_csrf_field(out, &e->s);
	for (size_t i = 0; i < s->nr_questions; i++)
		server_html_question(out, &s->questions[i], i + 1, values,
				     errors ? errors[i] : NULL, true,
				     req->lang);
	if (cur.id)
		strbuf_addf(out,
			    "<label class=\"opt\"><input type=\"checkbox\""
			    " name=\"replace\" value=\"1\"> <span>%s</span>"
			    "</label>\n",
			    server_nl_en(req,
					 "Ik heb het bestaande antwoord "
					 "gezien; dit papieren formulier "
					 "vervangt het.",
					 "I have seen the answer given; this "
					 "paper form replaces it."));
	strbuf_addf(out,
		    "<div class=\"actions\"><button type=\"submit\">%s"
		    "</button></div>\n</form>\n",
		    server_nl_en(req, "Opslaan", "Save"));
	server_html_end(req, out);
}

/* Look up the household of the code in the path; 0 or -1 after a page. */
static int find_household(struct server_request *req, struct server_reply *rep,
			  const char *typed, struct entry *e)
{
	struct survey_store *st;
	enum survey_token_status ts;
	int rc;

	ts = survey_token_parse(typed, e->canon);
	if (ts != SURVEY_TOKEN_OK) {
		if (ts == SURVEY_TOKEN_BAD_CHECK)
			server_note_rejected_code(req, "paper", "typo");
		rep->status = MHD_HTTP_BAD_REQUEST;
		code_page(req, rep, &e->s, typed,
			  survey_token_status_message(ts, req->lang));
		return -1;
	}
	st = server_store_get(req->srv);
	rc = server_codes_find(req->srv->codes, st, e->canon, &e->h);
	server_store_put(req->srv, st);
	if (rc == 0)
		server_note_rejected_code(req, "paper", "unknown");
	if (rc != 1) {
		rep->status = rc < 0 ? MHD_HTTP_INTERNAL_SERVER_ERROR
				     : MHD_HTTP_NOT_FOUND;
		code_page(req, rep, &e->s, typed,
			  server_nl_en(req,
				       "Bij deze code hoort geen huishouden. "
				       "Kijk de code nog eens na.",
				       "No household has this code. Please "
				       "check it."));
		return -1;
	}
	return 0;
}

static int load_answers(struct survey_store *st, const struct survey *s,
			long long entry, struct server_answers *a,
			struct strbuf *err)
{
	sqlite3_stmt *stmt = survey_store_prepare(
		st,
		"SELECT question_id, value FROM paper_entry_answer"
		" WHERE entry_id = ?",
		err);

	if (!stmt)
		return -1;
	sqlite3_bind_int64(stmt, 1, entry);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const struct survey_question *q = survey_find_question(
			s, (const char *)sqlite3_column_text(stmt, 0));

		if (q)
			server_answers_add(
				a, q,
				(const char *)sqlite3_column_text(stmt, 1));
	}
	sqlite3_finalize(stmt);
	return 0;
}

static int sql_step(struct survey_store *st, sqlite3_stmt *stmt,
		    struct strbuf *err)
{
	int rc = stmt ? sqlite3_step(stmt) : SQLITE_ERROR;

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		survey_store_error(st, err);
		return -1;
	}
	return 0;
}

/* Store one paper entry with its answers in the given state. */
static long long add_entry(struct survey_store *st, struct entry *e,
			   const char *state, long long response,
			   struct strbuf *err)
{
	sqlite3_stmt *ins = survey_store_prepare(
		st,
		"INSERT INTO paper_entry(household_id, entered_by, state,"
		" response_id) VALUES (?, ?, ?, ?)",
		err);
	sqlite3_stmt *ans = survey_store_prepare(
		st,
		"INSERT INTO paper_entry_answer(entry_id, question_id, value)"
		" VALUES (?, ?, ?)",
		err);
	long long id = -1;

	if (!ins || !ans)
		goto out;
	sqlite3_bind_int64(ins, 1, e->h.id);
	sqlite3_bind_text(ins, 2, e->s.user, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 3, state, -1, SQLITE_STATIC);
	if (response)
		sqlite3_bind_int64(ins, 4, response);
	if (sql_step(st, ins, err) < 0)
		goto out;
	id = sqlite3_last_insert_rowid(st->db);
	for (size_t i = 0; i < e->answers.nr; i++) {
		sqlite3_reset(ans);
		sqlite3_bind_int64(ans, 1, id);
		sqlite3_bind_text(ans, 2, e->answers.a[i].q->id, -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(ans, 3, e->answers.a[i].value, -1,
				  SQLITE_STATIC);
		if (sql_step(st, ans, err) < 0) {
			id = -1;
			goto out;
		}
	}
out:
	sqlite3_finalize(ins);
	sqlite3_finalize(ans);
	return id;
}

/* In the writer: a single entry counts at once. */
static int run_single(struct survey_store *st, void *arg, struct strbuf *err)
{
	struct entry *e = arg;

	e->result = ENTRY_SAVED;
	return server_answers_record(st, &e->rec, err);
}

/* Mark entry id with state (and the response it led to). */
static int set_state(struct survey_store *st, long long id, const char *state,
		     long long response, struct strbuf *err)
{
	sqlite3_stmt *upd =
		survey_store_prepare(st,
				     "UPDATE paper_entry SET state = ?, "
				     "response_id = ? WHERE id = ?",
				     err);
	int ret;

	if (!upd)
		return -1;
	sqlite3_bind_text(upd, 1, state, -1, SQLITE_STATIC);
	if (response)
		sqlite3_bind_int64(upd, 2, response);
	sqlite3_bind_int64(upd, 3, id);
	ret = sql_step(st, upd, err);
	sqlite3_finalize(upd);
	return ret;
}

/*
 * In the writer, with double entry: the first entry waits for a second
 * volunteer; when the second agrees the form counts, and when it does not
 * both wait for the board.
 */
static int run_double(struct survey_store *st, void *arg, struct strbuf *err)
{
	struct entry *e = arg;
	struct server_answers other = SERVER_ANSWERS_INIT;
	struct strbuf both = STRBUF_INIT;
	sqlite3_stmt *sel = NULL;
	long long other_id = 0;
	int ret = -1;

	sel = survey_store_prepare(
		st,
		"SELECT id, entered_by FROM paper_entry WHERE household_id = ?"
		" AND state = 'waiting' ORDER BY id",
		err);
	if (!sel)
		goto out;
	sqlite3_bind_int64(sel, 1, e->h.id);
	while (sqlite3_step(sel) == SQLITE_ROW) {
		const char *by = (const char *)sqlite3_column_text(sel, 1);

		if (!strcmp(by, e->s.user)) {
			strbuf_addstr(err,
				      e->s.lang == SURVEY_EN
					      ? "You have entered this form "
						"already; the second entry "
						"must be by another volunteer."
					      : "U heeft dit formulier al "
						"ingevoerd; de tweede invoer "
						"moet door een andere "
						"vrijwilliger.");
			goto out;
		}
		if (!other_id) {
			other_id = sqlite3_column_int64(sel, 0);
			strbuf_addf(&both, "%s, %s", by, e->s.user);
		}
	}
	if (!other_id) {
		e->result = ENTRY_WAITING;
		ret = add_entry(st, e, "waiting", 0, err) < 0 ? -1 : 0;
		goto out;
	}
	if (load_answers(st, e->survey, other_id, &other, err) < 0)
		goto out;
	if (!server_answers_equal(&other, &e->answers)) {
		e->result = ENTRY_DIFFERS;
		ret = add_entry(st, e, "differs", 0, err) < 0 ||
				      set_state(st, other_id, "differs", 0,
						err) < 0
			      ? -1
			      : 0;
		goto out;
	}
	e->result = ENTRY_MATCHED;
	e->rec.entered_by = both.buf;
	ret = server_answers_record(st, &e->rec, err);
	if (ret < 0)
		goto out;
	if (add_entry(st, e, "matched", e->rec.response_id, err) < 0 ||
	    set_state(st, other_id, "matched", e->rec.response_id, err) < 0)
		ret = -1;
out:
	e->rec.entered_by = e->s.user;
	sqlite3_finalize(sel);
	server_answers_release(&other);
	strbuf_release(&both);
	return ret;
}

static void save_entry(struct server_request *req, struct server_reply *rep,
		       struct entry *e)
{
	const struct survey *s = req->srv->survey;
	struct strbuf err = STRBUF_INIT, target = STRBUF_INIT;
	const char *seen = server_field(req, "seen");
	char **errors = xcalloc(s->nr_questions, sizeof(*errors));
	size_t nerr;
	int rc;

	nerr = server_answers_from_form(req, s, true, req->lang, &e->answers,
					errors);
	if (nerr) {
		rep->status = MHD_HTTP_UNPROCESSABLE_CONTENT;
		entry_page(req, rep, e, &e->answers, errors, NULL);
		goto out;
	}
	e->survey = s;
	e->rec.household = e->h.id;
	e->rec.channel = "paper";
	e->rec.entered_by = e->s.user;
	e->rec.lang = "nl";
	e->rec.answers = &e->answers;
	e->rec.conflict = s->conflict;
	e->rec.expect_current = seen ? strtoll(seen, NULL, 10) : 0;
	/* Nothing is replaced unless the volunteer said so, having seen it. */
	if (e->rec.expect_current && !server_field(req, "replace")) {
		rep->status = MHD_HTTP_CONFLICT;
		entry_page(req, rep, e, &e->answers, errors,
			   server_nl_en(req,
					"Dit huishouden heeft al geantwoord. "
					"Kijk de bestaande antwoorden na en "
					"vink onderaan aan dat dit formulier "
					"ze vervangt, of laat het zo.",
					"This household has already answered. "
					"Check the answers given and tick at "
					"the bottom that this form replaces "
					"them, or leave it."));
		goto out;
	}
	rc = server_writer_run(req->srv->writer,
			       s->double_entry ? run_double : run_single, e,
			       &err);
	if (rc < 0) {
		rep->status = MHD_HTTP_CONFLICT;
		entry_page(
			req, rep, e, &e->answers, errors,
			rc == SERVER_ANSWERS_CHANGED
				? server_nl_en(req,
					       "Intussen is er een ander "
					       "antwoord voor dit huishouden "
					       "opgeslagen. Kijk het na en "
					       "sla opnieuw op.",
					       "Meanwhile another answer was "
					       "saved for this household. "
					       "Check it and save again.")
				: err.buf);
		goto out;
	}
	strbuf_addf(&target, "/invoer/%s?klaar=%d", e->canon, (int)e->result);
	server_redirect(rep, target.buf);
out:
	server_errors_free(errors, s->nr_questions);
	free(errors);
	strbuf_release(&err);
	strbuf_release(&target);
}

static void free_entry(void *data)
{
	struct entry *e = data;

	server_answers_release(&e->answers);
	free(e);
}

enum server_outcome server_volunteer_entry(struct server_request *req,
					   struct server_reply *rep)
{
	static const char *const done[][SURVEY_NLANG] = {
		{ "Opgeslagen: dit formulier telt nu.",
		  "Saved: this form counts now." },
		{ "Opgeslagen als eerste invoer. Het telt zodra een andere "
		  "vrijwilliger het formulier hetzelfde heeft ingevoerd.",
		  "Saved as the first entry. It counts once another "
		  "volunteer has entered the form the same way." },
		{ "Beide invoeren zijn gelijk: dit formulier telt nu.",
		  "Both entries are the same: this form counts now." },
		{ "Deze invoer verschilt van de eerste. Het bestuur bekijkt "
		  "het formulier en beslist.",
		  "This entry differs from the first. The board looks at the "
		  "form and decides." },
	};
	struct entry *e = xcalloc(1, sizeof(*e));
	const char *rest = req->path + strlen("/invoer");
	const char *klaar = server_query(req, "klaar");

	req->data = e;
	req->free_data = free_entry;
	if (!server_staff_session(req, &e->s))
		return server_staff_to_login(rep);
	if (!*rest || !strcmp(rest, "/")) {
		const char *code = server_query(req, "code");
		struct strbuf target = STRBUF_INIT;

		if (!code) {
			code_page(req, rep, &e->s, NULL, NULL);
			return SERVER_REPLY;
		}
		if (find_household(req, rep, code, e) < 0)
			return SERVER_REPLY;
		strbuf_addf(&target, "/invoer/%s", e->canon);
		server_redirect(rep, target.buf);
		strbuf_release(&target);
		return SERVER_REPLY;
	}
	if (find_household(req, rep, rest + 1, e) < 0)
		return SERVER_REPLY;
	if (!req->post) {
		long k = klaar ? strtol(klaar, NULL, 10) : -1;

		entry_page(req, rep, e, NULL, NULL,
			   k >= 0 && k < 4 ? done[k][req->lang] : NULL);
		return SERVER_REPLY;
	}
	if (!server_staff_csrf_ok(req, &e->s))
		return server_staff_csrf_refused(req, rep);
	save_entry(req, rep, e);
	return SERVER_REPLY;
}

/* ---- the board: settling double entries that differ ------------------------- */

struct settle {
	long long entry;
	const char *board_user;
	const struct survey *s;
	enum survey_lang lang; /* of the reason, should it fail */
};

/* In the writer: the chosen entry counts; the others are settled. */
static int run_settle(struct survey_store *st, void *arg, struct strbuf *err)
{
	struct settle *k = arg;
	struct server_answers a = SERVER_ANSWERS_INIT;
	struct strbuf by = STRBUF_INIT;
	struct server_record rec;
	sqlite3_stmt *sel = survey_store_prepare(
		st,
		"SELECT household_id, entered_by FROM paper_entry"
		" WHERE id = ? AND state = 'differs'",
		err);
	sqlite3_stmt *upd = NULL;
	int ret = -1;

	if (!sel)
		return -1;
	sqlite3_bind_int64(sel, 1, k->entry);
	if (sqlite3_step(sel) != SQLITE_ROW) {
		strbuf_addstr(err, k->lang == SURVEY_EN
					   ? "This entry has been dealt with "
					     "already."
					   : "Deze invoer is al afgehandeld.");
		goto out;
	}
	memset(&rec, 0, sizeof(rec));
	rec.household = sqlite3_column_int64(sel, 0);
	strbuf_addf(&by, "%s (bestuur: %s)",
		    (const char *)sqlite3_column_text(sel, 1), k->board_user);
	if (load_answers(st, k->s, k->entry, &a, err) < 0)
		goto out;
	rec.channel = "paper";
	rec.entered_by = by.buf;
	rec.lang = "nl";
	rec.answers = &a;
	rec.conflict = k->s->conflict;
	rec.expect_current = -1;
	if (server_answers_record(st, &rec, err) < 0)
		goto out;
	upd = survey_store_prepare(
		st,
		"UPDATE paper_entry SET state = 'settled', response_id ="
		" CASE WHEN id = ? THEN ? END"
		" WHERE household_id = ? AND state = 'differs'",
		err);
	if (!upd)
		goto out;
	sqlite3_bind_int64(upd, 1, k->entry);
	sqlite3_bind_int64(upd, 2, rec.response_id);
	sqlite3_bind_int64(upd, 3, rec.household);
	ret = sql_step(st, upd, err);
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	server_answers_release(&a);
	strbuf_release(&by);
	return ret;
}

static void board_page(struct server_request *req, struct server_reply *rep,
		       const struct server_session *sess, const char *notice)
{
	const struct survey *s = req->srv->survey;
	struct strbuf *out = &rep->body, err = STRBUF_INIT;
	struct survey_store *st = server_store_get(req->srv);
	sqlite3_stmt *stmt = NULL;
	long long last_household = -1;
	int n = 0;

	strbuf_reset(out);
	server_html_begin(req, out,
			  server_nl_en(req, "Verschillen", "Differences"),
			  "/bestuur/verschillen");
	server_staff_bar(req, out, sess);
	strbuf_addf(out, "<h1>%s</h1>\n",
		    server_nl_en(req, "Dubbele invoer die verschilt",
				 "Double entries that differ"));
	server_html_notice(out, notice);
	stmt = st ? survey_store_prepare(
			    st,
			    "SELECT e.id, e.household_id, e.entered_by,"
			    " datetime(e.created_at, 'localtime'), t.code, "
			    "h.buurt_id"
			    " FROM paper_entry e JOIN token t"
			    " ON t.household_id = e.household_id"
			    " JOIN household h ON h.id = e.household_id"
			    " WHERE e.state = 'differs'"
			    " ORDER BY e.household_id, e.id",
			    &err)
		  : NULL;
	while (stmt && sqlite3_step(stmt) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(stmt, 0);
		long long hh = sqlite3_column_int64(stmt, 1);
		const struct survey_buurt *b = survey_find_buurt(
			s, (const char *)sqlite3_column_text(stmt, 5));
		struct server_answers a = SERVER_ANSWERS_INIT;

		if (hh != last_household) {
			char pretty[SURVEY_TOKEN_PRETTY];

			survey_token_pretty(
				(const char *)sqlite3_column_text(stmt, 4),
				pretty);
			strbuf_addf(
				out, "<h2>%s <span class=\"code\">%s</span>",
				server_nl_en(req, "Formulier", "Form"), pretty);
			if (b) {
				strbuf_addstr(out, " (");
				strbuf_add_html(out, b->name);
				strbuf_addch(out, ')');
			}
			strbuf_addstr(out, "</h2>\n");
			last_household = hh;
		}
		n++;
		load_answers(st, s, id, &a, &err);
		strbuf_addstr(out, "<form class=\"card\" method=\"post\" "
				   "action=\"/bestuur/verschillen/");
		strbuf_addf(out, "%lld\">\n<p>%s <strong>", id,
			    server_nl_en(req, "Ingevoerd door", "Entered by"));
		strbuf_add_html(out,
				(const char *)sqlite3_column_text(stmt, 2));
		strbuf_addstr(out, "</strong></p>\n");
		server_html_answers(out, s, &a, req->lang);
		server_staff_csrf_field(out, sess);
		strbuf_addf(out,
			    "<div class=\"actions\"><button type=\"submit\">"
			    "%s</button></div>\n</form>\n",
			    server_nl_en(req,
					 "Deze invoer klopt met het formulier",
					 "This entry matches the form"));
		server_answers_release(&a);
	}
	if (!n)
		strbuf_addf(
			out, "<p>%s</p>\n",
			server_nl_en(req,
				     "Er zijn geen verschillen om te "
				     "beslissen.",
				     "There are no differences to decide."));
	if (err.len)
		fprintf(stderr, "draagvlak serve: %s\n", err.buf);
	sqlite3_finalize(stmt);
	server_store_put(req->srv, st);
	strbuf_release(&err);
	server_html_end(req, out);
}

enum server_outcome server_volunteer_differences(struct server_request *req,
						 struct server_reply *rep)
{
	struct server_session sess;
	struct settle k;
	struct strbuf err = STRBUF_INIT;
	const char *rest = req->path + strlen("/bestuur/verschillen");

	if (!server_staff_session(req, &sess))
		return server_staff_to_login(rep);
	if (sess.role != SERVER_ROLE_BOARD)
		return server_staff_board_only(req, rep);
	if (!req->post) {
		board_page(req, rep, &sess,
			   server_query(req, "klaar")
				   ? server_nl_en(req,
						  "Beslist: de gekozen invoer "
						  "telt nu.",
						  "Decided: the chosen entry "
						  "counts now.")
				   : NULL);
		return SERVER_REPLY;
	}
	if (!server_staff_csrf_ok(req, &sess))
		return server_staff_csrf_refused(req, rep);
	k.entry = *rest == '/' ? strtoll(rest + 1, NULL, 10) : 0;
	k.board_user = sess.user;
	k.lang = req->lang;
	k.s = req->srv->survey;
	if (server_writer_run(req->srv->writer, run_settle, &k, &err) < 0) {
		rep->status = MHD_HTTP_CONFLICT;
		board_page(req, rep, &sess, err.buf);
	} else {
		server_redirect(rep, "/bestuur/verschillen?klaar=1");
	}
	strbuf_release(&err);
	return SERVER_REPLY;
}
