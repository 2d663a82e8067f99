/*
 * layout.h - the geometry of a printed form: the one source of truth.
 *
 * render_layout_new() computes, for one survey, buurt and language, every
 * page of the form in millimetres from the top-left corner of an A4
 * sheet: corner marks, the QR zone, each text block (laid out once with
 * pango, which also measures it), each answer box and each lined area
 * for free text, with questions never split over a page break.  The PDF
 * is drawn from this structure (form.h) and the layout file written from
 * it (render_layout_write_json()), so the two cannot disagree.
 *
 * Nothing in a layout depends on the household: the address, the code
 * and the QR contents go into fixed slots.  The layout id is a hash of
 * the machine-read geometry (marks, QR zone, boxes, lined areas), so it
 * is the same for every form with the same boxes, and a scan of an older
 * layout is never matched to a newer one.
 *
 * Page design (A4, mm):
 *   - corner marks: L shapes 10 mm a side, 1 mm thick, their outer corners
 *     10 mm from the paper edges (inside any printer's margin);
 *   - QR zone: top right, right edge at 188, top at 12;
 *   - text and boxes between x 22 and 188 and y 12 and 272; footer line
 *     at y 279, between the lower corner marks;
 *   - page 1 only: the address in the window of a Dutch window envelope
 *     for A4 folded in three (venster links, window 90 x 35 mm at 22 mm
 *     from the left and 50 mm from the top of the sheet, as on the common
 *     EA5/6 "venster links" envelopes); the address is printed 4 mm inside
 *     that window so a letter that shifts a little still shows all of it.
 *     The code panel sits right of the window, hidden by the envelope.
 *
 * Answer boxes: 5 mm clear squares for every choice-like question; a
 * scale is a row of boxes with the numbers above and the end labels
 * below; a number question with at most 16 possible values (0-15) is a
 * row of such boxes too (ticking is easier to do and to read than
 * writing), and a larger range is a row of 7 x 9 mm digit boxes, one per
 * digit of max, with a sign box when min is negative; free text is a
 * lined area of 3 to 8 lines 8.5 mm apart, depending on max_length.
 *
 * Ownership: a layout owns its pages, items, strings and pango objects.
 * It borrows the survey (s, and the question ids in items), which must
 * outlive it.
 */
#ifndef DRAAGVLAK_RENDER_LAYOUT_H
#define DRAAGVLAK_RENDER_LAYOUT_H

#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "qr.h"
#include "strbuf.h"
#include "survey.h"

#define RENDER_PAGE_W	      210.0 /* A4, mm */
#define RENDER_PAGE_H	      297.0
#define RENDER_MARGIN	      10.0 /* printable margin: nothing outside it */
#define RENDER_LEFT	      22.0 /* text column */
#define RENDER_RIGHT	      188.0
#define RENDER_TOP	      12.0
#define RENDER_BOTTOM	      272.0
#define RENDER_BOX	      5.0 /* answer box side */
#define RENDER_MARK_LEN	      10.0
#define RENDER_MARK_WIDTH     1.0
#define RENDER_MAX_PAGES      9 /* one digit in the QR URL */
#define RENDER_LAYOUT_ID_SIZE 7 /* six hex digits and a NUL */

/* Window of the envelope and the area the address is printed in. */
#define RENDER_WINDOW_X 22.0
#define RENDER_WINDOW_Y 50.0
#define RENDER_WINDOW_W 90.0
#define RENDER_WINDOW_H 35.0

struct render_rect {
	double x, y, w, h;
};

/* Whether a and b share area (touching edges do not count). */
bool render_rect_overlap(const struct render_rect *a,
			 const struct render_rect *b);
/* Whether inner lies within outer (with eps mm of slack). */
bool render_rect_inside(const struct render_rect *inner,
			const struct render_rect *outer, double eps);

/* The text styles of a form; the table is in layout.c. */
enum render_style {
	RENDER_ST_ORG,	      /* platform name in the header */
	RENDER_ST_CONTACT,    /* contact line under it */
	RENDER_ST_TITLE,      /* survey title on page 1 */
	RENDER_ST_RUNNING,    /* survey title in the header of later pages */
	RENDER_ST_DEADLINE,   /* closing date under the title */
	RENDER_ST_BODY,	      /* intro */
	RENDER_ST_PANEL_HEAD, /* heading in a panel */
	RENDER_ST_PANEL,      /* text in a panel */
	RENDER_ST_QNUM,	      /* question number in its badge */
	RENDER_ST_QTEXT,      /* question */
	RENDER_ST_HELP,	      /* explanation under a question */
	RENDER_ST_INSTR,      /* "Kruis één vakje aan." */
	RENDER_ST_OPTION,     /* text beside a box */
	RENDER_ST_SCALE,      /* numbers above scale boxes */
	RENDER_ST_END_LABEL,  /* scale end labels */
	RENDER_ST_CODE_LABEL, /* "Uw persoonlijke code" */
	RENDER_ST_CODE,	      /* K7QM-2XHD-9FAB (slot) */
	RENDER_ST_ADDRESS,    /* the address (slot) */
	RENDER_ST_FORM_NO,    /* "Formulier 12" (slot) */
	RENDER_ST_FOOTER,     /* page number, layout id, code (slot) */
	RENDER_ST_NR
};

struct render_style_def {
	const char *font;    /* pango font description */
	double r, g, b;	     /* colour */
	double line_spacing; /* factor, 0 = the font's */
	PangoAlignment align;
};

const struct render_style_def *render_style_get(enum render_style st);

/* Household-specific texts drawn into fixed slots (form.c). */
enum render_slot {
	RENDER_SLOT_ADDRESS,	 /* address, or form number and buurt */
	RENDER_SLOT_CODE,	 /* the code in the code panel */
	RENDER_SLOT_FOOTER_CODE, /* the code in the footer */
};

enum render_item_kind {
	RENDER_ITEM_TEXT,  /* static text, laid out once */
	RENDER_ITEM_BOX,   /* answer box: a clear square (or digit box) */
	RENDER_ITEM_LINES, /* lined area for free text */
	RENDER_ITEM_PANEL, /* tinted rounded panel behind texts */
	RENDER_ITEM_BADGE, /* filled disc behind a question number */
	RENDER_ITEM_RULE,  /* thin horizontal line (r.h is its thickness) */
	RENDER_ITEM_MARK,  /* corner mark; r is its bounding box */
	RENDER_ITEM_SLOT,  /* household-specific text, drawn per form */
};

/* What a box stands for, for the scanner. */
enum render_box_kind {
	RENDER_BOX_OPTION, /* value is an option id */
	RENDER_BOX_VALUE,  /* value is a number (scale, number) */
	RENDER_BOX_DIGIT,  /* value is the digit position, 1 = leftmost */
	RENDER_BOX_SIGN,   /* the minus sign of a number */
};

struct render_item {
	enum render_item_kind kind;
	struct render_rect r;
	enum render_style style; /* text, slot */
	char *text;		 /* text: what it says */
	PangoLayout *pl;	 /* text: laid out, drawn as is */
	const char *question;	 /* box, lines, question texts: its id */
	enum render_box_kind box;
	char *value;	   /* box: see render_box_kind */
	unsigned nr_lines; /* lines */
	int corner;	   /* mark: 0 top left, 1 top right, 2, 3 bottom */
	enum render_slot slot;
};

struct render_page {
	struct render_item *items;
	size_t nr, alloc;
	struct render_rect qr_zone; /* the symbol with its quiet zone */
	struct render_rect qr;	    /* the symbol */
};

struct render_layout {
	const struct survey *s;
	const struct survey_buurt *buurt; /* NULL: survey-wide wording */
	enum survey_lang lang;
	struct render_qr_plan qr;
	char *site; /* base URL without scheme, for people to type */
	PangoContext *pango;
	struct render_page *pages;
	size_t nr_pages;
	char id[RENDER_LAYOUT_ID_SIZE];
};

/*
 * Lay out the form of survey s for buurt (its agreement goes on the form)
 * in lang, with QR codes to base_url.  Returns the layout (free with
 * render_layout_free()), or NULL with a sentence in err: no or a bad base
 * URL, a language the survey lacks, or a text that does not fit on a
 * page (naming it).
 */
struct render_layout *render_layout_new(const struct survey *s,
					const struct survey_buurt *buurt,
					enum survey_lang lang,
					const char *base_url,
					struct strbuf *err);
/* NULL is fine. */
void render_layout_free(struct render_layout *l);

/*
 * Print text (a reminder's "we have not received your answer yet") at
 * the head of page 1, under the organisation's name and contact text
 * and above the envelope's window, so that it is read when the letter
 * is opened and not seen through the window.  Nothing a scanner reads
 * moves, so the layout id stays the same.  The text is bold, 11 pt, or
 * 10 pt when that is what fits.  Returns 0, or -1 with a sentence in err
 * when it does not fit there (naming what to shorten).
 */
int render_layout_add_notice(struct render_layout *l, const char *text,
			     struct strbuf *err);

/*
 * Append the layout file: JSON with, per page, in mm from the top-left
 * corner, the corner marks, the QR zone and symbol, every answer box
 * (question, kind, value, rectangle), every lined area, every text block
 * and the slots.  See docs in render/README.md.
 */
void render_layout_json(const struct render_layout *l, struct strbuf *out);

/* Words printed on forms and posters, in both languages. */
enum render_word {
	RENDER_W_CODE_LABEL,
	RENDER_W_CODE_HOWTO, /* %s: the site */
	RENDER_W_ADDRESSEE,
	RENDER_W_FORM_NO,  /* %s: the number */
	RENDER_W_DEADLINE, /* %s: the date */
	RENDER_W_AGREEMENT_HEAD,
	RENDER_W_PAGE, /* %s of %s */
	RENDER_W_CONTINUED,
	RENDER_W_ONE_BOX,
	RENDER_W_MULTI,
	RENDER_W_MULTI_MAX, /* %s */
	RENDER_W_SCALE,
	RENDER_W_NUMBER_BOXES,
	RENDER_W_NUMBER_DIGITS, /* %s %s */
	RENDER_W_TEXT,
	RENDER_W_THANKS,      /* %s: the date */
	RENDER_W_FOOTER_CODE, /* %s: the code */
	RENDER_W_LAYOUT,      /* %s: the id */
	RENDER_W_CORRECTION,  /* how to correct a mistake, every page */
	RENDER_W_POSTER_CALL,
	RENDER_W_POSTER_SCAN,
	RENDER_W_POSTER_SITE,  /* %s: the site */
	RENDER_W_POSTER_UNTIL, /* %s: the date */
	RENDER_W_RESIDENT,     /* %s of %s: voting_unit resident */
	RENDER_W_NR
};

const char *render_word(enum render_word w, enum survey_lang lang);
/* Append word w with its %s placeholders replaced by a and then b. */
void render_word_fill(struct strbuf *out, enum render_word w,
		      enum survey_lang lang, const char *a, const char *b);

/*
 * v with decimals digits after the point into buf (size bytes), with a
 * decimal comma in Dutch ("1,5") and a point otherwise, for messages.
 */
void render_decimal(char *buf, size_t size, double v, int decimals,
		    enum survey_lang lang);

/* "zondag 2 mei 2027" / "Sunday 2 May 2027" for a YYYY-MM-DD date. */
void render_format_date(const char *ymd, enum survey_lang lang,
			struct strbuf *out);

/*
 * A pango context for drawing in mm on any cairo surface: resolution
 * 25.4 dpi makes one point 1/72 inch in mm, and hinting is off, so text
 * measures the same on PDF and image surfaces.  Free with g_object_unref.
 */
PangoContext *render_pango_context(enum survey_lang lang);
/* A layout of text in style st, width mm wide (<= 0: no wrapping). */
PangoLayout *render_text_layout(PangoContext *ctx, enum render_style st,
				const char *text, double width);
/* Width and height of pl in mm (logical extents). */
void render_text_size(PangoLayout *pl, double *w, double *h);

#endif
