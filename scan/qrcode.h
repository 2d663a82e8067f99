/*
 * qrcode.h - finding a form page's QR code in a scan, and what it says.
 *
 * Every page of a form carries, top right, a QR code with the URL
 *
 *     BASEURL/F/<CODE>/<PAGE>/<LAYOUTID>
 *
 * (render/qr.h).  It tells the reader which household, page and layout
 * the scan is, and, because the layout says where the symbol is printed,
 * its corners in the image give the first estimate of where everything
 * else on the page is, whichever way round the page was scanned.
 *
 * zbar takes about 100 ms on a whole 300 dpi page, so scan_qr_find()
 * first looks where the code should be: the top-right corner of the
 * image (the bottom-left one when the page is upside down, and the two
 * other corners when the image is landscape, i.e. the page was turned a
 * quarter), at about 150 dpi; then that corner at full resolution; and
 * only then the whole image at reduced resolution.
 */
#ifndef DRAAGVLAK_SCAN_QRCODE_H
#define DRAAGVLAK_SCAN_QRCODE_H

#include <stdbool.h>

#include "image.h"
#include "layout.h"
#include "strbuf.h"
#include "token.h"

/* A QR code found in an image. */
struct scan_qr {
	char *text; /* what it says; owned */
	/*
	 * The symbol's corners in image pixels, in the symbol's own order:
	 * top left, top right, bottom right, bottom left as printed (so
	 * on an upside-down page the "top left" is near the image's bottom
	 * right).
	 */
	double x[4], y[4];
	int tries; /* how many zbar passes it took (1 is the best case) */
};

/* Free the text.  NULL is fine. */
void scan_qr_release(struct scan_qr *qr);

/*
 * Find the QR code in img, whose resolution is about dpi.  Returns 0
 * and fills *qr (release with scan_qr_release()), or -1 when no QR code
 * can be read anywhere on the page, with a sentence in err.  When there
 * are several, the first one that zbar decodes near the expected corner
 * wins; the caller checks what it says.
 */
int scan_qr_find(const struct scan_image *img, double dpi, struct scan_qr *qr,
		 struct strbuf *err);

/* What a page's URL says. */
struct scan_url {
	char code[SURVEY_TOKEN_SIZE];	    /* canonical, check symbol valid */
	unsigned page;			    /* 1-based */
	char layout[RENDER_LAYOUT_ID_SIZE]; /* six hex digits, upper case */
	size_t prefix_len;		    /* bytes before the code */
};

/*
 * Read the URL of a form page: "/F/", a household code whose check
 * symbol matches, a page number 1..RENDER_MAX_PAGES and a layout id,
 * at the end of text.  Returns 0, or -1 with a sentence in err saying
 * what is wrong.  The base URL before "/F/" is not checked here: the
 * caller compares text[0..prefix_len) with the layout's QR prefix.
 */
int scan_url_parse(const char *text, struct scan_url *url, struct strbuf *err);

#endif
