/*
 * volunteer.c - log-in, paper entry and double entry (see volunteer.h).
 *
 * Volunteers are few and their pages rare, so these handlers simply wait
 * for the writer (store_writer_run()) instead of suspending: a polling
 * thread is held up for one commit at most.  The pages are in Dutch: the
 * volunteers are the platform's own people.
 */
#include "volunteer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "accounts.h"
#include "audit.h"
#include "fields.h"
#include "hasher.h"
#include "households.h"
#include "paper.h"
#include "responses.h"
#include "codes.h"
#include "html.h"
#include "msg.h"
#include "ratelimit.h"
#include "sessions.h"
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

/*
 * A log-in whose address or name has failed too often waits this long
 * before its password is checked: a guesser is slowed, the right password
 * still gets in.
 */
#define LOGIN_SLOW_MS 2000

/* A log-in on its way through the hasher (hasher.h). */
struct login {
	struct server_hash_job job;
	char name[64];
	char *pw;
	enum store_role role;
	struct strbuf err;
};

static void free_login(void *data)
{
	struct login *l = data;

	if (!l)
		return;
	if (l->pw) {
		sodium_memzero(l->pw, strlen(l->pw));
		free(l->pw);
	}
	strbuf_release(&l->err);
	free(l);
}

/* On a hasher thread. */
static int run_check(struct store *st, struct server_hash_job *job)
{
	struct login *l = (struct login *)job;

	return store_account_check(st, l->name, l->pw, &l->role, &l->err);
}

static enum server_outcome login_busy(struct server_request *req,
				      struct server_reply *rep)
{
	rep->status = MHD_HTTP_SERVICE_UNAVAILABLE;
	login_page(req, rep,
		   server_nl_en(req,
				"Het is even te druk. Probeer het over een "
				"minuut opnieuw.",
				"It is too busy just now. Please try again "
				"in a minute."));
	return SERVER_REPLY;
}

/* Once the hasher has checked the password. */
static enum server_outcome login_checked(struct server_request *req,
					 struct server_reply *rep)
{
	struct login *l = req->data;
	struct server_session s;

	if (l->job.rc == STORE_ERROR) {
		if (!l->err.len)
			return login_busy(req, rep);
		server_log_error(req, &l->err);
		rep->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		login_page(req, rep,
			   server_nl_en(req,
					"Er ging iets mis. Probeer het "
					"opnieuw.",
					"Something went wrong. Please try "
					"again."));
	} else if (l->job.rc != STORE_OK) {
		server_ratelimit_fail(req->srv->login_limit, req->client);
		server_ratelimit_fail(req->srv->login_names, l->name);
		rep->status = MHD_HTTP_UNAUTHORIZED;
		login_page(req, rep,
			   server_nl_en(req, "Naam of wachtwoord klopt niet.",
					"Name or password is not right."));
	} else if (!server_session_create(req->srv->sessions, l->name, l->role,
					  req->lang, &s)) {
		rep->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		login_page(req, rep,
			   server_nl_en(req,
					"Er ging iets mis. Probeer het "
					"opnieuw.",
					"Something went wrong. Please try "
					"again."));
	} else {
		session_cookie(req, rep, s.id, false);
		server_redirect(rep, l->role == STORE_ROLE_BOARD ? "/bestuur"
								 : "/invoer");
	}
	return SERVER_REPLY;
}

/* Into the hasher's queue, or told at once that it is full. */
static enum server_outcome login_queue(struct server_request *req,
				       struct server_reply *rep)
{
	struct login *l = req->data;

	if (server_hasher_submit(req->srv->hasher, &l->job, login_checked) ==
	    SERVER_SUSPENDED)
		return SERVER_SUSPENDED;
	return login_busy(req, rep);
}

enum server_outcome server_volunteer_login(struct server_request *req,
					   struct server_reply *rep)
{
	const char *name = server_field(req, "name");
	const char *pw = server_field(req, "password");
	struct server_session s;
	struct login *l;

	if (!req->post) {
		if (server_staff_session(req, &s))
			return server_redirect(rep, s.role == STORE_ROLE_BOARD
							    ? "/bestuur"
							    : "/invoer");
		login_page(req, rep, NULL);
		return SERVER_REPLY;
	}
	if (!name || !pw || !*name || !*pw || strlen(name) >= 64) {
		rep->status = MHD_HTTP_BAD_REQUEST;
		login_page(req, rep,
			   server_nl_en(req, "Vul uw naam en wachtwoord in.",
					"Fill in your name and password."));
		return SERVER_REPLY;
	}
	l = xcalloc(1, sizeof(*l));
	snprintf(l->name, sizeof(l->name), "%s", name);
	l->pw = xstrdup(pw);
	strbuf_init(&l->err, 0);
	l->job.run = run_check;
	l->job.req = req;
	req->data = l;
	req->free_data = free_login;
	/*
	 * Too many failures from this address, or for this name: slowed,
	 * never refused, so that an attacker can make nobody's right
	 * password fail (the delay waits on the timer, not on a thread).
	 */
	if (!server_ratelimit_allowed(req->srv->login_limit, req->client) ||
	    !server_ratelimit_allowed(req->srv->login_names, l->name))
		return server_request_delay(req, LOGIN_SLOW_MS, login_queue);
	return login_queue(req, rep);
}

enum server_outcome server_volunteer_logout(struct server_request *req,
					    struct server_reply *rep)
{
	server_session_end(req->srv->sessions, req->session.id);
	session_cookie(req, rep, "", true);
	return server_staff_to_login(rep);
}

/* ---- entering a paper form ------------------------------------------------- */

/* Per-request state of an entry. */
struct entry {
	char canon[SURVEY_TOKEN_SIZE];
	struct server_household h;
	struct server_session s;
	struct survey_answers answers;
	struct store_paper paper;
	const struct survey *survey;
};

/* At most this many look-alike codes are offered for a typo. */
#define SUGGEST_MAX 4

/*
 * The page that asks for a form's code, with the cursor in its field:
 * after a save (notice: what the save did), after a refused code (error,
 * and the codes of households it may have been misread from), or fresh.
 */
static void code_page(struct server_request *req, struct server_reply *rep,
		      const struct server_session *s, const char *typed,
		      const char *notice, const char *error,
		      char (*suggest)[SURVEY_TOKEN_SIZE], size_t nr_suggest)
{
	struct strbuf *out = &rep->body;

	strbuf_reset(out);
	server_html_begin(
		req, out,
		server_nl_en(req, "Formulier invoeren", "Enter a form"),
		"/invoer");
	server_staff_bar(req, out, s);
	strbuf_addf(out, "<h1>%s</h1>\n",
		    server_nl_en(req, "Papieren formulier invoeren",
				 "Enter a paper form"));
	server_html_notice(out, notice);
	strbuf_addstr(out, "<form class=\"card\" method=\"get\" "
			   "action=\"/invoer\">\n");
	if (error) {
		strbuf_addstr(out, "<div class=\"notice bad\" role=\"alert\">"
				   "<p class=\"error\" id=\"code-err\">");
		strbuf_add_html(out, error);
		strbuf_addstr(out, "</p>\n");
		if (nr_suggest) {
			strbuf_addf(out, "<p>%s</p>\n<ul class=\"suggest\">\n",
				    msg_get(req->lang, MSG_ENTRY_DID_YOU_MEAN));
			for (size_t i = 0; i < nr_suggest; i++) {
				char pretty[SURVEY_TOKEN_PRETTY];

				survey_token_pretty(suggest[i], pretty);
				strbuf_addf(out,
					    "<li><a class=\"code\" "
					    "href=\"/invoer?code=%s\">%s</a>"
					    "</li>\n",
					    suggest[i], pretty);
			}
			strbuf_addstr(out, "</ul>\n");
		}
		strbuf_addstr(out, "</div>\n");
	}
	strbuf_addf(out, "<label class=\"field\" for=\"code\">%s</label>\n",
		    notice ? msg_get(req->lang, MSG_ENTRY_NEXT_CODE)
			   : server_nl_en(req, "Code op het formulier",
					  "Code on the form"));
	/* The cursor waits in the field: the next form is typed at once. */
	strbuf_addf(out,
		    "<input class=\"code\" "
		    "type=\"text\" id=\"code\" name=\"code\" "
		    "autocomplete=\"off\" spellcheck=\"false\" "
		    "autocapitalize=\"characters\" autofocus "
		    "maxlength=\"40\"%s value=\"",
		    error ? " aria-describedby=\"code-err\"" : "");
	if (typed)
		strbuf_add_html(out, typed);
	strbuf_addf(out,
		    "\">\n<div class=\"actions\"><button "
		    "type=\"submit\">%s</button></div>\n</form>\n",
		    server_nl_en(req, "Zoeken", "Look up"));
	server_html_end(req, out);
}

/* One entry that waits or differs, as a notice. */
static int describe_pending(const struct store_paper_pending *p, void *data)
{
	struct server_request *req = ((void **)data)[0];
	struct strbuf *out = ((void **)data)[1];

	strbuf_addstr(out, "<div class=\"notice\"><p>");
	strbuf_addstr(out,
		      p->waiting
			      ? server_nl_en(req, "Eerste invoer door ",
					     "First entry by ")
			      : server_nl_en(req, "Invoer die verschilt, door ",
					     "Differing entry by "));
	strbuf_add_html(out, p->entered_by);
	strbuf_addf(out, ": %s</p></div>\n",
		    p->waiting ? server_nl_en(req,
					      "wacht op een tweede invoer "
					      "door iemand anders.",
					      "waits for a second entry by "
					      "someone else.")
			       : server_nl_en(req, "het bestuur beslist.",
					      "the board decides."));
	return 0;
}

static int run_view(struct store *st, void *arg, struct strbuf *err)
{
	struct entry *e = arg;

	return store_answer_view_note(st, e->s.user, e->h.id,
				      "paper entry beside an online answer",
				      err);
}

/*
 * A household's online answers are its own: a volunteer learns only that
 * they exist and when; a board member, who decides between paper and
 * online, may see them, and that is recorded (answer_view) before the
 * page shows them.
 */
static int note_view(struct server_request *req, struct entry *e)
{
	struct strbuf err = STRBUF_INIT;
	int rc = store_writer_run(req->sv->writer, run_view, e, &err);

	if (rc != STORE_OK)
		server_log_error(req, &err);
	strbuf_release(&err);
	return rc;
}

/* What the household already has: its counting response and entries. */
static int describe_household(struct server_request *req, struct strbuf *out,
			      struct entry *e, struct store_current *cur)
{
	const struct survey *s = req->sv->survey;
	struct survey_answers a = SURVEY_ANSWERS_INIT;
	struct strbuf err = STRBUF_INIT;
	struct store *st = server_store_get(req->sv);
	void *pass[2] = { req, out };
	int ret = STORE_ERROR;

	if (!st || store_response_current(st, s, e->h.id, cur, &a, &err) < 0)
		goto out;
	strbuf_addf(out, "<div class=\"notice\"><p>%s <strong>",
		    server_nl_en(req,
				 "Dit formulier hoort bij een huishouden in",
				 "This form belongs to a household in"));
	strbuf_add_html(out, e->h.buurt ? e->h.buurt->name : "?");
	strbuf_addstr(out, "</strong>.</p></div>\n");
	if (cur->id) {
		bool paper = strcmp(cur->channel, STORE_CHANNEL_ONLINE);

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
		if (paper || e->s.role == STORE_ROLE_BOARD) {
			/* A board member's look is on the record first. */
			if (!paper && note_view(req, e) != STORE_OK) {
				strbuf_addstr(&err, "cannot note a look");
				goto out;
			}
			server_html_answers(out, s, &a, req->lang);
		} else {
			strbuf_addf(out, "<p>%s</p>\n",
				    msg_get(req->lang,
					    MSG_SEC_ONLINE_ANSWER_HIDDEN));
		}
		strbuf_addstr(out, "</details>\n");
	}
	ret = store_paper_each_pending(st, s, e->h.id, false, describe_pending,
				       pass, &err);
out:
	if (ret != STORE_OK)
		server_log_error(req, &err);
	server_store_put(req->sv, st);
	survey_answers_release(&a);
	strbuf_release(&err);
	return ret;
}

/* The entry form; error: why a save was refused (NULL: none). */
static void entry_page(struct server_request *req, struct server_reply *rep,
		       struct entry *e, const struct survey_answers *values,
		       char **errors, const char *error)
{
	const struct survey *s = req->sv->survey;
	struct strbuf *out = &rep->body;
	struct store_current cur;

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
	if (error) {
		strbuf_addstr(out, "<div class=\"notice bad\" role=\"alert\">"
				   "<p class=\"error\">");
		strbuf_add_html(out, error);
		strbuf_addstr(out, "</p></div>\n");
	}
	if (describe_household(req, out, e, &cur) != STORE_OK) {
		server_html_store_failed(req, rep);
		return;
	}
	if (errors)
		server_html_error_summary(out, s, errors, true, req->lang);
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
	struct store *st;
	enum survey_token_status ts;
	int rc;

	ts = survey_token_parse(typed, e->canon);
	if (ts != SURVEY_TOKEN_OK) {
		char cand[SUGGEST_MAX][SURVEY_TOKEN_SIZE];
		size_t n = 0;

		if (ts == SURVEY_TOKEN_BAD_CHECK) {
			size_t nr =
				survey_token_suggest(typed, cand, SUGGEST_MAX);
			struct server_household other;

			server_note_rejected_code(req, STORE_CHANNEL_PAPER,
						  STORE_REJECTED_TYPO);
			/* Offer only codes a household has. */
			st = server_store_get(req->sv);
			for (size_t i = 0; i < nr; i++)
				if (server_codes_find(req->sv->codes, st,
						      cand[i], &other) == 1)
					memmove(cand[n++], cand[i],
						sizeof(cand[i]));
			server_store_put(req->sv, st);
		}
		rep->status = MHD_HTTP_BAD_REQUEST;
		/* The volunteer holds the form: no "your form" wording. */
		code_page(req, rep, &e->s, typed, NULL,
			  ts == SURVEY_TOKEN_BAD_CHECK
				  ? msg_get(req->lang, MSG_ENTRY_CODE_TYPO)
				  : survey_token_status_message(ts, req->lang),
			  cand, n);
		return -1;
	}
	st = server_store_get(req->sv);
	rc = server_codes_find(req->sv->codes, st, e->canon, &e->h);
	server_store_put(req->sv, st);
	if (rc == 0)
		server_note_rejected_code(req, STORE_CHANNEL_PAPER,
					  STORE_REJECTED_UNKNOWN);
	if (rc != 1) {
		rep->status = rc < 0 ? MHD_HTTP_INTERNAL_SERVER_ERROR
				     : MHD_HTTP_NOT_FOUND;
		code_page(req, rep, &e->s, typed, NULL,
			  server_nl_en(req,
				       "Bij deze code hoort geen huishouden. "
				       "Kijk de code nog eens na.",
				       "No household has this code. Please "
				       "check it."),
			  NULL, 0);
		return -1;
	}
	return 0;
}

/* In the writer: the entry, double or single as the survey says. */
static int run_enter(struct store *st, void *arg, struct strbuf *err)
{
	struct entry *e = arg;

	return store_paper_enter(st, e->survey, &e->paper, err);
}

static void save_entry(struct server_request *req, struct server_reply *rep,
		       struct entry *e)
{
	const struct survey *s = req->sv->survey;
	struct strbuf err = STRBUF_INIT, target = STRBUF_INIT;
	const char *seen = server_field(req, "seen");
	char **errors = xcalloc(s->nr_questions, sizeof(*errors));
	size_t nerr;
	int rc;

	nerr = server_fields_answers(req, s, true, req->lang, &e->answers,
				     errors);
	if (nerr) {
		rep->status = MHD_HTTP_UNPROCESSABLE_CONTENT;
		entry_page(req, rep, e, &e->answers, errors, NULL);
		goto out;
	}
	e->survey = s;
	e->paper.household = e->h.id;
	e->paper.volunteer = e->s.user;
	e->paper.answers = &e->answers;
	e->paper.expect_current = seen ? strtoll(seen, NULL, 10) : 0;
	/* Nothing is replaced unless the volunteer said so, having seen it. */
	if (e->paper.expect_current && !server_field(req, "replace")) {
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
	rc = store_writer_run(req->sv->writer, run_enter, e, &err);
	if (rc == STORE_CHANGED || rc == STORE_SAME_VOLUNTEER) {
		rep->status = MHD_HTTP_CONFLICT;
		entry_page(
			req, rep, e, &e->answers, errors,
			rc == STORE_CHANGED
				? server_nl_en(req,
					       "Intussen is er een ander "
					       "antwoord voor dit huishouden "
					       "opgeslagen. Kijk het na en "
					       "sla opnieuw op.",
					       "Meanwhile another answer was "
					       "saved for this household. "
					       "Check it and save again.")
				: server_nl_en(req,
					       "U heeft dit formulier al "
					       "ingevoerd; de tweede invoer "
					       "moet door een andere "
					       "vrijwilliger.",
					       "You have entered this form "
					       "already; the second entry "
					       "must be by another "
					       "volunteer."));
		goto out;
	}
	if (rc != STORE_OK) {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
		goto out;
	}
	/* Saved: straight on to the next form's code. */
	strbuf_addf(&target, "/invoer?klaar=%d", (int)e->paper.result);
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

	survey_answers_release(&e->answers);
	free(e);
}

/* A new entry for req, freed with the request. */
static struct entry *new_entry(struct server_request *req)
{
	struct entry *e = xcalloc(1, sizeof(*e));

	req->data = e;
	req->free_data = free_entry;
	e->s = req->session;
	return e;
}

/* What a save did (store_paper_enter()'s result), for the next page. */
static const char *saved_words(struct server_request *req, const char *klaar)
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
	long k = klaar ? strtol(klaar, NULL, 10) : -1;

	return k >= 0 && k < 4 ? done[k][req->lang] : NULL;
}

enum server_outcome server_volunteer_lookup(struct server_request *req,
					    struct server_reply *rep)
{
	struct entry *e = new_entry(req);
	const char *code = server_query(req, "code");
	struct strbuf target = STRBUF_INIT;

	if (!code) {
		code_page(req, rep, &e->s, NULL,
			  saved_words(req, server_query(req, "klaar")), NULL,
			  NULL, 0);
		return SERVER_REPLY;
	}
	if (find_household(req, rep, code, e) < 0)
		return SERVER_REPLY;
	strbuf_addf(&target, "/invoer/%s", e->canon);
	server_redirect(rep, target.buf);
	strbuf_release(&target);
	return SERVER_REPLY;
}

enum server_outcome server_volunteer_entry(struct server_request *req,
					   struct server_reply *rep)
{
	struct entry *e = new_entry(req);

	if (find_household(req, rep, req->rest, e) < 0)
		return SERVER_REPLY;
	if (!req->post) {
		entry_page(req, rep, e, NULL, NULL, NULL);
		return SERVER_REPLY;
	}
	save_entry(req, rep, e);
	return SERVER_REPLY;
}

/* ---- the board: settling double entries that differ ------------------------- */

struct settle {
	long long entry;
	const char *board_user;
	const struct survey *s;
};

/* In the writer: the chosen entry counts; the others are settled. */
static int run_settle(struct store *st, void *arg, struct strbuf *err)
{
	struct settle *k = arg;

	return store_paper_settle(st, k->s, k->entry, k->board_user, err);
}

struct differences {
	struct server_request *req;
	struct store *st;
	const struct server_session *sess;
	struct strbuf *out;
	long long last_household;
	int n;
};

/*
 * What counts now for household, when something does: a laptop's answer
 * brought home for a household that also answered online (or at another
 * laptop) waits here, and the board may keep what counts instead.
 */
static int counting_now(struct differences *d, long long household)
{
	struct server_request *req = d->req;
	const struct survey *s = req->sv->survey;
	struct survey_answers a = SURVEY_ANSWERS_INIT;
	struct store_current cur;
	struct strbuf err = STRBUF_INIT, sb = STRBUF_INIT;
	int rc = store_response_current(d->st, s, household, &cur, &a, &err);

	if (rc < 0) {
		server_log_error(req, &err);
		goto out;
	}
	if (!cur.id)
		goto out;
	if (strcmp(cur.channel, STORE_CHANNEL_ONLINE))
		msg_add(&sb, req->lang, MSG_DIFFERENCES_COUNTS_NOW_PAPER,
			cur.created_at, cur.entered_by);
	else
		msg_add(&sb, req->lang, MSG_DIFFERENCES_COUNTS_NOW_ONLINE,
			cur.created_at);
	strbuf_addstr(d->out, "<form class=\"card\" method=\"post\" "
			      "action=\"/bestuur/verschillen/h");
	strbuf_addf(d->out, "%lld\">\n<p><strong>", household);
	strbuf_add_html(d->out, sb.buf);
	strbuf_addstr(d->out, "</strong></p>\n");
	server_html_answers(d->out, s, &a, req->lang);
	server_staff_csrf_field(d->out, d->sess);
	strbuf_addstr(d->out, "<div class=\"actions\"><button "
			      "class=\"secondary\" type=\"submit\">");
	strbuf_add_html(d->out, msg_get(req->lang, MSG_DIFFERENCES_KEEP));
	strbuf_addstr(d->out, "</button></div>\n</form>\n");
out:
	survey_answers_release(&a);
	strbuf_release(&err);
	strbuf_release(&sb);
	return rc;
}

static int one_difference(const struct store_paper_pending *p, void *data)
{
	struct differences *d = data;
	struct server_request *req = d->req;
	const struct survey *s = req->sv->survey;
	struct strbuf *out = d->out;

	if (p->household != d->last_household) {
		const struct survey_buurt *b =
			survey_find_buurt(s, p->buurt_id);
		char hint[STORE_CODE_HINT];

		if (store_code_hint(d->st, p->household, hint, NULL) !=
		    STORE_OK)
			hint[0] = '\0';
		strbuf_addf(out, "<h2>%s <span class=\"code\">…%s</span>",
			    server_nl_en(req, "Formulier", "Form"), hint);
		if (b) {
			strbuf_addstr(out, " (");
			strbuf_add_html(out, b->name);
			strbuf_addch(out, ')');
		}
		strbuf_addstr(out, "</h2>\n");
		d->last_household = p->household;
		if (counting_now(d, p->household) < 0)
			return STORE_ERROR;
	}
	d->n++;
	strbuf_addstr(out, "<form class=\"card\" method=\"post\" "
			   "action=\"/bestuur/verschillen/");
	strbuf_addf(out, "%lld\">\n<p>%s <strong>", p->entry,
		    server_nl_en(req, "Ingevoerd door", "Entered by"));
	strbuf_add_html(out, p->entered_by);
	strbuf_addstr(out, "</strong></p>\n");
	server_html_answers(out, s, p->answers, req->lang);
	server_staff_csrf_field(out, d->sess);
	strbuf_addf(out,
		    "<div class=\"actions\"><button type=\"submit\">"
		    "%s</button></div>\n</form>\n",
		    server_nl_en(req, "Deze invoer klopt met het formulier",
				 "This entry matches the form"));
	return 0;
}

static void board_page(struct server_request *req, struct server_reply *rep,
		       const struct server_session *sess, const char *notice)
{
	struct strbuf *out = &rep->body, err = STRBUF_INIT;
	struct differences d = { req, server_store_get(req->sv), sess, out, -1,
				 0 };
	int rc;

	strbuf_reset(out);
	server_html_begin(req, out,
			  server_nl_en(req, "Verschillen", "Differences"),
			  "/bestuur/verschillen");
	server_staff_bar(req, out, sess);
	strbuf_addf(out, "<h1>%s</h1>\n",
		    server_nl_en(req, "Dubbele invoer die verschilt",
				 "Double entries that differ"));
	server_html_notice(out, notice);
	rc = d.st ? store_paper_each_pending(d.st, req->sv->survey, 0, true,
					     one_difference, &d, &err)
		  : STORE_ERROR;
	server_store_put(req->sv, d.st);
	if (rc != STORE_OK) {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
		strbuf_release(&err);
		return;
	}
	if (!d.n)
		strbuf_addf(
			out, "<p>%s</p>\n",
			server_nl_en(req,
				     "Er zijn geen verschillen om te "
				     "beslissen.",
				     "There are no differences to decide."));
	strbuf_release(&err);
	server_html_end(req, out);
}

enum server_outcome server_volunteer_differences(struct server_request *req,
						 struct server_reply *rep)
{
	const char *klaar = server_query(req, "klaar");

	board_page(req, rep, &req->session,
		   !klaar ? NULL
		   : !strcmp(klaar, "2")
			   ? msg_get(req->lang, MSG_DIFFERENCES_KEPT)
			   : server_nl_en(req,
					  "Beslist: de gekozen invoer telt nu.",
					  "Decided: the chosen entry counts "
					  "now."));
	return SERVER_REPLY;
}

static int run_keep(struct store *st, void *arg, struct strbuf *err)
{
	return store_paper_keep_current(st, *(long long *)arg, err);
}

/* POST /bestuur/verschillen/hHOUSEHOLD: what counts keeps counting. */
static enum server_outcome keep_current(struct server_request *req,
					struct server_reply *rep)
{
	struct strbuf err = STRBUF_INIT;
	long long household;
	char *end;
	int rc;

	household = strtoll(req->rest + 1, &end, 10);
	if (*end || household <= 0) {
		rep->status = MHD_HTTP_NOT_FOUND;
		board_page(req, rep, &req->session,
			   server_nl_en(req, "Deze invoer bestaat niet.",
					"There is no such entry."));
		return SERVER_REPLY;
	}
	rc = store_writer_run(req->sv->writer, run_keep, &household, &err);
	if (rc == STORE_OK) {
		server_redirect(rep, "/bestuur/verschillen?klaar=2");
	} else if (rc == STORE_ALREADY_DONE) {
		rep->status = MHD_HTTP_CONFLICT;
		board_page(req, rep, &req->session,
			   server_nl_en(req, "Deze invoer is al afgehandeld.",
					"This entry has been dealt with "
					"already."));
	} else {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
	}
	strbuf_release(&err);
	return SERVER_REPLY;
}

enum server_outcome server_volunteer_settle(struct server_request *req,
					    struct server_reply *rep)
{
	struct settle k = { 0, req->session.user, req->sv->survey };
	struct strbuf err = STRBUF_INIT;
	char *end;
	int rc;

	if (!req->post)
		return server_volunteer_differences(req, rep);
	if (req->rest[0] == 'h')
		return keep_current(req, rep);
	k.entry = strtoll(req->rest, &end, 10);
	if (*end || k.entry <= 0) {
		rep->status = MHD_HTTP_NOT_FOUND;
		board_page(req, rep, &req->session,
			   server_nl_en(req, "Deze invoer bestaat niet.",
					"There is no such entry."));
		return SERVER_REPLY;
	}
	rc = store_writer_run(req->sv->writer, run_settle, &k, &err);
	if (rc == STORE_OK) {
		server_redirect(rep, "/bestuur/verschillen?klaar=1");
	} else if (rc == STORE_ALREADY_DONE) {
		rep->status = MHD_HTTP_CONFLICT;
		board_page(req, rep, &req->session,
			   server_nl_en(req, "Deze invoer is al afgehandeld.",
					"This entry has been dealt with "
					"already."));
	} else {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
	}
	strbuf_release(&err);
	return SERVER_REPLY;
}
