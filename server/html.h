/*
 * html.h - the pages' HTML: skeleton, stylesheet, questions, answers.
 *
 * Pages are plain server-rendered HTML with one stylesheet and no script,
 * so that they work on a small phone, with a screen reader, and on a slow
 * connection.  Everything shown that is not a literal of this file goes
 * through strbuf_add_html().  Every question is a fieldset with a legend;
 * every box has its label; an error sits right above the answers it is
 * about and is tied to them with aria-describedby.
 */
#ifndef DRAAGVLAK_SERVER_HTML_H
#define DRAAGVLAK_SERVER_HTML_H

#include <stdbool.h>

#include "answers.h"
#include "http.h"
#include "strbuf.h"
#include "survey.h"

/*
 * A file the server carries in itself (a style sheet, a script) as the
 * reply: len bytes of body, of the given Content-Type, cacheable.
 */
enum server_outcome server_html_static(struct server_reply *rep,
				       const char *body, size_t len,
				       const char *content_type);
/* GET /static/style.css */
enum server_outcome server_html_css(struct server_request *req,
				    struct server_reply *rep);

/*
 * Open a page in req->lang: the head (title escaped), the header with the
 * survey's organisation and, unless title is NULL (the front page, whose
 * heading is the survey's title), the survey's title, and a link to the other language when
 * the survey has one (lang_link: the path to switch on, or NULL for none).
 * Then <main>.
 */
void server_html_begin(struct server_request *req, struct strbuf *out,
		       const char *title, const char *lang_link);
/* Close <main>, add the survey's contact text, close the page. */
void server_html_end(struct server_request *req, struct strbuf *out);

/*
 * A whole page saying text (escaped) under heading (NULL: none), with a
 * link to the front page.  Leaves rep->status as it is.
 */
void server_html_message(struct server_request *req, struct server_reply *rep,
			 const char *heading, const char *text);

/*
 * The page for a store that failed (500): it says nothing of why, which
 * is for the operator's log (server_log_error()), only that nothing was
 * lost and what to do.
 */
void server_html_store_failed(struct server_request *req,
			      struct server_reply *rep);

/*
 * A notice that something went well: text (escaped) in a green box that
 * screen readers announce.  Nothing when text is NULL.
 */
void server_html_notice(struct strbuf *out, const char *text);

/* text (escaped) as paragraphs: blank lines separate them. */
void server_html_paragraphs(struct strbuf *out, const char *text);
/*
 * What survey s is about (its intro in lang) under a heading "Waar gaat
 * het over?", for every page a resident may arrive on first: the front
 * page, and the form a QR code opens.  Nothing when s has no intro.
 */
void server_html_intro(struct strbuf *out, const struct survey *s,
		       enum survey_lang lang);
/* "zondag 2 mei 2027" or "Sunday 2 May 2027" from "2027-05-02". */
void server_html_date(struct strbuf *out, const char *ymd,
		      enum survey_lang lang);

/*
 * The fieldset of question number n (from 1) with the values chosen so
 * far and its error (NULL: none).  paper adds the box "invalid" to
 * one-answer questions, for forms with two boxes ticked.
 */
void server_html_question(struct strbuf *out, const struct survey_question *q,
			  size_t n, const struct survey_answers *values,
			  const char *error, bool paper, enum survey_lang lang);

/*
 * A short list of errors at the top of a form, linking to each question;
 * paper: a volunteer's entry (nothing saved), else a resident's form
 * (nothing sent).
 */
void server_html_error_summary(struct strbuf *out, const struct survey *s,
			       char **errors, bool paper,
			       enum survey_lang lang);

/* The answers as a list a person can check: question, then answer. */
void server_html_answers(struct strbuf *out, const struct survey *s,
			 const struct survey_answers *a, enum survey_lang lang);

#endif
