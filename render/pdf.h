/*
 * pdf.h - a small PDF writer for files of many personalised pages.
 *
 * cairo's PDF backend costs about 100 us a page before anything on the
 * page is drawn when the page reuses a recorded drawing (it replays the
 * recording through its analysis surface on every page), against 15 us
 * for an empty page; that alone was three times the benchmark's floor.
 * So the forms are written in two steps:
 *
 *   - cairo writes a template: a PDF with one page per page of the form,
 *     holding only what every form shares (render_form_template());
 *   - this writer copies the template's objects (fonts, images, the
 *     pages' drawings) into the output once, turns each template page
 *     into a form XObject, and then writes every household's page as a
 *     short content stream of its own: "draw template page k", the
 *     household's texts as glyphs, and its QR code as an inline image
 *     mask.
 *
 * Texts are shown with the glyphs pango shaped (render_pdf_glyphs());
 * the fonts they use are subset with HarfBuzz and embedded as TrueType
 * CID fonts with a ToUnicode map when the file is finished, so text can
 * be searched and copied.
 *
 * What the writer needs of the template is what cairo 1.16 writes: one
 * classic cross-reference table, objects one after another, a flat page
 * tree, one content stream a page.  Anything else makes
 * render_pdf_open() fail with RENDER_PDF_UNSUPPORTED, and the caller
 * draws the file with cairo instead.
 *
 * Page coordinates in this writer are PDF points with the origin at the
 * bottom-left corner, as PDF has them; callers convert.
 */
#ifndef DRAAGVLAK_RENDER_PDF_H
#define DRAAGVLAK_RENDER_PDF_H

#include <pango/pango.h>
#include <stdint.h>
#include <stdio.h>

#include "qr.h"
#include "strbuf.h"

#define RENDER_PDF_UNSUPPORTED (-2)

struct render_pdf;

/*
 * Start writing a PDF of w x h points to fp (which stays the caller's),
 * with the pages of the template PDF in tmpl (len bytes) as form
 * XObjects.  Returns the writer (render_pdf_finish() or _abandon() end
 * it), or NULL with *ret -1 and a sentence in err on a write error, or
 * RENDER_PDF_UNSUPPORTED when the template is not of the shape described
 * above (err says how).
 */
struct render_pdf *render_pdf_open(FILE *fp, double w, double h,
				   const char *tmpl, size_t len, int *ret,
				   struct strbuf *err);

/* Number of template pages. */
size_t render_pdf_template_pages(const struct render_pdf *pdf);

/*
 * A page's content is built in a strbuf with these helpers and then
 * written with render_pdf_add_page().
 */
/* Draw template page k over the whole page. */
void render_pdf_template(struct render_pdf *pdf, struct strbuf *c, size_t k);
/* Fill colour. */
void render_pdf_colour(struct strbuf *c, double r, double g, double b);
/* A filled rectangle, (x, y) its bottom-left corner. */
void render_pdf_rect(struct strbuf *c, double x, double y, double w, double h);
/*
 * Show the glyphs of gs (shaped from text, len bytes, with font) with
 * the pen at (x, y), the start of the baseline, in the fill colour.
 * Returns 0, or RENDER_PDF_UNSUPPORTED when font is not one the writer
 * can embed (not TrueType outlines).
 */
int render_pdf_glyphs(struct render_pdf *pdf, struct strbuf *c, PangoFont *font,
		      const PangoGlyphString *gs, const char *text, int len,
		      double x, double y);
/* sym as an image mask size points wide, (x, y) its bottom-left corner,
 * in the fill colour. */
void render_pdf_qr(struct strbuf *c, const struct render_qr_symbol *sym,
		   double x, double y, double size);

/* Write a page whose content is c.  Returns 0 or -1 (a write error,
 * reported by render_pdf_finish()). */
int render_pdf_add_page(struct render_pdf *pdf, const struct strbuf *c);

/*
 * Write the fonts, the page tree and the cross-reference table, and free
 * pdf.  Returns 0 and the bytes written in *bytes, or -1 with a sentence
 * in err (errno's for a write error, and errno left as that error's).
 */
int render_pdf_finish(struct render_pdf *pdf, uint64_t *bytes,
		      struct strbuf *err);
/* Free pdf without finishing the file.  NULL is fine. */
void render_pdf_abandon(struct render_pdf *pdf);

#endif
