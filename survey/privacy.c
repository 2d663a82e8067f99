/*
 * privacy.c - the privacy statement of a survey (see privacy.h).
 *
 * Everything the statement says comes from the catalogue; only the
 * survey's own words (title, organisation, contact) and the retention
 * date come from the definition.  What a definition cannot tell (whether
 * addresses were imported, whether forms are scanned) is said for every
 * survey, in the conditional where it may not apply: a statement that
 * promises less than happens would be worse than one that names a step
 * a survey skips.
 */
#include "privacy.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "xalloc.h"
#include "banned.h"

static void add(struct privacy *p, enum privacy_kind kind, struct strbuf *sb)
{
	ALLOC_GROW(p->blocks, p->nr + 1, p->alloc);
	p->blocks[p->nr].kind = kind;
	p->blocks[p->nr].text = strbuf_detach(sb, NULL);
	p->nr++;
}

/* The catalogue's text id, which takes no values, as a block. */
static void put(struct privacy *p, enum privacy_kind kind, enum msg_id id)
{
	struct strbuf sb = STRBUF_INIT;

	msg_put(&sb, p->lang, id);
	add(p, kind, &sb);
}

static bool has_text_question(const struct survey *s)
{
	for (size_t i = 0; i < s->nr_questions; i++)
		if (s->questions[i].type == SURVEY_Q_TEXT)
			return true;
	return false;
}

struct privacy *privacy_build(const struct survey *s, enum survey_lang lang)
{
	struct privacy *p = xcalloc(1, sizeof(*p));
	const char *title = survey_text_get(&s->title, lang);
	const char *org = s->organisation ? s->organisation : "";
	const char *contact = survey_text_get(&s->contact, lang);
	struct strbuf sb = STRBUF_INIT;

	if (!title)
		title = s->id ? s->id : "";
	p->lang = lang;
	msg_put(&sb, lang, MSG_PRIVACY_TITLE);
	p->title = strbuf_detach(&sb, NULL);
	msg_add(&sb, lang, MSG_PRIVACY_SUBTITLE, title);
	p->subtitle = strbuf_detach(&sb, NULL);
	msg_add(&sb, lang, MSG_PRIVACY_INTRO, org, title);
	add(p, PRIVACY_PARA, &sb);

	put(p, PRIVACY_HEADING, MSG_PRIVACY_WHAT_HEADING);
	put(p, PRIVACY_ITEM, MSG_PRIVACY_WHAT_ADDRESS);
	put(p, PRIVACY_ITEM, MSG_PRIVACY_WHAT_CODE);
	put(p, PRIVACY_ITEM, MSG_PRIVACY_WHAT_ANSWERS);
	/* Only where there is an open question to write in. */
	if (has_text_question(s))
		put(p, PRIVACY_ITEM, MSG_PRIVACY_WHAT_COMMENTS);
	put(p, PRIVACY_ITEM, MSG_PRIVACY_WHAT_SCANS);
	put(p, PRIVACY_ITEM, MSG_PRIVACY_WHAT_STAFF);
	/* An open question could ask for a name; then this is not said. */
	if (!has_text_question(s))
		put(p, PRIVACY_PARA, MSG_PRIVACY_WHAT_NO_NAME);

	put(p, PRIVACY_HEADING, MSG_PRIVACY_WHY_HEADING);
	msg_add(&sb, lang, MSG_PRIVACY_WHY, title);
	add(p, PRIVACY_PARA, &sb);
	put(p, PRIVACY_PARA, MSG_PRIVACY_WHY_CODE);

	put(p, PRIVACY_HEADING, MSG_PRIVACY_WHO_HEADING);
	msg_add(&sb, lang, MSG_PRIVACY_WHO_BOARD, org);
	add(p, PRIVACY_ITEM, &sb);
	put(p, PRIVACY_ITEM, MSG_PRIVACY_WHO_VOLUNTEERS);
	put(p, PRIVACY_ITEM, MSG_PRIVACY_WHO_HOST);
	put(p, PRIVACY_PARA, MSG_PRIVACY_WHO_PUBLIC);

	put(p, PRIVACY_HEADING, MSG_PRIVACY_KEEP_HEADING);
	if (s->retention[0]) {
		struct strbuf date = STRBUF_INIT;

		msg_date(&date, lang, s->retention, 0);
		msg_add(&sb, lang, MSG_PRIVACY_KEEP_UNTIL, date.buf);
		add(p, PRIVACY_PARA, &sb);
		strbuf_release(&date);
	} else {
		put(p, PRIVACY_PARA, MSG_PRIVACY_KEEP_UNSET);
	}
	put(p, PRIVACY_PARA, MSG_PRIVACY_KEEP_ANSWERS);

	put(p, PRIVACY_HEADING, MSG_PRIVACY_ASK_HEADING);
	put(p, PRIVACY_PARA, MSG_PRIVACY_ASK);
	strbuf_addstr(&sb, contact ? contact : org);
	/* The definition's text as written, without its last line break. */
	while (sb.len && sb.buf[sb.len - 1] == '\n')
		strbuf_setlen(&sb, sb.len - 1);
	add(p, PRIVACY_PARA, &sb);

	put(p, PRIVACY_HEADING, MSG_PRIVACY_RIGHTS_HEADING);
	put(p, PRIVACY_PARA, MSG_PRIVACY_RIGHTS);
	put(p, PRIVACY_ITEM, MSG_PRIVACY_RIGHT_ACCESS);
	put(p, PRIVACY_ITEM, MSG_PRIVACY_RIGHT_CORRECT);
	put(p, PRIVACY_ITEM, MSG_PRIVACY_RIGHT_ERASE);
	put(p, PRIVACY_ITEM, MSG_PRIVACY_RIGHT_COMPLAIN);
	put(p, PRIVACY_PARA, MSG_PRIVACY_RIGHTS_HOW);
	strbuf_release(&sb);
	return p;
}

void privacy_free(struct privacy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nr; i++)
		free(p->blocks[i].text);
	free(p->blocks);
	free(p->title);
	free(p->subtitle);
	free(p);
}

/* ---- plain text ------------------------------------------------------- */

#define TEXT_WIDTH 76

/* Columns of s[0..len): UTF-8 continuation bytes take none. */
static size_t columns(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

/*
 * text wrapped at TEXT_WIDTH, the first line after first (a dash or
 * nothing), the others indented as far; its own line breaks kept.
 */
static void add_wrapped(struct strbuf *out, const char *first, const char *text)
{
	const size_t indent = strlen(first);
	size_t col = indent;

	strbuf_addstr(out, first);
	while (*text) {
		size_t word = strcspn(text, " \n"), w = columns(text, word);

		if (col > indent && col + 1 + w > TEXT_WIDTH) {
			strbuf_addf(out, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			strbuf_addch(out, ' ');
			col++;
		}
		strbuf_add(out, text, word);
		col += w;
		text += word;
		if (*text == '\n') {
			strbuf_addf(out, "\n%*s", (int)indent, "");
			col = indent;
		}
		while (*text == ' ' || *text == '\n')
			text++;
	}
	strbuf_addch(out, '\n');
}

static void underline(struct strbuf *out, const char *s, char c)
{
	for (size_t n = columns(s, strlen(s)); n; n--)
		strbuf_addch(out, c);
	strbuf_addch(out, '\n');
}

void privacy_text(const struct privacy *p, struct strbuf *out)
{
	strbuf_addf(out, "%s\n", p->title);
	underline(out, p->title, '=');
	add_wrapped(out, "", p->subtitle);
	for (size_t i = 0; i < p->nr; i++) {
		const struct privacy_block *b = &p->blocks[i];

		switch (b->kind) {
		case PRIVACY_HEADING:
			strbuf_addf(out, "\n%s\n", b->text);
			underline(out, b->text, '-');
			break;
		case PRIVACY_ITEM:
			/* A list follows its paragraph without a blank. */
			if (i && p->blocks[i - 1].kind == PRIVACY_PARA)
				strbuf_addch(out, '\n');
			add_wrapped(out, "- ", b->text);
			break;
		case PRIVACY_PARA:
		default:
			/* Blank lines between paragraphs, not under a heading. */
			if (!i || p->blocks[i - 1].kind != PRIVACY_HEADING)
				strbuf_addch(out, '\n');
			add_wrapped(out, "", b->text);
			break;
		}
	}
}

/* ---- HTML ------------------------------------------------------------- */

/* text escaped, each line break a <br>. */
static void add_html_lines(struct strbuf *out, const char *text)
{
	struct strbuf line = STRBUF_INIT;

	while (*text) {
		size_t n = strcspn(text, "\n");

		strbuf_reset(&line);
		strbuf_add(&line, text, n);
		strbuf_add_html(out, line.buf);
		text += n;
		if (*text == '\n') {
			text++;
			if (*text)
				strbuf_addstr(out, "<br>\n");
		}
	}
	strbuf_release(&line);
}

void privacy_html(const struct privacy *p, struct strbuf *out)
{
	bool in_list = false;

	strbuf_addstr(out, "<h1>");
	strbuf_add_html(out, p->title);
	strbuf_addstr(out, "</h1>\n<p class=\"lead\">");
	strbuf_add_html(out, p->subtitle);
	strbuf_addstr(out, "</p>\n");
	for (size_t i = 0; i < p->nr; i++) {
		const struct privacy_block *b = &p->blocks[i];

		if (in_list && b->kind != PRIVACY_ITEM) {
			strbuf_addstr(out, "</ul>\n");
			in_list = false;
		}
		switch (b->kind) {
		case PRIVACY_HEADING:
			strbuf_addstr(out, "<h2>");
			strbuf_add_html(out, b->text);
			strbuf_addstr(out, "</h2>\n");
			break;
		case PRIVACY_ITEM:
			if (!in_list)
				strbuf_addstr(out, "<ul>\n");
			in_list = true;
			strbuf_addstr(out, "<li>");
			add_html_lines(out, b->text);
			strbuf_addstr(out, "</li>\n");
			break;
		case PRIVACY_PARA:
		default:
			strbuf_addstr(out, "<p>");
			add_html_lines(out, b->text);
			strbuf_addstr(out, "</p>\n");
			break;
		}
	}
	if (in_list)
		strbuf_addstr(out, "</ul>\n");
}
