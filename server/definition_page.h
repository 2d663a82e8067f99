/*
 * definition_page.h - the survey's definition for the board in the
 * browser, a first slice of the survey definer:
 *
 *   GET  /bestuur/peiling        the survey as it runs, in words (the
 *                                questions, the buurten, each buurt's
 *                                agreement as a Dutch sentence), and
 *                                whether the agreement is frozen
 *   GET  /bestuur/peiling.yaml   the definition as stored, byte for
 *                                byte: download, edit, upload, and
 *                                nothing changed that was not edited
 *   POST /bestuur/peiling        an edited definition (multipart, a
 *                                file): checked by the validator of
 *                                `draagvlak check`, every problem at its
 *                                line and column, or the edited survey
 *                                in words
 *
 * Checking changes nothing: the running survey changes only through
 * `draagvlak init` (which keeps every answer valid and a frozen
 * agreement as it is) and a restart, as before.  Board only, CSRF.
 */
#ifndef DRAAGVLAK_SERVER_DEFINITION_PAGE_H
#define DRAAGVLAK_SERVER_DEFINITION_PAGE_H

#include "http.h"

enum server_outcome server_definition_page(struct server_request *req,
					   struct server_reply *rep);
enum server_outcome server_definition_yaml(struct server_request *req,
					   struct server_reply *rep);

#endif
