/*
 * cmd-scan.c - `draagvlak scan`: read a stack of scanned forms into the
 * store (scan/ reads a page, scan/intake.h records it).
 *
 * The layouts a page may have are made from the store's own definition
 * (scan_intake_layouts_make(), which the server's upload uses too), so a
 * page printed from another definition is refused by its layout id.  Each page is recorded in its own transaction: a stack that
 * fails halfway keeps what was read, and running it again changes
 * nothing for the pages already in.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cmd.h"
#include "layout.h"
#include "render.h"
#include "scan.h"
#include "intake.h"
#include "scans.h"
#include "xalloc.h"
#include "banned.h"

const char cmd_scan_help[] =
	"usage: draagvlak scan [-d FILE] SCAN...\n"
	"\n"
	"Read scanned paper forms: PDF files from a scanner, multi-page TIFF,\n"
	"PNG or JPEG, in any order, upside down or slightly skewed.  Each\n"
	"page's QR code tells the household, page and layout; the ticks are\n"
	"read from the boxes.  A question whose reading is in any doubt waits\n"
	"for a volunteer in the review queue (/scan on draagvlak serve); a\n"
	"form counts once all its pages are in and every answer is certain.\n"
	"Scanning a page again changes nothing.\n"
	"\n"
	"  -d, --db FILE      the store (default: " CMD_DEFAULT_DB ")\n"
	"  -h, --help         show this help\n";

struct totals {
	unsigned long long pages, again, refused, clear, review;
	unsigned long long blank; /* blank back pages (render --duplex) */
	struct strbuf refusals;	  /* one line per refused page */
};

static int one_page(struct store *st, const struct survey *s,
		    struct scan_layouts *set, const struct scan_image *img,
		    const char *source, struct totals *t, struct strbuf *err)
{
	struct scan_page p;
	struct strbuf why = STRBUF_INIT;
	enum store_scan_result res;
	char hash[33];
	int ret = -1;

	scan_intake_image_hash(img, hash);
	scan_page_read(img, scan_layouts_lookup, set, &p, &why);
	if (p.blank_back) {
		/* The back of a double-sided set: not a page of answers. */
		t->blank++;
		ret = 0;
		goto out;
	}
	if (scan_intake_page(st, s, &p, img, why.buf, source, hash, &res,
			     err) != STORE_OK)
		goto out;
	t->pages++;
	if (res == STORE_SCAN_AGAIN) {
		t->again++;
	} else if (res == STORE_SCAN_REFUSED || p.refusal != SCAN_READ) {
		t->refused++;
		strbuf_addf(&t->refusals, "  %s: %s\n", source,
			    why.len ? why.buf : "no household has this code");
	} else {
		t->review += p.nr_review;
		t->clear += p.nr_questions - p.nr_review;
	}
	ret = 0;
out:
	scan_page_release(&p);
	strbuf_release(&why);
	return ret;
}

static int one_file(struct store *st, const struct survey *s,
		    struct scan_layouts *set, const char *path,
		    struct totals *t, struct strbuf *err)
{
	struct scan_image img = SCAN_IMAGE_INIT;
	struct strbuf source = STRBUF_INIT, why = STRBUF_INIT;
	struct scan_source *src = scan_source_open(path, err);
	int rc, ret = -1;

	if (!src)
		return -1;
	for (size_t i = 1;; i++) {
		strbuf_reset(&why);
		rc = scan_source_next(src, &img, &why);
		if (rc == 0)
			break;
		strbuf_reset(&source);
		strbuf_addf(&source, "%s page %zu", path, i);
		if (rc < 0) {
			t->pages++;
			t->refused++;
			strbuf_addf(&t->refusals, "  %s\n", why.buf);
			continue;
		}
		if (one_page(st, s, set, &img, source.buf, t, err) < 0)
			goto out;
	}
	ret = 0;
out:
	scan_image_release(&img);
	scan_source_close(src);
	strbuf_release(&source);
	strbuf_release(&why);
	return ret;
}

/* Forms by state, for the summary. */
static int print_forms(struct store *st, struct strbuf *err)
{
	long long n[STORE_SCAN_NSTATE];

	if (store_scan_form_counts(st, n, err) != STORE_OK)
		return -1;
	printf("forms in the store:  %lld complete and counted, %lld waiting "
	       "for review, %lld also answered online (a person decides), "
	       "%lld missing a page",
	       n[STORE_SCAN_COUNTED] + n[STORE_SCAN_KEPT], n[STORE_SCAN_REVIEW],
	       n[STORE_SCAN_CONFLICT], n[STORE_SCAN_INCOMPLETE]);
	if (n[STORE_SCAN_KEPT])
		printf(" (%lld of the complete ones do not count: another "
		       "answer of the household does)",
		       n[STORE_SCAN_KEPT]);
	printf("\n");
	return 0;
}

int cmd_scan(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct totals t = { 0, 0, 0, 0, 0, 0, STRBUF_INIT };
	struct scan_intake_layouts layouts = { NULL, 0, SCAN_LAYOUTS_INIT };
	struct strbuf err = STRBUF_INIT;
	const char *db = CMD_DEFAULT_DB;
	struct store *st = NULL;
	struct survey *s = NULL;
	int c, ret = CMD_FAIL;

	while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'h': return cmd_print_help("scan");
		default: return cmd_usage_error("scan", "unknown option");
		}
	}
	if (optind == argc)
		return cmd_usage_error("scan", "name the scanned files");
	if (sodium_init() < 0) {
		cmd_error("cannot initialise libsodium");
		return CMD_FAIL;
	}
	if (cmd_open_survey(db, &st, &s) < 0)
		return CMD_FAIL;
	if (scan_intake_layouts_make(s, &layouts, &err) < 0)
		goto out;
	for (int i = optind; i < argc; i++)
		if (one_file(st, s, &layouts.set, argv[i], &t, &err) < 0)
			goto out;
	printf("pages read:          %llu (%llu scanned before: nothing "
	       "changed)\n",
	       t.pages - t.refused - t.again, t.again);
	printf("answers:             %llu clear, %llu waiting for review\n",
	       t.clear, t.review);
	if (t.blank)
		printf("blank back pages:    %llu (of double-sided sets; "
		       "skipped)\n",
		       t.blank);
	if (print_forms(st, &err) < 0)
		goto out;
	printf("pages refused:       %llu\n%s", t.refused, t.refusals.buf);
	ret = CMD_OK;
out:
	if (ret != CMD_OK)
		cmd_error("%s", err.buf);
	scan_intake_layouts_release(&layouts);
	strbuf_release(&t.refusals);
	strbuf_release(&err);
	survey_free(s);
	store_free(st);
	render_cleanup();
	return ret;
}
