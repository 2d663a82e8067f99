/*
 * cmd-check.c - `draagvlak check`: validate survey definitions.
 *
 * Prints every mistake as FILE:LINE:COLUMN: message, and for a valid file
 * a short summary a board member can check against what was agreed.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "msg.h"
#include "banned.h"

const char cmd_check_help[] =
	"usage: draagvlak check [--lang nl|en] [-q] SURVEY.yaml...\n"
	"\n"
	"Validate survey definitions.  Every mistake is listed as\n"
	"FILE:LINE:COLUMN: message; a valid file gets a short summary of its\n"
	"questions, buurten and agreement.\n"
	"\n"
	"  -l, --lang LANG  language of the messages and the summary: nl\n"
	"                   (default) or en\n"
	"  -q, --quiet      print only mistakes and warnings\n"
	"  -h, --help       show this help\n"
	"\n"
	"Exit status: 0 when every file is valid, 1 when one is not.\n";

static int check_one(const char *path, enum survey_lang lang, bool quiet)
{
	struct diag_list dl;
	struct survey *s;
	int ret = CMD_OK;

	diag_list_init(&dl, path);
	dl.warning_label = msg_get(lang, MSG_CHECK_WARNING);
	s = survey_load_lang(path, lang, &dl);
	diag_list_print(&dl, stderr);
	if (!s) {
		struct strbuf m = STRBUF_INIT;
		char n[32];

		snprintf(n, sizeof(n), "%zu", dl.errors);
		if (dl.errors == 1)
			msg_add(&m, lang, MSG_CHECK_MISTAKES_ONE, path);
		else
			msg_add(&m, lang, MSG_CHECK_MISTAKES, path, n);
		fprintf(stderr, "%s\n", m.buf);
		strbuf_release(&m);
		ret = CMD_FAIL;
	} else if (!quiet) {
		struct strbuf sb = STRBUF_INIT;

		survey_describe(s, lang, &sb);
		fputs(sb.buf, stdout);
		strbuf_release(&sb);
	}
	survey_free(s);
	diag_list_release(&dl);
	return ret;
}

/* A usage error in lang (as far as --lang was read). */
static int usage_msg(enum survey_lang lang, enum msg_id id, const char *arg)
{
	struct strbuf m = STRBUF_INIT;
	int ret;

	if (arg)
		msg_add(&m, lang, id, arg);
	else
		msg_put(&m, lang, id);
	ret = cmd_usage_error("check", "%s", m.buf);
	strbuf_release(&m);
	return ret;
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum survey_lang lang = SURVEY_NL;
	bool quiet = false;
	int c, ret = CMD_OK;

	while ((c = getopt_long(argc, argv, "l:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (survey_lang_parse(optarg, &lang) < 0)
				return usage_msg(lang, MSG_CHECK_BAD_LANG,
						 optarg);
			break;
		case 'q': quiet = true; break;
		case 'h': return cmd_print_help("check");
		default: return cmd_usage_error("check", "unknown option");
		}
	}
	if (optind >= argc)
		return usage_msg(lang, MSG_CHECK_NO_FILE, NULL);
	for (int i = optind; i < argc; i++) {
		if (i > optind && !quiet)
			putchar('\n');
		if (check_one(argv[i], lang, quiet) != CMD_OK)
			ret = CMD_FAIL;
	}
	return ret;
}
