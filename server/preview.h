/*
 * preview.h - the online form as a resident will see it, for the board
 * before the survey opens (and at any time after):
 *
 *   GET  /bestuur/voorbeeld    the form, every question as residents get
 *                              it, under a notice that it is a preview
 *   POST /bestuur/voorbeeld    the form checked as a resident's would be:
 *                              the same errors at the same questions, or
 *                              the answers as the confirmation shows them
 *
 * Nothing is stored: no response, no household, no code (the preview
 * belongs to none).  Board only; a POST carries the session's CSRF token
 * (the router checks both, routes.h).
 */
#ifndef DRAAGVLAK_SERVER_PREVIEW_H
#define DRAAGVLAK_SERVER_PREVIEW_H

#include "http.h"

enum server_outcome server_preview_form(struct server_request *req,
					struct server_reply *rep);

#endif
