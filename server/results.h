/*
 * results.h - the board's live view of the analysis, kept fresh in the
 * background.
 *
 * A dashboard must answer at once, so a thread of its own recounts
 * (analysis_run() and the audit, in one read transaction so they agree)
 * whenever the store has changed -
 * PRAGMA data_version, which also sees the command line writing - or the
 * day has turned, but never sooner after the last count than three times
 * what that count took, so a large store under load does not spend a core
 * on recounting.  It counts once at start, and after that only while
 * someone looks at the results (a page view in the last five minutes): a
 * survey's busiest hour need not pay for a dashboard nobody watches.  The
 * first view after a quiet spell waits for a fresh count: counting reads
 * the tallies the store keeps as answers are committed (store/counts.h),
 * milliseconds for a million responses.  Pages show the latest count and
 * say when it was made.
 *
 * A snapshot is shared: server_results_get() hands out a reference that
 * stays valid, even after a newer count replaced it, until it is given
 * back with server_results_put().
 */
#ifndef DRAAGVLAK_SERVER_RESULTS_H
#define DRAAGVLAK_SERVER_RESULTS_H

#include <time.h>

#include "analysis.h"
#include "audit.h"
#include "questions.h"
#include "strbuf.h"
#include "survey.h"

struct server_snapshot {
	struct analysis *an;
	struct store_audit au;
	struct analysis_counts qc; /* every question, from the same read */
	time_t taken;		   /* when the count was made (wall clock) */
	double seconds;		   /* how long it took */
	unsigned long long seq;	   /* which count: 1, 2, ... */
	unsigned refs;		   /* owned by results.c */
};

struct server_results;

/*
 * Start counting the survey s (borrowed; must outlive the results) in the
 * store at path, as on day today (YYYY-MM-DD, or NULL for the local date
 * of each count).  Returns the results, or NULL with a sentence in err.
 */
struct server_results *server_results_start(const char *path,
					    const struct survey *s,
					    const char *today,
					    struct strbuf *err);

/*
 * The latest count, or NULL while the first one is still being made.
 * Give it back with server_results_put().
 */
const struct server_snapshot *server_results_get(struct server_results *r);
/* Give back a snapshot of server_results_get(); NULL is fine. */
void server_results_put(struct server_results *r,
			const struct server_snapshot *snap);

/*
 * Keep snap (a reference from server_results_get()) findable by its seq
 * for a while after a newer count replaced it: a page that shows it links
 * its charts by that number, and the browser fetches them (some lazily,
 * when scrolled to) after the page, so table and charts come from the
 * same count.  A few pages' counts are kept, for some minutes each.
 */
void server_results_keep(struct server_results *r,
			 const struct server_snapshot *snap);

/*
 * Files made from a count (the PDF report, the workbook) are kept by the
 * count's seq and a key ("pdf nl"): the same count makes the same file,
 * and making the report costs some twenty milliseconds of drawing that
 * four boards asking at once would otherwise wait on each other for.
 * server_results_file_get() copies a kept file into out (true), or says
 * there is none (false); server_results_file_keep() keeps a copy of
 * what was made, in place of the oldest.
 */
bool server_results_file_get(struct server_results *r, unsigned long long seq,
			     const char *key, struct strbuf *out);
void server_results_file_keep(struct server_results *r, unsigned long long seq,
			      const char *key, const struct strbuf *file);
/*
 * The count numbered seq, if it is the latest or kept; else NULL.  Give
 * it back with server_results_put().  Never waits for a count.
 */
const struct server_snapshot *server_results_get_seq(struct server_results *r,
						     unsigned long long seq);

/*
 * Count now, changed or not, and wait until that count is published, for
 * at most timeout_ms.  Returns 0, or -1 on time-out.  For tests and the
 * command line; pages never wait.
 */
int server_results_wait_fresh(struct server_results *r, unsigned timeout_ms);

/* Stop the thread and free everything.  NULL is fine. */
void server_results_stop(struct server_results *r);

/*
 * A download that a library can only write to a file (the PDF report,
 * the workbook): write(path, data, err) writes it as NAME in a scratch
 * folder of its own under $TMPDIR, and its bytes end up in out.  The
 * folder is gone afterwards.  Returns 0, or -1 with a sentence in err.
 */
int server_results_file(const char *name,
			int (*write)(const char *path, void *data,
				     struct strbuf *err),
			void *data, struct strbuf *out, struct strbuf *err);

#endif
