/*
 * fuzz_url.c - libFuzzer harness for what the server makes of a request
 * target ("/f/K7QM-2XHD-9FAB/ontvangen?lang=en"): the path and query
 * decoded as libmicrohttpd decodes them before any handler runs, then
 * draagvlak's own reading of them: the route table's look-up and what
 * is left of the path (server_route_find, server/routes.c), a resident's
 * /f/ path and its code (server_resident_path, server/resident.c), the
 * code as typed (survey_token_parse and, for a typo, _suggest), the
 * language asked for (survey_lang_parse), and the typed code escaped
 * back into the page, which must then hold no markup of its own.
 */
#include <microhttpd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lang.h"
#include "resident.h"
#include "routes.h"
#include "strbuf.h"
#include "token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The longest request line MHD takes within the 32 KiB connection limit. */
#define MAX_TARGET (32 * 1024)

/* A code as typed, read and escaped the way the resident pages do. */
static void typed_code(const char *typed)
{
	char canon[SURVEY_TOKEN_SIZE], pretty[SURVEY_TOKEN_PRETTY];
	char near[8][SURVEY_TOKEN_SIZE];
	struct strbuf html = STRBUF_INIT;
	enum survey_token_status ts = survey_token_parse(typed, canon);

	if (ts == SURVEY_TOKEN_OK) {
		if (strlen(canon) != SURVEY_TOKEN_LEN)
			abort();
		survey_token_pretty(canon, pretty);
	} else if (ts == SURVEY_TOKEN_BAD_CHECK) {
		size_t n = survey_token_suggest(typed, near, 8);

		for (size_t i = 0; i < n; i++)
			if (survey_token_parse(near[i], canon) !=
			    SURVEY_TOKEN_OK)
				abort();
	}
	/* The front page shows a refused code back in its box. */
	strbuf_add_html(&html, typed);
	if (strpbrk(html.buf, "<>\"'"))
		abort();
	strbuf_release(&html);
}

/*
 * One argument of the query, decoded in place as MHD does for
 * MHD_lookup_connection_value(): '+' is a space, then %XX.
 */
static void query_arg(char *arg)
{
	char *eq = strchr(arg, '=');
	char *value = eq ? eq + 1 : NULL;
	enum survey_lang lang;

	if (eq)
		*eq = '\0';
	for (char *p = arg; *p; p++)
		if (*p == '+')
			*p = ' ';
	MHD_http_unescape(arg);
	if (!value)
		return;
	for (char *p = value; *p; p++)
		if (*p == '+')
			*p = ' ';
	MHD_http_unescape(value);
	if (!strcmp(arg, "lang") && survey_lang_parse(value, &lang) == 0 &&
	    strcasecmp(survey_lang_code(lang), value))
		abort(); /* a language read is one written the same way */
	if (!strcmp(arg, "code"))
		typed_code(value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *target, *query, code[SERVER_RESIDENT_CODE_MAX];
	const struct server_route *r;
	const char *rest = NULL;

	if (size > MAX_TARGET)
		return 0;
	/* A request line holds no NUL; the target is a C string to MHD. */
	target = strndup((const char *)data, size);
	if (!target)
		abort();
	query = strchr(target, '?');
	if (query)
		*query++ = '\0';
	MHD_http_unescape(target);
	r = server_route_find(target, &rest);
	if (r) {
		if (!rest || rest < target || rest > target + strlen(target))
			abort();
		if (r->fn == server_resident_form) {
			for (int post = 0; post < 2; post++) {
				enum server_resident_page pg =
					server_resident_path(target, post,
							     code);

				if (pg == SERVER_RESIDENT_UNKNOWN && *code)
					abort();
				if (strlen(code) >= SERVER_RESIDENT_CODE_MAX)
					abort();
				typed_code(code);
			}
		}
	}
	while (query && *query) {
		char *amp = strchr(query, '&');

		if (amp)
			*amp = '\0';
		query_arg(query);
		query = amp ? amp + 1 : NULL;
	}
	free(target);
	return 0;
}
