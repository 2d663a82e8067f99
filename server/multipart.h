/*
 * multipart.h - a multipart/form-data body (a form with a file) split
 * into the request's fields, so that a handler reads the file as it
 * reads any field (server_field()) and the router checks the CSRF token
 * as on every other form.
 *
 * Only the page that takes a file gets such a body (SERVER_UPLOAD_PATH,
 * http.h).  Like the urlencoded parser, it works in the body's own
 * buffer: every part's value is ended with a NUL where its delimiter
 * began.  A part holding a NUL byte (a file that is not text, a CSV
 * saved as UTF-16) makes the body unreadable: the form then says so.
 */
#ifndef DRAAGVLAK_SERVER_MULTIPART_H
#define DRAAGVLAK_SERVER_MULTIPART_H

#include "http.h"

/* Split req->body by the boundary of content_type: 0, or -1. */
int server_multipart_parse(struct server_request *req,
			   const char *content_type);

#endif
