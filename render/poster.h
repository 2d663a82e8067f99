/*
 * poster.h - the poster for notice boards and shop windows: the survey's
 * title, a large QR code to its web page and the closing date.
 *
 * It is designed on A4 in mm; A3 is the same design scaled by sqrt(2),
 * so both sizes look alike.  Posters are not read back by a scanner and
 * carry no corner marks.
 */
#ifndef DRAAGVLAK_RENDER_POSTER_H
#define DRAAGVLAK_RENDER_POSTER_H

#include <cairo.h>

#include "strbuf.h"
#include "survey.h"

/*
 * Draw the poster of s in lang on cr, whose user space must be mm of an
 * A4 page (origin top left), with a QR code to base_url.  Returns 0, or
 * -1 with a sentence in err.
 */
int render_poster_draw(cairo_t *cr, const struct survey *s,
		       enum survey_lang lang, const char *base_url,
		       struct strbuf *err);

/* The text of the poster's QR code: base_url, upper case when it may. */
void render_poster_url(const char *base_url, struct strbuf *out);

#endif
