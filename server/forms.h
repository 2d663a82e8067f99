/*
 * forms.h - the board prints its own forms: /bestuur/formulieren.
 *
 * Per buurt, the personal forms of the households with an address and
 * the numbered forms without one, as PDFs made on request by render/
 * (the same files `draagvlak render` writes), single- or double-sided
 * with the instruction for the print shop beside each link; numbered
 * forms added for a community evening; and the posters.  The PDFs hold
 * the households' codes, so they are for the board only, and nothing of
 * them is kept on the server.
 */
#ifndef DRAAGVLAK_SERVER_FORMS_H
#define DRAAGVLAK_SERVER_FORMS_H

#include "http.h"

/* /bestuur/formulieren: the page; a POST adds numbered forms. */
enum server_outcome server_forms_page(struct server_request *req,
				      struct server_reply *rep);
/*
 * /bestuur/formulieren/NAME: BUURT.pdf, BUURT-zonder-adres.pdf (with
 * ?dubbelzijdig=1 for double-sided sets), poster-A4.pdf, poster-A3.pdf.
 */
enum server_outcome server_forms_download(struct server_request *req,
					  struct server_reply *rep);

#endif
