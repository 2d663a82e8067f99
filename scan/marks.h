/*
 * marks.h - how much ink is in an answer box or a lined area, and what
 * that means.
 *
 * Everything is measured in layout millimetres through the page's
 * transform (register.h), on a grid of SCAN_GRID_MM, so that the same
 * thresholds hold at 150 and at 600 dpi, and on a page scanned upside
 * down.  A grey level g becomes a darkness
 *
 *     d = (paper - g) / (paper - ink),   clamped to 0..1,
 *
 * where paper is the paper's own level measured round the box (grey or
 * yellowed paper, a scanner that is darker at one side) and ink that of
 * the printed corner marks: 0 is blank paper, 1 is as black as print.
 *
 * A box is measured inside its printed border, found again locally first
 * (a box may be a few tenths of a mm from where the page transform puts
 * it when the scanner stretched the paper unevenly), keeping clear of the
 * border by SCAN_GUARD_MM.  The measurements are kept with the reading
 * (they go into the store), so a person can see why a box was read as it
 * was.  The classification is deliberately three-way: between what is
 * clearly empty and what is clearly a tick lies a band of uncertain
 * boxes that a person looks at.
 */
#ifndef DRAAGVLAK_SCAN_MARKS_H
#define DRAAGVLAK_SCAN_MARKS_H

#include "image.h"
#include "layout.h"
#include "register.h"

#define SCAN_GRID_MM  0.1  /* sampling pitch inside boxes */
#define SCAN_GUARD_MM 0.3  /* kept clear of the printed border */
#define SCAN_BORDER   0.35 /* printed border of a box (render/form.c) */

/* An image with its registration: what every measurement needs. */
struct scan_sampler {
	const struct scan_image *img;
	struct scan_transform t; /* layout mm to image pixels */
	double ink;		 /* grey level of print */
	double paper;		 /* grey level of paper near the marks */
};

/* Grey level at layout point (x, y) mm, bilinear; off the image: white. */
double scan_sample(const struct scan_sampler *s, double x, double y);

/* What was measured in one box. */
struct scan_box_measure {
	double ink;	/* share of the inside in clear ink (d >= 0.45) */
	double faint;	/* share with any ink at all (d >= 0.18) */
	double darkest; /* darkest 0.3 mm spot: its mean darkness, 0..1 */
	double spread;	/* the clear ink's extent across the inside, 0..1 */
	double mean;	/* mean darkness of the inside */
	double strokes; /* strokes a line across the ink meets (90th pct.) */
	double solid;	/* share of rows or columns three quarters inked */
	double paper;	/* grey level of the paper round the box */
	double dx, dy;	/* mm the printed border was found off its place */
	double frame;	/* darkness of that border, 0..1; < 0.25: not seen */
	/*
	 * The clear ink's shape, from its skeleton (the ink thinned to
	 * lines one sample wide): a tick is one stroke of 4 to 8 mm with
	 * two ends, a cross two crossing strokes; a box crossed out holds
	 * much more line for its ink, many ends or branches.
	 */
	double length;	 /* mm of skeleton */
	double width;	 /* mm: the strokes' width, ink area over length */
	double ends;	 /* skeleton ends */
	double branches; /* skeleton points where three or more lines meet */
	double turns;	 /* sharp turns along the skeleton (zigzags) */
	/* How far from the middle the farthest place where lines meet is,
	 * as a share of the box (0 middle, 0.5 edge): a cross's strokes
	 * meet near the middle, a tick struck through anywhere. */
	double crossing;
	/*
	 * Ink just outside the box, within SCAN_BESIDE_MM of it, where the
	 * layout prints nothing (labels, numbers and other boxes masked
	 * out) and nearer to this box than to any other: a circle drawn
	 * round it, a tick beside it, lines struck through it and past.
	 * Measured by scan_measure_beside(); 0 until then.
	 */
	double area;	   /* mm^2 of the inside measured */
	double beside;	   /* mm^2 of clear ink there */
	double beside_far; /* mm^2 of it more than 1 mm from the box */
	double beside_any; /* mm^2 of any ink there (darkness 0.3 or more) */
	int beside_sides;  /* sides (of 4) with ink more than 1 mm out */
};

#define SCAN_BESIDE_MM 3.0

/* Measure the box at r (layout mm). */
void scan_measure_box(const struct scan_sampler *s, const struct render_rect *r,
		      struct scan_box_measure *m);

/*
 * Measure the ink beside box item of page p (after scan_measure_box()
 * filled m, whose dx, dy and paper it uses): where the page prints
 * nothing within SCAN_BESIDE_MM of the box, and nearer to it than to
 * any other box.
 */
void scan_measure_beside(const struct scan_sampler *s,
			 const struct render_page *p, size_t item,
			 struct scan_box_measure *m);

enum scan_box_state {
	SCAN_BOX_EMPTY,	    /* clearly nothing in it */
	SCAN_BOX_TICKED,    /* clearly a tick or a cross */
	SCAN_BOX_UNCERTAIN, /* anything else: a person looks */
};

/* "empty", "ticked", "uncertain". */
const char *scan_box_state_name(enum scan_box_state st);

/*
 * What made a box uncertain: what a person is asked to look at.  Codes,
 * not sentences, so that the store keeps them and every page says them
 * in its own language (reason.h).
 */
enum scan_doubt {
	SCAN_DOUBT_NONE,       /* the box is not uncertain */
	SCAN_DOUBT_BORDER,     /* its printed border is not where expected */
	SCAN_DOUBT_DARK,       /* too dark to read: a shadow or a fold */
	SCAN_DOUBT_FILLED,     /* filled in: an answer taken back? */
	SCAN_DOUBT_SCRIBBLED,  /* scribbled over: crossed out? */
	SCAN_DOUBT_FAINT,      /* a faint mark */
	SCAN_DOUBT_DOT,	       /* a small mark or a dot */
	SCAN_DOUBT_LITTLE_INK, /* a stroke with very little ink */
	SCAN_DOUBT_BESIDE,     /* ink beside the box: circled, or missed? */
	SCAN_DOUBT_STRUCK,     /* lines through the box and past: struck? */
	SCAN_NDOUBT
};

/* "border", "dark", ...; "" for SCAN_DOUBT_NONE (the store's codes). */
const char *scan_doubt_name(enum scan_doubt d);
/* The doubt called name; 0 on success, -1 when there is none. */
int scan_doubt_parse(const char *name, size_t len, enum scan_doubt *d);

/*
 * The state of a box measured as m, and in *doubt what made an uncertain
 * box uncertain (SCAN_DOUBT_NONE for the other two states).
 */
enum scan_box_state scan_classify_box(const struct scan_box_measure *m,
				      enum scan_doubt *doubt);

/* What was measured in a lined area for free text. */
struct scan_text_measure {
	double ink_mm2; /* mm^2 of clear ink off the ruled lines */
	double darkest; /* darkest 0.75 mm spot off the lines, 0..1 */
	double paper;	/* grey level of its paper */
};

/* Measure the lined area it (a RENDER_ITEM_LINES). */
void scan_measure_text(const struct scan_sampler *s,
		       const struct render_item *it,
		       struct scan_text_measure *m);

enum scan_text_state {
	SCAN_TEXT_EMPTY,     /* nothing written */
	SCAN_TEXT_WRITTEN,   /* clearly written in */
	SCAN_TEXT_UNCERTAIN, /* a few specks, or very faint */
};

const char *scan_text_state_name(enum scan_text_state st);
enum scan_text_state scan_classify_text(const struct scan_text_measure *m);

#endif
