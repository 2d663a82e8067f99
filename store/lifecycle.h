/*
 * lifecycle.h - the life of a survey after its first letters: closing,
 * the count records drawn up after it, replaced codes, and forgetting
 * the personal side when the retention date has passed.
 *
 * Tables: lifecycle (one row: when the survey was closed and archived,
 * and the secret key that orders respondents in exports), count_record
 * (each record drawn up: its fingerprint, verdicts and the canonical
 * export the fingerprint was taken over), code_replacement (a household
 * whose letter was lost got a new code) and archive_statement (what
 * `draagvlak archive` destroyed).
 *
 * Invariants, kept here and by responses.c, paper.c and scans.c:
 * - Once closed, a survey stays closed, and nothing changes the counted
 *   answers any more: no online answer, no new paper form, no new scan.
 *   Only what was waiting at closing (a paper form waiting for its second
 *   entry or for the board, a scanned form waiting for review) may still
 *   be settled; those calls are refused otherwise with STORE_REFUSED.
 * - A count record is never changed or removed: a later one (after
 *   waiting forms were settled) is added beside it.
 * - Archiving removes every address, code, scan image and cut-out and
 *   the server keys (so no session survives), and leaves the answers,
 *   the households' buurten and the count records: a record stays
 *   verifiable.  It cannot be undone and is refused before closing.
 */
#ifndef DRAAGVLAK_STORE_LIFECYCLE_H
#define DRAAGVLAK_STORE_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "strbuf.h"

/* The length of the key that orders respondents (HMAC-SHA-256 key). */
#define STORE_EXPORT_KEY_SIZE 32

struct store_lifecycle {
	bool closed;
	char closed_at[24]; /* UTC YYYY-MM-DDTHH:MM:SSZ, "" when open */
	char closed_by[64];
	bool archived;
	char archived_at[24];
};

/* Where the survey is.  STORE_OK or STORE_ERROR. */
int store_lifecycle_read(struct store *st, struct store_lifecycle *lc,
			 struct strbuf *err);

/*
 * Close the survey, by by (an account name or "cli").  STORE_OK;
 * STORE_ALREADY_DONE when it was closed before (nothing changes);
 * STORE_ERROR.
 */
int store_lifecycle_close(struct store *st, const char *by, struct strbuf *err);

/*
 * The secret key that orders respondents in exports, made when the
 * store was created (or migrated) and never shown.  STORE_OK or
 * STORE_ERROR.
 */
int store_export_key(struct store *st, unsigned char key[STORE_EXPORT_KEY_SIZE],
		     struct strbuf *err);

/* A count record as kept. */
struct store_count_record {
	long long id; /* 1, 2, ...: the record's number */
	char made_at[24];
	struct strbuf made_by;
	struct strbuf fingerprint; /* SHA-256 in hex */
	struct strbuf verdicts;	   /* one line per verdict */
	struct strbuf canonical;   /* what the fingerprint was taken over */
};

void store_count_record_init(struct store_count_record *r);
void store_count_record_release(struct store_count_record *r);

/*
 * Keep a new count record (r->id and made_at filled in).  STORE_REFUSED
 * while the survey is open; STORE_OK or STORE_ERROR.
 */
int store_count_record_add(struct store *st, struct store_count_record *r,
			   struct strbuf *err);
/* The latest record into r (initialised); STORE_NOT_FOUND when none. */
int store_count_record_latest(struct store *st, struct store_count_record *r,
			      struct strbuf *err);

/*
 * Call fn with the hash of every scanned page kept (read or refused),
 * in the order of the hashes: what the fingerprint covers of the
 * scans.  STORE_OK, fn's non-zero value, or STORE_ERROR.
 */
typedef int (*store_hash_fn)(const char *hash, void *data);
int store_scan_hashes_each(struct store *st, store_hash_fn fn, void *data,
			   struct strbuf *err);

/* What the count record's audit lists beyond audit.h, survey-wide. */
struct store_life_audit {
	uint64_t superseded;	   /* answers replaced by a newer one */
	uint64_t codes_replaced;   /* letters lost, codes replaced */
	uint64_t entered_twice;	   /* paper forms counted after two entries */
	uint64_t settled;	   /* paper forms settled by the board */
	uint64_t scans_reviewed;   /* scanned questions a person checked */
	uint64_t paper_waiting;	   /* paper forms not settled yet */
	uint64_t scans_waiting;	   /* scanned forms not settled yet */
	uint64_t reminder_waves;   /* reminder waves made (reminders.h) */
	uint64_t reminder_letters; /* the letters they wrote, together */
};

int store_life_audit_read(struct store *st, struct store_life_audit *au,
			  struct strbuf *err);

/*
 * Give household a new code in place of its old one, which stops
 * working at once; an answer given under the old code stays counted (it
 * belongs to the household).  The new code in canon (SURVEY_TOKEN_SIZE
 * bytes; see token.h), the replacement recorded for the audit with by.
 * STORE_NOT_FOUND (no such household), STORE_REFUSED (closed or
 * archived), STORE_OK or STORE_ERROR.
 */
int store_code_replace(struct store *st, long long household, const char *by,
		       char *canon, size_t size, struct strbuf *err);

/* What archiving removed. */
struct store_archive_result {
	uint64_t addresses, codes, scan_pages, cutouts, keys;
	char archived_at[24];
};

/*
 * Destroy the personal side (see above): with secure_delete on, then
 * VACUUM and a checkpoint that empties the WAL, so that not even the
 * free pages of the file keep an address or a code.  The statement
 * (text for people) is kept in archive_statement.  STORE_REFUSED while
 * open; STORE_ALREADY_DONE when archived before; STORE_OK; STORE_ERROR.
 * Must be called outside a transaction.
 */
int store_archive(struct store *st, const char *statement,
		  struct store_archive_result *res, struct strbuf *err);

/*
 * Replace the text of the latest archive statement (the counts it names
 * are known only after store_archive()).  STORE_OK or STORE_ERROR.
 */
int store_archive_statement_set(struct store *st, const char *statement,
				struct strbuf *err);

#endif
