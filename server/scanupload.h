/*
 * scanupload.h - volunteers read scanned forms and phone photos in the
 * browser, as `draagvlak scan` does on the command line:
 *
 *   GET  /scan                 the review queue (review.h), with the
 *                              upload form (server_scanupload_form()) above
 *   POST /scan/upload          multipart/form-data: up to
 *                              SERVER_SCANUPLOAD_MAX_FILES files (photos,
 *                              PDF, TIFF) at once, from the file chooser
 *                              or the phone's camera; 303 to the batch
 *   GET  /scan/upload/N        batch N read so far: "3 van 10 bestanden
 *                              gelezen", refreshing itself (a Refresh
 *                              header, and a link) until all are read,
 *                              then every file's outcome
 *
 * Staff only (volunteer or board), the POST with the session's CSRF
 * token (routes.h); its session is checked on the headers before the
 * body is read (http.c).  The files are written to a private scratch
 * folder and read on the intake's own thread, never on an HTTP thread:
 * each page by scan_page_read() against the survey's layouts
 * (scan_intake_layouts_make()) and recorded by scan_intake_page()
 * through the store's writer, so a page lands in the same review queue,
 * with the same rules, as with `draagvlak scan`.  Nothing is lost
 * silently: a file or page that cannot be read is listed with its name
 * and the reason in words; a page read with doubt waits for a person.
 *
 * The batches live in memory (the last SERVER_SCANUPLOAD_BATCHES); what was
 * read is in the store.  Files not yet read when the server stops are
 * not read (the log says how many), and must be sent again.
 */
#ifndef DRAAGVLAK_SERVER_SCANUPLOAD_H
#define DRAAGVLAK_SERVER_SCANUPLOAD_H

#include "http.h"

/* The most files one upload may carry (the page says so). */
#define SERVER_SCANUPLOAD_MAX_FILES 40
/* Batches remembered; an upload beyond them while all read is refused. */
#define SERVER_SCANUPLOAD_BATCHES 32

/*
 * Start the intake's thread for srv (its survey, writer and config set).
 * Returns the intake, or NULL with a sentence in err.  A survey whose
 * forms carry no QR code gets an intake that refuses uploads in words.
 */
struct server_scanupload *server_scanupload_start(struct server *srv,
						  struct strbuf *err);
/*
 * Finish the page being read, stop the thread, remove the scratch files
 * and free everything (before the writer stops).  NULL is fine.
 */
void server_scanupload_stop(struct server_scanupload *in);

/* The upload form and the recent batches, for the /scan page. */
void server_scanupload_form(struct server_request *req, struct strbuf *out);

/* POST /scan/upload. */
enum server_outcome server_scanupload_upload(struct server_request *req,
					     struct server_reply *rep);
/* GET /scan/upload/N. */
enum server_outcome server_scanupload_progress(struct server_request *req,
					       struct server_reply *rep);

/* The page for a body over cfg.max_scan_upload (413; http.c). */
void server_scanupload_too_large(struct server_request *req,
				 struct server_reply *rep);

#endif
