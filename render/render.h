/*
 * render.h - writing the printable forms and posters of a survey.
 *
 * render_forms() writes, per buurt, one PDF of personalised forms (one
 * form per household with an address, in the order given: delivery
 * order) and one PDF of numbered anonymous forms for community
 * evenings, each with its layout file beside it:
 *
 *     OUTDIR/formulieren-BU08260100.pdf
 *     OUTDIR/formulieren-BU08260100.layout.json
 *     OUTDIR/formulieren-BU08260100-zonder-adres.pdf
 *     OUTDIR/formulieren-BU08260100-zonder-adres.layout.json
 *
 * render_posters() writes OUTDIR/poster-A4.pdf and OUTDIR/poster-A3.pdf.
 *
 * Every file is written to a temporary file in OUTDIR and renamed when
 * complete, so a failure never leaves a half-written PDF.  Everything
 * that can be checked before writing (base URL, texts that do not fit,
 * unknown buurten, an unwritable OUTDIR) is checked first.
 *
 * Speed: layouts and the static part of each page are made once per
 * buurt (form.h), drawn by cairo once as a template, and every
 * household's page is written by our own PDF writer as the template plus
 * the household's texts and QR code (pdf.h); the buurten are shared out
 * over worker processes, one per CPU, each writing whole files.
 */
#ifndef DRAAGVLAK_RENDER_RENDER_H
#define DRAAGVLAK_RENDER_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "form.h"
#include "strbuf.h"
#include "survey.h"

struct render_options {
	const char *outdir;   /* created when missing (not its parents) */
	const char *base_url; /* NULL: the survey's base_url */
	enum survey_lang lang;
	unsigned jobs; /* worker processes; 0 = one per CPU */
	bool progress; /* progress on stderr if it is a terminal */
	/*
	 * A reprint of some households (render -H): each file is named
	 * formulieren-BUURT-herdruk-N.pdf with the first N not yet taken,
	 * so that the buurt's full file is never replaced.
	 */
	bool reprint;
	/* Draw every form file with cairo page by page, as when our writer
	 * cannot read cairo's template (pdf.h): so the tests cover it. */
	bool cairo_only;
	/*
	 * Printed double-sided: a form of an odd number of pages gets a
	 * blank back page (render_form_draw_page()), so that every
	 * household's set is an even number of pages and the next one starts
	 * on a sheet of its own.
	 */
	bool duplex;
	/*
	 * The start of every form file's name instead of "formulieren": a
	 * reminder wave's letters ("herinnering-2") must not replace the
	 * first letters.
	 */
	const char *prefix;
	/*
	 * A text printed at the head of page 1 of every form, above the
	 * address (render_layout_add_notice()): a reminder's.  The boxes
	 * stay where they are, so the layout id stays and the forms scan
	 * as the first ones.  NULL: none.
	 */
	const char *notice;
	/*
	 * Rendering inside a long-lived process that does more (the
	 * server): leave malloc's settings as they are, which a worker
	 * otherwise tunes for speed for the rest of the process.
	 */
	bool in_server;
};

struct render_stats {
	size_t files; /* PDFs written */
	size_t forms;
	size_t pages;
	uint64_t bytes;	     /* of the PDFs */
	size_t cairo_files;  /* form PDFs cairo drew page by page (pdf.h) */
	const char *qr_note; /* why the QR codes are not alphanumeric */
	/*
	 * Pages of a form when that is odd (0 when even): printed
	 * double-sided, the next household's first page would land on the
	 * back of the last one, so the caller says to print single-sided.
	 */
	size_t odd_pages;
	/* Pages per household, blank back included (the most of any
	 * buurt's form): what the print instruction says. */
	size_t set_pages;
};

/*
 * Write the forms of the households in list (in delivery order) as
 * described above.  Returns 0 and adds to *stats, or -1 with a sentence
 * in err; files completed before a failure in another file stay.
 */
int render_forms(const struct survey *s, const struct render_households *list,
		 const struct render_options *o, struct render_stats *stats,
		 struct strbuf *err);

/*
 * Append the path of the form file of buurt_id (with or without
 * address) that render_forms() writes with o, ending in ext (".pdf",
 * ".layout.json"); without the "-herdruk-N" of a reprint.
 */
void render_forms_path(const struct render_options *o, const char *buurt_id,
		       bool anonymous, const char *ext, struct strbuf *out);

/* Write the A4 and A3 posters.  Returns 0, or -1 with a sentence in err. */
int render_posters(const struct survey *s, const struct render_options *o,
		   struct render_stats *stats, struct strbuf *err);

/*
 * Write a PDF at path through a temporary file in the same directory:
 * draw(cr, data, page) is called for pages 0..nr_pages-1 on a page of
 * w x h mm, with cr in mm.  Returns 0 and the file size in *bytes, or
 * -1 with a sentence in err (in lang) and nothing left at path or beside
 * it.
 */
typedef int (*render_page_fn)(cairo_t *cr, void *data, size_t page,
			      struct strbuf *err);
int render_write_pdf(const char *path, double w, double h, size_t nr_pages,
		     render_page_fn draw, void *data, uint64_t *bytes,
		     enum survey_lang lang, struct strbuf *err);

/*
 * Release pango's default font map, the largest process-wide cache, at
 * the end of a run.  Call at the very end: no render_ call may follow.
 * The smaller caches cairo and fontconfig keep for the life of the
 * process are left to the system (and to tests/lsan.supp).
 */
void render_cleanup(void);

#endif
