/*
 * report_pdf.c - the PDF report (see report_pdf.h): the front page, a
 * page per proposition and buurt, and the audit counts read from the
 * store.
 *
 * Pages are drawn in points from the top-left corner of an A4 sheet.
 * The front page flows: its blocks (one per proposition, then the note
 * on non-response) are measured first, by the same functions that draw
 * them called without a cairo_t, and moved to a next page when they do
 * not fit, so the page count is known before render_write_pdf() starts.
 * A buurt page has a fixed design that fits any sensible definition.
 *
 * The sentences are the text report's (report.h), so the PDF and the
 * terminal never say different things.
 */
#include <cairo-pdf.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "chart.h"
#include "layout.h"
#include "render.h"
#include "report.h"
#include "report_pdf.h"
#include "xalloc.h"
#include "banned.h"

#define NL_EN(lang, nl, en) ((lang) == SURVEY_EN ? (en) : (nl))

#define MM_TO_PT (72.0 / 25.4)
#define PAGE_W	 (RENDER_PAGE_W * MM_TO_PT)
#define PAGE_H	 (RENDER_PAGE_H * MM_TO_PT)
#define LEFT	 52.0
#define RIGHT	 (PAGE_W - 52.0)
#define WIDTH	 (RIGHT - LEFT)
#define TOP	 50.0
#define BOTTOM	 (PAGE_H - 58.0)
#define FOOTER_Y (PAGE_H - 40.0)

#define F_ORG	    "Liberation Sans Bold 12"
#define F_TITLE	    "Liberation Sans Bold 22"
#define F_SUBTITLE  "Liberation Sans Bold 11.5"
#define F_BODY	    "Liberation Sans 10.5"
#define F_BODY_BOLD "Liberation Sans Bold 10.5"
#define F_KICKER    "Liberation Sans Bold 9.5"
#define F_QUESTION  "Liberation Sans Bold 12.5"
#define F_VERDICT   "Liberation Sans Bold 20"
#define F_BUURT	    "Liberation Sans Bold 20"
#define F_HEAD	    "Liberation Sans Bold 10.5"
#define F_PANEL	    "Liberation Sans 10"
#define F_TABLE	    "Liberation Sans 10"
#define F_TABLE_B   "Liberation Sans Bold 10"
#define F_SMALL	    "Liberation Sans 8.5"
#define F_FOOTER    "Liberation Sans 8"

/* ---- audit ----------------------------------------------------------- */

bool analysis_audit_rejections(const struct store_audit *au,
			       enum survey_lang lang, struct strbuf *out)
{
	uint64_t typo = 0, unknown = 0;

	for (int c = 0; c < ANALYSIS_NCHANNEL; c++) {
		typo += au->rejected[c][0];
		unknown += au->rejected[c][1];
	}
	if (!typo && !unknown)
		return false;
	strbuf_addf(out,
		    NL_EN(lang,
			  "Geweigerde codes: %" PRIu64
			  " met een tikfout (het controleteken klopte "
			  "niet) en %" PRIu64
			  " die bij geen huishouden horen. Met zo'n code "
			  "is niets opgeslagen.",
			  "Refused codes: %" PRIu64
			  " with a typo (the check symbol did not match) "
			  "and %" PRIu64
			  " that belong to no household. Nothing was "
			  "stored with such a code."),
		    typo, unknown);
	return true;
}

/* ---- sentences ------------------------------------------------------- */

/* "Dorst-Oost", "Dorst-Oost en Dorst-West", "A, B en C". */
static void add_names(const struct analysis *an, const bool *pick,
		      enum survey_lang lang, struct strbuf *out)
{
	size_t n = 0, total = 0;

	for (size_t b = 0; b < an->s->nr_buurten; b++)
		total += pick[b];
	for (size_t b = 0; b < an->s->nr_buurten; b++) {
		if (!pick[b])
			continue;
		if (n)
			strbuf_addstr(out, n + 1 == total ? NL_EN(lang, " en ",
								  " and ")
							  : ", ");
		strbuf_addstr(out, an->s->buurten[b].name);
		n++;
	}
}

/* Decision each: "voldoende draagvlak in A; onvoldoende draagvlak in B". */
static void each_sentence(const struct analysis *an,
			  const struct analysis_question *aq,
			  enum survey_lang lang, struct strbuf *out)
{
	size_t nb = an->s->nr_buurten;
	bool *pick = xcalloc(nb ? nb : 1, sizeof(*pick)), first = true;
	bool open = false;

	strbuf_addstr(out, NL_EN(lang, "Elke buurt beslist voor zichzelf: ",
				 "Each buurt decides for itself: "));
	for (int v = 0; v < ANALYSIS_NVERDICT; v++) {
		bool any = false;

		for (size_t b = 0; b < nb; b++) {
			pick[b] = aq->cells[b].outcome.verdict ==
				  (enum analysis_verdict)v;
			any |= pick[b];
		}
		if (!any)
			continue;
		strbuf_addstr(out, first ? "" : "; ");
		strbuf_addstr(out, analysis_verdict_words(
					   (enum analysis_verdict)v, lang));
		strbuf_addstr(out, NL_EN(lang, " in ", " in "));
		add_names(an, pick, lang, out);
		first = false;
	}
	strbuf_addch(out, '.');
	for (size_t b = 0; b < nb; b++) {
		pick[b] = !aq->cells[b].outcome.decided;
		open |= pick[b];
	}
	if (analysis_still_open(an) && open) {
		strbuf_addstr(out, NL_EN(lang, " In ", " In "));
		add_names(an, pick, lang, out);
		strbuf_addstr(out,
			      NL_EN(lang, " kan de uitslag nog veranderen.",
				    " the outcome can still change."));
	}
	free(pick);
}

void analysis_decision_sentence(const struct analysis *an,
				const struct analysis_question *aq,
				enum survey_lang lang, struct strbuf *out)
{
	const struct analysis_overall *ov = &aq->all;
	const bool pooled = an->decision == AGREEMENT_POOLED;

	if (!aq->has_overall) {
		each_sentence(an, aq, lang, out);
		return;
	}
	switch (aq->overall) {
	case ANALYSIS_SUFFICIENT:
		strbuf_addstr(out, NL_EN(lang,
					 "Er is voldoende draagvlak voor deze "
					 "stelling",
					 "There is sufficient support for this "
					 "proposition"));
		break;
	case ANALYSIS_INSUFFICIENT:
		strbuf_addstr(out, NL_EN(lang,
					 "Er is onvoldoende draagvlak voor "
					 "deze stelling",
					 "There is insufficient support for "
					 "this proposition"));
		break;
	case ANALYSIS_LOW_RESPONSE:
		strbuf_addstr(out, NL_EN(lang,
					 "De respons is te laag om over deze "
					 "stelling te beslissen",
					 "The response is too low to decide on "
					 "this proposition"));
		break;
	case ANALYSIS_TOO_CLOSE:
	default:
		strbuf_addstr(out, NL_EN(lang,
					 "Het is te krap om over deze stelling "
					 "te beslissen",
					 "It is too close to call on this "
					 "proposition"));
		break;
	}
	if (pooled) {
		const struct analysis_outcome *o = &aq->total.outcome;

		strbuf_addstr(out,
			      NL_EN(lang, ", met alle buurten samen geteld: ",
				    ", with the buurten counted together: "));
		analysis_format_percent_vs(o->part, o->whole,
					   &an->s->agreement.min_in_favour,
					   lang, out);
		strbuf_addstr(out, NL_EN(lang, " voor (", " in favour ("));
		analysis_format_share_basis(&an->s->agreement, o, lang, out);
		strbuf_addstr(out,
			      NL_EN(lang, "), nodig is ", "), needed is "));
		analysis_format_needed(&an->s->agreement.min_in_favour, lang,
				       out);
		if (an->s->agreement.min_response.set) {
			strbuf_addstr(out, NL_EN(lang, ", en een respons van ",
						 ", and a response of "));
			analysis_format_percent_vs(
				o->responses, aq->total.tally.households,
				&an->s->agreement.min_response, lang, out);
			strbuf_addstr(out,
				      NL_EN(lang, " (nodig: ", " (needed: "));
			analysis_format_needed(&an->s->agreement.min_response,
					       lang, out);
			strbuf_addch(out, ')');
		}
		strbuf_addch(out, '.');
	} else if (aq->overall == ANALYSIS_SUFFICIENT) {
		strbuf_addf(out,
			    NL_EN(lang,
				  ": alle %u buurten hebben voldoende "
				  "draagvlak.",
				  ": all %u buurten have sufficient "
				  "support."),
			    ov->nr_buurten);
	} else if (aq->overall == ANALYSIS_TOO_CLOSE) {
		strbuf_addf(out,
			    NL_EN(lang,
				  ": in %u van de %u buurten ligt de drempel "
				  "binnen de onzekerheidsmarge, en alle "
				  "buurten moeten slagen.",
				  ": in %u of the %u buurten the threshold "
				  "lies within the margin of error, and every "
				  "buurt must pass."),
			    ov->nr_too_close, ov->nr_buurten);
	} else {
		strbuf_addf(out,
			    NL_EN(lang,
				  ": %u van de %u buurten heeft voldoende "
				  "draagvlak, en alle buurten moeten "
				  "slagen.",
				  ": %u of the %u buurten have sufficient "
				  "support, and every buurt must pass."),
			    ov->nr_passing, ov->nr_buurten);
	}
	if (analysis_still_open(an))
		strbuf_addstr(out,
			      aq->overall_decided
				      ? NL_EN(lang,
					      " Dit is al beslist, hoe de "
					      "anderen ook nog antwoorden.",
					      " This is already decided, "
					      "however the others still "
					      "answer.")
				      : NL_EN(lang,
					      " Dit is nog niet beslist: wie "
					      "nog niet reageerde, kan de "
					      "uitslag nog veranderen.",
					      " This is not yet decided: "
					      "those who have not answered "
					      "yet can still change the "
					      "outcome."));
}

/* The verdict with a capital, as a heading: "Onvoldoende draagvlak". */
static void add_capital(const char *s, struct strbuf *out)
{
	if (*s >= 'a' && *s <= 'z') {
		strbuf_addch(out, *s - 'a' + 'A');
		s++;
	}
	strbuf_addstr(out, s);
}

/* ---- pages ----------------------------------------------------------- */

/* What a page after the front pages shows: one proposition in a buurt. */
struct cell_page {
	size_t q;
	long b; /* -1: the buurten together */
};

struct pdf {
	const struct analysis *an;
	const struct store_audit *au;
	enum survey_lang lang;
	PangoContext *ctx;
	size_t nr_front;
	size_t *q_page;	  /* front page of each proposition block */
	size_t note_page; /* front page of the note */
	size_t days_page; /* front page of the responses per day */
	struct cell_page *cells;
	size_t nr_cells;
	size_t nr_pages;
};

static double text(cairo_t *cr, struct pdf *p, const char *font,
		   enum analysis_colour c, const char *s, double x, double y,
		   double w)
{
	return analysis_text(cr, p->ctx, font, c, s, x, y, w, PANGO_ALIGN_LEFT,
			     NULL);
}

static void rule(cairo_t *cr, double y)
{
	if (!cr)
		return;
	cairo_rectangle(cr, LEFT, y, WIDTH, 0.8);
	cairo_set_source_rgb(cr, 0.75, 0.77, 0.8);
	cairo_fill(cr);
}

/*
 * A coloured band with the verdict in white: the first thing the eye
 * finds on a page.  Returns its height.
 */
static double verdict_band(cairo_t *cr, struct pdf *p, enum analysis_verdict v,
			   double y)
{
	struct strbuf sb = STRBUF_INIT;
	struct analysis_box box = { LEFT, y, WIDTH, 0 };
	double th;

	add_capital(analysis_verdict_words(v, p->lang), &sb);
	th = text(NULL, p, F_VERDICT, ANALYSIS_C_WHITE, sb.buf, 0, 0, -1);
	box.h = th + 16;
	if (cr) {
		analysis_rounded(cr, &box, 5);
		analysis_set_colour(cr, analysis_verdict_colour(v));
		cairo_fill(cr);
		text(cr, p, F_VERDICT, ANALYSIS_C_WHITE, sb.buf, LEFT + 14,
		     y + 8, -1);
	}
	strbuf_release(&sb);
	return box.h;
}

/*
 * A tinted panel with a navy bar on the left, as on the forms: a heading
 * and lines of text.  Returns its height.
 */
static double panel(cairo_t *cr, struct pdf *p, double y, const char *head,
		    const char *const *lines, size_t nr, const char *font)
{
	const double pad = 9, inner = WIDTH - 2 * pad - 4;
	double h = pad, ty;
	struct analysis_box box;

	h += text(NULL, p, F_HEAD, ANALYSIS_C_NAVY, head, 0, 0, inner) + 3;
	for (size_t i = 0; i < nr; i++)
		h += text(NULL, p, font, ANALYSIS_C_INK, lines[i], 0, 0,
			  inner) +
		     3;
	h += pad - 3;
	if (!cr)
		return h;
	box = (struct analysis_box){ LEFT, y, WIDTH, h };
	analysis_rounded(cr, &box, 5);
	analysis_set_colour(cr, ANALYSIS_C_TINT);
	cairo_fill(cr);
	cairo_rectangle(cr, LEFT, y + 5, 2.5, h - 10);
	analysis_set_colour(cr, ANALYSIS_C_NAVY);
	cairo_fill(cr);
	ty = y + pad;
	ty += text(cr, p, F_HEAD, ANALYSIS_C_NAVY, head, LEFT + pad + 4, ty,
		   inner) +
	      3;
	for (size_t i = 0; i < nr; i++)
		ty += text(cr, p, font, ANALYSIS_C_INK, lines[i],
			   LEFT + pad + 4, ty, inner) +
		      3;
	return h;
}

static void footer(cairo_t *cr, struct pdf *p, size_t page)
{
	struct strbuf sb = STRBUF_INIT, date = STRBUF_INIT;
	const struct survey *s = p->an->s;

	analysis_format_date(p->an->today, p->lang, &date);
	strbuf_addf(&sb, "%s · %s · %s %s", s->organisation,
		    survey_text_get(&s->title, p->lang),
		    NL_EN(p->lang, "stand op", "as of"), date.buf);
	cairo_rectangle(cr, LEFT, FOOTER_Y - 5, WIDTH, 0.5);
	cairo_set_source_rgb(cr, 0.75, 0.77, 0.8);
	cairo_fill(cr);
	analysis_text(cr, p->ctx, F_FOOTER, ANALYSIS_C_GREY, sb.buf, LEFT,
		      FOOTER_Y, WIDTH - 80, PANGO_ALIGN_LEFT, NULL);
	strbuf_reset(&sb);
	strbuf_addf(&sb,
		    NL_EN(p->lang, "pagina %zu van %zu", "page %zu of %zu"),
		    page + 1, p->nr_pages);
	analysis_text(cr, p->ctx, F_FOOTER, ANALYSIS_C_GREY, sb.buf, RIGHT,
		      FOOTER_Y, -1, PANGO_ALIGN_RIGHT, NULL);
	strbuf_release(&sb);
	strbuf_release(&date);
}

/* The top of the first front page.  Returns where the blocks start. */
static double front_header(cairo_t *cr, struct pdf *p)
{
	const struct analysis *an = p->an;
	struct strbuf sb = STRBUF_INIT;
	double y = TOP;

	y += text(cr, p, F_ORG, ANALYSIS_C_NAVY, an->s->organisation, LEFT, y,
		  WIDTH) +
	     6;
	y += text(cr, p, F_TITLE, ANALYSIS_C_NAVY,
		  survey_text_get(&an->s->title, p->lang), LEFT, y, WIDTH) +
	     6;
	strbuf_addstr(&sb, NL_EN(p->lang,
				 "Uitslag van de draagvlakmeting, "
				 "stand op ",
				 "Result of the support survey, as of "));
	analysis_format_date(an->today, p->lang, &sb);
	y += text(cr, p, F_SUBTITLE, ANALYSIS_C_INK, sb.buf, LEFT, y, WIDTH) +
	     6;
	strbuf_reset(&sb);
	analysis_format_phase(an, p->lang, " ", &sb);
	y += text(cr, p, F_BODY, ANALYSIS_C_INK, sb.buf, LEFT, y, WIDTH) + 10;
	rule(cr, y);
	strbuf_release(&sb);
	return y + 14;
}

/* Later front pages: the title small, then the blocks. */
static double front_running(cairo_t *cr, struct pdf *p)
{
	double y = TOP;

	y += text(cr, p, F_HEAD, ANALYSIS_C_NAVY,
		  survey_text_get(&p->an->s->title, p->lang), LEFT, y, WIDTH) +
	     6;
	rule(cr, y);
	return y + 14;
}

/* One row of the table of buurten on the front page. */
static double front_row(cairo_t *cr, struct pdf *p, double y, const char *name,
			const struct agreement *a,
			const struct analysis_cell *c)
{
	const double col[] = { LEFT + 8, LEFT + 190, LEFT + 265, LEFT + 335 };
	struct strbuf sb = STRBUF_INIT;
	const struct analysis_outcome *o = &c->outcome;
	double h;

	h = text(cr, p, F_TABLE_B, ANALYSIS_C_INK, name, col[0], y,
		 col[1] - col[0] - 8);
	analysis_format_percent_vs(o->responses, c->tally.households,
				   &a->min_response, p->lang, &sb);
	text(cr, p, F_TABLE, ANALYSIS_C_INK, sb.buf, col[1], y, -1);
	strbuf_reset(&sb);
	analysis_format_percent_vs(o->part, o->whole, &a->min_in_favour,
				   p->lang, &sb);
	text(cr, p, F_TABLE, ANALYSIS_C_INK, sb.buf, col[2], y, -1);
	if (cr) {
		cairo_arc(cr, col[3] + 4, y + h / 2, 4, 0, 2 * M_PI);
		analysis_set_colour(cr, analysis_verdict_colour(o->verdict));
		cairo_fill(cr);
	}
	text(cr, p, F_TABLE_B, analysis_verdict_colour(o->verdict),
	     analysis_verdict_words(o->verdict, p->lang), col[3] + 13, y,
	     RIGHT - col[3] - 13);
	strbuf_release(&sb);
	return h + 5;
}

/* One proposition on the front page.  Returns its height. */
static double front_question(cairo_t *cr, struct pdf *p, size_t i, double y0)
{
	const struct analysis *an = p->an;
	const struct analysis_question *aq = &an->questions[i];
	const double col[] = { LEFT + 8, LEFT + 190, LEFT + 265, LEFT + 335 };
	const char *heads[] = { "Buurt", NL_EN(p->lang, "Respons", "Response"),
				NL_EN(p->lang, "Voor", "For"),
				NL_EN(p->lang, "Uitslag", "Result") };
	struct strbuf sb = STRBUF_INIT;
	double y = y0;

	strbuf_addf(&sb, NL_EN(p->lang, "STELLING %zu", "PROPOSITION %zu"),
		    i + 1);
	y += text(cr, p, F_KICKER, ANALYSIS_C_NAVY, sb.buf, LEFT, y, WIDTH) + 3;
	strbuf_reset(&sb);
	strbuf_addf(&sb, "“%s”", survey_text_get(&aq->q->text, p->lang));
	y += text(cr, p, F_QUESTION, ANALYSIS_C_INK, sb.buf, LEFT, y, WIDTH) +
	     8;
	if (aq->has_overall)
		y += verdict_band(cr, p, aq->overall, y) + 8;
	strbuf_reset(&sb);
	analysis_decision_sentence(an, aq, p->lang, &sb);
	y += text(cr, p, F_BODY, ANALYSIS_C_INK, sb.buf, LEFT, y, WIDTH) + 10;

	for (size_t k = 0; k < 4; k++)
		text(cr, p, F_SMALL, ANALYSIS_C_GREY, heads[k], col[k], y, -1);
	y += text(NULL, p, F_SMALL, ANALYSIS_C_GREY, "Ág", 0, 0, -1) + 3;
	rule(cr, y);
	y += 5;
	for (size_t b = 0; b < an->s->nr_buurten; b++)
		y += front_row(cr, p, y, an->s->buurten[b].name,
			       &an->s->buurten[b].agreement, &aq->cells[b]);
	if (an->decision == AGREEMENT_POOLED)
		y += front_row(cr, p, y, NL_EN(p->lang, "Samen", "Together"),
			       &an->s->agreement, &aq->total);
	strbuf_release(&sb);
	return y - y0 + 20;
}

/*
 * Households that did not answer, over every buurt: the same for every
 * proposition, since every response meets every proposition.
 */
static void silent_total(const struct analysis *an, uint64_t *silent,
			 uint64_t *households)
{
	*silent = an->questions[0].total.tally.silent;
	*households = an->questions[0].total.tally.households;
}

/* How to read the report, and who is not in it.  Returns its height. */
static double front_note(cairo_t *cr, struct pdf *p, double y)
{
	const enum survey_lang lang = p->lang;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT;
	const char *lines[3];
	uint64_t silent, households;
	size_t nr = 0;
	double h;

	silent_total(p->an, &silent, &households);
	if (silent) {
		strbuf_addf(&a,
			    NL_EN(lang,
				  "%" PRIu64 " van de %" PRIu64
				  " huishoudens hebben %sniet "
				  "gereageerd. Wie niet reageerde, kan er "
				  "anders over denken dan wie wel reageerde; "
				  "de cijfers zeggen alleen iets over wie "
				  "reageerde.",
				  "%" PRIu64 " of the %" PRIu64
				  " households have not answered%s. "
				  "People who did not answer may think "
				  "differently from those who did; the "
				  "numbers only speak for those who "
				  "answered."),
			    silent, households,
			    p->an->phase == ANALYSIS_CLOSED ? ""
			    : lang == SURVEY_EN		    ? " (yet)"
							    : "(nog) ");
		lines[nr++] = a.buf;
	}
	strbuf_addstr(&b,
		      NL_EN(lang,
			    "Op de volgende pagina's staat per buurt hoe de "
			    "uitslag tot stand kwam: de antwoorden, de "
			    "respons, het aandeel voor en de afspraak die "
			    "vooraf met de buurt is gemaakt.",
			    "The following pages show per buurt how the "
			    "result came about: the answers, the response, "
			    "the share in favour and the agreement made with "
			    "the buurt beforehand."));
	lines[nr++] = b.buf;
	if (p->au && analysis_audit_rejections(p->au, lang, &c))
		lines[nr++] = c.buf;
	h = panel(cr, p, y, NL_EN(lang, "Hoe leest u dit?", "How to read this"),
		  lines, nr, F_PANEL);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&c);
	return h;
}

/* The responses per day under the note: the chart, as on /bestuur. */
#define DAYS_GAP 14.0

static double front_days(cairo_t *cr, struct pdf *p, double y)
{
	double w, h;

	analysis_chart_days_size(&w, &h);
	if (cr) {
		struct analysis_box box = { LEFT, y + DAYS_GAP, WIDTH, h };

		analysis_chart_days(cr, &box, p->an, -1, p->lang);
	}
	return DAYS_GAP + h;
}

/* Share the front page blocks out over pages, measuring them. */
static void plan_front(struct pdf *p)
{
	double y = front_header(NULL, p);
	size_t page = 0, on_page = 0;

	p->q_page = xcalloc(p->an->nr_questions ? p->an->nr_questions : 1,
			    sizeof(*p->q_page));
	for (size_t i = 0; i < p->an->nr_questions; i++) {
		double h = front_question(NULL, p, i, y);

		if (y + h > BOTTOM && on_page) {
			page++;
			on_page = 0;
			y = front_running(NULL, p);
		}
		p->q_page[i] = page;
		y += h;
		on_page++;
	}
	if (y + front_note(NULL, p, y) > BOTTOM && on_page) {
		page++;
		y = front_running(NULL, p);
	}
	p->note_page = page;
	y += front_note(NULL, p, y);
	if (y + front_days(NULL, p, y) > BOTTOM) {
		page++;
		y = front_running(NULL, p);
	}
	p->days_page = page;
	p->nr_front = page + 1;
}

static void draw_front(cairo_t *cr, struct pdf *p, size_t page)
{
	double y = page ? front_running(cr, p) : front_header(cr, p);

	for (size_t i = 0; i < p->an->nr_questions; i++)
		if (p->q_page[i] == page)
			y += front_question(cr, p, i, y);
	if (p->note_page == page)
		y += front_note(cr, p, y);
	if (p->days_page == page)
		front_days(cr, p, y);
}

size_t analysis_audit_sentences(const struct analysis *an,
				const struct store_audit *au, long b,
				enum survey_lang lang, struct strbuf *sb,
				size_t max)
{
	uint64_t sup = 0, wait = 0, diff = 0, anon = 0, scan_wait = 0,
		 scan_part = 0;
	size_t n = 0;

	for (size_t i = 0; i < an->s->nr_buurten; i++) {
		if (b >= 0 && (size_t)b != i)
			continue;
		sup += au->superseded[i];
		wait += au->waiting[i];
		diff += au->differs[i];
		anon += an->buurten[i].anonymous;
		scan_wait += au->scan_waiting[i];
		scan_part += au->scan_incomplete[i];
	}
	if (!max)
		return 0;
	strbuf_addf(&sb[n++],
		    NL_EN(lang,
			  "Gewijzigde antwoorden: %" PRIu64 ". Een huishouden "
			  "dat opnieuw antwoordde, telt één keer mee: met "
			  "het laatste antwoord.",
			  "Changed answers: %" PRIu64 ". A household that "
			  "answered again counts once: with its latest "
			  "answer."),
		    sup);
	if (n < max && (an->s->double_entry || wait || diff)) {
		strbuf_addf(&sb[n],
			    NL_EN(lang,
				  "Papieren formulieren die wachten op de "
				  "tweede invoer: %" PRIu64
				  " (nog niet meegeteld).",
				  "Paper forms waiting for their second "
				  "entry: %" PRIu64 " (not counted yet)."),
			    wait);
		if (diff)
			strbuf_addf(&sb[n],
				    NL_EN(lang,
					  " Formulieren waarvan de twee "
					  "invoeren verschillen: %" PRIu64 ".",
					  " Forms whose two entries "
					  "differ: %" PRIu64 "."),
				    diff);
		n++;
	}
	if ((scan_wait || scan_part) && n < max) {
		strbuf_addf(&sb[n],
			    NL_EN(lang,
				  "Gescande formulieren die wachten op "
				  "controle: %" PRIu64 " (nog niet meegeteld).",
				  "Scanned forms waiting for review: %" PRIu64
				  " (not counted yet)."),
			    scan_wait);
		if (scan_part)
			strbuf_addf(&sb[n],
				    NL_EN(lang,
					  " Gescande formulieren waarvan een "
					  "pagina ontbreekt: %" PRIu64 ".",
					  " Scanned forms missing a page: "
					  "%" PRIu64 "."),
				    scan_part);
		n++;
	}
	if (anon && n < max)
		strbuf_addf(&sb[n++],
			    NL_EN(lang,
				  "Genummerde formulieren zonder adres: "
				  "%" PRIu64 " uitgegeven. Wie daarmee "
				  "antwoordde, telt als reactie, niet als "
				  "extra huishouden.",
				  "Numbered forms without an address: "
				  "%" PRIu64 " handed out. An answer on one "
				  "counts as a response, not as an extra "
				  "household."),
			    anon);
	return n;
}

/*
 * A page for proposition q in buurt b (b < 0: the buurten together), the
 * charts at scale times their height; cr NULL only measures.  Returns
 * where the page content ends.
 */
static double draw_cell(cairo_t *cr, struct pdf *p, const struct cell_page *cp,
			double scale)
{
	const struct analysis *an = p->an;
	const enum survey_lang lang = p->lang;
	const struct analysis_question *aq = &an->questions[cp->q];
	const struct analysis_cell *c =
		cp->b < 0 ? &aq->total : &aq->cells[cp->b];
	const struct agreement *a = cp->b < 0
					    ? &an->s->agreement
					    : &an->s->buurten[cp->b].agreement;
	const struct analysis_buurt *ab =
		cp->b < 0 ? NULL : &an->buurten[cp->b];
	struct strbuf sb = STRBUF_INIT, desc = STRBUF_INIT;
	struct strbuf audit[4] = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT,
				   STRBUF_INIT };
	const char *lines[4];
	const double gap = 18, cw = (WIDTH - gap) / 2;
	struct analysis_box box;
	double y = TOP, h;
	size_t n;

	strbuf_addf(&sb, NL_EN(lang, "STELLING %zu", "PROPOSITION %zu"),
		    cp->q + 1);
	y += text(cr, p, F_KICKER, ANALYSIS_C_NAVY, sb.buf, LEFT, y, WIDTH) + 3;
	strbuf_reset(&sb);
	strbuf_addf(&sb, "“%s”", survey_text_get(&aq->q->text, lang));
	y += text(cr, p, F_BODY_BOLD, ANALYSIS_C_INK, sb.buf, LEFT, y, WIDTH) +
	     8;
	rule(cr, y);
	y += 10;
	y += text(cr, p, F_BUURT, ANALYSIS_C_NAVY,
		  cp->b < 0 ? NL_EN(lang, "Alle buurten samen",
				    "All buurten together")
			    : an->s->buurten[cp->b].name,
		  LEFT, y, WIDTH) +
	     8;
	y += verdict_band(cr, p, c->outcome.verdict, y) + 10;
	if (cp->b >= 0 && an->decision == AGREEMENT_POOLED) {
		y += text(cr, p, F_SMALL, ANALYSIS_C_GREY,
			  NL_EN(lang,
				"Ter informatie: de buurten worden samen "
				"geteld, de uitslag per buurt beslist niet.",
				"For information: the buurten are counted "
				"together; the result per buurt does not "
				"decide."),
			  LEFT, y, WIDTH) +
		     6;
	}

	/* the reasons, in the text report's sentences */
	strbuf_reset(&sb);
	analysis_format_response_reason(a, c, ab, lang, &sb);
	strbuf_addch(&sb, '.');
	y += text(cr, p, F_BODY, ANALYSIS_C_INK, sb.buf, LEFT, y, WIDTH) + 3;
	strbuf_reset(&sb);
	analysis_format_favour_reason(a, c, lang, &sb);
	strbuf_addch(&sb, '.');
	y += text(cr, p, F_BODY, ANALYSIS_C_INK, sb.buf, LEFT, y, WIDTH) + 3;
	strbuf_reset(&sb);
	if (analysis_format_margin(a, &c->outcome, lang, &sb)) {
		if (c->outcome.has_interval &&
		    analysis_format_too_close(&c->outcome, lang, &desc)) {
			strbuf_addf(&sb, " %s", desc.buf);
			strbuf_reset(&desc);
		}
		y += text(cr, p, F_BODY, ANALYSIS_C_INK, sb.buf, LEFT, y,
			  WIDTH) +
		     3;
	}
	strbuf_reset(&sb);
	if (analysis_format_decided(an, c, lang, &sb))
		y += text(cr, p, F_BODY_BOLD, ANALYSIS_C_INK, sb.buf, LEFT, y,
			  WIDTH) +
		     3;
	y += 12;

	/*
	 * The charts: what decides first, then what was answered.  The
	 * scales keep their height (their text does not shrink); the bars
	 * give way when a long text needs the room.
	 */
	if (cr) {
		box = (struct analysis_box){ LEFT, y, cw, 100 };
		analysis_chart_response(cr, &box, a, c, lang);
		box.x += cw + gap;
		box.h = 100;
		analysis_chart_favour(cr, &box, a, c, lang);
	}
	y += 100 + 14;
	if (cr) {
		box = (struct analysis_box){ LEFT, y, cw, 150 * scale };
		analysis_chart_votes(cr, &box, c, lang);
		box.x += cw + gap;
		box.h = 100 * scale;
		analysis_chart_channels(cr, &box, c, lang);
	}
	y += 150 * scale + 16;

	/* the agreement as agreed, and the audit */
	agreement_describe_whole(a, ab ? survey_buurt_name_in(ab->buurt) : NULL,
				 lang, &desc);
	strbuf_reset(&sb);
	lines[0] = desc.buf;
	n = 1;
	y += panel(cr, p, y, NL_EN(lang, "De afspraak", "The agreement"), lines,
		   n, F_PANEL) +
	     10;
	if (p->au) {
		n = analysis_audit_sentences(p->an, p->au, cp->b, p->lang,
					     audit, 4);
		for (size_t i = 0; i < n; i++)
			lines[i] = audit[i].buf;
		y += panel(cr, p, y, NL_EN(lang, "Controle", "Audit"), lines, n,
			   F_PANEL) +
		     10;
	}
	if (c->outcome.has_interval) {
		h = text(cr, p, F_SMALL, ANALYSIS_C_GREY,
			 NL_EN(lang,
			       "Let op: de marge gaat er van uit dat wie "
			       "reageerde een toevallige greep is uit de "
			       "buurt. Wie niet reageerde, kan er anders over "
			       "denken dan wie wel reageerde; daarover zegt "
			       "de marge niets.",
			       "Note: the margin assumes that those who "
			       "answered are a random draw from the buurt. "
			       "People who did not answer may think "
			       "differently from those who did; the margin "
			       "says nothing about that."),
			 LEFT, y, WIDTH);
		y += h;
	}
	strbuf_release(&sb);
	strbuf_release(&desc);
	for (size_t i = 0; i < 4; i++)
		strbuf_release(&audit[i]);
	return y;
}

/* The bar charts' scale that makes the page of cp fit: 1 when it does. */
static double cell_scale(struct pdf *p, const struct cell_page *cp)
{
	double over = draw_cell(NULL, p, cp, 1) - BOTTOM;

	/* at most 150 points of bars to give; below 0.5 they are unreadable */
	return over <= 0 ? 1 : fmax(0.5, 1 - over / 150);
}

static int draw_page(cairo_t *cr, void *data, size_t page, struct strbuf *err)
{
	struct pdf *p = data;

	(void)err;
	if (page == 0)
		cairo_pdf_surface_set_metadata(
			cairo_get_target(cr), CAIRO_PDF_METADATA_TITLE,
			survey_text_get(&p->an->s->title, p->lang));
	cairo_save(cr);
	/* render_write_pdf() hands us millimetres; the report is in points */
	cairo_scale(cr, 1 / MM_TO_PT, 1 / MM_TO_PT);
	if (page < p->nr_front)
		draw_front(cr, p, page);
	else
		draw_cell(cr, p, &p->cells[page - p->nr_front],
			  cell_scale(p, &p->cells[page - p->nr_front]));
	footer(cr, p, page);
	cairo_restore(cr);
	return 0;
}

int analysis_report_pdf(const struct analysis *an, const struct store_audit *au,
			enum survey_lang lang, const char *path,
			struct strbuf *err)
{
	struct pdf p = { .an = an, .au = au, .lang = lang };
	const size_t nb = an->s->nr_buurten;
	const bool pooled = an->decision == AGREEMENT_POOLED;
	int ret;

	p.ctx = analysis_pango_context(lang);
	plan_front(&p);
	p.cells = xcalloc(an->nr_questions * (nb + 1) + 1, sizeof(*p.cells));
	for (size_t i = 0; i < an->nr_questions; i++) {
		/* Pooled: the count that decides comes first. */
		if (pooled)
			p.cells[p.nr_cells++] = (struct cell_page){ i, -1 };
		for (size_t b = 0; b < nb; b++)
			p.cells[p.nr_cells++] =
				(struct cell_page){ i, (long)b };
	}
	p.nr_pages = p.nr_front + p.nr_cells;
	ret = render_write_pdf(path, RENDER_PAGE_W, RENDER_PAGE_H, p.nr_pages,
			       draw_page, &p, NULL, lang, err);
	free(p.cells);
	free(p.q_page);
	g_object_unref(p.ctx);
	return ret;
}
