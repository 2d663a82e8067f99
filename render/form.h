/*
 * form.h - drawing a form from its layout, for one household at a time.
 *
 * A render_form holds what every form of a layout shares: each page's
 * static drawing (texts, boxes, lines, marks) recorded once in a cairo
 * recording surface, and pango layouts for the household-specific slots.
 * Drawing a page replays the recording and adds only what differs: the
 * address, the code and the QR code.  Replaying a recording also lets
 * cairo's PDF backend write the static part of a page once per file and
 * refer to it from every page, which keeps the files small.
 *
 * The same calls draw on a PDF surface (the real forms) and on an image
 * surface (tests, previews), so what the tests read is what is printed.
 *
 * Ownership: a form borrows its layout, which must outlive it.
 */
#ifndef DRAAGVLAK_RENDER_FORM_H
#define DRAAGVLAK_RENDER_FORM_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "layout.h"
#include "households.h"

/* A household as a form needs it; strings owned (render_household_*). */
struct render_household {
	long long id;
	char *buurt_id;
	long long form_no; /* > 0: an anonymous form, no address */
	char token[SURVEY_TOKEN_SIZE];
	char *street; /* NULL for an anonymous form */
	long number;
	char *letter, *addition, *postcode, *place;
	int resident, residents; /* voter of the address, of how many */
};

/* A list of households, owning copies of their strings. */
struct render_households {
	struct render_household *v;
	size_t nr, alloc;
};

/* Append a copy of h (whose strings may die after the call). */
void render_households_add(struct render_households *list,
			   const struct store_household *h);
/* Free every household and the array; the list is empty after. */
void render_households_release(struct render_households *list);

struct render_form;

/* Record the static part of every page of l.  Never fails. */
struct render_form *render_form_new(const struct render_layout *l);
/* NULL is fine. */
void render_form_free(struct render_form *f);

/*
 * Draw page (0-based) of the form of household h on cr, whose user space
 * must be millimetres with the origin at the top-left corner of the page.
 * Page l->nr_pages is the blank back page of a double-sided set (render
 * --duplex): "Deze pagina is leeg." and a QR code saying page
 * nr_pages + 1, which the reader (scan.h) recognises and skips.
 * Leaves cr's state as it was.  Returns 0, or -1 with a sentence in err.
 */
int render_form_draw_page(struct render_form *f, cairo_t *cr, size_t page,
			  const struct render_household *h, struct strbuf *err);

/*
 * Straight into a PDF (pdf.h), for the files of forms: cairo draws each
 * page's static part once, as a template, and every household's page is
 * written as that template with the household's texts and QR code.
 */
struct render_pdf;

/*
 * Append to out a PDF with one page per page of the form, holding only
 * its static part, and with blank_back the blank back page after them,
 * for render_pdf_open().  Returns 0, or -1 with a sentence in err.
 */
int render_form_template(struct render_form *f, bool blank_back,
			 struct strbuf *out, struct strbuf *err);

/*
 * Build in c (reset first) the content of page (0-based, nr_pages for the
 * blank back page, which needs the template made with blank_back) of h's
 * form:
 * template page `page`, the slots and the QR code, for
 * render_pdf_add_page().  Returns 0, or -1 with a sentence in err, or
 * RENDER_PDF_UNSUPPORTED when a font cannot be embedded.
 */
int render_form_pdf_page(struct render_form *f, struct render_pdf *pdf,
			 size_t page, const struct render_household *h,
			 struct strbuf *c, struct strbuf *err);

/* The URL in the QR code of page (0-based) of h's form, appended. */
void render_form_url(const struct render_form *f, size_t page,
		     const struct render_household *h, struct strbuf *out);

#endif
