/*
 * reminder.h - the letters of a reminder wave (store/reminders.h): the
 * same forms as the first letters, under each household's own code and
 * with the same layout (so they are entered and scanned the same), with
 * the reminder's text at the head of page 1, in files of their own.
 *
 * The letters of wave N for a buurt go to
 *
 *     OUTDIR/herinnering-N-BU08260100.pdf
 *     OUTDIR/herinnering-N-BU08260100.layout.json
 *
 * so the first letters' files (formulieren-...) and an earlier wave's
 * stay.  The letters are made from what the wave recorded, so making
 * them again (a lost file, a download) gives the same letters.
 */
#ifndef DRAAGVLAK_RENDER_REMINDER_H
#define DRAAGVLAK_RENDER_REMINDER_H

#include "reminders.h"
#include "render.h"

/* The reminder's text for scope in lang, from the message catalogue. */
const char *render_reminder_notice(enum store_reminder_scope scope,
				   enum survey_lang lang);

/*
 * The file-name prefix of wave's letters ("herinnering-N") into buf
 * (size bytes, 32 is plenty).
 */
void render_reminder_prefix(long long wave, char *buf, size_t size);

/*
 * Whether the letters of a wave of scope for buurt_id (NULL: every buurt)
 * can be made with o (its lang and base URL): the form of each buurt laid
 * out, with the reminder's text (render_layout_add_notice()).  For
 * before the wave is kept, so that a wave is never kept whose letters
 * cannot be printed.  Returns 0, or -1 with a sentence in err.
 */
int render_reminder_check(const struct survey *s,
			  enum store_reminder_scope scope, const char *buurt_id,
			  const struct render_options *o, struct strbuf *err);

/*
 * Write the letters of wave (of buurt_id only, or all when NULL) as
 * render_forms() writes forms, with o's outdir, lang, base URL and jobs
 * (its prefix and notice are the wave's).  Returns 0 and adds to *stats;
 * 1 when the wave has no letters (left) for that buurt (nothing is
 * written); -1 with a sentence in err (STORE_NOT_FOUND's "no such wave"
 * included).
 */
int render_reminder_letters(struct store *st, const struct survey *s,
			    long long wave, const char *buurt_id,
			    const struct render_options *o,
			    struct render_stats *stats, struct strbuf *err);

#endif
