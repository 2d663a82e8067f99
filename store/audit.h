/*
 * audit.h - what the count record lists beside the counts: refused
 * codes, replaced answers, paper forms and scans that do not count yet.
 *
 * Refused codes are only counted, per day, channel and reason: who typed
 * them is nobody's business.  Nothing but this file writes
 * code_rejection; the rest is read from the tables of the other files.
 */
#ifndef DRAAGVLAK_STORE_AUDIT_H
#define DRAAGVLAK_STORE_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"
#include "strbuf.h"
#include "survey.h"

/* Why a code was refused. */
#define STORE_REJECTED_TYPO    "typo"	 /* the check symbol caught it */
#define STORE_REJECTED_UNKNOWN "unknown" /* no household has it */

/*
 * Count one refused code for today: channel STORE_CHANNEL_*, reason
 * STORE_REJECTED_*.  STORE_OK or STORE_ERROR.
 */
int store_audit_note_rejected_code(struct store *st, const char *channel,
				   const char *reason, struct strbuf *err);
/* The same, n at once (the server counts them, then writes the sum). */
int store_audit_note_rejected_codes(struct store *st, const char *channel,
				    const char *reason, unsigned n,
				    struct strbuf *err);

/* The channels in the order of the arrays below: online, paper, scan. */
#define STORE_AUDIT_NCHANNEL 3

/* Per buurt in survey order (arrays of the survey's nr_buurten). */
struct store_audit {
	/* responses replaced by a newer one of the same household */
	uint64_t *superseded;
	/*
	 * Paper forms entered once and waiting for the second, equal entry,
	 * and those whose two entries differ.
	 */
	uint64_t *waiting, *differs;
	/*
	 * Codes refused for the whole survey, per channel: [c][0] with a
	 * typo, [c][1] of no household.
	 */
	uint64_t rejected[STORE_AUDIT_NCHANNEL][2];
	/*
	 * Scanned forms that do not count yet: waiting for a person (a
	 * question in doubt, or also answered online), and missing a page.
	 */
	uint64_t *scan_waiting, *scan_incomplete;
};

/*
 * Fill au for survey s.  STORE_OK (release au with
 * store_audit_release()), or STORE_ERROR with au empty.
 */
int store_audit_read(struct store *st, const struct survey *s,
		     struct store_audit *au, struct strbuf *err);
/* Free the arrays; au is empty afterwards. */
void store_audit_release(struct store_audit *au);

#endif
