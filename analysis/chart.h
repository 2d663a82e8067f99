/*
 * chart.h - the charts of the draagvlak report, drawn with cairo.
 *
 * One function per chart, each drawing into any cairo_t inside a box in
 * points (1/72 inch) of the cairo_t's user space, so that the same code
 * draws the charts on the pages of the PDF report (report_pdf.h) and into
 * the PNG and SVG files of analysis_charts_write().  Text is laid out
 * with pango at 72 dpi with unhinted metrics, so a chart measures the
 * same on every surface.  The look is that of the printed forms (render/):
 * Liberation Sans, navy headings, tinted panels.
 *
 * The charts only read the analysis and draw nothing outside their box;
 * they leave the background to the caller (the page or the file) and
 * cannot fail: a cairo error sticks to the cairo_t and is reported when
 * its surface is finished.
 *
 * Also here, because the report pages are drawn with them: the colours,
 * a text helper and the pango context in points.
 */
#ifndef DRAAGVLAK_CHART_H
#define DRAAGVLAK_CHART_H

#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "analysis.h"
#include "lang.h"
#include "strbuf.h"

/* A rectangle in points, from the top-left corner. */
struct analysis_box {
	double x, y, w, h;
};

enum analysis_chart {
	ANALYSIS_CHART_VOTES,	 /* the answers: for, against, neutral, ... */
	ANALYSIS_CHART_RESPONSE, /* the response rate and the quorum line */
	ANALYSIS_CHART_FAVOUR,	 /* the share in favour, threshold, interval */
	ANALYSIS_CHART_CHANNELS, /* responses online, on paper, scanned */
	ANALYSIS_NCHART
};

/* "stemmen", "respons", "voor", "kanalen": the end of the file names. */
const char *analysis_chart_name(enum analysis_chart k);
/* "Antwoorden", "Respons", ...: the chart's title for people. */
const char *analysis_chart_title(enum analysis_chart k, enum survey_lang lang);
/* The size chart k has in the PNG and SVG files, in points. */
void analysis_chart_size(enum analysis_chart k, double *w, double *h);

/*
 * The charts of one proposition in one buurt (or in the buurten
 * together): c its counts and outcome, a the agreement it was judged by.
 * A box of about the size analysis_chart_size() gives reads best; the
 * bars stretch to any width.
 */
void analysis_chart_votes(cairo_t *cr, const struct analysis_box *box,
			  const struct analysis_cell *c, enum survey_lang lang);
void analysis_chart_response(cairo_t *cr, const struct analysis_box *box,
			     const struct agreement *a,
			     const struct analysis_cell *c,
			     enum survey_lang lang);
void analysis_chart_favour(cairo_t *cr, const struct analysis_box *box,
			   const struct agreement *a,
			   const struct analysis_cell *c,
			   enum survey_lang lang);
void analysis_chart_channels(cairo_t *cr, const struct analysis_box *box,
			     const struct analysis_cell *c,
			     enum survey_lang lang);
/* The chart of kind k: one of the four above. */
void analysis_chart_draw(cairo_t *cr, enum analysis_chart k,
			 const struct analysis_box *box,
			 const struct agreement *a,
			 const struct analysis_cell *c, enum survey_lang lang);

/*
 * Chart k in one or two sentences, for people who cannot see it: the
 * title and the numbers ("Antwoorden: voor 40, tegen 21, ...").  The SVG
 * files carry it as their <desc>.
 */
void analysis_chart_describe(enum analysis_chart k, const struct agreement *a,
			     const struct analysis_cell *c,
			     enum survey_lang lang, struct strbuf *out);

/*
 * Write every chart of every proposition and buurt, and of the buurten
 * together when they are pooled, into dir (created when missing, not its
 * parents) as PNG (at 144 dpi, on white) and SVG:
 *
 *     DIR/<question>-<buurt id>-stemmen.png   DIR/...-stemmen.svg
 *     DIR/<question>-<buurt id>-respons.png   ...
 *     DIR/<question>-samen-voor.png           (pooled only)
 *     DIR/dagen.png   DIR/dagen.svg           (responses per day)
 *
 * Each file goes through a temporary file renamed when complete.  An SVG
 * has the chart in words (analysis_chart_describe()) as its <title> and
 * <desc>, since cairo draws its text as outlines.
 * Returns 0 and the number of files written in *nr_files (may be NULL),
 * or -1 with a sentence in err; files completed before a failure stay.
 */
int analysis_charts_write(const struct analysis *an, const char *dir,
			  enum survey_lang lang, size_t *nr_files,
			  struct strbuf *err);

/*
 * Draw chart k of cell c alone, on white, at the size of
 * analysis_chart_size(), and append it to out: SVG (with title and the
 * chart in words as its <title> and <desc>) or PNG (at 144 dpi).  Returns
 * 0, or -1 with a sentence in err and out as it was.
 */
int analysis_chart_render(enum analysis_chart k, bool svg, const char *title,
			  const struct agreement *a,
			  const struct analysis_cell *c, enum survey_lang lang,
			  struct strbuf *out, struct strbuf *err);

/* ---- responses per day ----------------------------------------------- */

/*
 * The responses per day (struct analysis's days) of buurt b, or of all
 * buurten when b < 0: a column per day, stacked by channel, with a key,
 * the highest count on the scale and the first and last day under it.
 * With no responses it says so.  Its title is the catalogue's
 * "Reacties per dag".
 */
void analysis_chart_days(cairo_t *cr, const struct analysis_box *box,
			 const struct analysis *an, long b,
			 enum survey_lang lang);
/* The size the days chart has in its files and on /bestuur, in points. */
void analysis_chart_days_size(double *w, double *h);
/*
 * The days chart in a few sentences (how many responses, from when to
 * when, the busiest day): the alt text and the SVG's <desc>.  The days
 * one by one are for a table beside it (analysis_report() lists them).
 */
void analysis_chart_days_describe(const struct analysis *an, long b,
				  enum survey_lang lang, struct strbuf *out);
/* As analysis_chart_render(), for the days chart of buurt b (< 0: all). */
int analysis_chart_days_render(const struct analysis *an, long b, bool svg,
			       const char *title, enum survey_lang lang,
			       struct strbuf *out, struct strbuf *err);

/* ---- the drawing kit shared with report_pdf.c ------------------------ */

enum analysis_colour {
	ANALYSIS_C_NAVY,  /* headings, as on the forms */
	ANALYSIS_C_INK,	  /* body text */
	ANALYSIS_C_GREY,  /* secondary text, axes */
	ANALYSIS_C_TINT,  /* panels */
	ANALYSIS_C_TRACK, /* the empty part of a bar */
	ANALYSIS_C_WHITE,
	ANALYSIS_C_FOR, /* and the answers in their order */
	ANALYSIS_C_AGAINST,
	ANALYSIS_C_NEUTRAL,
	ANALYSIS_C_BLANK,
	ANALYSIS_C_INVALID,
	ANALYSIS_C_WARN, /* low response, too close to call */
	ANALYSIS_NCOLOUR
};

void analysis_set_colour(cairo_t *cr, enum analysis_colour c);
/* Green, red or amber: the colour a verdict is printed in. */
enum analysis_colour analysis_verdict_colour(enum analysis_verdict v);

/*
 * A pango context for drawing in points on any surface (72 dpi, no
 * hinting, the language for hyphenation).  Free with g_object_unref().
 */
PangoContext *analysis_pango_context(enum survey_lang lang);

/*
 * Lay out text in font (a pango font description such as "Liberation
 * Sans Bold 11") and, when cr is not NULL, draw it in colour.  With
 * width > 0 the text wraps within x .. x + width and is aligned by align;
 * otherwise it is one line with x its left edge, centre or right edge by
 * align.  Returns the height in points; *w (may be NULL) gets the width.
 */
double analysis_text(cairo_t *cr, PangoContext *ctx, const char *font,
		     enum analysis_colour colour, const char *text, double x,
		     double y, double width, PangoAlignment align, double *w);

/* A rectangle with rounded corners as a new sub-path. */
void analysis_rounded(cairo_t *cr, const struct analysis_box *b, double r);

#endif
