/*
 * editor.c - the survey definer in the browser (see editor.h).
 *
 * Every field of the form is named by what it is and the YAML path of
 * its node ("S:/buurten/0/households"), so that reading a POST needs no
 * knowledge of the survey's shape: each field present is applied to the
 * stored text in order, and a field whose value did not change touches
 * nothing.  The kinds:
 *
 *   S  a value that must be there (empty writes "", for the validator
 *      to name at the field)
 *   s  an optional value (empty removes the key)
 *   D  a value with a default (left out while it was out and still is
 *      the default)
 *   T  a text that must be there, t an optional one: the Dutch; its
 *      English is the field e with the same path
 *   c  a threshold's comparison, its share the field v with the same path
 *   L  the languages
 *
 * Buttons named op add, remove and move questions, options and buurten;
 * they save the whole form as "Opslaan" does, so nothing typed is lost.
 */
#include "editor.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agreement.h"
#include "definition.h"
#include "diag.h"
#include "html.h"
#include "msg.h"
#include "responses.h"
#include "staff.h"
#include "survey.h"
#include "writer.h"
#include "xalloc.h"
#include "yamledit.h"
#include "banned.h"

#define EDITOR_PATH "/bestuur/vragenlijst"

/* ---- the page --------------------------------------------------------- */

struct page {
	struct server_request *req;
	enum survey_lang l;
	struct yamledit *ye;
	struct diag_list *dl; /* about the text shown; NULL: none */
	bool *claimed;	      /* per diagnostic: shown at a field */
	size_t shown;	      /* diagnostics shown at fields */
	bool disabled;	      /* the fields being written are read-only */
	bool frozen;	      /* the agreement is: answers exist */
	unsigned nr;	      /* fields so far, for their ids */
	struct strbuf *out;
};

#define M(pg, id) msg_get((pg)->l, MSG_EDITOR_##id)

static void html(struct strbuf *out, const char *s)
{
	strbuf_add_html(out, s ? s : "");
}

/* A message that takes one number (b < 0) or two. */
static void msg_num(struct strbuf *out, enum survey_lang l, enum msg_id id,
		    long a, long b)
{
	char x[24], y[24];

	snprintf(x, sizeof(x), "%ld", a);
	snprintf(y, sizeof(y), "%ld", b);
	if (b < 0)
		msg_add(out, l, id, x);
	else
		msg_add(out, l, id, x, y);
}

/*
 * The diagnostics about the node at path not shown yet, as paragraphs
 * with ids f<id>-e<k>, added to ids for aria-describedby.
 */
static void errors_at(struct page *pg, const char *path, unsigned id,
		      struct strbuf *ids, bool *invalid)
{
	int first, last;

	if (!pg->dl || yamledit_lines(pg->ye, path, &first, &last) < 0)
		return;
	for (size_t i = 0; i < pg->dl->nr; i++) {
		const struct diag *d = &pg->dl->items[i];

		if (pg->claimed[i] || d->line < first || d->line > last)
			continue;
		pg->claimed[i] = true;
		pg->shown++;
		strbuf_addf(pg->out, "<p class=\"%s\" id=\"f%u-e%zu\">",
			    d->level == DIAG_ERROR ? "error" : "help", id, i);
		if (d->level == DIAG_WARNING) {
			strbuf_addstr(pg->out, M(pg, WARNING));
			strbuf_addch(pg->out, ' ');
		}
		html(pg->out, d->msg);
		strbuf_addstr(pg->out, "</p>\n");
		strbuf_addf(ids, "%sf%u-e%zu", ids->len ? " " : "", id, i);
		if (d->level == DIAG_ERROR)
			*invalid = true;
	}
}

static void attrs(struct page *pg, unsigned id, char kind, const char *path,
		  const struct strbuf *ids, bool invalid)
{
	strbuf_addf(pg->out, " id=\"f%u\" name=\"%c:", id, kind);
	html(pg->out, path);
	strbuf_addch(pg->out, '"');
	if (ids->len) {
		strbuf_addstr(pg->out, " aria-describedby=\"");
		strbuf_addstr(pg->out, ids->buf);
		strbuf_addch(pg->out, '"');
	}
	if (invalid)
		strbuf_addstr(pg->out, " aria-invalid=\"true\"");
	if (pg->disabled)
		strbuf_addstr(pg->out, " disabled");
}

static void hint_at(struct page *pg, unsigned id, const char *hint,
		    struct strbuf *ids)
{
	if (!hint)
		return;
	strbuf_addf(pg->out, "<p class=\"help\" id=\"f%u-h\">", id);
	html(pg->out, hint);
	strbuf_addstr(pg->out, "</p>\n");
	strbuf_addf(ids, "%sf%u-h", ids->len ? " " : "", id);
}

/* A one-line field; type "text", "date" or "number". */
static void input(struct page *pg, char kind, const char *path,
		  const char *label, const char *type, const char *hint)
{
	unsigned id = ++pg->nr;
	struct strbuf ids = STRBUF_INIT;
	bool invalid = false;

	strbuf_addf(pg->out,
		    "<div class=\"field\"><label class=\"field\" "
		    "for=\"f%u\">",
		    id);
	html(pg->out, label);
	strbuf_addstr(pg->out, "</label>\n");
	hint_at(pg, id, hint, &ids);
	errors_at(pg, path, id, &ids, &invalid);
	strbuf_addf(pg->out, "<input type=\"%s\"",
		    !strcmp(type, "number") ? "text" : type);
	if (!strcmp(type, "number"))
		strbuf_addstr(pg->out,
			      " inputmode=\"numeric\" class=\"short\"");
	attrs(pg, id, kind, path, &ids, invalid);
	strbuf_addstr(pg->out, " value=\"");
	html(pg->out, yamledit_get(pg->ye, path));
	strbuf_addstr(pg->out, "\"></div>\n");
	strbuf_release(&ids);
}

struct choice {
	const char *value;
	enum msg_id label;
};

static void select_field(struct page *pg, char kind, const char *path,
			 const char *label, const char *value,
			 const struct choice *c, size_t n, const char *hint)
{
	unsigned id = ++pg->nr;
	struct strbuf ids = STRBUF_INIT;
	bool invalid = false, found = false;

	strbuf_addf(pg->out,
		    "<div class=\"field\"><label class=\"field\" "
		    "for=\"f%u\">",
		    id);
	html(pg->out, label);
	strbuf_addstr(pg->out, "</label>\n");
	hint_at(pg, id, hint, &ids);
	errors_at(pg, path, id, &ids, &invalid);
	strbuf_addstr(pg->out, "<select");
	attrs(pg, id, kind, path, &ids, invalid);
	strbuf_addstr(pg->out, ">\n");
	for (size_t i = 0; i < n; i++) {
		bool sel = !strcmp(value ? value : "", c[i].value);

		found |= sel;
		strbuf_addstr(pg->out, "<option value=\"");
		html(pg->out, c[i].value);
		strbuf_addf(pg->out, "\"%s>%s</option>\n",
			    sel ? " selected" : "", msg_get(pg->l, c[i].label));
	}
	if (!found && value) {
		/* Something the form has no word for: keep it as written. */
		strbuf_addstr(pg->out, "<option selected value=\"");
		html(pg->out, value);
		strbuf_addstr(pg->out, "\">");
		html(pg->out, value);
		strbuf_addstr(pg->out, "</option>\n");
	}
	strbuf_addstr(pg->out, "</select></div>\n");
	strbuf_release(&ids);
}

/* A text in Dutch and English. */
static void text_field(struct page *pg, bool required, const char *path,
		       const char *label, int rows)
{
	unsigned id = ++pg->nr;
	struct strbuf ids = STRBUF_INIT, sub = STRBUF_INIT;
	bool invalid = false, map = yamledit_is_mapping(pg->ye, path);
	const char *nl = NULL, *en = NULL;

	strbuf_addstr(pg->out, "<fieldset class=\"text\"><legend>");
	html(pg->out, label);
	strbuf_addstr(pg->out, "</legend>\n");
	errors_at(pg, path, id, &ids, &invalid);
	for (int lang = 0; lang < 2; lang++) {
		strbuf_reset(&sub);
		if (lang == 0 && !map)
			strbuf_addstr(&sub, path);
		else
			strbuf_addf(&sub, "%s/%s", path, lang ? "en" : "nl");
		if (lang == 0)
			nl = yamledit_get(pg->ye, sub.buf);
		else
			en = yamledit_get(pg->ye, sub.buf);
		strbuf_addf(
			pg->out,
			"<label class=\"field%s\" for=\"f%u%s\">%s</label>\n",
			lang ? " spaced" : "", id, lang ? "-en" : "",
			lang ? M(pg, ENGLISH) : M(pg, DUTCH));
		strbuf_addstr(pg->out,
			      rows ? "<textarea" : "<input type=\"text\"");
		strbuf_addf(pg->out, " id=\"f%u%s\" name=\"%c:", id,
			    lang ? "-en" : "",
			    lang       ? 'e'
			    : required ? 'T'
				       : 't');
		html(pg->out, path);
		strbuf_addch(pg->out, '"');
		if (ids.len)
			strbuf_addf(pg->out, " aria-describedby=\"%s\"",
				    ids.buf);
		if (invalid)
			strbuf_addstr(pg->out, " aria-invalid=\"true\"");
		if (pg->disabled)
			strbuf_addstr(pg->out, " disabled");
		if (rows) {
			/* The newline after the tag is not part of the value. */
			strbuf_addf(pg->out, " rows=\"%d\" class=\"rows%d\">\n",
				    rows, rows);
			html(pg->out, lang ? en : nl);
			strbuf_addstr(pg->out, "</textarea>\n");
		} else {
			strbuf_addstr(pg->out, " value=\"");
			html(pg->out, lang ? en : nl);
			strbuf_addstr(pg->out, "\">\n");
		}
	}
	strbuf_addstr(pg->out, "</fieldset>\n");
	strbuf_release(&ids);
	strbuf_release(&sub);
}

/* A threshold: the comparison in words and the share. */
static void threshold_field(struct page *pg, const char *path,
			    const char *label, bool quorum, bool buurt)
{
	const char *cur = yamledit_get(pg->ye, path);
	struct agreement_threshold t = { 0 };
	const char *why, *cmp = "";
	struct strbuf share = STRBUF_INIT, ids = STRBUF_INIT;
	unsigned id = ++pg->nr;
	bool invalid = false;
	struct choice c[5];
	size_t n = 0;

	if (quorum && cur &&
	    (!strcasecmp(cur, "none") || !strcasecmp(cur, "geen"))) {
		/* No quorum, as the definition writes it (see definition.c). */
		cmp = "none";
	} else if (cur &&
		   agreement_parse_threshold(cur, false, &t, &why) == 0) {
		cmp = !t.set ? "none" : t.cmp == AGREEMENT_GT ? "gt" : "ge";
		if (t.set)
			agreement_format_share(&t, SURVEY_NL, &share);
	} else if (cur) {
		cmp = "asis";
		strbuf_addstr(&share, cur);
	} else if (quorum && !buurt) {
		cmp = "none";
	}
	if (buurt)
		c[n++] = (struct choice){ "", MSG_EDITOR_AS_SURVEY };
	else if (!quorum)
		c[n++] = (struct choice){ "", MSG_EDITOR_NOT_CHOSEN };
	if (quorum)
		c[n++] = (struct choice){ "none", MSG_EDITOR_NO_QUORUM };
	c[n++] = (struct choice){ "gt", MSG_EDITOR_MORE_THAN };
	c[n++] = (struct choice){ "ge", MSG_EDITOR_AT_LEAST };
	if (!strcmp(cmp, "asis"))
		c[n++] = (struct choice){ "asis", MSG_EDITOR_AS_WRITTEN };

	strbuf_addstr(pg->out, "<fieldset class=\"threshold\"><legend>");
	html(pg->out, label);
	strbuf_addstr(pg->out, "</legend>\n");
	hint_at(pg, id, quorum ? M(pg, QUORUM_HINT) : M(pg, FAVOUR_HINT), &ids);
	errors_at(pg, path, id, &ids, &invalid);
	strbuf_addstr(pg->out, "<div class=\"row\">");
	strbuf_addf(pg->out,
		    "<div><label class=\"field\" for=\"f%u\">%s</label>"
		    "<select",
		    id, M(pg, COMPARISON));
	attrs(pg, id, 'c', path, &ids, invalid);
	strbuf_addstr(pg->out, ">\n");
	for (size_t i = 0; i < n; i++)
		strbuf_addf(pg->out, "<option value=\"%s\"%s>%s</option>\n",
			    c[i].value,
			    !strcmp(cmp, c[i].value) ? " selected" : "",
			    msg_get(pg->l, c[i].label));
	strbuf_addf(pg->out,
		    "</select></div><div><label class=\"field\" "
		    "for=\"f%u-v\">%s</label><input type=\"text\" "
		    "class=\"short\" id=\"f%u-v\" name=\"v:",
		    id, M(pg, SHARE), id);
	html(pg->out, path);
	strbuf_addch(pg->out, '"');
	if (ids.len)
		strbuf_addf(pg->out, " aria-describedby=\"%s\"", ids.buf);
	if (invalid)
		strbuf_addstr(pg->out, " aria-invalid=\"true\"");
	if (pg->disabled)
		strbuf_addstr(pg->out, " disabled");
	strbuf_addstr(pg->out, " value=\"");
	html(pg->out, share.buf);
	strbuf_addstr(pg->out, "\"></div></div>\n</fieldset>\n");
	strbuf_release(&share);
	strbuf_release(&ids);
}

/* The default of the key at path, for the 'D' fields. */
static const char *default_of(const char *path)
{
	const char *key = strrchr(path, '/');

	key = key ? key + 1 : path;
	if (!strcmp(key, "neutral"))
		return strstr(path, "/questions/") ? "true" : "left_out";
	if (!strcmp(key, "required") || !strcmp(key, "double_entry") ||
	    !strcmp(key, "public_results"))
		return "false";
	if (!strcmp(key, "blank") || !strcmp(key, "invalid"))
		return "left_out";
	if (!strcmp(key, "basis"))
		return "votes";
	if (!strcmp(key, "silent"))
		return "against";
	if (!strcmp(key, "decision"))
		return "each";
	if (!strcmp(key, "conflict"))
		return "latest";
	return "";
}

static const char *value_or_default(struct page *pg, const char *path)
{
	const char *v = yamledit_get(pg->ye, path);

	return v ? v : default_of(path);
}

static void button(struct page *pg, const char *op, const char *path,
		   const char *label, const char *what)
{
	strbuf_addf(pg->out,
		    "<button class=\"secondary small\" type=\"submit\" "
		    "name=\"op\" value=\"%s:",
		    op);
	html(pg->out, path);
	strbuf_addstr(pg->out, "\">");
	html(pg->out, label);
	if (what) {
		strbuf_addstr(pg->out, "<span class=\"visually-hidden\"> (");
		html(pg->out, what);
		strbuf_addstr(pg->out, ")</span>");
	}
	strbuf_addstr(pg->out, "</button>\n");
}

/* Up, down and remove for item i of n at path. */
static void item_buttons(struct page *pg, const char *path, size_t i, size_t n,
			 const char *what)
{
	strbuf_addstr(pg->out, "<div class=\"actions tight\">");
	if (i > 0)
		button(pg, "up", path, M(pg, UP), what);
	if (i + 1 < n)
		button(pg, "down", path, M(pg, DOWN), what);
	if (n > 1)
		button(pg, "del", path, M(pg, REMOVE), what);
	strbuf_addstr(pg->out, "</div>\n");
}

static const struct choice yes_no[] = {
	{ "false", MSG_EDITOR_NO },
	{ "true", MSG_EDITOR_YES },
};

static void agreement_fields(struct page *pg, const char *base, bool buurt)
{
	static const struct choice basis[] = {
		{ "", MSG_EDITOR_AS_SURVEY },
		{ "votes", MSG_EDITOR_BASIS_VOTES },
		{ "responses", MSG_EDITOR_BASIS_RESPONSES },
		{ "households", MSG_EDITOR_BASIS_HOUSEHOLDS },
	};
	static const struct choice count[] = {
		{ "", MSG_EDITOR_AS_SURVEY },
		{ "left_out", MSG_EDITOR_LEFT_OUT },
		{ "against", MSG_EDITOR_AGAINST },
	};
	static const struct choice silent[] = {
		{ "", MSG_EDITOR_AS_SURVEY },
		{ "against", MSG_EDITOR_SILENT_AGAINST },
		{ "for", MSG_EDITOR_SILENT_FOR },
	};
	static const struct choice decision[] = {
		{ "each", MSG_EDITOR_DECISION_EACH },
		{ "all", MSG_EDITOR_DECISION_ALL },
		{ "pooled", MSG_EDITOR_DECISION_POOLED },
	};
	static const struct {
		const char *key;
		enum msg_id label;
	} counts[] = {
		{ "neutral", MSG_EDITOR_NEUTRAL },
		{ "blank", MSG_EDITOR_BLANK },
		{ "invalid", MSG_EDITOR_INVALID },
	};
	struct strbuf p = STRBUF_INIT;
	const size_t skip = buurt ? 0 : 1; /* no "as the survey" */
	const char kind = buurt ? 's' : 'D';

#define PATH(key) (strbuf_reset(&p), strbuf_addf(&p, "%s/%s", base, key), p.buf)
#define VALUE(key)                                                             \
	(buurt ? yamledit_get(pg->ye, PATH(key))                               \
	       : value_or_default(pg, PATH(key)))
	threshold_field(pg, PATH("min_response"), M(pg, MIN_RESPONSE), true,
			buurt);
	threshold_field(pg, PATH("min_in_favour"), M(pg, MIN_IN_FAVOUR), false,
			buurt);
	select_field(pg, kind, PATH("basis"), M(pg, BASIS), VALUE("basis"),
		     basis + skip, 4 - skip, NULL);
	for (size_t i = 0; i < 3; i++)
		select_field(pg, kind, PATH(counts[i].key),
			     msg_get(pg->l, counts[i].label),
			     VALUE(counts[i].key), count + skip, 3 - skip,
			     i == 0 ? M(pg, COUNTS_HINT) : NULL);
	select_field(pg, kind, PATH("silent"), M(pg, SILENT), VALUE("silent"),
		     silent + skip, 3 - skip, M(pg, SILENT_HINT));
	if (!buurt)
		select_field(pg, 'D', PATH("decision"), M(pg, DECISION),
			     VALUE("decision"), decision, 3, NULL);
	input(pg, 's', PATH("confidence"), M(pg, CONFIDENCE), "text",
	      M(pg, CONFIDENCE_HINT));
	input(pg, 's', PATH("agreed_with"), M(pg, AGREED_WITH), "text", NULL);
	input(pg, 's', PATH("agreed_on"), M(pg, AGREED_ON), "date", NULL);
#undef VALUE
#undef PATH
	strbuf_release(&p);
}

/*
 * The agreement in words that holds at the agreement node at
 * ("/agreement", "/buurten/2/agreement") of s, as the forms, the
 * reports and `check` say it: agreement_describe() of what the
 * definition reader made of it.  False when s has no agreement there.
 * The page and the sentence endpoint both ask this, so that the sentence
 * shown while editing is the one that will be printed.
 */
static bool sentence_at(const struct survey *s, const char *at,
			struct strbuf *out)
{
	unsigned long i;
	char *end;

	if (!s || !s->has_agreement)
		return false;
	if (!strcmp(at, "/agreement")) {
		agreement_describe(&s->agreement, NULL, SURVEY_NL, out);
		return true;
	}
	if (strncmp(at, "/buurten/", 9) || at[9] < '0' || at[9] > '9')
		return false;
	i = strtoul(at + 9, &end, 10);
	if (strcmp(end, "/agreement") || i >= s->nr_buurten)
		return false;
	agreement_describe(&s->buurten[i].agreement, s->buurten[i].name,
			   SURVEY_NL, out);
	return true;
}

/*
 * The agreement in words at the node at, in a live region the script
 * fills again as the fields change (data-at names the node), and the
 * button that shows it without the script: the form as it is, not saved,
 * back at this sentence.  Without a valid survey, what to do instead.
 */
static void sentence(struct page *pg, const struct survey *s, const char *at,
		     const char *what)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned id = ++pg->nr;
	bool has = sentence_at(s, at, &sb);

	strbuf_addf(pg->out,
		    "<div class=\"notice plain\" id=\"f%u\" data-at=\"", id);
	html(pg->out, at);
	strbuf_addstr(pg->out, "\" data-label=\"");
	html(pg->out, M(pg, IN_WORDS));
	strbuf_addf(pg->out, "\" aria-live=\"polite\"%s><p>",
		    !has && s ? " hidden" : "");
	if (has) {
		strbuf_addf(pg->out, "<strong>%s</strong> ", M(pg, IN_WORDS));
		html(pg->out, sb.buf);
	} else if (!s) {
		html(pg->out, M(pg, SENTENCE_AFTER_FIX));
	}
	strbuf_addstr(pg->out, "</p></div>\n");
	if (!pg->frozen) {
		strbuf_addf(pg->out,
			    "<div class=\"actions tight\" data-show>"
			    "<button class=\"secondary small\" "
			    "type=\"submit\" name=\"op\" value=\"show:\" "
			    "formaction=\"" EDITOR_PATH "#f%u\">",
			    id);
		html(pg->out, M(pg, SHOW_SENTENCE));
		if (what) {
			strbuf_addstr(pg->out,
				      "<span class=\"visually-hidden\"> (");
			html(pg->out, what);
			strbuf_addstr(pg->out, ")</span>");
		}
		strbuf_addstr(pg->out, "</button></div>\n");
	}
	strbuf_release(&sb);
}

static const char *type_label(struct page *pg, const char *type)
{
	static const struct {
		const char *name;
		enum msg_id label;
	} types[] = {
		{ "proposition", MSG_EDITOR_TYPE_PROPOSITION },
		{ "choice", MSG_EDITOR_TYPE_CHOICE },
		{ "multi", MSG_EDITOR_TYPE_MULTI },
		{ "scale", MSG_EDITOR_TYPE_SCALE },
		{ "yesno", MSG_EDITOR_TYPE_YESNO },
		{ "number", MSG_EDITOR_TYPE_NUMBER },
		{ "text", MSG_EDITOR_TYPE_TEXT },
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (type && !strcmp(type, types[i].name))
			return msg_get(pg->l, types[i].label);
	return type ? type : "?";
}

static void question(struct page *pg, size_t i, size_t n)
{
	struct strbuf p = STRBUF_INIT, q = STRBUF_INIT, what = STRBUF_INIT;
	const char *type;

#define QP(key)                                                                \
	(strbuf_reset(&p), strbuf_addf(&p, "/questions/%zu/%s", i, key), p.buf)
	type = yamledit_get(pg->ye, QP("type"));
	strbuf_addf(&q, "/questions/%zu", i);
	msg_num(&what, pg->l, MSG_EDITOR_QUESTION_N, (long)(i + 1), -1);
	strbuf_addf(pg->out, "<section class=\"item\" id=\"vraag-%zu\"><h3>",
		    i + 1);
	html(pg->out, what.buf);
	strbuf_addstr(pg->out, ": ");
	html(pg->out, type_label(pg, type));
	strbuf_addstr(pg->out, "</h3>\n");
	input(pg, 'S', QP("id"), M(pg, QUESTION_ID), "text",
	      M(pg, QUESTION_ID_HINT));
	text_field(pg, true, QP("text"), M(pg, QUESTION_TEXT), 2);
	text_field(pg, false, QP("help"), M(pg, QUESTION_HELP), 2);
	select_field(pg, 'D', QP("required"), M(pg, REQUIRED),
		     value_or_default(pg, QP("required")), yes_no, 2, NULL);
	if (type && !strcmp(type, "proposition"))
		select_field(pg, 'D', QP("neutral"), M(pg, OFFER_NEUTRAL),
			     value_or_default(pg, QP("neutral")), yes_no + 0, 2,
			     NULL);
	if (type && (!strcmp(type, "choice") || !strcmp(type, "multi"))) {
		struct strbuf op = STRBUF_INIT, ow = STRBUF_INIT;
		size_t no;

		strbuf_addf(&op, "/questions/%zu/options", i);
		no = yamledit_count(pg->ye, op.buf);
		strbuf_addf(pg->out, "<h4>%s</h4>\n", M(pg, OPTIONS));
		/* The list's own problems ("at least two") sit here. */
		for (size_t k = 0; k < no; k++) {
			struct strbuf o = STRBUF_INIT;

			strbuf_addf(&o, "%s/%zu", op.buf, k);
			strbuf_reset(&ow);
			msg_num(&ow, pg->l, MSG_EDITOR_OPTION_N, (long)(k + 1),
				(long)(i + 1));
			strbuf_addstr(pg->out, "<div class=\"option\">");
			strbuf_addf(pg->out, "<p class=\"muted\">");
			html(pg->out, ow.buf);
			strbuf_addstr(pg->out, "</p>\n");
			strbuf_addf(&o, "/id");
			input(pg, 'S', o.buf, M(pg, OPTION_ID), "text", NULL);
			strbuf_setlen(&o, o.len - 3);
			strbuf_addstr(&o, "/label");
			text_field(pg, true, o.buf, M(pg, OPTION_LABEL), 0);
			strbuf_setlen(&o, o.len - 6);
			item_buttons(pg, o.buf, k, no, ow.buf);
			strbuf_addstr(pg->out, "</div>\n");
			strbuf_release(&o);
		}
		strbuf_addstr(pg->out, "<div class=\"actions tight\">");
		button(pg, "add-option", q.buf, M(pg, ADD_OPTION), what.buf);
		strbuf_addstr(pg->out, "</div>\n");
		if (!strcmp(type, "multi"))
			input(pg, 's', QP("max_choices"), M(pg, MAX_CHOICES),
			      "number", M(pg, MAX_CHOICES_HINT));
		strbuf_release(&op);
		strbuf_release(&ow);
	}
	if (type && (!strcmp(type, "scale") || !strcmp(type, "number"))) {
		input(pg, 'S', QP("min"), M(pg, MIN), "number", NULL);
		input(pg, 'S', QP("max"), M(pg, MAX), "number", NULL);
	}
	if (type && !strcmp(type, "scale")) {
		text_field(pg, false, QP("min_label"), M(pg, MIN_LABEL), 0);
		text_field(pg, false, QP("max_label"), M(pg, MAX_LABEL), 0);
	}
	if (type && !strcmp(type, "text"))
		input(pg, 's', QP("max_length"), M(pg, MAX_LENGTH), "number",
		      M(pg, MAX_LENGTH_HINT));
#undef QP
	item_buttons(pg, q.buf, i, n, what.buf);
	strbuf_addstr(pg->out, "</section>\n");
	strbuf_release(&p);
	strbuf_release(&q);
	strbuf_release(&what);
}

static void buurt(struct page *pg, const struct survey *s, size_t i, size_t n,
		  bool frozen)
{
	struct strbuf p = STRBUF_INIT, what = STRBUF_INIT, fields = STRBUF_INIT;
	struct strbuf *out = pg->out;
	size_t shown = pg->shown;
	const char *name;

#define BP(key)                                                                \
	(strbuf_reset(&p), strbuf_addf(&p, "/buurten/%zu/%s", i, key), p.buf)
	name = yamledit_get(pg->ye, BP("name"));
	msg_num(&what, pg->l, MSG_EDITOR_BUURT_N, (long)(i + 1), -1);
	strbuf_addf(out, "<section class=\"item\" id=\"buurt-%zu\"><h3>",
		    i + 1);
	html(out, what.buf);
	if (name) {
		strbuf_addstr(out, ": ");
		html(out, name);
	}
	strbuf_addstr(out, "</h3>\n");
	input(pg, 'S', BP("id"), M(pg, BUURT_ID), "text", M(pg, BUURT_ID_HINT));
	input(pg, 'S', BP("name"), M(pg, BUURT_NAME), "text", NULL);
	input(pg, 'S', BP("households"), M(pg, HOUSEHOLDS), "number",
	      M(pg, HOUSEHOLDS_HINT));
	strbuf_reset(&p);
	strbuf_addf(&p, "/buurten/%zu/agreement", i);
	sentence(pg, s, p.buf, what.buf);
	/* The buurt's own agreement, open when it has one or a problem. */
	pg->out = &fields;
	pg->disabled = frozen;
	agreement_fields(pg, BP("agreement"), true);
	pg->disabled = false;
	pg->out = out;
	strbuf_addf(out, "<details%s><summary>%s</summary>\n",
		    yamledit_exists(pg->ye, BP("agreement")) ||
				    pg->shown > shown
			    ? " open"
			    : "",
		    M(pg, OWN_AGREEMENT));
	strbuf_addf(out, "<p class=\"help\">%s</p>\n",
		    M(pg, OWN_AGREEMENT_HINT));
	strbuf_add(out, fields.buf, fields.len);
	strbuf_addstr(out, "</details>\n");
#undef BP
	strbuf_reset(&p);
	strbuf_addf(&p, "/buurten/%zu", i);
	item_buttons(pg, p.buf, i, n, what.buf);
	strbuf_addstr(out, "</section>\n");
	strbuf_release(&p);
	strbuf_release(&what);
	strbuf_release(&fields);
}

/* A short fingerprint of the text the form was made from (FNV-1a). */
static void version_of(const char *text, char out[17])
{
	uint64_t h = 1469598103934665603ULL;

	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/*
 * The editor page for the text in ye (the stored one, or an edit that
 * was not saved), with its diagnostics dl at the fields, s the survey
 * when the text is valid, and a notice (class "ok", "bad", ...) at the
 * top.  base is the stored text, for the form's version.
 */
static void render(struct server_request *req, struct server_reply *rep,
		   struct yamledit *ye, struct diag_list *dl,
		   const struct survey *s, bool frozen, const char *base,
		   const char *notice_class, const char *notice)
{
	const char *text = yamledit_text(ye, NULL);
	static const struct choice languages[] = {
		{ "nl", MSG_EDITOR_LANG_NL },
		{ "nl, en", MSG_EDITOR_LANG_NL_EN },
	};
	static const struct choice conflict[] = {
		{ "latest", MSG_EDITOR_CONFLICT_LATEST },
		{ "paper", MSG_EDITOR_CONFLICT_PAPER },
	};
	static const struct choice types[] = {
		{ "proposition", MSG_EDITOR_TYPE_PROPOSITION },
		{ "choice", MSG_EDITOR_TYPE_CHOICE },
		{ "multi", MSG_EDITOR_TYPE_MULTI },
		{ "scale", MSG_EDITOR_TYPE_SCALE },
		{ "yesno", MSG_EDITOR_TYPE_YESNO },
		{ "number", MSG_EDITOR_TYPE_NUMBER },
		{ "text", MSG_EDITOR_TYPE_TEXT },
	};
	struct strbuf body = STRBUF_INIT, langs = STRBUF_INIT;
	struct page pg = {
		.req = req, .l = req->lang, .ye = ye, .dl = dl, .frozen = frozen
	};
	char version[17];
	size_t nq = yamledit_count(ye, "/questions");
	size_t nb = yamledit_count(ye, "/buurten");
	struct strbuf *out = &rep->body;
	size_t left = 0;

	if (dl)
		pg.claimed = xcalloc(dl->nr + 1, sizeof(bool));
	pg.out = &body;

	/* The form's fields first, so that what they leave is known. */
	strbuf_addf(&body, "<section class=\"card\"><h2>%s</h2>\n",
		    M(&pg, GENERAL));
	input(&pg, 'S', "/survey", M(&pg, SURVEY_ID), "text",
	      M(&pg, SURVEY_ID_HINT));
	text_field(&pg, true, "/title", M(&pg, TITLE), 0);
	input(&pg, 'S', "/organisation", M(&pg, ORGANISATION), "text", NULL);
	text_field(&pg, false, "/contact", M(&pg, CONTACT), 2);
	text_field(&pg, false, "/intro", M(&pg, INTRO), 8);
	input(&pg, 'S', "/opens", M(&pg, OPENS), "date", NULL);
	input(&pg, 'S', "/closes", M(&pg, CLOSES), "date", M(&pg, CLOSES_HINT));
	for (size_t i = 0; i < yamledit_count(ye, "/languages"); i++) {
		struct strbuf lp = STRBUF_INIT;

		strbuf_addf(&lp, "/languages/%zu", i);
		strbuf_addf(&langs, "%s%s", i ? ", " : "",
			    yamledit_get(ye, lp.buf) ? yamledit_get(ye, lp.buf)
						     : "");
		strbuf_release(&lp);
	}
	select_field(&pg, 'L', "/languages", M(&pg, LANGUAGES),
		     langs.len ? langs.buf : "nl", languages, 2,
		     M(&pg, LANGUAGES_HINT));
	select_field(&pg, 'D', "/conflict", M(&pg, CONFLICT),
		     value_or_default(&pg, "/conflict"), conflict, 2, NULL);
	select_field(&pg, 'D', "/double_entry", M(&pg, DOUBLE_ENTRY),
		     value_or_default(&pg, "/double_entry"), yes_no, 2,
		     M(&pg, DOUBLE_ENTRY_HINT));
	select_field(&pg, 'D', "/public_results", M(&pg, PUBLIC_RESULTS),
		     value_or_default(&pg, "/public_results"), yes_no, 2,
		     M(&pg, PUBLIC_RESULTS_HINT));
	input(&pg, 's', "/base_url", M(&pg, BASE_URL), "text",
	      M(&pg, BASE_URL_HINT));
	strbuf_addstr(&body, "</section>\n");

	strbuf_addf(&body, "<section class=\"card\"><h2>%s</h2>\n",
		    M(&pg, QUESTIONS));
	for (size_t i = 0; i < nq; i++)
		question(&pg, i, nq);
	strbuf_addstr(&body, "<div class=\"row add\">");
	select_field(&pg, 'x', "/new_question", M(&pg, NEW_TYPE), "choice",
		     types, 7, NULL);
	strbuf_addf(&body,
		    "<div class=\"actions tight\"><button class=\"secondary\" "
		    "type=\"submit\" name=\"op\" value=\"add-question:\">%s"
		    "</button></div></div>\n</section>\n",
		    M(&pg, ADD_QUESTION));

	strbuf_addf(&body, "<section class=\"card\"><h2>%s</h2>\n",
		    M(&pg, BUURTEN));
	for (size_t i = 0; i < nb; i++)
		buurt(&pg, s, i, nb, frozen);
	strbuf_addf(&body,
		    "<div class=\"actions tight\"><button class=\"secondary\" "
		    "type=\"submit\" name=\"op\" value=\"add-buurt:\">%s"
		    "</button></div>\n</section>\n",
		    M(&pg, ADD_BUURT));

	strbuf_addf(&body, "<section class=\"card\"><h2>%s</h2>\n",
		    M(&pg, AGREEMENT));
	strbuf_addf(&body, "<div class=\"notice %s\"><p>%s</p></div>\n",
		    frozen ? "warn" : "plain",
		    frozen ? M(&pg, FROZEN) : M(&pg, FREEZES));
	sentence(&pg, s, "/agreement", NULL);
	pg.disabled = frozen;
	agreement_fields(&pg, "/agreement", false);
	pg.disabled = false;
	strbuf_addstr(&body, "</section>\n");

	/* Now the page, with what no field claimed at the top. */
	server_html_begin(req, out, M(&pg, TITLE_PAGE), NULL);
	server_staff_bar(req, out, &req->session);
	strbuf_addf(out, "<h1 id=\"inhoud\">%s</h1>\n", M(&pg, TITLE_PAGE));
	if (notice) {
		strbuf_addf(out, "<div class=\"notice %s\" role=\"%s\">",
			    notice_class,
			    strcmp(notice_class, "bad") ? "status" : "alert");
		server_html_paragraphs(out, notice);
		strbuf_addstr(out, "</div>\n");
	}
	for (size_t i = 0; dl && i < dl->nr; i++)
		left += !pg.claimed[i] && dl->items[i].level == DIAG_ERROR;
	if (left) {
		strbuf_addf(out, "<div class=\"notice bad\"><p>%s</p><ul>\n",
			    M(&pg, OTHER_PROBLEMS));
		for (size_t i = 0; i < dl->nr; i++) {
			const struct diag *d = &dl->items[i];

			if (pg.claimed[i] || d->level != DIAG_ERROR)
				continue;
			strbuf_addstr(out, "<li>");
			if (d->line)
				msg_num(out, pg.l, MSG_EDITOR_AT_LINE, d->line,
					-1);
			strbuf_addch(out, ' ');
			html(out, d->msg);
			strbuf_addstr(out, "</li>\n");
		}
		strbuf_addstr(out, "</ul></div>\n");
	}
	strbuf_addf(out, "<p>%s</p>\n", M(&pg, INTRO_TEXT));
	strbuf_addf(out,
		    "<p class=\"downloads\"><a href=\"" EDITOR_PATH
		    ".yaml\">%s</a> <a href=\"" EDITOR_PATH
		    "/yaml\">%s</a></p>\n",
		    M(&pg, DOWNLOAD), M(&pg, UPLOAD));
	version_of(base, version);
	strbuf_addf(out,
		    "<form method=\"post\" action=\"" EDITOR_PATH "\" "
		    "data-sentence=\"" EDITOR_PATH "/afspraak\" "
		    "novalidate>\n<input type=\"hidden\" name=\"version\" "
		    "value=\"%s\">\n",
		    version);
	/*
	 * An edit that was not saved goes along whole: the fields name its
	 * nodes, which the stored text may not have (a question added).
	 */
	if (strcmp(text, base)) {
		strbuf_addstr(out, "<input type=\"hidden\" name=\"draft\" "
				   "value=\"");
		strbuf_add_html(out, text);
		strbuf_addstr(out, "\">\n");
	}
	server_staff_csrf_field(out, &req->session);
	/* The first button is what Enter presses: saving. */
	strbuf_addf(out,
		    "<div class=\"actions\"><button type=\"submit\" "
		    "name=\"op\" value=\"save:\">%s</button></div>\n",
		    M(&pg, SAVE));
	strbuf_add(out, body.buf, body.len);
	strbuf_addf(out,
		    "<div class=\"actions\"><button type=\"submit\" "
		    "name=\"op\" value=\"save:\">%s</button></div>\n</form>\n",
		    M(&pg, SAVE));
	/* The sentences follow the fields where scripts run (editor.js). */
	if (!frozen)
		strbuf_addstr(out, "<script src=\"/static/editor.js\" "
				   "defer></script>\n");
	server_html_end(req, out);
	free(pg.claimed);
	strbuf_release(&body);
	strbuf_release(&langs);
}

/* ---- applying a POST -------------------------------------------------- */

/* A field's value without carriage returns (browsers send CRLF). */
static char *clean(const char *v, bool trim)
{
	struct strbuf sb = STRBUF_INIT;
	const char *a = v, *b = v + strlen(v);

	if (trim) {
		while (a < b &&
		       (*a == ' ' || *a == '\t' || *a == '\r' || *a == '\n'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t' ||
				 b[-1] == '\r' || b[-1] == '\n'))
			b--;
	}
	strbuf_grow(&sb, (size_t)(b - a));
	for (const char *p = a; p < b; p++)
		if (*p != '\r')
			strbuf_addch(&sb, *p);
	if (!sb.buf)
		return xstrdup("");
	return strbuf_detach(&sb, NULL);
}

static const char *field_of(struct server_request *req, char kind,
			    const char *path)
{
	struct strbuf name = STRBUF_INIT;
	const char *v;

	strbuf_addf(&name, "%c:%s", kind, path);
	v = server_field(req, name.buf);
	strbuf_release(&name);
	return v;
}

static bool same_threshold(const struct agreement_threshold *a,
			   const struct agreement_threshold *b)
{
	if (a->set != b->set)
		return false;
	return !a->set ||
	       (a->cmp == b->cmp &&
		(uint64_t)a->num * b->den == (uint64_t)b->num * a->den);
}

static int apply_threshold(struct server_request *req, struct yamledit *ye,
			   const char *path, const char *cmp,
			   struct strbuf *err)
{
	const char *sv = field_of(req, 'v', path);
	char *share = clean(sv ? sv : "", true);
	const char *old = yamledit_get(ye, path);
	struct strbuf nv = STRBUF_INIT;
	struct agreement_threshold a, b;
	const char *why;
	int ret = 0;

	if (!strcmp(cmp, "")) {
		ret = yamledit_set(ye, path, NULL, err);
		goto out;
	}
	if (!strcmp(cmp, "none"))
		strbuf_addstr(&nv, "none");
	else if (!strcmp(cmp, "gt"))
		strbuf_addf(&nv, "meer dan %s", share);
	else if (!strcmp(cmp, "ge"))
		strbuf_addf(&nv, "minstens %s", share);
	else
		strbuf_addstr(&nv, share);
	if (agreement_parse_threshold(nv.buf, false, &b, &why) == 0) {
		/* The survey's quorum left out is no quorum. */
		if (!old && !b.set && !strncmp(path, "/agreement/", 11))
			goto out;
		if (old &&
		    agreement_parse_threshold(old, false, &a, &why) == 0 &&
		    same_threshold(&a, &b))
			goto out;
	}
	ret = yamledit_set(ye, path, nv.buf, err);
out:
	strbuf_release(&nv);
	free(share);
	return ret;
}

/* Every field of the form, applied to ye in order. */
static int apply_fields(struct server_request *req, struct yamledit *ye,
			struct strbuf *err)
{
	for (size_t i = 0; i < req->nr_fields; i++) {
		const char *name = req->fields[i].name;
		const char *path = name + 2;
		char kind = name[0];
		char *v;
		int rc = 0;

		if (!name[0] || name[1] != ':' || path[0] != '/')
			continue;
		v = clean(req->fields[i].value, kind != 'T' && kind != 't');
		switch (kind) {
		case 'S': rc = yamledit_set(ye, path, v, err); break;
		case 's':
			rc = yamledit_set(ye, path, *v ? v : NULL, err);
			break;
		case 'D':
			if (!*v)
				rc = yamledit_set(ye, path, NULL, err);
			else if (yamledit_exists(ye, path) ||
				 strcmp(v, default_of(path)))
				rc = yamledit_set(ye, path, v, err);
			break;
		case 'T':
		case 't': {
			const char *e = field_of(req, 'e', path);
			char *en = clean(e ? e : "", false);
			bool trim_en = true;

			for (char *p = en; *p; p++)
				trim_en &= *p == ' ' || *p == '\n';
			if (kind == 't' && !*v && (!*en || trim_en))
				rc = yamledit_set_text(ye, path, NULL, NULL,
						       err);
			else
				rc = yamledit_set_text(
					ye, path, v, trim_en ? NULL : en, err);
			free(en);
			break;
		}
		case 'c': rc = apply_threshold(req, ye, path, v, err); break;
		case 'L': {
			struct strbuf flow = STRBUF_INIT, cur = STRBUF_INIT;

			strbuf_addf(&flow, "[%s]", v);
			for (size_t k = 0; k < yamledit_count(ye, path); k++) {
				struct strbuf lp = STRBUF_INIT;

				strbuf_addf(&lp, "%s/%zu", path, k);
				strbuf_addf(&cur, "%s%s", k ? ", " : "",
					    yamledit_get(ye, lp.buf)
						    ? yamledit_get(ye, lp.buf)
						    : "");
				strbuf_release(&lp);
			}
			if ((!yamledit_exists(ye, path) && strcmp(v, "nl")) ||
			    (yamledit_exists(ye, path) &&
			     strcmp(cur.buf ? cur.buf : "", v)))
				rc = yamledit_replace_flow(ye, path, flow.buf,
							   err);
			strbuf_release(&flow);
			strbuf_release(&cur);
			break;
		}
		default: break;
		}
		free(v);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* An id for a new item: prefix and the first free number. */
static void new_id(struct yamledit *ye, const char *seq, const char *prefix,
		   struct strbuf *out)
{
	size_t n = yamledit_count(ye, seq);

	for (size_t k = n + 1;; k++) {
		bool taken = false;

		strbuf_reset(out);
		strbuf_addf(out, "%s%zu", prefix, k);
		for (size_t i = 0; i < n && !taken; i++) {
			struct strbuf p = STRBUF_INIT;
			const char *id;

			strbuf_addf(&p, "%s/%zu/id", seq, i);
			id = yamledit_get(ye, p.buf);
			taken = id && !strcmp(id, out->buf);
			strbuf_release(&p);
		}
		if (!taken)
			return;
	}
}

static void add_text_line(struct strbuf *item, const char *key,
			  const char *text)
{
	/* Catalogue texts are plain words; quote them all the same. */
	strbuf_addf(item, "%s: \"", key);
	for (const char *p = text; *p; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_addch(item, '\\');
		strbuf_addch(item, *p);
	}
	strbuf_addstr(item, "\"\n");
}

static int add_question(struct server_request *req, struct yamledit *ye,
			struct strbuf *err)
{
	static const char *const types[] = { "proposition", "choice", "multi",
					     "scale",	    "yesno",  "number",
					     "text" };
	const char *t = server_field(req, "x:/new_question");
	struct strbuf item = STRBUF_INIT, id = STRBUF_INIT;
	enum survey_lang l = SURVEY_NL;
	bool known = false;
	int ret;

	for (size_t i = 0; t && i < sizeof(types) / sizeof(types[0]); i++)
		known |= !strcmp(t, types[i]);
	if (!known)
		t = "choice";
	new_id(ye, "/questions", "vraag", &id);
	strbuf_addf(&item, "id: %s\ntype: %s\n", id.buf, t);
	add_text_line(&item, "text",
		      msg_get(l, !strcmp(t, "proposition")
					 ? MSG_EDITOR_NEW_PROPOSITION
					 : MSG_EDITOR_NEW_QUESTION));
	if (!strcmp(t, "choice") || !strcmp(t, "multi")) {
		strbuf_addstr(&item, "options:\n  - id: keuze1\n  ");
		add_text_line(&item, "  label",
			      msg_get(l, MSG_EDITOR_NEW_OPTION_1));
		strbuf_addstr(&item, "  - id: keuze2\n  ");
		add_text_line(&item, "  label",
			      msg_get(l, MSG_EDITOR_NEW_OPTION_2));
	} else if (!strcmp(t, "scale")) {
		strbuf_addstr(&item, "min: 1\nmax: 5\n");
	} else if (!strcmp(t, "number")) {
		strbuf_addstr(&item, "min: 0\nmax: 10\n");
	}
	ret = yamledit_append(ye, "/questions", item.buf, err);
	strbuf_release(&item);
	strbuf_release(&id);
	return ret;
}

/* The sequence and index of an item path "/questions/3". */
static int item_of(const char *path, struct strbuf *seq, size_t *i)
{
	const char *slash = strrchr(path, '/');
	char *end;
	unsigned long v;

	if (!slash || slash == path)
		return -1;
	v = strtoul(slash + 1, &end, 10);
	if (end == slash + 1 || *end)
		return -1;
	strbuf_reset(seq);
	strbuf_add(seq, path, (size_t)(slash - path));
	*i = v;
	return 0;
}

static int apply_op(struct server_request *req, struct yamledit *ye,
		    struct strbuf *err)
{
	const char *op = server_field(req, "op");
	struct strbuf seq = STRBUF_INIT, item = STRBUF_INIT, id = STRBUF_INIT;
	const char *arg;
	size_t i;
	int ret = 0;

	if (!op || !(arg = strchr(op, ':')))
		return 0;
	arg++;
	if (!strncmp(op, "add-question:", 13)) {
		ret = add_question(req, ye, err);
	} else if (!strncmp(op, "add-buurt:", 10)) {
		new_id(ye, "/buurten", "buurt", &id);
		strbuf_addf(&item, "id: %s\n", id.buf);
		add_text_line(&item, "name",
			      msg_get(SURVEY_NL, MSG_EDITOR_NEW_BUURT));
		strbuf_addstr(&item, "households: 1\n");
		ret = yamledit_append(ye, "/buurten", item.buf, err);
	} else if (!strncmp(op, "add-option:", 11)) {
		strbuf_addf(&seq, "%s/options", arg);
		new_id(ye, seq.buf, "keuze", &id);
		strbuf_addf(&item, "id: %s\n", id.buf);
		add_text_line(&item, "label",
			      msg_get(SURVEY_NL, MSG_EDITOR_NEW_OPTION));
		ret = yamledit_append(ye, seq.buf, item.buf, err);
	} else if (!strncmp(op, "del:", 4) || !strncmp(op, "up:", 3) ||
		   !strncmp(op, "down:", 5)) {
		if (item_of(arg, &seq, &i) < 0) {
			strbuf_addstr(err, "unknown item");
			ret = -1;
		} else if (op[0] == 'd' && op[1] == 'e') {
			ret = yamledit_count(ye, seq.buf) > 1
				      ? yamledit_remove(ye, seq.buf, i, err)
				      : 0;
		} else if (op[0] == 'u') {
			ret = i > 0 ? yamledit_swap(ye, seq.buf, i - 1, err)
				    : 0;
		} else {
			ret = yamledit_swap(ye, seq.buf, i, err);
		}
	}
	strbuf_release(&seq);
	strbuf_release(&item);
	strbuf_release(&id);
	return ret;
}

/* ---- saving ------------------------------------------------------------ */

static bool same_rule(const struct agreement *a, const struct agreement *b)
{
	return same_threshold(&a->min_response, &b->min_response) &&
	       same_threshold(&a->min_in_favour, &b->min_in_favour) &&
	       a->basis == b->basis && a->neutral == b->neutral &&
	       a->blank == b->blank && a->invalid == b->invalid &&
	       a->silent == b->silent && a->decision == b->decision &&
	       a->confidence_permille == b->confidence_permille;
}

/* Whether s would change an agreement of old (the store refuses that). */
static bool agreement_changes(const struct survey *old, const struct survey *s)
{
	if (!old)
		return false;
	if (old->has_agreement != s->has_agreement ||
	    !same_rule(&old->agreement, &s->agreement))
		return true;
	for (size_t i = 0; i < s->nr_buurten; i++) {
		const struct survey_buurt *o =
			survey_find_buurt(old, s->buurten[i].id);

		if (o && !same_rule(&o->agreement, &s->buurten[i].agreement))
			return true;
	}
	return false;
}

struct apply {
	const struct survey *s;
	const char *yaml;
	struct store_changes changes;
};

static int run_apply(struct store *st, void *arg, struct strbuf *err)
{
	struct apply *a = arg;

	return store_definition_apply(st, a->s, a->yaml, &a->changes, err);
}

/*
 * A definition as a browser sent it back (a box, a hidden field): with
 * CRLF line ends, which the form data always has, made LF again unless
 * the stored file was written with CRLF.
 */
static void as_sent(struct strbuf *out, const char *v, const char *stored)
{
	bool crlf = strstr(stored, "\r\n") != NULL;

	for (const char *p = v; *p; p++)
		if (*p != '\r' || p[1] != '\n' || crlf)
			strbuf_addch(out, *p);
}

/*
 * The survey text stands for, checked as `draagvlak check` does, with
 * its problems in dl in the board member's language.
 */
static struct survey *load(struct server_request *req, const char *text,
			   size_t len, struct diag_list *dl)
{
	return survey_load_buffer_lang("vragenlijst.yaml", text, len, req->lang,
				       dl);
}

/* What the page starts from: the stored text and whether answers exist. */
static char *stored_text(struct server_request *req, bool *frozen,
			 struct strbuf *err)
{
	struct store *st = server_store_get(req->sv);
	char *yaml = store_definition_yaml(st);
	long long n = 0;

	if (yaml && store_responses_count(st, &n, err) < 0) {
		free(yaml);
		yaml = NULL;
	}
	if (!yaml && !err->len)
		strbuf_addstr(err, "the store holds no definition");
	server_store_put(req->sv, st);
	*frozen = n > 0;
	return yaml;
}

/*
 * Check text and save it: a redirect to the editor when it was saved;
 * otherwise the editor (ye not NULL) or the upload page shows why, with
 * 422 for a text the validator refuses and 409 for a change the store
 * refuses.  Returns 0, or -1 with err for a store that failed.
 */
static int save(struct server_request *req, struct server_reply *rep,
		const char *text, size_t len, const char *stored, bool frozen,
		struct yamledit *ye,
		void (*refused)(struct server_request *, struct server_reply *,
				const char *, struct diag_list *, const char *),
		struct strbuf *err)
{
	struct diag_list dl, odl;
	struct survey *s = NULL, *old = NULL;
	struct strbuf why = STRBUF_INIT, msg = STRBUF_INIT;
	struct apply a = { 0 };
	int rc, ret = 0;

	diag_list_init(&dl, "vragenlijst.yaml");
	diag_list_init(&odl, "vragenlijst.yaml");
	s = load(req, text, len, &dl);
	if (!s) {
		rep->status = 422;
		strbuf_addstr(&msg, msg_get(req->lang, MSG_EDITOR_NOT_SAVED));
		if (ye)
			render(req, rep, ye, &dl, NULL, frozen, stored, "bad",
			       msg.buf);
		else
			refused(req, rep, text, &dl, msg.buf);
		goto out;
	}
	old = survey_load_buffer("stored", stored, strlen(stored), &odl);
	if (frozen && agreement_changes(old, s)) {
		rep->status = MHD_HTTP_CONFLICT;
		strbuf_addstr(&msg,
			      msg_get(req->lang, MSG_EDITOR_REFUSED_FROZEN));
		goto refuse;
	}
	a.s = s;
	a.yaml = text;
	rc = store_writer_run(req->sv->writer, run_apply, &a, &why);
	if (rc == STORE_OK) {
		/* Residents' and volunteers' pages follow at once. */
		if (server_survey_reload(req->srv, req->sv, &why) < 0)
			server_log_error(req, &why);
		server_redirect(rep, EDITOR_PATH "?opgeslagen=1");
		goto out;
	}
	if (rc != STORE_REFUSED) {
		strbuf_add(err, why.buf, why.len);
		ret = -1;
		goto out;
	}
	rep->status = MHD_HTTP_CONFLICT;
	strbuf_addstr(&msg, msg_get(req->lang, MSG_EDITOR_REFUSED));
	strbuf_addstr(&msg, "\n\n");
	strbuf_add(&msg, why.buf, why.len);
refuse:
	if (ye)
		render(req, rep, ye, &dl, s, frozen, stored, "bad", msg.buf);
	else
		refused(req, rep, text, &dl, msg.buf);
out:
	survey_free(s);
	survey_free(old);
	diag_list_release(&dl);
	diag_list_release(&odl);
	strbuf_release(&why);
	strbuf_release(&msg);
	return ret;
}

/*
 * The text the form in req stands for: its unsaved draft when it carries
 * one (and that is YAML), else stored, with every field applied and,
 * when with_op, what its button does.  A new yamledit, or NULL with err
 * naming the field the text has no place for.
 */
static struct yamledit *form_text(struct server_request *req,
				  const char *stored, bool with_op,
				  struct strbuf *err)
{
	const char *draft = server_field(req, "draft");
	struct yamledit *ye = NULL;

	if (draft) {
		struct strbuf d = STRBUF_INIT, why = STRBUF_INIT;

		as_sent(&d, draft, stored);
		ye = yamledit_new(d.buf ? d.buf : "", d.len, &why);
		strbuf_release(&d);
		strbuf_release(&why);
	}
	if (!ye)
		ye = yamledit_new(stored, strlen(stored), err);
	if (ye && (apply_fields(req, ye, err) < 0 ||
		   (with_op && apply_op(req, ye, err) < 0))) {
		yamledit_free(ye);
		ye = NULL;
	}
	return ye;
}

enum server_outcome server_editor_page(struct server_request *req,
				       struct server_reply *rep)
{
	struct strbuf err = STRBUF_INIT;
	struct yamledit *ye = NULL, *edit;
	struct diag_list dl;
	struct survey *s = NULL;
	bool frozen;
	char *stored = stored_text(req, &frozen, &err);
	char version[17];
	const char *v;

	diag_list_init(&dl, "vragenlijst.yaml");
	if (!stored)
		goto failed;
	ye = yamledit_new(stored, strlen(stored), &err);
	if (!ye)
		goto failed;
	if (!req->post) {
		const char *saved = server_query(req, "opgeslagen");

		s = load(req, stored, strlen(stored), &dl);
		render(req, rep, ye, &dl, s, frozen, stored, "ok",
		       !saved ? NULL
		       : !strcmp(saved, "1")
			       ? msg_get(req->lang, MSG_EDITOR_SAVED)
			       : msg_get(req->lang, MSG_EDITOR_UNCHANGED));
		goto out;
	}
	version_of(stored, version);
	v = server_field(req, "version");
	if (!v || strcmp(v, version)) {
		rep->status = MHD_HTTP_CONFLICT;
		s = load(req, stored, strlen(stored), &dl);
		render(req, rep, ye, &dl, s, frozen, stored, "bad",
		       msg_get(req->lang, MSG_EDITOR_CHANGED_MEANWHILE));
		goto out;
	}
	edit = form_text(req, stored, true, &err);
	if (!edit) {
		/* A field the text has no place for: said, nothing saved. */
		struct strbuf msg = STRBUF_INIT;

		rep->status = 422;
		msg_add(&msg, req->lang, MSG_EDITOR_CANNOT_APPLY, err.buf);
		s = load(req, stored, strlen(stored), &dl);
		render(req, rep, ye, &dl, s, frozen, stored, "bad", msg.buf);
		strbuf_release(&msg);
		goto out;
	}
	yamledit_free(ye);
	ye = edit;
	if (!strcmp(server_field(req, "op") ? server_field(req, "op") : "",
		    "show:")) {
		/* The sentences of the form as it is; nothing saved. */
		size_t len;
		const char *text = yamledit_text(ye, &len);
		bool same = len == strlen(stored) && !memcmp(text, stored, len);

		s = load(req, text, len, &dl);
		render(req, rep, ye, &dl, s, frozen, stored, "plain",
		       same ? NULL
			    : msg_get(req->lang, MSG_EDITOR_NOT_SAVED_YET));
		goto out;
	}
	{
		size_t len;
		const char *text = yamledit_text(ye, &len);

		if (len == strlen(stored) && !memcmp(text, stored, len)) {
			server_redirect(rep, EDITOR_PATH "?opgeslagen=0");
			goto out;
		}
		if (save(req, rep, text, len, stored, frozen, ye, NULL, &err) <
		    0)
			goto failed;
	}
	goto out;
failed:
	server_log_error(req, &err);
	server_html_store_failed(req, rep);
out:
	survey_free(s);
	diag_list_release(&dl);
	yamledit_free(ye);
	free(stored);
	strbuf_release(&err);
	return SERVER_REPLY;
}

enum server_outcome server_editor_download(struct server_request *req,
					   struct server_reply *rep)
{
	struct strbuf err = STRBUF_INIT;
	bool frozen;
	char *stored = stored_text(req, &frozen, &err);

	if (!stored) {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
	} else {
		strbuf_reset(&rep->body);
		strbuf_addstr(&rep->body, stored);
		rep->content_type = "application/yaml; charset=utf-8";
		rep->download = "vragenlijst.yaml";
	}
	free(stored);
	strbuf_release(&err);
	return SERVER_REPLY;
}

/* The upload page, with text in the box and its problems listed. */
static void upload_page(struct server_request *req, struct server_reply *rep,
			const char *text, struct diag_list *dl,
			const char *notice)
{
	enum survey_lang l = req->lang;
	struct strbuf *out = &rep->body;
	size_t errors = 0;

	for (size_t i = 0; dl && i < dl->nr; i++)
		errors += dl->items[i].level == DIAG_ERROR;
	strbuf_reset(out);
	server_html_begin(req, out, msg_get(l, MSG_EDITOR_UPLOAD_TITLE), NULL);
	server_staff_bar(req, out, &req->session);
	strbuf_addf(out, "<h1 id=\"inhoud\">%s</h1>\n",
		    msg_get(l, MSG_EDITOR_UPLOAD_TITLE));
	if (notice) {
		strbuf_addstr(out, "<div class=\"notice bad\" role=\"alert\">");
		server_html_paragraphs(out, notice);
		if (dl && dl->nr) {
			strbuf_addstr(out, "<ol id=\"problemen\">\n");
			for (size_t i = 0; i < dl->nr; i++) {
				const struct diag *d = &dl->items[i];

				if (d->level != DIAG_ERROR && errors)
					continue;
				strbuf_addstr(out, "<li>");
				if (d->line)
					msg_num(out, l,
						MSG_EDITOR_AT_LINE_COLUMN,
						d->line, d->column);
				strbuf_addch(out, ' ');
				strbuf_add_html(out, d->msg);
				strbuf_addstr(out, "</li>\n");
			}
			strbuf_addstr(out, "</ol>\n");
		}
		strbuf_addstr(out, "</div>\n");
	}
	strbuf_addf(out, "<p>%s</p>\n", msg_get(l, MSG_EDITOR_UPLOAD_HELP));
	strbuf_addf(out,
		    "<p><a href=\"" EDITOR_PATH
		    ".yaml\">%s</a> · <a href=\"" EDITOR_PATH "\">%s</a></p>\n",
		    msg_get(l, MSG_EDITOR_DOWNLOAD),
		    msg_get(l, MSG_EDITOR_BACK_TO_EDITOR));
	strbuf_addstr(out, "<form method=\"post\" action=\"" EDITOR_PATH
			   "/yaml\">\n");
	server_staff_csrf_field(out, &req->session);
	strbuf_addf(out,
		    "<label class=\"field\" for=\"yaml\">%s</label>\n"
		    "<textarea id=\"yaml\" name=\"yaml\" rows=\"24\" "
		    "spellcheck=\"false\" class=\"code\"%s>\n",
		    msg_get(l, MSG_EDITOR_UPLOAD_LABEL),
		    notice ? " aria-describedby=\"problemen\"" : "");
	strbuf_add_html(out, text ? text : "");
	strbuf_addf(out,
		    "</textarea>\n<div class=\"actions\"><button "
		    "type=\"submit\">%s</button></div>\n</form>\n",
		    msg_get(l, MSG_EDITOR_UPLOAD_SAVE));
	server_html_end(req, out);
}

enum server_outcome server_editor_upload(struct server_request *req,
					 struct server_reply *rep)
{
	struct strbuf err = STRBUF_INIT, text = STRBUF_INIT;
	bool frozen;
	char *stored = stored_text(req, &frozen, &err);
	const char *y;

	if (!stored)
		goto failed;
	if (!req->post) {
		upload_page(req, rep, NULL, NULL, NULL);
		goto out;
	}
	y = server_field(req, "yaml");
	as_sent(&text, y ? y : "", stored);
	/* The newline after <textarea> is not sent; a first empty line is. */
	if (!text.len) {
		rep->status = 422;
		upload_page(req, rep, "", NULL,
			    msg_get(req->lang, MSG_EDITOR_UPLOAD_EMPTY));
		goto out;
	}
	if (!strcmp(text.buf, stored)) {
		server_redirect(rep, EDITOR_PATH "?opgeslagen=0");
		goto out;
	}
	if (save(req, rep, text.buf, text.len, stored, frozen, NULL,
		 upload_page, &err) < 0)
		goto failed;
	goto out;
failed:
	server_log_error(req, &err);
	server_html_store_failed(req, rep);
out:
	free(stored);
	strbuf_release(&err);
	strbuf_release(&text);
	return SERVER_REPLY;
}

/* ---- the sentence as she edits ------------------------------------------ */

/*
 * The script of the editor page, the only one the server has: where it
 * runs, a change in an agreement's fields sends the form (its CSRF token
 * with it) to EDITOR_PATH "/afspraak" once per sentence on the page, and
 * puts the answer in that sentence's live region; where it does not, the
 * button "Toon de afspraak" gives the same sentence on a new page.  It
 * builds nothing from HTML: the answer is text.
 */
static const char script[] =
	"/* editor.js: the agreement in words follows the fields (editor.c). "
	"*/\n"
	"(function () {\n"
	"  'use strict';\n"
	"  var form = document.querySelector('form[data-sentence]');\n"
	"  if (!form || !window.fetch || !window.FormData || "
	"!window.URLSearchParams)\n"
	"    return;\n"
	"  var url = form.getAttribute('data-sentence');\n"
	"  var regions = form.querySelectorAll('[data-at]');\n"
	"  var fields = "
	"/^.:\\/(agreement\\/|buurten\\/\\d+\\/(agreement\\/|name$))/;\n"
	"  var timer = 0, asked = 0;\n"
	"\n"
	"  /* The sentences follow by themselves: no button needed to see "
	"them. */\n"
	"  form.querySelectorAll('[data-show]').forEach(function (b) {\n"
	"    b.hidden = true;\n"
	"  });\n"
	"  function put(region, ok, text) {\n"
	"    var p = document.createElement('p');\n"
	"\n"
	"    if (ok) {\n"
	"      var label = document.createElement('strong');\n"
	"\n"
	"      label.textContent = region.getAttribute('data-label');\n"
	"      p.appendChild(label);\n"
	"      p.appendChild(document.createTextNode(' ' + text));\n"
	"    } else {\n"
	"      p.textContent = text;\n"
	"    }\n"
	"    region.replaceChildren(p);\n"
	"    region.hidden = !text;\n"
	"    region.classList.toggle('plain', ok);\n"
	"    region.classList.toggle('bad', !ok);\n"
	"  }\n"
	"  function ask(region, n) {\n"
	"    var data = new URLSearchParams(new FormData(form));\n"
	"\n"
	"    data.delete('op');\n"
	"    data.set('at', region.getAttribute('data-at'));\n"
	"    fetch(url, { method: 'POST', body: data, credentials: "
	"'same-origin' })\n"
	"      .then(function (r) {\n"
	"        return r.text().then(function (text) {\n"
	"          /* 422 is the problem, in words. */\n"
	"          if (n === asked && (r.ok || r.status === 422))\n"
	"            put(region, r.ok, text.trim());\n"
	"        });\n"
	"      })\n"
	"      .catch(function () {});\n"
	"  }\n"
	"  function changed(e) {\n"
	"    if (!fields.test(e.target.name || ''))\n"
	"      return;\n"
	"    clearTimeout(timer);\n"
	"    timer = setTimeout(function () {\n"
	"      var n = ++asked;\n"
	"\n"
	"      regions.forEach(function (region) {\n"
	"        ask(region, n);\n"
	"      });\n"
	"    }, 250);\n"
	"  }\n"
	"  form.addEventListener('input', changed);\n"
	"  form.addEventListener('change', changed);\n"
	"})();\n";

enum server_outcome server_editor_script(struct server_request *req,
					 struct server_reply *rep)
{
	(void)req;
	return server_html_static(rep, script, sizeof(script) - 1,
				  "text/javascript; charset=utf-8");
}

/*
 * The errors in dl about the node at and what it holds, one a line, to
 * out.  Whether there was one.
 */
static bool problems_at(struct yamledit *ye, const struct diag_list *dl,
			const char *at, struct strbuf *out)
{
	int first, last;
	bool any = false;

	if (yamledit_lines(ye, at, &first, &last) < 0)
		return false;
	for (size_t i = 0; i < dl->nr; i++) {
		const struct diag *d = &dl->items[i];

		if (d->level != DIAG_ERROR || d->line < first || d->line > last)
			continue;
		if (any)
			strbuf_addch(out, '\n');
		strbuf_addstr(out, d->msg);
		any = true;
	}
	return any;
}

enum server_outcome server_editor_sentence(struct server_request *req,
					   struct server_reply *rep)
{
	struct strbuf err = STRBUF_INIT;
	struct yamledit *ye = NULL;
	struct survey *s = NULL;
	struct diag_list dl;
	bool frozen;
	char *stored = stored_text(req, &frozen, &err);
	const char *at = server_field(req, "at");
	const char *text;
	size_t len;

	diag_list_init(&dl, "vragenlijst.yaml");
	if (!stored) {
		server_log_error(req, &err);
		server_html_store_failed(req, rep);
		goto out;
	}
	if (!at)
		at = "/agreement";
	strbuf_reset(&rep->body);
	rep->content_type = "text/plain; charset=utf-8";
	ye = form_text(req, stored, false, &err);
	if (!ye) {
		rep->status = 422;
		msg_add(&rep->body, req->lang, MSG_EDITOR_CANNOT_APPLY,
			err.buf);
		goto out;
	}
	text = yamledit_text(ye, &len);
	s = load(req, text, len, &dl);
	/* A valid survey without an agreement at: nothing to say (200). */
	if (sentence_at(s, at, &rep->body) || s)
		goto out;
	/*
	 * The problem as the field shows it: at the node, or at the
	 * survey's agreement, which a buurt's follows.
	 */
	rep->status = 422;
	if (!problems_at(ye, &dl, at, &rep->body) &&
	    !problems_at(ye, &dl, "/agreement", &rep->body))
		strbuf_addstr(
			&rep->body,
			msg_get(req->lang, MSG_EDITOR_SENTENCE_AFTER_FIX));
out:
	survey_free(s);
	diag_list_release(&dl);
	yamledit_free(ye);
	free(stored);
	strbuf_release(&err);
	return SERVER_REPLY;
}
