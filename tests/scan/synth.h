/*
 * synth.h - made-up scans for the scan tests: a form page drawn by
 * render/ on a cairo image surface as a scanner would see it (turned,
 * shifted, printed smaller, on grey paper, with noise), with marks drawn
 * in the boxes the test chooses.
 */
#ifndef DRAAGVLAK_TEST_SYNTH_H
#define DRAAGVLAK_TEST_SYNTH_H

#include <stdbool.h>

#include "form.h"
#include "image.h"

enum synth_mark {
	SYNTH_NONE,
	SYNTH_TICK,	/* a check mark */
	SYNTH_CROSS,	/* an X */
	SYNTH_FILLED,	/* the box blacked out */
	SYNTH_FAINT,	/* a tick in light pencil */
	SYNTH_DOT,	/* a small dot */
	SYNTH_SCRIBBLE, /* a line of handwriting */
};

struct synth_box_mark {
	const char *question;
	const char *value; /* box value; for SYNTH_SCRIBBLE unused */
	enum synth_mark mark;
};

struct synth_opts {
	double dpi;
	double angle;	  /* degrees clockwise, after upside_down */
	bool upside_down; /* turned 180 degrees */
	bool landscape;	  /* turned 90 degrees, on a landscape image */
	double scale;	  /* 1 = 100% */
	double dx, dy;	  /* shift, mm */
	double paper;	  /* grey of the paper, 0..1 (1 = white) */
	double noise;	  /* standard deviation of noise, grey levels */
	bool threshold;	  /* black and white, as a fax */
	unsigned seed;
};

/*
 * Draw page (0-based) of f for h with the given marks into img (8-bit
 * grey).  Returns 0, or fails the test.
 */
/* The page (from 0) of layout l that holds question's boxes, or 0. */
size_t synth_page_of(const struct render_layout *l, const char *question);

void synth_page(struct render_form *f, const struct render_layout *l,
		size_t page, const struct render_household *h,
		const struct synth_box_mark *marks, size_t nr_marks,
		const struct synth_opts *o, struct scan_image *img);

#endif
