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

/* A hash of the image's pixels: the same image twice is recognised. */
void scan_intake_image_hash(const struct scan_image *img, char out[33]);

#endif
