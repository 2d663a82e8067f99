/*
 * chart.c - the charts of the report and their PNG and SVG files (see
 * chart.h).
 *
 * Two shapes serve all four charts: rows of horizontal bars with the
 * label on the left and the count at the end of the bar (the answers,
 * the channels), and a 0-100% scale with one bar, the agreed line and,
 * for the share in favour, the interval as a whisker (response rate,
 * share in favour).  Horizontal bars because their labels read without
 * turning the head and a count sits where the bar ends.
 */
#include <cairo-svg.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chart.h"
#include "layout.h"
#include "msg.h"
#include "report.h"
#include "banned.h"

#define NL_EN(lang, nl, en) ((lang) == SURVEY_EN ? (en) : (nl))

#define FONT_TITLE "Liberation Sans Bold 11"
#define FONT_LABEL "Liberation Sans 9.5"
#define FONT_COUNT "Liberation Sans Bold 9.5"
#define FONT_SMALL "Liberation Sans 8"
#define FONT_NOTE  "Liberation Sans 8.5"

/* The files are drawn at 2 pixels a point: 144 dpi, sharp on a screen. */
#define PNG_SCALE 2.0

static const double colours[ANALYSIS_NCOLOUR][3] = {
	[ANALYSIS_C_NAVY] = { 0.09, 0.24, 0.42 },
	[ANALYSIS_C_INK] = { 0.10, 0.10, 0.12 },
	[ANALYSIS_C_GREY] = { 0.33, 0.33, 0.36 },
	[ANALYSIS_C_TINT] = { 0.925, 0.945, 0.97 },
	[ANALYSIS_C_TRACK] = { 0.86, 0.88, 0.91 },
	[ANALYSIS_C_WHITE] = { 1, 1, 1 },
	[ANALYSIS_C_FOR] = { 0.13, 0.50, 0.27 },
	[ANALYSIS_C_AGAINST] = { 0.72, 0.17, 0.15 },
	[ANALYSIS_C_NEUTRAL] = { 0.45, 0.53, 0.63 },
	[ANALYSIS_C_BLANK] = { 0.70, 0.71, 0.74 },
	[ANALYSIS_C_INVALID] = { 0.47, 0.47, 0.50 },
	[ANALYSIS_C_WARN] = { 0.76, 0.45, 0.02 },
};

void analysis_set_colour(cairo_t *cr, enum analysis_colour c)
{
	cairo_set_source_rgb(cr, colours[c][0], colours[c][1], colours[c][2]);
}

enum analysis_colour analysis_verdict_colour(enum analysis_verdict v)
{
	switch (v) {
	case ANALYSIS_SUFFICIENT: return ANALYSIS_C_FOR;
	case ANALYSIS_INSUFFICIENT: return ANALYSIS_C_AGAINST;
	default: return ANALYSIS_C_WARN;
	}
}

PangoContext *analysis_pango_context(enum survey_lang lang)
{
	/*
	 * The forms' context (unhinted, unrounded, the language set), but
	 * in points: 72 "dots" an inch makes one point one user unit.
	 */
	PangoContext *ctx = render_pango_context(lang);

	pango_cairo_context_set_resolution(ctx, 72);
	return ctx;
}

double analysis_text(cairo_t *cr, PangoContext *ctx, const char *font,
		     enum analysis_colour colour, const char *text, double x,
		     double y, double width, PangoAlignment align, double *w)
{
	PangoLayout *pl = pango_layout_new(ctx);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	PangoRectangle lr;

	pango_layout_set_font_description(pl, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(pl, (int)(width * PANGO_SCALE));
		/* Long compound words break inside rather than overflow. */
		pango_layout_set_wrap(pl, PANGO_WRAP_WORD_CHAR);
		pango_layout_set_alignment(pl, align);
	}
	pango_layout_set_line_spacing(pl, 1.12f);
	pango_layout_set_text(pl, text, -1);
	pango_layout_get_extents(pl, NULL, &lr);
	if (w)
		*w = (double)lr.width / PANGO_SCALE;
	if (cr) {
		double lw = (double)lr.width / PANGO_SCALE;

		if (width <= 0 && align == PANGO_ALIGN_CENTER)
			x -= lw / 2;
		else if (width <= 0 && align == PANGO_ALIGN_RIGHT)
			x -= lw;
		/* Text leaves a current point; a later arc would join it. */
		cairo_new_path(cr);
		analysis_set_colour(cr, colour);
		cairo_move_to(cr, x, y - (double)lr.y / PANGO_SCALE);
		pango_cairo_show_layout(cr, pl);
		cairo_new_path(cr);
	}
	g_object_unref(pl);
	return (double)lr.height / PANGO_SCALE;
}

void analysis_rounded(cairo_t *cr, const struct analysis_box *b, double r)
{
	cairo_new_sub_path(cr);
	cairo_arc(cr, b->x + b->w - r, b->y + r, r, -M_PI / 2, 0);
	cairo_arc(cr, b->x + b->w - r, b->y + b->h - r, r, 0, M_PI / 2);
	cairo_arc(cr, b->x + r, b->y + b->h - r, r, M_PI / 2, M_PI);
	cairo_arc(cr, b->x + r, b->y + r, r, M_PI, 3 * M_PI / 2);
	cairo_close_path(cr);
}

/* ---- horizontal bars ------------------------------------------------- */

struct bar {
	const char *label;
	uint64_t n;
	enum analysis_colour colour;
};

/* The title, then one row per bar filling the rest of the box. */
static void bar_chart(cairo_t *cr, const struct analysis_box *box,
		      const char *title, const struct bar *bars, size_t nr,
		      enum survey_lang lang)
{
	PangoContext *ctx = analysis_pango_context(lang);
	double label_w = 0, count_w = 0, th, row, thick, x0, span, y;
	uint64_t max = 1;
	struct strbuf num = STRBUF_INIT;

	th = analysis_text(cr, ctx, FONT_TITLE, ANALYSIS_C_NAVY, title, box->x,
			   box->y, box->w, PANGO_ALIGN_LEFT, NULL);
	for (size_t i = 0; i < nr; i++) {
		double w;

		analysis_text(NULL, ctx, FONT_LABEL, ANALYSIS_C_INK,
			      bars[i].label, 0, 0, -1, PANGO_ALIGN_LEFT, &w);
		label_w = fmax(label_w, w);
		strbuf_reset(&num);
		strbuf_addf(&num, "%" PRIu64, bars[i].n);
		analysis_text(NULL, ctx, FONT_COUNT, ANALYSIS_C_INK, num.buf, 0,
			      0, -1, PANGO_ALIGN_LEFT, &w);
		count_w = fmax(count_w, w);
		if (bars[i].n > max)
			max = bars[i].n;
	}
	y = box->y + th + 6;
	row = (box->y + box->h - y) / (double)(nr ? nr : 1);
	thick = fmin(row * 0.64, 18);
	x0 = box->x + label_w + 8;
	span = fmax(box->x + box->w - x0 - count_w - 6, 1);
	/* the baseline the bars grow from */
	cairo_rectangle(cr, x0 - 0.5, y, 1, row * (double)nr);
	analysis_set_colour(cr, ANALYSIS_C_GREY);
	cairo_fill(cr);
	for (size_t i = 0; i < nr; i++, y += row) {
		double mid = y + row / 2, len;
		double lh = analysis_text(NULL, ctx, FONT_LABEL, ANALYSIS_C_INK,
					  bars[i].label, 0, 0, -1,
					  PANGO_ALIGN_LEFT, NULL);

		analysis_text(cr, ctx, FONT_LABEL, ANALYSIS_C_INK,
			      bars[i].label, x0 - 8, mid - lh / 2, -1,
			      PANGO_ALIGN_RIGHT, NULL);
		len = span * (double)bars[i].n / (double)max;
		if (bars[i].n) {
			cairo_rectangle(cr, x0, mid - thick / 2, len, thick);
			analysis_set_colour(cr, bars[i].colour);
			cairo_fill(cr);
		}
		strbuf_reset(&num);
		strbuf_addf(&num, "%" PRIu64, bars[i].n);
		analysis_text(cr, ctx, FONT_COUNT, ANALYSIS_C_INK, num.buf,
			      x0 + len + 4, mid - lh / 2, -1, PANGO_ALIGN_LEFT,
			      NULL);
	}
	strbuf_release(&num);
	g_object_unref(ctx);
}

void analysis_chart_votes(cairo_t *cr, const struct analysis_box *box,
			  const struct analysis_cell *c, enum survey_lang lang)
{
	const struct analysis_tally *t = &c->tally;
	const uint64_t n[ANALYSIS_NKIND] = { t->n_for, t->n_against,
					     t->n_neutral, t->n_blank,
					     t->n_invalid };
	struct bar bars[ANALYSIS_NKIND];

	for (int k = 0; k < ANALYSIS_NKIND; k++)
		bars[k] = (struct bar){
			analysis_kind_words((enum analysis_kind)k, lang), n[k],
			(enum analysis_colour)(ANALYSIS_C_FOR + k)
		};
	bar_chart(cr, box, NL_EN(lang, "Antwoorden", "Answers"), bars,
		  ANALYSIS_NKIND, lang);
}

void analysis_chart_channels(cairo_t *cr, const struct analysis_box *box,
			     const struct analysis_cell *c,
			     enum survey_lang lang)
{
	struct bar bars[ANALYSIS_NCHANNEL];

	for (int ch = 0; ch < ANALYSIS_NCHANNEL; ch++) {
		uint64_t n = 0;

		for (int k = 0; k < ANALYSIS_NKIND; k++)
			n += c->count[ch][k];
		bars[ch] = (struct bar){
			analysis_channel_words((enum analysis_channel)ch, lang),
			n, ANALYSIS_C_NAVY
		};
	}
	bar_chart(cr, box,
		  NL_EN(lang, "Reacties per kanaal", "Responses by channel"),
		  bars, ANALYSIS_NCHANNEL, lang);
}

/* ---- a 0-100% scale -------------------------------------------------- */

struct scale {
	const char *title;			/* "Respons: 36,6%" */
	uint64_t part, whole;			/* the bar; whole 0: none */
	enum analysis_colour colour;		/* of the bar */
	const struct agreement_threshold *line; /* NULL or unset: none */
	const char *line_label;			/* over the line */
	bool interval;				/* the whisker lo .. hi */
	double lo, hi;
	const char *note; /* under the scale */
};

static void scale_chart(cairo_t *cr, const struct analysis_box *box,
			const struct scale *sc, enum survey_lang lang)
{
	PangoContext *ctx = analysis_pango_context(lang);
	const double track_h = 16;
	double x0 = box->x + 2, w = box->w - 4, y, lh, ty;
	bool line = sc->line && sc->line->set && sc->line->den;

	y = box->y + analysis_text(cr, ctx, FONT_TITLE, ANALYSIS_C_NAVY,
				   sc->title, box->x, box->y, box->w,
				   PANGO_ALIGN_LEFT, NULL);
	y += 4;
	/* The label of the line above it, kept inside the box. */
	lh = analysis_text(NULL, ctx, FONT_SMALL, ANALYSIS_C_INK, "Ág", 0, 0,
			   -1, PANGO_ALIGN_LEFT, NULL);
	ty = y + lh + 3;
	if (line) {
		double lx = x0 + w * sc->line->num / sc->line->den, lw;

		analysis_text(NULL, ctx, FONT_SMALL, ANALYSIS_C_INK,
			      sc->line_label, 0, 0, -1, PANGO_ALIGN_LEFT, &lw);
		analysis_text(
			cr, ctx, FONT_SMALL, ANALYSIS_C_INK, sc->line_label,
			fmin(fmax(lx - lw / 2, box->x), box->x + box->w - lw),
			y, -1, PANGO_ALIGN_LEFT, NULL);
	} else if (sc->line_label) {
		analysis_text(cr, ctx, FONT_SMALL, ANALYSIS_C_GREY,
			      sc->line_label, box->x, y, -1, PANGO_ALIGN_LEFT,
			      NULL);
	}
	/* the track, then the bar on it */
	cairo_rectangle(cr, x0, ty, w, track_h);
	analysis_set_colour(cr, ANALYSIS_C_TRACK);
	cairo_fill(cr);
	if (sc->whole && sc->part) {
		double f = fmin((double)sc->part / (double)sc->whole, 1);

		cairo_rectangle(cr, x0, ty, w * f, track_h);
		analysis_set_colour(cr, sc->colour);
		cairo_fill(cr);
	}
	if (sc->interval) {
		double a = x0 + w * fmax(sc->lo, 0),
		       b = x0 + w * fmin(sc->hi, 1);
		double m = ty + track_h / 2;

		cairo_set_line_width(cr, 1.3);
		analysis_set_colour(cr, ANALYSIS_C_INK);
		cairo_move_to(cr, a, m);
		cairo_line_to(cr, b, m);
		cairo_move_to(cr, a, m - 5);
		cairo_line_to(cr, a, m + 5);
		cairo_move_to(cr, b, m - 5);
		cairo_line_to(cr, b, m + 5);
		cairo_stroke(cr);
	}
	if (line) {
		double lx = x0 + w * sc->line->num / sc->line->den;

		cairo_rectangle(cr, lx - 1, ty - 3, 2, track_h + 6);
		analysis_set_colour(cr, ANALYSIS_C_INK);
		cairo_fill(cr);
	}
	/* ticks at 0, 25, 50, 75 and 100% */
	y = ty + track_h + 2;
	for (int i = 0; i <= 4; i++) {
		char tick[8];
		double tx = x0 + w * i / 4;

		snprintf(tick, sizeof(tick), "%d%%", i * 25);
		cairo_rectangle(cr, tx - 0.4, y, 0.8, 3);
		analysis_set_colour(cr, ANALYSIS_C_GREY);
		cairo_fill(cr);
		analysis_text(cr, ctx, FONT_SMALL, ANALYSIS_C_GREY, tick, tx,
			      y + 3, -1,
			      i == 0   ? PANGO_ALIGN_LEFT
			      : i == 4 ? PANGO_ALIGN_RIGHT
				       : PANGO_ALIGN_CENTER,
			      NULL);
	}
	y += 4 + lh + 4;
	if (sc->note)
		analysis_text(cr, ctx, FONT_NOTE, ANALYSIS_C_INK, sc->note,
			      box->x, y, box->w, PANGO_ALIGN_LEFT, NULL);
	g_object_unref(ctx);
}

void analysis_chart_response(cairo_t *cr, const struct analysis_box *box,
			     const struct agreement *a,
			     const struct analysis_cell *c,
			     enum survey_lang lang)
{
	const struct analysis_outcome *o = &c->outcome;
	struct strbuf title = STRBUF_INIT, label = STRBUF_INIT;
	struct strbuf note = STRBUF_INIT;
	struct scale sc = { 0 };

	strbuf_addstr(&title, NL_EN(lang, "Respons: ", "Response: "));
	analysis_format_percent_vs(o->responses, c->tally.households,
				   &a->min_response, lang, &title);
	strbuf_addstr(&label, NL_EN(lang, "nodig: ", "needed: "));
	analysis_format_needed(&a->min_response, lang, &label);
	strbuf_addf(&note,
		    NL_EN(lang, "%" PRIu64 " van de %" PRIu64 " huishoudens",
			  "%" PRIu64 " of %" PRIu64 " households"),
		    o->responses, c->tally.households);
	if (a->min_response.set)
		strbuf_addstr(&note, o->quorum_met
					     ? NL_EN(lang, ": gehaald", ": met")
					     : NL_EN(lang, ": niet gehaald",
						     ": not met"));
	sc.title = title.buf;
	sc.part = o->responses;
	sc.whole = c->tally.households;
	sc.colour = ANALYSIS_C_NAVY;
	sc.line = &a->min_response;
	sc.line_label = a->min_response.set
				? label.buf
				: NL_EN(lang, "geen eis voor de respons",
					"no required response");
	sc.note = note.buf;
	scale_chart(cr, box, &sc, lang);
	strbuf_release(&title);
	strbuf_release(&label);
	strbuf_release(&note);
}

void analysis_chart_favour(cairo_t *cr, const struct analysis_box *box,
			   const struct agreement *a,
			   const struct analysis_cell *c, enum survey_lang lang)
{
	const struct analysis_outcome *o = &c->outcome;
	struct strbuf title = STRBUF_INIT, label = STRBUF_INIT;
	struct strbuf note = STRBUF_INIT;
	struct scale sc = { 0 };

	strbuf_addstr(&title, NL_EN(lang, "Voor: ", "In favour: "));
	analysis_format_percent_vs(o->part, o->whole, &a->min_in_favour, lang,
				   &title);
	strbuf_addstr(&label, NL_EN(lang, "nodig: ", "needed: "));
	analysis_format_needed(&a->min_in_favour, lang, &label);
	analysis_format_share_basis(a, o, lang, &note);
	if (o->has_interval) {
		strbuf_addstr(&note, NL_EN(lang, "; met ", "; with "));
		analysis_format_confidence(a->confidence_permille, lang, &note);
		strbuf_addstr(&note, NL_EN(lang, " zekerheid tussen ",
					   " confidence between "));
		analysis_format_fraction(o->lo, lang, &note);
		strbuf_addstr(&note, NL_EN(lang, " en ", " and "));
		analysis_format_fraction(o->hi, lang, &note);
		strbuf_addstr(&note, NL_EN(lang, " (de zwarte streep)",
					   " (the black whisker)"));
	}
	sc.title = title.buf;
	sc.part = o->part;
	sc.whole = o->whole;
	sc.colour = ANALYSIS_C_FOR;
	sc.line = &a->min_in_favour;
	sc.line_label = label.buf;
	sc.interval = o->has_interval;
	sc.lo = o->lo;
	sc.hi = o->hi;
	sc.note = note.buf;
	scale_chart(cr, box, &sc, lang);
	strbuf_release(&title);
	strbuf_release(&label);
	strbuf_release(&note);
}

void analysis_chart_draw(cairo_t *cr, enum analysis_chart k,
			 const struct analysis_box *box,
			 const struct agreement *a,
			 const struct analysis_cell *c, enum survey_lang lang)
{
	switch (k) {
	case ANALYSIS_CHART_VOTES:
		analysis_chart_votes(cr, box, c, lang);
		break;
	case ANALYSIS_CHART_RESPONSE:
		analysis_chart_response(cr, box, a, c, lang);
		break;
	case ANALYSIS_CHART_FAVOUR:
		analysis_chart_favour(cr, box, a, c, lang);
		break;
	case ANALYSIS_CHART_CHANNELS:
	default: analysis_chart_channels(cr, box, c, lang); break;
	}
}

const char *analysis_chart_name(enum analysis_chart k)
{
	static const char *const names[ANALYSIS_NCHART] = { "stemmen",
							    "respons", "voor",
							    "kanalen" };

	return k < ANALYSIS_NCHART ? names[k] : "?";
}

void analysis_chart_size(enum analysis_chart k, double *w, double *h)
{
	*w = 300;
	switch (k) {
	case ANALYSIS_CHART_VOTES: *h = 150; break;
	case ANALYSIS_CHART_CHANNELS: *h = 100; break;
	case ANALYSIS_CHART_RESPONSE: *h = 96; break;
	case ANALYSIS_CHART_FAVOUR:
	default: *h = 110; break;
	}
}

/* ---- responses per day ----------------------------------------------- */

/* The channels' colours in the stacked columns, the key and the PDF. */
static const enum analysis_colour day_colours[ANALYSIS_NCHANNEL] = {
	ANALYSIS_C_NAVY,
	ANALYSIS_C_WARN,
	ANALYSIS_C_NEUTRAL,
};

void analysis_chart_days_size(double *w, double *h)
{
	*w = 460;
	*h = 190;
}

void analysis_chart_days(cairo_t *cr, const struct analysis_box *box,
			 const struct analysis *an, long b,
			 enum survey_lang lang)
{
	PangoContext *ctx = analysis_pango_context(lang);
	struct strbuf sb = STRBUF_INIT;
	double y, x, lh, scale_w, x0, top, bottom, col, bar;
	uint64_t max = 0, n[ANALYSIS_NCHANNEL];

	y = box->y + analysis_text(cr, ctx, FONT_TITLE, ANALYSIS_C_NAVY,
				   msg_get(lang, MSG_ANALYSIS_DAYS_TITLE),
				   box->x, box->y, box->w, PANGO_ALIGN_LEFT,
				   NULL);
	y += 4;
	lh = analysis_text(NULL, ctx, FONT_SMALL, ANALYSIS_C_INK, "Ág", 0, 0,
			   -1, PANGO_ALIGN_LEFT, NULL);
	for (size_t d = 0; d < an->nr_days; d++) {
		uint64_t sum = analysis_day_counts(an, d, b, n);

		if (sum > max)
			max = sum;
	}
	if (!max) {
		analysis_text(cr, ctx, FONT_NOTE, ANALYSIS_C_INK,
			      msg_get(lang, MSG_ANALYSIS_DAYS_NONE), box->x, y,
			      box->w, PANGO_ALIGN_LEFT, NULL);
		goto out;
	}
	/* the key: a square in the channel's colour and its name */
	x = box->x;
	for (int ch = 0; ch < ANALYSIS_NCHANNEL; ch++) {
		const char *word =
			analysis_channel_words((enum analysis_channel)ch, lang);
		double w;

		cairo_rectangle(cr, x, y + lh / 2 - 4, 8, 8);
		analysis_set_colour(cr, day_colours[ch]);
		cairo_fill(cr);
		analysis_text(cr, ctx, FONT_SMALL, ANALYSIS_C_INK, word, x + 11,
			      y, -1, PANGO_ALIGN_LEFT, &w);
		x += 11 + w + 12;
	}
	y += lh + 6;
	/* the scale: 0 and the highest day, on the left */
	strbuf_addf(&sb, "%" PRIu64, max);
	analysis_text(NULL, ctx, FONT_SMALL, ANALYSIS_C_GREY, sb.buf, 0, 0, -1,
		      PANGO_ALIGN_LEFT, &scale_w);
	x0 = box->x + scale_w + 4;
	top = y + lh / 2;
	bottom = box->y + box->h - lh - 4;
	analysis_text(cr, ctx, FONT_SMALL, ANALYSIS_C_GREY, sb.buf, x0 - 4,
		      top - lh / 2, -1, PANGO_ALIGN_RIGHT, NULL);
	analysis_text(cr, ctx, FONT_SMALL, ANALYSIS_C_GREY, "0", x0 - 4,
		      bottom - lh / 2, -1, PANGO_ALIGN_RIGHT, NULL);
	cairo_rectangle(cr, x0, top - 0.25, box->x + box->w - x0, 0.5);
	analysis_set_colour(cr, ANALYSIS_C_TRACK);
	cairo_fill(cr);
	/* a column per day, the channels stacked from the bottom */
	col = (box->x + box->w - x0) / (double)an->nr_days;
	bar = col > 3 ? col * 0.75 : col;
	for (size_t d = 0; d < an->nr_days; d++) {
		double cx = x0 + col * (double)d + (col - bar) / 2, cy = bottom;

		analysis_day_counts(an, d, b, n);
		for (int ch = 0; ch < ANALYSIS_NCHANNEL; ch++) {
			double hgt =
				(bottom - top) * (double)n[ch] / (double)max;

			if (!n[ch])
				continue;
			cairo_rectangle(cr, cx, cy - hgt, bar, hgt);
			analysis_set_colour(cr, day_colours[ch]);
			cairo_fill(cr);
			cy -= hgt;
		}
	}
	cairo_rectangle(cr, x0, bottom, box->x + box->w - x0, 1);
	analysis_set_colour(cr, ANALYSIS_C_GREY);
	cairo_fill(cr);
	/* the first and the last day under the columns */
	strbuf_reset(&sb);
	analysis_format_date(an->days[0].date, lang, &sb);
	analysis_text(cr, ctx, FONT_SMALL, ANALYSIS_C_GREY, sb.buf, x0,
		      bottom + 3, -1, PANGO_ALIGN_LEFT, NULL);
	if (an->nr_days > 1) {
		strbuf_reset(&sb);
		analysis_format_date(an->days[an->nr_days - 1].date, lang, &sb);
		analysis_text(cr, ctx, FONT_SMALL, ANALYSIS_C_GREY, sb.buf,
			      box->x + box->w, bottom + 3, -1,
			      PANGO_ALIGN_RIGHT, NULL);
	}
out:
	strbuf_release(&sb);
	g_object_unref(ctx);
}

void analysis_chart_days_describe(const struct analysis *an, long b,
				  enum survey_lang lang, struct strbuf *out)
{
	struct strbuf first = STRBUF_INIT, last = STRBUF_INIT,
		      busiest = STRBUF_INIT;
	uint64_t total = 0, max = 0, n[ANALYSIS_NCHANNEL];
	size_t top = 0, from = 0, to = 0;
	char num[24], most[24];

	for (size_t d = 0; d < an->nr_days; d++) {
		uint64_t sum = analysis_day_counts(an, d, b, n);

		if (sum && !total)
			from = d;
		if (sum)
			to = d;
		if (sum > max) {
			max = sum;
			top = d;
		}
		total += sum;
	}
	strbuf_addf(out, "%s: ", msg_get(lang, MSG_ANALYSIS_DAYS_TITLE));
	if (!total) {
		msg_put(out, lang, MSG_ANALYSIS_DAYS_NONE);
		goto out;
	}
	analysis_format_date(an->days[from].date, lang, &first);
	analysis_format_date(an->days[to].date, lang, &last);
	analysis_format_date(an->days[top].date, lang, &busiest);
	snprintf(num, sizeof(num), "%" PRIu64, total);
	snprintf(most, sizeof(most), "%" PRIu64, max);
	if (from == to)
		msg_add(out, lang, MSG_ANALYSIS_DAYS_SUMMARY_ONE_DAY, num,
			first.buf);
	else
		msg_add(out, lang, MSG_ANALYSIS_DAYS_SUMMARY, num, first.buf,
			last.buf, busiest.buf, most);
out:
	strbuf_release(&first);
	strbuf_release(&last);
	strbuf_release(&busiest);
}

/* ---- in words --------------------------------------------------------- */

/* "voor 40, tegen 21, ..." for the bar charts. */
static void describe_bars(const char *title, const char *const *labels,
			  const uint64_t *n, size_t nr, struct strbuf *out)
{
	strbuf_addf(out, "%s: ", title);
	for (size_t i = 0; i < nr; i++)
		strbuf_addf(out, "%s%s %" PRIu64, i ? ", " : "", labels[i],
			    n[i]);
	strbuf_addch(out, '.');
}

void analysis_chart_describe(enum analysis_chart k, const struct agreement *a,
			     const struct analysis_cell *c,
			     enum survey_lang lang, struct strbuf *out)
{
	const struct analysis_tally *t = &c->tally;
	const char *labels[ANALYSIS_NKIND];
	uint64_t n[ANALYSIS_NKIND] = { t->n_for, t->n_against, t->n_neutral,
				       t->n_blank, t->n_invalid };

	switch (k) {
	case ANALYSIS_CHART_VOTES:
		for (int i = 0; i < ANALYSIS_NKIND; i++)
			labels[i] = analysis_kind_words((enum analysis_kind)i,
							lang);
		describe_bars(NL_EN(lang, "Antwoorden", "Answers"), labels, n,
			      ANALYSIS_NKIND, out);
		break;
	case ANALYSIS_CHART_CHANNELS:
		for (int ch = 0; ch < ANALYSIS_NCHANNEL; ch++) {
			labels[ch] = analysis_channel_words(
				(enum analysis_channel)ch, lang);
			n[ch] = 0;
			for (int i = 0; i < ANALYSIS_NKIND; i++)
				n[ch] += c->count[ch][i];
		}
		describe_bars(NL_EN(lang, "Reacties per kanaal",
				    "Responses by channel"),
			      labels, n, ANALYSIS_NCHANNEL, out);
		break;
	case ANALYSIS_CHART_RESPONSE:
		analysis_format_response_reason(a, c, NULL, lang, out);
		strbuf_addch(out, '.');
		break;
	case ANALYSIS_CHART_FAVOUR:
	default:
		analysis_format_favour_reason(a, c, lang, out);
		strbuf_addch(out, '.');
		if (c->outcome.has_interval) {
			strbuf_addch(out, ' ');
			analysis_format_margin(a, &c->outcome, lang, out);
		}
		break;
	}
}

/* ---- files ----------------------------------------------------------- */

static cairo_status_t to_strbuf(void *closure, const unsigned char *data,
				unsigned int len)
{
	strbuf_add(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

/*
 * Give an SVG from cairo, whose text is glyph outlines, its words: a
 * <title> and a <desc> right after the <svg> tag, which screen readers
 * read out and search engines and tests can find.
 */
static void svg_add_words(struct strbuf *svg, size_t start, const char *title,
			  const char *desc)
{
	const char *tag = strstr(svg->buf + start, "<svg");
	const char *end = tag ? strchr(tag, '>') : NULL;
	struct strbuf rest = STRBUF_INIT;
	size_t at;

	if (!end)
		return;
	at = (size_t)(end - svg->buf) + 1;
	strbuf_add(&rest, svg->buf + at, svg->len - at);
	strbuf_setlen(svg, at);
	strbuf_addstr(svg, "\n<title>");
	strbuf_add_html(svg, title);
	strbuf_addstr(svg, "</title>\n<desc>");
	strbuf_add_html(svg, desc);
	strbuf_addstr(svg, "</desc>");
	strbuf_add(svg, rest.buf, rest.len);
	strbuf_release(&rest);
}

/* Write data to path through a temporary file in the same folder. */
static int write_whole(const char *path, const struct strbuf *data,
		       struct strbuf *err)
{
	struct strbuf tmp = STRBUF_INIT;
	int fd, errnum = 0, ret = -1;
	FILE *fp;

	strbuf_addf(&tmp, "%s.XXXXXX", path);
	fd = mkstemp(tmp.buf);
	if (fd < 0) {
		strbuf_addf(err, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	fchmod(fd, 0644);
	fp = fdopen(fd, "wb");
	if (!fp) {
		errnum = errno;
		close(fd);
	} else {
		if (fwrite(data->buf, 1, data->len, fp) != data->len)
			errnum = errno ? errno : EIO;
		if (fclose(fp) && !errnum)
			errnum = errno;
	}
	if (!errnum && rename(tmp.buf, path))
		errnum = errno;
	if (errnum) {
		strbuf_addf(err, "cannot write %s: %s", path, strerror(errnum));
		unlink(tmp.buf);
		goto out;
	}
	ret = 0;
out:
	strbuf_release(&tmp);
	return ret;
}

/* What to draw on a chart's surface: one cell's chart, or the days. */
struct chart_job {
	enum analysis_chart k; /* ANALYSIS_NCHART: the days */
	const struct agreement *a;
	const struct analysis_cell *c;
	const struct analysis *an;
	long b;
};

static int render_job(const struct chart_job *j, bool svg, const char *title,
		      enum survey_lang lang, struct strbuf *out,
		      struct strbuf *err)
{
	struct strbuf desc = STRBUF_INIT;
	struct analysis_box box;
	cairo_surface_t *surface;
	cairo_status_t status;
	cairo_t *cr;
	size_t start = out->len;
	double w, h;

	if (j->k == ANALYSIS_NCHART)
		analysis_chart_days_size(&w, &h);
	else
		analysis_chart_size(j->k, &w, &h);
	if (svg) {
		surface = cairo_svg_surface_create_for_stream(to_strbuf, out, w,
							      h);
		cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PT);
	} else {
		surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
						     (int)(w * PNG_SCALE),
						     (int)(h * PNG_SCALE));
	}
	cr = cairo_create(surface);
	if (!svg)
		cairo_scale(cr, PNG_SCALE, PNG_SCALE);
	analysis_set_colour(cr, ANALYSIS_C_WHITE);
	cairo_paint(cr);
	box = (struct analysis_box){ 8, 8, w - 16, h - 16 };
	if (j->k == ANALYSIS_NCHART)
		analysis_chart_days(cr, &box, j->an, j->b, lang);
	else
		analysis_chart_draw(cr, j->k, &box, j->a, j->c, lang);
	cairo_destroy(cr);
	if (svg)
		cairo_surface_finish(surface);
	else
		cairo_surface_write_to_png_stream(surface, to_strbuf, out);
	status = cairo_surface_status(surface);
	cairo_surface_destroy(surface);
	if (status != CAIRO_STATUS_SUCCESS) {
		strbuf_setlen(out, start);
		strbuf_addf(err, "cannot draw the chart: %s",
			    cairo_status_to_string(status));
		return -1;
	}
	if (svg) {
		if (j->k == ANALYSIS_NCHART)
			analysis_chart_days_describe(j->an, j->b, lang, &desc);
		else
			analysis_chart_describe(j->k, j->a, j->c, lang, &desc);
		svg_add_words(out, start, title, desc.buf);
		strbuf_release(&desc);
	}
	return 0;
}

int analysis_chart_render(enum analysis_chart k, bool svg, const char *title,
			  const struct agreement *a,
			  const struct analysis_cell *c, enum survey_lang lang,
			  struct strbuf *out, struct strbuf *err)
{
	const struct chart_job j = { k, a, c, NULL, -1 };

	return render_job(&j, svg, title, lang, out, err);
}

int analysis_chart_days_render(const struct analysis *an, long b, bool svg,
			       const char *title, enum survey_lang lang,
			       struct strbuf *out, struct strbuf *err)
{
	const struct chart_job j = { ANALYSIS_NCHART, NULL, NULL, an, b };

	return render_job(&j, svg, title, lang, out, err);
}

/*
 * Draw chart k into path as PNG or SVG: in memory first (a chart is a
 * few kB), then written whole, so a failure never leaves half a picture.
 */
static int write_chart(const char *path, bool svg, const char *title,
		       enum analysis_chart k, const struct agreement *a,
		       const struct analysis_cell *c, enum survey_lang lang,
		       struct strbuf *err)
{
	struct strbuf data = STRBUF_INIT;
	int ret = -1;

	if (analysis_chart_render(k, svg, title, a, c, lang, &data, err) < 0)
		strbuf_addf(err, " (%s)", path);
	else
		ret = write_whole(path, &data, err);
	strbuf_release(&data);
	return ret;
}

const char *analysis_chart_title(enum analysis_chart k, enum survey_lang lang)
{
	static const char *const titles[ANALYSIS_NCHART][SURVEY_NLANG] = {
		{ "Antwoorden", "Answers" },
		{ "Respons", "Response" },
		{ "Voor", "In favour" },
		{ "Reacties per kanaal", "Responses by channel" },
	};

	return titles[k][lang == SURVEY_EN];
}

/* An id made safe for a file name: letters, digits, - and _ only. */
static void add_file_safe(struct strbuf *out, const char *id)
{
	for (const char *p = id; *p; p++)
		strbuf_addch(out, (*p >= 'a' && *p <= 'z') ||
						  (*p >= 'A' && *p <= 'Z') ||
						  (*p >= '0' && *p <= '9') ||
						  *p == '-' || *p == '_'
					  ? *p
					  : '_');
}

/* The eight files of one cell: four charts, PNG and SVG. */
static int write_cell(const char *dir, const char *qid, const char *bid,
		      const char *bname, const struct agreement *a,
		      const struct analysis_cell *c, enum survey_lang lang,
		      size_t *nr, struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT, title = STRBUF_INIT;
	int ret = -1;

	for (int k = 0; k < ANALYSIS_NCHART; k++) {
		strbuf_reset(&title);
		strbuf_addf(&title, "%s, %s: %s", qid, bname,
			    analysis_chart_title((enum analysis_chart)k, lang));
		for (int svg = 0; svg < 2; svg++) {
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/", dir);
			add_file_safe(&path, qid);
			strbuf_addch(&path, '-');
			add_file_safe(&path, bid);
			strbuf_addf(&path, "-%s.%s",
				    analysis_chart_name((enum analysis_chart)k),
				    svg ? "svg" : "png");
			if (write_chart(path.buf, svg, title.buf,
					(enum analysis_chart)k, a, c, lang,
					err) < 0)
				goto out;
			(*nr)++;
		}
	}
	ret = 0;
out:
	strbuf_release(&path);
	strbuf_release(&title);
	return ret;
}

int analysis_charts_write(const struct analysis *an, const char *dir,
			  enum survey_lang lang, size_t *nr_files,
			  struct strbuf *err)
{
	const struct survey *s = an->s;
	size_t nr = 0;
	int ret = -1;

	if (mkdir(dir, 0777) && errno != EEXIST) {
		strbuf_addf(err, "cannot create the folder %s: %s", dir,
			    strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < an->nr_questions; i++) {
		const struct analysis_question *aq = &an->questions[i];

		for (size_t b = 0; b < s->nr_buurten; b++)
			if (write_cell(dir, aq->q->id, s->buurten[b].id,
				       s->buurten[b].name,
				       &s->buurten[b].agreement, &aq->cells[b],
				       lang, &nr, err) < 0)
				goto out;
		if (an->decision == AGREEMENT_POOLED &&
		    write_cell(dir, aq->q->id, "samen",
			       NL_EN(lang, "alle buurten samen",
				     "all buurten together"),
			       &s->agreement, &aq->total, lang, &nr, err) < 0)
			goto out;
	}
	for (int svg = 0; svg < 2; svg++) {
		struct strbuf path = STRBUF_INIT, data = STRBUF_INIT;
		int rc;

		strbuf_addf(&path, "%s/dagen.%s", dir, svg ? "svg" : "png");
		rc = analysis_chart_days_render(
			an, -1, svg, msg_get(lang, MSG_ANALYSIS_DAYS_TITLE),
			lang, &data, err);
		if (rc < 0)
			strbuf_addf(err, " (%s)", path.buf);
		else
			rc = write_whole(path.buf, &data, err);
		strbuf_release(&path);
		strbuf_release(&data);
		if (rc < 0)
			goto out;
		nr++;
	}
	ret = 0;
out:
	if (nr_files)
		*nr_files = nr;
	return ret;
}
