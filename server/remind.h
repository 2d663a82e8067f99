/*
 * remind.h - the board's reminder wave, /bestuur/herinnering: per buurt
 * how many households have not answered, the two choices (only those,
 * which tells whoever prints and delivers the letters who they are; or
 * every household, with "already answered? then ignore this letter"),
 * a POST with the session's CSRF token that keeps the wave
 * (store/reminders.h), the waves made so far, and their letters as PDF
 * per buurt, made on request from what the wave recorded
 * (/bestuur/herinnering/N/BUURT.pdf, render/reminder.h).
 */
#ifndef DRAAGVLAK_SERVER_REMIND_H
#define DRAAGVLAK_SERVER_REMIND_H

#include "http.h"
#include "strbuf.h"

/* GET: the page; POST: make a wave, then back to the page. */
enum server_outcome server_remind_page(struct server_request *req,
				       struct server_reply *rep);

/* GET /bestuur/herinnering/N/BUURT.pdf: wave N's letters for a buurt. */
enum server_outcome server_remind_letters(struct server_request *req,
					  struct server_reply *rep);

/* A paragraph for the dashboard: the link to the page. */
void server_remind_link(struct server_request *req, struct strbuf *out);

#endif
