/*
 * cmd-analyse.c - `draagvlak analyse`: is there draagvlak?  The verdict
 * per proposition and buurt, and the decision over the buurten, as a
 * report for people or as CSV/JSON for further use.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "analysis.h"
#include "cmd.h"
#include "report.h"
#include "banned.h"

const char cmd_analyse_help[] =
	"usage: draagvlak analyse [-d FILE] [--format text|csv|json] "
	"[--lang nl|en]\n"
	"                         [--date YYYY-MM-DD]\n"
	"\n"
	"For each proposition: per buurt the households, responses, response\n"
	"rate and the answers (for, against, neutral, blank, invalid) per\n"
	"channel; the share in favour as agreed; and the verdict: voldoende\n"
	"draagvlak, onvoldoende draagvlak, respons te laag or, when the\n"
	"agreement names a confidence level, te krap om te beslissen.  While\n"
	"the survey is open it says whether the outcome is already decided,\n"
	"however the households that have not answered yet would answer.\n"
	"Then the decision when every buurt must pass or the buurten are\n"
	"pooled.\n"
	"\n"
	"  -d, --db FILE      the store (default: " CMD_DEFAULT_DB ")\n"
	"  -f, --format FMT   text (default), csv or json\n"
	"  -l, --lang LANG    nl (default) or en\n"
	"      --date DATE    analyse as on this day (default: today)\n"
	"  -h, --help         show this help\n";

int cmd_analyse(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "lang", required_argument, NULL, 'l' },
		{ "date", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = CMD_DEFAULT_DB, *date = NULL;
	enum analysis_format format = ANALYSIS_TEXT;
	enum survey_lang lang = SURVEY_NL;
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	struct survey_store *st = NULL;
	struct survey *s = NULL;
	struct analysis *an = NULL;
	int c, ret = CMD_FAIL;

	while ((c = getopt_long(argc, argv, "d:f:l:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'f':
			if (analysis_parse_format(optarg, &format) < 0)
				return cmd_usage_error(
					"analyse",
					"format '%s' is not text, csv or json",
					optarg);
			break;
		case 'l':
			if (survey_lang_parse(optarg, &lang) < 0)
				return cmd_usage_error(
					"analyse",
					"language '%s' is not nl or en",
					optarg);
			break;
		case 'D':
			if (!analysis_valid_date(optarg))
				return cmd_usage_error(
					"analyse",
					"--date must be a date like "
					"2027-04-20, not '%s'",
					optarg);
			date = optarg;
			break;
		case 'h': return cmd_print_help("analyse");
		default: return cmd_usage_error("analyse", "unknown option");
		}
	}
	if (optind != argc)
		return cmd_usage_error("analyse", "too many arguments");
	if (cmd_open_survey(db, &st, &s) < 0)
		return CMD_FAIL;
	an = analysis_run(st, s, date, &err);
	if (!an) {
		cmd_error("%s", err.buf);
		goto out;
	}
	analysis_report(an, format, lang, &out);
	fwrite(out.buf, 1, out.len, stdout);
	if (fflush(stdout) != 0) {
		cmd_error("could not write the report");
		goto out;
	}
	ret = CMD_OK;
out:
	analysis_free(an);
	survey_free(s);
	survey_store_free(st);
	strbuf_release(&err);
	strbuf_release(&out);
	return ret;
}
