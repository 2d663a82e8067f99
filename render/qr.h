/*
 * qr.h - the QR code on every form page and on the posters.
 *
 * A page's QR code is a short URL of the survey's server:
 *
 *     HTTPS://DRAAGVLAK.DORPSPLATFORMDORST.NL/F/K7QM2XHD9FAB/1/3F2A9C
 *
 * base URL, "/F/", the household's code (canonical, no dashes), the page
 * number and the layout id.  A resident who scans it lands on their own
 * online form; a scanner learns household, page and layout from it.
 *
 * Upper case keeps every character in the QR alphanumeric set (0-9 A-Z
 * space $ % * + - . / :), which takes 5.5 bits a character instead of 8,
 * so the symbol stays small: version 4 (33 modules) for the Dorst sample.
 * The server answers /F/... case-insensitively, and scheme and host are
 * case-insensitive anyway.  A base URL with a path in lower case (whose
 * case may matter to the server) or with characters outside that set
 * keeps its case and is encoded partly in byte mode; render_qr_plan()
 * says so in the plan.
 *
 * Every household's URL has the same length and character classes, so
 * one plan (version, module size) fits all of them and the geometry of
 * the page does not depend on the household.
 */
#ifndef DRAAGVLAK_RENDER_QR_H
#define DRAAGVLAK_RENDER_QR_H

#include <cairo.h>
#include <stdbool.h>

#include "lang.h"
#include "strbuf.h"

/* Smallest module we print: 0.5 mm survives a 300 dpi scan and a fax. */
#define RENDER_QR_MIN_MODULE 0.5
/* The symbol is printed 20 mm wide when its modules allow... */
#define RENDER_QR_TARGET 20.0
/* ...and never wider than this (the page header has room for no more). */
#define RENDER_QR_MAX 25.0
/* Quiet zone on every side, in modules, as ISO/IEC 18004 asks. */
#define RENDER_QR_QUIET 4

struct render_qr_plan {
	char *prefix;	 /* "HTTPS://HOST/F/": everything before the code */
	bool alnum;	 /* the whole URL is in the alphanumeric set */
	int version;	 /* QR version every URL of this plan fits in */
	int modules;	 /* modules per side of the symbol */
	double module;	 /* mm per module */
	double size;	 /* mm: the symbol without quiet zone */
	double zone;	 /* mm: the symbol with its quiet zone */
	const char *why; /* why not alnum (static), NULL when alnum */
};

/*
 * Plan the page QR codes for base_url (http or https).  Returns 0 and
 * fills *plan (release with render_qr_plan_release()), or -1 with a
 * sentence in err, in lang: no or a malformed base URL, or one so long that the
 * symbol would be wider than RENDER_QR_MAX at RENDER_QR_MIN_MODULE.
 */
int render_qr_plan_init(struct render_qr_plan *plan, const char *base_url,
			enum survey_lang lang, struct strbuf *err);
/* Free what the plan owns.  NULL is fine. */
void render_qr_plan_release(struct render_qr_plan *plan);

/*
 * Append the URL of page (1-based) of the form of the household whose
 * canonical code is token, for layout_id.
 */
void render_qr_url(const struct render_qr_plan *plan, const char *token,
		   unsigned page, const char *layout_id, struct strbuf *out);

/* Widest symbol a plan allows: RENDER_QR_MAX / RENDER_QR_MIN_MODULE. */
#define RENDER_QR_MAX_MODULES 50

/* A page's symbol, without quiet zone. */
struct render_qr_symbol {
	int width; /* modules a side */
	/* Row r, module c is bit 7 - c % 8 of row[r][c / 8]; 1 = dark.
	 * This is the layout of a PDF image mask. */
	unsigned char row[RENDER_QR_MAX_MODULES]
			 [(RENDER_QR_MAX_MODULES + 7) / 8];
};

/*
 * Encode text as a symbol of the plan's version, with the mask
 * libqrencode scores best.  (A fixed mask was faster, but needed
 * libqrencode's unexported QRcode_encodeMask(): a private symbol a new
 * libqrencode may drop.)  Returns 0, or -1 with a sentence in err when
 * text does not fit.
 */
int render_qr_encode(const struct render_qr_plan *plan, const char *text,
		     struct render_qr_symbol *sym, struct strbuf *err);

/*
 * Draw text as a QR code of the plan's version at (x, y), the top-left
 * corner of its quiet zone, in the user units of cr (mm for forms):
 * a white square of plan->zone with the dark modules as a one-bit image
 * mask (render_qr_encode()).
 * Returns 0, or -1 with a sentence in err when text does not fit.
 */
int render_qr_draw(cairo_t *cr, const struct render_qr_plan *plan,
		   const char *text, double x, double y, struct strbuf *err);

/*
 * Draw text as a QR code of any version (error correction M) size mm
 * wide including its quiet zone, for posters.  Returns 0 or -1 with a
 * sentence in err.
 */
int render_qr_draw_free(cairo_t *cr, const char *text, double x, double y,
			double size, struct strbuf *err);

#endif
