/*
 * strbuf.c - the growable string builder and its escapers (see strbuf.h).
 */
#include "strbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "banned.h"

/* The shared empty buffer of every strbuf that has not grown yet. */
char strbuf_slopbuf[1];

void strbuf_init(struct strbuf *sb, size_t hint)
{
	sb->alloc = 0;
	sb->len = 0;
	sb->buf = strbuf_slopbuf;
	if (hint)
		strbuf_grow(sb, hint);
}

void strbuf_release(struct strbuf *sb)
{
	if (!sb)
		return;
	if (sb->alloc)
		free(sb->buf);
	strbuf_init(sb, 0);
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *res;

	strbuf_grow(sb, 0);
	res = sb->buf;
	if (len)
		*len = sb->len;
	strbuf_init(sb, 0);
	return res;
}

void strbuf_grow(struct strbuf *sb, size_t extra)
{
	int fresh = !sb->alloc;

	if (sb->len + extra + 1 <= sb->alloc)
		return;
	if (fresh)
		sb->buf = NULL;
	ALLOC_GROW(sb->buf, sb->len + extra + 1, sb->alloc);
	if (fresh)
		sb->buf[0] = '\0';
}

void strbuf_setlen(struct strbuf *sb, size_t len)
{
	if (!sb->alloc)
		return; /* only 0 is possible, and slopbuf stays "" */
	sb->len = len;
	sb->buf[len] = '\0';
}

void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, int c)
{
	strbuf_grow(sb, 1);
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
}

void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	strbuf_grow(sb, 64);
	va_copy(cp, ap);
	n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if ((size_t)n >= sb->alloc - sb->len) {
		strbuf_grow(sb, (size_t)n);
		n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
	}
	sb->len += (size_t)n;
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

int strbuf_read_file(struct strbuf *sb, const char *path)
{
	size_t oldlen = sb->len;
	FILE *f = fopen(path, "rb");
	char chunk[16384];
	size_t n;
	int saved;

	if (!f)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		strbuf_add(sb, chunk, n);
	if (ferror(f)) {
		saved = errno;
		fclose(f);
		strbuf_setlen(sb, oldlen);
		errno = saved;
		return -1;
	}
	fclose(f);
	return 0;
}

void strbuf_rtrim(struct strbuf *sb)
{
	size_t len = sb->len;

	while (len && strchr(" \t\r\n", sb->buf[len - 1]))
		len--;
	strbuf_setlen(sb, len);
}

void strbuf_add_html(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': strbuf_addstr(sb, "&amp;"); break;
		case '<': strbuf_addstr(sb, "&lt;"); break;
		case '>': strbuf_addstr(sb, "&gt;"); break;
		case '"': strbuf_addstr(sb, "&quot;"); break;
		case '\'': strbuf_addstr(sb, "&#39;"); break;
		default: strbuf_addch(sb, *s);
		}
	}
}

/*
 * A field a spreadsheet would take for a formula (=, @, a TAB or CR
 * before anything, or + and - before anything but a number) gets a
 * leading quote; free-text answers are written by anyone.
 */
static int csv_needs_defusing(const char *s)
{
	if (*s == '=' || *s == '@' || *s == '\t' || *s == '\r')
		return 1;
	if (*s != '+' && *s != '-')
		return 0;
	for (s++; *s; s++)
		if (!strchr("0123456789.", *s))
			return 1;
	return 0;
}

size_t strbuf_control_len(const char *s)
{
	unsigned char c = (unsigned char)s[0];

	if (c == '\n' || c == '\t')
		return 0;
	if (c == '\r')
		return s[1] == '\n' ? 0 : 1; /* CR LF is a line break */
	if (c < 0x20 || c == 0x7f)
		return 1;
	/* C1 controls, U+0080 to U+009F: C2 80 to C2 9F in UTF-8. */
	if (c == 0xc2 && (unsigned char)s[1] >= 0x80 &&
	    (unsigned char)s[1] <= 0x9f)
		return 2;
	return 0;
}

void strbuf_add_csv(struct strbuf *sb, const char *in, char delim)
{
	struct strbuf clean = STRBUF_INIT;
	const char *s;
	int quote;

	/* No terminal escape reaches whoever prints the file. */
	for (s = in; *s;) {
		size_t n = strbuf_control_len(s);

		if (n)
			s += n;
		else
			strbuf_addch(&clean, *s++);
	}
	s = clean.len ? clean.buf : "";
	quote = strchr(s, '"') || strchr(s, '\n') || strchr(s, '\r') ||
		strchr(s, delim) || *s == '\t';
	if (quote)
		strbuf_addch(sb, '"');
	if (csv_needs_defusing(s))
		strbuf_addch(sb, '\'');
	for (; *s; s++) {
		if (*s == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, *s);
	}
	if (quote)
		strbuf_addch(sb, '"');
	strbuf_release(&clean);
}

void strbuf_add_json(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '"': strbuf_addstr(sb, "\\\""); break;
		case '\\': strbuf_addstr(sb, "\\\\"); break;
		case '\n': strbuf_addstr(sb, "\\n"); break;
		case '\r': strbuf_addstr(sb, "\\r"); break;
		case '\t': strbuf_addstr(sb, "\\t"); break;
		default:
			if (c < 0x20)
				strbuf_addf(sb, "\\u%04x", c);
			else
				strbuf_addch(sb, c);
		}
	}
	strbuf_addch(sb, '"');
}
