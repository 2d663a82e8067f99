/*
 * scanread.c - look into how scan/ reads a scanned file: the reading of
 * every page as JSON (scan_page_json()), and, with --crops DIR, the
 * cut-out of every question sent to review as a PNG, as the review
 * queue will show it.
 *
 *     scanread --db STORE [--base-url URL] [--crops DIR [--all]] FILE...
 *
 * --all: the cut-out of every question, clear ones too.
 *
 * Exit status: 0 when every page was read, 1 when one was refused or
 * could not be decoded, 2 for wrong usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan.h"
#include "definition.h"
#include "store.h"
#include "xalloc.h"
#include "banned.h"

static int write_file(const char *path, const struct strbuf *sb)
{
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(sb->buf, 1, sb->len, f) == sb->len;

	if (f && fclose(f))
		ok = 0;
	if (!ok)
		fprintf(stderr, "scanread: cannot write %s\n", path);
	return ok ? 0 : -1;
}

static int all_crops;

/* The crops of page pg's questions in review, as DIR/FILE-N-QUESTION.png. */
static int crops(const char *dir, const char *file, size_t n,
		 const struct scan_page *pg, const struct scan_image *img)
{
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	struct strbuf png = STRBUF_INIT, path = STRBUF_INIT, err = STRBUF_INIT;
	int ret = 0;

	for (size_t i = 0; i < pg->nr_questions && !ret; i++) {
		const struct scan_question *q = &pg->questions[i];

		if (q->status != SCAN_REVIEW && !all_crops)
			continue;
		strbuf_reset(&png);
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s-%zu-%s.png", dir, base, n + 1, q->id);
		if (scan_page_crop_png(pg, img, &q->r, 3, &png, &err) < 0) {
			fprintf(stderr, "scanread: %s\n", err.buf);
			ret = -1;
		} else {
			ret = write_file(path.buf, &png);
		}
	}
	strbuf_release(&png);
	strbuf_release(&path);
	strbuf_release(&err);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "base-url", required_argument, NULL, 'u' },
		{ "crops", required_argument, NULL, 'c' },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL, *base = NULL, *cropdir = NULL;
	struct scan_layouts set = SCAN_LAYOUTS_INIT;
	struct render_layout **ls = NULL;
	size_t nls = 0;
	struct strbuf err = STRBUF_INIT, js = STRBUF_INIT;
	struct scan_image img = SCAN_IMAGE_INIT;
	struct store *st;
	struct survey *s = NULL;
	int opt, ret = 0;

	while ((opt = getopt_long(argc, argv, "d:u:c:a", opts, NULL)) != -1) {
		switch (opt) {
		case 'a': all_crops = 1; break;
		case 'd': db = optarg; break;
		case 'u': base = optarg; break;
		case 'c': cropdir = optarg; break;
		default: goto usage;
		}
	}
	if (!db || optind >= argc)
		goto usage;
	st = store_open(db, STORE_EXISTING, &err);
	s = st ? store_definition_load(st, &err) : NULL;
	store_free(st);
	if (!s) {
		fprintf(stderr, "scanread: %s\n", err.buf);
		ret = 1;
		goto out;
	}
	for (int lang = 0; lang < SURVEY_NLANG; lang++)
		for (size_t b = 0; s->languages[lang] && b < s->nr_buurten;
		     b++) {
			struct render_layout *l = render_layout_new(
				s, &s->buurten[b], (enum survey_lang)lang,
				base ? base : s->base_url, &err);

			if (!l) {
				fprintf(stderr, "scanread: %s\n", err.buf);
				ret = 1;
				goto out;
			}
			ls = xrealloc(ls, (nls + 1) * sizeof(*ls));
			ls[nls++] = l;
			scan_layouts_add(&set, l);
		}
	for (int a = optind; a < argc; a++) {
		struct scan_source *src = scan_source_open(argv[a], &err);
		size_t n = 0;
		int r;

		if (!src) {
			fprintf(stderr, "scanread: %s\n", err.buf);
			strbuf_reset(&err);
			ret = 1;
			continue;
		}
		for (; (r = scan_source_next(src, &img, &err)) != 0; n++) {
			struct scan_page pg;

			if (r < 0) {
				fprintf(stderr, "scanread: %s\n", err.buf);
				strbuf_reset(&err);
				ret = 1;
				continue;
			}
			if (scan_page_read(&img, scan_layouts_lookup, &set, &pg,
					   &err) < 0) {
				fprintf(stderr, "scanread: %s page %zu: %s\n",
					argv[a], n + 1, err.buf);
				strbuf_reset(&err);
				ret = 1;
			} else if (cropdir &&
				   crops(cropdir, argv[a], n, &pg, &img) < 0) {
				ret = 1;
			}
			strbuf_reset(&js);
			scan_page_json(&pg, &js);
			printf("%s\n", js.buf);
			scan_page_release(&pg);
		}
		scan_source_close(src);
	}
	goto out;
usage:
	fputs("usage: scanread --db STORE [--base-url URL] [--crops DIR "
	      "[--all]] "
	      "FILE...\n",
	      stderr);
	ret = 2;
out:
	for (size_t i = 0; i < nls; i++)
		render_layout_free(ls[i]);
	free(ls);
	scan_layouts_release(&set);
	scan_image_release(&img);
	survey_free(s);
	strbuf_release(&err);
	strbuf_release(&js);
	return ret;
}
