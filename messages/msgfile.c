/*
 * msgfile.c - reading a message catalogue file (see msgfile.h).
 */
#include "msgfile.h"

#include <ctype.h>
#include <string.h>

#include "utf8.h"
#include "banned.h"

unsigned msgfile_nargs(const char *text)
{
	unsigned n = 0;

	for (const char *p = text; *p; p++)
		if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}' &&
		    (unsigned)(p[1] - '0') > n)
			n = (unsigned)(p[1] - '0');
	return n;
}

static bool key_char(int c)
{
	return (c >= 'a' && c <= 'z') || isdigit(c) || c == '.' || c == '_';
}

/* Unescape the text of one line into out; -1 on a bad escape. */
static int unescape(const char *p, const char *end, struct strbuf *out)
{
	strbuf_reset(out);
	for (; p < end; p++) {
		if (*p != '\\') {
			strbuf_addch(out, *p);
			continue;
		}
		if (++p == end)
			return -1;
		if (*p == 'n')
			strbuf_addch(out, '\n');
		else if (*p == '\\')
			strbuf_addch(out, '\\');
		else
			return -1;
	}
	return 0;
}

int msgfile_read(const char *name, const char *buf, size_t len, msgfile_fn fn,
		 void *data, struct strbuf *err)
{
	struct strbuf key = STRBUF_INIT, text = STRBUF_INIT;
	const char *p = buf, *end = buf + len;
	bool header = false;
	int line = 0, ret = -1;

	if (!utf8_valid(buf, len)) {
		strbuf_addf(err, "%s: not UTF-8; save it as UTF-8", name);
		return -1;
	}
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *stop = eol ? eol : end, *q = p, *eq;
		int rc;

		line++;
		while (stop > q && (stop[-1] == '\r' || stop[-1] == ' ' ||
				    stop[-1] == '\t'))
			stop--;
		while (q < stop && (*q == ' ' || *q == '\t'))
			q++;
		p = eol ? eol + 1 : end;
		if (q == stop || *q == '#')
			continue;
		if (!header) {
			const char *sp;

			if (stop - q < 10 || strncmp(q, "@language ", 10)) {
				strbuf_addf(err,
					    "%s:%d: the first line must be "
					    "'@language CODE NAME'",
					    name, line);
				goto out;
			}
			q += 10;
			sp = memchr(q, ' ', (size_t)(stop - q));
			if (!sp || sp == q || sp - q > 8) {
				strbuf_addf(err,
					    "%s:%d: '@language' needs a code "
					    "and a name, like '@language fy "
					    "Frysk'",
					    name, line);
				goto out;
			}
			strbuf_reset(&key);
			strbuf_add(&key, q, (size_t)(sp - q));
			strbuf_reset(&text);
			strbuf_add(&text, sp + 1, (size_t)(stop - sp - 1));
			for (size_t i = 0; i < key.len; i++)
				if (!islower((unsigned char)key.buf[i])) {
					strbuf_addf(err,
						    "%s:%d: a language code is "
						    "lower-case letters, like "
						    "'fy'",
						    name, line);
					goto out;
				}
			header = true;
			rc = fn(key.buf, text.buf, NULL, data);
			if (rc) {
				ret = rc;
				goto out;
			}
			continue;
		}
		eq = memchr(q, '=', (size_t)(stop - q));
		if (!eq) {
			strbuf_addf(err, "%s:%d: expected 'key = text'", name,
				    line);
			goto out;
		}
		strbuf_reset(&key);
		for (const char *k = q; k < eq; k++) {
			if (*k == ' ' || *k == '\t')
				continue;
			if (!key_char((unsigned char)*k)) {
				strbuf_addf(err,
					    "%s:%d: a key is lower-case "
					    "letters, digits, '.' and '_'",
					    name, line);
				goto out;
			}
			strbuf_addch(&key, *k);
		}
		q = eq + 1;
		while (q < stop && (*q == ' ' || *q == '\t'))
			q++;
		if (!key.len || unescape(q, stop, &text) < 0) {
			strbuf_addf(err, "%s:%d: %s", name, line,
				    key.len ? "only \\n and \\\\ may follow a "
					      "backslash"
					    : "the key is missing");
			goto out;
		}
		{
			struct msgfile_entry e = { key.buf, text.buf,
						   msgfile_nargs(text.buf),
						   line };

			rc = fn(NULL, NULL, &e, data);
			if (rc) {
				ret = rc;
				goto out;
			}
		}
	}
	if (!header) {
		strbuf_addf(err,
			    "%s: empty; it starts with '@language CODE NAME'",
			    name);
		goto out;
	}
	ret = 0;
out:
	strbuf_release(&key);
	strbuf_release(&text);
	return ret;
}
