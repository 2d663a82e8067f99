/*
 * editor.h - the survey definer in the browser: the board edits the
 * survey in a structured form, or downloads and uploads its YAML.
 *
 * The form and the YAML are the same survey: the form's fields are the
 * nodes of the stored definition text (named by their YAML paths), a
 * save changes only the nodes whose value changed (survey/yamledit.h),
 * the result is checked by the validator `draagvlak check` uses
 * (survey_load_buffer()), each of its diagnostics is shown at the field
 * whose node it is about, and the store takes it through
 * store_definition_apply(), whose rules on what may change once answers
 * exist hold for the browser as for the command line.
 */
#ifndef DRAAGVLAK_SERVER_EDITOR_H
#define DRAAGVLAK_SERVER_EDITOR_H

#include "http.h"

/* GET and POST /bestuur/vragenlijst: the structured editor. */
enum server_outcome server_editor_page(struct server_request *req,
				       struct server_reply *rep);
/* GET /bestuur/vragenlijst.yaml: the stored definition, byte for byte. */
enum server_outcome server_editor_download(struct server_request *req,
					   struct server_reply *rep);
/* GET and POST /bestuur/vragenlijst/yaml: a definition pasted or sent. */
enum server_outcome server_editor_upload(struct server_request *req,
					 struct server_reply *rep);
/*
 * POST /bestuur/vragenlijst/afspraak: the agreement in words of the
 * editor's form as sent (not saved), at the agreement node named by the
 * field "at" ("/agreement", the default, or "/buurten/N/agreement"), as
 * text/plain: 200 with the sentence the forms and reports will print
 * (empty when there is no agreement there), or 422 with the problem, in
 * the board member's language, that keeps the survey from being valid.
 */
enum server_outcome server_editor_sentence(struct server_request *req,
					   struct server_reply *rep);
/* GET /static/editor.js: what makes those sentences follow the fields. */
enum server_outcome server_editor_script(struct server_request *req,
					 struct server_reply *rep);

#endif
