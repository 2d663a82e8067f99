/*
 * resident.c - the resident's pages: the survey, the code box, the form,
 * and the confirmation (see resident.h).
 */
#include "resident.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "fields.h"
#include "responses.h"
#include "codes.h"
#include "hosting.h"
#include "html.h"
#include "msg.h"
#include "privacy.h"
#include "ratelimit.h"
#include "session.h"
#include "token.h"
#include "xalloc.h"
#include "banned.h"

/* What a request for a household's page wants once the code is found. */
enum action {
	ACT_REDIRECT, /* to /f/CANON */
	ACT_FORM,     /* GET /f/CANON */
	ACT_SUBMIT,   /* POST /f/CANON */
	ACT_RECEIVED, /* GET /f/CANON/ontvangen */
};

/* Per-request state, kept across suspensions; freed by free_state(). */
struct resident {
	enum action act;
	char canon[SURVEY_TOKEN_SIZE];
	bool slowed;	   /* over the failure budget when it came in */
	bool in_slow_lane; /* holds slow_slot of srv->ratelimit */
	unsigned slow_slot;
	struct server_ratelimit *rl;
	struct server_household h;
	struct survey_answers answers;
	struct store_record rec;
	struct store_write_job job;
	struct server_request *req; /* for the writer's done() */
	bool nothing_sent; /* the form came back with no answer at all */
};

static void free_state(void *data)
{
	struct resident *r = data;

	if (r->in_slow_lane)
		server_ratelimit_slow_leave(r->rl, r->slow_slot);
	survey_answers_release(&r->answers);
	strbuf_release(&r->job.err);
	free(r);
}

/* ---- the front page ---------------------------------------------------- */

static void home_page(struct server_request *req, struct server_reply *rep,
		      const char *typed, const char *error)
{
	const struct survey *s = req->sv->survey;
	struct strbuf *out = &rep->body;
	char today[11];

	server_today(req->srv, today);
	strbuf_reset(out);
	server_html_begin(req, out, NULL, "/");
	strbuf_addstr(out, "<h1>");
	strbuf_add_html(out, survey_text_get(&s->title, req->lang));
	strbuf_addstr(out, "</h1>\n");
	/* A host's front page is every survey's: no dates of one. */
	if (req->sv == req->srv->staff && req->srv->host)
		goto code_box;
	strbuf_addstr(out, "<div class=\"notice\"><p>");
	if (strcmp(today, s->opens) < 0) {
		strbuf_addstr(out, server_nl_en(req, "Invullen kan vanaf ",
						"You can respond from "));
		server_html_date(out, s->opens, req->lang);
		strbuf_addstr(out, server_nl_en(req, " tot en met ",
						" until and including "));
	} else if (strcmp(today, s->closes) > 0) {
		strbuf_addstr(out,
			      server_nl_en(req, "Invullen kon tot en met ",
					   "Responses were accepted until and "
					   "including "));
	} else {
		strbuf_addstr(out, server_nl_en(req, "Invullen kan tot en met ",
						"You can respond until and "
						"including "));
	}
	server_html_date(out, s->closes, req->lang);
	strbuf_addstr(out, ".</p>");
	/* The page itself says when there is nothing to see yet. */
	if (s->public_results)
		strbuf_addf(out, "<p><a href=\"/uitslag%s\">%s</a></p>",
			    server_lang_query(req),
			    msg_get(req->lang, MSG_PUBLIC_HOME_LINK));
	strbuf_addstr(out, "</div>\n");

code_box:
	/* The code box first: that is what most visitors come for. */
	strbuf_addf(out,
		    "<form class=\"card\" method=\"get\" action=\"/code\">\n"
		    "<h2>%s</h2>\n",
		    server_nl_en(req, "Naar uw vragenlijst",
				 "Go to your questionnaire"));
	if (error) {
		strbuf_addstr(out, "<p class=\"error\" id=\"code-err\" "
				   "role=\"alert\">");
		strbuf_add_html(out, error);
		strbuf_addstr(out, "</p>\n");
	}
	strbuf_addf(
		out,
		"<label class=\"field\" for=\"code\">%s</label>\n"
		"<p class=\"help\" id=\"code-help\">%s</p>\n"
		"<input class=\"code\" type=\"text\" id=\"code\" "
		"name=\"code\" autocomplete=\"off\" autocapitalize="
		"\"characters\" spellcheck=\"false\" maxlength=\"40\" "
		"aria-describedby=\"code-help%s\" value=\"",
		server_nl_en(req, "Uw code", "Your code"),
		server_nl_en(
			req,
			"De code staat op uw formulier, bijvoorbeeld <span "
			"class=\"code\">K7QM-2XHD-9FAB</span>. Streepjes en "
			"hoofdletters hoeven niet.",
			"The code is on your form, for example <span "
			"class=\"code\">K7QM-2XHD-9FAB</span>. Dashes and "
			"capitals are not needed."),
		error ? " code-err" : "");
	if (typed)
		strbuf_add_html(out, typed);
	strbuf_addstr(out, "\">\n");
	if (req->lang == SURVEY_EN)
		strbuf_addstr(out, "<input type=\"hidden\" name=\"lang\" "
				   "value=\"en\">\n");
	strbuf_addf(out,
		    "<div class=\"actions\"><button type=\"submit\">%s</button>"
		    "</div>\n</form>\n",
		    server_nl_en(req, "Naar mijn vragenlijst",
				 "To my questionnaire"));

	strbuf_addf(
		out,
		"<h2>%s</h2>\n<ol class=\"steps\">\n<li>%s</li>\n<li>%s</li>"
		"\n<li>%s</li>\n</ol>\n",
		server_nl_en(req, "Zo doet u mee", "How to take part"),
		server_nl_en(
			req,
			"Scan de QR-code op uw formulier met de camera van uw "
			"telefoon, of typ hierboven de code van uw formulier.",
			"Scan the QR code on your form with your phone's "
			"camera, "
			"or type the code from your form above."),
		server_nl_en(
			req,
			"Beantwoord de vragen en druk op Versturen. U ziet "
			"daarna uw antwoorden terug.",
			"Answer the questions and press Send. You will then "
			"see "
			"your answers again."),
		server_nl_en(
			req,
			"Liever op papier? Vul het formulier in en lever het "
			"in "
			"zoals op het formulier staat. Elk huishouden telt één "
			"keer; uw laatste antwoorden tellen.",
			"Prefer paper? Fill in the form and hand it in as the "
			"form says. Every household counts once; your latest "
			"answers count."));
	server_html_intro(out, s, req->lang);
	server_html_end(req, out);
}

enum server_outcome server_resident_home(struct server_request *req,
					 struct server_reply *rep)
{
	if (req->post) {
		rep->status = MHD_HTTP_METHOD_NOT_ALLOWED;
		server_html_message(req, rep, NULL,
				    server_nl_en(req, "Dat kan hier niet.",
						 "Not allowed here."));
		return SERVER_REPLY;
	}
	home_page(req, rep, NULL, NULL);
	return SERVER_REPLY;
}

/* ---- finding the household ---------------------------------------------- */

static enum server_outcome found(struct server_request *req,
				 struct server_reply *rep);

static void unknown_page(struct server_request *req, struct server_reply *rep)
{
	rep->status = MHD_HTTP_NOT_FOUND;
	server_html_message(
		req, rep,
		server_nl_en(req, "Deze code kennen we niet", "Unknown code"),
		server_nl_en(req,
			     "Er hoort geen formulier bij deze code. Kijk de "
			     "code op uw "
			     "formulier nog eens na; twijfelt u, neem dan "
			     "contact op met "
			     "de organisatie (zie hieronder).",
			     "No form belongs to this code. Please check the "
			     "code on "
			     "your form again; if in doubt, contact the "
			     "organisers (see "
			     "below)."));
}

static void slow_page(struct server_request *req, struct server_reply *rep)
{
	rep->status = MHD_HTTP_TOO_MANY_REQUESTS;
	server_html_message(
		req, rep,
		server_nl_en(req, "Even geduld", "Please wait a moment"),
		server_nl_en(
			req,
			"Er zijn vanaf uw verbinding te veel onbekende codes "
			"geprobeerd. Wacht een paar minuten en typ de code van "
			"uw "
			"formulier dan nog eens, zorgvuldig.",
			"Too many unknown codes were tried from your "
			"connection. "
			"Wait a few minutes, then carefully type the code from "
			"your "
			"form again."));
}

/* Look the code up (after the wait, for a slowed client). */
static enum server_outcome lookup(struct server_request *req,
				  struct server_reply *rep)
{
	struct resident *r = req->data;
	struct server_survey *sv = NULL;
	/* On a host, the code says which survey it is (store/host.h). */
	int rc = server_survey_by_code(req->srv, r->canon, &sv, &r->h);

	if (rc == 1) {
		req->sv = sv;
		/* A language this survey does not offer: Dutch. */
		if (!sv->survey->languages[req->lang])
			server_request_set_lang(req, SURVEY_NL);
	}
	if (rc == 2) {
		/*
		 * Two surveys have it (stores copied by hand): whichever
		 * we chose, the other's household could answer in its
		 * name.  Not a failed guess: the code is real.
		 */
		rep->status = MHD_HTTP_CONFLICT;
		server_html_message(
			req, rep,
			msg_get(req->lang, MSG_RESIDENT_CODE_SHARED_TITLE),
			msg_get(req->lang, MSG_RESIDENT_CODE_SHARED));
		return SERVER_REPLY;
	}
	if (rc < 0) {
		rep->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		server_html_message(
			req, rep, NULL,
			server_nl_en(req,
				     "Er ging iets mis. Probeer het zo "
				     "nog eens.",
				     "Something went wrong. Please try "
				     "again shortly."));
		return SERVER_REPLY;
	}
	if (rc == 0) {
		server_ratelimit_fail(req->srv->ratelimit, req->client);
		server_note_rejected_code(req, STORE_CHANNEL_ONLINE,
					  STORE_REJECTED_UNKNOWN);
		if (r->slowed)
			slow_page(req, rep);
		else
			unknown_page(req, rep);
		return SERVER_REPLY;
	}
	/* A household's own code is always served, slowed or not. */
	return found(req, rep);
}

/*
 * Start on a household's page: typed is the code as given.  A code that
 * is not well-formed never reaches the store and costs nothing.
 */
static enum server_outcome start(struct server_request *req,
				 struct server_reply *rep, const char *typed,
				 enum action act)
{
	struct resident *r;
	enum survey_token_status ts;
	struct server_session staff;

	/*
	 * A code is a household's only credential, and staff handle many
	 * (paper forms pass through their hands): from a live staff
	 * session no household's page opens, so that no volunteer reads
	 * or changes an online answer under a household's name.  Refused
	 * rather than recorded, because a recorded answer would still
	 * count as the household's.
	 */
	if (server_session_get(req->srv->sessions,
			       server_cookie(req, SERVER_SESSION_COOKIE),
			       &staff)) {
		rep->status = MHD_HTTP_FORBIDDEN;
		server_html_message(
			req, rep,
			msg_get(req->lang, MSG_SEC_STAFF_NOT_RESIDENT_TITLE),
			msg_get(req->lang, MSG_SEC_STAFF_NOT_RESIDENT));
		return SERVER_REPLY;
	}
	r = xcalloc(1, sizeof(*r));
	strbuf_init(&r->job.err, 0);
	r->act = act;
	r->req = req;
	req->data = r;
	req->free_data = free_state;
	ts = survey_token_parse(typed, r->canon);
	if (ts != SURVEY_TOKEN_OK) {
		/*
		 * A typo costs no look-up, but it is a failure all the
		 * same: counted against the address, so that nobody makes
		 * thousands a second.
		 */
		if (ts == SURVEY_TOKEN_BAD_CHECK) {
			if (!server_ratelimit_allowed(req->srv->ratelimit,
						      req->client)) {
				slow_page(req, rep);
				return SERVER_REPLY;
			}
			server_ratelimit_fail(req->srv->ratelimit, req->client);
			server_note_rejected_code(req, STORE_CHANNEL_ONLINE,
						  STORE_REJECTED_TYPO);
		}
		rep->status = MHD_HTTP_BAD_REQUEST;
		home_page(req, rep, typed,
			  survey_token_status_message(ts, req->lang));
		return SERVER_REPLY;
	}
	/* A code not written canonically: send the browser to the form. */
	if (act != ACT_REDIRECT && strcmp(typed, r->canon))
		r->act = ACT_REDIRECT;
	if (!server_ratelimit_allowed(req->srv->ratelimit, req->client)) {
		/*
		 * Slowed: the look-up waits on the timer, holding its
		 * connection, so only a few may wait per address and in
		 * all; the rest are refused at once, unlooked-up, holding
		 * nothing (behind a proxy, one address could otherwise
		 * fill every connection).
		 */
		r->slowed = true;
		r->rl = req->srv->ratelimit;
		if (!server_ratelimit_slow_enter(r->rl, req->client,
						 &r->slow_slot)) {
			slow_page(req, rep);
			return SERVER_REPLY;
		}
		r->in_slow_lane = true;
		return server_request_delay(req, SERVER_SLOW_LOOKUP_MS, lookup);
	}
	return lookup(req, rep);
}

enum server_outcome server_resident_code(struct server_request *req,
					 struct server_reply *rep)
{
	const char *code = server_query(req, "code");

	if (!code || !*code) {
		rep->status = MHD_HTTP_BAD_REQUEST;
		home_page(req, rep, NULL,
			  server_nl_en(req,
				       "Typ eerst de code van uw formulier.",
				       "Please type the code from your form "
				       "first."));
		return SERVER_REPLY;
	}
	return start(req, rep, code, ACT_REDIRECT);
}

enum server_resident_page
server_resident_path(const char *path, bool post,
		     char code[SERVER_RESIDENT_CODE_MAX])
{
	const char *rest = path + 3; /* after "/f/" in any case */
	const char *slash = strchr(rest, '/');
	size_t len = slash ? (size_t)(slash - rest) : strlen(rest);

	code[0] = '\0';
	if (len >= SERVER_RESIDENT_CODE_MAX)
		return SERVER_RESIDENT_UNKNOWN;
	memcpy(code, rest, len);
	code[len] = '\0';
	if (path[1] == 'f') {
		if (!slash)
			return post ? SERVER_RESIDENT_SUBMIT
				    : SERVER_RESIDENT_FORM;
		if (!strcmp(slash, "/ontvangen") && !post)
			return SERVER_RESIDENT_RECEIVED;
	}
	/* /F/CODE/PAGE/LAYOUT from a QR code, and anything else: redirect. */
	return SERVER_RESIDENT_REDIRECT;
}

enum server_outcome server_resident_form(struct server_request *req,
					 struct server_reply *rep)
{
	char code[SERVER_RESIDENT_CODE_MAX];
	enum action act = ACT_REDIRECT;

	switch (server_resident_path(req->path, req->post, code)) {
	case SERVER_RESIDENT_UNKNOWN:
		unknown_page(req, rep);
		return SERVER_REPLY;
	case SERVER_RESIDENT_FORM: act = ACT_FORM; break;
	case SERVER_RESIDENT_SUBMIT: act = ACT_SUBMIT; break;
	case SERVER_RESIDENT_RECEIVED: act = ACT_RECEIVED; break;
	case SERVER_RESIDENT_REDIRECT: break;
	}
	return start(req, rep, code, act);
}

/* ---- the household's pages ----------------------------------------------- */

static void closed_page(struct server_request *req, struct server_reply *rep,
			bool not_yet)
{
	const struct survey *s = req->sv->survey;
	struct strbuf text = STRBUF_INIT;

	rep->status = MHD_HTTP_FORBIDDEN;
	if (not_yet) {
		strbuf_addstr(&text,
			      server_nl_en(req,
					   "U kunt de vragenlijst invullen "
					   "vanaf ",
					   "You can fill in the questionnaire "
					   "from "));
		server_html_date(&text, s->opens, req->lang);
		strbuf_addstr(
			&text,
			server_nl_en(req, ". Uw code blijft tot dan geldig.",
				     ". Your code stays valid until then."));
	} else {
		strbuf_addstr(&text,
			      server_nl_en(req, "Invullen kon tot en met ",
					   "Responses were accepted until and "
					   "including "));
		server_html_date(&text, s->closes, req->lang);
		strbuf_addstr(&text,
			      server_nl_en(req,
					   ". Antwoorden versturen of "
					   "wijzigen kan niet meer. Dank "
					   "voor uw belangstelling.",
					   ". Answers can no longer be sent or "
					   "changed. Thank you for your "
					   "interest."));
	}
	server_html_message(
		req, rep,
		not_yet ? server_nl_en(req, "De vragenlijst is nog niet open",
				       "The questionnaire is not open yet")
			: server_nl_en(req, "De vragenlijst is gesloten",
				       "The questionnaire is closed"),
		text.buf);
	strbuf_release(&text);
}

/* 0 open, -1 not yet, 1 closed. */
static int open_state(struct server_request *req)
{
	const struct survey *s = req->sv->survey;
	char today[11];

	server_today(req->srv, today);
	if (strcmp(today, s->opens) < 0)
		return -1;
	return strcmp(today, s->closes) > 0 ? 1 : 0;
}

static void form_page(struct server_request *req, struct server_reply *rep,
		      const struct store_current *cur,
		      const struct survey_answers *values, char **errors)
{
	struct resident *r = req->data;
	const struct survey *s = req->sv->survey;
	struct strbuf *out = &rep->body;
	struct strbuf link = STRBUF_INIT;
	char csrf[SERVER_TOKEN_HEX];

	strbuf_reset(out);
	strbuf_addf(&link, "/f/%s", r->canon);
	server_html_begin(
		req, out,
		server_nl_en(req, "Uw vragenlijst", "Your questionnaire"),
		link.buf);
	strbuf_addf(out, "<h1>%s</h1>\n",
		    server_nl_en(req, "Uw vragenlijst", "Your questionnaire"));
	if (errors)
		server_html_error_summary(out, s, errors, false, req->lang);
	if (r->nothing_sent) {
		strbuf_addstr(out, "<div class=\"notice bad\" role=\"alert\">"
				   "<p><strong>");
		strbuf_add_html(out,
				msg_get(req->lang, MSG_RESIDENT_NOTHING_SENT));
		strbuf_addstr(out, "</strong></p></div>\n");
	}
	if (cur->id && !errors) {
		strbuf_addstr(out, "<div class=\"notice ok\"><p>");
		strbuf_addstr(out, server_nl_en(req,
						"U heeft deze vragenlijst al "
						"ingevuld "
						"op ",
						"You already answered on "));
		server_html_date(out, cur->created_at, req->lang);
		strbuf_addstr(out,
			      server_nl_en(req,
					   ". Hieronder staan uw antwoorden. U "
					   "kunt ze wijzigen tot en met ",
					   ". Your answers are below. You can "
					   "change them until and including "));
		server_html_date(out, s->closes, req->lang);
		strbuf_addstr(
			out,
			server_nl_en(req,
				     "; alleen uw laatste antwoorden "
				     "tellen.</p></div>\n",
				     "; only your latest answers count.</p>"
				     "</div>\n"));
	}
	strbuf_addstr(out, "<p>");
	strbuf_addstr(
		out,
		server_nl_en(req, "Deze vragenlijst hoort bij één huishouden",
			     "This questionnaire belongs to one household"));
	if (r->h.buurt) {
		strbuf_addstr(out, server_nl_en(req, " in ", " in "));
		strbuf_add_html(out, r->h.buurt->name);
	}
	strbuf_addstr(out,
		      server_nl_en(req, ". Invullen kan tot en met ",
				   ". You can respond until and including "));
	server_html_date(out, s->closes, req->lang);
	strbuf_addstr(out,
		      server_nl_en(req,
				   ". Geen enkele vraag is verplicht, tenzij "
				   "het erbij staat.</p>\n",
				   ". No question is required unless it says "
				   "so.</p>\n"));
	/* Who came by the QR code saw no front page: what it is about. */
	server_html_intro(out, s, req->lang);

	server_csrf_resident(&req->srv->csrf, r->canon, csrf);
	strbuf_addf(out,
		    "<form method=\"post\" action=\"/f/%s\" "
		    "accept-charset=\"utf-8\">\n"
		    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
		    "<input type=\"hidden\" name=\"lang\" value=\"%s\">\n",
		    r->canon, csrf, survey_lang_code(req->lang));
	for (size_t i = 0; i < s->nr_questions; i++)
		server_html_question(out, &s->questions[i], i + 1, values,
				     errors ? errors[i] : NULL, false,
				     req->lang);
	strbuf_addf(out,
		    "<div class=\"actions\"><button type=\"submit\">%s</button>"
		    "</div>\n</form>\n",
		    server_nl_en(req, "Versturen", "Send"));
	strbuf_release(&link);
	server_html_end(req, out);
}

static void store_error(struct server_request *req, struct server_reply *rep,
			const struct strbuf *why)
{
	server_log_error(req, why);
	rep->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
	server_html_message(
		req, rep,
		server_nl_en(req, "Er ging iets mis", "Something went wrong"),
		server_nl_en(req,
			     "Uw antwoorden zijn niet opgeslagen. Ga terug en "
			     "probeer "
			     "het over een minuut nog eens.",
			     "Your answers were not saved. Go back and try "
			     "again in a "
			     "minute."));
}

/* Load the counting response and its answers; -1 after an error page. */
static int load_current(struct server_request *req, struct server_reply *rep,
			struct store_current *cur, struct survey_answers *a)
{
	struct resident *r = req->data;
	struct strbuf err = STRBUF_INIT;
	struct store *st = server_store_get(req->sv);
	int rc = st ? store_response_current(st, req->sv->survey, r->h.id, cur,
					     a, &err)
		    : STORE_ERROR;

	server_store_put(req->sv, st);
	if (rc != STORE_OK)
		store_error(req, rep, &err);
	strbuf_release(&err);
	return rc;
}

/* Show a paper form that counts under the paper-wins policy. */
static bool paper_counts(struct server_request *req,
			 const struct store_current *cur)
{
	return cur->id && strcmp(cur->channel, STORE_CHANNEL_ONLINE) &&
	       req->sv->survey->conflict == SURVEY_CONFLICT_PAPER;
}

static void paper_page(struct server_request *req, struct server_reply *rep)
{
	server_html_message(req, rep,
			    server_nl_en(req, "Uw papieren formulier telt",
					 "Your paper form counts"),
			    server_nl_en(req,
					 "Het papieren formulier van uw "
					 "huishouden is al verwerkt. "
					 "Bij deze vragenlijst telt het "
					 "papieren formulier; online "
					 "iets veranderen kan daarom niet.",
					 "Your household's paper form has "
					 "already been entered. In "
					 "this survey the paper form counts, "
					 "so it cannot be changed "
					 "online."));
}

static enum server_outcome show_form(struct server_request *req,
				     struct server_reply *rep)
{
	struct store_current cur;
	struct survey_answers a = SURVEY_ANSWERS_INIT;

	if (load_current(req, rep, &cur, &a) == STORE_OK) {
		if (paper_counts(req, &cur))
			paper_page(req, rep);
		else
			form_page(req, rep, &cur, &a, NULL);
	}
	survey_answers_release(&a);
	return SERVER_REPLY;
}

static int run_record(struct store *st, void *arg, struct strbuf *err)
{
	struct resident *r = arg;

	return store_response_record(st, &r->rec, err);
}

static void record_done(void *arg, int rc)
{
	struct resident *r = arg;

	(void)rc;
	server_request_resume(r->req);
}

/* Called when the writer has committed (or failed). */
static enum server_outcome submitted(struct server_request *req,
				     struct server_reply *rep)
{
	struct resident *r = req->data;
	struct strbuf target = STRBUF_INIT;

	if (r->job.rc != STORE_OK) {
		store_error(req, rep, &r->job.err);
		return SERVER_REPLY;
	}
	strbuf_addf(&target, "/f/%s/ontvangen%s", r->canon,
		    server_lang_query(req));
	server_redirect(rep, target.buf);
	strbuf_release(&target);
	return SERVER_REPLY;
}

static enum server_outcome submit(struct server_request *req,
				  struct server_reply *rep)
{
	struct resident *r = req->data;
	const struct survey *s = req->sv->survey;
	char csrf[SERVER_TOKEN_HEX];
	char **errors;
	size_t nerr;

	server_csrf_resident(&req->srv->csrf, r->canon, csrf);
	if (!server_csrf_equal(server_field(req, "csrf"), csrf)) {
		rep->status = MHD_HTTP_FORBIDDEN;
		server_html_message(
			req, rep,
			server_nl_en(req, "Formulier niet herkend",
				     "Form not recognised"),
			server_nl_en(req,
				     "Dit formulier komt niet van deze website "
				     "of is "
				     "verouderd. Open uw vragenlijst opnieuw "
				     "en vul haar "
				     "nog eens in.",
				     "This form did not come from this website "
				     "or is out "
				     "of date. Open your questionnaire again "
				     "and fill it "
				     "in once more."));
		return SERVER_REPLY;
	}
	errors = xcalloc(s->nr_questions, sizeof(*errors));
	nerr = server_fields_answers(req, s, false, req->lang, &r->answers,
				     errors);
	/* Nothing answered: no question is wrong, nothing was sent. */
	r->nothing_sent = !nerr && !r->answers.nr && s->nr_questions;
	if (nerr || r->nothing_sent) {
		struct store_current cur;

		memset(&cur, 0, sizeof(cur));
		rep->status = MHD_HTTP_UNPROCESSABLE_CONTENT;
		form_page(req, rep, &cur, &r->answers, nerr ? errors : NULL);
		server_errors_free(errors, s->nr_questions);
		free(errors);
		return SERVER_REPLY;
	}
	free(errors);

	r->rec.household = r->h.id;
	r->rec.channel = "online";
	r->rec.lang = survey_lang_code(req->lang);
	r->rec.answers = &r->answers;
	r->rec.conflict = s->conflict;
	r->rec.expect_current = -1; /* the latest answer counts */
	r->job.run = run_record;
	r->job.done = record_done;
	r->job.arg = r;
	/*
	 * Suspend first, then queue: the writer may finish before this
	 * handler returns, and resuming needs a suspended connection.
	 */
	server_request_suspend(req, submitted);
	store_writer_submit(req->sv->writer, &r->job);
	return SERVER_SUSPENDED;
}

static enum server_outcome received_page(struct server_request *req,
					 struct server_reply *rep)
{
	struct resident *r = req->data;
	const struct survey *s = req->sv->survey;
	struct store_current cur;
	struct survey_answers a = SURVEY_ANSWERS_INIT;
	struct strbuf *out = &rep->body;
	struct strbuf link = STRBUF_INIT;

	if (load_current(req, rep, &cur, &a) < 0)
		goto out;
	strbuf_addf(&link, "/f/%s", r->canon);
	if (!cur.id) {
		strbuf_addstr(&link, server_lang_query(req));
		server_redirect(rep, link.buf);
		goto out;
	}
	strbuf_addstr(&link, "/ontvangen");
	strbuf_reset(out);
	server_html_begin(req, out, server_nl_en(req, "Ontvangen", "Received"),
			  link.buf);
	strbuf_addf(out, "<h1>%s</h1>\n",
		    server_nl_en(req, "Dank u wel!", "Thank you!"));
	strbuf_addstr(out, "<div class=\"notice ok\" role=\"status\"><p>");
	if (!strcmp(cur.channel, "online"))
		strbuf_addstr(
			out,
			server_nl_en(req,
				     "Uw antwoorden zijn opgeslagen. Dit "
				     "zijn de antwoorden die meetellen:",
				     "Your answers have been saved. These are "
				     "the answers that count:"));
	else
		strbuf_addstr(
			out, server_nl_en(req,
					  "Het papieren formulier van uw "
					  "huishouden telt. Dit zijn de "
					  "antwoorden die meetellen:",
					  "Your household's paper form counts. "
					  "These are the answers that count:"));
	strbuf_addstr(out, "</p></div>\n<div class=\"card\">\n");
	server_html_answers(out, s, &a, req->lang);
	strbuf_addstr(out, "</div>\n");
	if (open_state(req) == 0 && !paper_counts(req, &cur)) {
		strbuf_addstr(out, "<p>");
		strbuf_addstr(
			out,
			server_nl_en(req,
				     "Wilt u iets veranderen? Dat kan tot "
				     "en met ",
				     "Want to change something? You can until "
				     "and including "));
		server_html_date(out, s->closes, req->lang);
		strbuf_addf(out, ".</p>\n<p><a href=\"/f/%s%s\">%s</a></p>\n",
			    r->canon, server_lang_query(req),
			    server_nl_en(req, "Mijn antwoorden wijzigen",
					 "Change my answers"));
	}
	server_html_end(req, out);
out:
	strbuf_release(&link);
	survey_answers_release(&a);
	return SERVER_REPLY;
}

static enum server_outcome found(struct server_request *req,
				 struct server_reply *rep)
{
	struct resident *r = req->data;
	struct strbuf target = STRBUF_INIT;
	int open;

	switch (r->act) {
	case ACT_REDIRECT:
		strbuf_addf(&target, "/f/%s%s", r->canon,
			    server_lang_query(req));
		server_redirect(rep, target.buf);
		strbuf_release(&target);
		return SERVER_REPLY;
	case ACT_RECEIVED: return received_page(req, rep);
	case ACT_FORM:
	case ACT_SUBMIT: break;
	}
	open = open_state(req);
	if (open) {
		closed_page(req, rep, open < 0);
		return SERVER_REPLY;
	}
	return r->act == ACT_SUBMIT ? submit(req, rep) : show_form(req, rep);
}

/*
 * /privacy: the statement `draagvlak privacy` prints, for anyone, without
 * a code or a log-in: a household should be able to read it before it
 * decides to answer.
 */
enum server_outcome server_resident_privacy(struct server_request *req,
					    struct server_reply *rep)
{
	struct server_survey *sv = server_hosting_public(req);
	struct privacy *p;
	struct strbuf *out = &rep->body, self = STRBUF_INIT;

	if (!sv) {
		rep->status = MHD_HTTP_NOT_FOUND;
		server_html_message(
			req, rep, msg_get(req->lang, MSG_PAGE_NOT_FOUND_TITLE),
			msg_get(req->lang, MSG_PAGE_NOT_FOUND));
		return SERVER_REPLY;
	}
	req->sv = sv;
	p = privacy_build(sv->survey, req->lang);
	strbuf_addf(&self, "/privacy%s%s", req->srv->host ? "/" : "", sv->slug);
	strbuf_reset(out);
	server_html_begin(req, out, p->title, self.buf);
	privacy_html(p, out);
	strbuf_addf(out, "<p><a href=\"/%s\">%s</a></p>\n",
		    server_lang_query(req),
		    msg_get(req->lang, MSG_PAGE_TO_FRONT));
	server_html_end(req, out);
	privacy_free(p);
	strbuf_release(&self);
	return SERVER_REPLY;
}
