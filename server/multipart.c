/*
 * multipart.c - multipart/form-data into fields (see multipart.h).
 */
/* memmem() and strcasestr(): glibc and the BSDs have both. */
#define _GNU_SOURCE
#include "multipart.h"

#include <string.h>
#include <strings.h>

#include "xalloc.h"
#include "banned.h"

/* The boundary parameter of content_type, copied into out; or -1. */
static int boundary_of(const char *ct, char *out, size_t size)
{
	const char *b = strcasestr(ct, "boundary=");
	size_t n;

	if (!b)
		return -1;
	b += 9;
	if (*b == '"') {
		const char *end = strchr(++b, '"');

		if (!end)
			return -1;
		n = (size_t)(end - b);
	} else {
		n = strcspn(b, "; \t");
	}
	/* RFC 2046: 1 to 70 characters. */
	if (!n || n > 70 || n + 5 > size)
		return -1;
	memcpy(out, "\r\n--", 4);
	memcpy(out + 4, b, n);
	out[4 + n] = '\0';
	return 0;
}

/* The value of param (name="...") in a header line; NUL-ended in place. */
static char *param(char *line, char *eol, const char *name)
{
	size_t n = strlen(name);

	for (char *p = line; p + n + 2 < eol; p++) {
		char *end;

		if (strncasecmp(p, name, n) || p[n] != '=' || p[n + 1] != '"' ||
		    (p > line && p[-1] != ' ' && p[-1] != ';'))
			continue;
		end = memchr(p + n + 2, '"', (size_t)(eol - (p + n + 2)));
		if (!end)
			return NULL;
		*end = '\0';
		return p + n + 2;
	}
	return NULL;
}

int server_multipart_parse(struct server_request *req, const char *content_type,
			   bool binary)
{
	char delim[80];
	size_t dlen;
	char *p, *end = req->body.buf + req->body.len;

	if (boundary_of(content_type, delim, sizeof(delim)) < 0)
		return -1;
	dlen = strlen(delim);
	/* The first delimiter has no CRLF before it. */
	if (req->body.len < dlen - 2 ||
	    memcmp(req->body.buf, delim + 2, dlen - 2))
		return -1;
	p = req->body.buf + dlen - 2;
	for (;;) {
		struct server_field f = { NULL, NULL, 0, NULL };
		char *next;

		if (end - p >= 2 && !memcmp(p, "--", 2))
			return 0; /* the closing delimiter */
		if (end - p < 2 || memcmp(p, "\r\n", 2))
			return -1;
		p += 2;
		/* Headers, up to an empty line. */
		for (;;) {
			char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);

			if (!eol)
				return -1;
			if (eol == p) {
				p += 2;
				break;
			}
			if (!strncasecmp(p, "Content-Disposition:", 20)) {
				f.name = param(p, eol, "name");
				f.filename = param(p, eol, "filename");
			}
			p = eol + 2;
		}
		next = memmem(p, (size_t)(end - p), delim, dlen);
		if (!next || !f.name)
			return -1;
		/* Text is never binary; only a file's part may be. */
		if ((!binary || !f.filename) &&
		    memchr(p, '\0', (size_t)(next - p)))
			return -1;
		if (!binary)
			f.filename = NULL;
		*next = '\0';
		f.value = p;
		f.len = (size_t)(next - p);
		if (req->nr_fields >= SERVER_MULTIPART_MAX_PARTS)
			return -1;
		ALLOC_GROW(req->fields, req->nr_fields + 1, req->alloc_fields);
		req->fields[req->nr_fields++] = f;
		p = next + dlen;
	}
}
