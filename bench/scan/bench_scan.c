/*
 * bench_scan.c - pages per second read end to end by scan/, next to the
 * time it takes only to decode the same images from disk (the floor), in
 * the same run.
 *
 *     bench_scan --db STORE [-j N] [--base-url URL] DIR
 *
 * DIR holds page images (every .png, .jpg, .tif and .pdf in it, e.g. a
 * set written by tests/scangen/scangen --dpi 300).  Both passes use N
 * worker threads (default: one per CPU), each taking the next file;
 * the floor pass decodes every page, the read pass decodes and reads it
 * with scan_page_read().  The floor goes first and last, and the faster
 * of the two counts, so that a cold page cache does not flatter the
 * reader.  Printed: pages/s of both and their ratio, and the same ratio
 * in CPU seconds of the process, which other work on a shared machine
 * does not inflate.  A directory of phone photos (tests/scangen
 * --formats photo) gives photos read per second next to the JPEG
 * decode floor of the same photos.
 */
#include <dirent.h>
#include <math.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "scan.h"
#include "definition.h"
#include "store.h"
#include "xalloc.h"
#include "banned.h"

struct job {
	char **files;
	size_t nr_files, next;
	bool read;
	struct scan_layouts *set;
	pthread_mutex_t lock;
	size_t pages, refused, review, errors;
};

static void *worker(void *arg)
{
	struct job *j = arg;
	struct scan_image img = SCAN_IMAGE_INIT;
	struct strbuf err = STRBUF_INIT;
	size_t pages = 0, refused = 0, review = 0, errors = 0;

	for (;;) {
		struct scan_source *src;
		size_t i;
		int r;

		pthread_mutex_lock(&j->lock);
		i = j->next++;
		pthread_mutex_unlock(&j->lock);
		if (i >= j->nr_files)
			break;
		src = scan_source_open(j->files[i], &err);
		if (!src) {
			errors++;
			continue;
		}
		while ((r = scan_source_next(src, &img, &err)) != 0) {
			struct scan_page sp;

			if (r < 0) {
				errors++;
				continue;
			}
			pages++;
			if (!j->read)
				continue;
			if (scan_page_read(&img, scan_layouts_lookup, j->set,
					   &sp, &err) < 0)
				refused++;
			else
				review += sp.nr_review > 0;
			scan_page_release(&sp);
			strbuf_reset(&err);
		}
		scan_source_close(src);
	}
	pthread_mutex_lock(&j->lock);
	j->pages += pages;
	j->refused += refused;
	j->review += review;
	j->errors += errors;
	pthread_mutex_unlock(&j->lock);
	scan_image_release(&img);
	strbuf_release(&err);
	return NULL;
}

/* Seconds for one pass over the files with n threads; *cpu: the CPU
 * seconds of the process in that time (which other work on the machine
 * does not inflate). */
static double pass(struct job *j, unsigned n, double *cpu)
{
	pthread_t th[64];
	struct timespec t0, t1, c0, c1;

	j->next = j->pages = j->refused = j->review = j->errors = 0;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned i = 0; i < n; i++)
		pthread_create(&th[i], NULL, worker, j);
	for (unsigned i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	*cpu = (c1.tv_sec - c0.tv_sec) + (c1.tv_nsec - c0.tv_nsec) / 1e9;
	return (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "base-url", required_argument, NULL, 'u' },
		{ "jobs", required_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL, *base = NULL;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned n = cpus > 0 && cpus < 64 ? (unsigned)cpus : 1;
	struct job j = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct scan_layouts set = SCAN_LAYOUTS_INIT;
	struct render_layout **ls = NULL;
	size_t nls = 0, pages;
	struct strbuf err = STRBUF_INIT;
	struct store *st;
	struct survey *s = NULL;
	double floor1, floor2, t_read, floor_s, c1, c2, c_read;
	struct dirent *e;
	DIR *d;
	int opt, ret = 1;

	while ((opt = getopt_long(argc, argv, "d:u:j:", opts, NULL)) != -1) {
		switch (opt) {
		case 'd': db = optarg; break;
		case 'u': base = optarg; break;
		case 'j': n = (unsigned)strtoul(optarg, NULL, 10); break;
		default: goto usage;
		}
	}
	if (!db || optind + 1 != argc || n < 1 || n > 64)
		goto usage;
	st = store_open(db, STORE_EXISTING, &err);
	s = st ? store_definition_load(st, &err) : NULL;
	store_free(st);
	if (!s) {
		fprintf(stderr, "bench_scan: %s\n", err.buf);
		goto out;
	}
	for (int lang = 0; lang < SURVEY_NLANG; lang++)
		for (size_t b = 0; s->languages[lang] && b < s->nr_buurten;
		     b++) {
			struct render_layout *l = render_layout_new(
				s, &s->buurten[b], (enum survey_lang)lang,
				base ? base : s->base_url, &err);

			if (!l) {
				fprintf(stderr, "bench_scan: %s\n", err.buf);
				goto out;
			}
			ls = xrealloc(ls, (nls + 1) * sizeof(*ls));
			ls[nls++] = l;
			scan_layouts_add(&set, l);
		}
	d = opendir(argv[optind]);
	if (!d) {
		fprintf(stderr, "bench_scan: cannot open %s\n", argv[optind]);
		goto out;
	}
	while ((e = readdir(d))) {
		const char *dot = strrchr(e->d_name, '.');
		struct strbuf p = STRBUF_INIT;

		if (!dot || (strcmp(dot, ".png") && strcmp(dot, ".jpg") &&
			     strcmp(dot, ".tif") && strcmp(dot, ".pdf")))
			continue;
		strbuf_addf(&p, "%s/%s", argv[optind], e->d_name);
		j.files = xrealloc(j.files, (j.nr_files + 1) * sizeof(char *));
		j.files[j.nr_files++] = strbuf_detach(&p, NULL);
	}
	closedir(d);
	qsort(j.files, j.nr_files, sizeof(char *), cmp_str);
	j.set = &set;

	floor1 = pass(&j, n, &c1);
	j.read = true;
	t_read = pass(&j, n, &c_read);
	printf("read:  %zu pages in %.2f s: %.1f pages/s (%zu refused, %zu "
	       "with a question to review, %zu not decoded)\n",
	       j.pages, t_read, j.pages / t_read, j.refused, j.review,
	       j.errors);
	pages = j.pages;
	j.read = false;
	floor2 = pass(&j, n, &c2);
	floor_s = floor1 < floor2 ? floor1 : floor2;
	printf("floor: %zu pages decoded in %.2f s: %.1f pages/s (passes of "
	       "%.2f and %.2f s)\n",
	       j.pages, floor_s, j.pages / floor_s, floor1, floor2);
	printf("ratio: %.2f x the floor, %u thread%s\n", t_read / floor_s, n,
	       n == 1 ? "" : "s");
	printf("cpu:   %.3f s a page read, %.3f s a page decoded: %.2f x the "
	       "floor\n",
	       c_read / (double)pages, fmin(c1, c2) / (double)pages,
	       c_read / fmin(c1, c2));
	ret = pages == j.pages && pages ? 0 : 1;
	goto out;
usage:
	fputs("usage: bench_scan --db STORE [-j N] [--base-url URL] DIR\n",
	      stderr);
	ret = 2;
out:
	for (size_t i = 0; i < nls; i++)
		render_layout_free(ls[i]);
	free(ls);
	for (size_t i = 0; i < j.nr_files; i++)
		free(j.files[i]);
	free(j.files);
	scan_layouts_release(&set);
	survey_free(s);
	strbuf_release(&err);
	return ret;
}
