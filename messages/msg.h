/*
 * msg.h - every text a resident, volunteer or board member reads, by id,
 * in their language: one catalogue file per language (the .msg files
 * here; see docs/messages.md), so that a new language is one new file.
 *
 * Dutch (nl.msg) names every message and is the fallback; English
 * (en.msg) is built in and complete, which the build checks.  Further
 * languages are loaded from files at start-up (msg_load_dir()), before
 * any thread is started: a text they lack is said in Dutch.
 *
 *	strbuf_add_html(out, msg_get(req->lang, MSG_LOGIN_TITLE));
 *	msg_add(out, lang, MSG_ANSWERS_MAX_CHOICES, max, chosen);
 *
 * Texts are plain (pages escape them) unless their key ends in _html.
 * A text's {1} .. {9} are replaced by the strings given, in order.
 */
#ifndef DRAAGVLAK_MSG_H
#define DRAAGVLAK_MSG_H

#include <stddef.h>

#include "lang.h"
#include "msg_ids.h"
#include "strbuf.h"

/* What the build makes from the built-in catalogues (msgc.c). */
struct msg_builtin {
	const char *code, *name;
	const char *const *texts; /* MSG__COUNT of them */
};
extern const char *const msg_keys[MSG__COUNT];
extern const unsigned char msg_nargs[MSG__COUNT];
extern const struct msg_builtin msg_builtin[];
extern const unsigned msg_nr_builtin;

/* The text of id in lang (Dutch where lang has none).  Never NULL. */
const char *msg_get(enum survey_lang lang, enum msg_id id);

/* Append the text of id, which takes no values, to sb. */
void msg_put(struct strbuf *sb, enum survey_lang lang, enum msg_id id);

/*
 * Append the text of id to sb with {1} .. {n} replaced by args[0..n).
 * n must be what the text takes (asserted).  Use msg_add().
 */
void msg_addv(struct strbuf *sb, enum survey_lang lang, enum msg_id id,
	      const char *const *args, size_t n);
#define msg_add(sb, lang, id, ...)                                             \
	msg_addv(sb, lang, id, (const char *const[]){ __VA_ARGS__ },           \
		 sizeof((const char *const[]){ __VA_ARGS__ }) /                \
			 sizeof(const char *))

/*
 * Load a catalogue file (msgfile.h) as a further language, or every
 * *.msg file of dir, in name order.  A key the built-in catalogues do
 * not know, or with other placeholders, is skipped with a warning in
 * warn (may be NULL).  Returns 0, or -1 with a sentence in err (a file
 * that does not read; more languages than SURVEY_NLANG; a code that is
 * taken).
 */
int msg_load_file(const char *path, struct strbuf *warn, struct strbuf *err);
int msg_load_dir(const char *dir, struct strbuf *warn, struct strbuf *err);

/* How many languages there are: the built-in and the loaded ones. */
unsigned msg_nr_langs(void);
/* The language's name in itself: "Nederlands", "English", "Frysk". */
const char *msg_lang_name(enum survey_lang lang);

/* Forget the loaded languages (for tests and leak checkers). */
void msg_unload(void);

/* "2 mei 2027", with the weekday ("zondag 2 mei 2027") when weekday. */
void msg_date(struct strbuf *sb, enum survey_lang lang, const char *ymd,
	      int weekday);
/*
 * "1 december 2026, 11:00" from a moment in UTC as the store keeps it
 * ("2026-12-01T10:00:00Z"), told in the time of the Netherlands: CET,
 * and CEST from the last Sunday of March to the last Sunday of October
 * (01:00 UTC both, as the EU sets it), which is what the people who
 * closed a survey saw on their clocks.  Anything else is added as it is.
 */
void msg_moment(struct strbuf *sb, enum survey_lang lang, const char *utc);

#endif
