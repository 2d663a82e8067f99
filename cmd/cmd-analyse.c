/*
 * cmd-analyse.c - `draagvlak analyse`: is there draagvlak?  The verdict
 * per proposition and buurt, and the decision over the buurten, as a
 * report for people or as CSV/JSON for further use, as a PDF report for
 * the bewonersorganisatie and the council (--pdf), and its charts as PNG
 * and SVG (--chart).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "analysis.h"
#include "chart.h"
#include "cmd.h"
#include "render.h"
#include "report.h"
#include "report_pdf.h"
#include "workbook.h"
#include "banned.h"

const char cmd_analyse_help[] =
	"usage: draagvlak analyse [-d FILE] [--format text|csv|json] "
	"[--lang nl|en]\n"
	"                         [--date YYYY-MM-DD] [--pdf FILE] "
	"[--chart DIR]\n"
	"                         [--xlsx FILE] [--excel-csv FILE]\n"
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
	"With --pdf, a report to hand to the residents' organisation and the\n"
	"council: the decision in one sentence per proposition, then a page\n"
	"per buurt with charts, the agreement and a short audit.  With\n"
	"--chart, the charts as PNG and SVG files in DIR, named\n"
	"<question>-<buurt>-stemmen|respons|voor|kanalen.png/.svg, and the\n"
	"responses per day as dagen.png/.svg.  Either\n"
	"replaces the report on standard output, unless --format is given.\n"
	"With --xlsx, an Excel workbook of the answers to every question per\n"
	"buurt (counts and shares) and the free texts; with --excel-csv the\n"
	"same counts as a CSV that Excel opens as it is in Dutch (';', a\n"
	"decimal comma).\n"
	"\n"
	"  -d, --db FILE      the store (default: " CMD_DEFAULT_DB ")\n"
	"  -f, --format FMT   text (default), csv or json\n"
	"  -l, --lang LANG    nl (default) or en\n"
	"      --date DATE    analyse as on this day (default: today)\n"
	"      --pdf FILE     write the PDF report to FILE\n"
	"      --chart DIR    write the charts as PNG and SVG into DIR\n"
	"      --xlsx FILE    write the answers to every question as a "
	"workbook\n"
	"      --excel-csv FILE  the same counts as a CSV for Excel\n"
	"  -h, --help         show this help\n";

/* The text report ends with the audit of the whole survey. */
static int add_audit(struct store *st, const struct analysis *an,
		     enum survey_lang lang, struct strbuf *out,
		     struct strbuf *err)
{
	struct store_audit au;
	struct strbuf lines[5] = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT,
				   STRBUF_INIT, STRBUF_INIT };
	size_t n;

	if (store_audit_read(st, an->s, &au, err) < 0)
		return -1;
	n = analysis_audit_sentences(an, &au, -1, lang, lines, 4);
	if (analysis_audit_rejections(&au, lang, &lines[n]))
		n++;
	strbuf_addstr(out, lang == SURVEY_EN ? "\nAudit\n" : "\nControle\n");
	for (size_t i = 0; i < n; i++) {
		strbuf_addf(out, "  %s\n", lines[i].buf);
		strbuf_release(&lines[i]);
	}
	store_audit_release(&au);
	return 0;
}

int cmd_analyse(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "lang", required_argument, NULL, 'l' },
		{ "date", required_argument, NULL, 'D' },
		{ "pdf", required_argument, NULL, 'P' },
		{ "chart", required_argument, NULL, 'C' },
		{ "xlsx", required_argument, NULL, 'X' },
		{ "excel-csv", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = CMD_DEFAULT_DB, *date = NULL, *pdf = NULL;
	const char *chart_dir = NULL, *xlsx = NULL, *excel_csv = NULL;
	struct store_audit audit = { 0 };
	bool format_given = false, drew = false;
	enum analysis_format format = ANALYSIS_TEXT;
	enum survey_lang lang = SURVEY_NL;
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT, done = STRBUF_INIT;
	size_t nr_charts = 0;
	struct store *st = NULL;
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
			format_given = true;
			break;
		case 'P': pdf = optarg; break;
		case 'C': chart_dir = optarg; break;
		case 'X': xlsx = optarg; break;
		case 'E': excel_csv = optarg; break;
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
	if (pdf) {
		drew = true;
		if (store_audit_read(st, an->s, &audit, &err) < 0 ||
		    analysis_report_pdf(an, &audit, lang, pdf, &err) < 0) {
			cmd_error("%s", err.buf);
			goto out;
		}
		strbuf_addf(&done, "Wrote the report to %s.\n", pdf);
	}
	if (chart_dir) {
		drew = true;
		if (analysis_charts_write(an, chart_dir, lang, &nr_charts,
					  &err) < 0) {
			cmd_error("%s", err.buf);
			goto out;
		}
		strbuf_addf(&done,
			    "Wrote %zu chart files (PNG and SVG) to %s.\n",
			    nr_charts, chart_dir);
	}
	if (xlsx || excel_csv) {
		struct analysis_counts counts;

		drew = true;
		if (analysis_counts_read(st, s, &counts, &err) < 0) {
			cmd_error("%s", err.buf);
			goto out;
		}
		if (xlsx &&
		    analysis_workbook_xlsx(an, &counts, lang, xlsx, &err) < 0) {
			analysis_counts_release(&counts);
			cmd_error("%s", err.buf);
			goto out;
		}
		if (xlsx)
			strbuf_addf(&done, "Wrote the workbook to %s.\n", xlsx);
		if (excel_csv) {
			struct strbuf csv = STRBUF_INIT;

			analysis_workbook_csv(&counts, lang, &csv);
			if (cmd_write_file(excel_csv, csv.buf, csv.len, &err) <
			    0) {
				strbuf_release(&csv);
				analysis_counts_release(&counts);
				cmd_error("%s", err.buf);
				goto out;
			}
			strbuf_release(&csv);
			strbuf_addf(&done, "Wrote the counts to %s.\n",
				    excel_csv);
		}
		analysis_counts_release(&counts);
	}
	/* The files replace the report, unless a format was asked too. */
	if (!drew || format_given)
		analysis_report(an, format, lang, &out);
	if (format == ANALYSIS_TEXT && (!drew || format_given) &&
	    add_audit(st, an, lang, &out, &err) < 0) {
		cmd_error("%s", err.buf);
		goto out;
	}
	fwrite(out.buf, 1, out.len, stdout);
	/* What was written, but never into CSV or JSON on standard output. */
	fputs(done.buf, format_given ? stderr : stdout);
	if (fflush(stdout) != 0) {
		cmd_error("could not write the report");
		goto out;
	}
	ret = CMD_OK;
out:
	store_audit_release(&audit);
	analysis_free(an);
	survey_free(s);
	store_free(st);
	strbuf_release(&err);
	strbuf_release(&out);
	strbuf_release(&done);
	/* pango's caches, for the leak checker (as `draagvlak render`) */
	if (drew)
		render_cleanup();
	return ret;
}
