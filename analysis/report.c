/*
 * report.c - the analysis as a text report, CSV and JSON (see report.h).
 *
 * Percentages are rounded in integers from the counts, never from a
 * floating-point share, so that the report prints 50,0% for 50 of 100
 * and the verdict next to it (decided in integers) never seems to
 * contradict the number.
 */
#include "report.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "msg.h"
#include "banned.h"

#define NL_EN(lang, nl, en) ((lang) == SURVEY_EN ? (en) : (nl))

int analysis_parse_format(const char *name, enum analysis_format *f)
{
	if (!strcmp(name, "text"))
		*f = ANALYSIS_TEXT;
	else if (!strcmp(name, "csv"))
		*f = ANALYSIS_CSV;
	else if (!strcmp(name, "json"))
		*f = ANALYSIS_JSON;
	else
		return -1;
	return 0;
}

void analysis_format_date(const char *date, enum survey_lang lang,
			  struct strbuf *out)
{
	static const char *const month[][SURVEY_NLANG] = {
		{ "januari", "January" },
		{ "februari", "February" },
		{ "maart", "March" },
		{ "april", "April" },
		{ "mei", "May" },
		{ "juni", "June" },
		{ "juli", "July" },
		{ "augustus", "August" },
		{ "september", "September" },
		{ "oktober", "October" },
		{ "november", "November" },
		{ "december", "December" },
	};
	int m, d;

	if (!date || strlen(date) != 10 || date[4] != '-' || date[7] != '-') {
		strbuf_addstr(out, date ? date : "?");
		return;
	}
	m = (date[5] - '0') * 10 + (date[6] - '0');
	d = (date[8] - '0') * 10 + (date[9] - '0');
	if (m < 1 || m > 12) {
		strbuf_addstr(out, date);
		return;
	}
	strbuf_addf(out, "%d %s %.4s", d, month[m - 1][lang == SURVEY_EN],
		    date);
}

void analysis_format_percent(uint64_t part, uint64_t whole,
			     enum survey_lang lang, struct strbuf *out)
{
	uint64_t tenths;

	if (!whole) {
		strbuf_addch(out, '-');
		return;
	}
	/* Round half up in integers; part * 1000 fits for any real count. */
	tenths = (part * 1000 + whole / 2) / whole;
	strbuf_addf(out, "%" PRIu64 "%c%" PRIu64 "%%", tenths / 10,
		    lang == SURVEY_EN ? '.' : ',', tenths % 10);
}

/* part/whole rounded to 10^-digits percent, in integers. */
static uint64_t scaled_percent(uint64_t part, uint64_t whole, int digits)
{
	uint64_t scale = 100;

	for (int i = 0; i < digits; i++)
		scale *= 10;
	return (part * scale + whole / 2) / whole;
}

void analysis_format_percent_vs(uint64_t part, uint64_t whole,
				const struct agreement_threshold *t,
				enum survey_lang lang, struct strbuf *out)
{
	uint64_t v, scale = 1;
	int digits = 1;

	if (!whole) {
		strbuf_addch(out, '-');
		return;
	}
	/*
	 * One decimal unless that shows the share as the threshold while
	 * they differ (2 of 3 against 66,7%): then as many as tell them
	 * apart.  Counts are far below 2^64 / 10^8, so this cannot overflow.
	 */
	if (t && t->set && t->den &&
	    (uint64_t)part * t->den != (uint64_t)whole * t->num)
		while (digits < 6 &&
		       scaled_percent(part, whole, digits) ==
			       scaled_percent(t->num, t->den, digits))
			digits++;
	v = scaled_percent(part, whole, digits);
	for (int i = 0; i < digits; i++)
		scale *= 10;
	strbuf_addf(out, "%" PRIu64 "%c%0*" PRIu64 "%%", v / scale,
		    lang == SURVEY_EN ? '.' : ',', digits, v % scale);
}

void analysis_format_fraction(double v, enum survey_lang lang,
			      struct strbuf *out)
{
	uint64_t tenths = (uint64_t)(v * 1000 + 0.5);

	strbuf_addf(out, "%" PRIu64 "%c%" PRIu64 "%%", tenths / 10,
		    lang == SURVEY_EN ? '.' : ',', tenths % 10);
}

void analysis_format_confidence(uint32_t permille, enum survey_lang lang,
				struct strbuf *out)
{
	strbuf_addf(out, "%u", (unsigned)(permille / 10));
	if (permille % 10)
		strbuf_addf(out, "%c%u", lang == SURVEY_EN ? '.' : ',',
			    (unsigned)(permille % 10));
	strbuf_addch(out, '%');
}

static void add_upper(const char *s, struct strbuf *out)
{
	for (; *s; s++)
		strbuf_addch(out, *s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s);
}

/* ---- text ------------------------------------------------------------- */

static const char *const kind_words[ANALYSIS_NKIND][SURVEY_NLANG] = {
	{ "voor", "for" },	   { "tegen", "against" },
	{ "neutraal", "neutral" }, { "blanco", "blank" },
	{ "ongeldig", "invalid" },
};

static const char *const channel_words[ANALYSIS_NCHANNEL][SURVEY_NLANG] = {
	{ "online", "online" },
	{ "papier", "paper" },
	{ "scan", "scan" },
};

const char *analysis_kind_words(enum analysis_kind k, enum survey_lang lang)
{
	return k < ANALYSIS_NKIND ? kind_words[k][lang == SURVEY_EN] : "?";
}

const char *analysis_channel_words(enum analysis_channel c,
				   enum survey_lang lang)
{
	return c < ANALYSIS_NCHANNEL ? channel_words[c][lang == SURVEY_EN]
				     : "?";
}

void analysis_format_phase(const struct analysis *an, enum survey_lang lang,
			   const char *sep, struct strbuf *out)
{
	const struct survey *s = an->s;

	strbuf_addstr(out, NL_EN(lang, "De peiling loopt van ",
				 "The survey runs from "));
	analysis_format_date(s->opens, lang, out);
	strbuf_addstr(out, NL_EN(lang, " tot en met ", " to "));
	analysis_format_date(s->closes, lang, out);
	switch (an->phase) {
	case ANALYSIS_NOT_OPEN:
		strbuf_addstr(out, NL_EN(lang, " en is nog niet begonnen.",
					 " and has not started yet."));
		break;
	case ANALYSIS_OPEN:
		strbuf_addstr(out, NL_EN(lang,
					 " en is nog open: de uitslag kan nog "
					 "veranderen.",
					 " and is still open: the outcome can "
					 "still change."));
		break;
	case ANALYSIS_CLOSED:
		strbuf_addstr(out, NL_EN(lang,
					 " en is gesloten: dit is de "
					 "einduitslag.",
					 " and has closed: this is the final "
					 "result."));
		break;
	}
	strbuf_addstr(out, sep);
	switch (an->decision) {
	case AGREEMENT_EACH:
		strbuf_addstr(out,
			      NL_EN(lang,
				    "Elke buurt beslist voor zichzelf: het "
				    "plan gaat door in de buurten met "
				    "voldoende draagvlak.",
				    "Each buurt decides for itself: the plan "
				    "goes ahead where there is sufficient "
				    "support."));
		break;
	case AGREEMENT_ALL:
		strbuf_addstr(out,
			      NL_EN(lang,
				    "Het plan gaat alleen door als alle "
				    "buurten voldoende draagvlak hebben.",
				    "The plan only goes ahead if every buurt "
				    "has sufficient support."));
		break;
	case AGREEMENT_POOLED:
		strbuf_addstr(out,
			      NL_EN(lang,
				    "De buurten worden samen geteld, met de "
				    "afspraak voor de hele peiling; de "
				    "uitslag per buurt is ter informatie.",
				    "The buurten are counted together, under "
				    "the survey-wide agreement; the result "
				    "per buurt is for information."));
		break;
	}
}

static void text_header(const struct analysis *an, enum survey_lang lang,
			struct strbuf *out)
{
	const struct survey *s = an->s;

	strbuf_addf(out, "%s: %s\n", NL_EN(lang, "Draagvlak", "Support"),
		    survey_text_get(&s->title, lang));
	strbuf_addf(out, "%s (%s)\n", s->organisation, s->id);
	strbuf_addstr(out, NL_EN(lang, "Stand op ", "As of "));
	analysis_format_date(an->today, lang, out);
	strbuf_addstr(out, ". ");
	analysis_format_phase(an, lang, "\n", out);
	strbuf_addch(out, '\n');
}

static void text_row(const char *name, const struct analysis_tally *t,
		     enum survey_lang lang, struct strbuf *out)
{
	struct strbuf pct = STRBUF_INIT;
	uint64_t r = analysis_tally_responses(t);

	analysis_format_percent(r, t->households, lang, &pct);
	strbuf_addf(out,
		    "%-18s %6" PRIu64 " %8" PRIu64 " %7s %5" PRIu64 " %5" PRIu64
		    " %6" PRIu64 " %6" PRIu64 " %8" PRIu64 "\n",
		    name, t->households, r, pct.buf, t->n_for, t->n_against,
		    t->n_neutral, t->n_blank, t->n_invalid);
	strbuf_release(&pct);
}

static void text_table(const struct analysis *an,
		       const struct analysis_question *aq,
		       enum survey_lang lang, struct strbuf *out)
{
	strbuf_addf(
		out, "%-18s %6s %8s %7s %5s %5s %6s %6s %8s\n",
		NL_EN(lang, "Buurt", "Buurt"), NL_EN(lang, "Huish.", "Homes"),
		NL_EN(lang, "Reacties", "Replies"),
		NL_EN(lang, "Respons", "Rate"), NL_EN(lang, "Voor", "For"),
		NL_EN(lang, "Tegen", "Agnst"), NL_EN(lang, "Neutr.", "Neutr."),
		NL_EN(lang, "Blanco", "Blank"),
		NL_EN(lang, "Ongeldig", "Invalid"));
	for (size_t b = 0; b < an->s->nr_buurten; b++)
		text_row(an->s->buurten[b].name, &aq->cells[b].tally, lang,
			 out);
	if (an->s->nr_buurten > 1)
		text_row(NL_EN(lang, "Samen", "Together"), &aq->total.tally,
			 lang, out);
}

void analysis_format_share_basis(const struct agreement *a,
				 const struct analysis_outcome *o,
				 enum survey_lang lang, struct strbuf *out)
{
	static const char *const of[][SURVEY_NLANG] = {
		[AGREEMENT_BASIS_VOTES] = { "stemmen", "votes" },
		[AGREEMENT_BASIS_RESPONSES] = { "reacties", "responses" },
		[AGREEMENT_BASIS_HOUSEHOLDS] = { "huishoudens", "households" },
	};
	unsigned b = a->basis <= AGREEMENT_BASIS_HOUSEHOLDS ? a->basis : 0;

	strbuf_addf(out,
		    NL_EN(lang, "%" PRIu64 " van de %" PRIu64 " %s",
			  "%" PRIu64 " of %" PRIu64 " %s"),
		    o->part, o->whole, of[b][lang == SURVEY_EN]);
	if (a->basis == AGREEMENT_BASIS_HOUSEHOLDS &&
	    a->silent == AGREEMENT_SILENT_FOR)
		strbuf_addstr(out,
			      NL_EN(lang, ", wie niet reageerde telt als voor",
				    ", no response counting as for"));
}

void analysis_format_needed(const struct agreement_threshold *t,
			    enum survey_lang lang, struct strbuf *out)
{
	if (!t->set) {
		strbuf_addstr(out, NL_EN(lang, "geen eis", "no requirement"));
		return;
	}
	strbuf_addstr(out, t->cmp == AGREEMENT_GT
				   ? NL_EN(lang, "meer dan ", "more than ")
				   : NL_EN(lang, "minstens ", "at least "));
	agreement_format_share(t, lang, out);
}

bool analysis_format_decided(const struct analysis *an,
			     const struct analysis_cell *c,
			     enum survey_lang lang, struct strbuf *out)
{
	const struct analysis_outcome *o = &c->outcome;
	uint64_t silent = c->tally.silent;

	if (!analysis_still_open(an))
		return false;
	if (o->responses > c->tally.households)
		/* "every household has answered" would be a guess. */
		msg_put(out, lang, MSG_ANALYSIS_OVERCOUNT_UNDECIDED);
	else if (o->decided && silent)
		strbuf_addf(out,
			    NL_EN(lang,
				  "Al beslist: hoe de %" PRIu64
				  " huishoudens die nog niet reageerden ook "
				  "antwoorden, dit verandert niet meer.",
				  "Already decided: however the %" PRIu64
				  " households that have not answered yet "
				  "answer, this cannot change."),
			    silent);
	else if (o->decided)
		strbuf_addstr(out, NL_EN(lang,
					 "Al beslist: alle huishoudens hebben "
					 "gereageerd.",
					 "Already decided: every household "
					 "has answered."));
	else
		strbuf_addf(out,
			    NL_EN(lang,
				  "Nog niet beslist: de %" PRIu64
				  " huishoudens die nog niet reageerden "
				  "kunnen de uitslag nog veranderen.",
				  "Not yet decided: the %" PRIu64
				  " households that have not answered yet "
				  "can still change the outcome."),
			    silent);
	return true;
}

bool analysis_format_still_needed(const struct analysis *an,
				  const struct analysis_cell *c,
				  enum survey_lang lang, struct strbuf *out)
{
	const struct analysis_margin *m = &c->outcome.margin;
	char n[24], silent[24];
	size_t before = out->len;

	if (!analysis_still_open(an))
		return false;
	snprintf(n, sizeof(n), "%" PRIu64, m->quorum_short);
	snprintf(silent, sizeof(silent), "%" PRIu64, c->tally.silent);
	if (m->has_quorum && m->quorum_reachable && m->quorum_short) {
		if (m->quorum_short > c->tally.silent)
			msg_add(out, lang,
				MSG_ANALYSIS_MARGIN_QUORUM_UNREACHABLE, n,
				silent);
		else if (m->quorum_short == 1)
			msg_put(out, lang, MSG_ANALYSIS_MARGIN_QUORUM_ONE);
		else
			msg_add(out, lang, MSG_ANALYSIS_MARGIN_QUORUM_MANY, n);
	}
	if (m->can_flip) {
		if (out->len > before)
			strbuf_addch(out, ' ');
		snprintf(n, sizeof(n), "%" PRIu64, m->flip);
		if (m->flip == 1)
			msg_put(out, lang,
				m->toward_sufficient
					? MSG_ANALYSIS_MARGIN_FOR_ONE
					: MSG_ANALYSIS_MARGIN_AGAINST_ONE);
		else
			msg_add(out, lang,
				m->toward_sufficient
					? MSG_ANALYSIS_MARGIN_FOR_MANY
					: MSG_ANALYSIS_MARGIN_AGAINST_MANY,
				n);
	}
	return out->len > before;
}

static void text_decided(const struct analysis *an,
			 const struct analysis_cell *c, enum survey_lang lang,
			 struct strbuf *out)
{
	struct strbuf line = STRBUF_INIT;

	if (analysis_format_decided(an, c, lang, &line))
		strbuf_addf(out, "  %s\n", line.buf);
	strbuf_reset(&line);
	if (analysis_format_still_needed(an, c, lang, &line))
		strbuf_addf(out, "  %s\n", line.buf);
	strbuf_release(&line);
}

bool analysis_format_agreed(const struct agreement *a, enum survey_lang lang,
			    struct strbuf *out)
{
	if (!a->agreed_with && !a->agreed_on)
		return false;
	strbuf_addstr(out, NL_EN(lang, "Afgesproken", "Agreed"));
	if (a->agreed_with)
		strbuf_addf(out, NL_EN(lang, " met %s", " with %s"),
			    a->agreed_with);
	if (a->agreed_on) {
		strbuf_addstr(out, NL_EN(lang, " op ", " on "));
		analysis_format_date(a->agreed_on, lang, out);
	}
	strbuf_addch(out, '.');
	return true;
}

void analysis_format_response_reason(const struct agreement *a,
				     const struct analysis_cell *c,
				     const struct analysis_buurt *ab,
				     enum survey_lang lang, struct strbuf *out)
{
	const struct analysis_outcome *o = &c->outcome;

	strbuf_addstr(out, NL_EN(lang, "Respons ", "Response "));
	analysis_format_percent_vs(o->responses, c->tally.households,
				   &a->min_response, lang, out);
	strbuf_addf(out,
		    NL_EN(lang, " (%" PRIu64 " van %" PRIu64 " %s%s); nodig: ",
			  " (%" PRIu64 " of %" PRIu64 " %s%s); needed: "),
		    o->responses, c->tally.households,
		    ab && ab->residents
			    ? NL_EN(lang, "bewoners", "residents")
			    : NL_EN(lang, "huishoudens", "households"),
		    !ab			 ? ""
		    : ab->from_addresses ? NL_EN(lang, ", volgens de adressen",
						 ", from the addresses")
					 : NL_EN(lang, ", volgens de definitie",
						 ", from the definition"));
	analysis_format_needed(&a->min_response, lang, out);
	strbuf_addstr(out, !a->min_response.set ? ""
			   : o->quorum_met ? NL_EN(lang, " (gehaald)", " (met)")
					   : NL_EN(lang, " (niet gehaald)",
						   " (not met)"));
	if (o->responses > c->tally.households) {
		char r[24], h[24];

		/* A buurt of 1 household with 3 numbered forms answered. */
		snprintf(r, sizeof(r), "%" PRIu64, o->responses);
		snprintf(h, sizeof(h), "%" PRIu64, c->tally.households);
		strbuf_addstr(out, ". ");
		msg_add(out, lang, MSG_ANALYSIS_OVERCOUNT, r, h);
	}
}

void analysis_format_favour_reason(const struct agreement *a,
				   const struct analysis_cell *c,
				   enum survey_lang lang, struct strbuf *out)
{
	const struct analysis_outcome *o = &c->outcome;

	strbuf_addstr(out, NL_EN(lang, "Voor: ", "In favour: "));
	analysis_format_percent_vs(o->part, o->whole, &a->min_in_favour, lang,
				   out);
	strbuf_addstr(out, " (");
	analysis_format_share_basis(a, o, lang, out);
	strbuf_addstr(out, NL_EN(lang, "); nodig: ", "); needed: "));
	analysis_format_needed(&a->min_in_favour, lang, out);
	strbuf_addstr(out, !a->min_in_favour.set ? ""
			   : o->share_met ? NL_EN(lang, " (gehaald)", " (met)")
					  : NL_EN(lang, " (niet gehaald)",
						  " (not met)"));
}

bool analysis_format_margin(const struct agreement *a,
			    const struct analysis_outcome *o,
			    enum survey_lang lang, struct strbuf *out)
{
	if (a->confidence_permille && o->exact_share) {
		strbuf_addstr(out,
			      NL_EN(lang,
				    "Alle huishoudens tellen mee, ook wie "
				    "niet reageerde: de uitkomst is exact, "
				    "een onzekerheidsmarge is niet nodig.",
				    "Every household counts, including "
				    "those that did not answer: the outcome "
				    "is exact and needs no margin of "
				    "error."));
		return true;
	}
	if (!o->has_interval)
		return false;
	strbuf_addstr(out, NL_EN(lang, "Met ", "With "));
	analysis_format_confidence(a->confidence_permille, lang, out);
	strbuf_addstr(out, NL_EN(lang,
				 " zekerheid ligt het aandeel voor in "
				 "de hele buurt tussen ",
				 " confidence the share in favour in "
				 "the whole buurt lies between "));
	analysis_format_fraction(o->lo, lang, out);
	strbuf_addstr(out, NL_EN(lang, " en ", " and "));
	analysis_format_fraction(o->hi, lang, out);
	strbuf_addch(out, '.');
	return true;
}

bool analysis_format_too_close(const struct analysis_outcome *o,
			       enum survey_lang lang, struct strbuf *out)
{
	if (o->verdict != ANALYSIS_TOO_CLOSE)
		return false;
	strbuf_addstr(out, NL_EN(lang,
				 "De drempel ligt binnen die marge: "
				 "volgens de telling is het ",
				 "The threshold lies within that "
				 "margin: by the count it is "));
	strbuf_addstr(out, analysis_verdict_words(o->exact, lang));
	strbuf_addstr(out, ", ");
	strbuf_addstr(out, NL_EN(lang,
				 "maar dat is te krap om er "
				 "op te bouwen.",
				 "but that is too close to "
				 "build on."));
	return true;
}

/* sentence as a line of the text report: indented, on its own line */
static void text_line(struct strbuf *out, struct strbuf *sentence)
{
	strbuf_addf(out, "  %s\n", sentence->buf);
	strbuf_reset(sentence);
}

static void text_cell(const struct analysis *an, const char *name,
		      const struct agreement *a, const struct analysis_cell *c,
		      const struct analysis_buurt *ab, enum survey_lang lang,
		      struct strbuf *out)
{
	const struct analysis_outcome *o = &c->outcome;
	struct strbuf desc = STRBUF_INIT, line = STRBUF_INIT;

	strbuf_addf(out, "\n%s: ", name);
	add_upper(analysis_verdict_words(o->verdict, lang), out);
	strbuf_addch(out, '\n');

	analysis_format_response_reason(a, c, ab, lang, &line);
	text_line(out, &line);
	analysis_format_favour_reason(a, c, lang, &line);
	text_line(out, &line);
	if (analysis_format_margin(a, o, lang, &line))
		text_line(out, &line);
	if (o->has_interval && analysis_format_too_close(o, lang, &line))
		text_line(out, &line);
	strbuf_release(&line);
	text_decided(an, c, lang, out);

	strbuf_addstr(out, NL_EN(lang, "  Per kanaal:", "  By channel:"));
	for (int ch = 0; ch < ANALYSIS_NCHANNEL; ch++) {
		uint64_t n = 0;

		for (int k = 0; k < ANALYSIS_NKIND; k++)
			n += c->count[ch][k];
		strbuf_addf(out, "%s %s %" PRIu64, ch ? ";" : "",
			    channel_words[ch][lang == SURVEY_EN], n);
		if (!n)
			continue;
		strbuf_addstr(out, " (");
		for (int k = 0; k < ANALYSIS_NKIND; k++)
			strbuf_addf(out, "%s%" PRIu64 " %s", k ? ", " : "",
				    c->count[ch][k],
				    kind_words[k][lang == SURVEY_EN]);
		strbuf_addch(out, ')');
	}
	strbuf_addstr(out, "\n");

	agreement_describe_whole(a, ab ? survey_buurt_name_in(ab->buurt) : NULL,
				 lang, &desc);
	strbuf_addf(out, NL_EN(lang, "  Afspraak: %s", "  Agreement: %s"),
		    desc.buf);
	strbuf_addch(out, '\n');
	strbuf_release(&desc);
}

static void text_overall(const struct analysis *an,
			 const struct analysis_question *aq,
			 enum survey_lang lang, struct strbuf *out)
{
	strbuf_addstr(out,
		      NL_EN(lang, "\nBesluit over \"", "\nDecision on \""));
	strbuf_addstr(out, aq->q->id);
	strbuf_addstr(out, "\": ");
	if (!aq->has_overall) {
		strbuf_addstr(out,
			      NL_EN(lang,
				    "elke buurt beslist voor zichzelf (zie "
				    "hierboven).\n",
				    "each buurt decides for itself (see "
				    "above).\n"));
		return;
	}
	add_upper(analysis_verdict_words(aq->overall, lang), out);
	if (an->decision == AGREEMENT_ALL)
		strbuf_addf(out,
			    NL_EN(lang,
				  ": %u van de %u buurten heeft voldoende "
				  "draagvlak, en alle buurten moeten "
				  "slagen.",
				  ": %u of the %u buurten have sufficient "
				  "support, and every buurt must pass."),
			    aq->all.nr_passing, aq->all.nr_buurten);
	else
		strbuf_addstr(out, NL_EN(lang,
					 ": de buurten samen geteld (zie "
					 "\"Samen\").",
					 ": the buurten counted together (see "
					 "\"Together\")."));
	if (analysis_still_open(an))
		strbuf_addstr(out,
			      aq->overall_decided
				      ? NL_EN(lang, " Dit is al beslist.",
					      " This is already decided.")
				      : NL_EN(lang, " Dit is nog niet beslist.",
					      " This is not yet decided."));
	strbuf_addch(out, '\n');
}

/* Display width of UTF-8 text: continuation bytes take no column. */
static size_t columns(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

/*
 * Append text to out with every line longer than 79 columns broken at
 * spaces, the continuation indented two more than the line itself, so
 * that the report reads in any terminal.
 */
static void add_wrapped(struct strbuf *out, const char *text)
{
	const size_t width = 79;

	while (*text) {
		const char *eol = strchr(text, '\n');
		size_t len = eol ? (size_t)(eol - text) : strlen(text);
		size_t indent = 0, first = 1;

		while (indent < len && text[indent] == ' ')
			indent++;
		while (columns(text, len) > width - (first ? 0 : indent + 2)) {
			size_t room = width - (first ? 0 : indent + 2), cut = 0;
			size_t col = 0;

			/* the last space before the edge, past the indent */
			for (size_t i = 0; i < len && col <= room; i++) {
				if (text[i] == ' ' && i > indent)
					cut = i;
				col += ((unsigned char)text[i] & 0xc0) != 0x80;
			}
			if (!cut)
				break;
			if (!first)
				strbuf_addf(out, "%*s", (int)(indent + 2), "");
			strbuf_add(out, text, cut);
			strbuf_addch(out, '\n');
			while (cut < len && text[cut] == ' ')
				cut++;
			text += cut;
			len -= cut;
			first = 0;
		}
		if (!first)
			strbuf_addf(out, "%*s", (int)(indent + 2), "");
		strbuf_add(out, text, len);
		if (eol)
			strbuf_addch(out, '\n');
		text += len + (eol ? 1 : 0);
	}
}

/*
 * The responses per day as a table: the days chart in numbers, for the
 * reader of the text report and whoever cannot see the chart.
 */
static void text_days(const struct analysis *an, enum survey_lang lang,
		      struct strbuf *out)
{
	struct strbuf date = STRBUF_INIT;
	uint64_t n[ANALYSIS_NCHANNEL];

	strbuf_addf(out, "\n== %s ==\n",
		    msg_get(lang, MSG_ANALYSIS_DAYS_TITLE));
	if (!an->nr_days) {
		msg_put(out, lang, MSG_ANALYSIS_DAYS_NONE);
		strbuf_addch(out, '\n');
		return;
	}
	strbuf_addf(out, "%-18s", msg_get(lang, MSG_ANALYSIS_DAYS_DAY));
	for (int ch = 0; ch < ANALYSIS_NCHANNEL; ch++)
		strbuf_addf(out, " %7s",
			    analysis_channel_words((enum analysis_channel)ch,
						   lang));
	strbuf_addf(out, " %7s\n", msg_get(lang, MSG_ANALYSIS_DAYS_TOTAL));
	for (size_t d = 0; d < an->nr_days; d++) {
		uint64_t sum = analysis_day_counts(an, d, -1, n);

		strbuf_reset(&date);
		analysis_format_date(an->days[d].date, lang, &date);
		strbuf_addf(out, "%-18s", date.buf);
		for (int ch = 0; ch < ANALYSIS_NCHANNEL; ch++)
			strbuf_addf(out, " %7" PRIu64, n[ch]);
		strbuf_addf(out, " %7" PRIu64 "\n", sum);
	}
	msg_put(out, lang, MSG_ANALYSIS_DAYS_LOCAL);
	strbuf_addch(out, '\n');
	strbuf_release(&date);
}

static void report_text(const struct analysis *an, enum survey_lang lang,
			struct strbuf *final)
{
	struct strbuf body = STRBUF_INIT, *out = &body;
	const struct survey *s = an->s;
	bool any_interval = false;

	text_header(an, lang, out);
	for (size_t i = 0; i < an->nr_questions; i++) {
		const struct analysis_question *aq = &an->questions[i];

		strbuf_addf(out,
			    NL_EN(lang, "\n== Stelling %zu: %s ==\n",
				  "\n== Proposition %zu: %s ==\n"),
			    i + 1, aq->q->id);
		strbuf_addf(out, "\"%s\"\n\n",
			    survey_text_get(&aq->q->text, lang));
		text_table(an, aq, lang, out);
		for (size_t b = 0; b < s->nr_buurten; b++) {
			text_cell(an, s->buurten[b].name,
				  &s->buurten[b].agreement, &aq->cells[b],
				  &an->buurten[b], lang, out);
			any_interval |= aq->cells[b].outcome.has_interval;
		}
		if (an->decision == AGREEMENT_POOLED) {
			text_cell(an, NL_EN(lang, "Samen", "Together"),
				  &s->agreement, &aq->total, NULL, lang, out);
			any_interval |= aq->total.outcome.has_interval;
		}
		text_overall(an, aq, lang, out);
	}
	text_days(an, lang, out);
	if (any_interval)
		strbuf_addstr(out,
			      NL_EN(lang,
				    "\nLet op: de marge gaat er van uit dat "
				    "wie reageerde een toevallige greep is uit "
				    "de buurt. Wie niet reageerde, kan er "
				    "anders over denken dan wie wel "
				    "reageerde; daarover zegt de marge "
				    "niets.\n",
				    "\nNote: the margin assumes that those who "
				    "answered are a random draw from the "
				    "buurt. People who did not answer may "
				    "think differently from those who did; "
				    "the margin says nothing about that.\n"));
	add_wrapped(final, body.buf);
	strbuf_release(&body);
}

/* ---- CSV -------------------------------------------------------------- */

static void csv_field(struct strbuf *out, const char *s)
{
	strbuf_addch(out, ',');
	strbuf_add_csv(out, s, ',');
}

static void csv_u64(struct strbuf *out, uint64_t v)
{
	strbuf_addf(out, ",%" PRIu64, v);
}

/* A ratio with 6 decimals, or empty when whole is 0. */
static void csv_ratio(struct strbuf *out, uint64_t part, uint64_t whole)
{
	strbuf_addch(out, ',');
	if (whole)
		strbuf_addf(out, "%.6f", (double)part / (double)whole);
}

static const char *phase_name(enum analysis_phase p)
{
	return p == ANALYSIS_OPEN     ? "open"
	       : p == ANALYSIS_CLOSED ? "closed"
				      : "not_open";
}

/*
 * quorum_short, change_toward, change_votes: empty once closed, and
 * where there is nothing to reach.
 */
static void csv_margin(const struct analysis *an,
		       const struct analysis_outcome *o, struct strbuf *out)
{
	const struct analysis_margin *m = &o->margin;
	bool open = analysis_still_open(an);

	strbuf_addch(out, ',');
	if (open && m->has_quorum && m->quorum_reachable)
		strbuf_addf(out, "%" PRIu64, m->quorum_short);
	if (open && m->can_flip)
		strbuf_addf(out, ",%s,%" PRIu64,
			    m->toward_sufficient ? "sufficient"
						 : "insufficient",
			    m->flip);
	else
		strbuf_addstr(out, ",,");
}

static void csv_cell(const struct analysis *an, const char *qid,
		     const char *scope, const char *bid, const char *bname,
		     const struct agreement *a, const struct analysis_cell *c,
		     const struct analysis_buurt *ab, bool judged,
		     enum survey_lang lang, struct strbuf *out)
{
	const struct analysis_outcome *o = &c->outcome;
	const struct analysis_tally *t = &c->tally;
	uint64_t r = analysis_tally_responses(t);
	struct strbuf desc = STRBUF_INIT;

	strbuf_add_csv(out, qid, ',');
	csv_field(out, scope);
	csv_field(out, bid);
	csv_field(out, bname);
	csv_field(out, phase_name(an->phase));
	csv_u64(out, t->households);
	csv_field(out, !ab		    ? ""
		       : ab->from_addresses ? "addresses"
					    : "definition");
	csv_u64(out, r);
	csv_ratio(out, r, t->households);
	csv_u64(out, t->n_for);
	csv_u64(out, t->n_against);
	csv_u64(out, t->n_neutral);
	csv_u64(out, t->n_blank);
	csv_u64(out, t->n_invalid);
	csv_u64(out, t->silent);
	for (int ch = 0; ch < ANALYSIS_NCHANNEL; ch++)
		for (int k = 0; k < ANALYSIS_NKIND; k++)
			csv_u64(out, c->count[ch][k]);
	if (!judged) {
		strbuf_addstr(out, ",,,,,,,,,,,,,,,\r\n");
		return;
	}
	csv_field(out, o->quorum_met ? "true" : "false");
	csv_u64(out, o->part);
	csv_u64(out, o->whole);
	csv_ratio(out, o->part, o->whole);
	csv_field(out, o->share_met ? "true" : "false");
	csv_field(out, analysis_verdict_name(o->verdict));
	csv_field(out, analysis_verdict_words(o->verdict, lang));
	csv_field(out, o->decided ? "true" : "false");
	strbuf_addch(out, ',');
	if (o->has_interval)
		strbuf_addf(out, "%.6f", o->lo);
	strbuf_addch(out, ',');
	if (o->has_interval)
		strbuf_addf(out, "%.6f", o->hi);
	strbuf_addch(out, ',');
	if (a->confidence_permille)
		strbuf_addf(out, "%u", (unsigned)a->confidence_permille);
	agreement_describe_whole(a, bname && *bname ? bname : NULL, lang,
				 &desc);
	csv_field(out, desc.buf);
	csv_margin(an, o, out);
	strbuf_addstr(out, "\r\n");
	strbuf_release(&desc);
}

static void report_csv(const struct analysis *an, enum survey_lang lang,
		       struct strbuf *out)
{
	const struct survey *s = an->s;

	strbuf_addstr(out, "question,scope,buurt,buurt_name,phase,households,"
			   "households_from,responses,response_rate,for,"
			   "against,neutral,blank,invalid,silent");
	for (int ch = 0; ch < ANALYSIS_NCHANNEL; ch++)
		for (int k = 0; k < ANALYSIS_NKIND; k++)
			strbuf_addf(out, ",%s_%s",
				    analysis_channel_name(
					    (enum analysis_channel)ch),
				    analysis_kind_name((enum analysis_kind)k));
	strbuf_addstr(out,
		      ",quorum_met,share_part,share_whole,share,"
		      "share_met,verdict,verdict_words,decided,"
		      "interval_low,interval_high,confidence_permille,"
		      "agreement,quorum_short,change_toward,change_votes\r\n");
	for (size_t i = 0; i < an->nr_questions; i++) {
		const struct analysis_question *aq = &an->questions[i];

		for (size_t b = 0; b < s->nr_buurten; b++)
			csv_cell(an, aq->q->id, "buurt", s->buurten[b].id,
				 s->buurten[b].name, &s->buurten[b].agreement,
				 &aq->cells[b], &an->buurten[b], true, lang,
				 out);
		csv_cell(an, aq->q->id, "total", "", "", &s->agreement,
			 &aq->total, NULL, an->decision == AGREEMENT_POOLED,
			 lang, out);
		if (!aq->has_overall)
			continue;
		/* The decision: verdict and decided only. */
		strbuf_add_csv(out, aq->q->id, ',');
		strbuf_addf(out, ",overall,,,%s", phase_name(an->phase));
		for (int n = 0; n < 10 + ANALYSIS_NCHANNEL * ANALYSIS_NKIND;
		     n++)
			strbuf_addch(out, ',');
		strbuf_addstr(out, ",,,,,");
		csv_field(out, analysis_verdict_name(aq->overall));
		csv_field(out, analysis_verdict_words(aq->overall, lang));
		csv_field(out, aq->overall_decided ? "true" : "false");
		strbuf_addstr(out, ",,,,");
		strbuf_add_csv(out, agreement_decision_name(an->decision), ',');
		strbuf_addstr(out, ",,,\r\n");
	}
}

/* ---- JSON ------------------------------------------------------------- */

static void json_key(struct strbuf *out, const char *key)
{
	strbuf_add_json(out, key);
	strbuf_addch(out, ':');
}

static void json_str(struct strbuf *out, const char *key, const char *v,
		     bool comma)
{
	json_key(out, key);
	if (v)
		strbuf_add_json(out, v);
	else
		strbuf_addstr(out, "null");
	if (comma)
		strbuf_addch(out, ',');
}

static void json_u64(struct strbuf *out, const char *key, uint64_t v)
{
	json_key(out, key);
	strbuf_addf(out, "%" PRIu64 ",", v);
}

static void json_bool(struct strbuf *out, const char *key, bool v)
{
	json_key(out, key);
	strbuf_addstr(out, v ? "true," : "false,");
}

static void json_ratio(struct strbuf *out, const char *key, uint64_t part,
		       uint64_t whole)
{
	json_key(out, key);
	if (whole)
		strbuf_addf(out, "%.6f,", (double)part / (double)whole);
	else
		strbuf_addstr(out, "null,");
}

static void json_threshold(struct strbuf *out, const char *key,
			   const struct agreement_threshold *t)
{
	json_key(out, key);
	if (!t->set) {
		strbuf_addstr(out, "null,");
		return;
	}
	strbuf_addf(out, "{\"cmp\":\"%s\",\"num\":%u,\"den\":%u},",
		    t->cmp == AGREEMENT_GT ? ">" : ">=", (unsigned)t->num,
		    (unsigned)t->den);
}

static void json_agreement(struct strbuf *out, const struct agreement *a,
			   const char *bname, enum survey_lang lang)
{
	struct strbuf desc = STRBUF_INIT;

	agreement_describe_whole(a, bname, lang, &desc);
	strbuf_addch(out, '{');
	json_str(out, "text", desc.buf, true);
	json_threshold(out, "min_response", &a->min_response);
	json_threshold(out, "min_in_favour", &a->min_in_favour);
	json_str(out, "basis", agreement_basis_name(a->basis), true);
	json_str(out, "neutral", agreement_count_name(a->neutral), true);
	json_str(out, "blank", agreement_count_name(a->blank), true);
	json_str(out, "invalid", agreement_count_name(a->invalid), true);
	json_str(out, "silent", agreement_silent_name(a->silent), true);
	json_u64(out, "confidence_permille", a->confidence_permille);
	json_str(out, "agreed_with", a->agreed_with, true);
	json_str(out, "agreed_on", a->agreed_on, false);
	strbuf_addch(out, '}');
	strbuf_release(&desc);
}

/*
 * "still_needed": null once closed; otherwise the answers the quorum
 * needs (null without a reachable quorum) and the votes that would turn
 * the verdict (null when it is decided).
 */
static void json_margin(const struct analysis_margin *m, bool open,
			struct strbuf *out)
{
	json_key(out, "still_needed");
	if (!open) {
		strbuf_addstr(out, "null");
		return;
	}
	strbuf_addstr(out, "{\"quorum_answers\":");
	if (m->has_quorum && m->quorum_reachable)
		strbuf_addf(out, "%" PRIu64, m->quorum_short);
	else
		strbuf_addstr(out, "null");
	strbuf_addstr(out, ",\"change\":");
	if (m->can_flip)
		strbuf_addf(out, "{\"toward\":\"%s\",\"votes\":%" PRIu64 "}",
			    m->toward_sufficient ? "sufficient"
						 : "insufficient",
			    m->flip);
	else
		strbuf_addstr(out, "null");
	strbuf_addch(out, '}');
}

static void json_cell(const struct analysis_cell *c, const struct agreement *a,
		      const char *bname, const struct analysis_buurt *ab,
		      bool judged, bool open, enum survey_lang lang,
		      struct strbuf *out)
{
	const struct analysis_tally *t = &c->tally;
	const struct analysis_outcome *o = &c->outcome;
	uint64_t r = analysis_tally_responses(t);

	json_u64(out, "households", t->households);
	if (ab) {
		json_str(out, "households_from",
			 ab->from_addresses ? "addresses" : "definition", true);
		json_u64(out, "anonymous_forms", ab->anonymous);
	}
	json_u64(out, "responses", r);
	json_ratio(out, "response_rate", r, t->households);
	json_u64(out, "silent", t->silent);
	json_key(out, "counts");
	strbuf_addf(out,
		    "{\"for\":%" PRIu64 ",\"against\":%" PRIu64
		    ",\"neutral\":%" PRIu64 ",\"blank\":%" PRIu64
		    ",\"invalid\":%" PRIu64 "},",
		    t->n_for, t->n_against, t->n_neutral, t->n_blank,
		    t->n_invalid);
	json_key(out, "by_channel");
	strbuf_addch(out, '{');
	for (int ch = 0; ch < ANALYSIS_NCHANNEL; ch++) {
		uint64_t n = 0;

		for (int k = 0; k < ANALYSIS_NKIND; k++)
			n += c->count[ch][k];
		strbuf_addf(
			out, "%s\"%s\":{\"responses\":%" PRIu64, ch ? "," : "",
			analysis_channel_name((enum analysis_channel)ch), n);
		for (int k = 0; k < ANALYSIS_NKIND; k++)
			strbuf_addf(out, ",\"%s\":%" PRIu64,
				    analysis_kind_name((enum analysis_kind)k),
				    c->count[ch][k]);
		strbuf_addch(out, '}');
	}
	strbuf_addstr(out, "},");
	json_key(out, "agreement");
	json_agreement(out, a, bname, lang);
	strbuf_addch(out, ',');
	json_key(out, "outcome");
	if (!judged) {
		strbuf_addstr(out, "null");
		return;
	}
	strbuf_addch(out, '{');
	json_bool(out, "quorum_met", o->quorum_met);
	json_u64(out, "share_part", o->part);
	json_u64(out, "share_whole", o->whole);
	json_ratio(out, "share", o->part, o->whole);
	json_bool(out, "share_met", o->share_met);
	json_str(out, "exact_verdict", analysis_verdict_name(o->exact), true);
	json_str(out, "verdict", analysis_verdict_name(o->verdict), true);
	json_str(out, "verdict_words", analysis_verdict_words(o->verdict, lang),
		 true);
	json_bool(out, "decided", o->decided);
	json_key(out, "possible");
	strbuf_addch(out, '[');
	for (int v = 0, n = 0; v < ANALYSIS_NVERDICT; v++)
		if (o->possible & ANALYSIS_BIT(v))
			strbuf_addf(out, "%s\"%s\"", n++ ? "," : "",
				    analysis_verdict_name(
					    (enum analysis_verdict)v));
	strbuf_addstr(out, "],");
	json_bool(out, "exact_share", o->exact_share);
	json_key(out, "interval");
	if (o->has_interval)
		strbuf_addf(out, "{\"low\":%.6f,\"high\":%.6f}", o->lo, o->hi);
	else
		strbuf_addstr(out, "null");
	strbuf_addch(out, ',');
	json_margin(&o->margin, open, out);
	strbuf_addch(out, '}');
}

static void report_json(const struct analysis *an, enum survey_lang lang,
			struct strbuf *out)
{
	const struct survey *s = an->s;

	strbuf_addch(out, '{');
	json_str(out, "survey", s->id, true);
	json_str(out, "title", survey_text_get(&s->title, lang), true);
	json_str(out, "organisation", s->organisation, true);
	json_str(out, "date", an->today, true);
	json_str(out, "opens", s->opens, true);
	json_str(out, "closes", s->closes, true);
	json_str(out, "phase", phase_name(an->phase), true);
	json_str(out, "decision", agreement_decision_name(an->decision), true);
	json_key(out, "questions");
	strbuf_addch(out, '[');
	for (size_t i = 0; i < an->nr_questions; i++) {
		const struct analysis_question *aq = &an->questions[i];

		strbuf_addstr(out, i ? ",{" : "{");
		json_str(out, "id", aq->q->id, true);
		json_str(out, "text", survey_text_get(&aq->q->text, lang),
			 true);
		json_key(out, "buurten");
		strbuf_addch(out, '[');
		for (size_t b = 0; b < s->nr_buurten; b++) {
			strbuf_addstr(out, b ? ",{" : "{");
			json_str(out, "id", s->buurten[b].id, true);
			json_str(out, "name", s->buurten[b].name, true);
			json_cell(&aq->cells[b], &s->buurten[b].agreement,
				  s->buurten[b].name, &an->buurten[b], true,
				  analysis_still_open(an), lang, out);
			strbuf_addch(out, '}');
		}
		strbuf_addstr(out, "],");
		json_key(out, "total");
		strbuf_addch(out, '{');
		json_cell(&aq->total, &s->agreement, NULL, NULL,
			  an->decision == AGREEMENT_POOLED,
			  analysis_still_open(an), lang, out);
		strbuf_addstr(out, "},");
		json_key(out, "overall");
		if (aq->has_overall) {
			strbuf_addch(out, '{');
			json_str(out, "verdict",
				 analysis_verdict_name(aq->overall), true);
			json_str(out, "verdict_words",
				 analysis_verdict_words(aq->overall, lang),
				 true);
			json_bool(out, "decided", aq->overall_decided);
			json_u64(out, "buurten_passing", aq->all.nr_passing);
			json_u64(out, "buurten", aq->all.nr_buurten);
			strbuf_setlen(out, out->len - 1);
			strbuf_addch(out, '}');
		} else {
			strbuf_addstr(out, "null");
		}
		strbuf_addch(out, '}');
	}
	/* Responses per day in the Netherlands, by channel. */
	strbuf_addstr(out, "],");
	json_key(out, "days");
	strbuf_addch(out, '[');
	for (size_t d = 0; d < an->nr_days; d++) {
		uint64_t n[ANALYSIS_NCHANNEL];

		analysis_day_counts(an, d, -1, n);
		strbuf_addstr(out, d ? ",{" : "{");
		json_str(out, "date", an->days[d].date, true);
		for (int ch = 0; ch < ANALYSIS_NCHANNEL; ch++)
			json_u64(out,
				 analysis_channel_name(
					 (enum analysis_channel)ch),
				 n[ch]);
		strbuf_setlen(out, out->len - 1);
		strbuf_addch(out, '}');
	}
	strbuf_addstr(out, "]}\n");
}

void analysis_report(const struct analysis *an, enum analysis_format f,
		     enum survey_lang lang, struct strbuf *out)
{
	switch (f) {
	case ANALYSIS_CSV: report_csv(an, lang, out); break;
	case ANALYSIS_JSON: report_json(an, lang, out); break;
	case ANALYSIS_TEXT:
	default: report_text(an, lang, out); break;
	}
}
