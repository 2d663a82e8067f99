/*
 * render.c - the driver (see render.h): grouping households into files,
 * checking everything before writing, temporary files renamed when
 * complete, worker processes, and progress on a terminal.
 */
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pdf.h"
#include "poster.h"
#include "render.h"
#include "msg.h"
#include "xalloc.h"
#include "banned.h"

#define MAX_WORKERS 64
#define ERR_SIZE    512
#define MM_TO_PT    (72.0 / 25.4)

/* One PDF: the households of one buurt, with or without address. */
struct job {
	const struct survey_buurt *buurt;
	struct render_layout *layout; /* shared by the buurt's two jobs */
	struct render_form *form;
	bool anonymous;
	unsigned reprint; /* 0, or N of "-herdruk-N" */
	size_t *idx;	  /* into the household list */
	size_t nr, alloc;
	int worker;
	/* Each set ends with a blank back page (render_options.duplex). */
	bool blank_back;
};

/* Pages per household in j's file: the form's, and a blank back. */
static size_t set_pages(const struct job *j)
{
	return j->layout->nr_pages + (j->blank_back ? 1 : 0);
}

/* What workers report to the parent, in memory shared across fork(). */
struct shared {
	volatile size_t done[MAX_WORKERS]; /* forms drawn */
	size_t files[MAX_WORKERS], pages[MAX_WORKERS];
	size_t cairo_files[MAX_WORKERS];
	uint64_t bytes[MAX_WORKERS];
	int failed[MAX_WORKERS];
	char err[MAX_WORKERS][ERR_SIZE];
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct progress {
	bool show;
	size_t total;
	double start, last;
};

static void progress_show(struct progress *p, size_t done, bool final)
{
	double t = now(), el = t - p->start, rate;
	long left;

	if (!p->show || (!final && t - p->last < 0.25))
		return;
	p->last = t;
	rate = el > 0 ? (double)done / el : 0;
	left = rate > 0 ? (long)((double)(p->total - done) / rate + 0.5) : 0;
	fprintf(stderr,
		"\rdraagvlak: %zu/%zu formulieren, %.0f per seconde, nog "
		"%ld:%02ld  ",
		done, p->total, rate, left / 60, left % 60);
	if (final)
		fputc('\n', stderr);
	fflush(stderr);
}

struct writer {
	FILE *fp;
	uint64_t bytes;
	int errnum;
};

static cairo_status_t write_fn(void *closure, const unsigned char *data,
			       unsigned int len)
{
	struct writer *w = closure;

	if (fwrite(data, 1, len, w->fp) != len) {
		w->errnum = errno ? errno : EIO;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	w->bytes += len;
	return CAIRO_STATUS_SUCCESS;
}

/*
 * "cannot write PATH: WHY" (message id) in lang, with what to do for the
 * failures a board member can mend (a full disk, a folder they may not
 * write in); other errnos in the system's words, or why when errnum is 0.
 */
static void say_cannot(struct strbuf *err, enum survey_lang lang,
		       enum msg_id id, const char *path, int errnum,
		       const char *why)
{
	enum msg_id words = MSG__COUNT;

	switch (errnum) {
	case ENOSPC:
#ifdef EDQUOT
	case EDQUOT:
#endif
		words = MSG_RENDER_WHY_FULL;
		break;
	case EFBIG: words = MSG_RENDER_WHY_TOO_LARGE; break;
	case EACCES:
	case EPERM: words = MSG_RENDER_WHY_DENIED; break;
	case EROFS: words = MSG_RENDER_WHY_READ_ONLY; break;
	case ENOENT:
	case ENOTDIR: words = MSG_RENDER_WHY_NO_FOLDER; break;
	default: break;
	}
	if (words != MSG__COUNT)
		why = msg_get(lang, words);
	else if (errnum)
		why = strerror(errnum);
	msg_add(err, lang, id, path, why ? why : "");
}

/* A temporary file beside path: "DIR/.NAME.XXXXXX", opened. */
static FILE *open_temp(const char *path, struct strbuf *tmp,
		       enum survey_lang lang, struct strbuf *err)
{
	const char *slash = strrchr(path, '/');
	int fd;
	FILE *fp;

	strbuf_reset(tmp);
	if (slash)
		strbuf_add(tmp, path, (size_t)(slash - path + 1));
	strbuf_addf(tmp, ".%s.XXXXXX", slash ? slash + 1 : path);
	fd = mkstemp(tmp->buf);
	if (fd < 0) {
		say_cannot(err, lang, MSG_RENDER_CANNOT_WRITE, path, errno,
			   NULL);
		strbuf_reset(tmp);
		return NULL;
	}
	fchmod(fd, 0644);
	fp = fdopen(fd, "wb");
	if (!fp) {
		say_cannot(err, lang, MSG_RENDER_CANNOT_WRITE, path, errno,
			   NULL);
		close(fd);
		unlink(tmp->buf);
		strbuf_reset(tmp);
		return NULL;
	}
	setvbuf(fp, NULL, _IOFBF, 1 << 18);
	return fp;
}

/* Close fp and move tmp to path; on any failure remove tmp. */
static int commit_temp(FILE *fp, int errnum, struct strbuf *tmp,
		       const char *path, enum survey_lang lang,
		       struct strbuf *err)
{
	if (fclose(fp) && !errnum)
		errnum = errno;
	if (!errnum && rename(tmp->buf, path))
		errnum = errno;
	if (errnum) {
		say_cannot(err, lang, MSG_RENDER_CANNOT_WRITE, path, errnum,
			   NULL);
		unlink(tmp->buf);
		return -1;
	}
	return 0;
}

int render_write_pdf(const char *path, double w, double h, size_t nr_pages,
		     render_page_fn draw, void *data, uint64_t *bytes,
		     enum survey_lang lang, struct strbuf *err)
{
	struct strbuf tmp = STRBUF_INIT;
	struct writer wr = { 0 };
	cairo_surface_t *surface;
	cairo_status_t status;
	cairo_t *cr;
	int ret = -1, drawn = 0;

	wr.fp = open_temp(path, &tmp, lang, err);
	if (!wr.fp)
		goto out;
	surface = cairo_pdf_surface_create_for_stream(
		write_fn, &wr, w * MM_TO_PT, h * MM_TO_PT);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
				       "draagvlak");
	cr = cairo_create(surface);
	cairo_scale(cr, MM_TO_PT, MM_TO_PT);
	for (size_t i = 0; i < nr_pages && !drawn; i++) {
		if (draw(cr, data, i, err) < 0)
			drawn = -1;
		cairo_show_page(cr);
	}
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	status = cairo_surface_status(surface);
	cairo_surface_destroy(surface);
	if (drawn < 0) {
		fclose(wr.fp);
		unlink(tmp.buf);
		goto out;
	}
	if (status != CAIRO_STATUS_SUCCESS && !wr.errnum) {
		say_cannot(err, lang, MSG_RENDER_CANNOT_WRITE, path, 0,
			   cairo_status_to_string(status));
		fclose(wr.fp);
		unlink(tmp.buf);
		goto out;
	}
	if (commit_temp(wr.fp, wr.errnum, &tmp, path, lang, err) < 0)
		goto out;
	if (bytes)
		*bytes = wr.bytes;
	ret = 0;
out:
	strbuf_release(&tmp);
	return ret;
}

static int write_text(const char *path, const struct strbuf *sb,
		      enum survey_lang lang, struct strbuf *err)
{
	struct strbuf tmp = STRBUF_INIT;
	FILE *fp = open_temp(path, &tmp, lang, err);
	int errnum = 0, ret = -1;

	if (!fp)
		goto out;
	if (fwrite(sb->buf, 1, sb->len, fp) != sb->len)
		errnum = errno ? errno : EIO;
	ret = commit_temp(fp, errnum, &tmp, path, lang, err);
out:
	strbuf_release(&tmp);
	return ret;
}

/* OUTDIR/PREFIX-ID[-zonder-adres][-herdruk-N]EXT, ID made file-safe. */
static void file_path(const char *outdir, const char *prefix,
		      const char *buurt_id, bool anonymous, unsigned reprint,
		      const char *ext, struct strbuf *out)
{
	strbuf_addf(out, "%s/%s-", outdir, prefix ? prefix : "formulieren");
	for (const char *p = buurt_id; *p; p++)
		strbuf_addch(out, (*p >= 'a' && *p <= 'z') ||
						  (*p >= 'A' && *p <= 'Z') ||
						  (*p >= '0' && *p <= '9') ||
						  *p == '-' || *p == '_'
					  ? *p
					  : '_');
	if (anonymous)
		strbuf_addstr(out, "-zonder-adres");
	if (reprint)
		strbuf_addf(out, "-herdruk-%u", reprint);
	strbuf_addstr(out, ext);
}

static void job_path(const struct render_options *o, const struct job *j,
		     const char *ext, struct strbuf *out)
{
	file_path(o->outdir, o->prefix, j->buurt->id, j->anonymous, j->reprint,
		  ext, out);
}

void render_forms_path(const struct render_options *o, const char *buurt_id,
		       bool anonymous, const char *ext, struct strbuf *out)
{
	file_path(o->outdir, o->prefix, buurt_id, anonymous, 0, ext, out);
}

struct job_run {
	const struct job *job;
	const struct render_households *list;
	volatile size_t *done;	   /* forms drawn by this worker */
	size_t base;		   /* its value when the job started */
	struct progress *progress; /* NULL in a worker process */
};

static int draw_job_page(cairo_t *cr, void *data, size_t page,
			 struct strbuf *err)
{
	struct job_run *r = data;
	size_t n = set_pages(r->job), k = page / n;

	if (page % n == 0) {
		*r->done = r->base + k;
		if (r->progress)
			progress_show(r->progress, *r->done, false);
	}
	return render_form_draw_page(r->job->form, cr, page % n,
				     &r->list->v[r->job->idx[k]], err);
}

/*
 * Write the forms of r's job straight into a PDF (pdf.h).  Returns 0 and
 * the size in *bytes, -1 with a sentence in err, or
 * RENDER_PDF_UNSUPPORTED when cairo's template or a font is not what the
 * writer can use; nothing is left at path or beside it unless 0.
 */
static int write_forms_pdf(const char *path, struct job_run *r, uint64_t *bytes,
			   struct strbuf *err)
{
	const struct job *j = r->job;
	size_t n = set_pages(j);
	enum survey_lang lang = j->layout->lang;
	int errnum = 0;
	struct strbuf tmp = STRBUF_INIT, tmpl = STRBUF_INIT, c = STRBUF_INIT;
	struct strbuf why = STRBUF_INIT;
	struct render_pdf *pdf = NULL;
	FILE *fp = NULL;
	bool write_failed = false;
	int ret = -1;

	if (render_form_template(j->form, j->blank_back, &tmpl, err) < 0)
		goto out;
	fp = open_temp(path, &tmp, lang, err);
	if (!fp)
		goto out;
	pdf = render_pdf_open(fp, RENDER_PAGE_W * MM_TO_PT,
			      RENDER_PAGE_H * MM_TO_PT, tmpl.buf, tmpl.len,
			      &ret, &why);
	if (!pdf)
		goto fail;
	for (size_t k = 0; k < j->nr && !ret && !write_failed; k++) {
		*r->done = r->base + k;
		if (r->progress)
			progress_show(r->progress, *r->done, false);
		for (size_t pg = 0; pg < n && !ret && !write_failed; pg++) {
			ret = render_form_pdf_page(j->form, pdf, pg,
						   &r->list->v[j->idx[k]], &c,
						   &why);
			/*
			 * A full disk: stop both loops (the list must not be
			 * read past its end); render_pdf_finish() says why.
			 */
			if (!ret && render_pdf_add_page(pdf, &c) < 0)
				write_failed = true;
		}
	}
	if (ret)
		goto fail;
	ret = render_pdf_finish(pdf, bytes, &why);
	if (ret)
		errnum =
			errno; /* the write's, as render_pdf_finish() leaves it */
	pdf = NULL;
	if (!ret && write_failed) {
		errnum = EIO;
		ret = -1;
	}
	if (ret)
		goto fail;
	ret = commit_temp(fp, 0, &tmp, path, lang, err);
	fp = NULL;
	goto out;
fail:
	render_pdf_abandon(pdf);
	fclose(fp);
	fp = NULL;
	unlink(tmp.buf);
	if (ret != RENDER_PDF_UNSUPPORTED)
		say_cannot(err, lang, MSG_RENDER_CANNOT_WRITE, path, errnum,
			   why.buf);
out:
	strbuf_release(&tmp);
	strbuf_release(&tmpl);
	strbuf_release(&c);
	strbuf_release(&why);
	return ret;
}

/* Write the PDF and the layout file of job j. */
static int run_job(const struct job *j, const struct render_households *list,
		   const struct render_options *o, volatile size_t *done,
		   struct progress *progress, size_t *pages, uint64_t *bytes,
		   size_t *cairo_files, bool cairo_only, struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT, json = STRBUF_INIT;
	struct job_run r = { j, list, done, *done, progress };
	uint64_t size = 0;
	int ret = -1;

	/*
	 * The PDF first, then its layout file: a PDF that fails leaves the
	 * previous pair as it was, and a layout file that fails takes the
	 * new PDF away again, so that the two never disagree on the layout.
	 */
	job_path(o, j, ".pdf", &path);
	ret = cairo_only ? RENDER_PDF_UNSUPPORTED
			 : write_forms_pdf(path.buf, &r, &size, err);
	if (ret == RENDER_PDF_UNSUPPORTED) {
		/* The same pages, drawn one by one by cairo: slower. */
		(*cairo_files)++;
		ret = render_write_pdf(path.buf, RENDER_PAGE_W, RENDER_PAGE_H,
				       j->nr * set_pages(j), draw_job_page, &r,
				       &size, j->layout->lang, err);
	}
	if (ret < 0)
		goto out;
	strbuf_reset(&path);
	job_path(o, j, ".layout.json", &path);
	render_layout_json(j->layout, &json);
	if (write_text(path.buf, &json, j->layout->lang, err) < 0) {
		ret = -1;
		unlink(path.buf); /* the old layout is not this PDF's */
		strbuf_reset(&path);
		job_path(o, j, ".pdf", &path);
		unlink(path.buf);
		goto out;
	}
	*done = r.base + j->nr;
	*pages += j->nr * set_pages(j);
	*bytes += size;
out:
	strbuf_release(&path);
	strbuf_release(&json);
	return ret;
}

static int check_outdir(const char *outdir, enum survey_lang lang,
			struct strbuf *err)
{
	struct strbuf probe = STRBUF_INIT;
	int fd, ret = -1;

	if (mkdir(outdir, 0777) && errno != EEXIST) {
		say_cannot(err, lang, MSG_RENDER_CANNOT_MKDIR, outdir, errno,
			   NULL);
		goto out;
	}
	strbuf_addf(&probe, "%s/.draagvlak-probe.XXXXXX", outdir);
	fd = mkstemp(probe.buf);
	if (fd < 0) {
		say_cannot(err, lang, MSG_RENDER_CANNOT_WRITE_IN, outdir, errno,
			   NULL);
		goto out;
	}
	close(fd);
	unlink(probe.buf);
	ret = 0;
out:
	strbuf_release(&probe);
	return ret;
}

static unsigned nr_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > MAX_WORKERS ? MAX_WORKERS : (unsigned)n;
}

/* Largest job first to the least loaded worker (LPT scheduling). */
static void share_out(struct job *jobs, size_t nr, unsigned workers)
{
	size_t load[MAX_WORKERS] = { 0 };
	bool *taken = xcalloc(nr, sizeof(*taken));

	for (size_t n = 0; n < nr; n++) {
		size_t best = nr;
		unsigned w = 0;

		for (size_t i = 0; i < nr; i++)
			if (!taken[i] &&
			    (best == nr || jobs[i].nr > jobs[best].nr))
				best = i;
		taken[best] = true;
		for (unsigned k = 1; k < workers; k++)
			if (load[k] < load[w])
				w = k;
		jobs[best].worker = (int)w;
		load[w] += jobs[best].nr;
	}
	free(taken);
}

/* Run the jobs of worker w; 0 or -1 with the message in sh->err[w]. */
static int run_worker(struct job *jobs, size_t nr,
		      const struct render_households *list,
		      const struct render_options *o, struct shared *sh,
		      unsigned w, struct progress *progress)
{
	struct strbuf err = STRBUF_INIT;
	int ret = 0;

	/*
	 * cairo starts a zlib stream (a few hundred KB of state) for every
	 * page and image; with glibc's defaults each is an mmap and munmap,
	 * page faults included.  Keeping them on the heap saves a fifth of
	 * the time per page.
	 */
	if (!o->in_server) {
		mallopt(M_MMAP_THRESHOLD, 64 << 20);
		mallopt(M_TRIM_THRESHOLD, 256 << 20);
	}
	for (size_t i = 0; i < nr && !ret; i++) {
		if (jobs[i].worker != (int)w)
			continue;
		if (run_job(&jobs[i], list, o, &sh->done[w], progress,
			    &sh->pages[w], &sh->bytes[w], &sh->cairo_files[w],
			    o->cairo_only, &err) < 0) {
			snprintf(sh->err[w], ERR_SIZE, "%s", err.buf);
			sh->failed[w] = 1;
			ret = -1;
		} else {
			sh->files[w]++;
		}
	}
	strbuf_release(&err);
	return ret;
}

/*
 * The temporary files open_temp() made for job j (".NAME.XXXXXX" beside
 * each file), which a worker that died could not remove itself.
 */
static void remove_temps(const struct render_options *o, const struct job *j)
{
	static const char *const ext[] = { ".pdf", ".layout.json" };

	for (size_t e = 0; e < 2; e++) {
		struct strbuf name = STRBUF_INIT, p = STRBUF_INIT;
		const char *base;
		struct dirent *de;
		DIR *d;

		job_path(o, j, ext[e], &name);
		base = strrchr(name.buf, '/') ? strrchr(name.buf, '/') + 1
					      : name.buf;
		d = opendir(o->outdir);
		while (d && (de = readdir(d))) {
			size_t n = strlen(base);

			if (de->d_name[0] != '.' ||
			    strncmp(de->d_name + 1, base, n) ||
			    de->d_name[n + 1] != '.' ||
			    strlen(de->d_name + n + 2) != 6)
				continue;
			strbuf_reset(&p);
			strbuf_addf(&p, "%s/%s", o->outdir, de->d_name);
			unlink(p.buf);
		}
		if (d)
			closedir(d);
		strbuf_release(&name);
		strbuf_release(&p);
	}
}

static int run_jobs(struct job *jobs, size_t nr,
		    const struct render_households *list,
		    const struct render_options *o, size_t total,
		    struct render_stats *stats, struct strbuf *err)
{
	unsigned workers = o->jobs ? o->jobs : nr_cpus();
	struct progress progress = { .total = total, .start = now() };
	struct shared *sh;
	pid_t pids[MAX_WORKERS];
	int ret = 0;

	progress.show = o->progress && isatty(STDERR_FILENO);
	if (workers > nr)
		workers = (unsigned)nr;
	if (workers > MAX_WORKERS)
		workers = MAX_WORKERS;
	if (workers < 1)
		workers = 1;
	share_out(jobs, nr, workers);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		msg_add(err, o->lang, MSG_RENDER_WORKERS, strerror(errno));
		return -1;
	}
	memset(sh, 0, sizeof(*sh));
	if (workers == 1) {
		ret = run_worker(jobs, nr, list, o, sh, 0, &progress);
	} else {
		fflush(NULL);
		for (unsigned w = 0; w < workers; w++) {
			pids[w] = fork();
			if (pids[w] == 0) {
				/* A worker: write its files, report, leave
				 * without running the parent's atexit work. */
				int r = run_worker(jobs, nr, list, o, sh, w,
						   NULL);
				_exit(r ? 1 : 0);
			}
			if (pids[w] < 0) {
				struct strbuf m = STRBUF_INIT;

				msg_add(&m, o->lang, MSG_RENDER_WORKERS,
					strerror(errno));
				snprintf(sh->err[w], ERR_SIZE, "%s", m.buf);
				strbuf_release(&m);
				sh->failed[w] = 1;
			}
		}
		for (unsigned left = workers; left;) {
			size_t done = 0;

			left = 0;
			for (unsigned w = 0; w < workers; w++) {
				int status;

				if (pids[w] <= 0)
					continue;
				if (waitpid(pids[w], &status, WNOHANG) ==
				    pids[w]) {
					if (!WIFEXITED(status) ||
					    (WEXITSTATUS(status) &&
					     !sh->failed[w])) {
						snprintf(
							sh->err[w], ERR_SIZE,
							"%s",
							msg_get(o->lang,
								MSG_RENDER_WORKER_DIED));
						sh->failed[w] = 1;
					}
					/* What it left half written goes. */
					if (!WIFEXITED(status))
						for (size_t i = 0; i < nr; i++)
							if (jobs[i].worker ==
							    (int)w)
								remove_temps(
									o,
									&jobs[i]);
					pids[w] = 0;
				} else {
					left++;
				}
			}
			for (unsigned w = 0; w < workers; w++)
				done += sh->done[w];
			progress_show(&progress, done, false);
			if (left)
				usleep(50000);
		}
	}
	for (unsigned w = 0; w < workers; w++) {
		stats->files += sh->files[w];
		stats->pages += sh->pages[w];
		stats->cairo_files += sh->cairo_files[w];
		stats->bytes += sh->bytes[w];
		stats->forms += sh->done[w];
		if (sh->failed[w] && !ret) {
			strbuf_addstr(err, sh->err[w]);
			ret = -1;
		} else if (sh->failed[w] && !err->len) {
			strbuf_addstr(err, sh->err[w]);
		}
	}
	if (!ret)
		progress_show(&progress, total, true);
	else if (progress.show)
		fputc('\n', stderr);
	munmap(sh, sizeof(*sh));
	return ret;
}

/* The first "-herdruk-N" whose PDF and layout file are not there yet. */
static void pick_reprint_name(const struct render_options *o, struct job *j)
{
	struct strbuf path = STRBUF_INIT;

	for (j->reprint = 1; j->reprint < 100000; j->reprint++) {
		bool taken;

		strbuf_reset(&path);
		job_path(o, j, ".pdf", &path);
		taken = !access(path.buf, F_OK);
		strbuf_reset(&path);
		job_path(o, j, ".layout.json", &path);
		if (!taken && access(path.buf, F_OK))
			break;
	}
	strbuf_release(&path);
}

int render_forms(const struct survey *s, const struct render_households *list,
		 const struct render_options *o, struct render_stats *stats,
		 struct strbuf *err)
{
	const char *base = o->base_url ? o->base_url : s->base_url;
	struct job *jobs = xcalloc(2 * s->nr_buurten + 1, sizeof(*jobs));
	struct render_layout **layouts =
		xcalloc(s->nr_buurten + 1, sizeof(*layouts));
	size_t nr = 0, total = 0;
	int ret = -1;

	/* Group by buurt in survey order, keeping the list's order. */
	for (size_t i = 0; i < list->nr; i++) {
		const struct render_household *h = &list->v[i];
		const struct survey_buurt *b =
			survey_find_buurt(s, h->buurt_id);
		size_t bi, k;

		if (!b) {
			char id[24];

			snprintf(id, sizeof(id), "%lld", h->id);
			msg_add(err, o->lang, MSG_RENDER_HOUSEHOLD_BUURT, id,
				h->buurt_id);
			goto out;
		}
		bi = (size_t)(b - s->buurten);
		k = 2 * bi + (h->street ? 0 : 1);
		jobs[k].buurt = b;
		jobs[k].anonymous = !h->street;
		ALLOC_GROW(jobs[k].idx, jobs[k].nr + 1, jobs[k].alloc);
		jobs[k].idx[jobs[k].nr++] = i;
		total++;
	}
	/* Check everything that can fail before writing anything. */
	for (size_t k = 0; k < 2 * s->nr_buurten; k++) {
		size_t bi = k / 2;

		if (!jobs[k].nr)
			continue;
		if (!layouts[bi]) {
			layouts[bi] = render_layout_new(s, &s->buurten[bi],
							o->lang, base, err);
			if (!layouts[bi])
				goto out;
			/* Added after the id: it moves no box. */
			if (o->notice &&
			    render_layout_add_notice(layouts[bi], o->notice,
						     err) < 0) {
				strbuf_addf(err, " (buurt %s)",
					    s->buurten[bi].id);
				goto out;
			}
			if (!layouts[bi]->qr.alnum)
				stats->qr_note = layouts[bi]->qr.why;
			if (layouts[bi]->nr_pages % 2 && o->duplex &&
			    layouts[bi]->nr_pages >= RENDER_MAX_PAGES) {
				char n[16];

				snprintf(n, sizeof(n), "%d", RENDER_MAX_PAGES);
				msg_add(err, o->lang,
					MSG_RENDER_DUPLEX_TOO_LONG, n);
				goto out;
			}
			if (layouts[bi]->nr_pages % 2 && !o->duplex)
				stats->odd_pages = layouts[bi]->nr_pages;
		}
		jobs[k].layout = layouts[bi];
		jobs[k].blank_back = o->duplex && layouts[bi]->nr_pages % 2;
		if (set_pages(&jobs[k]) > stats->set_pages)
			stats->set_pages = set_pages(&jobs[k]);
	}
	if (check_outdir(o->outdir, o->lang, err) < 0)
		goto out;
	/* Compact, and record each layout's static drawing once. */
	for (size_t k = 0; k < 2 * s->nr_buurten; k++) {
		if (!jobs[k].nr)
			continue;
		jobs[nr] = jobs[k];
		if (k != nr)
			memset(&jobs[k], 0, sizeof(jobs[k]));
		jobs[nr].form = render_form_new(jobs[nr].layout);
		if (o->reprint)
			pick_reprint_name(o, &jobs[nr]);
		nr++;
	}
	ret = nr ? run_jobs(jobs, nr, list, o, total, stats, err) : 0;
out:
	for (size_t k = 0; k < 2 * s->nr_buurten; k++) {
		render_form_free(jobs[k].form);
		free(jobs[k].idx);
	}
	for (size_t i = 0; i < s->nr_buurten; i++)
		render_layout_free(layouts[i]);
	free(layouts);
	free(jobs);
	return ret;
}

struct poster_run {
	const struct survey *s;
	enum survey_lang lang;
	const char *base;
	double scale;
};

static int draw_poster_page(cairo_t *cr, void *data, size_t page,
			    struct strbuf *err)
{
	struct poster_run *r = data;
	int ret;

	(void)page;
	cairo_save(cr);
	cairo_scale(cr, r->scale, r->scale);
	ret = render_poster_draw(cr, r->s, r->lang, r->base, err);
	cairo_restore(cr);
	return ret;
}

int render_posters(const struct survey *s, const struct render_options *o,
		   struct render_stats *stats, struct strbuf *err)
{
	static const struct {
		const char *name;
		double w, h;
	} sizes[] = { { "poster-A4.pdf", 210, 297 },
		      { "poster-A3.pdf", 297, 420 } };
	struct poster_run r = { s, o->lang,
				o->base_url ? o->base_url : s->base_url, 1 };
	struct strbuf path = STRBUF_INIT;
	struct render_qr_plan plan;
	int ret = -1;

	if (o->lang != SURVEY_NL && !s->languages[o->lang]) {
		msg_add(err, o->lang, MSG_RENDER_NO_LANG,
			survey_lang_code(o->lang));
		goto out;
	}
	/* The same checks of the base URL as for the forms. */
	if (render_qr_plan_init(&plan, r.base, o->lang, err) < 0)
		goto out;
	if (!plan.alnum)
		stats->qr_note = plan.why;
	render_qr_plan_release(&plan);
	if (check_outdir(o->outdir, o->lang, err) < 0)
		goto out;
	for (size_t i = 0; i < 2; i++) {
		uint64_t bytes = 0;

		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", o->outdir, sizes[i].name);
		r.scale = sizes[i].w / RENDER_PAGE_W;
		if (render_write_pdf(path.buf, sizes[i].w, sizes[i].h, 1,
				     draw_poster_page, &r, &bytes, o->lang,
				     err) < 0)
			goto out;
		stats->files++;
		stats->pages++;
		stats->bytes += bytes;
	}
	ret = 0;
out:
	strbuf_release(&path);
	return ret;
}

void render_cleanup(void)
{
	/*
	 * Only the font map: cairo_debug_reset_static_data() and FcFini()
	 * assert when any cache entry is still alive, which pango does not
	 * promise, and made exits fail now and then.  What the libraries
	 * keep for the life of the process is listed in tests/lsan.supp.
	 */
	pango_cairo_font_map_set_default(NULL);
}
