/*
 * reason.c - why a scanned question waits for a person, as codes and in
 * words (see reason.h).
 */
#include "reason.h"

#include <stdbool.h>
#include <string.h>

#include "banned.h"

static const char *const why_names[SCAN_NWHY] = {
	[SCAN_WHY_TEXT_WRITTEN] = "text-written",
	[SCAN_WHY_TEXT_UNCERTAIN] = "text-uncertain",
	[SCAN_WHY_DIGITS] = "digits",
	[SCAN_WHY_DIGITS_EMPTY] = "digits-empty",
	[SCAN_WHY_BOX] = "box",
	[SCAN_WHY_TICKED] = "ticked",
	[SCAN_WHY_OVER_MAX] = "over-max",
};

/* What each doubt says after "box 'X': ", per language. */
static const char *const doubt_words[SCAN_NDOUBT][SURVEY_NLANG] = {
	[SCAN_DOUBT_NONE] = { "onzeker", "uncertain" },
	[SCAN_DOUBT_BORDER] = { "de rand staat niet waar het formulier hem "
				"heeft",
				"its printed border is not where the form "
				"puts it" },
	[SCAN_DOUBT_DARK] = { "te donker om te lezen", "too dark to read" },
	[SCAN_DOUBT_FILLED] = { "helemaal ingekleurd (antwoord "
				"ingetrokken?)",
				"filled in (an answer taken back?)" },
	[SCAN_DOUBT_SCRIBBLED] = { "bekrast (doorgestreept?)",
				   "scribbled over (crossed out?)" },
	[SCAN_DOUBT_FAINT] = { "een vaag streepje", "a faint mark" },
	[SCAN_DOUBT_DOT] = { "een stip of klein streepje",
			     "a small mark or a dot" },
	[SCAN_DOUBT_LITTLE_INK] = { "heel weinig inkt", "very little ink" },
	[SCAN_DOUBT_BESIDE] = { "inkt naast het vakje (omcirkeld of ernaast "
				"gezet?)",
				"ink beside the box (circled, or put next to "
				"it?)" },
	[SCAN_DOUBT_STRUCK] = { "lijnen door het vakje en verder "
				"(doorgestreept?)",
				"lines through the box and past it (struck "
				"out?)" },
};

void scan_reason_add(struct strbuf *reason, const struct scan_clause *c)
{
	if (reason->len)
		strbuf_addstr(reason, "; ");
	strbuf_addstr(reason, why_names[c->why]);
	switch (c->why) {
	case SCAN_WHY_BOX:
		strbuf_addch(reason, ':');
		strbuf_add(reason, c->value, c->value_len);
		strbuf_addf(reason, ":%s", scan_doubt_name(c->doubt));
		break;
	case SCAN_WHY_TICKED: strbuf_addf(reason, ":%u", c->n); break;
	case SCAN_WHY_OVER_MAX:
		strbuf_addf(reason, ":%u:%u", c->n, c->max);
		break;
	default: break;
	}
}

/* A count of at most a few hundred boxes from s[0..len); -1 if none. */
static long count_of(const char *s, size_t len)
{
	long n = 0;

	if (!len || len > 4)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		n = n * 10 + (s[i] - '0');
	}
	return n;
}

/* Parse the clause s[0..len) into c: 0, or -1 when it is no code. */
static int parse_clause(const char *s, size_t len, struct scan_clause *c)
{
	const char *colon = memchr(s, ':', len);
	size_t name_len = colon ? (size_t)(colon - s) : len;
	const char *arg = colon ? colon + 1 : s + len;
	size_t arg_len = (size_t)(s + len - arg);
	const char *second;
	long n, max;
	int why = -1;

	for (int i = 0; i < SCAN_NWHY; i++)
		if (strlen(why_names[i]) == name_len &&
		    !memcmp(why_names[i], s, name_len))
			why = i;
	if (why < 0)
		return -1;
	c->why = (enum scan_why)why;
	switch (c->why) {
	case SCAN_WHY_BOX:
		/* Values hold no ':' (reason.h). */
		second = arg_len ? memchr(arg, ':', arg_len) : NULL;
		if (!second)
			return -1;
		c->value = arg;
		c->value_len = (size_t)(second - arg);
		return scan_doubt_parse(
			second + 1, (size_t)(s + len - second - 1), &c->doubt);
	case SCAN_WHY_TICKED:
		n = count_of(arg, arg_len);
		c->n = (unsigned)n;
		return n < 0 ? -1 : 0;
	case SCAN_WHY_OVER_MAX:
		second = arg_len ? memchr(arg, ':', arg_len) : NULL;
		if (!second)
			return -1;
		n = count_of(arg, (size_t)(second - arg));
		max = count_of(second + 1, (size_t)(s + len - second - 1));
		c->n = (unsigned)n;
		c->max = (unsigned)max;
		return n < 0 || max < 0 ? -1 : 0;
	default: return colon ? -1 : 0;
	}
}

int scan_reason_next(const char **p, struct scan_clause *c)
{
	const char *s = *p, *end;
	size_t len;

	if (!s || !*s)
		return 0;
	end = strstr(s, "; ");
	len = end ? (size_t)(end - s) : strlen(s);
	*p = end ? end + 2 : s + len;
	memset(c, 0, sizeof(*c));
	if (parse_clause(s, len, c) == 0)
		return 1;
	memset(c, 0, sizeof(*c));
	c->value = s;
	c->value_len = len;
	return -1;
}

/* How a box is named: its option's label, else its value. */
static void add_box_name(struct strbuf *out, const struct scan_clause *c,
			 const struct survey_question *q, enum survey_lang lang)
{
	const struct survey_option *o = NULL;
	char id[64];

	if (q && c->value_len < sizeof(id)) {
		memcpy(id, c->value, c->value_len);
		id[c->value_len] = '\0';
		o = survey_find_option(q, id);
	}
	if (o)
		strbuf_addstr(out, survey_text_get(&o->label, lang));
	else
		strbuf_add(out, c->value, c->value_len);
}

static void describe_clause(struct strbuf *out, const struct scan_clause *c,
			    const struct survey_question *q,
			    enum survey_lang lang)
{
	bool en = lang == SURVEY_EN;

	switch (c->why) {
	case SCAN_WHY_TEXT_WRITTEN:
		strbuf_addstr(out, en ? "something is written: type it from "
					"the cut-out"
				      : "er is iets geschreven: typ het over "
					"van de uitsnede");
		break;
	case SCAN_WHY_TEXT_UNCERTAIN:
		strbuf_addstr(out, en ? "a few marks in the text area: is "
					"anything written?"
				      : "een paar vlekjes in het tekstvak: "
					"staat er iets?");
		break;
	case SCAN_WHY_DIGITS:
		strbuf_addstr(out, en ? "a number written in digits: read it "
					"from the cut-out"
				      : "een getal in cijfers: lees het af "
					"van de uitsnede");
		break;
	case SCAN_WHY_DIGITS_EMPTY:
		strbuf_addstr(out, en ? "a number is asked in digits, but the "
					"boxes look empty"
				      : "een getal wordt in cijfers gevraagd, "
					"maar de vakjes lijken leeg");
		break;
	case SCAN_WHY_BOX:
		strbuf_addstr(out, en ? "box \u2018" : "vakje \u2018");
		add_box_name(out, c, q, lang);
		strbuf_addf(out, "\u2019: %s", doubt_words[c->doubt][lang]);
		break;
	case SCAN_WHY_TICKED:
		strbuf_addf(out,
			    en ? "%u boxes ticked where one is asked"
			       : "%u vakjes aangekruist waar er één gevraagd "
				 "wordt",
			    c->n);
		break;
	case SCAN_WHY_OVER_MAX:
		strbuf_addf(out,
			    en ? "%u boxes ticked where at most %u are allowed"
			       : "%u vakjes aangekruist waar er hoogstens %u "
				 "mogen",
			    c->n, c->max);
		break;
	case SCAN_NWHY: break;
	}
}

void scan_reason_describe(const char *reason, const struct survey_question *q,
			  enum survey_lang lang, struct strbuf *out)
{
	const char *p = reason;
	size_t start = out->len;
	struct scan_clause c;
	int rc, first = 0, last = 0;

	/*
	 * One sentence: a capital first and a full stop last, unless that
	 * end is text shown as it is.  Every text above starts in ASCII.
	 */
	while ((rc = scan_reason_next(&p, &c)) != 0) {
		if (out->len > start)
			strbuf_addstr(out, "; ");
		else
			first = rc;
		last = rc;
		if (rc < 0)
			strbuf_add(out, c.value, c.value_len);
		else
			describe_clause(out, &c, q, lang);
	}
	if (first > 0 && out->buf[start] >= 'a' && out->buf[start] <= 'z')
		out->buf[start] = (char)(out->buf[start] - 'a' + 'A');
	if (last > 0 && out->buf[out->len - 1] != '?')
		strbuf_addch(out, '.');
}
