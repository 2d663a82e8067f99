/*
 * multipart.h - a multipart/form-data body (a form with a file) split
 * into the request's fields, so that a handler reads the file as it
 * reads any field (server_field()) and the router checks the CSRF token
 * as on every other form.
 *
 * Only the pages that take a file get such a body (SERVER_UPLOAD_PATH,
 * SERVER_SCAN_UPLOAD_PATH, http.h).  Like the urlencoded parser, it
 * works in the body's own buffer: every part's value is ended with a NUL
 * where its delimiter began.  Text pages (the address list) take text
 * only: a part holding a NUL byte (a CSV saved as UTF-16) makes the body
 * unreadable, and the form then says so.  With binary, a part that
 * names a file (filename="...") may hold any bytes: its field has the
 * length and the file's name; the other parts are still text.
 */
#ifndef DRAAGVLAK_SERVER_MULTIPART_H
#define DRAAGVLAK_SERVER_MULTIPART_H

#include "http.h"

/* The most parts one body may have (files and fields together). */
#define SERVER_MULTIPART_MAX_PARTS 64

/*
 * Split req->body by the boundary of content_type into req->fields:
 * 0, or -1 when it is malformed, has more than SERVER_MULTIPART_MAX_PARTS
 * parts, or holds a NUL byte where text is expected (in every part
 * unless binary, else in the parts without a filename).
 */
int server_multipart_parse(struct server_request *req, const char *content_type,
			   bool binary);

#endif
