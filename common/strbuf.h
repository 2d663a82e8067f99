/*
 * strbuf.h - the one growable string builder of draagvlak.
 *
 * Everything that builds text (SQL, HTML, CSV, JSON, messages) builds it in a
 * strbuf, so that escaping lives in one place and no code sizes a buffer by
 * hand.  Modelled on git's strbuf.h.
 *
 * Invariants: buf is never NULL and always NUL-terminated; len is the length
 * without that NUL.  A strbuf initialised with STRBUF_INIT or strbuf_init()
 * points at a shared empty string until the first append, so initialising is
 * free and strbuf_release() on an untouched strbuf is a no-op.
 *
 * Ownership: the strbuf owns buf.  strbuf_detach() hands it to the caller
 * (who frees it with free()) and leaves the strbuf empty and reusable.
 */
#ifndef DRAAGVLAK_STRBUF_H
#define DRAAGVLAK_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	size_t alloc;
	size_t len;
	char *buf;
};

extern char strbuf_slopbuf[];
#define STRBUF_INIT                                                            \
	{                                                                      \
		0, 0, strbuf_slopbuf                                           \
	}

void strbuf_init(struct strbuf *sb, size_t hint);
/* Free the buffer and leave sb as after strbuf_init(sb, 0).  NULL is fine. */
void strbuf_release(struct strbuf *sb);
/* Return the buffer (caller frees) and reinitialise sb. Never NULL. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
/* Make room for at least extra more bytes (plus the NUL). */
void strbuf_grow(struct strbuf *sb, size_t extra);
/* Truncate to len bytes (len <= sb->len). */
void strbuf_setlen(struct strbuf *sb, size_t len);
#define strbuf_reset(sb) strbuf_setlen((sb), 0)

void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/*
 * Append the whole file at path.  Returns 0, or -1 with errno set (and sb
 * as it was) when it cannot be opened or read.
 */
int strbuf_read_file(struct strbuf *sb, const char *path);

/* Remove trailing white space (spaces, tabs, newlines). */
void strbuf_rtrim(struct strbuf *sb);

/*
 * Escapers: append s (NUL-terminated) in the syntax of the target, so that
 * it reads back as exactly s.
 */
/* HTML text or a double-quoted attribute value: & < > " ' escaped. */
void strbuf_add_html(struct strbuf *sb, const char *s);
/*
 * One RFC 4180 field: quoted only when it holds , " CR LF, a leading TAB,
 * or the delimiter.  A leading = + - @ TAB CR is prefixed with ' so a
 * spreadsheet never runs it; control characters (strbuf_control_len())
 * are left out, so the file is safe to print in a terminal.
 */
void strbuf_add_csv(struct strbuf *sb, const char *s, char delim);
/*
 * How many bytes of control character s starts with: C0 (but LF, TAB, and
 * CR before LF), DEL, and C1 in UTF-8; 0 when none.
 */
size_t strbuf_control_len(const char *s);
/* A JSON string, quotes included. */
void strbuf_add_json(struct strbuf *sb, const char *s);

#endif
