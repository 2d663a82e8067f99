/*
 * html.c - page skeleton, stylesheet and form rendering (see html.h).
 */
#include "html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "msg.h"
#include "banned.h"

/*
 * No style attributes anywhere: the Content-Security-Policy allows styles
 * from this file only.  Calm and readable: large type, one column at most 40em wide, big touch
 * targets (every box is a 48 px tall label), and colours with a contrast
 * of at least 7:1 for text.  Focus is always visible.
 */
static const char css[] =
	":root{--ink:#1b1b1b;--muted:#4a4a4a;--line:#b8b8b8;--accent:#0b4f8a;"
	"--accent-soft:#e8f0f8;--error:#a4161a;--error-soft:#fdeeee;"
	"--ok-soft:#e9f5ec;--ok:#1d5b2c;"
	/* 5.1:1 on the page, 5.6:1 on white: WCAG asks 3:1 of focus. */
	"--focus:#a35200}\n"
	"*{box-sizing:border-box}\n"
	"html{-webkit-text-size-adjust:100%}\n"
	"main,footer{overflow-wrap:anywhere}\n"
	"body{margin:0;background:#f6f5f2;color:var(--ink);"
	"font:1.125rem/1.55 system-ui,-apple-system,\"Segoe UI\",Roboto,"
	"\"Noto Sans\",sans-serif}\n"
	".page{max-width:42rem;margin:0 auto;padding:0 1rem 3rem}\n"
	"header.site{padding:1.25rem 0 1rem;border-bottom:3px solid "
	"var(--accent);margin-bottom:1.5rem;display:flex;flex-wrap:wrap;"
	"gap:.25rem 1rem;align-items:baseline;justify-content:space-between}\n"
	"header.site .org{display:block;font-size:.95rem;color:var(--muted)}\n"
	"header.site .title{display:block;font-size:1.35rem;font-weight:700;"
	"line-height:1.3}\n"
	"header.site a.lang{font-size:1rem;white-space:nowrap}\n"
	"h1{font-size:1.6rem;line-height:1.25;margin:0 0 1rem}\n"
	"h2{font-size:1.3rem;margin:2rem 0 .75rem}\n"
	"p{margin:0 0 1rem}\n"
	"a{color:var(--accent);text-underline-offset:.15em}\n"
	"a:focus,button:focus,input:focus,textarea:focus,summary:focus"
	"{outline:3px solid var(--focus);outline-offset:2px}\n"
	".card{background:#fff;border:1px solid var(--line);border-radius:"
	".75rem;padding:1.25rem;margin:0 0 1.5rem}\n"
	".notice{background:var(--accent-soft);border-left:5px solid "
	"var(--accent);padding:1rem 1.25rem;border-radius:.5rem;"
	"margin:0 0 1.5rem}\n"
	".notice.ok{background:var(--ok-soft);border-color:var(--ok)}\n"
	".notice.bad{background:var(--error-soft);border-color:var(--error)}\n"
	".notice p:last-child{margin:0}\n"
	"fieldset{border:1px solid var(--line);border-radius:.75rem;"
	"background:#fff;padding:1rem 1.25rem 1.25rem;margin:0 0 1.5rem;"
	"min-width:0}\n"
	"fieldset.invalid{border:2px solid var(--error)}\n"
	"legend{float:left;width:100%;padding:0;margin:0 0 .5rem;"
	"font-weight:650;font-size:1.15rem;line-height:1.4}\n"
	"legend+*{clear:both}\n"
	".num{color:var(--muted);font-weight:400;display:block;"
	"font-size:.95rem}\n"
	".help{color:var(--muted);font-size:1rem;margin:0 0 .75rem}\n"
	".error{color:var(--error);font-weight:650;margin:0 0 .75rem}\n"
	".error::before{content:\"\\26A0\\FE0E  \"}\n"
	"label.opt{display:flex;gap:.75rem;align-items:center;min-height:3rem;"
	"padding:.6rem .9rem;margin:.5rem 0;border:1px solid var(--line);"
	"border-radius:.6rem;background:#fff;cursor:pointer}\n"
	"label.opt:hover{border-color:var(--accent)}\n"
	"label.opt input{flex:none;width:1.4rem;height:1.4rem;margin:0;"
	"accent-color:var(--accent)}\n"
	"label.opt.invalid-box{border-style:dashed;color:var(--muted)}\n"
	"label.field{display:block;font-weight:600;margin:0 0 .35rem}\n"
	"label.field.spaced{margin-top:1rem}\n"
	".card>h2:first-child{margin-top:0}\n"
	"input[type=text],input[type=number],input[type=password],textarea"
	"{font:inherit;color:inherit;width:100%;padding:.65rem .8rem;"
	"border:2px solid #6b6b6b;border-radius:.5rem;background:#fff}\n"
	"input[type=number]{max-width:9rem}\n"
	"textarea{min-height:8rem;resize:vertical}\n"
	"input.code{font-family:ui-monospace,\"DejaVu Sans Mono\",monospace;"
	"font-size:1.3rem;letter-spacing:.08em;text-transform:uppercase;"
	"max-width:20rem}\n"
	"button{font:inherit;font-weight:650;min-height:3rem;padding:.7rem "
	"1.6rem;border:0;border-radius:.6rem;background:var(--accent);"
	"color:#fff;cursor:pointer}\n"
	"button.secondary{background:#fff;color:var(--accent);border:2px "
	"solid var(--accent)}\n"
	".actions{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;"
	"margin:1.5rem 0}\n"
	"dl.answers{margin:0}\n"
	"dl.answers dt{font-weight:600;margin-top:1rem}\n"
	"dl.answers dt:first-child{margin-top:0}\n"
	"dl.answers dd{margin:.25rem 0 0;padding-left:1rem;border-left:3px "
	"solid var(--accent)}\n"
	"ol.steps{padding-left:1.4rem}\n"
	"ol.steps li{margin:.4rem 0}\n"
	"table{border-collapse:collapse;width:100%;font-size:1rem}\n"
	"th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid "
	"var(--line);vertical-align:top}\n"
	"footer.site{margin-top:2.5rem;padding-top:1rem;border-top:1px solid "
	"var(--line);color:var(--muted);font-size:1rem}\n"
	".skip{position:absolute;left:-999px}\n"
	".skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}\n"
	"span.code{white-space:nowrap;font-family:ui-monospace,\"DejaVu Sans "
	"Mono\",monospace}\n"
	"figure.crop{margin:1.5rem 0 .5rem}\n"
	"figure.crop img{display:block;max-width:100%;height:auto;border:1px "
	"solid var(--line);background:#fff}\n"
	"figure.crop figcaption{font-size:.95rem;color:var(--muted)}\n"
	"ul.queue li{margin:.5rem 0}\n"
	"ul.suggest{list-style:none;padding:0;margin:0 0 .5rem}\n"
	"ul.suggest li{margin:.5rem 0}\n"
	"a.code{font-family:ui-monospace,\"DejaVu Sans Mono\",monospace;"
	"font-size:1.3rem;letter-spacing:.08em}\n"
	".card>h3:first-child{margin-top:0}\n"
	"ul.texts li{margin:.5rem 0;white-space:pre-line}\n"
	"td form button{min-height:2.75rem;padding:.4rem .9rem}\n"
	".described p{white-space:pre-line}\n"
	"input[type=file]{font:inherit;width:100%;min-height:3rem;"
	"padding:.5rem;border:2px dashed #6b6b6b;border-radius:.5rem;"
	"background:#fff}\n"
	".muted{color:var(--muted);font-size:.95rem}\n"
	".verdict.ok{color:var(--ok)}\n"
	".verdict.bad{color:var(--error)}\n"
	".verdict.warn{color:#7a4a00}\n"
	".notice.warn{background:#fff4e0;border-color:#c27400}\n"
	".notice.plain{background:#fff;border-color:var(--line)}\n"
	".scroll{overflow-x:auto;margin:0 0 1rem}\n"
	/* On a phone the table scrolls in its box rather than break words. */
	".scroll table{min-width:26rem;overflow-wrap:normal}\n"
	".charts{display:grid;gap:1rem;margin:1rem 0 0}\n"
	".charts figure{margin:0;max-width:34rem}\n"
	"img.proof{display:block;max-width:100%;height:auto;margin:.5rem 0;"
	"border:1px solid #888}\n"
	".charts img{display:block;width:100%;height:auto;border:1px solid "
	"var(--line);border-radius:.5rem;background:#fff}\n"
	".charts figcaption{font-size:.95rem;color:var(--muted);"
	"margin-top:.25rem}\n"
	".downloads a{margin-right:1rem;white-space:nowrap}\n"
	".visually-hidden{position:absolute;width:1px;height:1px;overflow:"
	"hidden;clip:rect(0 0 0 0);white-space:nowrap}\n"
	/* The board's survey editor (editor.c). */
	"select,input[type=date]{font:inherit;color:inherit;max-width:100%;"
	"padding:.55rem .7rem;border:2px solid #6b6b6b;border-radius:.5rem;"
	"background:#fff}\n"
	".field{margin:0 0 1rem}\n"
	"input.short{max-width:9rem}\n"
	"textarea.rows2{min-height:4.5rem}\n"
	"textarea.code{font-family:ui-monospace,\"DejaVu Sans Mono\","
	"monospace;font-size:.9rem;min-height:30rem}\n"
	".row{display:flex;flex-wrap:wrap;gap:0 1rem;align-items:flex-end}\n"
	"section.item{border-top:2px solid var(--line);padding-top:.5rem;"
	"margin-top:1.5rem}\n"
	"div.option{border-left:3px solid var(--line);padding-left:.75rem;"
	"margin:0 0 1rem}\n"
	".actions.tight{margin:.5rem 0 1rem;gap:.5rem}\n"
	"button.small{min-height:2.75rem;padding:.35rem .9rem;font-size:1rem}\n"
	"details{margin:0 0 1rem}\n"
	"summary{cursor:pointer;font-weight:600;min-height:2.5rem}\n"
	/* What a script hides stays hidden, whatever its display. */
	"[hidden]{display:none!important}\n";

enum server_outcome server_html_static(struct server_reply *rep,
				       const char *body, size_t len,
				       const char *content_type)
{
	strbuf_add(&rep->body, body, len);
	rep->content_type = content_type;
	rep->cacheable = true;
	return SERVER_REPLY;
}

enum server_outcome server_html_css(struct server_request *req,
				    struct server_reply *rep)
{
	(void)req;
	return server_html_static(rep, css, sizeof(css) - 1,
				  "text/css; charset=utf-8");
}

static const char *t(enum survey_lang lang, const char *nl, const char *en)
{
	return lang == SURVEY_EN ? en : nl;
}

void server_html_begin(struct server_request *req, struct strbuf *out,
		       const char *title, const char *lang_link)
{
	const struct survey *s = req->sv->survey;
	enum survey_lang lang = req->lang;

	strbuf_addf(out,
		    "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
		    "<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, "
		    "initial-scale=1\">\n"
		    "<meta name=\"referrer\" content=\"no-referrer\">\n"
		    "<title>",
		    survey_lang_code(lang));
	if (title && *title) {
		strbuf_add_html(out, title);
		strbuf_addstr(out, " – ");
	}
	strbuf_add_html(out, survey_text_get(&s->title, lang));
	strbuf_addstr(out, "</title>\n<link rel=\"stylesheet\" "
			   "href=\"/static/style.css\">\n</head>\n<body>\n");
	strbuf_addf(out, "<a class=\"skip\" href=\"#inhoud\">%s</a>\n",
		    msg_get(lang, MSG_PAGE_SKIP));
	strbuf_addstr(out, "<div class=\"page\">\n<header class=\"site\">"
			   "<div><span class=\"org\">");
	strbuf_add_html(out, s->organisation);
	strbuf_addstr(out, "</span>");
	/* The front page has the title as its heading already. */
	if (title) {
		strbuf_addstr(out, "<span class=\"title\">");
		strbuf_add_html(out, survey_text_get(&s->title, lang));
		strbuf_addstr(out, "</span>");
	}
	strbuf_addstr(out, "</div>");
	/* A link to each other language the survey offers, in itself. */
	for (unsigned i = 0; lang_link && i < SURVEY_NLANG; i++) {
		const char *code = survey_lang_code((enum survey_lang)i);

		if (i == (unsigned)lang || !s->languages[i])
			continue;
		strbuf_addstr(out, "<a class=\"lang\" href=\"");
		strbuf_add_html(out, lang_link);
		strbuf_addf(out, "%slang=%s\" lang=\"%s\" hreflang=\"%s\">",
			    strchr(lang_link, '?') ? "&amp;" : "?", code, code,
			    code);
		strbuf_add_html(out, msg_lang_name((enum survey_lang)i));
		strbuf_addstr(out, "</a>");
	}
	strbuf_addstr(out, "</header>\n<main id=\"inhoud\">\n");
}

void server_html_end(struct server_request *req, struct strbuf *out)
{
	const struct survey *s = req->sv->survey;
	const char *contact = survey_text_get(&s->contact, req->lang);

	strbuf_addstr(out, "</main>\n<footer class=\"site\">");
	if (contact)
		server_html_paragraphs(out, contact);
	/* What is kept and for how long, on every page (issue 15). */
	/* On a host, the statement of this survey (hosting.h). */
	if (!req->srv->host || req->sv->slug[0])
		strbuf_addf(out, "<p><a href=\"/privacy%s%s%s\">%s</a></p>",
			    req->srv->host ? "/" : "", req->sv->slug,
			    server_lang_query(req),
			    msg_get(req->lang, MSG_PRIVACY_TITLE));
	strbuf_addstr(out, "</footer>\n</div>\n</body>\n</html>\n");
}

void server_html_message(struct server_request *req, struct server_reply *rep,
			 const char *heading, const char *text)
{
	struct strbuf *out = &rep->body;

	strbuf_reset(out);
	server_html_begin(req, out, heading ? heading : "", NULL);
	if (heading) {
		strbuf_addstr(out, "<h1>");
		strbuf_add_html(out, heading);
		strbuf_addstr(out, "</h1>\n");
	}
	if (text) {
		strbuf_addstr(out, "<p>");
		strbuf_add_html(out, text);
		strbuf_addstr(out, "</p>\n");
	}
	strbuf_addf(out, "<p><a href=\"/%s\">%s</a></p>\n",
		    server_lang_query(req),
		    msg_get(req->lang, MSG_PAGE_TO_FRONT));
	server_html_end(req, out);
}

void server_html_store_failed(struct server_request *req,
			      struct server_reply *rep)
{
	rep->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
	server_html_message(req, rep, msg_get(req->lang, MSG_PAGE_FAILED_TITLE),
			    msg_get(req->lang, MSG_PAGE_STORE_FAILED));
}

void server_html_notice(struct strbuf *out, const char *text)
{
	if (!text)
		return;
	strbuf_addstr(out, "<div class=\"notice ok\" role=\"status\"><p>");
	strbuf_add_html(out, text);
	strbuf_addstr(out, "</p></div>\n");
}

void server_html_intro(struct strbuf *out, const struct survey *s,
		       enum survey_lang lang)
{
	const char *intro = survey_text_get(&s->intro, lang);

	if (!intro || !*intro)
		return;
	strbuf_addf(out, "<h2>%s</h2>\n", msg_get(lang, MSG_RESIDENT_ABOUT));
	server_html_paragraphs(out, intro);
}

void server_html_paragraphs(struct strbuf *out, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *end = strstr(p, "\n\n");
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char *para = malloc(len + 1);

		if (!para)
			return;
		memcpy(para, p, len);
		para[len] = '\0';
		/* Lines within a paragraph flow together. */
		for (char *c = para; *c; c++)
			if (*c == '\n')
				*c = ' ';
		if (len && strspn(para, " ") != len) {
			strbuf_addstr(out, "<p>");
			strbuf_add_html(out, para);
			strbuf_addstr(out, "</p>\n");
		}
		free(para);
		p += len;
		while (*p == '\n')
			p++;
	}
}

void server_html_date(struct strbuf *out, const char *ymd,
		      enum survey_lang lang)
{
	struct strbuf date = STRBUF_INIT;

	msg_date(&date, lang, ymd, 1);
	strbuf_add_html(out, date.buf);
	strbuf_release(&date);
}

/* One radio button or check box with its label. */
static void option(struct strbuf *out, const struct survey_question *q,
		   const char *type, const char *value, const char *label,
		   bool checked, bool invalid_box, const char *describedby)
{
	strbuf_addf(out, "<label class=\"opt%s\"><input type=\"%s\" name=\"q_",
		    invalid_box ? " invalid-box" : "", type);
	strbuf_add_html(out, q->id);
	strbuf_addstr(out, "\" value=\"");
	strbuf_add_html(out, value);
	strbuf_addch(out, '"');
	if (checked)
		strbuf_addstr(out, " checked");
	if (describedby && *describedby) {
		strbuf_addstr(out, " aria-describedby=\"");
		strbuf_add_html(out, describedby);
		strbuf_addch(out, '"');
	}
	strbuf_addstr(out, "> <span>");
	strbuf_add_html(out, label);
	strbuf_addstr(out, "</span></label>\n");
}

void server_html_question(struct strbuf *out, const struct survey_question *q,
			  size_t n, const struct survey_answers *values,
			  const char *error, bool paper, enum survey_lang lang)
{
	const char *help = survey_text_get(&q->help, lang);
	const char *first = values ? survey_answers_first(values, q) : NULL;
	struct strbuf ids = STRBUF_INIT, id = STRBUF_INIT;

	strbuf_add_html(&id, q->id);
	if (error)
		strbuf_addf(&ids, "err-%s", id.buf);
	if (help)
		strbuf_addf(&ids, "%shelp-%s", ids.len ? " " : "", id.buf);

	strbuf_addf(out, "<fieldset id=\"q-%s\"%s>\n<legend>", id.buf,
		    error ? " class=\"invalid\"" : "");
	strbuf_addf(out, "<span class=\"num\">%s %zu%s</span>",
		    t(lang, "Vraag", "Question"), n,
		    q->required ? t(lang, " (verplicht)", " (required)") : "");
	strbuf_add_html(out, survey_text_get(&q->text, lang));
	strbuf_addstr(out, "</legend>\n");
	if (help) {
		strbuf_addf(out, "<p class=\"help\" id=\"help-%s\">", id.buf);
		strbuf_add_html(out, help);
		strbuf_addstr(out, "</p>\n");
	}
	if (error) {
		strbuf_addf(out, "<p class=\"error\" id=\"err-%s\">", id.buf);
		strbuf_add_html(out, error);
		strbuf_addstr(out, "</p>\n");
	}

	switch (q->type) {
	case SURVEY_Q_PROPOSITION:
	case SURVEY_Q_CHOICE:
	case SURVEY_Q_YESNO:
	case SURVEY_Q_MULTI: {
		bool multi = q->type == SURVEY_Q_MULTI;

		if (multi && q->max_choices && !paper) {
			strbuf_addf(out, "<p class=\"help\">");
			strbuf_addf(out,
				    lang == SURVEY_EN ? "Choose at most %u."
						      : "Kies er hoogstens %u.",
				    q->max_choices);
			strbuf_addstr(out, "</p>\n");
		}
		for (size_t k = 0; k < q->nr_options; k++) {
			const struct survey_option *o = &q->options[k];

			option(out, q, multi ? "checkbox" : "radio", o->id,
			       survey_text_get(&o->label, lang),
			       values && survey_answers_has(values, q, o->id),
			       false, ids.buf);
		}
		if (paper && !multi)
			option(out, q, "radio", SURVEY_VALUE_INVALID,
			       t(lang,
				 "Ongeldig: meer dan één vakje aangekruist",
				 "Invalid: more than one box ticked"),
			       values &&
				       survey_answers_has(values, q,
							  SURVEY_VALUE_INVALID),
			       true, ids.buf);
		break;
	}
	case SURVEY_Q_SCALE:
		for (long v = q->min; v <= q->max; v++) {
			struct strbuf label = STRBUF_INIT, val = STRBUF_INIT;
			const char *end =
				v == q->min
					? survey_text_get(&q->min_label, lang)
				: v == q->max
					? survey_text_get(&q->max_label, lang)
					: NULL;

			strbuf_addf(&val, "%ld", v);
			strbuf_addf(&label, "%ld", v);
			if (end)
				strbuf_addf(&label, " – %s", end);
			option(out, q, "radio", val.buf, label.buf,
			       values && survey_answers_has(values, q, val.buf),
			       false, ids.buf);
			strbuf_release(&label);
			strbuf_release(&val);
		}
		break;
	case SURVEY_Q_NUMBER:
		strbuf_addf(
			out,
			"<label class=\"field\" for=\"in-%s\">%s "
			"(%ld–%ld)</label>\n"
			"<input type=\"number\" inputmode=\"numeric\" "
			"id=\"in-%s\" name=\"q_%s\" min=\"%ld\" max=\"%ld\" "
			"step=\"1\" value=\"",
			id.buf, t(lang, "Aantal", "Number"), q->min, q->max,
			id.buf, id.buf, q->min, q->max);
		if (first)
			strbuf_add_html(out, first);
		strbuf_addch(out, '"');
		if (ids.len)
			strbuf_addf(out, " aria-describedby=\"%s\"", ids.buf);
		strbuf_addstr(out, ">\n");
		break;
	case SURVEY_Q_TEXT:
		strbuf_addf(out,
			    "<label class=\"field\" for=\"in-%s\">%s</label>\n"
			    "<textarea id=\"in-%s\" name=\"q_%s\" rows=\"5\" "
			    "maxlength=\"%u\"",
			    id.buf,
			    paper ? msg_get(lang, MSG_ENTRY_TEXT_LABEL)
				  : t(lang, "Uw antwoord (niet verplicht)",
				      "Your answer (optional)"),
			    id.buf, id.buf, q->max_length);
		if (ids.len)
			strbuf_addf(out, " aria-describedby=\"%s\"", ids.buf);
		strbuf_addch(out, '>');
		if (first)
			strbuf_add_html(out, first);
		strbuf_addstr(out, "</textarea>\n");
		break;
	}
	strbuf_addstr(out, "</fieldset>\n");
	strbuf_release(&ids);
	strbuf_release(&id);
}

void server_html_error_summary(struct strbuf *out, const struct survey *s,
			       char **errors, bool paper, enum survey_lang lang)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nr_questions; i++)
		n += errors[i] != NULL;
	if (!n)
		return;
	/* Nothing was stored: the resident sends, the volunteer saves. */
	strbuf_addf(out,
		    "<div class=\"notice bad\" role=\"alert\"><p><strong>%s"
		    "</strong></p><ul>\n",
		    msg_get(lang, paper ? (n == 1 ? MSG_ENTRY_FIX_ONE
						  : MSG_ENTRY_FIX_SOME)
					: (n == 1 ? MSG_RESIDENT_FIX_ONE
						  : MSG_RESIDENT_FIX_SOME)));
	for (size_t i = 0; i < s->nr_questions; i++) {
		if (!errors[i])
			continue;
		strbuf_addstr(out, "<li><a href=\"#q-");
		strbuf_add_html(out, s->questions[i].id);
		strbuf_addf(out,
			    "\">%s %zu</a>: ", t(lang, "Vraag", "Question"),
			    i + 1);
		strbuf_add_html(out, errors[i]);
		strbuf_addstr(out, "</li>\n");
	}
	strbuf_addstr(out, "</ul></div>\n");
}

/* What a stored value means to a person. */
static void answer_text(struct strbuf *out, const struct survey_question *q,
			const char *value, enum survey_lang lang)
{
	const struct survey_option *o = survey_find_option(q, value);

	const char *end = NULL;

	if (!strcmp(value, SURVEY_VALUE_INVALID)) {
		strbuf_addstr(out, t(lang, "ongeldig (meer dan één vakje)",
				     "invalid (more than one box)"));
		return;
	}
	if (o) {
		strbuf_add_html(out, survey_text_get(&o->label, lang));
		return;
	}
	strbuf_add_html(out, value);
	/* A scale's ends have words: "5 – Heel tevreden". */
	if (q->type == SURVEY_Q_SCALE) {
		char min[24], max[24];

		snprintf(min, sizeof(min), "%ld", q->min);
		snprintf(max, sizeof(max), "%ld", q->max);
		if (!strcmp(value, min))
			end = survey_text_get(&q->min_label, lang);
		else if (!strcmp(value, max))
			end = survey_text_get(&q->max_label, lang);
	}
	if (end) {
		strbuf_addstr(out, " – ");
		strbuf_add_html(out, end);
	}
}

void server_html_answers(struct strbuf *out, const struct survey *s,
			 const struct survey_answers *a, enum survey_lang lang)
{
	strbuf_addstr(out, "<dl class=\"answers\">\n");
	for (size_t i = 0; i < s->nr_questions; i++) {
		const struct survey_question *q = &s->questions[i];
		bool any = false;

		strbuf_addstr(out, "<dt>");
		strbuf_add_html(out, survey_text_get(&q->text, lang));
		strbuf_addstr(out, "</dt>\n<dd>");
		/* Boxes in the order of the form, then anything else. */
		for (size_t o = 0; o < q->nr_options; o++) {
			if (!survey_answers_has(a, q, q->options[o].id))
				continue;
			if (any)
				strbuf_addstr(out, "; ");
			answer_text(out, q, q->options[o].id, lang);
			any = true;
		}
		for (size_t k = 0; k < a->nr; k++) {
			if (a->a[k].q != q ||
			    survey_find_option(q, a->a[k].value))
				continue;
			if (any)
				strbuf_addstr(out, "; ");
			answer_text(out, q, a->a[k].value, lang);
			any = true;
		}
		if (!any)
			strbuf_addf(out, "<em>%s</em>",
				    t(lang, "niet beantwoord", "not answered"));
		strbuf_addstr(out, "</dd>\n");
	}
	strbuf_addstr(out, "</dl>\n");
}
