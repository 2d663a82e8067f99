/*
 * board_answers.h - every question on the board's results, not only the
 * propositions: how many chose each answer, per buurt and together, with
 * a bar for each share; the free texts readable, in alphabetical order
 * and with nothing that ties them to an address, a code or the order
 * they came in; and the downloads a Dutch board opens in Excel.
 *
 *   GET /bestuur/uitslag.xlsx     the workbook (analysis/workbook.h)
 *   GET /bestuur/antwoorden.csv   the same counts as a CSV for Excel
 *                                 (';', decimal comma, UTF-8 with BOM)
 *
 * Everything comes from the snapshot the dashboard shows (results.h),
 * so the counts here, the verdicts above them and the downloads agree.
 */
#ifndef DRAAGVLAK_SERVER_BOARD_ANSWERS_H
#define DRAAGVLAK_SERVER_BOARD_ANSWERS_H

#include "http.h"
#include "results.h"
#include "strbuf.h"

/* The section of every question that is not a proposition, to out. */
void server_board_answers(struct server_request *req, struct strbuf *out,
			  const struct server_snapshot *snap);

enum server_outcome server_board_xlsx(struct server_request *req,
				      struct server_reply *rep);
enum server_outcome server_board_excel_csv(struct server_request *req,
					   struct server_reply *rep);

#endif
