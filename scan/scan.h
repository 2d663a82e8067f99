/*
 * scan.h - reading a scanned form page: which household, page and layout
 * it is, and what was ticked and written on it; careful enough that a
 * wrong reading never passes silently.
 *
 * scan_page_read() takes one page image (image.h) and
 *
 *   1. reads the QR code (qrcode.h): household code, page, layout id;
 *      the layout comes from the caller's lookup, which knows every
 *      layout of the survey (one per buurt and language, made with
 *      render_layout_new());
 *   2. finds the four corner marks and fits the transform from layout mm
 *      to image pixels (register.h);
 *   3. measures every answer box and lined area (marks.h) and classifies
 *      each box empty, ticked or uncertain;
 *   4. decides per question: clear (the answer is certain) or review (a
 *      person must look, with the reason).
 *
 * A page is refused (-1, with a sentence and a scan_refusal) when it
 * cannot be read as a whole: no readable QR code, a QR code that is no
 * form page's, a layout the lookup does not know, two corner marks
 * missing, or marks that do not fit one flat page.  A refused page is
 * never partly read: the caller sets it aside for a person.
 *
 * The decision per question:
 *   - single choice (proposition, yes/no, choice, scale, number as a row
 *     of boxes): clear when one box is ticked and every other box is
 *     clearly empty, or when every box is clearly empty (no answer);
 *   - multi: clear when every box is clearly ticked or clearly empty and
 *     no more are ticked than max_choices;
 *   - anything else is review: an uncertain box (faint, a dot, filled in,
 *     border not found), two ticks where one is asked;
 *   - a number written in digit boxes is always review: there is no
 *     handwriting recognition here;
 *   - free text: clear when the area is empty (no answer), review when
 *     something is written (a person types it from the cut-out) or when
 *     it is unclear whether anything is.
 * Every box keeps its measurements (scan_box_measure), which go into the
 * store with the reading so that a person can see why.
 *
 * Ownership: a scan_page owns its arrays, strings and reasons; it borrows
 * the layout (and through it the survey): question ids, box values and
 * the values of answers point into the layout, which must outlive it.
 *
 * Thread-safety: scan_page_read() keeps no state between calls; threads
 * may read different pages at once, as long as the lookup function is
 * safe to call from several threads (scan_layouts is, once filled).
 */
#ifndef DRAAGVLAK_SCAN_H
#define DRAAGVLAK_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "image.h"
#include "layout.h"
#include "marks.h"
#include "register.h"
#include "strbuf.h"
#include "survey.h"
#include "token.h"

/*
 * The layout with id (six upper-case hex digits), or NULL when the
 * survey has no such layout.
 */
typedef const struct render_layout *(*scan_layout_lookup_fn)(void *ctx,
							     const char *id);

/* A set of layouts, borrowed, with a lookup for scan_page_read(). */
struct scan_layouts {
	const struct render_layout **v;
	size_t nr, alloc;
};

#define SCAN_LAYOUTS_INIT                                                      \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

/* Add l (which must outlive the set); a second layout with an id
 * already present is the same geometry and is skipped. */
void scan_layouts_add(struct scan_layouts *set, const struct render_layout *l);
/* A scan_layout_lookup_fn: ctx is the struct scan_layouts. */
const struct render_layout *scan_layouts_lookup(void *ctx, const char *id);
/* Free the array (not the layouts).  NULL is fine. */
void scan_layouts_release(struct scan_layouts *set);

/* Why a page was refused. */
enum scan_refusal {
	SCAN_READ = 0,		     /* not refused */
	SCAN_REFUSED_NO_QR,	     /* no readable QR code */
	SCAN_REFUSED_NOT_A_FORM,     /* a QR code that is no form page's */
	SCAN_REFUSED_UNKNOWN_LAYOUT, /* a layout the lookup does not know */
	SCAN_REFUSED_OTHER_SURVEY,   /* the URL is another server's */
	SCAN_REFUSED_NO_SUCH_PAGE,   /* a page number the layout lacks */
	SCAN_REFUSED_MARKS,	     /* corner marks missing or not fitting */
	SCAN_REFUSED_BOXES, /* the boxes are not where they should be */
};

/* "no-qr", "not-a-form", "unknown-layout", ... (for logs and the store). */
const char *scan_refusal_name(enum scan_refusal r);

/* A rectangle in image pixels. */
struct scan_px_rect {
	int x, y, w, h;
};

struct scan_box {
	const char *question;	   /* borrowed from the layout */
	enum render_box_kind kind; /* option, value, digit, sign */
	const char *value;	   /* borrowed: see render_box_kind */
	struct render_rect r;	   /* layout mm */
	struct scan_box_measure m; /* what was measured */
	enum scan_box_state state; /* what that means */
	enum scan_doubt doubt;	   /* uncertain: what a person looks at */
};

struct scan_text {
	const char *question;	    /* borrowed from the layout */
	struct render_rect r;	    /* layout mm */
	struct scan_px_rect px;	    /* where it is in the image */
	struct scan_text_measure m; /* what was measured */
	enum scan_text_state state;
};

enum scan_status {
	SCAN_CLEAR,  /* the answer (or no answer) is certain */
	SCAN_REVIEW, /* a person must look */
};

struct scan_question {
	const char *id;			 /* borrowed from the layout */
	const struct survey_question *q; /* borrowed from the survey */
	enum scan_status status;
	/*
	 * Clear: the values read, borrowed from the layout (an option id,
	 * or a number in decimal); none means no answer.  Review: none.
	 */
	const char **values;
	size_t nr_values;
	char *reason; /* review: why, as codes (reason.h); clear: NULL */
	/* Its boxes are boxes[box0 .. box0 + nr_boxes). */
	size_t box0, nr_boxes;
	int text;	      /* its lined area in texts[], or -1 */
	struct render_rect r; /* mm: all of it (text, boxes, labels) */
};

struct scan_page {
	enum scan_refusal refusal;
	char *qr_text;		      /* what the QR code said */
	int qr_tries;		      /* zbar passes it took (1: at once) */
	char code[SURVEY_TOKEN_SIZE]; /* household code, canonical */
	unsigned page;		      /* 1-based */
	char layout_id[RENDER_LAYOUT_ID_SIZE];
	/*
	 * Borrowed, from the lookup.  Layouts of different buurten (or
	 * languages) with the same boxes share an id, so its buurt need
	 * not be the household's: that comes from the code.
	 */
	const struct render_layout *layout;
	double dpi;		      /* the image's (scan_image_dpi()) */
	struct scan_registration reg; /* transform, marks, residual */
	int orientation;	      /* 0, 90, 180, 270: turned clockwise */
	double skew;		      /* degrees beyond that */
	double scale; /* printed size over layout size at dpi (1 = 100%) */

	struct scan_box *boxes;
	size_t nr_boxes;
	struct scan_text *texts;
	size_t nr_texts;
	struct scan_question *questions; /* in the order of the page */
	size_t nr_questions;
	size_t nr_review; /* questions with status review */
	/*
	 * The page is the blank back page of a double-sided set (render
	 * --duplex): its QR code says page nr_pages + 1 of a layout of an
	 * odd number of pages.  Nothing else is read; callers skip it.
	 */
	bool blank_back;
};

/* An empty page result (also what scan_page_release() leaves). */
void scan_page_init(struct scan_page *p);

/*
 * Read the page in img.  out is overwritten (it need not be
 * initialised) and must be released with scan_page_release() whatever
 * the result.  Returns 0 when the page was read (questions may still be
 * review), 1 when it is a blank back page (out->blank_back: skip it; the
 * code, page and layout id are set), or -1 when it was refused: out->refusal says why, err has a
 * sentence for a person, and out holds what was learnt before the
 * refusal (the QR text, code, page and layout id when they were read).
 */
int scan_page_read(const struct scan_image *img, scan_layout_lookup_fn lookup,
		   void *ctx, struct scan_page *out, struct strbuf *err);

/* Free what p owns; p is empty after.  NULL is fine. */
void scan_page_release(struct scan_page *p);

/* The question id on the page, or NULL. */
const struct scan_question *scan_page_question(const struct scan_page *p,
					       const char *id);

/* Append q's values joined by '+' (nothing for no answer). */
void scan_question_answer(const struct scan_question *q, struct strbuf *out);

/* The image pixels that layout rectangle mm covers on page p, clipped
 * to the image. */
void scan_page_px_rect(const struct scan_page *p, const struct scan_image *img,
		       const struct render_rect *mm, struct scan_px_rect *out);

/*
 * Cut out layout rectangle mm, with margin mm round it, from img (the
 * image p was read from), turned upright and at the scan's resolution,
 * and append it to png as a grey PNG file: for a person to check a
 * question in doubt (q->r) or type a text (texts[i].r).  Returns 0, or
 * -1 with a sentence in err when p was refused or the rectangle lies
 * off the page.
 */
int scan_page_crop_png(const struct scan_page *p, const struct scan_image *img,
		       const struct render_rect *mm, double margin,
		       struct strbuf *png, struct strbuf *err);

/*
 * Append the reading as one JSON object: page, code, layout,
 * orientation, transform, residual, and every box, text area and
 * question with its measurements, state and reason.  For the store and
 * for looking into a reading.
 */
void scan_page_json(const struct scan_page *p, struct strbuf *out);

#endif
