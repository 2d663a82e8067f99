/*
 * cmd-export.c - `draagvlak export`: the answers, per question and buurt,
 * for the board's own analysis; never an address or a code (see
 * analysis/export.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "export.h"
#include "banned.h"

const char cmd_export_help[] =
	"usage: draagvlak export [-d FILE] [--format csv|json] [--question "
	"ID]\n"
	"                        [--buurt ID] [-o FILE]\n"
	"\n"
	"Write every current answer as respondent, buurt, channel, question\n"
	"and value: one row per answer (a multi question gives a row per\n"
	"chosen option), question by question.  Respondents are numbered for\n"
	"this export only; there are no addresses and no codes in it.\n"
	"\n"
	"  -d, --db FILE        the store (default: " CMD_DEFAULT_DB ")\n"
	"  -f, --format FMT     csv (default) or json\n"
	"  -q, --question ID    only this question\n"
	"  -b, --buurt ID       only this buurt\n"
	"  -o, --output FILE    write to FILE instead of the screen\n"
	"  -h, --help           show this help\n";

int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "question", required_argument, NULL, 'q' },
		{ "buurt", required_argument, NULL, 'b' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct analysis_export_filter f = { NULL, NULL };
	const char *db = CMD_DEFAULT_DB, *output = NULL;
	enum analysis_format format = ANALYSIS_CSV;
	struct strbuf err = STRBUF_INIT;
	struct store *st = NULL;
	struct survey *s = NULL;
	FILE *out = stdout;
	long long n;
	int c, ret = CMD_FAIL;

	while ((c = getopt_long(argc, argv, "d:f:q:b:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'f':
			if (analysis_parse_format(optarg, &format) < 0 ||
			    format == ANALYSIS_TEXT)
				return cmd_usage_error(
					"export",
					"format '%s' is not csv or json",
					optarg);
			break;
		case 'q': f.question = optarg; break;
		case 'b': f.buurt = optarg; break;
		case 'o': output = optarg; break;
		case 'h': return cmd_print_help("export");
		default: return cmd_usage_error("export", "unknown option");
		}
	}
	if (optind != argc)
		return cmd_usage_error("export", "too many arguments");
	if (cmd_open_survey(db, &st, &s) < 0)
		return CMD_FAIL;
	if (f.question && !survey_find_question(s, f.question)) {
		cmd_error("question '%s' is not in the survey", f.question);
		goto out;
	}
	if (f.buurt && !survey_find_buurt(s, f.buurt)) {
		cmd_error("buurt '%s' is not one of the survey's buurten",
			  f.buurt);
		goto out;
	}
	if (output && !(out = fopen(output, "w"))) {
		out = stdout;
		cmd_error("cannot write %s", output);
		goto out;
	}
	n = analysis_export(st, s, &f, format, out, &err);
	if (n < 0) {
		cmd_error("%s", err.buf);
		goto out;
	}
	if (out != stdout) {
		if (fclose(out) != 0) {
			out = stdout;
			cmd_error("could not write %s", output);
			goto out;
		}
		out = stdout;
		fprintf(stderr, "Wrote %lld answers to %s.\n", n, output);
	}
	ret = CMD_OK;
out:
	if (out != stdout)
		fclose(out);
	survey_free(s);
	store_free(st);
	strbuf_release(&err);
	return ret;
}
