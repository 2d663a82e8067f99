/*
 * definition.c - reading and validating a survey definition (survey.h).
 *
 * The definition is written by a board member, not a programmer, so this
 * file is mostly about mistakes: it walks the YAML tree that libfyaml
 * builds, checks every key against what may stand there, and reports each
 * problem with its line and column in plain words, carrying on so that one
 * run shows them all.  The format is described in docs/definition.md.
 *
 * Only a YAML syntax error stops the walk, since there is no tree to walk
 * then; libfyaml reports the first one and we pass its position on.
 */
#include "survey.h"

#include <ctype.h>
#include <errno.h>
#include <libfyaml.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"
#include "xalloc.h"
#include "msg.h"
#include "banned.h"

/* Limits that keep forms printable and web pages sane. */
#define MAX_OPTIONS	    20
#define MAX_SCALE_STEPS	    11
#define MAX_TEXT_LENGTH	    5000
#define DEFAULT_TEXT_LENGTH 1000

struct loc {
	int line;
	int col;
};

/* A misspelt key that check_keys() took for another key of the map. */
struct typo {
	struct fy_node *map;
	const char *meant;
};

struct parser {
	struct diag_list *dl;
	enum survey_lang lang; /* of the catalogue messages (check --lang) */
	struct survey *s;
	bool yaml_error_seen;
	struct typo *typos;
	size_t nr_typos, alloc_typos;
	/*
	 * The survey-wide agreement has no min_in_favour: fine when every
	 * buurt sets its own (counted in buurt_favour), a mistake otherwise.
	 */
	bool favour_missing;
	struct loc favour_missing_at;
	size_t buurt_favour;
};

/* ---- positions and messages ------------------------------------------ */

static struct loc loc_of(struct fy_node *n, struct loc fallback);

/*
 * Where the key holding n stands, for a node that has no token of its own
 * (an empty value, [] or {}); the fallback when n is not a value of a map.
 */
static struct loc loc_of_holder(struct fy_node *n, struct loc fallback)
{
	struct fy_node *parent = fy_node_get_parent(n);
	struct fy_node_pair *pr;
	void *it = NULL;

	if (!parent || !fy_node_is_mapping(parent))
		return fallback;
	while ((pr = fy_node_mapping_iterate(parent, &it)))
		if (fy_node_pair_value(pr) == n)
			return loc_of(fy_node_pair_key(pr), fallback);
	return fallback;
}

/*
 * The position of a node as an editor shows it.  libfyaml gives positions
 * of tokens, so a mapping or sequence is placed at its first key or item;
 * an empty value at the key that holds it, else at the fallback.
 */
static struct loc loc_of(struct fy_node *n, struct loc fallback)
{
	void *it = NULL;
	struct fy_token *t = NULL;

	if (!n)
		return fallback;
	switch (fy_node_get_type(n)) {
	case FYNT_SCALAR: t = fy_node_get_scalar_token(n); break;
	case FYNT_MAPPING: {
		struct fy_node_pair *pr = fy_node_mapping_iterate(n, &it);

		return pr ? loc_of(fy_node_pair_key(pr), fallback)
			  : loc_of_holder(n, fallback);
	}
	case FYNT_SEQUENCE: {
		struct fy_node *c = fy_node_sequence_iterate(n, &it);

		return c ? loc_of(c, fallback) : loc_of_holder(n, fallback);
	}
	}
	if (t) {
		const struct fy_mark *m = fy_token_start_mark(t);

		if (m)
			return (struct loc){ m->line + 1, m->column + 1 };
	}
	return loc_of_holder(n, fallback);
}

#define ERR(p, l, ...)	diag_error((p)->dl, (l).line, (l).col, __VA_ARGS__)
#define WARN(p, l, ...) diag_warning((p)->dl, (l).line, (l).col, __VA_ARGS__)

/* A message from the catalogue, in the language check was asked for. */
static void diag_msgv(struct parser *p, struct loc l, bool warn, enum msg_id id,
		      const char *const *args, size_t n)
{
	struct strbuf sb = STRBUF_INIT;

	msg_addv(&sb, p->lang, id, args, n);
	if (warn)
		WARN(p, l, "%s", sb.buf);
	else
		ERR(p, l, "%s", sb.buf);
	strbuf_release(&sb);
}
#define ERR_MSG(p, l, id, ...)                                                 \
	diag_msgv(p, l, false, id, (const char *const[]){ __VA_ARGS__ },       \
		  sizeof((const char *const[]){ __VA_ARGS__ }) /               \
			  sizeof(const char *))
#define WARN_MSG(p, l, id, ...)                                                \
	diag_msgv(p, l, true, id, (const char *const[]){ __VA_ARGS__ },        \
		  sizeof((const char *const[]){ __VA_ARGS__ }) /               \
			  sizeof(const char *))
#define ERR_MSG0(p, l, id)  diag_msgv(p, l, false, id, NULL, 0)
#define WARN_MSG0(p, l, id) diag_msgv(p, l, true, id, NULL, 0)

/* A number as text for a catalogue message: num(v).s lives to the end of
 * the full expression, which is as long as msg_addv() needs it. */
struct num {
	char s[24];
};

static struct num num(long v)
{
	struct num n;

	snprintf(n.s, sizeof(n.s), "%ld", v);
	return n;
}

/* What n is, in words, for "must be X, not Y". */
static const char *node_kind(struct parser *p, struct fy_node *n)
{
	switch (fy_node_get_type(n)) {
	case FYNT_MAPPING: return msg_get(p->lang, MSG_CHECK_KIND_MAPPING);
	case FYNT_SEQUENCE: return msg_get(p->lang, MSG_CHECK_KIND_SEQUENCE);
	default: return msg_get(p->lang, MSG_CHECK_KIND_SCALAR);
	}
}

/* ---- generic readers ------------------------------------------------- */

static unsigned edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned row[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned diag = row[0];

		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned up = row[j];
			unsigned best = diag + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/*
 * Keys as a Dutch board member writes them: the definition's keys are
 * English, so "vragen:" gets "did you mean 'questions'?" like a typo.
 */
static const struct {
	const char *nl, *key;
} dutch_keys[] = {
	{ "vragen", "questions" },
	{ "vraag", "questions" },
	{ "titel", "title" },
	{ "naam", "name" },
	{ "tekst", "text" },
	{ "uitleg", "help" },
	{ "hulp", "help" },
	{ "toelichting", "intro" },
	{ "inleiding", "intro" },
	{ "soort", "type" },
	{ "opties", "options" },
	{ "keuzes", "options" },
	{ "antwoorden", "options" },
	{ "buurt", "buurten" },
	{ "wijken", "buurten" },
	{ "huishoudens", "households" },
	{ "adressen", "households" },
	{ "talen", "languages" },
	{ "taal", "languages" },
	{ "opent", "opens" },
	{ "open", "opens" },
	{ "begin", "opens" },
	{ "sluit", "closes" },
	{ "einde", "closes" },
	{ "afspraak", "agreement" },
	{ "respons", "min_response" },
	{ "minimale_respons", "min_response" },
	{ "opkomst", "min_response" },
	{ "voor", "min_in_favour" },
	{ "draagvlak", "min_in_favour" },
	{ "zekerheid", "confidence" },
	{ "besluit", "decision" },
	{ "basis", "basis" },
	{ "neutraal", "neutral" },
	{ "blanco", "blank" },
	{ "ongeldig", "invalid" },
	{ "afgesproken_met", "agreed_with" },
	{ "afgesproken_op", "agreed_on" },
	{ "inleveren", "return_to" },
	{ "inleveradres", "return_to" },
	{ "verplicht", "required" },
};

static const char *where_of(enum msg_id what, enum survey_lang lang)
{
	return msg_get(lang, what);
}

/*
 * Report every key of map that is not in allowed[] (NULL-terminated),
 * suggesting the closest allowed key when a typo is likely, or the
 * English key a Dutch word stands for.
 */
static void check_keys(struct parser *p, struct fy_node *map, enum msg_id what,
		       const char *const *allowed)
{
	void *it = NULL;
	struct fy_node_pair *pr;

	while ((pr = fy_node_mapping_iterate(map, &it))) {
		struct fy_node *k = fy_node_pair_key(pr);
		const char *key = fy_node_get_scalar0(k);
		const char *best = NULL;
		unsigned best_d = 3;
		size_t i;

		if (!key) {
			ERR_MSG0(p, loc_of(k, (struct loc){ 0, 0 }),
				 MSG_CHECK_KEY_PLAIN);
			continue;
		}
		for (i = 0; allowed[i]; i++) {
			unsigned d;

			if (!strcmp(key, allowed[i]))
				break;
			d = edit_distance(key, allowed[i]);
			if (d < best_d) {
				best_d = d;
				best = allowed[i];
			}
		}
		if (allowed[i])
			continue;
		for (size_t j = 0; j < sizeof(dutch_keys) / sizeof(*dutch_keys);
		     j++) {
			if (strcasecmp(key, dutch_keys[j].nl))
				continue;
			for (size_t a = 0; allowed[a]; a++)
				if (!strcmp(allowed[a], dutch_keys[j].key))
					best = allowed[a];
		}
		if (best) {
			ERR_MSG(p, loc_of(k, (struct loc){ 0, 0 }),
				MSG_CHECK_DID_YOU_MEAN, key,
				where_of(what, p->lang), best);
			ALLOC_GROW(p->typos, p->nr_typos + 1, p->alloc_typos);
			p->typos[p->nr_typos++] = (struct typo){ map, best };
		} else
			ERR_MSG(p, loc_of(k, (struct loc){ 0, 0 }),
				MSG_CHECK_UNKNOWN_KEY, key,
				where_of(what, p->lang));
	}
}

static struct fy_node *get(struct fy_node *map, const char *key)
{
	return fy_node_mapping_lookup_by_string(map, key, -1);
}

/* The key node of key in map, for messages about the key itself. */
static struct fy_node *get_key(struct fy_node *map, const char *key)
{
	struct fy_node_pair *pr =
		fy_node_mapping_lookup_pair_by_string(map, key, -1);

	return pr ? fy_node_pair_key(pr) : NULL;
}

/* Whether a misspelling of key in map was reported (with key named). */
static bool typo_for(struct parser *p, struct fy_node *map, const char *key)
{
	for (size_t i = 0; i < p->nr_typos; i++)
		if (p->typos[i].map == map && !strcmp(p->typos[i].meant, key))
			return true;
	return false;
}

static struct fy_node *require(struct parser *p, struct fy_node *map,
			       const char *key, enum msg_id what,
			       struct loc where)
{
	struct fy_node *n = get(map, key);

	if (!n && !typo_for(p, map, key))
		ERR_MSG(p, loc_of(map, where), MSG_CHECK_MISSING_KEY,
			msg_get(p->lang, what), key);
	return n;
}

/* A scalar's text, or NULL with an error naming what was expected. */
static const char *scalar(struct parser *p, struct fy_node *n, const char *key,
			  enum msg_id expected)
{
	const char *v;

	if (!fy_node_is_scalar(n)) {
		ERR_MSG(p, loc_of(n, (struct loc){ 0, 0 }), MSG_CHECK_MUST_BE,
			key, msg_get(p->lang, expected), node_kind(p, n));
		return NULL;
	}
	v = fy_node_get_scalar0(n);
	if (!v || !*v) {
		ERR_MSG(p, loc_of(n, (struct loc){ 0, 0 }), MSG_CHECK_EMPTY,
			key);
		return NULL;
	}
	return v;
}

static char *read_string(struct parser *p, struct fy_node *n, const char *key)
{
	const char *v = scalar(p, n, key, MSG_CHECK_EXPECT_TEXT);

	return v ? xstrdup(v) : NULL;
}

static bool read_bool(struct parser *p, struct fy_node *n, const char *key,
		      bool dflt)
{
	const char *v;

	if (!n)
		return dflt;
	v = scalar(p, n, key, MSG_CHECK_EXPECT_BOOL);
	if (!v)
		return dflt;
	if (!strcmp(v, "true") || !strcmp(v, "yes"))
		return true;
	if (!strcmp(v, "false") || !strcmp(v, "no"))
		return false;
	ERR_MSG(p, loc_of(n, (struct loc){ 0, 0 }), MSG_CHECK_BOOL, key, v);
	return dflt;
}

/*
 * A whole number written the one way: an optional '-', then digits without
 * a leading zero.  strtol alone would also take " 3", "+3" and "03", and
 * stored answers must have one spelling per value.
 */
static bool parse_whole(const char *v, long *out)
{
	const char *d = *v == '-' ? v + 1 : v;
	char *end;

	if (!isdigit((unsigned char)*d) || (d[0] == '0' && d[1]) ||
	    (d != v && d[0] == '0'))
		return false;
	for (const char *c = d; *c; c++)
		if (!isdigit((unsigned char)*c))
			return false;
	errno = 0;
	*out = strtol(v, &end, 10);
	return !errno && !*end;
}

/* A whole number in [lo, hi]; returns 0 and sets *out, or -1. */
static int read_long(struct parser *p, struct fy_node *n, const char *key,
		     long lo, long hi, long *out)
{
	const char *v = scalar(p, n, key, MSG_CHECK_EXPECT_WHOLE);
	long x;

	if (!v)
		return -1;
	if (!parse_whole(v, &x)) {
		ERR_MSG(p, loc_of(n, (struct loc){ 0, 0 }), MSG_CHECK_WHOLE,
			key, v);
		return -1;
	}
	if (x < lo || x > hi) {
		ERR_MSG(p, loc_of(n, (struct loc){ 0, 0 }), MSG_CHECK_RANGE,
			key, num(lo).s, num(hi).s, num(x).s);
		return -1;
	}
	*out = x;
	return 0;
}

/* Index of the scalar among names[] (NULL-terminated), or -1. */
static int read_enum(struct parser *p, struct fy_node *n, const char *key,
		     const char *const *names)
{
	const char *v = scalar(p, n, key, MSG_CHECK_EXPECT_WORD);
	struct strbuf choices = STRBUF_INIT;

	if (!v)
		return -1;
	for (int i = 0; names[i]; i++)
		if (!strcmp(v, names[i]))
			return i;
	for (int i = 0; names[i]; i++) {
		if (i && names[i + 1])
			strbuf_addstr(&choices, ", ");
		else if (i)
			strbuf_addf(&choices, " %s ",
				    msg_get(p->lang, MSG_CHECK_OR));
		strbuf_addstr(&choices, names[i]);
	}
	ERR_MSG(p, loc_of(n, (struct loc){ 0, 0 }), MSG_CHECK_ENUM, key,
		choices.buf, v);
	strbuf_release(&choices);
	return -1;
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* Exactly DDDD-DD-DD: sscanf alone would take signs and spaces. */
static bool date_shape_ok(const char *v)
{
	if (strlen(v) != 10)
		return false;
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? v[i] != '-'
				     : !isdigit((unsigned char)v[i]))
			return false;
	return true;
}

/* An ISO date YYYY-MM-DD that exists; copied to out[11]. */
static int read_date(struct parser *p, struct fy_node *n, const char *key,
		     char out[11])
{
	const char *v = scalar(p, n, key, MSG_CHECK_EXPECT_DATE);
	int y, m, d;

	if (!v)
		return -1;
	if (!date_shape_ok(v)) {
		ERR_MSG(p, loc_of(n, (struct loc){ 0, 0 }),
			MSG_CHECK_DATE_SHAPE, key, v);
		return -1;
	}
	y = (int)strtol(v, NULL, 10);
	m = (int)strtol(v + 5, NULL, 10);
	d = (int)strtol(v + 8, NULL, 10);
	if (y < 2000 || y > 2999 || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month(y, m)) {
		ERR_MSG(p, loc_of(n, (struct loc){ 0, 0 }),
			MSG_CHECK_DATE_EXISTS, key, v);
		return -1;
	}
	memcpy(out, v, 11);
	return 0;
}

/* ids: lower-case letters, digits and the characters in extra. */
static bool id_ok(const char *v, const char *extra, size_t max, bool upper)
{
	size_t n = strlen(v);

	if (!n || n > max)
		return false;
	for (; *v; v++)
		if (!(islower((unsigned char)*v) ||
		      isdigit((unsigned char)*v) ||
		      (upper && isupper((unsigned char)*v)) ||
		      strchr(extra, *v)))
			return false;
	return true;
}

/*
 * v made into an id that id_ok() takes, to show in the message: letters
 * lowered (unless upper), anything else between words one extra[0], the
 * rest dropped, cut at max.  Never empty.
 */
static void id_suggest(const char *v, const char *extra, size_t max, bool upper,
		       struct strbuf *out)
{
	bool gap = false;

	for (; *v && out->len < max; v++) {
		unsigned char c = (unsigned char)*v;

		/* é, ë, ï ... (U+00C0 to U+00FF) as their plain letter. */
		if (c == 0xc3 && (unsigned char)v[1] >= 0x80 &&
		    (unsigned char)v[1] <= 0xbf) {
			static const char plain[] = "AAAAAAACEEEEIIII"
						    "DNOOOOO OUUUUY s"
						    "aaaaaaaceeeeiiii"
						    "dnooooo ouuuuy y";

			c = (unsigned char)plain[(unsigned char)v[1] - 0x80];
			v++;
		}
		if (c && (isalnum(c) || strchr(extra, c))) {
			if (gap && out->len && out->len + 1 < max)
				strbuf_addch(out, extra[0]);
			gap = false;
			strbuf_addch(out, (char)(upper ? c : tolower(c)));
		} else if (c < 0x80) {
			gap = true;
		}
	}
	if (!out->len)
		strbuf_addstr(out, "a1");
}

static char *read_id(struct parser *p, struct fy_node *n, const char *key,
		     const char *extra, size_t max, bool upper)
{
	const char *v = scalar(p, n, key, MSG_CHECK_EXPECT_ID);
	struct strbuf fix = STRBUF_INIT;

	if (!v)
		return NULL;
	if (!id_ok(v, extra, max, upper)) {
		id_suggest(v, extra, max, upper, &fix);
		ERR_MSG(p, loc_of(n, (struct loc){ 0, 0 }), MSG_CHECK_ID, key,
			msg_get(p->lang,
				upper ? MSG_CHECK_ID_ANY : MSG_CHECK_ID_LOWER),
			extra, num((long)max).s, v, fix.buf);
		strbuf_release(&fix);
		return NULL;
	}
	return xstrdup(v);
}

/*
 * A text: one string for every language, or {nl: ..., en: ...}.  English
 * given for a survey without English is an error; missing English in a
 * bilingual survey is a warning when warn_en is set (the Dutch shows).
 */
static void read_text(struct parser *p, struct fy_node *n, const char *key,
		      bool warn_en, struct survey_text *t)
{
	const char *langs[SURVEY_NLANG + 1] = { NULL };
	struct loc at = loc_of(n, (struct loc){ 0, 0 });

	/* nl, en and any language loaded from a catalogue (msg.h). */
	for (unsigned i = 0; i < msg_nr_langs(); i++)
		langs[i] = survey_lang_code((enum survey_lang)i);
	if (fy_node_is_scalar(n)) {
		t->text[SURVEY_NL] = read_string(p, n, key);
		return;
	}
	if (!fy_node_is_mapping(n)) {
		ERR_MSG(p, at, MSG_CHECK_TEXT_KIND, key, node_kind(p, n));
		return;
	}
	check_keys(p, n, MSG_CHECK_WHERE_TEXT, langs);
	if (get(n, "nl"))
		t->text[SURVEY_NL] = read_string(p, get(n, "nl"), "nl");
	else
		ERR_MSG(p, at, MSG_CHECK_TEXT_NO_NL, key);
	if (get(n, "en")) {
		if (!p->s->languages[SURVEY_EN])
			ERR_MSG(p, loc_of(get_key(n, "en"), at),
				MSG_CHECK_TEXT_LANG_UNUSED, key, "en");
		else
			t->text[SURVEY_EN] = read_string(p, get(n, "en"), "en");
	} else if (warn_en && p->s->languages[SURVEY_EN]) {
		WARN_MSG(p, at, MSG_CHECK_TEXT_NO_EN, key);
	}
	for (unsigned i = SURVEY_EN + 1; i < msg_nr_langs(); i++) {
		struct fy_node *v = get(n, langs[i]);

		if (v && p->s->languages[i])
			t->text[i] = read_string(p, v, langs[i]);
		else if (v)
			ERR_MSG(p, loc_of(get_key(n, langs[i]), at),
				MSG_CHECK_TEXT_LANG_UNUSED, key, langs[i]);
	}
}

/* A text, with the English warning when the survey is bilingual. */
static void read_text_en(struct parser *p, struct fy_node *n, const char *key,
			 struct survey_text *t)
{
	read_text(p, n, key, true, t);
	if (p->s->languages[SURVEY_EN] && fy_node_is_scalar(n) &&
	    t->text[SURVEY_NL])
		WARN_MSG(p, loc_of(n, (struct loc){ 0, 0 }), MSG_CHECK_TEXT_ONE,
			 key);
}

static void text_release(struct survey_text *t)
{
	for (int i = 0; i < SURVEY_NLANG; i++) {
		free(t->text[i]);
		t->text[i] = NULL;
	}
}

const char *survey_text_get(const struct survey_text *t, enum survey_lang lang)
{
	if (t->text[lang])
		return t->text[lang];
	return t->text[SURVEY_NL];
}

/* ---- the agreement --------------------------------------------------- */

static const char *const basis_names[] = { "votes", "responses", "households",
					   NULL };
static const char *const count_names[] = { "left_out", "against", NULL };
static const char *const silent_names[] = { "against", "for", NULL };
static const char *const decision_names[] = { "each", "all", "pooled", NULL };

/* "minstens" / "meer dan" as the board's language says it. */
static const char *cmp_words(enum agreement_cmp cmp, enum survey_lang lang)
{
	if (lang == SURVEY_EN)
		return cmp == AGREEMENT_GT ? "more than" : "at least";
	return cmp == AGREEMENT_GT ? "meer dan" : "minstens";
}

static void read_threshold(struct parser *p, struct fy_node *n, const char *key,
			   bool need_cmp, bool allow_none,
			   struct agreement_threshold *t)
{
	const char *v = scalar(p, n, key, MSG_CHECK_EXPECT_SHARE);
	const char *why = NULL;
	struct loc at = loc_of(n, (struct loc){ 0, 0 });
	uint32_t fn, fd;

	if (!v)
		return;
	if (allow_none && (!strcasecmp(v, "none") || !strcasecmp(v, "geen"))) {
		t->set = false;
		return;
	}
	if (agreement_parse_threshold_lang(v, need_cmp, t, p->lang, &why) < 0) {
		ERR_MSG(p, at, MSG_CHECK_SHARE_KEY, key, why);
		return;
	}
	if (agreement_near_fraction(t, &fn, &fd)) {
		char frac[32];
		struct strbuf written = STRBUF_INIT;

		agreement_format_share(t, p->lang, &written);
		snprintf(frac, sizeof(frac), "%u/%u", (unsigned)fn,
			 (unsigned)fd);
		WARN_MSG(p, at, MSG_CHECK_NEAR_FRACTION, key, written.buf, frac,
			 cmp_words(t->cmp, p->lang));
		strbuf_release(&written);
	}
}

static void read_confidence(struct parser *p, struct fy_node *n,
			    struct agreement *a)
{
	struct agreement_threshold t = { 0 };
	const char *v = scalar(p, n, "confidence", MSG_CHECK_EXPECT_LEVEL);
	const char *why = NULL;
	struct loc at = loc_of(n, (struct loc){ 0, 0 });
	uint64_t permille;

	if (!v)
		return;
	/* "> 95%", "meer dan 95%", "≥ 95%": a level is not a comparison. */
	if (agreement_starts_with_cmp(v)) {
		ERR_MSG(p, at, MSG_CHECK_CONFIDENCE_CMP, v);
		return;
	}
	if (strchr(v, '/')) {
		ERR_MSG(p, at, MSG_CHECK_CONFIDENCE_FRACTION, v);
		return;
	}
	if (!strchr(v, '%')) {
		ERR_MSG(p, at, MSG_CHECK_CONFIDENCE_PERCENT, v);
		return;
	}
	if (agreement_parse_threshold_lang(v, false, &t, p->lang, &why) < 0) {
		ERR_MSG(p, at, MSG_CHECK_SHARE_KEY, "confidence", why);
		return;
	}
	permille = (uint64_t)t.num * 1000 / t.den;
	if ((uint64_t)t.num * 1000 % t.den) {
		ERR_MSG0(p, at, MSG_CHECK_CONFIDENCE_DECIMAL);
		return;
	}
	if (permille < 500 || permille > 999) {
		ERR_MSG0(p, at, MSG_CHECK_CONFIDENCE_RANGE);
		return;
	}
	a->confidence_permille = (uint32_t)permille;
}

/*
 * Read the keys present in map onto a (which holds the defaults or the
 * survey-wide agreement being overridden), then check the combination.
 */
static void read_agreement(struct parser *p, struct fy_node *map,
			   struct agreement *a, bool survey_wide)
{
	static const char *const keys[] = {
		"min_response", "min_in_favour", "basis",     "neutral",
		"blank",	"invalid",	 "silent",    "decision",
		"confidence",	"agreed_with",	 "agreed_on", NULL
	};
	static const char *const count_keys[] = { "neutral", "blank",
						  "invalid" };
	enum agreement_count *counts[] = { &a->neutral, &a->blank,
					   &a->invalid };
	struct loc at = loc_of(map, (struct loc){ 0, 0 });
	struct fy_node *n;
	int v;

	if (!fy_node_is_mapping(map)) {
		ERR_MSG(p, at, MSG_CHECK_AGREEMENT_KIND, node_kind(p, map));
		return;
	}
	check_keys(p, map, MSG_CHECK_WHERE_AGREEMENT, keys);
	if ((n = get(map, "min_response")))
		read_threshold(p, n, "min_response", false, true,
			       &a->min_response);
	if ((n = get(map, "min_in_favour"))) {
		read_threshold(p, n, "min_in_favour", true, false,
			       &a->min_in_favour);
		if (!survey_wide)
			p->buurt_favour++;
	} else if (survey_wide && !typo_for(p, map, "min_in_favour")) {
		/* Judged after the buurten: each may set its own. */
		p->favour_missing = true;
		p->favour_missing_at = at;
	}
	if ((n = get(map, "basis")) &&
	    (v = read_enum(p, n, "basis", basis_names)) >= 0)
		a->basis = (enum agreement_basis)v;
	for (int i = 0; i < 3; i++)
		if ((n = get(map, count_keys[i])) &&
		    (v = read_enum(p, n, count_keys[i], count_names)) >= 0)
			*counts[i] = (enum agreement_count)v;
	if ((n = get(map, "silent")) &&
	    (v = read_enum(p, n, "silent", silent_names)) >= 0)
		a->silent = (enum agreement_silent)v;
	if ((n = get(map, "decision"))) {
		if (!survey_wide)
			ERR_MSG0(p, loc_of(get_key(map, "decision"), at),
				 MSG_CHECK_DECISION_IN_BUURT);
		else if ((v = read_enum(p, n, "decision", decision_names)) >= 0)
			a->decision = (enum agreement_decision)v;
	}
	if ((n = get(map, "confidence")))
		read_confidence(p, n, a);
	if ((n = get(map, "agreed_with"))) {
		free(a->agreed_with);
		a->agreed_with = read_string(p, n, "agreed_with");
	}
	if ((n = get(map, "agreed_on"))) {
		char date[11];

		if (read_date(p, n, "agreed_on", date) == 0) {
			free(a->agreed_on);
			a->agreed_on = xstrdup(date);
		}
	}

	/* Keys that mean nothing with the basis in force are mistakes. */
	for (int i = 0; i < 3; i++)
		if (get(map, count_keys[i]) &&
		    a->basis != AGREEMENT_BASIS_VOTES)
			ERR_MSG(p, loc_of(get_key(map, count_keys[i]), at),
				MSG_CHECK_COUNT_NEEDS_VOTES, count_keys[i],
				agreement_basis_name(a->basis),
				msg_get(p->lang,
					a->basis == AGREEMENT_BASIS_RESPONSES
						? MSG_CHECK_COUNT_RESPONSE
						: MSG_CHECK_COUNT_HOUSEHOLD));
	if (get(map, "silent") && a->basis != AGREEMENT_BASIS_HOUSEHOLDS)
		ERR_MSG(p, loc_of(get_key(map, "silent"), at),
			MSG_CHECK_SILENT_NEEDS_HOUSEHOLDS,
			agreement_basis_name(a->basis));
}

/* ---- questions ------------------------------------------------------- */

static const char *const qtype_names[] = { "proposition", "choice", "multi",
					   "scale",	  "yesno",  "number",
					   "text",	  NULL };

const char *survey_qtype_name(enum survey_qtype type)
{
	return qtype_names[type];
}

static void add_option(struct survey_question *q, const char *id,
		       const char *nl, const char *en)
{
	struct survey_option *o;

	q->options = xrealloc(q->options, (q->nr_options + 1) * sizeof(*o));
	o = &q->options[q->nr_options++];
	memset(o, 0, sizeof(*o));
	o->id = xstrdup(id);
	o->label.text[SURVEY_NL] = xstrdup(nl);
	o->label.text[SURVEY_EN] = en ? xstrdup(en) : NULL;
}

static void read_options(struct parser *p, struct fy_node *n,
			 struct survey_question *q, struct loc at)
{
	static const char *const keys[] = { "id", "label", NULL };
	void *it = NULL;
	struct fy_node *item;

	if (!fy_node_is_sequence(n)) {
		ERR_MSG(p, loc_of(n, at), MSG_CHECK_OPTIONS_KIND,
			node_kind(p, n));
		return;
	}
	while ((item = fy_node_sequence_iterate(n, &it))) {
		struct loc il = loc_of(item, at);
		struct survey_option o = { 0 };
		struct fy_node *v;

		if (!fy_node_is_mapping(item)) {
			ERR_MSG0(p, il, MSG_CHECK_OPTION_KIND);
			continue;
		}
		check_keys(p, item, MSG_CHECK_WHERE_OPTION, keys);
		if ((v = require(p, item, "id", MSG_CHECK_HOLDER_OPTION, il)))
			o.id = read_id(p, v, "id", "_", 32, false);
		if ((v = require(p, item, "label", MSG_CHECK_HOLDER_OPTION,
				 il)))
			read_text_en(p, v, "label", &o.label);
		if (o.id && survey_find_option(q, o.id)) {
			ERR_MSG(p, loc_of(get(item, "id"), il),
				MSG_CHECK_OPTION_TWICE, o.id,
				q->id ? q->id : "?");
			free(o.id);
			o.id = NULL;
		}
		if (!o.id || !o.label.text[SURVEY_NL]) {
			free(o.id);
			text_release(&o.label);
			continue;
		}
		q->options =
			xrealloc(q->options, (q->nr_options + 1) * sizeof(o));
		q->options[q->nr_options++] = o;
	}
	if (q->nr_options < 2)
		ERR_MSG(p, loc_of(n, at), MSG_CHECK_OPTIONS_FEW,
			q->id ? q->id : "?");
	if (q->nr_options > MAX_OPTIONS)
		ERR_MSG(p, loc_of(n, at), MSG_CHECK_OPTIONS_MANY,
			q->id ? q->id : "?", num((long)q->nr_options).s,
			num(MAX_OPTIONS).s);
}

/* Keys each type accepts beyond id, type, text, help and required. */
static const char *const *type_keys(enum survey_qtype t)
{
	static const char *const prop[] = { "neutral", NULL };
	static const char *const choice[] = { "options", NULL };
	static const char *const multi[] = { "options", "max_choices", NULL };
	static const char *const scale[] = { "min", "max", "min_label",
					     "max_label", NULL };
	static const char *const none[] = { NULL };
	static const char *const number[] = { "min", "max", NULL };
	static const char *const text[] = { "max_length", NULL };

	switch (t) {
	case SURVEY_Q_PROPOSITION: return prop;
	case SURVEY_Q_CHOICE: return choice;
	case SURVEY_Q_MULTI: return multi;
	case SURVEY_Q_SCALE: return scale;
	case SURVEY_Q_YESNO: return none;
	case SURVEY_Q_NUMBER: return number;
	case SURVEY_Q_TEXT: return text;
	}
	return none;
}

static bool in_list(const char *key, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(key, *list))
			return true;
	return false;
}

/* Every key any question may have. */
static const char *const question_keys[] = {
	"id",	     "type",	  "text",	 "help", "required",
	"neutral",   "options",	  "max_choices", "min",	 "max",
	"min_label", "max_label", "max_length",	 NULL
};

/* Keys of other types get a message naming the type. */
static void check_question_keys(struct parser *p, struct fy_node *map,
				enum survey_qtype t)
{
	static const char *const common[] = { "id",	  "text", "help",
					      "required", "type", NULL };
	const char *const *mine = type_keys(t);
	void *it = NULL;
	struct fy_node_pair *pr;

	while ((pr = fy_node_mapping_iterate(map, &it))) {
		struct fy_node *k = fy_node_pair_key(pr);
		const char *key = fy_node_get_scalar0(k);

		if (key && in_list(key, question_keys) &&
		    !in_list(key, common) && !in_list(key, mine))
			ERR_MSG(p, loc_of(k, (struct loc){ 0, 0 }),
				MSG_CHECK_KEY_NOT_FOR_TYPE, key,
				qtype_names[t]);
	}
}

static void read_range(struct parser *p, struct fy_node *map,
		       struct survey_question *q, struct loc at)
{
	struct fy_node *nmin =
		require(p, map, "min", MSG_CHECK_HOLDER_QUESTION, at);
	struct fy_node *nmax =
		require(p, map, "max", MSG_CHECK_HOLDER_QUESTION, at);
	long lo = 0, hi = 0;

	if (!nmin || !nmax ||
	    read_long(p, nmin, "min", -1000000, 1000000, &lo) ||
	    read_long(p, nmax, "max", -1000000, 1000000, &hi))
		return;
	if (lo >= hi) {
		ERR_MSG(p, loc_of(nmax, at), MSG_CHECK_MAX_ABOVE_MIN, num(hi).s,
			num(lo).s);
		return;
	}
	if (q->type == SURVEY_Q_SCALE && hi - lo + 1 > MAX_SCALE_STEPS) {
		ERR_MSG(p, loc_of(nmax, at), MSG_CHECK_SCALE_STEPS, num(lo).s,
			num(hi).s, num(hi - lo + 1).s, num(MAX_SCALE_STEPS).s);
		return;
	}
	q->min = lo;
	q->max = hi;
}

static void read_type_fields(struct parser *p, struct fy_node *map,
			     struct survey_question *q, struct loc at)
{
	struct fy_node *n;
	long v;

	switch (q->type) {
	case SURVEY_Q_PROPOSITION:
		add_option(q, SURVEY_OPT_FOR, "Voor", "For");
		add_option(q, SURVEY_OPT_AGAINST, "Tegen", "Against");
		if (read_bool(p, get(map, "neutral"), "neutral", true))
			add_option(q, SURVEY_OPT_NEUTRAL, "Neutraal",
				   "Neutral");
		break;
	case SURVEY_Q_YESNO:
		add_option(q, SURVEY_OPT_YES, "Ja", "Yes");
		add_option(q, SURVEY_OPT_NO, "Nee", "No");
		break;
	case SURVEY_Q_CHOICE:
	case SURVEY_Q_MULTI:
		if ((n = require(p, map, "options", MSG_CHECK_HOLDER_QUESTION,
				 at)))
			read_options(p, n, q, at);
		if (q->type == SURVEY_Q_MULTI &&
		    (n = get(map, "max_choices")) &&
		    read_long(p, n, "max_choices", 1, MAX_OPTIONS, &v) == 0) {
			if ((size_t)v > q->nr_options && q->nr_options >= 2)
				ERR_MSG(p, loc_of(n, at), MSG_CHECK_MAX_CHOICES,
					num(v).s, num((long)q->nr_options).s);
			q->max_choices = (unsigned)v;
		}
		break;
	case SURVEY_Q_SCALE:
		read_range(p, map, q, at);
		if ((n = get(map, "min_label")))
			read_text_en(p, n, "min_label", &q->min_label);
		if ((n = get(map, "max_label")))
			read_text_en(p, n, "max_label", &q->max_label);
		break;
	case SURVEY_Q_NUMBER: read_range(p, map, q, at); break;
	case SURVEY_Q_TEXT:
		q->max_length = DEFAULT_TEXT_LENGTH;
		if ((n = get(map, "max_length")) &&
		    read_long(p, n, "max_length", 1, MAX_TEXT_LENGTH, &v) == 0)
			q->max_length = (unsigned)v;
		break;
	}
}

static void read_question(struct parser *p, struct fy_node *map,
			  struct survey_question *q)
{
	struct loc at = loc_of(map, (struct loc){ 0, 0 });
	struct fy_node *n;
	int t;

	q->line = at.line;
	if (!fy_node_is_mapping(map)) {
		ERR_MSG(p, at, MSG_CHECK_QUESTION_KIND, node_kind(p, map));
		return;
	}
	check_keys(p, map, MSG_CHECK_WHERE_QUESTION, question_keys);
	if ((n = require(p, map, "id", MSG_CHECK_HOLDER_QUESTION, at)))
		q->id = read_id(p, n, "id", "_", 32, false);
	n = require(p, map, "type", MSG_CHECK_HOLDER_QUESTION, at);
	t = n ? read_enum(p, n, "type", qtype_names) : -1;
	if (t < 0)
		return;
	q->type = (enum survey_qtype)t;
	check_question_keys(p, map, q->type);
	if ((n = require(p, map, "text", MSG_CHECK_HOLDER_QUESTION, at)))
		read_text_en(p, n, "text", &q->text);
	if ((n = get(map, "help")))
		read_text_en(p, n, "help", &q->help);
	q->required = read_bool(p, get(map, "required"), "required", false);
	read_type_fields(p, map, q, at);
}

static void read_questions(struct parser *p, struct fy_node *n)
{
	struct survey *s = p->s;
	void *it = NULL;
	struct fy_node *item;

	if (!fy_node_is_sequence(n)) {
		ERR_MSG(p, loc_of(n, (struct loc){ 0, 0 }),
			MSG_CHECK_QUESTIONS_KIND, node_kind(p, n));
		return;
	}
	while ((item = fy_node_sequence_iterate(n, &it))) {
		struct survey_question *q;

		s->questions = xrealloc(s->questions,
					(s->nr_questions + 1) * sizeof(*q));
		q = &s->questions[s->nr_questions];
		memset(q, 0, sizeof(*q));
		read_question(p, item, q);
		if (q->id) {
			for (size_t i = 0; i < s->nr_questions; i++)
				if (s->questions[i].id &&
				    !strcmp(s->questions[i].id, q->id)) {
					ERR_MSG(p,
						loc_of(get(item, "id"),
						       (struct loc){ 0, 0 }),
						MSG_CHECK_QUESTION_TWICE, q->id,
						num(s->questions[i].line).s);
					break;
				}
		}
		s->nr_questions++;
	}
	if (!s->nr_questions)
		ERR_MSG0(p, loc_of(n, (struct loc){ 0, 0 }),
			 MSG_CHECK_NO_QUESTIONS);
}

/* ---- buurten --------------------------------------------------------- */

static void read_buurt(struct parser *p, struct fy_node *map,
		       struct survey_buurt *b)
{
	static const char *const keys[] = { "id",	 "name",
					    "name_in",	 "households",
					    "agreement", NULL };
	struct loc at = loc_of(map, (struct loc){ 0, 0 });
	struct fy_node *n;
	long v;

	b->line = at.line;
	agreement_copy(&b->agreement, &p->s->agreement);
	if (!fy_node_is_mapping(map)) {
		ERR_MSG0(p, at, MSG_CHECK_BUURT_KIND);
		return;
	}
	check_keys(p, map, MSG_CHECK_WHERE_BUURT, keys);
	if ((n = require(p, map, "id", MSG_CHECK_HOLDER_BUURT, at)))
		b->id = read_id(p, n, "id", "_-", 16, true);
	if ((n = require(p, map, "name", MSG_CHECK_HOLDER_BUURT, at)))
		b->name = read_string(p, n, "name");
	if ((n = get(map, "name_in")))
		b->name_in = read_string(p, n, "name_in");
	if ((n = require(p, map, "households", MSG_CHECK_HOLDER_BUURT, at)) &&
	    read_long(p, n, "households", 1, 1000000, &v) == 0)
		b->households = (unsigned)v;
	if ((n = get(map, "agreement"))) {
		if (!p->s->has_agreement)
			ERR_MSG0(p, loc_of(get_key(map, "agreement"), at),
				 MSG_CHECK_BUURT_OVERRIDE_ALONE);
		else
			read_agreement(p, n, &b->agreement, false);
		b->overrides = true;
	}
}

static void read_buurten(struct parser *p, struct fy_node *n)
{
	struct survey *s = p->s;
	void *it = NULL;
	struct fy_node *item;

	if (!fy_node_is_sequence(n)) {
		ERR_MSG(p, loc_of(n, (struct loc){ 0, 0 }),
			MSG_CHECK_BUURTEN_KIND, node_kind(p, n));
		return;
	}
	while ((item = fy_node_sequence_iterate(n, &it))) {
		struct survey_buurt *b;

		s->buurten =
			xrealloc(s->buurten, (s->nr_buurten + 1) * sizeof(*b));
		b = &s->buurten[s->nr_buurten];
		memset(b, 0, sizeof(*b));
		read_buurt(p, item, b);
		for (size_t i = 0; b->id && i < s->nr_buurten; i++)
			if (s->buurten[i].id &&
			    !strcmp(s->buurten[i].id, b->id)) {
				ERR_MSG(p,
					loc_of(get(item, "id"),
					       (struct loc){ 0, 0 }),
					MSG_CHECK_BUURT_TWICE, b->id,
					num(s->buurten[i].line).s);
				break;
			}
		s->nr_buurten++;
	}
	if (!s->nr_buurten)
		ERR_MSG0(p, loc_of(n, (struct loc){ 0, 0 }),
			 MSG_CHECK_NO_BUURTEN);
}

/* ---- the whole survey ------------------------------------------------ */

static void read_languages(struct parser *p, struct fy_node *n)
{
	void *it = NULL;
	struct fy_node *item;

	p->s->languages[SURVEY_NL] = true;
	if (!n)
		return;
	if (!fy_node_is_sequence(n)) {
		ERR_MSG0(p, loc_of(n, (struct loc){ 0, 0 }),
			 MSG_CHECK_LANGUAGES_KIND);
		return;
	}
	while ((item = fy_node_sequence_iterate(n, &it))) {
		const char *v =
			scalar(p, item, "languages", MSG_CHECK_EXPECT_LANG);
		enum survey_lang lang;

		if (!v)
			continue;
		if (survey_lang_parse(v, &lang) < 0) {
			struct strbuf known = STRBUF_INIT;

			/* nl, en and the languages loaded from catalogues. */
			for (unsigned i = 0; i < msg_nr_langs(); i++)
				strbuf_addf(
					&known, "%s%s", i ? ", " : "",
					survey_lang_code((enum survey_lang)i));
			ERR_MSG(p, loc_of(item, (struct loc){ 0, 0 }),
				MSG_CHECK_LANGUAGE_UNKNOWN, v, known.buf);
			strbuf_release(&known);
			continue;
		}
		p->s->languages[lang] = true;
	}
}

static void read_base_url(struct parser *p, struct fy_node *n)
{
	char *url = read_string(p, n, "base_url");
	size_t len;

	if (!url)
		return;
	if (strncmp(url, "https://", 8) && strncmp(url, "http://", 7)) {
		ERR_MSG0(p, loc_of(n, (struct loc){ 0, 0 }),
			 MSG_CHECK_BASE_URL_SCHEME);
		free(url);
		return;
	}
	if (strpbrk(url, " \t\n?#")) {
		ERR_MSG0(p, loc_of(n, (struct loc){ 0, 0 }),
			 MSG_CHECK_BASE_URL_CHARS);
		free(url);
		return;
	}
	len = strlen(url);
	while (len && url[len - 1] == '/')
		url[--len] = '\0';
	p->s->base_url = url;
}

static void read_survey(struct parser *p, struct fy_node *root)
{
	static const char *const keys[] = { "survey",
					    "title",
					    "organisation",
					    "contact",
					    "opens",
					    "closes",
					    "languages",
					    "base_url",
					    "conflict",
					    "double_entry",
					    "intro",
					    "questions",
					    "return_to",
					    "buurten",
					    "agreement",
					    "retention",
					    "public_results",
					    "voting_unit",
					    NULL };
	static const char *const conflict_names[] = { "latest", "paper", NULL };
	static const char *const unit_names[] = { "household", "resident",
						  NULL };
	struct survey *s = p->s;
	struct loc top = { 1, 1 };
	struct fy_node *n;
	bool dates = true;
	int v;

	if (!root || !fy_node_is_mapping(root)) {
		ERR_MSG0(p, loc_of(root, top), MSG_CHECK_NOT_MAPPING);
		return;
	}
	check_keys(p, root, MSG_CHECK_WHERE_SURVEY, keys);
	read_languages(p, get(root, "languages"));
	if ((n = require(p, root, "survey", MSG_CHECK_HOLDER_SURVEY, top)))
		s->id = read_id(p, n, "survey", "-", 40, false);
	if ((n = require(p, root, "title", MSG_CHECK_HOLDER_SURVEY, top)))
		read_text_en(p, n, "title", &s->title);
	if ((n = require(p, root, "organisation", MSG_CHECK_HOLDER_SURVEY,
			 top)))
		s->organisation = read_string(p, n, "organisation");
	if ((n = require(p, root, "contact", MSG_CHECK_HOLDER_SURVEY, top)))
		read_text(p, n, "contact", false, &s->contact);
	if ((n = get(root, "intro")))
		read_text_en(p, n, "intro", &s->intro);
	if ((n = get(root, "return_to")))
		read_text_en(p, n, "return_to", &s->return_to);
	n = require(p, root, "opens", MSG_CHECK_HOLDER_SURVEY, top);
	dates = n && read_date(p, n, "opens", s->opens) == 0;
	n = require(p, root, "closes", MSG_CHECK_HOLDER_SURVEY, top);
	dates = n && read_date(p, n, "closes", s->closes) == 0 && dates;
	if (dates && strcmp(s->closes, s->opens) < 0)
		ERR_MSG(p, loc_of(get(root, "closes"), top),
			MSG_CHECK_CLOSES_BEFORE_OPENS, s->closes, s->opens);
	/* Retention: the day after which the addresses and codes go. */
	if ((n = get(root, "retention")) &&
	    read_date(p, n, "retention", s->retention) == 0 && dates &&
	    strcmp(s->retention, s->closes) < 0)
		ERR_MSG(p, loc_of(n, top), MSG_CHECK_RETENTION_EARLY,
			s->retention, s->closes);
	if ((n = get(root, "base_url")))
		read_base_url(p, n);
	if ((n = get(root, "conflict")) &&
	    (v = read_enum(p, n, "conflict", conflict_names)) >= 0)
		s->conflict = (enum survey_conflict)v;
	if ((n = get(root, "voting_unit")) &&
	    (v = read_enum(p, n, "voting_unit", unit_names)) >= 0)
		s->voting_unit = (enum survey_voting_unit)v;
	s->double_entry =
		read_bool(p, get(root, "double_entry"), "double_entry", false);
	s->public_results = read_bool(p, get(root, "public_results"),
				      "public_results", false);
	if ((n = require(p, root, "questions", MSG_CHECK_HOLDER_SURVEY, top)))
		read_questions(p, n);

	agreement_init(&s->agreement);
	if ((n = get(root, "agreement"))) {
		s->has_agreement = true;
		read_agreement(p, n, &s->agreement, true);
		if (!survey_count_propositions(s) && s->nr_questions)
			ERR_MSG0(p, loc_of(get_key(root, "agreement"), top),
				 MSG_CHECK_AGREEMENT_NO_PROPOSITION);
		if (s->agreement.agreed_on && dates &&
		    strcmp(s->agreement.agreed_on, s->opens) > 0)
			WARN_MSG0(p, loc_of(get(n, "agreed_on"), top),
				  MSG_CHECK_AGREED_LATE);
	} else if (survey_count_propositions(s)) {
		WARN_MSG0(p, top, MSG_CHECK_NO_AGREEMENT);
	}
	if ((n = require(p, root, "buurten", MSG_CHECK_HOLDER_SURVEY, top)))
		read_buurten(p, n);
	s->agreement.nr_buurten = s->nr_buurten;
	for (size_t i = 0; i < s->nr_buurten; i++)
		s->buurten[i].agreement.nr_buurten = s->nr_buurten;
	/* Pooled buurten are judged by the survey-wide rule itself. */
	if (p->favour_missing &&
	    (p->buurt_favour < s->nr_buurten || !s->nr_buurten ||
	     s->agreement.decision == AGREEMENT_POOLED))
		ERR_MSG0(p, p->favour_missing_at, MSG_CHECK_NO_MIN_IN_FAVOUR);
}

/* ---- YAML syntax errors ---------------------------------------------- */

/*
 * libfyaml formats its diagnostics as "NAME:LINE:COL: error: MESSAGE";
 * take the position and message and put them in our list.  The other
 * pieces it emits (the source line, a caret) are dropped.
 */
static void yaml_diag_output(struct fy_diag *diag, void *user, const char *buf,
			     size_t len)
{
	struct parser *p = user;
	struct strbuf sb = STRBUF_INIT;
	const char *err, *q;
	int line = 0, col = 0;

	(void)diag;
	strbuf_add(&sb, buf, len);
	err = strstr(sb.buf, ": error: ");
	if (!err || p->yaml_error_seen)
		goto out;
	/* Walk back over ":LINE:COL" before ": error: ". */
	q = err;
	while (q > sb.buf && isdigit((unsigned char)q[-1]))
		q--;
	if (q > sb.buf && q[-1] == ':') {
		col = (int)strtol(q, NULL, 10);
		q--;
		while (q > sb.buf && isdigit((unsigned char)q[-1]))
			q--;
		line = (int)strtol(q, NULL, 10);
	}
	strbuf_setlen(&sb, sb.len - (sb.len && sb.buf[sb.len - 1] == '\n'));
	if (strstr(err, "block scalar"))
		ERR_MSG(p, ((struct loc){ line, col }), MSG_CHECK_YAML_BLOCK,
			err + 9);
	else if (strstr(err, "mapping on the same line") ||
		 strstr(err, "mapping values"))
		/* "text: Let op: ..." reads as a key inside a value. */
		ERR_MSG(p, ((struct loc){ line, col }), MSG_CHECK_YAML_COLON,
			err + 9);
	else
		ERR_MSG(p, ((struct loc){ line, col }), MSG_CHECK_YAML_OTHER,
			err + 9);
	p->yaml_error_seen = true;
out:
	strbuf_release(&sb);
}

struct survey *survey_load_buffer(const char *name, const char *buf, size_t len,
				  struct diag_list *dl)
{
	return survey_load_buffer_lang(name, buf, len, SURVEY_EN, dl);
}

struct survey *survey_load_buffer_lang(const char *name, const char *buf,
				       size_t len, enum survey_lang lang,
				       struct diag_list *dl)
{
	struct parser p = { .dl = dl, .lang = lang };
	struct fy_diag_cfg dcfg;
	struct fy_diag *diag = NULL;
	struct fy_parse_cfg cfg = { 0 };
	struct fy_parser *fyp = NULL;
	struct fy_document *fyd = NULL, *extra = NULL;
	size_t errors_before = dl->errors;

	(void)name;
	p.s = xcalloc(1, sizeof(*p.s));
	agreement_init(&p.s->agreement);
	if (!utf8_valid(buf, len)) {
		ERR_MSG0(&p, ((struct loc){ 0, 0 }), MSG_CHECK_NOT_UTF8);
		goto out;
	}
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = yaml_diag_output;
	dcfg.user = &p;
	dcfg.colorize = false;
	diag = fy_diag_create(&dcfg);
	cfg.flags = FYPCF_RESOLVE_DOCUMENT | FYPCF_DISABLE_MMAP_OPT;
	cfg.diag = diag;
	fyp = fy_parser_create(&cfg);
	if (!fyp || fy_parser_set_string(fyp, buf, len) != 0) {
		ERR_MSG0(&p, ((struct loc){ 0, 0 }), MSG_CHECK_YAML_START);
		goto out;
	}
	fyd = fy_parse_load_document(fyp);
	if (!fyd) {
		if (!p.yaml_error_seen)
			ERR_MSG0(&p, ((struct loc){ 0, 0 }),
				 MSG_CHECK_YAML_EMPTY);
		goto out;
	}
	/* A '---' line starts a second document, which would be ignored. */
	extra = fy_parse_load_document(fyp);
	if (extra) {
		const struct fy_mark *m = fy_document_state_start_mark(
			fy_document_get_document_state(extra));

		ERR_MSG0(&p,
			 ((struct loc){ m ? m->line + 1 : 0,
					m ? m->column + 1 : 0 }),
			 MSG_CHECK_SECOND_DOCUMENT);
		fy_parse_document_destroy(fyp, extra);
	}
	read_survey(&p, fy_document_root(fyd));
out:
	if (fyd)
		fy_parse_document_destroy(fyp, fyd);
	fy_parser_destroy(fyp);
	fy_diag_destroy(diag);
	free(p.typos);
	if (dl->errors > errors_before) {
		survey_free(p.s);
		return NULL;
	}
	return p.s;
}

struct survey *survey_load(const char *path, struct diag_list *dl)
{
	return survey_load_lang(path, SURVEY_EN, dl);
}

struct survey *survey_load_lang(const char *path, enum survey_lang lang,
				struct diag_list *dl)
{
	struct strbuf sb = STRBUF_INIT;
	struct survey *s = NULL;

	if (strbuf_read_file(&sb, path) < 0) {
		struct strbuf m = STRBUF_INIT;

		msg_add(&m, lang, MSG_CHECK_CANNOT_OPEN, strerror(errno));
		diag_error(dl, 0, 0, "%s", m.buf);
		strbuf_release(&m);
	} else
		s = survey_load_buffer_lang(path, sb.buf, sb.len, lang, dl);
	strbuf_release(&sb);
	return s;
}

/* ---- lifecycle and lookups ------------------------------------------- */

static void question_release(struct survey_question *q)
{
	free(q->id);
	text_release(&q->text);
	text_release(&q->help);
	text_release(&q->min_label);
	text_release(&q->max_label);
	for (size_t i = 0; i < q->nr_options; i++) {
		free(q->options[i].id);
		text_release(&q->options[i].label);
	}
	free(q->options);
}

void survey_free(struct survey *s)
{
	if (!s)
		return;
	free(s->id);
	text_release(&s->title);
	free(s->organisation);
	text_release(&s->contact);
	text_release(&s->intro);
	text_release(&s->return_to);
	free(s->base_url);
	for (size_t i = 0; i < s->nr_questions; i++)
		question_release(&s->questions[i]);
	free(s->questions);
	for (size_t i = 0; i < s->nr_buurten; i++) {
		free(s->buurten[i].id);
		free(s->buurten[i].name);
		free(s->buurten[i].name_in);
		agreement_release(&s->buurten[i].agreement);
	}
	free(s->buurten);
	agreement_release(&s->agreement);
	free(s);
}

const char *survey_buurt_name_in(const struct survey_buurt *b)
{
	return b->name_in ? b->name_in : b->name;
}

const struct survey_question *survey_find_question(const struct survey *s,
						   const char *id)
{
	for (size_t i = 0; i < s->nr_questions; i++)
		if (s->questions[i].id && !strcmp(s->questions[i].id, id))
			return &s->questions[i];
	return NULL;
}

const struct survey_buurt *survey_find_buurt(const struct survey *s,
					     const char *id)
{
	for (size_t i = 0; i < s->nr_buurten; i++)
		if (s->buurten[i].id && !strcmp(s->buurten[i].id, id))
			return &s->buurten[i];
	return NULL;
}

const struct survey_option *survey_find_option(const struct survey_question *q,
					       const char *id)
{
	for (size_t i = 0; i < q->nr_options; i++)
		if (q->options[i].id && !strcmp(q->options[i].id, id))
			return &q->options[i];
	return NULL;
}

size_t survey_count_propositions(const struct survey *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nr_questions; i++)
		n += s->questions[i].type == SURVEY_Q_PROPOSITION;
	return n;
}

bool survey_question_accepts(const struct survey_question *q, const char *value)
{
	long v;

	switch (q->type) {
	case SURVEY_Q_PROPOSITION:
	case SURVEY_Q_CHOICE:
	case SURVEY_Q_YESNO:
	case SURVEY_Q_MULTI:
		return survey_find_option(q, value) ||
		       !strcmp(value, SURVEY_VALUE_INVALID);
	case SURVEY_Q_SCALE:
	case SURVEY_Q_NUMBER:
		return parse_whole(value, &v) && v >= q->min && v <= q->max;
	case SURVEY_Q_TEXT:
		return utf8_valid(value, strlen(value)) &&
		       utf8_length(value, strlen(value)) <= q->max_length;
	}
	return false;
}

/* ---- the summary `check` prints -------------------------------------- */

static const char *decision_words(enum agreement_decision d,
				  enum survey_lang lang)
{
	static const char *const words[][SURVEY_NLANG] = {
		[AGREEMENT_EACH] = { "Elke buurt beslist voor zichzelf.",
				     "Each buurt decides for itself." },
		[AGREEMENT_ALL] = { "Het plan gaat alleen door als elke buurt "
				    "voldoende draagvlak heeft.",
				    "The plan goes ahead only if every buurt "
				    "has sufficient support." },
		[AGREEMENT_POOLED] = { "De buurten worden samen geteld.",
				       "The buurten are counted together." },
	};
	return words[d][lang];
}

void survey_describe(const struct survey *s, enum survey_lang lang,
		     struct strbuf *out)
{
	bool en = lang == SURVEY_EN;

	strbuf_addf(out, "%s (%s), %s\n", survey_text_get(&s->title, lang),
		    s->id, s->organisation);
	strbuf_addf(out,
		    en ? "Open from %s to %s; languages: %s\n"
		       : "Open van %s tot en met %s; talen: %s\n",
		    s->opens, s->closes,
		    s->languages[SURVEY_EN] ? "nl, en" : "nl");
	strbuf_addf(out, en ? "%zu questions:\n" : "%zu vragen:\n",
		    s->nr_questions);
	for (size_t i = 0; i < s->nr_questions; i++) {
		const struct survey_question *q = &s->questions[i];

		strbuf_addf(out, "  %zu. [%s] %s (%s)\n", i + 1,
			    qtype_names[q->type], q->id,
			    survey_text_get(&q->text, lang));
	}
	strbuf_addf(out, en ? "%zu buurten:\n" : "%zu buurten:\n",
		    s->nr_buurten);
	for (size_t i = 0; i < s->nr_buurten; i++) {
		const struct survey_buurt *b = &s->buurten[i];

		/* With voting_unit resident the count is of voters. */
		if (s->voting_unit == SURVEY_UNIT_RESIDENT)
			strbuf_addf(out,
				    en ? "  %s %s, %u residents entitled to "
					 "vote\n"
				       : "  %s %s, %u kiesgerechtigde "
					 "bewoners\n",
				    b->id, b->name, b->households);
		else
			strbuf_addf(out,
				    en ? "  %s %s, %u households\n"
				       : "  %s %s, %u huishoudens\n",
				    b->id, b->name, b->households);
		if (s->has_agreement) {
			strbuf_addstr(out, "    ");
			agreement_describe(&b->agreement, b->name, lang, out);
			strbuf_addch(out, '\n');
		}
	}
	if (s->has_agreement) {
		strbuf_addf(out, "%s\n",
			    decision_words(s->agreement.decision, lang));
		if (s->agreement.agreed_with)
			strbuf_addf(
				out,
				en ? "Agreed with %s%s%s.\n"
				   : "Afgesproken met %s%s%s.\n",
				s->agreement.agreed_with,
				s->agreement.agreed_on ? (en ? " on " : " op ")
						       : "",
				s->agreement.agreed_on ? s->agreement.agreed_on
						       : "");
	} else {
		strbuf_addstr(out, en ? "No agreement on draagvlak.\n"
				      : "Geen afspraak over draagvlak.\n");
	}
}
