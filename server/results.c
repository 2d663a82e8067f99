/*
 * results.c - the background count behind the board's dashboard (see
 * results.h).
 */
#include "results.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "store.h"
#include "xalloc.h"
#include "banned.h"

/* How often the thread looks at the store while someone is watching. */
#define POLL_MS 500
/* How long after the last page view the counts are kept fresh. */
#define WATCHED_S 300
/* How long the first view after a quiet spell waits for a fresh count. */
#define FIRST_VIEW_MS 2000
/* Counts shown on pages, kept for their charts (server_results_keep()). */
#define KEPT_MAX 8
#define KEPT_S	 900

/* Files made from counts, kept (server_results_file_keep()). */
#define FILES_MAX 4

struct kept_file {
	unsigned long long seq; /* 0: empty */
	char key[16];
	struct strbuf data;
	unsigned long long used; /* for replacing the oldest */
};

struct kept {
	struct server_snapshot *snap; /* holds a reference; NULL: free */
	double until;		      /* monotonic */
};

struct server_results {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;	/* the counting thread waits on it */
	pthread_cond_t counted; /* waiters of a fresh count wait on it */
	struct store *st;
	const struct survey *s;
	char *today;
	struct server_snapshot *latest;
	unsigned long long counts;  /* counts completed */
	unsigned long long started; /* counts begun */
	bool force; /* count now, changed or not (server_results_wait_fresh) */
	bool stopping;
	double last_view;	/* monotonic time of the last page view */
	struct strbuf last_err; /* the last failure, logged once */
	struct kept kept[KEPT_MAX];
	struct kept_file files[FILES_MAX];
	unsigned long long file_uses;
};

static double monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void snapshot_free(struct server_snapshot *snap)
{
	if (!snap)
		return;
	store_audit_release(&snap->au);
	analysis_counts_release(&snap->qc);
	analysis_free(snap->an);
	free(snap);
}

/* One count, in one read transaction.  NULL with a sentence in err. */
static struct server_snapshot *count(struct server_results *r,
				     struct strbuf *err)
{
	struct server_snapshot *snap = xcalloc(1, sizeof(*snap));
	double t0 = monotonic();

	snap->taken = time(NULL);
	if (store_begin_read(r->st, err) < 0)
		goto fail;
	snap->an = analysis_run(r->st, r->s, r->today, err);
	if (!snap->an || store_audit_read(r->st, r->s, &snap->au, err) < 0 ||
	    analysis_counts_read(r->st, r->s, &snap->qc, err) < 0) {
		store_rollback(r->st);
		goto fail;
	}
	store_commit(r->st, NULL);
	snap->seconds = monotonic() - t0;
	return snap;
fail:
	snapshot_free(snap);
	return NULL;
}

static void publish(struct server_results *r, struct server_snapshot *snap)
{
	struct server_snapshot *old;

	pthread_mutex_lock(&r->lock);
	old = r->latest;
	snap->refs = 1; /* the results' own reference */
	snap->seq = r->counts + 1;
	r->latest = snap;
	if (old && --old->refs == 0)
		snapshot_free(old);
	else
		old = NULL;
	r->counts++;
	pthread_cond_broadcast(&r->counted);
	pthread_mutex_unlock(&r->lock);
}

/* Sleep until forced, stopped, or seconds passed; with r->lock held. */
static void nap(struct server_results *r, double seconds)
{
	struct timespec until;
	double t;

	clock_gettime(CLOCK_REALTIME, &until);
	t = (double)until.tv_sec + (double)until.tv_nsec / 1e9 + seconds;
	until.tv_sec = (time_t)t;
	until.tv_nsec = (long)((t - (double)until.tv_sec) * 1e9);
	/* A signal without force is a page view after a quiet spell. */
	if (!r->force && !r->stopping)
		pthread_cond_timedwait(&r->wake, &r->lock, &until);
}

/*
 * Count and publish; returns what it took in seconds, or -1 after a
 * failure (logged once per distinct reason).
 */
static double count_once(struct server_results *r)
{
	struct strbuf err = STRBUF_INIT;
	struct server_snapshot *snap = count(r, &err);
	double cost = -1;

	if (snap) {
		cost = snap->seconds;
		publish(r, snap);
		strbuf_reset(&r->last_err);
	} else if (strcmp(err.buf, r->last_err.len ? r->last_err.buf : "")) {
		fprintf(stderr, "draagvlak serve: counting the results: %s\n",
			err.buf);
		strbuf_reset(&r->last_err);
		strbuf_addstr(&r->last_err, err.buf);
	}
	strbuf_release(&err);
	return cost;
}

static void *run(void *arg)
{
	struct server_results *r = arg;
	long long seen = -2;
	char day[11] = "";
	double next = 0, cost = 0;

	pthread_mutex_lock(&r->lock);
	while (!r->stopping) {
		bool force = r->force, due, ready;
		/* Nobody looking: no need to spend a core on counting. */
		bool watched = monotonic() - r->last_view < WATCHED_S;
		char today[11];
		long long v;

		r->force = false;
		pthread_mutex_unlock(&r->lock);
		v = store_data_version(r->st);
		analysis_local_date(today);
		due = force || seen == -2 ||
		      (watched && (v != seen || strcmp(today, day) != 0));
		ready = force || monotonic() >= next;
		if (due && ready) {
			pthread_mutex_lock(&r->lock);
			r->started++;
			pthread_mutex_unlock(&r->lock);
			cost = count_once(r);
			next = monotonic() + 3 * (cost > 0 ? cost : 1);
			if (cost >= 0) {
				seen = v;
				memcpy(day, today, sizeof(day));
			}
		}
		pthread_mutex_lock(&r->lock);
		if (!r->stopping && !r->force)
			nap(r, due && !ready ? next - monotonic()
					     : POLL_MS / 1000.0);
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

struct server_results *server_results_start(const char *path,
					    const struct survey *s,
					    const char *today,
					    struct strbuf *err)
{
	struct server_results *r = xcalloc(1, sizeof(*r));

	r->s = s;
	r->today = today ? xstrdup(today) : NULL;
	r->last_view = -WATCHED_S; /* nobody yet: one count at start only */
	strbuf_init(&r->last_err, 0);
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->wake, NULL);
	pthread_cond_init(&r->counted, NULL);
	r->st = store_open(path, STORE_EXISTING, err);
	if (!r->st)
		goto fail;
	if (pthread_create(&r->thread, NULL, run, r)) {
		strbuf_addstr(err, "cannot start the counting thread");
		goto fail;
	}
	return r;
fail:
	store_free(r->st);
	r->st = NULL;
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->wake);
	pthread_cond_destroy(&r->counted);
	strbuf_release(&r->last_err);
	free(r->today);
	free(r);
	return NULL;
}

/*
 * Wait, with r->lock held, until a count begun after now is published,
 * for at most timeout_ms: 0, or -1 on time-out.
 */
static int wait_for_count(struct server_results *r, unsigned timeout_ms)
{
	unsigned long long need = r->started + 1;
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	r->force = true;
	pthread_cond_signal(&r->wake);
	while (r->counts < need && !r->stopping)
		if (pthread_cond_timedwait(&r->counted, &r->lock, &until))
			break;
	return r->counts >= need ? 0 : -1;
}

const struct server_snapshot *server_results_get(struct server_results *r)
{
	struct server_snapshot *snap;

	pthread_mutex_lock(&r->lock);
	/*
	 * Someone is looking again after a while: the counter has not
	 * followed the store meanwhile, so count now and show that.  A
	 * count reads the tallies (store/counts.h), milliseconds for a
	 * million responses, so the page waits that long at most once.
	 */
	if (monotonic() - r->last_view >= WATCHED_S)
		wait_for_count(r, FIRST_VIEW_MS);
	r->last_view = monotonic();
	snap = r->latest;
	if (snap)
		snap->refs++;
	pthread_mutex_unlock(&r->lock);
	return snap;
}

void server_results_put(struct server_results *r,
			const struct server_snapshot *snap)
{
	struct server_snapshot *s = (struct server_snapshot *)snap;
	bool last;

	if (!s)
		return;
	pthread_mutex_lock(&r->lock);
	last = --s->refs == 0;
	pthread_mutex_unlock(&r->lock);
	if (last)
		snapshot_free(s);
}

void server_results_keep(struct server_results *r,
			 const struct server_snapshot *snap)
{
	struct server_snapshot *drop = NULL;
	double now = monotonic();
	struct kept *slot = NULL;

	if (!snap)
		return;
	pthread_mutex_lock(&r->lock);
	for (size_t i = 0; i < KEPT_MAX && !slot; i++)
		if (r->kept[i].snap == snap)
			slot = &r->kept[i];
	if (!slot) {
		/* A free slot, else the one that expires first. */
		slot = &r->kept[0];
		for (size_t i = 0; i < KEPT_MAX && slot->snap; i++)
			if (!r->kept[i].snap || r->kept[i].until < slot->until)
				slot = &r->kept[i];
		if (slot->snap && --slot->snap->refs == 0)
			drop = slot->snap;
		slot->snap = (struct server_snapshot *)snap;
		slot->snap->refs++;
	}
	slot->until = now + KEPT_S;
	pthread_mutex_unlock(&r->lock);
	snapshot_free(drop);
}

const struct server_snapshot *server_results_get_seq(struct server_results *r,
						     unsigned long long seq)
{
	struct server_snapshot *snap = NULL;
	double now = monotonic();

	pthread_mutex_lock(&r->lock);
	if (r->latest && r->latest->seq == seq)
		snap = r->latest;
	for (size_t i = 0; i < KEPT_MAX && !snap; i++)
		if (r->kept[i].snap && r->kept[i].snap->seq == seq &&
		    r->kept[i].until > now)
			snap = r->kept[i].snap;
	if (snap)
		snap->refs++;
	pthread_mutex_unlock(&r->lock);
	return snap;
}

int server_results_wait_fresh(struct server_results *r, unsigned timeout_ms)
{
	int ret;

	pthread_mutex_lock(&r->lock);
	ret = wait_for_count(r, timeout_ms);
	pthread_mutex_unlock(&r->lock);
	return ret;
}

bool server_results_file_get(struct server_results *r, unsigned long long seq,
			     const char *key, struct strbuf *out)
{
	bool found = false;

	pthread_mutex_lock(&r->lock);
	for (size_t i = 0; i < FILES_MAX && !found; i++) {
		struct kept_file *f = &r->files[i];

		if (f->seq == seq && seq && !strcmp(f->key, key)) {
			strbuf_reset(out);
			strbuf_add(out, f->data.buf, f->data.len);
			f->used = ++r->file_uses;
			found = true;
		}
	}
	pthread_mutex_unlock(&r->lock);
	return found;
}

void server_results_file_keep(struct server_results *r, unsigned long long seq,
			      const char *key, const struct strbuf *file)
{
	struct kept_file *f = &r->files[0];

	if (strlen(key) >= sizeof(f->key))
		return;
	pthread_mutex_lock(&r->lock);
	for (size_t i = 1; i < FILES_MAX; i++)
		if (r->files[i].used < f->used)
			f = &r->files[i];
	f->seq = seq;
	snprintf(f->key, sizeof(f->key), "%s", key);
	strbuf_reset(&f->data);
	strbuf_add(&f->data, file->buf, file->len);
	f->used = ++r->file_uses;
	pthread_mutex_unlock(&r->lock);
}

void server_results_stop(struct server_results *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	r->stopping = true;
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	if (r->latest && --r->latest->refs == 0)
		snapshot_free(r->latest);
	for (size_t i = 0; i < KEPT_MAX; i++)
		if (r->kept[i].snap && --r->kept[i].snap->refs == 0)
			snapshot_free(r->kept[i].snap);
	for (size_t i = 0; i < FILES_MAX; i++)
		strbuf_release(&r->files[i].data);
	store_free(r->st);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->wake);
	pthread_cond_destroy(&r->counted);
	strbuf_release(&r->last_err);
	free(r->today);
	free(r);
}

int server_results_file(const char *name,
			int (*write)(const char *path, void *data,
				     struct strbuf *err),
			void *data, struct strbuf *out, struct strbuf *err)
{
	const char *tmp = getenv("TMPDIR");
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT;
	int ret = -1;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	strbuf_addf(&dir, "%s/draagvlak-download-XXXXXX", tmp);
	if (!mkdtemp(dir.buf)) {
		strbuf_addf(err, "cannot make a scratch folder in %s: %s", tmp,
			    strerror(errno));
		goto out;
	}
	strbuf_addf(&path, "%s/%s", dir.buf, name);
	if (write(path.buf, data, err) < 0)
		goto cleanup;
	if (strbuf_read_file(out, path.buf) < 0) {
		strbuf_addf(err, "cannot read %s: %s", path.buf,
			    strerror(errno));
		goto cleanup;
	}
	ret = 0;
cleanup:
	unlink(path.buf);
	rmdir(dir.buf);
out:
	strbuf_release(&dir);
	strbuf_release(&path);
	return ret;
}
