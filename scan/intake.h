/*
 * intake.h - a page the reader has read (or refused) into the store:
 * what a person will need to check it (the values pre-filled, the doubt,
 * a cut-out of each question in doubt), recorded through the data layer
 * (store/scans.h), which then counts the form once it is complete and
 * certain.  Shared by `draagvlak scan` and the server's upload.
 */
#ifndef DRAAGVLAK_SCAN_INTAKE_H
#define DRAAGVLAK_SCAN_INTAKE_H

#include "image.h"
#include "scan.h"
#include "scans.h"
#include "store.h"
#include "strbuf.h"
#include "survey.h"

/*
 * Record page p of survey s, read from img (or refused: p->refusal set
 * and reason the sentence why), from source (a file name and page, for
 * people), identified by image_hash (scan_intake_image_hash()), as one
 * change.  Returns STORE_OK with *res, or STORE_ERROR with err.
 */
int scan_intake_page(struct store *st, const struct survey *s,
		     const struct scan_page *p, const struct scan_image *img,
		     const char *reason, const char *source,
		     const char *image_hash, enum store_scan_result *res,
		     struct strbuf *err);

/*
 * Every layout the survey's forms can have: one per buurt and language,
 * as `draagvlak render` makes them, so that a page printed from another
 * definition is refused by its layout id.  The set owns its layouts.
 */
struct scan_intake_layouts {
	struct render_layout **v;
	size_t nr;
	struct scan_layouts set; /* for scan_page_read(): scan_layouts_lookup */
};

/*
 * Make them for survey s.  Returns 0, or -1 with a sentence in err (the
 * survey has no base_url, so its forms carry no QR code; a layout that
 * cannot be made); l is empty then.  Release with
 * scan_intake_layouts_release() either way.
 */
int scan_intake_layouts_make(const struct survey *s,
			     struct scan_intake_layouts *l, struct strbuf *err);
/* Free the layouts; l is empty after.  NULL is fine. */
void scan_intake_layouts_release(struct scan_intake_layouts *l);

/* A hash of the image's pixels: the same image twice is recognised. */
void scan_intake_image_hash(const struct scan_image *img, char out[33]);

#endif
