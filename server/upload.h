/*
 * upload.h - the board uploads the address list in the browser:
 *
 *   GET  /bestuur/adressen   how many households each buurt has now, and
 *                            the form: a CSV file, and whether it is a
 *                            newer extract of the same list (update)
 *   POST /bestuur/adressen   multipart/form-data (multipart.h): the file
 *                            imported by survey/addresses.h, through the
 *                            writer; every problem listed with its line,
 *                            and then nothing imported
 *
 * Board only, with the session's CSRF token (routes.h).  The file is
 * written to a private scratch folder for the import and removed after;
 * the page shows counts and problems, never an address or a code.
 */
#ifndef DRAAGVLAK_SERVER_UPLOAD_H
#define DRAAGVLAK_SERVER_UPLOAD_H

#include "http.h"

enum server_outcome server_upload_addresses(struct server_request *req,
					    struct server_reply *rep);

#endif
