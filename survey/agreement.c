/*
 * agreement.c - the afspraak: parsing, checking and wording the rule for
 * sufficient draagvlak (see agreement.h and docs/definition.md).
 *
 * A threshold is a reduced fraction num/den and is compared in integers,
 * because the outcome is argued over afterwards: 50 of 100 against
 * "> 50%" must fail every time, not most of the time.
 */
#include "agreement.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msg.h"
#include "xalloc.h"
#include "banned.h"

void agreement_init(struct agreement *a)
{
	a->min_response.set = false;
	a->min_response.cmp = AGREEMENT_GE;
	a->min_response.num = 0;
	a->min_response.den = 1;
	a->min_in_favour.set = true;
	a->min_in_favour.cmp = AGREEMENT_GT;
	a->min_in_favour.num = 1;
	a->min_in_favour.den = 2;
	a->basis = AGREEMENT_BASIS_VOTES;
	a->neutral = AGREEMENT_LEFT_OUT;
	a->blank = AGREEMENT_LEFT_OUT;
	a->invalid = AGREEMENT_LEFT_OUT;
	a->silent = AGREEMENT_SILENT_AGAINST;
	a->decision = AGREEMENT_EACH;
	a->confidence_permille = 0;
	a->agreed_with = NULL;
	a->agreed_on = NULL;
	a->nr_buurten = 0;
}

void agreement_release(struct agreement *a)
{
	if (!a)
		return;
	free(a->agreed_with);
	free(a->agreed_on);
	a->agreed_with = NULL;
	a->agreed_on = NULL;
}

void agreement_copy(struct agreement *dst, const struct agreement *src)
{
	*dst = *src;
	dst->agreed_with = src->agreed_with ? xstrdup(src->agreed_with) : NULL;
	dst->agreed_on = src->agreed_on ? xstrdup(src->agreed_on) : NULL;
}

/* ---- parsing ---------------------------------------------------------- */

/*
 * Why a share was refused, by catalogue id: check says it in the board's
 * language (agreement_parse_threshold_lang()), the plain API in English.
 */
/* U+2265 GREATER-THAN OR EQUAL TO and U+2264 LESS-THAN OR EQUAL TO. */
static const char utf8_ge[] = "\xe2\x89\xa5";
static const char utf8_le[] = "\xe2\x89\xa4";

static const char *skip_spaces(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static uint32_t gcd32(uint32_t a, uint32_t b)
{
	while (b) {
		uint32_t r = a % b;

		a = b;
		b = r;
	}
	return a;
}

/*
 * The comparison in front of the share, if any.  Returns the text after
 * it, or NULL with *why set for a "<" (a minimum cannot be an upper bound).
 */
/*
 * The comparison in words, so that a board member need not quote a
 * leading '>' in YAML (where it starts a folded block).
 */
static const struct {
	const char *words;
	enum agreement_cmp cmp;
} cmp_words[] = {
	{ "more than", AGREEMENT_GT },
	{ "meer dan", AGREEMENT_GT },
	{ "at least", AGREEMENT_GE },
	{ "minstens", AGREEMENT_GE },
	{ "ten minste", AGREEMENT_GE },
	{ "tenminste", AGREEMENT_GE },
	/* The most common Dutch word in a board's minutes. */
	{ "minimaal", AGREEMENT_GE },
	{ "minimum", AGREEMENT_GE },
	{ "groter dan", AGREEMENT_GT },
	{ "greater than", AGREEMENT_GT },
};

static const char *parse_cmp(const char *s, bool *has_cmp,
			     enum agreement_cmp *cmp, enum msg_id *why)
{
	*has_cmp = true;
	for (size_t i = 0; i < sizeof(cmp_words) / sizeof(cmp_words[0]); i++) {
		size_t n = strlen(cmp_words[i].words);

		if (!strncasecmp(s, cmp_words[i].words, n) && s[n] == ' ') {
			*cmp = cmp_words[i].cmp;
			return s + n;
		}
	}
	if (!strncmp(s, ">=", 2)) {
		*cmp = AGREEMENT_GE;
		return s + 2;
	}
	if (!strncmp(s, utf8_ge, 3)) {
		*cmp = AGREEMENT_GE;
		return s + 3;
	}
	if (*s == '>') {
		*cmp = AGREEMENT_GT;
		return s + 1;
	}
	if (*s == '<' || !strncmp(s, utf8_le, 3)) {
		*why = MSG_CHECK_SHARE_MINIMUM;
		return NULL;
	}
	*has_cmp = false;
	*cmp = AGREEMENT_GE; /* a bare share means "at least" */
	return s;
}

/*
 * Digits into *v; strtoul is not used because it would also take signs
 * and leading spaces, which here are mistakes.  Returns the text after
 * the digits, or NULL with *why set.
 */
static const char *parse_uint32(const char *s, uint32_t *v, enum msg_id *why)
{
	uint64_t n = 0;

	if (!is_digit(*s)) {
		*why = *s == '-' ? MSG_CHECK_SHARE_NEGATIVE
				 : MSG_CHECK_SHARE_SYNTAX;
		return NULL;
	}
	for (; is_digit(*s); s++) {
		n = n * 10 + (uint64_t)(*s - '0');
		if (n > UINT32_MAX) {
			*why = MSG_CHECK_SHARE_TOO_BIG;
			return NULL;
		}
	}
	*v = (uint32_t)n;
	return s;
}

/* "/3" after the numerator: the denominator.  Same return as above. */
static const char *parse_fraction(const char *s, uint32_t whole,
				  struct agreement_threshold *t,
				  enum msg_id *why)
{
	uint32_t den;

	s = parse_uint32(skip_spaces(s + 1), &den, why);
	if (!s)
		return NULL;
	if (!den) {
		*why = MSG_CHECK_SHARE_ZERO_DEN;
		return NULL;
	}
	if (whole > den) {
		*why = MSG_CHECK_SHARE_TOO_MUCH;
		return NULL;
	}
	t->num = whole;
	t->den = den;
	return s;
}

/*
 * ".67%" or ",67%" or "%" after the whole percent: kept in hundredths
 * of a percent (den 10000) so that 66.67% stays exact.
 */
static const char *parse_percent(const char *s, uint32_t whole,
				 struct agreement_threshold *t,
				 enum msg_id *why)
{
	uint32_t frac = 0;
	int ndec = 0;

	if (*s == '.' || *s == ',') {
		for (s++; is_digit(*s); s++, ndec++)
			if (ndec < 2)
				frac = frac * 10 + (uint32_t)(*s - '0');
		if (!ndec) {
			*why = MSG_CHECK_SHARE_SYNTAX;
			return NULL;
		}
		if (ndec > 2) {
			*why = MSG_CHECK_SHARE_DECIMALS;
			return NULL;
		}
		if (ndec == 1)
			frac *= 10;
	}
	s = skip_spaces(s);
	if (*s != '%') {
		*why = MSG_CHECK_SHARE_SYNTAX;
		return NULL;
	}
	if (whole > 100 || (whole == 100 && frac)) {
		*why = MSG_CHECK_SHARE_TOO_MUCH;
		return NULL;
	}
	t->num = whole * 100 + frac;
	t->den = 10000;
	return s + 1;
}

/*
 * Quotes pasted from a word processor around the whole share (U+201C/D,
 * U+2018/9, U+201E): take them off, since YAML does not treat them as
 * quotes and they are never part of a share.
 */
static const char *const curly_quotes[] = {
	"\xe2\x80\x9c",
	"\xe2\x80\x9d",
	"\xe2\x80\x98",
	"\xe2\x80\x99",
	"\xe2\x80\x9e",
	"\"",
	"'",
};

static const char *skip_quote(const char *s)
{
	for (size_t i = 0; i < sizeof(curly_quotes) / sizeof(*curly_quotes);
	     i++) {
		size_t n = strlen(curly_quotes[i]);

		if (!strncmp(s, curly_quotes[i], n))
			return s + n;
	}
	return s;
}

static int parse_threshold(const char *s, bool need_cmp,
			   struct agreement_threshold *t, enum msg_id *why)
{
	struct agreement_threshold res = { .set = true };
	const char *p;
	bool has_cmp;
	uint32_t whole, g;

	p = parse_cmp(skip_spaces(skip_quote(skip_spaces(s))), &has_cmp,
		      &res.cmp, why);
	if (!p)
		return -1;
	p = parse_uint32(skip_spaces(p), &whole, why);
	if (!p)
		return -1;
	if (*skip_spaces(p) == '/')
		p = parse_fraction(skip_spaces(p), whole, &res, why);
	else
		p = parse_percent(p, whole, &res, why);
	if (!p)
		return -1;
	if (*skip_spaces(skip_quote(skip_spaces(p)))) {
		*why = MSG_CHECK_SHARE_SYNTAX;
		return -1;
	}
	if (need_cmp && !has_cmp) {
		*why = MSG_CHECK_SHARE_NEED_CMP;
		return -1;
	}
	/* "more than 100%" can never be met: 10 of 10 would fail. */
	if (res.cmp == AGREEMENT_GT && res.num >= res.den) {
		*why = MSG_CHECK_SHARE_NEVER;
		return -1;
	}
	g = gcd32(res.num, res.den);
	res.num /= g;
	res.den /= g;
	*t = res;
	return 0;
}

int agreement_parse_threshold_lang(const char *s, bool need_cmp,
				   struct agreement_threshold *t,
				   enum survey_lang lang, const char **why)
{
	enum msg_id id = MSG_CHECK_SHARE_SYNTAX;

	if (parse_threshold(s, need_cmp, t, &id) == 0)
		return 0;
	if (why)
		*why = msg_get(lang, id);
	return -1;
}

int agreement_parse_threshold(const char *s, bool need_cmp,
			      struct agreement_threshold *t, const char **why)
{
	return agreement_parse_threshold_lang(s, need_cmp, t, SURVEY_EN, why);
}

bool agreement_starts_with_cmp(const char *s)
{
	bool has_cmp;
	enum agreement_cmp cmp;
	enum msg_id why;

	s = skip_spaces(skip_quote(skip_spaces(s)));
	return !parse_cmp(s, &has_cmp, &cmp, &why) || has_cmp;
}

bool agreement_near_fraction(const struct agreement_threshold *t, uint32_t *num,
			     uint32_t *den)
{
	/* Fractions a board says in words whose percentages do not end. */
	static const uint32_t dens[] = { 3, 6, 7, 9, 11, 12 };

	if (!t->set || !t->den)
		return false;
	for (size_t i = 0; i < sizeof(dens) / sizeof(*dens); i++)
		for (uint32_t k = 1; k < dens[i]; k++) {
			/* |num/den - k/d| < 1/1000 (0.1 percentage point),
			 * in integers: |num*d - k*den| * 1000 < den * d. */
			int64_t diff =
				(int64_t)t->num * dens[i] - (int64_t)k * t->den;

			if (diff < 0)
				diff = -diff;
			if (diff && (uint64_t)diff * 1000 <
					    (uint64_t)t->den * dens[i]) {
				*num = k;
				*den = dens[i];
				return true;
			}
		}
	return false;
}

/* ---- comparing -------------------------------------------------------- */

/* x * y as a 128-bit number in two halves; portable, no __int128. */
struct u128 {
	uint64_t hi, lo;
};

static struct u128 mul_64_32(uint64_t x, uint32_t y)
{
	uint64_t low = (x & UINT32_MAX) * y; /* < 2^64 */
	uint64_t high = (x >> 32) * y;	     /* < 2^64, weighs 2^32 */
	struct u128 r;

	r.lo = low + (high << 32);
	r.hi = (high >> 32) + (r.lo < low);
	return r;
}

static int cmp_u128(struct u128 a, struct u128 b)
{
	if (a.hi != b.hi)
		return a.hi < b.hi ? -1 : 1;
	if (a.lo != b.lo)
		return a.lo < b.lo ? -1 : 1;
	return 0;
}

bool agreement_threshold_met(const struct agreement_threshold *t, uint64_t part,
			     uint64_t whole)
{
	int c;

	if (!t->set)
		return true; /* no requirement, nothing to fail */
	if (!whole)
		return false;
	/* part/whole against num/den, cross-multiplied: no rounding. */
	c = cmp_u128(mul_64_32(part, t->den), mul_64_32(whole, t->num));
	return t->cmp == AGREEMENT_GT ? c > 0 : c >= 0;
}

/* ---- wording ---------------------------------------------------------- */

void agreement_format_share(const struct agreement_threshold *t,
			    enum survey_lang lang, struct strbuf *out)
{
	char point = lang == SURVEY_EN ? '.' : ',';
	uint64_t h; /* hundredths of a percent */

	if (!t->den || 10000 % t->den) {
		strbuf_addf(out, "%" PRIu32 "/%" PRIu32, t->num, t->den);
		return;
	}
	h = (uint64_t)t->num * (10000 / t->den);
	strbuf_addf(out, "%" PRIu64, h / 100);
	/* Decimals only as far as they carry: 35%, 12,5%, 66,67%. */
	if (h % 100 && h % 10 == 0)
		strbuf_addf(out, "%c%u", point, (unsigned)(h % 100 / 10));
	else if (h % 100)
		strbuf_addf(out, "%c%02u", point, (unsigned)(h % 100));
	strbuf_addch(out, '%');
}

/* "meer dan 50%" / "at least 35%". */
static void add_cmp_share(const struct agreement_threshold *t,
			  enum survey_lang lang, struct strbuf *out)
{
	static const char *const word[][SURVEY_NLANG] = {
		[AGREEMENT_GE] = { "minstens ", "at least " },
		[AGREEMENT_GT] = { "meer dan ", "more than " },
	};

	strbuf_addstr(out, word[t->cmp == AGREEMENT_GT][lang == SURVEY_EN]);
	agreement_format_share(t, lang, out);
}

/* " in Dorst-Oost", once, in the first clause that has room for it. */
static void add_buurt(const char **buurt, struct strbuf *out)
{
	if (!*buurt)
		return;
	strbuf_addstr(out, " in "); /* the same word in both languages */
	strbuf_addstr(out, *buurt);
	*buurt = NULL;
}

static void add_quorum(const struct agreement *a, const char **buurt,
		       enum survey_lang lang, struct strbuf *out)
{
	bool en = lang == SURVEY_EN;

	add_cmp_share(&a->min_response, lang, out);
	strbuf_addstr(out, en ? " of the households" : " van de huishoudens");
	add_buurt(buurt, out);
	strbuf_addstr(out, en ? " respond" : " reageert");
}

static void add_in_favour(const struct agreement *a, const char **buurt,
			  enum survey_lang lang, struct strbuf *out)
{
	static const char *const of[][SURVEY_NLANG] = {
		[AGREEMENT_BASIS_VOTES] = { " van de stemmen",
					    " of the votes" },
		[AGREEMENT_BASIS_RESPONSES] = { " van de reacties",
						" of the responses" },
		[AGREEMENT_BASIS_HOUSEHOLDS] = { " van alle huishoudens",
						 " of all households" },
	};
	bool en = lang == SURVEY_EN;
	unsigned b = a->basis <= AGREEMENT_BASIS_HOUSEHOLDS ? a->basis : 0;

	add_cmp_share(&a->min_in_favour, lang, out);
	strbuf_addstr(out, of[b][en]);
	add_buurt(buurt, out);
	strbuf_addstr(out, en ? " are in favour" : " voor is");
	if (a->basis != AGREEMENT_BASIS_HOUSEHOLDS)
		return;
	if (a->silent == AGREEMENT_SILENT_FOR)
		strbuf_addstr(out, en ? "; no response counts as in favour"
				      : "; wie niet reageert, stemt in");
	else
		strbuf_addstr(out, en ? "; no response counts as against"
				      : "; wie niet reageert, telt als tegen");
}

/*
 * " Neutraal en blanco tellen als tegen." for the answers that count
 * against; they only matter when the basis is the votes.
 */
static void add_counted_against(const struct agreement *a,
				enum survey_lang lang, struct strbuf *out)
{
	/* Each word as it reads first in the sentence, and further on. */
	static const char *const word[][2][SURVEY_NLANG] = {
		{ { "Neutraal", "Neutral" }, { "neutraal", "neutral" } },
		{ { "Blanco", "Blank" }, { "blanco", "blank" } },
		{ { "Ongeldig", "Invalid" }, { "ongeldig", "invalid" } },
	};
	bool en = lang == SURVEY_EN;
	int which[3], n = 0;

	if (a->basis != AGREEMENT_BASIS_VOTES)
		return;
	if (a->neutral == AGREEMENT_AGAINST)
		which[n++] = 0;
	if (a->blank == AGREEMENT_AGAINST)
		which[n++] = 1;
	if (a->invalid == AGREEMENT_AGAINST)
		which[n++] = 2;
	if (!n)
		return;
	strbuf_addch(out, ' ');
	for (int i = 0; i < n; i++) {
		if (i == n - 1 && i)
			strbuf_addstr(out, en ? " and " : " en ");
		else if (i)
			strbuf_addstr(out, ", ");
		strbuf_addstr(out, word[which[i]][i > 0][en]);
	}
	if (en)
		strbuf_addstr(out, " answers count as against.");
	else
		strbuf_addstr(out, n == 1 ? " telt als tegen."
					  : " tellen als tegen.");
}

void agreement_describe(const struct agreement *a, const char *buurt_name,
			enum survey_lang lang, struct strbuf *out)
{
	bool en = lang == SURVEY_EN;
	const char *buurt = buurt_name && *buurt_name ? buurt_name : NULL;

	if (!a->min_response.set && !a->min_in_favour.set) {
		strbuf_addstr(out, en ? "There is always sufficient support"
				      : "Er is altijd voldoende draagvlak");
		add_buurt(&buurt, out);
		strbuf_addch(out, '.');
		return;
	}
	strbuf_addstr(out, en ? "There is sufficient support if "
			      : "Er is voldoende draagvlak als ");
	if (a->min_response.set)
		add_quorum(a, &buurt, lang, out);
	if (a->min_response.set && a->min_in_favour.set)
		strbuf_addstr(out, en ? " and " : " en ");
	if (a->min_in_favour.set)
		add_in_favour(a, &buurt, lang, out);
	strbuf_addch(out, '.');
	if (a->min_in_favour.set)
		add_counted_against(a, lang, out);
}

/* "Neutraal, blanco en ongeldig tellen niet mee." */
static void add_left_out(const struct agreement *a, enum survey_lang lang,
			 struct strbuf *out)
{
	static const enum msg_id kind[] = { MSG_AGREEMENT_KINDS_NEUTRAL,
					    MSG_AGREEMENT_KINDS_BLANK,
					    MSG_AGREEMENT_KINDS_INVALID };
	enum agreement_count c[] = { a->neutral, a->blank, a->invalid };
	struct strbuf list = STRBUF_INIT;
	int n = 0, total = 0;

	for (int i = 0; i < 3; i++)
		total += c[i] == AGREEMENT_LEFT_OUT;
	for (int i = 0; i < 3; i++) {
		const char *w = msg_get(lang, kind[i]);

		if (c[i] != AGREEMENT_LEFT_OUT)
			continue;
		if (n && n == total - 1)
			strbuf_addf(&list, " %s ",
				    msg_get(lang, MSG_AGREEMENT_AND));
		else if (n)
			strbuf_addstr(&list, ", ");
		/* The first word of the sentence with a capital. */
		if (!n && *w >= 'a' && *w <= 'z') {
			strbuf_addch(&list, (char)(*w - 'a' + 'A'));
			w++;
		}
		strbuf_addstr(&list, w);
		n++;
	}
	if (n) {
		strbuf_addch(out, ' ');
		msg_add(out, lang,
			n == 1 ? MSG_AGREEMENT_LEFT_OUT_ONE
			       : MSG_AGREEMENT_LEFT_OUT,
			list.buf);
	}
	strbuf_release(&list);
}

void agreement_describe_whole(const struct agreement *a, const char *buurt_name,
			      enum survey_lang lang, struct strbuf *out)
{
	static const enum msg_id decision[] = {
		[AGREEMENT_EACH] = MSG_AGREEMENT_DECISION_EACH,
		[AGREEMENT_ALL] = MSG_AGREEMENT_DECISION_ALL,
		[AGREEMENT_POOLED] = MSG_AGREEMENT_DECISION_POOLED,
	};

	agreement_describe(a, buurt_name, lang, out);
	if (a->min_in_favour.set && a->basis == AGREEMENT_BASIS_VOTES)
		add_left_out(a, lang, out);
	else if (a->min_in_favour.set &&
		 a->basis == AGREEMENT_BASIS_RESPONSES) {
		strbuf_addch(out, ' ');
		msg_put(out, lang, MSG_AGREEMENT_RESPONSES_COUNT);
	}
	if (a->confidence_permille) {
		char level[16];
		unsigned pm = (unsigned)a->confidence_permille;

		if (pm % 10)
			snprintf(level, sizeof(level), "%u%c%u%%", pm / 10,
				 lang == SURVEY_EN ? '.' : ',', pm % 10);
		else
			snprintf(level, sizeof(level), "%u%%", pm / 10);
		strbuf_addch(out, ' ');
		msg_add(out, lang, MSG_AGREEMENT_CONFIDENCE, level);
	}
	if (a->nr_buurten > 1 && (size_t)a->decision < 3) {
		strbuf_addch(out, ' ');
		msg_put(out, lang, decision[a->decision]);
	}
	if (a->agreed_with || a->agreed_on) {
		struct strbuf date = STRBUF_INIT;

		if (a->agreed_on)
			msg_date(&date, lang, a->agreed_on, 0);
		strbuf_addch(out, ' ');
		if (a->agreed_with && a->agreed_on)
			msg_add(out, lang, MSG_AGREEMENT_AGREED_WITH_ON,
				a->agreed_with, date.buf);
		else if (a->agreed_with)
			msg_add(out, lang, MSG_AGREEMENT_AGREED_WITH,
				a->agreed_with);
		else
			msg_add(out, lang, MSG_AGREEMENT_AGREED_ON, date.buf);
		strbuf_release(&date);
	}
}

/* ---- names ------------------------------------------------------------ */

#define NAME_OF(table, i)                                                      \
	((size_t)(i) < sizeof(table) / sizeof(*(table)) ? (table)[i]           \
							: "unknown")

const char *agreement_basis_name(enum agreement_basis b)
{
	static const char *const name[] = {
		[AGREEMENT_BASIS_VOTES] = "votes",
		[AGREEMENT_BASIS_RESPONSES] = "responses",
		[AGREEMENT_BASIS_HOUSEHOLDS] = "households",
	};

	return NAME_OF(name, b);
}

const char *agreement_count_name(enum agreement_count c)
{
	static const char *const name[] = {
		[AGREEMENT_LEFT_OUT] = "left_out",
		[AGREEMENT_AGAINST] = "against",
	};

	return NAME_OF(name, c);
}

const char *agreement_silent_name(enum agreement_silent s)
{
	static const char *const name[] = {
		[AGREEMENT_SILENT_AGAINST] = "against",
		[AGREEMENT_SILENT_FOR] = "for",
	};

	return NAME_OF(name, s);
}

const char *agreement_decision_name(enum agreement_decision d)
{
	static const char *const name[] = {
		[AGREEMENT_EACH] = "each",
		[AGREEMENT_ALL] = "all",
		[AGREEMENT_POOLED] = "pooled",
	};

	return NAME_OF(name, d);
}
