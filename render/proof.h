/*
 * proof.h - a page of the paper form as an image, before anything is
 * printed: the board sees what households will get.
 *
 * The page is drawn as render_forms() draws it for a made-up household
 * ("Voorbeeldstraat 1") whose code, 0000-0000-0000, is no household's:
 * nothing in the preview can be used to answer.
 */
#ifndef DRAAGVLAK_RENDER_PROOF_H
#define DRAAGVLAK_RENDER_PROOF_H

#include "strbuf.h"
#include "survey.h"

/*
 * Append to out page (0-based) of buurt b's form in lang as a PNG of
 * dpi dots per inch (36 to 200), with QR codes to base_url.  The form's
 * number of pages goes to *nr_pages (also when page is past the end,
 * which fails).  Returns 0, or -1 with a sentence in err.
 */
int render_proof_png(const struct survey *s, const struct survey_buurt *b,
		     enum survey_lang lang, const char *base_url, size_t page,
		     double dpi, struct strbuf *out, size_t *nr_pages,
		     struct strbuf *err);

#endif
