/*
 * cmd-privacy.c - `draagvlak privacy`: the survey's privacy statement
 * (privacyverklaring, survey/privacy.h) from its definition or its
 * store, as text to print or HTML for the website.  The server shows the
 * same statement at /privacy.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "msg.h"
#include "privacy.h"
#include "banned.h"

const char cmd_privacy_help[] =
	"usage: draagvlak privacy [-d FILE | DEFINITION] [--lang nl|en]\n"
	"                         [--format text|html] [-o OUTPUT]\n"
	"\n"
	"The survey's privacy statement (privacyverklaring), drawn up from\n"
	"its definition: what is kept about households and staff, why, who\n"
	"sees it, how long it is kept (retention:, and what `draagvlak\n"
	"archive` destroys then), whom to ask (contact:), and the resident's\n"
	"rights under the AVG.  Read from the store, or from the definition\n"
	"file DEFINITION before there is one.  The server shows it at\n"
	"/privacy.\n"
	"\n"
	"  -d, --db FILE        the store (default: " CMD_DEFAULT_DB ")\n"
	"  -l, --lang LANG      nl (default) or en\n"
	"  -f, --format FORMAT  text (default) or html (a page for a website)\n"
	"  -o, --output FILE    write to FILE instead of standard output\n"
	"  -h, --help           show this help\n";

/* A whole HTML page around the statement: for the platform's website. */
static void html_page(const struct privacy *p, enum survey_lang lang,
		      struct strbuf *out)
{
	strbuf_addf(out,
		    "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
		    "<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, "
		    "initial-scale=1\">\n<title>",
		    survey_lang_code(lang));
	strbuf_add_html(out, p->title);
	strbuf_addstr(out, " – ");
	strbuf_add_html(out, p->subtitle);
	strbuf_addstr(out, "</title>\n</head>\n<body>\n<main>\n");
	privacy_html(p, out);
	strbuf_addstr(out, "</main>\n</body>\n</html>\n");
}

int cmd_privacy(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "lang", required_argument, NULL, 'l' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL, *output = NULL;
	enum survey_lang lang = SURVEY_NL;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	struct store *st = NULL;
	struct survey *s = NULL;
	struct privacy *p = NULL;
	bool html = false;
	int c, ret = CMD_FAIL;

	while ((c = getopt_long(argc, argv, "d:l:f:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'o': output = optarg; break;
		case 'l':
			if (survey_lang_parse(optarg, &lang) < 0)
				return cmd_usage_error(
					"privacy",
					"language '%s' is not nl or en",
					optarg);
			break;
		case 'f':
			if (strcmp(optarg, "text") && strcmp(optarg, "html"))
				return cmd_usage_error(
					"privacy",
					"format '%s' is not text or html",
					optarg);
			html = !strcmp(optarg, "html");
			break;
		case 'h': return cmd_print_help("privacy");
		default: return cmd_usage_error("privacy", "unknown option");
		}
	}
	if (argc - optind > 1)
		return cmd_usage_error("privacy", "too many arguments");
	if (optind < argc && db)
		return cmd_usage_error("privacy",
				       "give either --db or a definition, "
				       "not both");
	if (optind < argc) {
		struct diag_list dl;

		diag_list_init(&dl, argv[optind]);
		s = survey_load_lang(argv[optind], lang, &dl);
		diag_list_print(&dl, stderr);
		diag_list_release(&dl);
		if (!s) {
			cmd_error("%s is not a valid definition: see "
				  "draagvlak check",
				  argv[optind]);
			goto out;
		}
	} else if (cmd_open_survey(db ? db : CMD_DEFAULT_DB, &st, &s) < 0) {
		goto out;
	}
	p = privacy_build(s, lang);
	if (html)
		html_page(p, lang, &out);
	else
		privacy_text(p, &out);
	if (output) {
		if (cmd_write_file(output, out.buf, out.len, &err) < 0) {
			cmd_error("%s", err.buf);
			goto out;
		}
	} else if (fwrite(out.buf, 1, out.len, stdout) != out.len ||
		   fflush(stdout)) {
		cmd_error("cannot write the statement");
		goto out;
	}
	ret = CMD_OK;
out:
	privacy_free(p);
	survey_free(s);
	store_free(st);
	strbuf_release(&out);
	strbuf_release(&err);
	return ret;
}
